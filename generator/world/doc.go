// Package world generates realistic Fedora-style distributions ("worlds")
// for the demo, the tests and the benchmarks: dist-git repositories with
// branch histories, pungi composes with rpm-md repodata and productmd
// metadata, module streams, a builds feed, test results, a variants file
// and a mirror list. The same seed always gives the same bytes.
//
// Generation has two halves: Generate builds the whole world as an
// in-memory model (pure, deterministic), and Write lays it out on disk with
// the project's own format writers.
package world
