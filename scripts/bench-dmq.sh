#!/bin/sh
# bench-dmq.sh WORLD [PACKAGE]: dmq against dnf, side by side in one run on
# the same repository, both served by nginx on 127.0.0.1.
#
#   WORLD    a generated world with a published site (WORLD/site, the
#            verifier key in WORLD/keys/verifier.key; make one with
#            `distmeta world`, `distmeta keygen`, `distmeta build`)
#   PACKAGE  the worst case to ask about (default glibc, the package most
#            of the distribution requires)
#
# Bytes: what nginx sent (its access log, $body_bytes_sent) for a cold
# `dmq whatrequires` (empty cache and trusted state) and for a cold
# `dnf makecache` of the newest complete compose's Everything repository.
# Time: the median wall time of warm runs of `dmq whatrequires` and
# `dnf -C repoquery --whatrequires` (RUNS, default 10, for PACKAGE).
# Both are measured for PACKAGE and for a SAMPLE (default 15) of package
# names spread evenly over the repository's sorted names: the typical
# question. dmq's answer for PACKAGE is compared with dnf's.
# DMQ (default: built from this checkout) and NGINX may be set.
set -eu

if [ $# -lt 1 ]; then
	echo "usage: $0 WORLD [PACKAGE]" >&2
	exit 2
fi
world=$(cd "$1" && pwd)
pkg=${2:-glibc}
runs=${RUNS:-10}
site=$world/site
key=$world/keys/verifier.key
[ -f "$site/index" ] || { echo "$0: $site has no published index" >&2; exit 2; }
latest=$(ls -d "$world"/composes/*/ | sort | while read -r d; do
	s=$(cat "$d/STATUS" 2>/dev/null || true)
	case $s in FINISHED | FINISHED_INCOMPLETE) echo "$d" ;; esac
done | tail -1)
repo=${latest}compose/Everything/x86_64/os
[ -f "$repo/repodata/repomd.xml" ] || { echo "$0: no repodata in $repo" >&2; exit 2; }

tmp=$(mktemp -d)
pids=
cleanup() {
	# start_nginx runs in a command substitution, so its $pids do not
	# reach this shell: stop each nginx by the pid file it wrote.
	for f in "$tmp"/nginx-*/nginx.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
	done
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${DMQ:-}" ]; then
	DMQ=$tmp/dmq
	(cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$DMQ" ./cmd/dmq)
fi
NGINX=${NGINX:-nginx}

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_nginx NAME ROOT SERVER-BLOCK-FILE-OR-"plain": prints the port.
start_nginx() {
	name=$1 root=$2 example=$3
	prefix=$tmp/nginx-$name
	mkdir -p "$prefix"
	port=$(freeport)
	if [ "$example" = plain ]; then
		server="server { listen 127.0.0.1:$port; root $root; }"
	else
		server=$(sed -e "s|listen 80;|listen 127.0.0.1:$port;|" -e "s|root /srv/distmeta;|root $root;|" "$example")
	fi
	cat >"$prefix/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/error.log;
events { worker_connections 256; }
http {
    log_format bytes '\$request_uri \$status \$body_bytes_sent';
    access_log $prefix/access.log bytes;
    client_body_temp_path $prefix/body;
    proxy_temp_path $prefix/proxy;
    fastcgi_temp_path $prefix/fastcgi;
    uwsgi_temp_path $prefix/uwsgi;
    scgi_temp_path $prefix/scgi;
    default_type application/octet-stream;
$server
}
EOF
	"$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" >"$prefix/out" 2>&1 &
	pids="$pids $!"
	i=0
	while ! python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$prefix/error.log" >&2; exit 1; }
		sleep 0.05
	done
	echo "$port"
}

sent() { awk '{ n += $3; r++ } END { printf "%d %d\n", r, n }' "$1"; }

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# ms COMMAND...: wall milliseconds of one run.
# ms COMMAND...: wall milliseconds of one run, timed from Python so that
# no shell or date(1) start-up is counted.
ms() {
	python3 -c 'import subprocess, sys, time
s = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.1f" % ((time.perf_counter() - s) * 1000))' "$@"
}

site_port=$(start_nginx site "$site" "$here/docs/nginx.conf.example")
repo_port=$(start_nginx repo "$repo" plain)
mirror=http://127.0.0.1:$site_port
export DMQ_CACHE_DIR=$tmp/dmq-cache DMQ_STATE_DIR=$tmp/dmq-state

# cold_dmq PKG: requests and bytes nginx sent for one cold whatrequires.
cold_dmq() {
	rm -rf "$DMQ_CACHE_DIR" "$DMQ_STATE_DIR"
	: >"$tmp/nginx-site/access.log"
	"$DMQ" whatrequires "$1" --mirror "$mirror" --key "$key" >"$tmp/dmq.out" 2>/dev/null || true
	sent "$tmp/nginx-site/access.log"
}

# Cold dnf makecache.
mkdir -p "$tmp/dnf/repos" "$tmp/dnf/cache"
cat >"$tmp/dnf/repos/bench.repo" <<EOF
[bench]
name=bench
baseurl=http://127.0.0.1:$repo_port/
gpgcheck=0
enabled=1
metadata_expire=-1
EOF
cat >"$tmp/dnf/dnf.conf" <<EOF
[main]
reposdir=$tmp/dnf/repos
cachedir=$tmp/dnf/cache
persistdir=$tmp/dnf/persist
logdir=$tmp/dnf/log
installroot=$tmp/dnf/root
releasever=40
keepcache=0
EOF
dnf_() { dnf -q -c "$tmp/dnf/dnf.conf" --setopt=install_weak_deps=0 --nogpgcheck "$@"; }
DNF="dnf -q -c $tmp/dnf/dnf.conf --setopt=install_weak_deps=0 --nogpgcheck"
: >"$tmp/nginx-repo/access.log"
dnf_ makecache >/dev/null 2>&1
set -- $(sent "$tmp/nginx-repo/access.log")
dnf_req=$1 dnf_bytes=$2

# The sample: names spread evenly over the repository's sorted names.
nsample=${SAMPLE:-15}
dnf_ -C repoquery --qf '%{name}' 2>/dev/null | sort -u >"$tmp/names"
total=$(wc -l <"$tmp/names")
awk -v n="$nsample" -v t="$total" 'BEGIN { for (i = 0; i < n; i++) want[int(i * t / n) + 1] = 1 } want[NR]' "$tmp/names" >"$tmp/sample"

# Cold dmq: the worst case, then each sampled name.
set -- $(cold_dmq "$pkg")
dmq_req=$1 dmq_bytes=$2
cp "$tmp/dmq.out" "$tmp/dmq-worst.out"
: >"$tmp/cold-sample"
while read -r name; do
	set -- $(cold_dmq "$name")
	echo "$2 $1 $name" >>"$tmp/cold-sample"
done <"$tmp/sample"
sample_bytes=$(cut -d' ' -f1 "$tmp/cold-sample" | median)
sample_max=$(cut -d' ' -f1 "$tmp/cold-sample" | sort -n | tail -1)
sample_req=$(cut -d' ' -f2 "$tmp/cold-sample" | median)

# Do the answers agree?
dnf_ -C repoquery --whatrequires "$pkg" 2>/dev/null | sort >"$tmp/dnf.out" || true
sort "$tmp/dmq-worst.out" >"$tmp/dmq.sorted"
only_dmq=$(comm -23 "$tmp/dmq.sorted" "$tmp/dnf.out" | wc -l)
only_dnf=$(comm -13 "$tmp/dmq.sorted" "$tmp/dnf.out" | wc -l)

# Warm times: one run each fills the cache, then RUNS timed runs.
"$DMQ" whatrequires "$pkg" --mirror "$mirror" --key "$key" >/dev/null 2>&1 || true
while read -r name; do "$DMQ" whatrequires "$name" --mirror "$mirror" --key "$key" >/dev/null 2>&1 || true; done <"$tmp/sample"
dmq_ms=$(for _ in $(seq "$runs"); do ms "$DMQ" whatrequires "$pkg" --mirror "$mirror" --key "$key" --refresh 1h; done | median)
dmq_reval_ms=$(for _ in $(seq "$runs"); do ms "$DMQ" whatrequires "$pkg" --mirror "$mirror" --key "$key" --refresh 0; done | median)
dnf_ms=$(for _ in $(seq "$runs"); do ms $DNF -C repoquery --whatrequires "$pkg"; done | median)
dmq_sample_ms=$(while read -r name; do ms "$DMQ" whatrequires "$name" --mirror "$mirror" --key "$key" --refresh 1h; done <"$tmp/sample" | median)
ndnf=$(head -5 "$tmp/sample" | wc -l)
dnf_sample_ms=$(head -5 "$tmp/sample" | while read -r name; do ms $DNF -C repoquery --whatrequires "$name"; done | median)

repodata=$(du -sb "$repo/repodata" | cut -f1)
echo "world: $world ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo "repodata on disk: $repodata B; dnf makecache downloaded $dnf_bytes B in $dnf_req requests"
echo "worst case $pkg: dmq $(wc -l <"$tmp/dmq-worst.out") requirers, dnf repoquery $(wc -l <"$tmp/dnf.out") lines ($only_dmq only in dmq, $only_dnf only in dnf)"
printf 'cold bytes   dmq whatrequires %s: %d B in %d requests\n' "$pkg" "$dmq_bytes" "$dmq_req"
printf '             dmq whatrequires, median of %d names: %d B in %d requests (max %d B)\n' "$nsample" "$sample_bytes" "$sample_req" "$sample_max"
printf '             dnf makecache: %d B\n' "$dnf_bytes"
awk -v a="$dnf_bytes" -v b="$dmq_bytes" -v c="$sample_bytes" 'BEGIN { printf "             ratio: %.0fx fewer bytes for the typical name, %.0fx for %s (target 1000x)\n", a / c, a / b, "the worst case" }'
printf 'warm time    dmq %s (cached index):      %s ms median of %d\n' "$pkg" "$dmq_ms" "$runs"
printf '             dmq %s (index revalidated): %s ms\n' "$pkg" "$dmq_reval_ms"
printf '             dnf -C repoquery %s:        %s ms\n' "$pkg" "$dnf_ms"
printf '             dmq, median of %d names: %s ms; dnf, median of %d of them: %s ms\n' "$nsample" "$dmq_sample_ms" "$ndnf" "$dnf_sample_ms"
awk -v a="$dnf_ms" -v b="$dmq_ms" -v c="$dnf_sample_ms" -v d="$dmq_sample_ms" 'BEGIN { if (b < 1) b = 1; if (d < 1) d = 1; printf "             ratio: %.1fx faster for the typical name, %.1fx for the worst case (target 40x)\n", c / d, a / b }'
