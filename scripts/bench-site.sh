#!/bin/sh
# bench-site.sh [SCALE [SEED]]: the store's two figures, side by side, in
# one run, on the synthetic model and on the real answers of a generated
# world (docs/site-format.md, "Measurements"):
#
#   compression  stored answer objects against gzip -9 of the same answers
#                (of the same buckets, of each answer alone, of one stream)
#   rsync        bytes that scripts/mirror-sync.sh moves (rsync --stats,
#                sent + received) for a one-push incremental publish, as a
#                share of the site; the deletion pass separately
#
# The world (SCALE small|medium|fedora, default medium; SEED default 1) and
# the two sites `distmeta build` publishes from it, before and after one
# push to rawhide made with the git CLI, are cached under
# ${DISTMETA_BENCH_CACHE:-${TMPDIR:-/tmp}/distmeta-bench-site}/SCALE-SEED;
# nothing is written into the repository. BENCH (default
# 'BenchmarkStore(World)?$') selects the benchmarks.
set -eu

scale=${1:-medium}
seed=${2:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${DISTMETA_BENCH_CACHE:-${TMPDIR:-/tmp}/distmeta-bench-site}/$scale-$seed
BENCH=${BENCH:-'BenchmarkStore(World)?$'}

for tool in git rsync gzip; do
	command -v "$tool" >/dev/null || {
		echo "$0: needs $tool" >&2
		exit 2
	}
done

if [ ! -f "$cache/done" ]; then
	rm -rf "$cache"
	mkdir -p "$cache/keys"
	(cd "$here" && go build -o "$cache/distmeta" ./cmd/distmeta)
	dm=$cache/distmeta
	echo "bench-site: generating the $scale world (seed $seed) in $cache" >&2
	"$dm" world --scale "$scale" --seed "$seed" --out "$cache/world" >/dev/null
	"$dm" keygen --out "$cache/keys/signer.key" >"$cache/keys/verifier.key"
	build() {
		SOURCE_DATE_EPOCH=$1 "$dm" build -q --config "$cache/world/distmeta.yaml" \
			--key "$cache/keys/signer.key" --out "$cache/site" --state "$cache/state" >&2
	}
	echo "bench-site: building the site" >&2
	build 1735689600
	cp -a "$cache/site" "$cache/site-before"
	# One push: the spec of the 100th rpm repository, on rawhide.
	repo=$(ls "$cache/world/distgit/rpms" | sed -n 100p)
	git clone -q "$cache/world/distgit/rpms/$repo" "$cache/clone"
	echo "# a packager was here" >>"$(ls "$cache"/clone/*.spec | head -n 1)"
	git -C "$cache/clone" -c user.name=Packager -c user.email=p@example.org commit -q -a -m 'Touch the spec'
	git -C "$cache/clone" push -q origin HEAD
	echo "bench-site: building again after one push to rpms/${repo%.git}" >&2
	build 1735693200
	cp -a "$cache/site" "$cache/site-after"
	touch "$cache/done"
fi

cd "$here"
DISTMETA_BENCH_SITE=$cache/site-before DISTMETA_BENCH_SITE_PUSH=$cache/site-after \
	go test ./site -run '^$' -bench "$BENCH" -benchtime 1x -timeout 60m -v |
	grep -v '^=== RUN'
