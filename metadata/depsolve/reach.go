package depsolve

import (
	"strings"

	"github.com/distmeta/distmeta/metadata/repodata"
)

// ReachOptions tune Reachable.
type ReachOptions struct {
	// RootsByProvide also takes, for each root, the packages that provide
	// it (not only those named so).
	RootsByProvide bool
	// RichNames splits a rich dependency ("(a or b)") into the capability
	// names it may pull in; nil takes the atoms of the parsed expression.
	RichNames func(dep string) []string
}

// Reachable returns the packages of pkgs reachable from roots through
// requirements, taking every provider of every capability a requirement
// names (a superset of what a solver picks), in the order of pkgs.
func Reachable(pkgs []*repodata.Package, roots []string, opts ReachOptions) []*repodata.Package {
	byName := map[string][]int{}
	provides := map[string][]int{}
	for i, p := range pkgs {
		byName[p.Name] = append(byName[p.Name], i)
		for _, d := range p.Provides {
			provides[d.Name] = append(provides[d.Name], i)
		}
		for _, f := range p.Files {
			provides[f.Path] = append(provides[f.Path], i)
		}
	}
	seen := make([]bool, len(pkgs))
	var queue []int
	push := func(i int) {
		if !seen[i] {
			seen[i] = true
			queue = append(queue, i)
		}
	}
	for _, r := range roots {
		for _, i := range byName[r] {
			push(i)
		}
		if opts.RootsByProvide {
			for _, i := range provides[r] {
				push(i)
			}
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, d := range pkgs[i].Requires {
			names := []string{d.Name}
			if strings.HasPrefix(d.Name, "(") {
				names = richAtoms(d.Name, opts.RichNames)
			}
			for _, n := range names {
				for _, j := range provides[n] {
					push(j)
				}
			}
		}
	}
	var out []*repodata.Package
	for i, p := range pkgs {
		if seen[i] {
			out = append(out, p)
		}
	}
	return out
}

// richAtoms returns the capability names of a rich dependency: split, or
// the atoms of its parse (none when it does not parse).
func richAtoms(dep string, split func(string) []string) []string {
	if split != nil {
		return split(dep)
	}
	var names []string
	if e, err := ParseDep(dep); err == nil {
		e.Atoms(func(a *Expr) { names = append(names, a.Name) })
	}
	return names
}
