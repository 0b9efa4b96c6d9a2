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
#            objects may not all be here yet). When DEST has a pages
#            listing (www.index), only the pages whose "HEX SIZE PATH"
#            line changed between its listing and the source's are
#            copied, then the new www.index; otherwise all of www/ is
#            compared
#   stage 3  deletions: files the source no longer has (its `distmeta gc`
#            already keeps the objects of the last K indexes); it compares
#            every file, so running it less often than stages 1 and 2
#            (e.g. daily) saves most of a sync's traffic
#
# SRC and DEST are rsync paths (local folders, host:path or rsync://).
# RSYNC (default rsync) and RSYNC_OPTS (e.g. --stats, -z) are passed on.
# Set STAGE=1, 2 or 3 to run a single stage (tests pause between stages);
# FULL=1 makes stage 1 compare all of o/ and m/, and stage 2 all of www/,
# even when lists exist.
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

# www_changes prepares stage 2's short path for the HTML pages: when DEST
# holds a pages listing (www.index, www.files.d/) and the source's current
# one can be fetched, it writes to $state/www/files the pages whose
# listing line ("HEX SIZE PATH") is new, fetches the listing pages DEST
# lacks into $state/www/new/ and the source's www.index into $state/www/. It returns 1 (a full
# comparison then) when anything is missing.
www_changes() {
	if [ -n "$FULL" ] || [ ! -f "${dest}www.index" ]; then
		return 1
	fi
	rm -rf "$state/www"
	mkdir -p "$state/www/new"
	# shellcheck disable=SC2086
	$RSYNC -t $RSYNC_OPTS "${src}www.index" "$state/www/www.index" >/dev/null 2>&1 || return 1
	pages() { sed -n 's/^page sha256:\([0-9a-f]\{64\}\) [0-9][0-9]*$/\1/p' "$1"; }
	old=$(pages "${dest}www.index")
	new=$(pages "$state/www/www.index")
	if [ -z "$old" ] || [ -z "$new" ]; then
		return 1
	fi
	: >"$state/www/fetch"
	for h in $new; do
		if [ ! -f "${dest}www.files.d/$h" ]; then
			echo "www.files.d/$h" >>"$state/www/fetch"
		fi
	done
	if [ -s "$state/www/fetch" ]; then
		# shellcheck disable=SC2086
		$RSYNC $common $RSYNC_OPTS --files-from="$state/www/fetch" "$src" "$state/www/new/" || return 1
	fi
	: >"$state/www/old.pages"
	for h in $old; do
		[ -f "${dest}www.files.d/$h" ] || return 1
		echo "${dest}www.files.d/$h" >>"$state/www/old.pages"
	done
	: >"$state/www/new.pages"
	for h in $new; do
		f="${dest}www.files.d/$h"
		[ -f "$f" ] || f="$state/www/new/www.files.d/$h"
		[ -f "$f" ] || return 1
		echo "$f" >>"$state/www/new.pages"
	done
	# Each listing page: a format line, then "HEX SIZE PATH" lines.
	while IFS= read -r f; do tail -n +2 "$f"; done <"$state/www/old.pages" | LC_ALL=C sort >"$state/www/old.lines"
	while IFS= read -r f; do tail -n +2 "$f"; done <"$state/www/new.pages" | LC_ALL=C sort >"$state/www/new.lines"
	LC_ALL=C comm -13 "$state/www/old.lines" "$state/www/new.lines" | cut -d' ' -f3- | sed 's|^|www/|' >"$state/www/files"
	return 0
}

stage2() {
	if [ -n "$local" ] && [ -f "$state/index" ]; then
		if www_changes; then
			# The pages: only those whose listing line changed, with the
			# new listing pages, then the listing itself; everything
			# else (few files) compared in full.
			# shellcheck disable=SC2086
			$RSYNC $common $RSYNC_OPTS --delay-updates \
				--exclude=/o/ --exclude=/m/ --exclude=/index \
				--exclude=/www/ --exclude=/www.index --exclude=/www.files.d/ \
				"$src" "$dest"
			if [ -d "$state/www/new/www.files.d" ]; then
				mkdir -p "${dest}www.files.d"
				cp -p -R "$state/www/new/www.files.d/." "${dest}www.files.d/"
			fi
			if [ -s "$state/www/files" ]; then
				# shellcheck disable=SC2086
				$RSYNC $common $RSYNC_OPTS --delay-updates --files-from="$state/www/files" \
					"$src" "$dest"
			fi
			mv -f "$state/www/www.index" "${dest}www.index"
		else
			# shellcheck disable=SC2086
			$RSYNC $common $RSYNC_OPTS --delay-updates \
				--exclude=/o/ --exclude=/m/ --exclude=/index \
				"$src" "$dest"
		fi
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
