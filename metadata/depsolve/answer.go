package depsolve

import (
	"fmt"
	"io"
	"strings"
)

// Answer is the result of one query, printable as text or JSON.
type Answer struct {
	Query    string           `json:"query"`
	Arg      []string         `json:"arg"`
	Packages []string         `json:"packages,omitempty"`
	Requires []RequiresAnswer `json:"requires,omitempty"`
	Why      []WhyStep        `json:"why,omitempty"`
}

// RequiresAnswer is one resolved requirement of a package.
type RequiresAnswer struct {
	Package   string   `json:"package"`
	Dep       string   `json:"dep"`
	Providers []string `json:"providers"`
	Chosen    string   `json:"chosen,omitempty"`
}

// WhyStep is a Step with package names.
type WhyStep struct {
	From string `json:"from"`
	Dep  string `json:"dep"`
	To   string `json:"to"`
}

// Queries lists the query kinds RunQuery answers.
var Queries = []string{"whatprovides", "whatrequires", "requires", "closure", "why"}

// RunQuery answers one query over a pool: whatprovides DEP, whatrequires
// ARG (dnf repoquery semantics), requires PKG, closure PKG, why PKG PKG.
// PKG is a package name (every installable package of that name) or a
// NEVRA.
func (p *Pool) RunQuery(kind string, args []string) (*Answer, error) {
	a := &Answer{Query: kind, Arg: args}
	want := 1
	if kind == "why" {
		want = 2
	}
	if len(args) != want {
		return nil, fmt.Errorf("query %s takes %d argument(s), got %d", kind, want, len(args))
	}
	switch kind {
	case "whatprovides":
		ids, err := p.WhatProvides(args[0])
		if err != nil {
			return nil, err
		}
		a.Packages = p.NEVRAs(ids)
	case "whatrequires":
		ids, err := p.WhatRequires(args[0])
		if err != nil {
			return nil, err
		}
		a.Packages = p.NEVRAs(ids)
	case "requires":
		ids, err := p.packagesNamed(args[0])
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			for _, r := range p.Requires(id) {
				ra := RequiresAnswer{Package: p.NEVRA(id), Dep: r.Dep, Providers: p.NEVRAs(r.Providers)}
				if r.Chosen != None {
					ra.Chosen = p.NEVRA(r.Chosen)
				}
				a.Requires = append(a.Requires, ra)
			}
		}
	case "closure":
		id, err := p.onePackage(args[0])
		if err != nil {
			return nil, err
		}
		ids, err := p.Closure(id)
		if err != nil {
			return nil, err
		}
		a.Packages = p.NEVRAs(ids)
	case "why":
		from, err := p.onePackage(args[0])
		if err != nil {
			return nil, err
		}
		to, err := p.onePackage(args[1])
		if err != nil {
			return nil, err
		}
		steps, err := p.Why(from, to)
		if err != nil {
			return nil, err
		}
		if steps == nil {
			return nil, fmt.Errorf("why: installing %s does not pull in %s", p.NEVRA(from), p.NEVRA(to))
		}
		for _, s := range steps {
			a.Why = append(a.Why, WhyStep{From: p.NEVRA(s.From), Dep: s.Dep, To: p.NEVRA(s.To)})
		}
	default:
		return nil, fmt.Errorf("unknown query %q (want one of %s)", kind, strings.Join(Queries, ", "))
	}
	return a, nil
}

func (p *Pool) packagesNamed(arg string) ([]PkgID, error) {
	if id, ok := p.Lookup(arg); ok {
		return []PkgID{id}, nil
	}
	ids := p.resolveNEVRA(arg)
	if len(ids) == 0 {
		return nil, fmt.Errorf("no installable package matches %q", arg)
	}
	return ids, nil
}

// onePackage resolves an argument to the package a solver would pick.
func (p *Pool) onePackage(arg string) (PkgID, error) {
	ids, err := p.packagesNamed(arg)
	if err != nil {
		return None, err
	}
	return p.Choose(ids), nil
}

// WriteText prints the answer for people: one package per line, or
// "pkg: dep -> providers [chosen]" lines, or the why chain.
func (a *Answer) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, s := range a.Packages {
		b.WriteString(s + "\n")
	}
	for _, r := range a.Requires {
		fmt.Fprintf(&b, "%s: %s -> %s", r.Package, r.Dep, strings.Join(r.Providers, " "))
		if r.Chosen != "" {
			fmt.Fprintf(&b, " [chosen %s]", r.Chosen)
		} else {
			b.WriteString(" (nothing provides it)")
		}
		b.WriteByte('\n')
	}
	for _, s := range a.Why {
		fmt.Fprintf(&b, "%s requires %s, provided by %s\n", s.From, s.Dep, s.To)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
