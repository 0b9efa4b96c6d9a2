package pages_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator/pages"
)

// BenchmarkRenderPublishedSite renders the answers of a published site
// folder ($DISTMETA_PAGES_SITE) into $DISTMETA_PAGES_OUT (when set) and
// reports the time and size: a measurement on real answers, for example
// the Fedora-sized world's site.
func BenchmarkRenderPublishedSite(b *testing.B) {
	t := b
	dir := os.Getenv("DISTMETA_PAGES_SITE")
	if dir == "" {
		b.Skip("set DISTMETA_PAGES_SITE to a published site")
	}
	t0 := time.Now()
	docs, err := loadSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d kinds in %v", len(docs), time.Since(t0))
	t1 := time.Now()
	files, err := pages.Render(context.Background(), docs, pages.Options{Gzip: os.Getenv("DISTMETA_PAGES_GZIP") != ""})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(t1)
	var total int64
	for _, b := range files {
		total += int64(len(b))
	}
	t.Logf("rendered %d files, %d bytes, in %v", len(files), total, took)
	out := os.Getenv("DISTMETA_PAGES_OUT")
	if out == "" {
		return
	}
	for p, b := range files {
		fp := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fp, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
