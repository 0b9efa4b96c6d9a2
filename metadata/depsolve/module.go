package depsolve

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/distmeta/distmeta/metadata/repodata"
)

// ModuleStream is what the module layer needs of a module stream build
// (the generator fills it from modulemd.Stream).
type ModuleStream struct {
	Name, Stream, Version, Context string
	// Deps holds one entry per data.dependencies item.
	Deps []ModuleDeps
	// Components are the rpm components' package names.
	Components []string
	// Artifacts are the binary rpms, as N-E:V-R.A strings.
	Artifacts []string
}

// ModuleDeps is one dependencies entry: module name to stream list (empty
// means every stream, "-s" excludes s).
type ModuleDeps struct {
	BuildRequires map[string][]string
	Requires      map[string][]string
}

// NSVC prints name:stream:version:context.
func (m *ModuleStream) NSVC() string {
	return m.Name + ":" + m.Stream + ":" + m.Version + ":" + m.Context
}

// ExpandStreamList applies MBS's rules to one name: [streams] entry: a
// list with at least one plain stream means exactly its plain streams
// ("-" entries are then ignored); an empty or all-"-" list means every
// available stream minus the excluded ones. A default stream, when given,
// replaces a choice between several streams.
func ExpandStreamList(streams, available []string, def string) []string {
	blacklist := true
	for _, s := range streams {
		if !strings.HasPrefix(s, "-") {
			blacklist = false
		}
	}
	var out []string
	if blacklist {
		excl := map[string]bool{}
		for _, s := range streams {
			excl[s[1:]] = true
		}
		if def != "" {
			if !excl[def] {
				out = []string{def}
			}
		} else {
			for _, s := range available {
				if !excl[s] {
					out = append(out, s)
				}
			}
		}
	} else {
		for _, s := range streams {
			if !strings.HasPrefix(s, "-") {
				out = append(out, s)
			}
		}
	}
	if len(out) > 1 && def != "" {
		out = []string{def}
	}
	sort.Strings(out)
	return dedupe(out)
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// Expansion is one buildable variant of a module stream: the stream of
// every build requirement, and the runtime requirements as MBS rewrites
// them (a module required with the same stream list at build and run
// time is required at run time in the stream built against).
type Expansion struct {
	DepIndex      int                 `json:"dep_index"`
	BuildRequires map[string]string   `json:"buildrequires"`
	Requires      map[string][]string `json:"requires"`
}

// Expand returns the variants a module stream builds as (MBS's
// generate_expanded_mmds without the transitive module solver):
// one per combination of expanded buildrequire streams, for each
// dependencies entry. available lists the known streams of each module;
// defaults optionally fixes a module's stream.
func Expand(m *ModuleStream, available map[string][]string, defaults map[string]string) ([]Expansion, error) {
	var out []Expansion
	for di, d := range m.Deps {
		names := sortedKeys(d.BuildRequires)
		choices := make([][]string, len(names))
		for i, n := range names {
			choices[i] = ExpandStreamList(d.BuildRequires[n], available[n], defaults[n])
			if len(choices[i]) == 0 {
				return nil, fmt.Errorf("module %s: dependencies[%d]: no stream of %s matches %v", m.NSVC(), di, n, d.BuildRequires[n])
			}
		}
		combo := make([]int, len(names))
		for {
			e := Expansion{DepIndex: di, BuildRequires: map[string]string{}, Requires: map[string][]string{}}
			for i, n := range names {
				e.BuildRequires[n] = choices[i][combo[i]]
			}
			for _, n := range sortedKeys(d.Requires) {
				rs := d.Requires[n]
				if br, ok := d.BuildRequires[n]; ok && sameSet(br, rs) {
					e.Requires[n] = []string{e.BuildRequires[n]}
				} else {
					e.Requires[n] = append([]string{}, rs...)
				}
			}
			out = append(out, e)
			k := len(combo) - 1
			for k >= 0 {
				combo[k]++
				if combo[k] < len(choices[k]) {
					break
				}
				combo[k] = 0
				k--
			}
			if k < 0 {
				break
			}
		}
	}
	return out, nil
}

func sameSet(a, b []string) bool {
	x := append([]string(nil), a...)
	y := append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	x, y = dedupe(x), dedupe(y)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Latest returns, for each name:stream, the build with the highest
// version (then the first context in byte order).
func Latest(mods []*ModuleStream) map[string]*ModuleStream {
	out := map[string]*ModuleStream{}
	for _, m := range mods {
		k := m.Name + ":" + m.Stream
		cur, ok := out[k]
		if !ok || newer(m, cur) {
			out[k] = m
		}
	}
	return out
}

func newer(a, b *ModuleStream) bool {
	va, _ := strconv.ParseUint(a.Version, 10, 64)
	vb, _ := strconv.ParseUint(b.Version, 10, 64)
	if va != vb {
		return va > vb
	}
	return a.Context < b.Context
}

// BuildRoot resolves a module build's buildroot to concrete packages: the
// chosen (latest) build of each build-required module:stream contributes
// its artifacts, the platform repository everything that is not a module
// artifact (modular filtering), and group (the buildroot's package list,
// e.g. the "build" group) is solved over that set. It returns the module
// builds used and the packages, as NEVRAs sorted.
func BuildRoot(platform, modular []*repodata.Package, mods []*ModuleStream, e Expansion, group []string, opts Options) ([]string, []string, error) {
	latest := Latest(mods)
	inModule := map[string]bool{}
	for _, m := range mods {
		for _, a := range m.Artifacts {
			inModule[normNEVRA(a)] = true
		}
	}
	chosen := map[string]bool{}
	var used []string
	for _, n := range sortedKeys(e.BuildRequires) {
		m, ok := latest[n+":"+e.BuildRequires[n]]
		if !ok {
			if n == "platform" {
				continue // the platform is the base repository itself
			}
			return nil, nil, fmt.Errorf("buildroot: no build of module %s:%s", n, e.BuildRequires[n])
		}
		used = append(used, m.NSVC())
		for _, a := range m.Artifacts {
			chosen[normNEVRA(a)] = true
		}
	}
	var pkgs []*repodata.Package
	for _, pk := range platform {
		if !inModule[NEVRA(pk)] {
			pkgs = append(pkgs, pk)
		}
	}
	for _, pk := range modular {
		if chosen[NEVRA(pk)] {
			pkgs = append(pkgs, pk)
		}
	}
	pool := NewPool(pkgs, opts)
	ids, err := pool.InstallDeps(group)
	if err != nil {
		return used, nil, err
	}
	names := pool.NEVRAs(ids)
	sort.Strings(names)
	return used, names, nil
}

// normNEVRA puts an epoch into an N-E:V-R.A or N-V-R.A string.
func normNEVRA(s string) string {
	if strings.Contains(s, ":") {
		return s
	}
	r := strings.LastIndexByte(s, '-')
	if r <= 0 {
		return s
	}
	v := strings.LastIndexByte(s[:r], '-')
	if v <= 0 {
		return s
	}
	return s[:v+1] + "0:" + s[v+1:]
}

// ModuleIndex answers component and dependency questions over module
// builds.
type ModuleIndex struct {
	byComponent map[string][]string
	rdeps       map[string][]string
}

// NewModuleIndex indexes modules by component and by the module streams
// they require (at build or run time).
func NewModuleIndex(mods []*ModuleStream, available map[string][]string) *ModuleIndex {
	ix := &ModuleIndex{byComponent: map[string][]string{}, rdeps: map[string][]string{}}
	for _, m := range mods {
		for _, c := range m.Components {
			ix.byComponent[c] = append(ix.byComponent[c], m.NSVC())
		}
		seen := map[string]bool{}
		for _, d := range m.Deps {
			for _, deps := range []map[string][]string{d.BuildRequires, d.Requires} {
				for n, streams := range deps {
					for _, s := range ExpandStreamList(streams, available[n], "") {
						k := n + ":" + s
						if !seen[k] {
							seen[k] = true
							ix.rdeps[k] = append(ix.rdeps[k], m.NSVC())
						}
					}
				}
			}
		}
	}
	for _, l := range ix.byComponent {
		sort.Strings(l)
	}
	for _, l := range ix.rdeps {
		sort.Strings(l)
	}
	return ix
}

// ModulesContaining returns the module builds (NSVC) with component c.
func (ix *ModuleIndex) ModulesContaining(c string) []string { return ix.byComponent[c] }

// Dependents returns the module builds that require name:stream at build
// or run time.
func (ix *ModuleIndex) Dependents(nameStream string) []string { return ix.rdeps[nameStream] }

// Components returns a module build's rpm components, sorted.
func (m *ModuleStream) ComponentsSorted() []string {
	out := append([]string(nil), m.Components...)
	sort.Strings(out)
	return out
}
