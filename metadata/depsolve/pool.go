package depsolve

import (
	"fmt"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/internal/sortedset"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

// PkgID identifies a package of a Pool: its index in the slice given to
// NewPool. Order matters the way solvable ids matter to libsolv: ties
// between otherwise equal candidates go to the lower id.
type PkgID int32

// None is the PkgID of no package.
const None PkgID = -1

// Options configures a Pool.
type Options struct {
	// Arch is the machine architecture, as libsolv's pool_setarch takes
	// it. Packages of other architecture families are not installable and
	// provide nothing; among providers the best architecture class (plus
	// noarch) is preferred. "" makes every binary package installable and
	// prefers no architecture (libsolv without setarch).
	Arch string
}

// archPolicies are libsolv's policies (poolarch.c): ":" starts a new,
// worse class.
var archPolicies = map[string]string{
	"x86_64":  "x86_64:i686:i586:i486:i386",
	"i686":    "i686:i586:i486:i386",
	"i586":    "i586:i486:i386",
	"aarch64": "aarch64",
	"ppc64le": "ppc64le",
	"ppc64":   "ppc64:ppc",
	"ppc":     "ppc",
	"s390x":   "s390x:s390",
	"s390":    "s390",
	"noarch":  "",
}

// dep is one parsed dependency of a package.
type dep struct {
	name int32 // string id of the capability; -1 for a rich dependency
	rng  rpmver.Range
	rich *Expr
}

type provEntry struct {
	pkg PkgID
	rng rpmver.Range
}

// Pool indexes a set of packages by what they provide. It is read-only
// after NewPool and safe for concurrent queries.
type Pool struct {
	pkgs      []*repodata.Package
	score     []uint32 // 0 not installable, 1 noarch, else arch score (class<<16)
	hasPolicy bool

	ids  map[string]int32
	strs []string
	prov [][]provEntry // by string id: explicit, self and file provides

	requires, conflicts, obsoletes              [][]dep
	recommends, suggests, supplements, enhances [][]dep

	byName  map[string][]PkgID
	byNEVRA map[string]PkgID
	arches  map[string]bool

	// Errors lists dependencies that did not parse; like libsolv, the
	// engine keeps them as plain capability names.
	Errors []error
}

// NewPool indexes pkgs. File provides come from each package's Files (the
// files primary.xml lists, or all of filelists.xml when it was read):
// every file path a package owns satisfies a requirement on that path.
// Every binary package provides its own name = epoch:version-release.
func NewPool(pkgs []*repodata.Package, opts Options) *Pool {
	p := &Pool{
		pkgs:    pkgs,
		score:   make([]uint32, len(pkgs)),
		ids:     make(map[string]int32, len(pkgs)*8),
		strs:    make([]string, 0, len(pkgs)*8),
		prov:    make([][]provEntry, 0, len(pkgs)*8),
		byName:  make(map[string][]PkgID, len(pkgs)),
		byNEVRA: make(map[string]PkgID, len(pkgs)),
		arches:  map[string]bool{},
	}
	policy := map[string]uint32{}
	if pol, ok := archPolicies[opts.Arch]; ok || opts.Arch != "" {
		p.hasPolicy = true
		if !ok {
			pol = opts.Arch
		}
		for i, a := range strings.Split(pol, ":") {
			if a != "" {
				policy[a] = uint32(i+1)<<16 | 1
			}
		}
	}
	n := len(pkgs)
	p.requires = make([][]dep, n)
	p.conflicts = make([][]dep, n)
	p.obsoletes = make([][]dep, n)
	p.recommends = make([][]dep, n)
	p.suggests = make([][]dep, n)
	p.supplements = make([][]dep, n)
	p.enhances = make([][]dep, n)
	for i, pk := range pkgs {
		id := PkgID(i)
		p.byName[pk.Name] = append(p.byName[pk.Name], id)
		p.byNEVRA[NEVRA(pk)] = id
		p.arches[pk.Arch] = true
		switch {
		case pk.IsSource():
			p.score[i] = 0
		case pk.Arch == "noarch":
			p.score[i] = 1
		case !p.hasPolicy:
			p.score[i] = 2
		default:
			p.score[i] = policy[pk.Arch]
		}
		p.requires[i] = p.deps(pk, "requires", pk.Requires, true)
		p.conflicts[i] = p.deps(pk, "conflicts", pk.Conflicts, false)
		p.obsoletes[i] = p.deps(pk, "obsoletes", pk.Obsoletes, false)
		p.recommends[i] = p.deps(pk, "recommends", pk.Recommends, false)
		p.suggests[i] = p.deps(pk, "suggests", pk.Suggests, false)
		p.supplements[i] = p.deps(pk, "supplements", pk.Supplements, false)
		p.enhances[i] = p.deps(pk, "enhances", pk.Enhances, false)
		if p.score[i] == 0 {
			continue // not installable: provides nothing (libsolv)
		}
		self := false
		for _, pr := range pk.Provides {
			nid := p.intern(pr.Name)
			p.prov[nid] = append(p.prov[nid], provEntry{pkg: id, rng: pr.Range()})
			if pr.Name == pk.Name && pr.Flags == rpmver.EQ && rpmver.CompareEVR(pr.EVR, pk.EVR) == 0 {
				self = true
			}
		}
		if !self {
			nid := p.intern(pk.Name)
			p.prov[nid] = append(p.prov[nid], provEntry{pkg: id, rng: rpmver.Range{Flags: rpmver.EQ, EVR: pk.EVR}})
		}
		for _, f := range pk.Files {
			nid := p.intern(f.Path)
			if l := p.prov[nid]; len(l) > 0 && l[len(l)-1].pkg == id && l[len(l)-1].rng.Any() {
				continue
			}
			p.prov[nid] = append(p.prov[nid], provEntry{pkg: id})
		}
	}
	return p
}

func (p *Pool) intern(s string) int32 {
	if id, ok := p.ids[s]; ok {
		return id
	}
	id := int32(len(p.strs))
	p.ids[s] = id
	p.strs = append(p.strs, s)
	p.prov = append(p.prov, nil)
	return id
}

// deps converts a dependency list, dropping exact duplicates (rpm lists a
// requirement twice when it is also a pre-requirement; libsolv keeps one)
// and, for requires, rpmlib() capabilities, which rpm itself provides.
func (p *Pool) deps(pk *repodata.Package, kind string, in []repodata.Dep, isReq bool) []dep {
	if len(in) == 0 {
		return nil
	}
	out := make([]dep, 0, len(in))
	for k, d := range in {
		dup := false
		for _, e := range in[:k] {
			if e.Name == d.Name && e.Flags == d.Flags && e.EVR == d.EVR {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if isReq && strings.HasPrefix(d.Name, "rpmlib(") {
			continue
		}
		if strings.HasPrefix(d.Name, "(") {
			e, err := ParseDep(d.Name)
			if err == nil && e.IsRich() {
				out = append(out, dep{name: -1, rich: e})
				continue
			}
			if err != nil {
				p.Errors = append(p.Errors, fmt.Errorf("%s: %s %q: %w", NEVRA(pk), kind, d.Name, err))
			}
		}
		out = append(out, dep{name: p.intern(d.Name), rng: d.Range()})
	}
	return out
}

// NEVRA prints a package as name-epoch:version-release.arch with the epoch
// always present ("0" when unset), the form dnf's %{epoch} query prints.
func NEVRA(pk *repodata.Package) string {
	e := pk.EVR.Epoch
	if e == "" {
		e = "0"
	}
	return pk.Name + "-" + e + ":" + pk.EVR.Version + "-" + pk.EVR.Release + "." + pk.Arch
}

// Len returns the number of packages.
func (p *Pool) Len() int { return len(p.pkgs) }

// Package returns the package with the given id.
func (p *Pool) Package(id PkgID) *repodata.Package { return p.pkgs[id] }

// NEVRA returns the NEVRA string (epoch always printed) of a package.
func (p *Pool) NEVRA(id PkgID) string { return NEVRA(p.pkgs[id]) }

// NEVRAs prints a list of packages.
func (p *Pool) NEVRAs(ids []PkgID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = p.NEVRA(id)
	}
	return out
}

// Installable reports whether a package can be installed on the pool's
// architecture (source packages never are).
func (p *Pool) Installable(id PkgID) bool { return p.score[id] != 0 }

// ByName returns the packages of the given name, in pool order.
func (p *Pool) ByName(name string) []PkgID { return p.byName[name] }

// Lookup finds a package by name-epoch:version-release.arch (the epoch
// may be left out when it is 0).
func (p *Pool) Lookup(nevra string) (PkgID, bool) {
	if id, ok := p.byNEVRA[nevra]; ok {
		return id, true
	}
	// Insert the "0:" epoch after name-: the hyphen before version-release.
	if r := strings.LastIndexByte(nevra, '-'); r > 0 {
		if v := strings.LastIndexByte(nevra[:r], '-'); v > 0 {
			if id, ok := p.byNEVRA[nevra[:v+1]+"0:"+nevra[v+1:]]; ok {
				return id, true
			}
		}
	}
	return None, false
}

// providersOfAtom returns the installable packages that provide a plain
// capability, in pool order without duplicates.
func (p *Pool) providersOfAtom(name int32, rng rpmver.Range) []PkgID {
	if name < 0 || int(name) >= len(p.prov) {
		return nil
	}
	l := p.prov[name]
	var out []PkgID
	for _, e := range l {
		if len(out) > 0 && out[len(out)-1] == e.pkg {
			continue
		}
		if rng.Any() || rpmver.Overlaps(e.rng, rng) {
			out = append(out, e.pkg)
		}
	}
	return out
}

func (p *Pool) atomProviders(a *Expr) []PkgID {
	id, ok := p.ids[a.Name]
	if !ok {
		return nil
	}
	return p.providersOfAtom(id, a.Range)
}

// whatProvidesExpr returns libsolv's providers of a dependency: for rich
// dependencies the "potential" providers (and, or, if, unless: the union
// of both sides, the condition excluded; with: the intersection;
// without: the left side minus the right).
func (p *Pool) whatProvidesExpr(e *Expr) []PkgID {
	switch e.Op {
	case OpAtom:
		return p.atomProviders(e)
	case OpAnd, OpOr:
		var u []PkgID
		for _, a := range e.Args {
			u = union(u, p.whatProvidesExpr(a))
		}
		return u
	case OpIf, OpUnless:
		u := p.whatProvidesExpr(e.Args[0])
		if e.Else != nil {
			u = union(u, p.whatProvidesExpr(e.Else))
		}
		return u
	case OpWith:
		s := p.whatProvidesExpr(e.Args[0])
		for _, a := range e.Args[1:] {
			s = intersect(s, p.whatProvidesExpr(a))
		}
		return s
	case OpWithout:
		s := p.whatProvidesExpr(e.Args[0])
		for _, a := range e.Args[1:] {
			s = minus(s, p.whatProvidesExpr(a))
		}
		return s
	}
	return nil
}

func (p *Pool) depProviders(d dep) []PkgID {
	if d.rich != nil {
		return p.whatProvidesExpr(d.rich)
	}
	return p.providersOfAtom(d.name, d.rng)
}

func (p *Pool) depString(d dep) string {
	if d.rich != nil {
		return d.rich.String()
	}
	s := p.strs[d.name]
	if !d.rng.Any() {
		s += " " + d.rng.String()
	}
	return s
}

// WhatProvides returns the installable packages that provide a
// dependency ("name", "name OP evr", a file path or a rich expression), in
// pool order: libsolv's pool.whatprovides.
func (p *Pool) WhatProvides(depStr string) ([]PkgID, error) {
	e, err := ParseDep(depStr)
	if err != nil {
		return nil, err
	}
	return p.whatProvidesExpr(e), nil
}

// sorted-set helpers on ascending PkgID slices.

func contains(s []PkgID, x PkgID) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i] >= x })
	return i < len(s) && s[i] == x
}

func union(a, b []PkgID) []PkgID { return sortedset.Union(a, b) }

func intersect(a, b []PkgID) []PkgID {
	var out []PkgID
	for _, x := range a {
		if contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func minus(a, b []PkgID) []PkgID {
	var out []PkgID
	for _, x := range a {
		if !contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
