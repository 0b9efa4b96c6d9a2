package depsolve

import (
	"errors"
	"fmt"
	"sort"
)

// lit is a literal the way libsolv numbers them: package id+2 means
// "installed", its negation "not installed". The numbering keeps libsolv's
// rule order (solvable 1 is libsolv's system solvable).
type lit int32

func pos(id PkgID) lit { return lit(id + 2) }
func neg(id PkgID) lit { return -lit(id + 2) }
func (l lit) pkg() PkgID {
	if l < 0 {
		return PkgID(-l - 2)
	}
	return PkgID(l - 2)
}

type rule struct {
	lits []lit // lits[0] is the head (-n for package rules)
	job  bool
}

type branch struct {
	level int32
	alts  []PkgID // alts[0] was taken first
	tried []bool
}

// solveState is one run of the solver: libsolv's algorithm (rules from
// the packages reachable through requires, unit propagation, deciding
// open requirements in rule order with the policy of Choose, postponing
// requirements with several acceptable candidates, then minimisation).
type solveState struct {
	p        *Pool
	dec      []int32 // >0 installed at that level, <0 not installed at -level, 0 undecided
	trail    []lit
	level    int32
	rules    []rule
	occ      map[PkgID][]int32
	added    []bool
	branches []branch
	jobs     []int32
	steps    int
}

// ErrUnsolvable is returned (wrapped in a *Problem) when no install set
// satisfies a job.
var ErrUnsolvable = errors.New("unsolvable")

// Problem explains an unsolvable job.
type Problem struct {
	Job    string
	Reason string
}

func (e *Problem) Error() string { return fmt.Sprintf("%s: %s: %s", e.Job, ErrUnsolvable, e.Reason) }
func (e *Problem) Unwrap() error { return ErrUnsolvable }

// maxSteps bounds the search on hostile inputs.
const maxSteps = 1 << 20

// Closure returns the packages a solver installs for "install t" on an
// empty system with weak dependencies ignored: what libsolv's transaction
// would add, t included, in pool order.
func (p *Pool) Closure(t PkgID) ([]PkgID, error) {
	if !p.Installable(t) {
		return nil, &Problem{Job: p.NEVRA(t), Reason: "package is not installable on this architecture"}
	}
	return p.solve(p.NEVRA(t), [][]PkgID{{t}})
}

// InstallDeps solves jobs "install one provider of each dependency" on an
// empty system, the way a build root is populated from BuildRequires.
func (p *Pool) InstallDeps(deps []string) ([]PkgID, error) {
	var jobs [][]PkgID
	for _, d := range deps {
		prov, err := p.WhatProvides(d)
		if err != nil {
			return nil, err
		}
		if len(prov) == 0 {
			return nil, &Problem{Job: d, Reason: "nothing provides " + d}
		}
		jobs = append(jobs, prov)
	}
	return p.solve("build requires", jobs)
}

// BuildClosure returns the packages a build root for source package src
// holds: its requires (BuildRequires) solved like InstallDeps.
func (p *Pool) BuildClosure(src PkgID) ([]PkgID, error) {
	var deps []string
	for _, d := range p.requires[src] {
		deps = append(deps, p.depString(d))
	}
	out, err := p.InstallDeps(deps)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.NEVRA(src), err)
	}
	return out, nil
}

func (p *Pool) solve(name string, jobs [][]PkgID) ([]PkgID, error) {
	st := &solveState{p: p, dec: make([]int32, len(p.pkgs)), added: make([]bool, len(p.pkgs)), occ: map[PkgID][]int32{}}
	var queue []PkgID
	for _, j := range jobs {
		queue = append(queue, j...)
	}
	st.addRules(queue)
	sort.SliceStable(st.rules, func(a, b int) bool { return cmpRule(st.rules[a].lits, st.rules[b].lits) < 0 })
	for _, j := range jobs {
		r := rule{job: true}
		for _, id := range j {
			r.lits = append(r.lits, pos(id))
		}
		st.jobs = append(st.jobs, int32(len(st.rules)))
		st.rules = append(st.rules, r)
	}
	for i, r := range st.rules {
		for _, l := range r.lits {
			st.occ[l.pkg()] = append(st.occ[l.pkg()], int32(i))
		}
	}
	if err := st.run(); err != nil {
		return nil, &Problem{Job: name, Reason: err.Error()}
	}
	var out []PkgID
	for i, d := range st.dec {
		if d > 0 {
			out = append(out, PkgID(i))
		}
	}
	return out, nil
}

