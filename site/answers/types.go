package answers

import (
	"encoding/json"
	"time"
)

// Header starts every document.
type Header struct {
	Schema string `json:"schema"` // Schema(kind)
	// Compose is the compose the answer was computed from, when it
	// depends on one.
	Compose string `json:"compose,omitempty"`
}

// Provider is a package that provides a capability.
type Provider struct {
	NEVRA string `json:"nevra"` // name-epoch:version-release.arch
	Name  string `json:"name"`
}

// Requirement is one requirement of a package with its providers in the
// compose and the one a solver picks when nothing else is installed.
type Requirement struct {
	Dep       string     `json:"dep"`
	Providers []Provider `json:"providers,omitempty"`
	Chosen    string     `json:"chosen,omitempty"` // NEVRA; "" when nothing provides it
}

// PackageBuild is one build (name, EVR and arch) of a binary package in
// the compose.
type PackageBuild struct {
	NEVRA     string        `json:"nevra"`
	Arch      string        `json:"arch"`
	EVR       string        `json:"evr"`
	Summary   string        `json:"summary,omitempty"`
	Source    string        `json:"source"` // source component
	SourceRPM string        `json:"sourcerpm,omitempty"`
	Variants  []string      `json:"variants,omitempty"` // variants of the compose shipping it
	Provides  []string      `json:"provides,omitempty"`
	Requires  []Requirement `json:"requires,omitempty"`
	Weak      WeakDeps      `json:"weak,omitzero"`
	Conflicts []string      `json:"conflicts,omitempty"`
	Obsoletes []string      `json:"obsoletes,omitempty"`
	// WhatRequires lists the installable packages (NEVRA) with a
	// requirement this build provides.
	WhatRequires []string `json:"whatrequires,omitempty"`
	// Broken lists the requirements that cannot be met, with their root
	// cause.
	Broken []BrokenDep `json:"broken,omitempty"`
}

// WeakDeps are the weak dependencies of a package, kept apart.
type WeakDeps struct {
	Recommends  []string `json:"recommends,omitempty"`
	Suggests    []string `json:"suggests,omitempty"`
	Supplements []string `json:"supplements,omitempty"`
	Enhances    []string `json:"enhances,omitempty"`
}

// BrokenDep is an unresolvable requirement and its root cause: the
// deepest capability nothing provides, reached through Chain (each step
// "package requires dep, provided by package").
type BrokenDep struct {
	Dep     string `json:"dep"`
	Chain   []Step `json:"chain,omitempty"`
	RootPkg string `json:"root_pkg"`
	RootDep string `json:"root_dep"`
}

// Step is one requirement -> provider link.
type Step struct {
	From string `json:"from"` // NEVRA
	Dep  string `json:"dep"`
	To   string `json:"to"` // NEVRA
}

// Package is the answer pkg/<name>: a binary package name in the newest
// complete compose (Everything first).
type Package struct {
	Header
	Name    string         `json:"name"`
	Builds  []PackageBuild `json:"builds"`            // one per arch/EVR, best first
	Modules []string       `json:"modules,omitempty"` // module builds (NSVC) whose artifacts hold it
}

// Capability is the answer cap/<name>: who provides and who requires a
// capability name (any version; file paths included).
type Capability struct {
	Header
	Name      string       `json:"name"`
	Providers []CapEntry   `json:"providers,omitempty"`
	Requirers []CapRequire `json:"requirers,omitempty"`
}

// CapEntry is one provide of a capability: the package and the versioned
// form it provides ("python3dist(foo) = 1.2"); for a file, the path.
type CapEntry struct {
	NEVRA   string `json:"nevra"`
	Provide string `json:"provide"`
}

// CapRequire is one requirement on a capability.
type CapRequire struct {
	NEVRA string `json:"nevra"`
	Dep   string `json:"dep"`
}

