package depsolve

import "fmt"

// Step is one link of a why-chain: From requires Dep, which To provides.
type Step struct {
	From PkgID  `json:"from"`
	Dep  string `json:"dep"`
	To   PkgID  `json:"to"`
}

// Why explains why installing a pulls in b: the shortest chain of
// requirement → provider steps inside a's install closure. It returns
// nil when b is not in the closure.
func (p *Pool) Why(a, b PkgID) ([]Step, error) {
	closure, err := p.Closure(a)
	if err != nil {
		return nil, err
	}
	in := make(map[PkgID]bool, len(closure))
	for _, x := range closure {
		in[x] = true
	}
	if !in[b] {
		return nil, nil
	}
	prev := map[PkgID]Step{a: {From: None}}
	queue := []PkgID{a}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if x == b {
			break
		}
		for _, d := range p.requires[x] {
			for _, y := range p.depProviders(d) {
				if !in[y] {
					continue
				}
				if _, seen := prev[y]; seen {
					continue
				}
				prev[y] = Step{From: x, Dep: p.depString(d), To: y}
				queue = append(queue, y)
			}
		}
	}
	if _, ok := prev[b]; !ok || a == b {
		return nil, nil
	}
	var chain []Step
	for x := b; x != a; x = prev[x].From {
		chain = append([]Step{prev[x]}, chain...)
	}
	return chain, nil
}

// Broken is an unresolvable requirement of a package with its root
// cause: the deepest capability nothing provides, reached through
// requirements whose providers are all broken themselves.
type Broken struct {
	Pkg PkgID  `json:"pkg"`
	Dep string `json:"dep"`
	// Chain leads from Pkg down to the package whose requirement RootDep
	// nothing provides (empty when Dep itself is missing).
	Chain   []Step `json:"chain,omitempty"`
	RootPkg PkgID  `json:"root_pkg"`
	RootDep string `json:"root_dep"`
}

func (b Broken) String(p *Pool) string {
	s := fmt.Sprintf("%s requires %s", p.NEVRA(b.Pkg), b.Dep)
	if len(b.Chain) > 0 || b.RootDep != b.Dep {
		s += fmt.Sprintf(": root cause %s requires %s, which nothing provides", p.NEVRA(b.RootPkg), b.RootDep)
	} else {
		s += ", which nothing provides"
	}
	return s
}

// BrokenDeps lists, for every installable package, the requirements that
// cannot be met: nothing provides them, or every provider is itself
// uninstallable for that reason (computed to a fixed point). Each entry
// names the deepest missing capability behind it.
func (p *Pool) BrokenDeps() []Broken {
	n := len(p.pkgs)
	bad := make([]bool, n)
	// via[i] is the index of the first failing requirement of package i.
	via := make([]int, n)
	provs := make([][][]PkgID, n)
	for i := 0; i < n; i++ {
		if !p.Installable(PkgID(i)) {
			continue
		}
		provs[i] = make([][]PkgID, len(p.requires[i]))
		for k, d := range p.requires[i] {
			provs[i][k] = p.depProviders(d)
		}
	}
	for changed := true; changed; {
		changed = false
		for i := 0; i < n; i++ {
			if bad[i] || !p.Installable(PkgID(i)) {
				continue
			}
			for k, d := range p.requires[i] {
				if d.rich != nil {
					continue // a rich requirement can hold with nothing installed
				}
				ok := false
				for _, x := range provs[i][k] {
					if !bad[x] {
						ok = true
						break
					}
				}
				if !ok {
					bad[i], via[i], changed = true, k, true
					break
				}
			}
		}
	}
	var out []Broken
	for i := 0; i < n; i++ {
		if !bad[i] {
			continue
		}
		for k, d := range p.requires[i] {
			if d.rich != nil {
				continue
			}
			ok := false
			for _, x := range provs[i][k] {
				if !bad[x] {
					ok = true
				}
			}
			if ok {
				continue
			}
			b := Broken{Pkg: PkgID(i), Dep: p.depString(d), RootPkg: PkgID(i), RootDep: p.depString(d)}
			// Descend through broken providers to a missing capability.
			cur, ck := PkgID(i), k
			seen := map[PkgID]bool{cur: true}
			for len(provs[cur][ck]) > 0 {
				next := provs[cur][ck][0]
				if seen[next] {
					break
				}
				seen[next] = true
				b.Chain = append(b.Chain, Step{From: cur, Dep: p.depString(p.requires[cur][ck]), To: next})
				cur, ck = next, via[next]
			}
			b.RootPkg, b.RootDep = cur, p.depString(p.requires[cur][ck])
			out = append(out, b)
		}
	}
	return out
}
