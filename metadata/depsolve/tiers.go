package depsolve

import (
	"sort"

	"github.com/distmeta/distmeta/metadata/rebuild"
)

// Strategy and Plan are the rebuild package's; see metadata/rebuild.
type (
	Strategy = rebuild.Strategy
	Plan     = rebuild.Plan
)

// The rebuild strategies.
const (
	Dependents      = rebuild.Dependents
	All             = rebuild.All
	ChangedAndAfter = rebuild.ChangedAndAfter
	OnlyChanged     = rebuild.OnlyChanged
)

// RebuildTiers plans the rebuild of changed source components; see
// rebuild.Tiers.
func RebuildTiers(needs map[string][]string, changed []string, strategy Strategy) (*Plan, error) {
	return rebuild.Tiers(needs, changed, strategy)
}

// BuildGraph maps every source package's name to the source components
// whose binaries it build-requires: for each requirement of the src.rpm,
// the component (from SourceRPM) of the provider a solver would choose.
func (p *Pool) BuildGraph() map[string][]string {
	g := map[string][]string{}
	for i, pk := range p.pkgs {
		if !pk.IsSource() {
			continue
		}
		set := map[string]bool{}
		for _, d := range p.requires[i] {
			prov := p.depProviders(d)
			if len(prov) == 0 {
				continue
			}
			c := p.Choose(prov)
			if src := SourceName(p.pkgs[c].SourceRPM); src != "" {
				set[src] = true
			}
		}
		deps := make([]string, 0, len(set))
		for s := range set {
			deps = append(deps, s)
		}
		sort.Strings(deps)
		g[pk.Name] = append(g[pk.Name], deps...)
	}
	return g
}

// SourceName returns the name of a source rpm file name
// ("bash-5.1.8-2.el9.src.rpm" gives "bash").
func SourceName(srpm string) string {
	s := srpm
	for _, suf := range []string{".rpm", ".src", ".nosrc"} {
		if len(s) > len(suf) && s[len(s)-len(suf):] == suf {
			s = s[:len(s)-len(suf)]
		}
	}
	for k := 0; k < 2; k++ {
		j := -1
		for x := len(s) - 1; x >= 0; x-- {
			if s[x] == '-' {
				j = x
				break
			}
		}
		if j <= 0 {
			return ""
		}
		s = s[:j]
	}
	return s
}
