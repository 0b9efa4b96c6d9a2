#!/bin/sh
# bench-dmq.sh WORLD [PACKAGE]: dmq against dnf, side by side in one run on
# the same repository, both served by nginx on 127.0.0.1.
#
#   WORLD    a generated world with a published site (WORLD/site, the
#            verifier key in WORLD/keys/verifier.key; make one with
#            `distmeta world`, `distmeta keygen`, `distmeta build`)
#   PACKAGE  the package to ask about (default glibc)
#
# Bytes: what nginx sent (its access log, $body_bytes_sent) for a cold
# `dmq whatrequires PACKAGE` (empty cache and trusted state) and for a cold
# `dnf makecache` of the newest complete compose's Everything repository.
# Time: the median wall time of RUNS (default 10) warm runs of
# `dmq whatrequires PACKAGE` and `dnf -C repoquery --whatrequires PACKAGE`.
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
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${DMQ:-}" ]; then
	DMQ=$tmp/dmq
	(cd "$here" && go build -o "$DMQ" ./cmd/dmq)
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
ms() {
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}

site_port=$(start_nginx site "$site" "$here/docs/nginx.conf.example")
repo_port=$(start_nginx repo "$repo" plain)
mirror=http://127.0.0.1:$site_port
export DMQ_CACHE_DIR=$tmp/dmq-cache DMQ_STATE_DIR=$tmp/dmq-state

# Cold dmq.
: >"$tmp/nginx-site/access.log"
"$DMQ" whatrequires "$pkg" --mirror "$mirror" --key "$key" >"$tmp/dmq.out"
set -- $(sent "$tmp/nginx-site/access.log")
dmq_req=$1 dmq_bytes=$2

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
: >"$tmp/nginx-repo/access.log"
dnf_ makecache >/dev/null 2>&1
set -- $(sent "$tmp/nginx-repo/access.log")
dnf_req=$1 dnf_bytes=$2

# Warm answers agree?
dnf_ -C repoquery --whatrequires "$pkg" 2>/dev/null | sort >"$tmp/dnf.out" || true

# Warm times.
dmq_ms=$(for _ in $(seq "$runs"); do ms "$DMQ" whatrequires "$pkg" --mirror "$mirror" --key "$key" --refresh 1h; done | median)
dmq_reval_ms=$(for _ in $(seq "$runs"); do ms "$DMQ" whatrequires "$pkg" --mirror "$mirror" --key "$key" --refresh 0; done | median)
dnf_ms=$(for _ in $(seq "$runs"); do ms dnf_ -C repoquery --whatrequires "$pkg"; done | median)

repodata=$(du -sb "$repo/repodata" | cut -f1)
echo "world: $world ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo "package: $pkg  (dmq: $(wc -l <"$tmp/dmq.out") requirers, dnf repoquery: $(wc -l <"$tmp/dnf.out") lines)"
echo "repodata on disk: $repodata bytes"
printf 'cold bytes   dmq whatrequires: %10d B in %3d requests\n' "$dmq_bytes" "$dmq_req"
printf '             dnf makecache:    %10d B in %3d requests\n' "$dnf_bytes" "$dnf_req"
awk -v a="$dnf_bytes" -v b="$dmq_bytes" 'BEGIN { printf "             ratio: %.0fx fewer bytes (target 1000x)\n", a / b }'
printf 'warm time    dmq (cached index):      %5d ms median of %d\n' "$dmq_ms" "$runs"
printf '             dmq (index revalidated): %5d ms\n' "$dmq_reval_ms"
printf '             dnf -C repoquery:        %5d ms\n' "$dnf_ms"
awk -v a="$dnf_ms" -v b="$dmq_ms" 'BEGIN { if (b < 1) b = 1; printf "             ratio: %.1fx faster (target 40x)\n", a / b }'
