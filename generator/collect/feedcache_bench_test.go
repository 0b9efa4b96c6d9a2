package collect

import (
	"os"
	"testing"
)

// BenchmarkReadFeedsState reads the feeds of the Fedora-sized world
// through the cache in $DISTMETA_BENCH_STATE (skipped when unset).
func BenchmarkReadFeedsState(b *testing.B) {
	state := os.Getenv("DISTMETA_BENCH_STATE")
	if state == "" {
		b.Skip("DISTMETA_BENCH_STATE not set")
	}
	w := "/tmp/distmeta-fedora-world/"
	for b.Loop() {
		if _, cached, err := ReadFeeds(w+"builds.jsonl", w+"results.jsonl", state); err != nil || !cached {
			b.Fatal("not cached", err)
		}
	}
}