// Source is the answer src/<name>: a source component.
type Source struct {
	Header
	Name     string       `json:"name"`
	Repo     string       `json:"repo"` // rpms/<name>
	Head     string       `json:"head_branch,omitempty"`
	Branches []BranchHead `json:"branches,omitempty"`
	Binaries []string     `json:"binaries,omitempty"` // binary package names in the compose
	SRPM     string       `json:"srpm,omitempty"`     // source package NEVRA in the compose
	Builds   []Build      `json:"builds,omitempty"`   // newest first, at most MaxBuilds
	Modules  []string     `json:"modules,omitempty"`  // module builds (NSVC) with this component
	// RuntimeDependents are the source components whose binaries require
	// a binary of this one; BuildDependents those whose BuildRequires
	// resolve to one.
	RuntimeDependents []string `json:"runtime_dependents,omitempty"`
	BuildDependents   []string `json:"build_dependents,omitempty"`
	// BuildRequires are the source components this one build-requires.
	BuildRequires []string `json:"build_requires,omitempty"`
	// Rebuild holds a plan per strategy ("dependents", "changed-and-after",
	// "only-changed") for a change of this component alone.
	Rebuild map[string]RebuildPlan `json:"rebuild,omitempty"`
	// Tier is the component's tier in the whole build graph (0: it
	// build-requires no other component of the compose).
	Tier *int `json:"tier,omitempty"`
	// Stale lists builds made from commits that are no longer their
	// branch head.
	Stale []StaleBuild `json:"stale,omitempty"`
	Error string       `json:"error,omitempty"` // the repository could not be read
}

// MaxBuilds and MaxHistory cap the lists of a source answer.
const (
	MaxBuilds  = 20
	MaxHistory = 20
)

// BranchHead is a branch with its head and recent history.
type BranchHead struct {
	Name    string   `json:"name"`
	Head    string   `json:"head"`
	Version string   `json:"version,omitempty"` // from the spec at the head, when it parses
	Release string   `json:"release,omitempty"`
	Recent  []Commit `json:"recent,omitempty"` // newest first, at most MaxHistory
}

// Commit is one commit of a first-parent history.
type Commit struct {
	Hash    string    `json:"hash"`
	Time    time.Time `json:"time"`
	Subject string    `json:"subject,omitempty"`
}

// Build is one build from the builds feed.
type Build struct {
	ID       int       `json:"id,omitempty"`
	Kind     string    `json:"kind"` // rpm or module
	NVR      string    `json:"nvr"`  // NVR, or NSVC for a module
	Branch   string    `json:"branch,omitempty"`
	Commit   string    `json:"commit,omitempty"`
	State    string    `json:"state"` // building, complete, failed, canceled
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	Tests    []Test    `json:"tests,omitempty"`
}

// Test is one test result of a build.
type Test struct {
	Case    string    `json:"case"`
	Outcome string    `json:"outcome"`
	Time    time.Time `json:"time"`
}

// RebuildPlan is an ordered rebuild: Tiers[i] only needs Tiers[0..i-1];
// components of one build-dependency cycle share a tier.
type RebuildPlan struct {
	Tiers  [][]string `json:"tiers"`
	Cycles [][]string `json:"cycles,omitempty"`
}

// StaleBuild is a build made from a commit that is no longer its
// branch's head, with the commits after it (newest first).
type StaleBuild struct {
	Build  string   `json:"build"` // NVR or NSVC
	Kind   string   `json:"kind"`
	Branch string   `json:"branch,omitempty"`
	Commit string   `json:"commit"`
	Head   string   `json:"head,omitempty"`
	After  []Commit `json:"after,omitempty"`
	Reason string   `json:"reason"`
}

// Module is the answer mod/<name:stream>.
type Module struct {
	Header
	Name     string        `json:"name"`
	Stream   string        `json:"stream"`
	Summary  string        `json:"summary,omitempty"`
	Builds   []ModuleBuild `json:"builds"` // newest version first
	Stale    []StaleBuild  `json:"stale,omitempty"`
	Requires []string      `json:"dependents,omitempty"` // module builds that require this stream
}

// ModuleBuild is one version and context of a module stream in the compose.
type ModuleBuild struct {
	NSVC       string              `json:"nsvc"`
	Version    string              `json:"version"`
	Context    string              `json:"context"`
	Variants   []string            `json:"variants,omitempty"`
	Components []ModuleComponent   `json:"components,omitempty"`
	Artifacts  []string            `json:"artifacts,omitempty"`
	Expanded   []ModuleExpansion   `json:"expanded,omitempty"`
	Buildroot  *ModuleBuildroot    `json:"buildroot,omitempty"`
	Profiles   map[string][]string `json:"profiles,omitempty"`
	Deps       []ModuleDeps        `json:"dependencies,omitempty"`
}

