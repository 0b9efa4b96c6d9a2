#!/bin/sh
# Benchmarks of distmeta build on the Fedora-sized generated world: a full
# build and an incremental build after one push, each with wall time and
# peak memory (/usr/bin/time -v around the benchmark binary).
#
#   scripts/bench-build.sh            # publishes for real
#   NOPUBLISH=1 scripts/bench-build.sh  # leaves the store out of the measure
#
# The world is generated once (about 3 minutes) when absent.
set -eu
cd "$(dirname "$0")/.."
WORLD=${DISTMETA_FEDORA_WORLD:-/tmp/distmeta-fedora-world}
BIN=${TMPDIR:-/tmp}/distmeta-bench-build
mkdir -p "$BIN"
if [ ! -f "$WORLD/distmeta.yaml" ]; then
	go build -o "$BIN/distmeta" ./cmd/distmeta
	"$BIN/distmeta" world --scale fedora --seed 1 --out "$WORLD"
fi
go test -c -o "$BIN/generator.test" ./generator
export DISTMETA_FEDORA_WORLD="$WORLD"
if [ -n "${NOPUBLISH:-}" ]; then
	export DISTMETA_BENCH_NOPUBLISH=1
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in BenchmarkBuildFedora BenchmarkIncrementalFedora; do
	echo "== $b"
	/usr/bin/time -v "$BIN/generator.test" -test.run '^$' -test.bench "^$b\$" -test.benchtime 1x -test.v 2>"$BIN/$b.time" | grep -v '^\(PASS\|goos\|goarch\|pkg\|cpu\)'
	grep -E 'Elapsed|Maximum resident|User time|System time|Percent of CPU' "$BIN/$b.time"
done
