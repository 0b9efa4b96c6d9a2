package compsgen

import (
	"slices"

	"github.com/distmeta/distmeta/metadata/comps"
)

// AnswerVersion is the version of the Answer document format.
const AnswerVersion = 1

// Answer is the published answer for one variant: what `dmq comps VARIANT`
// prints. Every list is sorted.
type Answer struct {
	Version      int                 `json:"version"`
	Variant      string              `json:"variant"`
	Name         string              `json:"name"`
	Compose      string              `json:"compose,omitempty"` // compose checked against
	Arches       []string            `json:"arches,omitempty"`
	Comps        string              `json:"comps"` // path of the comps.xml.gz on the site
	Groups       []AnswerGroup       `json:"groups"`
	Environments []AnswerEnvironment `json:"environments,omitempty"`
	Categories   []AnswerCategory    `json:"categories,omitempty"`
	Packages     []string            `json:"packages"`
	Unresolved   []Unresolved        `json:"unresolved"`
}

// AnswerGroup is one group of an Answer.
type AnswerGroup struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Source   string          `json:"source"`             // module, package-set or plain
	Module   string          `json:"module,omitempty"`   // name:stream
	Profiles []string        `json:"profiles,omitempty"` // profiles giving the default packages
	Packages []AnswerPackage `json:"packages"`
}

// AnswerPackage is a packagereq of an AnswerGroup.
type AnswerPackage struct {
	Name     string `json:"name"`
	Type     string `json:"type"`               // mandatory, default, optional or conditional
	Requires string `json:"requires,omitempty"` // for conditional
}

// AnswerEnvironment is an environment of an Answer.
type AnswerEnvironment struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Groups  []string `json:"groups"`
	Options []string `json:"options,omitempty"`
}

// AnswerCategory is a category of an Answer.
type AnswerCategory struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Groups []string `json:"groups"`
}

// CompsPath returns the site path of a variant's compressed comps.xml.
func CompsPath(variant string) string { return "comps/" + variant + ".xml.gz" }

// NewAnswer builds the answer of a variant from its generated comps, the
// target it was checked against and what the check found.
func NewAnswer(name string, r *Result, t *Target, unresolved []Unresolved) *Answer {
	c := r.Comps.Clone()
	c.Sort()
	a := &Answer{
		Version:    AnswerVersion,
		Variant:    r.Variant,
		Name:       name,
		Compose:    t.Compose,
		Comps:      CompsPath(r.Variant),
		Groups:     []AnswerGroup{},
		Packages:   Packages(c),
		Unresolved: slices.Clone(unresolved),
	}
	if a.Unresolved == nil {
		a.Unresolved = []Unresolved{}
	}
	for _, repo := range t.Repos {
		a.Arches = append(a.Arches, repo.Arch)
	}
	slices.Sort(a.Arches)
	for _, g := range c.Groups {
		src := r.Sources[g.ID]
		ag := AnswerGroup{ID: g.ID, Name: g.Name, Source: src.Kind, Module: src.Module, Profiles: src.Profiles, Packages: []AnswerPackage{}}
		for _, p := range g.Packages {
			typ := p.Type
			if typ == "" {
				typ = comps.Optional
			}
			ag.Packages = append(ag.Packages, AnswerPackage{Name: p.Name, Type: string(typ), Requires: p.Requires})
		}
		a.Groups = append(a.Groups, ag)
	}
	for _, e := range c.Environments {
		a.Environments = append(a.Environments, AnswerEnvironment{ID: e.ID, Name: e.Name, Groups: groupNames(e.Groups), Options: groupNames(e.Options)})
	}
	for _, k := range c.Categories {
		a.Categories = append(a.Categories, AnswerCategory{ID: k.ID, Name: k.Name, Groups: groupNames(k.Groups)})
	}
	return a
}

func groupNames(ids []comps.GroupID) []string {
	if len(ids) == 0 {
		return nil
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.Name
	}
	return out
}