// ModuleDeps is one entry of a module's dependencies: module name to the
// streams it builds (buildrequires) or runs (requires) against; an empty
// list means every stream, "-s" excludes s.
type ModuleDeps struct {
	BuildRequires map[string][]string `json:"buildrequires"`
	Requires      map[string][]string `json:"requires"`
}

// ModuleComponent is an rpm component of a module build and the ref it
// was built from.
type ModuleComponent struct {
	Name   string `json:"name"`
	Branch string `json:"branch,omitempty"`
	Ref    string `json:"ref,omitempty"` // commit it was built from
	Stale  bool   `json:"stale,omitempty"`
}

// ModuleExpansion is one buildable expansion of a module's dependencies.
type ModuleExpansion struct {
	BuildRequires map[string]string   `json:"buildrequires"`
	Requires      map[string][]string `json:"requires,omitempty"`
}

// ModuleBuildroot is a module build's buildroot resolved to packages.
type ModuleBuildroot struct {
	Modules  []string `json:"modules,omitempty"` // module builds used
	Packages []string `json:"packages,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// Compose is the answer compose/<id> (and compose/latest).
type Compose struct {
	Header
	ID       string           `json:"id"`
	Status   string           `json:"status"`
	Date     string           `json:"date"`
	Respin   int              `json:"respin"`
	Type     string           `json:"type,omitempty"`
	Release  string           `json:"release,omitempty"`
	Variants []ComposeVariant `json:"variants"`
	Images   []Image          `json:"images,omitempty"`
	// Older lists the earlier complete composes; Skipped the folders of
	// the composes root that do not count, with the reason (latest only).
	Older   []string       `json:"older,omitempty"`
	Skipped []SkippedEntry `json:"skipped,omitempty"`
}

// SkippedEntry is a compose folder that does not count.
type SkippedEntry struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// ComposeVariant counts what one variant of a compose holds.
type ComposeVariant struct {
	ID       string   `json:"id"`
	Arches   []string `json:"arches"`
	Binary   int      `json:"binary_packages"`
	Source   int      `json:"source_packages"`
	Modules  int      `json:"modules"`
	Images   int      `json:"images"`
	Broken   int      `json:"broken_deps"`
	Resolved bool     `json:"resolved"` // dependency answers were computed for it
}

// Image is the answer image/<key> and an entry of a compose.
type Image struct {
	Header
	Key        string `json:"key"`
	Variant    string `json:"variant"`
	Arch       string `json:"arch"`
	Subvariant string `json:"subvariant"`
	Type       string `json:"type"`
	Format     string `json:"format"`
	Path       string `json:"path"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256,omitempty"`
	Bootable   bool   `json:"bootable,omitempty"`
	Mtime      int64  `json:"mtime,omitempty"`
}

// Variant is the answer variant/<id>: what defines a variant and the comps
// file generated for it.
type Variant struct {
	Header
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Modules     []string `json:"modules,omitempty"` // name:stream[/profile] as defined
	Groups      []string `json:"groups,omitempty"`
	PackageSets []string `json:"package_sets,omitempty"`
	// Comps is the well-known path of the generated comps file ("" when
	// none was generated), CompsGz its gzip copy.
	Comps   string `json:"comps,omitempty"`
	CompsGz string `json:"comps_gz,omitempty"`
	// CompsAnswer is the comps generator's own answer for the variant
	// (groups, environments, categories, packages, unresolved packages;
	// docs/schemas/variant.md describes it), when comps were generated.
	CompsAnswer json.RawMessage `json:"comps_answer,omitempty"`
	// Problems are what the check of the variant against the compose
	// found (a module stream or package that is not there).
	Problems []string `json:"problems,omitempty"`
}