// cmpRule is libsolv's unifyrules_sortcmp on literal lists.
func cmpRule(a, b []lit) int {
	for i := 0; ; i++ {
		var x, y lit
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if i >= len(b) {
			return int(x)
		}
		if x != y {
			return int(x - y)
		}
	}
}

// addRules creates the package rules of every package reachable from
// queue through requires (libsolv's solver_addpkgrulesforsolvable).
func (st *solveState) addRules(queue []PkgID) {
	p := st.p
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if st.added[n] || !p.Installable(n) {
			continue
		}
		st.added[n] = true
		for _, d := range p.requires[n] {
			var clauses [][]lit
			if d.rich != nil {
				clauses = st.cnf(d.rich, 0)
			} else {
				var c []lit
				for _, x := range p.providersOfAtom(d.name, d.rng) {
					c = append(c, pos(x))
				}
				clauses = [][]lit{c}
			}
		clause:
			for _, c := range clauses {
				for _, l := range c {
					if l == pos(n) {
						continue clause // self-fulfilling
					}
				}
				r := rule{lits: append([]lit{neg(n)}, c...)}
				st.rules = append(st.rules, r)
				for _, l := range c {
					if l > 0 && !st.added[l.pkg()] {
						queue = append(queue, l.pkg())
					}
				}
			}
		}
		for _, d := range p.conflicts[n] {
			for _, x := range p.depProviders(d) {
				if x != n {
					st.rules = append(st.rules, rule{lits: []lit{neg(n), neg(x)}})
				}
			}
		}
		for _, d := range p.obsoletes[n] {
			if d.rich != nil {
				continue
			}
			for _, x := range p.providersOfAtom(d.name, d.rng) {
				px := p.pkgs[x]
				if x != n && px.Name == p.strs[d.name] && (d.rng.Any() || d.rng.Contains(px.EVR)) {
					st.rules = append(st.rules, rule{lits: []lit{neg(n), neg(x)}})
				}
			}
		}
		for _, x := range p.byName[p.pkgs[n].Name] {
			if x != n && p.Installable(x) {
				st.rules = append(st.rules, rule{lits: []lit{neg(n), neg(x)}})
			}
		}
	}
}

const maxClauses = 256

// cnf converts a rich requirement to clauses of literals (libsolv's
// pool_normalize_complex_dep for requires).
func (st *solveState) cnf(e *Expr, depth int) [][]lit {
	p := st.p
	provs := func(ids []PkgID) []lit {
		c := make([]lit, 0, len(ids))
		for _, x := range ids {
			c = append(c, pos(x))
		}
		return c
	}
	switch e.Op {
	case OpAtom, OpWith, OpWithout:
		return [][]lit{provs(p.whatProvidesExpr(e))}
	case OpAnd:
		var out [][]lit
		for _, a := range e.Args {
			out = append(out, st.cnf(a, depth+1)...)
		}
		return out
	case OpOr:
		out := st.cnf(e.Args[0], depth+1)
		for _, a := range e.Args[1:] {
			out = orCNF(out, st.cnf(a, depth+1))
		}
		return out
	case OpIf, OpUnless:
		then, cond := st.cnf(e.Args[0], depth+1), st.cnfNot(e.Args[1], depth+1)
		ncond := st.cnf(e.Args[1], depth+1)
		if e.Op == OpUnless {
			cond, ncond = ncond, cond
		}
		out := orCNF(then, cond) // cond here is "not condition"
		if e.Else != nil {
			out = append(out, orCNF(st.cnf(e.Else, depth+1), ncond)...)
		}
		return out
	}
	return nil
}

// cnfNot converts the negation of e.
func (st *solveState) cnfNot(e *Expr, depth int) [][]lit {
	switch e.Op {
	case OpAnd:
		out := st.cnfNot(e.Args[0], depth+1)
		for _, a := range e.Args[1:] {
			out = orCNF(out, st.cnfNot(a, depth+1))
		}
		return out
	case OpOr:
		var out [][]lit
		for _, a := range e.Args {
			out = append(out, st.cnfNot(a, depth+1)...)
		}
		return out
	default:
		var out [][]lit
		for _, x := range st.p.whatProvidesExpr(e) {
			out = append(out, []lit{neg(x)})
		}
		return out
	}
}

