#!/bin/sh
# Side by side on the newest compose of the Fedora-sized generated world
# (about 72,000 packages): distmeta's pool + all providers + full reverse
# index (BenchmarkScale) against libsolv loading the same repodata and
# building its whatprovides index and the same reverse index
# (scripts/peers/solvindex.py). Generates the world when absent (~3 min).
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null 2>&1 || GO=/usr/local/go/bin/go
world=${DISTMETA_FEDORA_WORLD:-${TMPDIR:-/tmp}/distmeta-fedora-world}
if [ ! -f "$world/distmeta.yaml" ]; then
	echo "generating the fedora-scale world in $world"
	"$GO" run ./cmd/distmeta world --scale fedora --seed 1 --out "$world"
fi
compose=$(ls -d "$world"/composes/*/ | while read -r c; do
	grep -qx 'FINISHED\(_INCOMPLETE\)\?' "$c/STATUS" 2>/dev/null && echo "$c"; done | sort | tail -1)
repo=${compose}compose/Everything/x86_64/os
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); repo $repo"
echo "== distmeta (metadata/depsolve BenchmarkScale)"
DISTMETA_BENCH_REPO=$repo "$GO" test ./metadata/depsolve/ -run '^$' -bench '^BenchmarkScale$' -benchtime=1x | tee /tmp/bench-depsolve.$$
line=$(grep '^BenchmarkScale' /tmp/bench-depsolve.$$)
rm -f /tmp/bench-depsolve.$$
metric() { echo "$line" | awk -v u="$1" '{for(i=2;i<=NF;i++) if ($i==u) print $(i-1)}'; }
ours=$(metric ns/op | awk '{print $1/1e9}')
echo "== libsolv (python3-solv): load, createwhatprovides, all providers + reverse index"
solv=$(/usr/bin/python3 scripts/peers/solvindex.py "$repo")
echo "$solv"
echo "$solv" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
ours, cpu = float(sys.argv[1]), float(sys.argv[2])
idx = r["whatprovides_index_s"] + r["all_providers_and_reverse_s"]
print("distmeta wall %.2fs cpu %.2fs (peak heap %s MiB)  libsolv index %.2fs (+ load %.2fs, peak RSS %d MiB)  ratio libsolv/distmeta (wall) %.2f" % (
    ours, cpu, sys.argv[3], idx, r["load_s"], r["peak_rss_kib"] // 1024, idx / ours))
print("reverse edges: libsolv %d, distmeta %s" % (r["edges"], sys.argv[4]))
' "$ours" "$(metric cpu-s/op)" "$(metric peak-heap-MiB)" "$(metric edges)"
