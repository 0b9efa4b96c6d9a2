package compsgen

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/repodata"
)

// Repo is what one of a variant's repositories holds for one arch.
type Repo struct {
	Arch     string
	Packages []*repodata.Package
	// Modules is the repository's modules.yaml; nil when it has none.
	Modules *modulemd.Index
}

// Target is where a variant's packages must resolve: its repositories in
// its newest complete compose.
type Target struct {
	Compose string // compose id; "" when no complete compose has the variant
	Repos   []Repo // one per arch
	// Missing says why there are no repositories, when Repos is empty.
	Missing string
}

// Unresolved is a package a group names that does not resolve.
type Unresolved struct {
	Group   string `json:"group"`
	Package string `json:"package"`
	Arch    string `json:"arch,omitempty"` // "" when the variant has no repository at all
	Reason  string `json:"reason"`
}

// Check reports every package of r's groups that does not resolve in t,
// sorted by group, package and arch. A package resolves in a repository
// when:
//
//   - for a module group: the module stream is in the repository's
//     modules.yaml, the package is one of the stream's binary artifacts
//     (for the arch or noarch), and that artifact is in the repository;
//   - for any other group: a binary package of that name is in the
//     repository and is not only available from module streams that are
//     not default streams (dnf hides those until the stream is enabled).
//
// A conditional packagereq is checked by its package name only.
func Check(r *Result, t *Target) []Unresolved {
	var out []Unresolved
	if len(t.Repos) == 0 {
		reason := t.Missing
		if reason == "" {
			reason = "the variant has no repository"
		}
		for _, g := range r.Comps.Groups {
			for _, p := range g.Packages {
				out = append(out, Unresolved{Group: g.ID, Package: p.Name, Reason: reason})
			}
		}
		sortUnresolved(out)
		return out
	}
	for i := range t.Repos {
		ix := indexRepo(&t.Repos[i])
		for _, g := range r.Comps.Groups {
			src := r.Sources[g.ID]
			for _, p := range g.Packages {
				var reason string
				if src.Kind == SourceModule {
					reason = ix.moduleReason(src.Module, p.Name)
				} else {
					reason = ix.plainReason(p.Name)
				}
				if reason != "" {
					out = append(out, Unresolved{Group: g.ID, Package: p.Name, Arch: ix.arch, Reason: reason})
				}
			}
		}
	}
	sortUnresolved(out)
	return out
}

