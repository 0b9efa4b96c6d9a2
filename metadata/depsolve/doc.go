// Package depsolve is distmeta's dependency engine: rpm semantics over a
// set of packages (versioned, file and rich provides and requires,
// conflicts, obsoletes, arch policy), the answers dnf and libsolv give
// (whatprovides, whatrequires, the provider a solver picks, install and
// build closures, why A needs B, broken dependencies with their root
// cause), the module layer (stream expansion as MBS does it, buildroots,
// components) and rebuild tiers. It does no I/O: callers hand it packages
// and module records.
package depsolve
