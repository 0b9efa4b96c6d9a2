#!/bin/sh
# Times reading the CentOS Stream 9 BaseOS repodata (primary + filelists,
# the largest real repodata in ../shared/testdata) with `dnf makecache`
# (fresh cachedir) and with metadata/repodata's BenchmarkLoadCentOS, and
# prints both and their ratio; then the parse-only comparison of the
# scanner with the encoding/xml reader it replaced, and with LARGE=1 the
# compose-sized BenchmarkLoadLarge (70,000 synthetic packages, or the
# repository named by REPODATA_BENCH_REPO).
# Usage: [LARGE=1] [REPODATA_BENCH_REPO=dir] scripts/bench-repodata.sh [benchtime]
set -eu
cd "$(dirname "$0")/.."
REPO=${DISTMETA_SHARED:-$(pwd)/../shared}/testdata/repodata/centos-stream-9-baseos-x86_64
BENCHTIME=${1:-5x}
GO=${GO:-go}
command -v "$GO" >/dev/null 2>&1 || GO=/usr/local/go/bin/go
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== dnf makecache (fresh cachedir) on $REPO"
/usr/bin/time -v dnf makecache -q --releasever=1 --forcearch=x86_64 \
	--repofrompath=t,"$REPO" --repo=t --setopt=reposdir=/dev/null \
	--setopt=cachedir="$tmp/cache" --setopt=optional_metadata_types=filelists \
	>"$tmp/dnf.out" 2>"$tmp/dnf.time" || { cat "$tmp/dnf.out" "$tmp/dnf.time"; exit 1; }
dnf_wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/dnf.time")
dnf_user=$(awk -F': ' '/User time/ {print $2}' "$tmp/dnf.time")
dnf_sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/dnf.time")
dnf_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/dnf.time")
dnf_cpu=$(echo "$dnf_user $dnf_sys" | awk '{print $1+$2}')
echo "dnf: wall ${dnf_wall}s cpu ${dnf_cpu}s peak RSS $((dnf_rss / 1024)) MB"

echo "== go test -bench BenchmarkLoadCentOS -benchtime=$BENCHTIME"
"$GO" test ./metadata/repodata/ -run '^$' -bench '^BenchmarkLoadCentOS$' -benchtime="$BENCHTIME" | tee "$tmp/go.out"
line=$(grep '^BenchmarkLoadCentOS' "$tmp/go.out")
metric() { echo "$line" | awk -v u="$1" '{for(i=2;i<=NF;i++) if ($i==u) print $(i-1)}'; }
go_wall=$(metric ns/op | awk '{print $1/1e9}')
go_cpu=$(metric cpu-s/op)
go_rss=$(metric peak-RSS-MB)
go_pps=$(metric pkgs/s)
echo "distmeta: wall ${go_wall}s cpu ${go_cpu}s peak RSS ${go_rss} MB ${go_pps} pkgs/s"
echo "== ratio dnf/distmeta (above 1: distmeta is cheaper)"
awk -v a="$dnf_wall" -v b="$go_wall" 'BEGIN {printf "wall time  %.2f\n", a/b}'
awk -v a="$dnf_cpu" -v b="$go_cpu" 'BEGIN {printf "cpu time   %.2f\n", a/b}'
awk -v a="$dnf_rss" -v b="$go_rss" 'BEGIN {printf "peak RSS   %.2f\n", (a/1024)/b}'

echo "== go test -bench BenchmarkParseCentOS (from memory: scanner vs encoding/xml)"
"$GO" test ./metadata/repodata/ -run '^$' -bench '^BenchmarkParseCentOS$' -benchtime="$BENCHTIME" -benchmem
if [ "${LARGE:-0}" = 1 ]; then
	echo "== go test -bench BenchmarkLoadLarge ${REPODATA_BENCH_REPO:-(70,000 synthetic packages)}"
	"$GO" test ./metadata/repodata/ -run '^$' -bench '^BenchmarkLoadLarge$' -benchtime=3x -timeout 30m
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
