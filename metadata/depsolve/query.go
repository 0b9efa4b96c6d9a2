package depsolve

import (
	"sort"
	"strings"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// matchDep is libsolv's pool_match_dep for a package's dependency d
// against a query q: "potential" matching, where a rich dependency
// matches when one of its operands could (for if/unless only the
// consequence and else branch count, for without only the left side, and
// a with of two bounds of one name must match on both).
func (p *Pool) matchDep(d dep, q *Expr) bool {
	if d.rich != nil {
		return matchExpr(d.rich, q)
	}
	return matchAtom(p.strs[d.name], d.rng, q)
}

func matchAtom(name string, rng rpmver.Range, q *Expr) bool {
	if q.Op != OpAtom {
		return matchExpr(q, &Expr{Op: OpAtom, Name: name, Range: rng})
	}
	return name == q.Name && rpmver.Overlaps(rng, q.Range)
}

func matchExpr(e *Expr, q *Expr) bool {
	switch e.Op {
	case OpAtom:
		if q.Op != OpAtom {
			return matchExpr(q, e)
		}
		return e.Name == q.Name && rpmver.Overlaps(e.Range, q.Range)
	case OpWith:
		if isInterval(e) {
			return matchExpr(e.Args[0], q) && matchExpr(e.Args[1], q)
		}
		for _, a := range e.Args {
			if matchExpr(a, q) {
				return true
			}
		}
		return false
	case OpAnd, OpOr:
		for _, a := range e.Args {
			if matchExpr(a, q) {
				return true
			}
		}
		return false
	case OpIf, OpUnless:
		if matchExpr(e.Args[0], q) {
			return true
		}
		return e.Else != nil && matchExpr(e.Else, q)
	case OpWithout:
		return matchExpr(e.Args[0], q)
	}
	return false
}

// isInterval reports whether a with node is "(N > a with N < b)": two
// versioned bounds of one name pointing in opposite directions.
func isInterval(e *Expr) bool {
	if len(e.Args) != 2 {
		return false
	}
	a, b := e.Args[0], e.Args[1]
	if a.Op != OpAtom || b.Op != OpAtom || a.Name != b.Name || a.Range.Any() || b.Range.Any() {
		return false
	}
	return (a.Range.Flags^b.Range.Flags)&(rpmver.LT|rpmver.GT) == rpmver.LT|rpmver.GT
}

// WhatRequires answers `dnf repoquery --whatrequires ARG`: the packages
// with a requirement that matches ARG as a capability (rich requirements
// match potentially, see matchDep), together with the packages with a
// requirement that a package named by ARG (name, name.arch, or a NEVRA
// form) provides, that package itself excepted. Like dnf, the requiring
// packages may be of any architecture, source packages included (their
// requires are BuildRequires); the named packages and their providers
// must be installable.
func (p *Pool) WhatRequires(arg string) ([]PkgID, error) {
	q, err := ParseDep(arg)
	if err != nil {
		return nil, err
	}
	var out []PkgID
	for i := range p.pkgs {
		for _, d := range p.requires[i] {
			if p.matchDep(d, q) {
				out = append(out, PkgID(i))
				break
			}
		}
	}
	for _, t := range p.resolveNEVRA(arg) {
		out = union(out, p.whatRequiresPkg(t, true))
	}
	return out, nil
}

// resolveNEVRA finds the packages an argument names, trying the forms dnf
// tries in order (NEVRA, NA, NAME, NEVR, NEV) and keeping the first that
// names any installable package.
func (p *Pool) resolveNEVRA(arg string) []PkgID {
	filter := func(ids []PkgID, ok func(id PkgID) bool) []PkgID {
		var out []PkgID
		for _, id := range ids {
			if p.score[id] != 0 && ok(id) {
				out = append(out, id)
			}
		}
		return out
	}
	evrEq := func(id PkgID, e, v, r string) bool {
		pe := p.pkgs[id].EVR
		if e != "" && strings.TrimLeft(e, "0") != strings.TrimLeft(pe.Epoch, "0") {
			return false
		}
		return pe.Version == v && (r == "" || pe.Release == r)
	}
	splitEV := func(s string) (string, string) {
		if k := strings.IndexByte(s, ':'); k >= 0 {
			return s[:k], s[k+1:]
		}
		return "", s
	}
	// NEVRA: name-[e:]v-r.arch
	if dot := strings.LastIndexByte(arg, '.'); dot > 0 {
		head, arch := arg[:dot], arg[dot+1:]
		if r := strings.LastIndexByte(head, '-'); r > 0 {
			if v := strings.LastIndexByte(head[:r], '-'); v > 0 {
				e, ver := splitEV(head[v+1 : r])
				if res := filter(p.byName[head[:v]], func(id PkgID) bool {
					return p.pkgs[id].Arch == arch && evrEq(id, e, ver, head[r+1:])
				}); len(res) > 0 {
					return res
				}
			}
		}
		if p.arches[arch] {
			if res := filter(p.byName[head], func(id PkgID) bool { return p.pkgs[id].Arch == arch }); len(res) > 0 {
				return res
			}
		}
	}
	if res := filter(p.byName[arg], func(PkgID) bool { return true }); len(res) > 0 {
		return res
	}
	if r := strings.LastIndexByte(arg, '-'); r > 0 {
		if v := strings.LastIndexByte(arg[:r], '-'); v > 0 {
			e, ver := splitEV(arg[v+1 : r])
			if res := filter(p.byName[arg[:v]], func(id PkgID) bool { return evrEq(id, e, ver, arg[r+1:]) }); len(res) > 0 {
				return res
			}
		}
		e, ver := splitEV(arg[r+1:])
		if res := filter(p.byName[arg[:r]], func(id PkgID) bool { return evrEq(id, e, ver, "") }); len(res) > 0 {
			return res
		}
	}
	return nil
}

// WhatRequiresPackage returns the installable packages (other than t)
// with a requirement that t is among the providers of: libsolv's
// whatmatchessolvable over requires.
func (p *Pool) WhatRequiresPackage(t PkgID) []PkgID { return p.whatRequiresPkg(t, false) }

// whatRequiresPkg is WhatRequiresPackage; with anyArch the requiring
// packages may be of any architecture (dnf's query does not filter them).
func (p *Pool) whatRequiresPkg(t PkgID, anyArch bool) []PkgID {
	var out []PkgID
	for i := range p.pkgs {
		if PkgID(i) == t || (p.score[i] == 0 && !anyArch) {
			continue
		}
		for _, d := range p.requires[i] {
			if contains(p.depProviders(d), t) {
				out = append(out, PkgID(i))
				break
			}
		}
	}
	return out
}

// ReverseIndex maps every package to the installable packages with a
// requirement it provides (self-matches left out).
type ReverseIndex struct {
	off  []int32
	data []PkgID
}

// Dependents returns the packages that require something t provides.
func (r *ReverseIndex) Dependents(t PkgID) []PkgID { return r.data[r.off[t]:r.off[t+1]] }

// Edges returns the number of (provider, dependent) pairs.
func (r *ReverseIndex) Edges() int { return len(r.data) }

// Providers is, for every package, each requirement with its providers.
type Providers struct {
	// Reqs[pkg] lists the requirements of pkg in order.
	Reqs [][]Requirement
}

// Requirement is one requirement of a package, resolved.
type Requirement struct {
	Dep       string  `json:"dep"`
	Providers []PkgID `json:"providers"`
	// Chosen is the provider a solver picks when nothing else is
	// installed (None when there is no provider); see Choose.
	Chosen PkgID `json:"chosen"`
}

// Requires resolves every requirement of a package to its providers and
// marks the one a solver would choose.
func (p *Pool) Requires(id PkgID) []Requirement {
	out := make([]Requirement, 0, len(p.requires[id]))
	for _, d := range p.requires[id] {
		prov := p.depProviders(d)
		r := Requirement{Dep: p.depString(d), Providers: prov, Chosen: None}
		if len(prov) > 0 {
			r.Chosen = p.Choose(prov)
		}
		out = append(out, r)
	}
	return out
}

// AllProviders resolves every requirement of every package, and builds
// the full reverse index from the same pass. Providers of a capability
// are computed once per distinct dependency.
func (p *Pool) AllProviders() (*Providers, *ReverseIndex) {
	type key struct {
		name int32
		rng  rpmver.Range
	}
	cache := make(map[key][]PkgID)
	choice := make(map[key]PkgID)
	all := &Providers{Reqs: make([][]Requirement, len(p.pkgs))}
	count := make([]int32, len(p.pkgs)+1)
	var pairs []PkgID // dependent, provider pairs flattened
	for i := range p.pkgs {
		reqs := make([]Requirement, 0, len(p.requires[i]))
		var seen []PkgID
		for _, d := range p.requires[i] {
			var prov []PkgID
			chosen := None
			if d.rich != nil {
				prov = p.whatProvidesExpr(d.rich)
				if len(prov) > 0 {
					chosen = p.Choose(prov)
				}
			} else {
				k := key{d.name, d.rng}
				var ok bool
				if prov, ok = cache[k]; !ok {
					prov = p.providersOfAtom(d.name, d.rng)
					cache[k] = prov
					if len(prov) > 0 {
						choice[k] = p.Choose(prov)
					}
				}
				if c, ok := choice[k]; ok {
					chosen = c
				}
			}
			reqs = append(reqs, Requirement{Dep: p.depString(d), Providers: prov, Chosen: chosen})
			if p.score[i] != 0 {
				seen = append(seen, prov...)
			}
		}
		all.Reqs[i] = reqs
		sort.Slice(seen, func(a, b int) bool { return seen[a] < seen[b] })
		last := None
		for _, t := range seen {
			if t == last || t == PkgID(i) {
				continue
			}
			last = t
			count[t+1]++
			pairs = append(pairs, PkgID(i), t)
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	rev := &ReverseIndex{off: count, data: make([]PkgID, len(pairs)/2)}
	fill := make([]int32, len(p.pkgs))
	for k := 0; k < len(pairs); k += 2 {
		dpt, t := pairs[k], pairs[k+1]
		rev.data[count[t]+fill[t]] = dpt
		fill[t]++
	}
	return all, rev
}

// Choose returns the provider a solver picks among candidates when none
// is installed yet, by libsolv's policy (policy_filter_unwanted), which
// dnf uses:
//  1. best architecture: keep noarch and the best architecture class
//     present (x86_64 over i686 on x86_64);
//  2. best version: one package per name, the highest epoch:version-release;
//  3. not obsoleted: drop packages another candidate (of another name)
//     obsoletes;
//  4. the first remaining name in byte order (strcmp), then the lowest id.
func (p *Pool) Choose(cands []PkgID) PkgID {
	l := p.filterUnwanted(append([]PkgID(nil), cands...), nil)
	if len(l) == 0 {
		return None
	}
	return l[0]
}

// filterUnwanted is policy_filter_unwanted without repository priorities
// (one priority for all). When st is not nil, recommended and
// supplementing candidates are preferred as well (prune_to_recommended).
func (p *Pool) filterUnwanted(l []PkgID, st *solveState) []PkgID {
	if len(l) > 1 {
		l = p.pruneToBestArch(l)
	}
	if len(l) > 1 {
		l = p.pruneToBestVersion(l)
	}
	if len(l) > 1 && st != nil {
		l = st.pruneToRecommended(l)
	}
	return l
}

func (p *Pool) pruneToBestArch(l []PkgID) []PkgID {
	if !p.hasPolicy {
		return l
	}
	var best uint32
	for _, id := range l {
		if a := p.score[id]; a > 1 && (best == 0 || a < best) {
			best = a
		}
	}
	if best == 0 {
		return l
	}
	out := l[:0:0]
	for _, id := range l {
		a := p.score[id]
		if a == 1 || (a^best)&0xffff0000 == 0 {
			out = append(out, id)
		}
	}
	return out
}

func (p *Pool) pruneToBestVersion(l []PkgID) []PkgID {
	s := append([]PkgID(nil), l...)
	sort.SliceStable(s, func(a, b int) bool {
		pa, pb := p.pkgs[s[a]], p.pkgs[s[b]]
		if pa.Name != pb.Name {
			return pa.Name < pb.Name
		}
		if pa.Arch != pb.Arch {
			sa, sb := p.score[s[a]], p.score[s[b]]
			if sa != sb && sa > 1 && sb > 1 {
				return sa < sb
			}
		}
		return s[a] < s[b]
	})
	out := s[:0]
	best := None
	for _, id := range s {
		if best == None {
			best = id
			continue
		}
		if p.pkgs[best].Name != p.pkgs[id].Name {
			out = append(out, best)
			best = id
			continue
		}
		if rpmver.CompareEVR(p.pkgs[best].EVR, p.pkgs[id].EVR) < 0 {
			best = id
		}
	}
	out = append(out, best)
	if len(out) > 1 {
		out = p.pruneObsoleted(out)
	}
	return out
}

// obsoletesPkg reports whether a obsoletes b (by name and version, not
// through provides, as libsolv does without obsoleteusesprovides).
func (p *Pool) obsoletesPkg(a, b PkgID) bool {
	pb := p.pkgs[b]
	if p.pkgs[a].Name == pb.Name {
		return false
	}
	for _, d := range p.obsoletes[a] {
		if d.rich != nil || p.strs[d.name] != pb.Name {
			continue
		}
		if d.rng.Any() || d.rng.Contains(pb.EVR) {
			return true
		}
	}
	return false
}

// pruneObsoleted drops candidates obsoleted by another candidate; when
// candidates obsolete each other in a cycle, the cycle that contains the
// first one is kept (libsolv's prune_obsoleted).
func (p *Pool) pruneObsoleted(l []PkgID) []PkgID {
	out := l[:0:0]
	for _, b := range l {
		obs := false
		for _, a := range l {
			if a != b && p.obsoletesPkg(a, b) && !p.obsoletesPkg(b, a) {
				obs = true
				break
			}
		}
		if !obs {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return l[:1]
	}
	return out
}
