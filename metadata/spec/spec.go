package spec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// Spec is what Parse reads from a spec file.
type Spec struct {
	Name    string `json:"name"`
	Epoch   string `json:"epoch,omitempty"`
	Version string `json:"version"`
	Release string `json:"release"`
	// Packages are the binary packages: Packages[0] is the main one,
	// then each %package in order.
	Packages       []Package `json:"packages"`
	BuildRequires  []Dep     `json:"build_requires,omitempty"`
	BuildConflicts []Dep     `json:"build_conflicts,omitempty"`
	Sources        []Source  `json:"sources,omitempty"`
	// Changelog is the first %changelog entry, nil when there is none
	// (as with %autochangelog).
	Changelog *ChangelogEntry `json:"changelog,omitempty"`
	// Unexpanded lists what the reader left unexpanded or could not
	// evaluate, in line order, each with the field it affects.
	Unexpanded []Unexpanded `json:"unexpanded,omitempty"`
}

// Package is one binary package the spec builds.
type Package struct {
	Name        string `json:"name"`
	Requires    []Dep  `json:"requires,omitempty"`
	Provides    []Dep  `json:"provides,omitempty"`
	Conflicts   []Dep  `json:"conflicts,omitempty"`
	Obsoletes   []Dep  `json:"obsoletes,omitempty"`
	Recommends  []Dep  `json:"recommends,omitempty"`
	Suggests    []Dep  `json:"suggests,omitempty"`
	Supplements []Dep  `json:"supplements,omitempty"`
	Enhances    []Dep  `json:"enhances,omitempty"`
	Line        int    `json:"line"`
}

// Dep is one dependency as the spec states it. A rich (boolean)
// dependency keeps its whole expression verbatim in Name, has Rich set
// and no Flags.
type Dep struct {
	Name  string       `json:"name"`
	Flags rpmver.Flags `json:"flags,omitempty"`
	EVR   rpmver.EVR   `json:"evr,omitzero"`
	Rich  bool         `json:"rich,omitempty"`
	// Qualifiers are those of Requires(pre,post): "pre,post".
	Qualifiers string `json:"qualifiers,omitempty"`
	// Incomplete marks a dependency holding something not expanded.
	Incomplete bool `json:"incomplete,omitempty"`
	// Uncertain marks a dependency stated under an %if the reader could
	// not evaluate: it may not apply.
	Uncertain bool `json:"uncertain,omitempty"`
	Line      int  `json:"line"`
}

// String prints the dependency as rpm does: "name OP evr".
func (d Dep) String() string {
	if d.Flags == 0 {
		return d.Name
	}
	return d.Name + " " + d.Flags.String() + " " + d.EVR.String()
}

// Source is one Source or Patch tag (or %sourcelist/%patchlist line).
type Source struct {
	Kind   string `json:"kind"` // "Source" or "Patch"
	Number int    `json:"number"`
	Value  string `json:"value"`
	Line   int    `json:"line"`
}

// ChangelogEntry is one %changelog entry: the "* date name - evr" header
// and the lines under it.
type ChangelogEntry struct {
	Header string   `json:"header"`
	Lines  []string `json:"lines,omitempty"`
	Line   int      `json:"line"`
}

// Unexpanded is one construct the reader did not expand: the construct
// (a macro name or the verbatim text, clipped), its line, why, and the
// field whose value it affects ("Version", "BuildRequires", "Requires",
// "Source", "%package", "%if", "%changelog", ...).
type Unexpanded struct {
	Macro  string `json:"macro"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
	Field  string `json:"field"`
}

// Complete reports whether the value of field ("Name", "Epoch",
// "Version", "Release", ...) was fully expanded and set under conditions
// the reader could evaluate.
func (s *Spec) Complete(field string) bool {
	for _, u := range s.Unexpanded {
		if u.Field == field {
			return false
		}
	}
	return true
}

// EVR returns the spec's epoch:version-release.
func (s *Spec) EVR() rpmver.EVR {
	return rpmver.EVR{Epoch: s.Epoch, Version: s.Version, Release: s.Release}
}

// PackageNames returns the binary package names in spec order.
func (s *Spec) PackageNames() []string {
	out := make([]string, len(s.Packages))
	for i, p := range s.Packages {
		out[i] = p.Name
	}
	return out
}

// ErrNoSpec is returned by FindSpec when a branch holds no spec file
// (a retired package has only dead.package).
var ErrNoSpec = errors.New("no spec file")

// FindSpec picks the spec file among the top-level file names of a
// dist-git tree: "<repoName>.spec" when present, else the only *.spec.
// It returns ErrNoSpec (wrapped, naming dead.package when the package
// is retired) when there is none, and an error when several are present
// and none is named after the repository.
func FindSpec(files []string, repoName string) (string, error) {
	var specs []string
	dead := false
	for _, f := range files {
		switch {
		case f == repoName+".spec":
			return f, nil
		case strings.HasSuffix(f, ".spec") && !strings.Contains(f, "/"):
			specs = append(specs, f)
		case f == "dead.package":
			dead = true
		}
	}
	switch {
	case len(specs) == 1:
		return specs[0], nil
	case len(specs) > 1:
		return "", fmt.Errorf("%s: several spec files and none named %s.spec: %s", repoName, repoName, strings.Join(specs, ", "))
	case dead:
		return "", fmt.Errorf("%s: retired (dead.package): %w", repoName, ErrNoSpec)
	}
	return "", fmt.Errorf("%s: %w", repoName, ErrNoSpec)
}
