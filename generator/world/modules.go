package world

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/distmeta/distmeta/internal/distgit"
	"github.com/distmeta/distmeta/metadata/modulemd"
)

// streamDoc returns the module stream as modulemd stream v2. With built
// set it is the document of the module build (version, context, arch,
// xmd.mbs refs, artifacts) as it appears in a compose's modules.yaml;
// otherwise it is the definition kept in dist-git.
func (w *World) streamDoc(m *ModuleStream, built bool) *modulemd.Stream {
	s := &modulemd.Stream{
		Name: m.Name, Stream: m.Stream, Summary: m.Summary,
		Description: "The " + m.Name + " " + m.Stream + " module stream, generated for distmeta.",
		License:     modulemd.License{Module: []string{"MIT"}},
		Profiles:    map[string]modulemd.Profile{},
		Components:  modulemd.Components{RPMs: map[string]modulemd.RPMComponent{}},
	}
	dep := modulemd.Dependencies{BuildRequires: map[string][]string{"platform": append([]string{}, m.Platform...)}, Requires: map[string][]string{}}
	for k, v := range m.Requires {
		dep.Requires[k] = append([]string{}, v...)
	}
	for k, v := range m.BuildReqs {
		dep.BuildRequires[k] = append([]string{}, v...)
		dep.Requires[k] = append([]string{}, v...)
	}
	s.Dependencies = []modulemd.Dependencies{dep}
	for name, rpms := range m.Profiles {
		s.Profiles[name] = modulemd.Profile{Description: "The " + name + " profile", RPMs: append([]string{}, rpms...)}
	}
	var api []string
	for i, mc := range m.Components {
		c := modulemd.RPMComponent{Name: mc.Name, Rationale: mc.Rationale, Ref: mc.Branch, Buildorder: int64(i / 4 * 10)}
		s.Components.RPMs[mc.Name] = c
		api = append(api, w.byName[mc.Name].Binaries[0].Name)
	}
	sort.Strings(api)
	s.API = api
	if !built {
		return s
	}
	s.Version, s.Context, s.Arch = m.Version, m.Context, "x86_64"
	rpms := map[string]any{}
	for _, mc := range m.Components {
		rpms[mc.Name] = map[string]any{"ref": mc.Built}
	}
	s.XMD = map[string]any{"mbs": map[string]any{
		"buildrequires": map[string]any{"platform": map[string]any{"stream": m.Platform[len(m.Platform)-1], "ref": "f40"}},
		"commit":        m.hash,
		"rpms":          rpms,
		"scmurl":        "https://src.example.org/modules/" + m.Name + ".git?#" + m.hash,
	}}
	bins, srcs := w.ModulePackages(m)
	for _, p := range append(bins, srcs...) {
		s.Artifacts.RPMs = append(s.Artifacts.RPMs, p.Name+"-"+epochOrZero(p.EVR.Epoch)+":"+p.EVR.Version+"-"+p.EVR.Release+"."+p.Arch)
	}
	sort.Strings(s.Artifacts.RPMs)
	return s
}

func epochOrZero(e string) string {
	if e == "" {
		return "0"
	}
	return e
}

// writeModuleRepos writes modules/<name>.git: a branch per stream holding
// <name>.yaml, committed a day before the module build.
func (w *World) writeModuleRepos(dir string) error {
	byName := map[string][]*ModuleStream{}
	var names []string
	for _, m := range w.Modules {
		if _, ok := byName[m.Name]; !ok {
			names = append(names, m.Name)
		}
		byName[m.Name] = append(byName[m.Name], m)
	}
	sort.Strings(names)
	for _, name := range names {
		ms := byName[name]
		sort.SliceStable(ms, func(i, j int) bool { return ms[i].Built.Before(ms[j].Built) })
		push := distgit.Push{Refs: map[string]string{}}
		for i, m := range ms {
			doc, err := modulemd.Marshal(w.streamDoc(m, false))
			if err != nil {
				return fmt.Errorf("module %s:%s: %w", m.Name, m.Stream, err)
			}
			label := "s" + strconv.Itoa(i)
			when := m.Built.Add(-24 * time.Hour).Truncate(time.Second)
			who := packager(m.Name)
			push.Commits = append(push.Commits, distgit.CommitSpec{
				ID:      label,
				Author:  distgit.Signature{Name: who[:len(who)-len(emailOf(who))-3], Email: emailOf(who), When: when},
				Message: "Add the " + m.Stream + " stream of " + m.Name,
				Files:   map[string][]byte{name + ".yaml": doc},
			})
			push.Refs[m.Stream] = label
		}
		push.Head = ms[0].Stream
		ids, err := distgit.WriteRepo(filepath.Join(dir, "distgit", "modules", name+".git"), push)
		if err != nil {
			return fmt.Errorf("module %s: %w", name, err)
		}
		for i, m := range ms {
			m.hash = ids["s"+strconv.Itoa(i)].String()
		}
	}
	return nil
}
