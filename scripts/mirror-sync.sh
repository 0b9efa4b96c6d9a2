#!/bin/sh
# mirror-sync.sh SRC DEST: copy a distmeta site so that a reader of DEST
# never sees an index whose files are not all there yet.
#
#   stage 1  o/ and m/ (content-addressed, never rewritten: only additions)
#   stage 2  everything else (index.d/, plain files, index) with
#            --delay-updates, so they switch in one rename burst at the end
#   stage 3  deletions: files the source no longer has (its `distmeta gc`
#            already keeps the objects of the last K indexes)
#
# SRC and DEST are rsync paths (local folders, host:path or rsync://).
# RSYNC (default rsync) and RSYNC_OPTS (e.g. --stats, -z) are passed on.
# Set STAGE=1, 2 or 3 to run a single stage (tests pause between stages).
set -euf

if [ $# -ne 2 ]; then
	echo "usage: $0 SRC DEST" >&2
	exit 2
fi
src=${1%/}/
dest=${2%/}/
RSYNC=${RSYNC:-rsync}
RSYNC_OPTS=${RSYNC_OPTS:-}
STAGE=${STAGE:-all}

# Never copy the publisher's lock or temporary files, nor rsync's own.
common="-rlt --exclude=/.lock --exclude=.tmp-* --exclude=.~tmp~"

stage1() {
	# shellcheck disable=SC2086
	$RSYNC $common $RSYNC_OPTS \
		--include=/o/ --include=/o/** --include=/m/ --include=/m/** --exclude=* \
		"$src" "$dest"
}

stage2() {
	# shellcheck disable=SC2086
	$RSYNC $common $RSYNC_OPTS --delay-updates \
		--exclude=/o/ --exclude=/m/ \
		"$src" "$dest"
}

stage3() {
	# shellcheck disable=SC2086
	$RSYNC $common $RSYNC_OPTS --delete --ignore-existing \
		"$src" "$dest"
}

case $STAGE in
1) stage1 ;;
2) stage2 ;;
3) stage3 ;;
all) stage1 && stage2 && stage3 ;;
*)
	echo "$0: STAGE must be 1, 2, 3 or all" >&2
	exit 2
	;;
esac
