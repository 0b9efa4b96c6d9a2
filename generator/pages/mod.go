package pages

import (
	"sort"
	"strings"

	"github.com/distmeta/distmeta/site/answers"
)

type modView struct {
	Name, Stream string
	Summary      string
	Compose      link
	Status       *statusView
	Builds       []modBuildView
	Dependents   []link
	Others       []link // other streams of the module
}

type modBuildView struct {
	NSVC, Version, Context string
	Variants               []link
	Components             []modCompView
	StaleCount             int
	Artifacts              []link
	BuildrootSize          int
	BuildrootModules       []link
	BuildrootError         string
	Deps                   []depView
	Expanded               []string
	Profiles               []profileView
}

type modCompView struct {
	Name   link
	Branch string
	Ref    string
	Stale  bool
	Head   string
	After  []commitView
}

type depView struct {
	Kind string // buildrequires, requires
	Deps []string
}

type profileView struct {
	Name     string
	Packages []link
}

// streamList renders module deps ("platform: [f40]", "[]" = any).
func streamList(m map[string][]string) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch {
		case len(v) == 0:
			out = append(out, k+" (any stream)")
		default:
			out = append(out, k+": "+strings.Join(v, ", "))
		}
	}
	return out
}

func (r *renderer) modPage(d *deps, key string) ([]outPage, error) {
	m, err := decode[answers.Module](answers.KindModule, key, r.w.doc(d, answers.KindModule, key))
	if err != nil {
		return nil, err
	}
	name, stream, _ := strings.Cut(key, ":")
	p := ModPath(name, stream)
	c := ctx{w: r.w, d: d, root: rootOf(p)}
	ms, err := r.w.status(d, answers.SubjectModule, key)
	if err != nil {
		return nil, err
	}
	v := &modView{Name: name, Stream: stream, Summary: m.Summary, Status: c.status(ms)}
	if m.Compose != "" {
		v.Compose = c.compose(m.Compose)
	}
	// Stale refs: by build and commit.
	stale := map[string]answers.StaleBuild{}
	for _, s := range m.Stale {
		nsvc, _, _ := strings.Cut(s.Build, " (")
		stale[nsvc+"\x00"+s.Commit] = s
	}
	for _, b := range m.Builds {
		bv := modBuildView{NSVC: b.NSVC, Version: b.Version, Context: b.Context}
		for _, vr := range b.Variants {
			bv.Variants = append(bv.Variants, c.variant(vr))
		}
		for _, mc := range b.Components {
			cv := modCompView{Name: c.src(mc.Name), Branch: mc.Branch, Ref: shortHash(mc.Ref), Stale: mc.Stale}
			if s, ok := stale[b.NSVC+"\x00"+mc.Ref]; ok {
				cv.Stale = true
				cv.Head = shortHash(s.Head)
				cv.After = commitViews(s.After)
			}
			if cv.Stale {
				bv.StaleCount++
			}
			bv.Components = append(bv.Components, cv)
		}
		// Stale components first, then by name.
		sort.SliceStable(bv.Components, func(i, j int) bool {
			a, b := bv.Components[i], bv.Components[j]
			if a.Stale != b.Stale {
				return a.Stale
			}
			return a.Name.Text < b.Name.Text
		})
		for _, a := range b.Artifacts {
			bv.Artifacts = append(bv.Artifacts, c.pkgNEVRA(a))
		}
		if br := b.Buildroot; br != nil {
			bv.BuildrootSize = len(br.Packages)
			bv.BuildrootError = br.Error
			for _, mm := range br.Modules {
				bv.BuildrootModules = append(bv.BuildrootModules, c.nsvc(mm))
			}
		}
		for _, d := range b.Deps {
			if l := streamList(d.BuildRequires); len(l) > 0 {
				bv.Deps = append(bv.Deps, depView{"build-requires", l})
			}
			if l := streamList(d.Requires); len(l) > 0 {
				bv.Deps = append(bv.Deps, depView{"requires", l})
			}
		}
		for _, e := range b.Expanded {
			var parts []string
			for _, k := range sortedKeys(e.BuildRequires) {
				parts = append(parts, k+":"+e.BuildRequires[k])
			}
			bv.Expanded = append(bv.Expanded, strings.Join(parts, " "))
		}
		for _, pn := range sortedKeys(b.Profiles) {
			pv := profileView{Name: pn}
			for _, pk := range b.Profiles[pn] {
				pv.Packages = append(pv.Packages, c.pkg(pk))
			}
			bv.Profiles = append(bv.Profiles, pv)
		}
		v.Builds = append(v.Builds, bv)
	}
	for _, d := range m.Requires {
		v.Dependents = append(v.Dependents, c.nsvc(d))
	}
	for _, k := range r.w.keys(d, answers.KindModule) {
		if k != key && strings.HasPrefix(k, name+":") {
			v.Others = append(v.Others, c.mod(k))
		}
	}
	pg := &page{Kind: "mod", Title: key, Subtitle: "module stream", Root: c.root, Body: v,
		Crumbs: []link{{Text: "modules", Href: c.to(listPath("mod", 1))}}}
	return []outPage{{p, pg}}, nil
}
