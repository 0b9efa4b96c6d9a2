// Package resolve reads a complete compose and computes every answer
// that depends only on it, with metadata/depsolve: per binary package its
// builds, provides, requires with providers and the solver's choice, weak
// deps, reverse deps and broken deps with their root cause; per capability
// its providers and requirers; per source component its binaries, runtime
// and build reverse dependencies and rebuild plans; per module stream its
// builds, components, expansions and resolved buildroots.
//
// Complete composes are immutable, so Summarize and Resolve results are
// cached in the state folder keyed by the compose id and a digest of its
// metadata and repomd.xml files (see Cache): an incremental run never
// re-parses a compose it has seen.
package resolve
