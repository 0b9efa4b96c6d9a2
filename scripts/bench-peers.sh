#!/bin/sh
# Runs every side-by-side benchmark against the peers (dnf, libsolv, the git
# CLI, gzip, rsync) and prints their ratios. Each script measures both sides
# in one run on the same inputs; see the script for what it times.
#   scripts/bench-peers.sh            all of them
#   scripts/bench-peers.sh repodata   only scripts/bench-repodata.sh
set -u
cd "$(dirname "$0")"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for s in bench-*.sh; do
	[ "$s" = bench-peers.sh ] && continue
	name=${s#bench-}
	name=${name%.sh}
	if [ $# -gt 0 ] && [ "$1" != "$name" ]; then
		continue
	fi
	echo
	echo "######## $name ($s)"
	sh "./$s" || { echo "$s failed" >&2; status=1; }
done
exit $status
