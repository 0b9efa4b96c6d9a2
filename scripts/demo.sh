#!/bin/bash
# make demo: generate a small realistic distribution, run the generator over
# it, publish the site into a local folder, serve it on 127.0.0.1 and print
# a few dmq commands to try.
#   scripts/demo.sh DIR PORT        (DEMO_SERVE=0 to stop before serving)
set -euo pipefail
dir=${1:-demo}
port=${2:-8417}
bin=$(cd "$(dirname "$0")/.." && pwd)/bin
dm="$bin/distmeta"
mkdir -p "$dir"
world="$dir/world"

step() { printf '\n==> %s\n' "$*"; }

if [ ! -f "$world/distmeta.yaml" ]; then
	step "generating a small world (200 source components, 12 module streams) in $world"
	rm -rf "$world"
	"$dm" world --scale small --seed 1 --out "$world"
fi
"$dm" world --scale small --seed 1 --stats | sed -n '1,6p'

site="$world/site"
if "$dm" help build >/dev/null 2>&1; then
	if [ ! -f "$world/keys/signer.key" ]; then
		step "making a signing key"
		mkdir -p "$world/keys"
		"$dm" keygen --out "$world/keys/signer.key" > "$world/keys/verifier.key"
	fi
	step "building and publishing the site into $site"
	"$dm" build --config "$world/distmeta.yaml"
	sync() { mkdir -p "$world/mirrors/$1" && "$(dirname "$0")/mirror-sync.sh" "$site/" "$world/mirrors/$1/" >/dev/null; }
	step "syncing three mirrors, building again (the status answers now see them), syncing two"
	sync primary && sync eu-west && sync lagging
	"$dm" build --config "$world/distmeta.yaml" >/dev/null
	sync primary && sync eu-west
else
	step "distmeta build is not there yet: publishing the generated inputs for browsing instead"
	mkdir -p "$site"
	cp -r "$world/composes" "$world/variants.yaml" "$world/comps.xml.in" "$site/" 2>/dev/null || true
fi

if [ "${DEMO_SERVE:-1}" = 0 ]; then
	step "done (DEMO_SERVE=0: not serving)"
	exit 0
fi
url="http://127.0.0.1:$port/"
step "serving $site on $url (Ctrl-C to stop)"
cat <<TRY
Try (in another terminal):
  export DMQ_MIRRORS=$url DMQ_KEY="\$(cat $world/keys/verifier.key)"
  export DMQ_CACHE_DIR=$dir/dmq-cache DMQ_STATE_DIR=$dir/dmq-trust
  $bin/dmq sync
  $bin/dmq whatrequires glibc
  $bin/dmq rebuild-plan zlib-ng
  $bin/dmq status bash
  $bin/dmq status bash --branch rawhide
  $bin/dmq module nodejs:20 --buildroot
  $bin/dmq history glibc f40 --at 2024-06-01
  $bin/dmq comps Server
  $bin/dmq mirrors
Browse: ${url}www/
TRY
exec "$dm" serve "$site" --addr "127.0.0.1:$port"
