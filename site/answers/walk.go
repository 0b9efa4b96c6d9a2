package answers

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Sources of a Position.
const (
	Observed = "observed"
	Derived  = "derived"
)

// Position is where a branch pointed at a time.
type Position struct {
	Hash   string    `json:"hash"` // "" when the branch did not exist
	Source string    `json:"source"`
	Since  time.Time `json:"since,omitzero"` // when it got there (commit time or observation)
}

// At answers "which commit was the branch at t": from the first observation
// on, the last observed move at or before t; before it, the newest commit of
// the first-parent chain whose committer time is not after t (what `git
// rev-list --first-parent -1 --before=t` gives).
func (h *History) At(t time.Time) Position {
	if !h.FirstObserved.IsZero() && !t.Before(h.FirstObserved) {
		p := Position{Source: Observed}
		for _, m := range h.Observed {
			if m.Time.After(t) {
				break
			}
			p.Hash, p.Since = m.New, m.Time
		}
		return p
	}
	for _, c := range h.Commits {
		if !c.Time.After(t) {
			return Position{Hash: c.Hash, Source: Derived, Since: c.Time}
		}
	}
	return Position{Source: Derived}
}

// Lookup returns the pkg answer of a binary package name; found is false
// when there is none.
type Lookup func(name string) (pkg *Package, found bool, err error)

// ErrNoPackage is returned by Closure and Why for a package without answer.
var ErrNoPackage = errors.New("no such package")

func findBuild(p *Package, nevra string) *PackageBuild {
	for i := range p.Builds {
		if p.Builds[i].NEVRA == nevra {
			return &p.Builds[i]
		}
	}
	return nil
}

// walk follows the chosen provider of every requirement from the best
// build of name, breadth first, calling visit for each step.
func walk(lookup Lookup, name string, visit func(from *PackageBuild, r Requirement, to string)) (map[string]*PackageBuild, error) {
	p, ok, err := lookup(name)
	if err != nil {
		return nil, err
	}
	if !ok || len(p.Builds) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoPackage)
	}
	start := &p.Builds[0]
	seen := map[string]*PackageBuild{start.NEVRA: start}
	queue := []*PackageBuild{start}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		for _, r := range b.Requires {
			if r.Chosen == "" {
				continue
			}
			if _, ok := seen[r.Chosen]; ok {
				continue
			}
			pname := ""
			for _, pr := range r.Providers {
				if pr.NEVRA == r.Chosen {
					pname = pr.Name
				}
			}
			if pname == "" {
				return nil, fmt.Errorf("%s: requirement %q: chosen provider %s is not among its providers", b.NEVRA, r.Dep, r.Chosen)
			}
			pp, ok, err := lookup(pname)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("%s: provider %s: %w", b.NEVRA, pname, ErrNoPackage)
			}
			nb := findBuild(pp, r.Chosen)
			if nb == nil {
				return nil, fmt.Errorf("%s: provider %s: no build %s", b.NEVRA, pname, r.Chosen)
			}
			seen[r.Chosen] = nb
			if visit != nil {
				visit(b, r, r.Chosen)
			}
			queue = append(queue, nb)
		}
	}
	return seen, nil
}

// Closure returns the NEVRAs (sorted) that installing name pulls in when
// every requirement is met by its chosen provider, name's best build
// included. It reads one pkg answer per package reached.
func Closure(lookup Lookup, name string) ([]string, error) {
	seen, err := walk(lookup, name, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// Why returns the shortest chain of requirement -> chosen provider steps
// from a's best build to a build of package b, or nil when b is not in a's
// closure.
func Why(lookup Lookup, a, b string) ([]Step, error) {
	parent := map[string]Step{}
	var target string
	_, err := walk(lookup, a, func(from *PackageBuild, r Requirement, to string) {
		parent[to] = Step{From: from.NEVRA, Dep: r.Dep, To: to}
		if target == "" && NEVRAName(to) == b {
			target = to
		}
	})
	if err != nil {
		return nil, err
	}
	if target == "" {
		return nil, nil
	}
	var chain []Step
	for cur := target; ; {
		s, ok := parent[cur]
		if !ok {
			break
		}
		chain = append(chain, s)
		cur = s.From
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, nil
}

// NEVRAName returns the name of name-epoch:version-release.arch (or of
// name-version-release).
func NEVRAName(nevra string) string {
	n := 0
	for i := len(nevra) - 1; i >= 0; i-- {
		if nevra[i] == '-' {
			n++
			if n == 2 {
				return nevra[:i]
			}
		}
	}
	return nevra
}
