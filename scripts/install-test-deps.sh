#!/bin/sh
# Installs (as root) or names (otherwise) the Debian packages that
# distmeta's tests use as peers: dnf, libsolv, createrepo_c, xmllint,
# nginx, rsync, chromium, git, zstd/xz/bzip2.
#   install-test-deps.sh          install what is missing when root, else list it
#   install-test-deps.sh --check  only list what is missing (exit 1 if any)
set -eu
PKGS="git nginx rsync libxml2-utils dnf libsolv-tools python3-solv createrepo-c chromium zstd xz-utils bzip2 python3-dnf rpm"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ] || [ "$(id -u)" != 0 ]; then
	echo "missing Debian packages:$missing" >&2
	echo "tests that need them will skip (run $0 as root to install)" >&2
	[ "${1:-}" = "--check" ] && exit 1
	exit 0
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
