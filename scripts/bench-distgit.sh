#!/bin/sh
# bench-distgit.sh: walk a generated dist-git root of 25,000 repositories
# with distmeta's walker (full walk, no-change walk) and with the git CLI
# (for-each-ref + log --first-parent per branch, same pool size), and print
# the ratio. The root is generated once and cached under $TMPDIR.
#   DISTMETA_BENCH_REPOS     repositories (default 25000)
#   DISTMETA_BENCH_GIT_EVERY run git on every Nth repository and extrapolate (default 1: all)
set -eu
cd "$(dirname "$0")/.."
exec go test -run '^$' -bench '^BenchmarkDistgitWalk$' -benchtime=1x -timeout 60m ./internal/distgit/
