package pages

import (
	"sort"

	"github.com/distmeta/distmeta/site/answers"
)

type pkgView struct {
	Name    string
	Summary string
	Source  link
	Compose link
	Modules []link
	Builds  []pkgBuildView
}

type pkgBuildView struct {
	NEVRA     string
	Arch      string
	EVR       string
	SourceRPM string
	Variants  []link
	Provides  []string
	Requires  []reqView
	Weak      []weakView
	Conflicts []string
	Obsoletes []string
	Required  capped
	Broken    []brokenView
}

type reqView struct {
	Dep    string
	Chosen link
	Others int
	Broken bool
}

type weakView struct {
	Kind string
	Deps []string
}

type brokenView struct {
	Dep     string
	Chain   []stepView
	RootPkg link
	RootDep string
}

type stepView struct {
	From link
	Dep  string
	To   link
}

func (r *renderer) pkgPage(d *deps, name string) ([]outPage, error) {
	pk, err := decode[answers.Package](answers.KindPackage, name, r.w.doc(d, answers.KindPackage, name))
	if err != nil {
		return nil, err
	}
	p := PkgPath(name)
	c := ctx{w: r.w, d: d, root: rootOf(p)}
	v := &pkgView{Name: name}
	if pk.Compose != "" {
		v.Compose = c.compose(pk.Compose)
	}
	for _, m := range pk.Modules {
		v.Modules = append(v.Modules, c.nsvc(m))
	}
	var more []outPage
	for i, b := range pk.Builds {
		if v.Summary == "" {
			v.Summary = b.Summary
		}
		if v.Source.Text == "" && b.Source != "" {
			v.Source = c.src(b.Source)
		}
		bv := pkgBuildView{NEVRA: b.NEVRA, Arch: b.Arch, EVR: b.EVR, SourceRPM: b.SourceRPM, Provides: b.Provides,
			Conflicts: b.Conflicts, Obsoletes: b.Obsoletes}
		for _, vr := range b.Variants {
			bv.Variants = append(bv.Variants, c.variant(vr))
		}
		for _, rq := range b.Requires {
			rv := reqView{Dep: rq.Dep, Broken: rq.Chosen == "", Others: len(rq.Providers)}
			if rq.Chosen != "" {
				rv.Others--
				pname := answers.NEVRAName(rq.Chosen)
				for _, pr := range rq.Providers {
					if pr.NEVRA == rq.Chosen {
						pname = pr.Name
					}
				}
				rv.Chosen = c.pkg(pname)
				rv.Chosen.Title = rq.Chosen
			}
			bv.Requires = append(bv.Requires, rv)
		}
		for _, wk := range []weakView{{"Recommends", b.Weak.Recommends}, {"Suggests", b.Weak.Suggests},
			{"Supplements", b.Weak.Supplements}, {"Enhances", b.Weak.Enhances}} {
			if len(wk.Deps) > 0 {
				bv.Weak = append(bv.Weak, wk)
			}
		}
		// Reverse dependencies by package name, without repeats.
		seen := map[string]bool{}
		var names []string
		for _, n := range b.WhatRequires {
			nn := answers.NEVRAName(n)
			if !seen[nn] {
				seen[nn] = true
				names = append(names, nn)
			}
		}
		sort.Strings(names)
		list := "whatrequires"
		if i > 0 {
			list += "-" + b.Arch + "-" + PathName(b.EVR)
		}
		var m []outPage
		bv.Required, m = r.capList(c, names, c.pkg, "pkg", name, list, "dmq whatrequires "+name)
		more = append(more, m...)
		for _, br := range b.Broken {
			bk := brokenView{Dep: br.Dep, RootPkg: c.pkgNEVRA(br.RootPkg), RootDep: br.RootDep}
			for _, s := range br.Chain {
				bk.Chain = append(bk.Chain, stepView{From: c.pkgNEVRA(s.From), Dep: s.Dep, To: c.pkgNEVRA(s.To)})
			}
			bv.Broken = append(bv.Broken, bk)
		}
		v.Builds = append(v.Builds, bv)
	}
	crumbs := []link{{Text: "packages", Href: c.to(listPath("pkg", 1))}}
	if v.Source.Href != "" {
		crumbs = append(crumbs, v.Source)
	}
	pg := &page{Kind: "pkg", Title: name, Subtitle: "binary package", Root: c.root, Body: v, Crumbs: crumbs}
	return append([]outPage{{p, pg}}, more...), nil
}