func orCNF(a, b [][]lit) [][]lit {
	if len(a) == 0 || len(b) == 0 {
		return nil // one side is always true
	}
	var out [][]lit
	for _, x := range a {
		for _, y := range b {
			if len(out) >= maxClauses {
				return out
			}
			c := append(append([]lit(nil), x...), y...)
			out = append(out, c)
		}
	}
	return out
}

func (st *solveState) value(l lit) int {
	d := st.dec[l.pkg()]
	switch {
	case d == 0:
		return 0
	case (d > 0) == (l > 0):
		return 1
	default:
		return -1
	}
}

func (st *solveState) assign(l lit) {
	lv := st.level
	if l < 0 {
		lv = -lv
	}
	st.dec[l.pkg()] = lv
	st.trail = append(st.trail, l)
}

// propagate runs unit propagation from trail index from; it reports false
// on a conflict.
func (st *solveState) propagate(from int) bool {
	for i := from; i < len(st.trail); i++ {
		for _, ri := range st.occ[st.trail[i].pkg()] {
			r := st.rules[ri].lits
			var unassigned lit
			nUn, sat := 0, false
			for _, l := range r {
				switch st.value(l) {
				case 1:
					sat = true
				case 0:
					nUn++
					unassigned = l
				}
				if sat {
					break
				}
			}
			if sat {
				continue
			}
			if nUn == 0 {
				return false
			}
			if nUn == 1 {
				st.assign(unassigned)
			}
		}
	}
	return true
}

// install decides x at a new level and propagates; on conflict it
// backtracks to the latest branch with an untried alternative.
func (st *solveState) install(x PkgID) error {
	for {
		st.steps++
		if st.steps > maxSteps {
			return errors.New("search limit reached")
		}
		st.level++
		from := len(st.trail)
		st.assign(pos(x))
		if st.propagate(from) {
			return nil
		}
		// conflict: find the latest branch with an untried alternative
		for {
			if len(st.branches) == 0 {
				return errors.New("conflicting requirements")
			}
			b := &st.branches[len(st.branches)-1]
			next := -1
			for k := range b.alts {
				if !b.tried[k] {
					next = k
					break
				}
			}
			if next < 0 {
				st.branches = st.branches[:len(st.branches)-1]
				continue
			}
			b.tried[next] = true
			lv := b.level
			x = b.alts[next]
			st.revertKeep(lv)
			break
		}
	}
}

// revertKeep undoes decisions above lv but keeps the branch made at lv.
func (st *solveState) revertKeep(lv int32) {
	for len(st.trail) > 0 {
		l := st.trail[len(st.trail)-1]
		d := st.dec[l.pkg()]
		if d < 0 {
			d = -d
		}
		if d <= lv {
			break
		}
		st.dec[l.pkg()] = 0
		st.trail = st.trail[:len(st.trail)-1]
	}
	st.level = lv
	for len(st.branches) > 0 && st.branches[len(st.branches)-1].level > lv {
		st.branches = st.branches[:len(st.branches)-1]
	}
}

// candidates returns the undecided providers of an open rule, or nil
// when the rule does not need a decision now.
func (st *solveState) candidates(r rule) []PkgID {
	l := r.lits
	start := 0
	if !r.job {
		if st.value(-l[0]) != 1 { // head package not installed
			return nil
		}
		start = 1
	}
	var dq []PkgID
	for _, x := range l[start:] {
		v := st.value(x)
		if x < 0 {
			if v != -1 { // condition package not installed: nothing to do
				return nil
			}
			continue
		}
		if v == 1 {
			return nil
		}
		if v == 0 {
			dq = append(dq, x.pkg())
		}
	}
	if len(dq) < 2 && !r.job {
		return nil
	}
	return dq
}

func (st *solveState) selectAndInstall(dq []PkgID) error {
	if len(dq) > 1 {
		dq = st.p.filterUnwanted(dq, st)
	}
	if len(dq) > 1 {
		st.branches = append(st.branches, branch{level: st.level, alts: dq, tried: make([]bool, len(dq))})
		st.branches[len(st.branches)-1].tried[0] = true
	}
	return st.install(dq[0])
}

