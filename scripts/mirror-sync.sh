#!/bin/sh
# mirror-sync.sh SRC DEST: copy a distmeta site so that a reader of DEST
# never sees an index whose files are not all there yet.
#
#   stage 1  fetch SRC's index (kept in DEST/.mirror-sync/ until stage 2),
#            then the new files of o/ and m/ (content-addressed, never
#            rewritten: only additions). When DEST is a local folder that
#            has a site at serial n < the source's s, and the source has
#            index.d/<n+1>.new .. <s>.new (the files each publish added),
#            only the files those lists name are copied, so rsync does not
#            list all of o/ and m/; otherwise all of o/ and m/ is compared.
#   stage 2  everything else (index.d/, plain files) with --delay-updates,
#            so they switch in one rename burst at the end; then the index
#            fetched in stage 1 is renamed into place (an index the source
#            published during stage 1 waits for the next run, since its
#            objects may not all be here yet)
#   stage 3  deletions: files the source no longer has (its `distmeta gc`
#            already keeps the objects of the last K indexes); it compares
#            every file, so running it less often than stages 1 and 2
#            (e.g. daily) saves most of a sync's traffic
#
# SRC and DEST are rsync paths (local folders, host:path or rsync://).
# RSYNC (default rsync) and RSYNC_OPTS (e.g. --stats, -z) are passed on.
# Set STAGE=1, 2 or 3 to run a single stage (tests pause between stages);
# FULL=1 makes stage 1 compare all of o/ and m/ even when lists exist.
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
FULL=${FULL:-}
# At most this many lists; a mirror further behind compares everything.
MAXLISTS=${MAXLISTS:-200}

# Never copy the publisher's lock, cache or temporary files, nor rsync's own, nor
# this script's state in DEST (which --delete leaves alone).
common="-rlt --exclude=/.lock --exclude=/.publish-cache --exclude=/.mirror-sync --exclude=.tmp-* --exclude=.~tmp~"
state=${dest}.mirror-sync
local=
if [ -d "$dest" ]; then
	local=1
fi

serial() {
	sed -n 's/^serial \([0-9][0-9]*\)$/\1/p' "$1" 2>/dev/null | head -n 1
}

stage1() {
	have=
	if [ -n "$local" ]; then
		mkdir -p "$state"
		rm -rf "$state/lists"
		# shellcheck disable=SC2086
		$RSYNC -t $RSYNC_OPTS "${src}index" "$state/index"
		have=$(serial "${dest}index")
	fi
	want=
	if [ -n "$have" ] && [ -f "$state/index" ]; then
		want=$(serial "$state/index")
	fi
	if [ -z "$FULL" ] && [ -n "$want" ] && [ "$have" -le "$want" ] && [ $((want - have)) -le "$MAXLISTS" ]; then
		if [ "$have" -eq "$want" ]; then
			return 0
		fi
		n=$((have + 1))
		incl=
		while [ "$n" -le "$want" ]; do
			incl="$incl --include=/index.d/$n.new"
			n=$((n + 1))
		done
		mkdir -p "$state/lists"
		# shellcheck disable=SC2086
		$RSYNC $common $RSYNC_OPTS --include=/index.d/ $incl --exclude=* \
			"$src" "$state/lists/"
		n=$((have + 1))
		ok=1
		: >"$state/files"
		while [ "$n" -le "$want" ]; do
			if [ ! -f "$state/lists/index.d/$n.new" ]; then
				ok=
				break
			fi
			grep -E '^(o/[0-9a-f]{2}|m)/[0-9a-f]{64}$' "$state/lists/index.d/$n.new" >>"$state/files" || true
			n=$((n + 1))
		done
		if [ -n "$ok" ]; then
			sort -u -o "$state/files" "$state/files"
			if [ -s "$state/files" ]; then
				# shellcheck disable=SC2086
				$RSYNC $common $RSYNC_OPTS --files-from="$state/files" \
					"$src" "$dest"
			fi
			return 0
		fi
	fi
	# shellcheck disable=SC2086
	$RSYNC $common $RSYNC_OPTS \
		--include=/o/ --include=/o/** --include=/m/ --include=/m/** --exclude=* \
		"$src" "$dest"
}

stage2() {
	if [ -n "$local" ] && [ -f "$state/index" ]; then
		# shellcheck disable=SC2086
		$RSYNC $common $RSYNC_OPTS --delay-updates \
			--exclude=/o/ --exclude=/m/ --exclude=/index \
			"$src" "$dest"
		mv -f "$state/index" "${dest}index"
		return 0
	fi
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