func sortUnresolved(u []Unresolved) {
	sort.Slice(u, func(i, j int) bool {
		a, b := u[i], u[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Package != b.Package {
			return a.Package < b.Package
		}
		return a.Arch < b.Arch
	})
}

// nevra is a binary rpm identity with the epoch made explicit.
type nevra struct{ name, epoch, version, release, arch string }

// parseArtifact splits a modulemd artifact N-E:V-R.A.
func parseArtifact(s string) (nevra, bool) {
	dot := strings.LastIndexByte(s, '.')
	if dot < 0 {
		return nevra{}, false
	}
	rest, arch := s[:dot], s[dot+1:]
	i := strings.LastIndexByte(rest, '-')
	if i < 0 {
		return nevra{}, false
	}
	rest, rel := rest[:i], rest[i+1:]
	j := strings.LastIndexByte(rest, '-')
	if j < 0 {
		return nevra{}, false
	}
	name, ev := rest[:j], rest[j+1:]
	epoch, ver, ok := strings.Cut(ev, ":")
	if !ok {
		epoch, ver = "0", ev
	}
	if name == "" || ver == "" || rel == "" || arch == "" {
		return nevra{}, false
	}
	return nevra{name, normEpoch(epoch), ver, rel, arch}, true
}

func normEpoch(e string) string {
	if e == "" {
		return "0"
	}
	return e
}

// repoIndex is a repository prepared for name lookups.
type repoIndex struct {
	arch string
	// inRepo holds every binary package of the repository.
	inRepo map[nevra]bool
	// names maps a binary package name to its packages.
	names map[string][]nevra
	// streamOf maps a modular artifact to the name:stream that built it.
	streamOf map[nevra][]string
	// artifacts maps name:stream to its binary artifacts for the arch
	// (and noarch) by package name.
	artifacts map[string]map[string][]nevra
	// defaultStream maps a module name to its default stream.
	defaultStream map[string]string
	hasModules    bool
}

func indexRepo(r *Repo) *repoIndex {
	ix := &repoIndex{
		arch:          r.Arch,
		inRepo:        map[nevra]bool{},
		names:         map[string][]nevra{},
		streamOf:      map[nevra][]string{},
		artifacts:     map[string]map[string][]nevra{},
		defaultStream: map[string]string{},
		hasModules:    r.Modules != nil,
	}
	for _, p := range r.Packages {
		if p.IsSource() || p.Arch == "src" || p.Arch == "nosrc" {
			continue
		}
		n := nevra{p.Name, normEpoch(p.EVR.Epoch), p.EVR.Version, p.EVR.Release, p.Arch}
		ix.inRepo[n] = true
		ix.names[p.Name] = append(ix.names[p.Name], n)
	}
	if r.Modules == nil {
		return ix
	}
	for name, m := range r.Modules.Modules {
		if m.Defaults != nil && m.Defaults.Stream != "" {
			ix.defaultStream[name] = m.Defaults.Stream
		}
		for _, s := range m.Streams {
			ns := s.Name + ":" + s.Stream
			byName := ix.artifacts[ns]
			if byName == nil {
				byName = map[string][]nevra{}
				ix.artifacts[ns] = byName
			}
			for _, a := range s.Artifacts.RPMs {
				n, ok := parseArtifact(a)
				if !ok || n.arch == "src" || n.arch == "nosrc" {
					continue
				}
				if !slices.Contains(ix.streamOf[n], ns) {
					ix.streamOf[n] = append(ix.streamOf[n], ns)
				}
				if n.arch == r.Arch || n.arch == "noarch" {
					byName[n.name] = append(byName[n.name], n)
				}
			}
		}
	}
	return ix
}

func (ix *repoIndex) moduleReason(ns, pkg string) string {
	if !ix.hasModules {
		return fmt.Sprintf("the repository has no modules.yaml, so module stream %s is not in it", ns)
	}
	byName, ok := ix.artifacts[ns]
	if !ok {
		return fmt.Sprintf("module stream %s is not in the repository's modules.yaml", ns)
	}
	arts := byName[pkg]
	if len(arts) == 0 {
		return fmt.Sprintf("not an artifact of module stream %s for %s", ns, ix.arch)
	}
	for _, a := range arts {
		if ix.inRepo[a] {
			return ""
		}
	}
	return fmt.Sprintf("artifact %s-%s:%s-%s.%s of module stream %s is not in the repository", arts[0].name, arts[0].epoch, arts[0].version, arts[0].release, arts[0].arch, ns)
}

func (ix *repoIndex) plainReason(pkg string) string {
	pkgs := ix.names[pkg]
	if len(pkgs) == 0 {
		return "no package of that name in the repository"
	}
	hidden := map[string]bool{}
	for _, p := range pkgs {
		streams := ix.streamOf[p]
		if len(streams) == 0 {
			return ""
		}
		for _, ns := range streams {
			name, stream, _ := strings.Cut(ns, ":")
			if ix.defaultStream[name] == stream {
				return ""
			}
			hidden[ns] = true
		}
	}
	return fmt.Sprintf("only built by module streams that are not default streams (%s)", strings.Join(slices.Sorted(maps.Keys(hidden)), ", "))
}

// Packages returns the names of every package c's groups name, sorted and
// without duplicates.
func Packages(c *comps.Comps) []string {
	m := map[string]bool{}
	for _, g := range c.Groups {
		for _, p := range g.Packages {
			m[p.Name] = true
		}
	}
	return slices.Sorted(maps.Keys(m))
}