func (st *solveState) run() error {
	st.level = 1
	// unit rules first
	for i, r := range st.rules {
		if len(r.lits) == 1 {
			if st.value(r.lits[0]) == -1 {
				return errors.New("job or requirement cannot be met: " + st.p.describeRule(r))
			}
			if st.value(r.lits[0]) == 0 {
				from := len(st.trail)
				st.assign(r.lits[0])
				if !st.propagate(from) {
					return errors.New("conflict in " + st.p.describeRule(st.rules[i]))
				}
			}
		}
	}
	for {
		// job rules
		for _, ji := range st.jobs {
			r := st.rules[ji]
			dq := st.candidates(r)
			if len(dq) == 0 {
				sat := false
				for _, l := range r.lits {
					if st.value(l) == 1 {
						sat = true
					}
				}
				if !sat {
					return errors.New("no installable candidate for a job")
				}
				continue
			}
			if err := st.selectAndInstall(dq); err != nil {
				return err
			}
		}
		if err := st.decideLoop(); err != nil {
			return err
		}
		if !st.minimize() {
			return nil
		}
	}
}

func (st *solveState) decideLoop() error {
	N := len(st.rules)
	postponed := 0
	for i, n := 0, 0; ; i, n = i+1, n+1 {
		if n >= N {
			if postponed <= 0 {
				return nil
			}
			i = postponed - 1
			postponed = -1
			n = 0
		}
		if i >= N {
			i = 0
		}
		r := st.rules[i]
		if r.job || len(r.lits) < 3 {
			continue
		}
		dq := st.candidates(r)
		if dq == nil {
			continue
		}
		if len(dq) > 1 && postponed >= 0 {
			dq = st.p.filterUnwanted(dq, nil)
			if len(dq) > 1 {
				if postponed == 0 {
					postponed = i + 1
				}
				continue
			}
		}
		if err := st.selectAndInstall(dq); err != nil {
			return err
		}
		n = -1
	}
}

// minimize is libsolv's auto-minimisation: when an alternative of an
// earlier choice got installed later anyway, take that alternative at the
// earlier choice instead. It reports whether it changed anything.
func (st *solveState) minimize() bool {
	for bi := range st.branches {
		b := &st.branches[bi]
		for k, x := range b.alts {
			if b.tried[k] {
				continue
			}
			if d := st.dec[x]; d > b.level {
				b.tried[k] = true
				lv := b.level
				st.revertKeep(lv)
				if err := st.install(x); err != nil {
					return false
				}
				return true
			}
		}
	}
	return false
}

// pruneToRecommended prefers candidates recommended (or suggested) by
// installed packages, or supplementing (enhancing) them.
func (st *solveState) pruneToRecommended(l []PkgID) []PkgID {
	p := st.p
	rec, sug := map[PkgID]bool{}, map[PkgID]bool{}
	for i, d := range st.dec {
		if d <= 0 {
			continue
		}
		for _, dd := range p.recommends[i] {
			for _, x := range p.depProviders(dd) {
				rec[x] = true
			}
		}
		for _, dd := range p.suggests[i] {
			for _, x := range p.depProviders(dd) {
				sug[x] = true
			}
		}
	}
	keep := func(m map[PkgID]bool, weak [][]dep) []PkgID {
		var out []PkgID
		for _, x := range l {
			if m[x] || st.fulfilledAny(weak[x]) {
				out = append(out, x)
			}
		}
		if len(out) == 0 {
			return l
		}
		return out
	}
	l = keep(rec, p.supplements)
	if len(l) > 1 {
		l = keep(sug, p.enhances)
	}
	return l
}

func (st *solveState) fulfilledAny(ds []dep) bool {
	for _, d := range ds {
		if d.rich != nil {
			if d.rich.Eval(func(a *Expr) []PkgID { return st.installedOf(st.p.atomProviders(a)) }) {
				return true
			}
			continue
		}
		if len(st.installedOf(st.p.providersOfAtom(d.name, d.rng))) > 0 {
			return true
		}
	}
	return false
}

func (st *solveState) installedOf(ids []PkgID) []PkgID {
	var out []PkgID
	for _, x := range ids {
		if st.dec[x] > 0 {
			out = append(out, x)
		}
	}
	return out
}

func (p *Pool) describeRule(r rule) string {
	s := ""
	for i, l := range r.lits {
		if i > 0 {
			s += " | "
		}
		if l < 0 {
			s += "-"
		}
		s += p.NEVRA(l.pkg())
	}
	return s
}
