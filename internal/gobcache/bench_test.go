package gobcache_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/generator/resolve"
	"github.com/distmeta/distmeta/internal/gobcache"
)

// BenchmarkLoadResolvedState loads the resolution cached in a build's
// state folder ($DISTMETA_BENCH_STATE, skipped when unset).
func BenchmarkLoadResolvedState(b *testing.B) {
	state := os.Getenv("DISTMETA_BENCH_STATE")
	if state == "" {
		b.Skip("DISTMETA_BENCH_STATE not set")
	}
	files, _ := filepath.Glob(filepath.Join(state, "composes", "*.resolved.*"))
	if len(files) == 0 {
		b.Skip("no cached resolution")
	}
	key, ok := gobcache.StoredKey(files[0])
	if !ok {
		b.Fatal("no key")
	}
	digest, _, _ := strings.Cut(key, "\x00")
	name := strings.SplitN(filepath.Base(files[0]), ".resolved.", 2)[0]
	c := resolve.Cache{Dir: filepath.Join(state, "composes")}
	for b.Loop() {
		if _, ok := c.LoadResolved(name, digest); !ok {
			b.Fatal("not loaded")
		}
	}
}