// History is the answer history/<repo>/<branch>: where the branch pointed
// and when, from the ref log (observed) and, before the first observation,
// from the first-parent chain (derived).
type History struct {
	Header
	Repo   string `json:"repo"`
	Branch string `json:"branch"`
	Head   string `json:"head"`
	// FirstObserved is the first walk that saw the repository; before it
	// the positions are derived from Commits.
	FirstObserved time.Time `json:"first_observed,omitzero"`
	// Observed are the ref moves seen by walks, oldest first. New is ""
	// when the branch was deleted.
	Observed []RefMove `json:"observed,omitempty"`
	// Commits is the first-parent chain of the head first observed (or of
	// the current head), newest first.
	Commits []Commit `json:"commits"`
}

// RefMove is one observed ref position.
type RefMove struct {
	Time time.Time `json:"t"`
	Kind string    `json:"kind"` // seen, created, pushed, forced, deleted
	Old  string    `json:"old,omitempty"`
	New  string    `json:"new,omitempty"`
}

// Status is the answer status/<subject>/<name>: where a component, module
// or image stands in the build pipeline.
type Status struct {
	Header
	Subject string `json:"subject"` // rpm, module, image
	Name    string `json:"name"`
	// Pipeline is where the main branch stands: for a component, the
	// branch of its newest build that a compose holds (the release the
	// composes are made of), else the branch of its newest build.
	Pipeline
	// Branches are the component's other branches with builds, by name.
	Branches []Pipeline `json:"branches,omitempty"`
}

// Pipeline is where one branch of a component (a module stream, an
// image) stands in the build pipeline.
type Pipeline struct {
	Branch string `json:"branch,omitempty"`
	// Head is the commit at the head of Branch.
	Head     string    `json:"head,omitempty"`
	HeadTime time.Time `json:"head_time,omitzero"`
	// Build is the newest build of the branch.
	Build *Build `json:"build,omitempty"`
	// Composes are the complete composes holding the build (for an
	// image: holding the image), oldest first.
	Composes []ComposeRef `json:"composes,omitempty"`
	// Mirrors says, per mirror, whether it carries a compose with it.
	Mirrors []MirrorCarry `json:"mirrors,omitempty"`
	// Stage is a short code: building, failed, not-built, built,
	// composed, mirrored-partly, mirrored; Sentence says it plainly.
	Stage    string `json:"stage"`
	Sentence string `json:"sentence"`
}

// Of returns where branch stands (the main one or one of Branches), nil
// when the answer does not know the branch.
func (s *Status) Of(branch string) *Pipeline {
	if s.Branch == branch {
		return &s.Pipeline
	}
	for i := range s.Branches {
		if s.Branches[i].Branch == branch {
			return &s.Branches[i]
		}
	}
	return nil
}

// ComposeRef names a compose and its date.
type ComposeRef struct {
	ID   string `json:"id"`
	Date string `json:"date"`
}

// MirrorCarry says whether a mirror carries a compose holding the item.
type MirrorCarry struct {
	Mirror  string    `json:"mirror"`
	Serial  uint64    `json:"serial,omitempty"`
	Compose string    `json:"compose,omitempty"` // compose/latest of what it serves
	Created time.Time `json:"created,omitzero"`
	Carries bool      `json:"carries"`
	Unknown bool      `json:"unknown,omitempty"` // the mirror could not be read
}

// Mirrors is the answer mirrors/all.
type Mirrors struct {
	Header
	Mirrors []Mirror `json:"mirrors"`
}

// Mirror is what one mirror serves, as its published index says.
type Mirror struct {
	URL     string    `json:"url"`
	Serial  uint64    `json:"serial,omitempty"`
	Created time.Time `json:"created,omitzero"`
	Compose string    `json:"compose,omitempty"`
	State   string    `json:"state"` // ok, unknown
	Error   string    `json:"error,omitempty"`
}

// RebuildGraph is the answer rebuild/graph: the whole build graph of the
// compose, for rebuild plans of several components or with the strategies
// "changed-and-after" and "all", which the client computes from it (src
// answers carry the "dependents" and "only-changed" plans of one component).
type RebuildGraph struct {
	Header
	// Needs maps every source component to the components it
	// build-requires (the provider a solver picks for each BuildRequires).
	Needs map[string][]string `json:"needs"`
	// Tiers gives each component's tier in the whole graph: the length of
	// its longest chain of build dependencies, cycles collapsed.
	Tiers map[string]int `json:"tiers"`
}
