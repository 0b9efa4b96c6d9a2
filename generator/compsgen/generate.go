package compsgen

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/variants"
)

// Where a generated group comes from.
const (
	SourceModule     = "module"
	SourcePackageSet = "package-set"
	SourcePlain      = "plain"
)

// Source says where a group of a generated comps comes from.
type Source struct {
	Kind string // SourceModule, SourcePackageSet or SourcePlain
	// Module is name:stream for module groups; Profiles the profiles
	// whose packages are the group's default packages (empty when every
	// package is optional).
	Module   string
	Profiles []string
	Line     int // line of the entry in the variants file
}

// Result is the generated comps of one variant.
type Result struct {
	Variant string
	Comps   *comps.Comps // plain form (not .xml.in), canonical order
	// Sources maps every group id to where the group comes from.
	Sources map[string]Source
}

// Input is what Generate needs for one variant.
type Input struct {
	// File names the variants file in errors.
	File    string
	Variant *variants.Variant
	// Plain is the comps file holding the plain groups, environments and
	// categories the variant passes through; nil when there is none.
	// PlainFile names it in errors.
	Plain     *comps.Comps
	PlainFile string
	// Modules holds the module streams and defaults the variant's
	// module entries are looked up in. ModulesFrom names where they were
	// read (a compose id) for errors.
	Modules     *modulemd.Index
	ModulesFrom string
}

// ModuleGroupID returns the id of the group generated for a module stream.
func ModuleGroupID(name, stream string) string { return "module-" + name + "-" + stream }

// VariantCategoryID returns the id of the category generated for a variant.
func VariantCategoryID(variant string) string { return "variant-" + strings.ToLower(variant) }

// Generate builds the comps of one variant:
//
//   - a group per module entry (see ModulePackages for the package types),
//     with id ModuleGroupID(name, stream);
//   - a group per package set, with the set's id;
//   - the plain groups, copied from the comps file with their
//     translations;
//   - a category VariantCategoryID(variant) holding the module and
//     package-set groups (none when there are no such groups), plus the
//     categories the variant lists;
//   - the environments the variant lists.
//
// Environments and categories passed through from the comps file keep only
// the groups the variant has. Errors are *variants.Error values naming the
// variants file and the line of the offending entry.
func Generate(in Input) (*Result, error) {
	v := in.Variant
	errAt := func(line int, format string, args ...any) error {
		return &variants.Error{File: in.File, Line: line, Err: fmt.Errorf("variant %q: "+format, append([]any{v.ID}, args...)...)}
	}
	out := &comps.Comps{}
	res := &Result{Variant: v.ID, Comps: out, Sources: map[string]Source{}}
	add := func(g comps.Group, src Source) error {
		if prev, dup := res.Sources[g.ID]; dup {
			return errAt(src.Line, "group id %q is generated twice (also from the %s entry at line %d)", g.ID, prev.Kind, prev.Line)
		}
		res.Sources[g.ID] = src
		out.Groups = append(out.Groups, g)
		return nil
	}
	var generated []comps.GroupID

	for _, m := range v.Modules {
		s, d, err := lookupStream(in.Modules, m.Name, m.Stream)
		if err != nil {
			from := in.ModulesFrom
			if from == "" {
				from = "no compose"
			}
			return nil, errAt(m.Line, "%s: %v (module streams from %s)", m, err, from)
		}
		reqs, profiles, err := ModulePackages(s, d, m.Profile)
		if err != nil {
			return nil, errAt(m.Line, "%s: %v", m, err)
		}
		g := comps.Group{
			ID:          ModuleGroupID(m.Name, m.Stream),
			Name:        "Module " + m.NS(),
			Description: moduleDescription(s, m, profiles),
			UserVisible: true,
			Packages:    reqs,
		}
		if err := add(g, Source{Kind: SourceModule, Module: m.NS(), Profiles: profiles, Line: m.Line}); err != nil {
			return nil, err
		}
		generated = append(generated, comps.GroupID{Name: g.ID})
	}

	for _, ps := range v.PackageSets {
		g := comps.Group{ID: ps.ID, Name: ps.Name, Description: ps.Description, UserVisible: true}
		for _, p := range ps.Packages {
			g.Packages = append(g.Packages, comps.PackageReq{Name: p.Name, Type: comps.PackageType(p.Type)})
		}
		if err := add(g, Source{Kind: SourcePackageSet, Line: ps.Line}); err != nil {
			return nil, err
		}
		generated = append(generated, comps.GroupID{Name: g.ID})
	}

	for _, ref := range v.Groups {
		if in.Plain == nil {
			return nil, errAt(ref.Line, "group %q: the variants file names no comps file to take plain groups from", ref.ID)
		}
		pg := in.Plain.Group(ref.ID)
		if pg == nil {
			return nil, errAt(ref.Line, "unknown group %q: not in %s", ref.ID, in.PlainFile)
		}
		one := (&comps.Comps{Groups: []comps.Group{*pg}}).Clone()
		if err := add(one.Groups[0], Source{Kind: SourcePlain, Line: ref.Line}); err != nil {
			return nil, err
		}
	}

	has := func(id string) bool { _, ok := res.Sources[id]; return ok }
	// resolve checks the group ids an environment or category defined in
	// the variants file names.
	resolve := func(what string, refs []variants.Ref) ([]comps.GroupID, error) {
		var ids []comps.GroupID
		for _, r := range refs {
			if !has(r.ID) {
				return nil, errAt(r.Line, "%s names group %q, which the variant does not have", what, r.ID)
			}
			ids = append(ids, comps.GroupID{Name: r.ID})
		}
		return ids, nil
	}
	// keep filters the group ids of an item passed through.
	keep := func(ids []comps.GroupID) []comps.GroupID {
		var k []comps.GroupID
		for _, id := range ids {
			if has(id.Name) {
				k = append(k, id)
			}
		}
		return k
	}

	envIDs := map[string]bool{}
	for _, e := range v.Environments {
		var env comps.Environment
		if e.Ref {
			pe := plainEnvironment(in.Plain, e.ID)
			if pe == nil {
				return nil, errAt(e.Line, "unknown environment %q: not in %s", e.ID, plainName(in))
			}
			env = (&comps.Comps{Environments: []comps.Environment{*pe}}).Clone().Environments[0]
			env.Groups, env.Options = keep(env.Groups), keep(env.Options)
			if len(env.Groups) == 0 {
				return nil, errAt(e.Line, "environment %q: none of its groups is in the variant", e.ID)
			}
		} else {
			what := fmt.Sprintf("environment %q", e.ID)
			groups, err := resolve(what, e.Groups)
			if err != nil {
				return nil, err
			}
			opts, err := resolve(what, e.Options)
			if err != nil {
				return nil, err
			}
			env = comps.Environment{ID: e.ID, Name: e.Name, Description: e.Description, DisplayOrder: e.DisplayOrder, Groups: groups, Options: opts}
		}
		if envIDs[env.ID] {
			return nil, errAt(e.Line, "environment %q given twice", env.ID)
		}
		envIDs[env.ID] = true
		out.Environments = append(out.Environments, env)
	}

	catIDs := map[string]bool{}
	if len(generated) > 0 {
		c := comps.Category{
			ID:          VariantCategoryID(v.ID),
			Name:        v.Name,
			Description: v.Description,
			Groups:      generated,
		}
		if c.Description == "" {
			c.Description = "Module streams and package sets of " + v.Name + "."
		}
		catIDs[c.ID] = true
		out.Categories = append(out.Categories, c)
	}
	for _, k := range v.Categories {
		var cat comps.Category
		if k.Ref {
			pc := plainCategory(in.Plain, k.ID)
			if pc == nil {
				return nil, errAt(k.Line, "unknown category %q: not in %s", k.ID, plainName(in))
			}
			cat = (&comps.Comps{Categories: []comps.Category{*pc}}).Clone().Categories[0]
			cat.Groups = keep(cat.Groups)
			if len(cat.Groups) == 0 {
				return nil, errAt(k.Line, "category %q: none of its groups is in the variant", k.ID)
			}
		} else {
			groups, err := resolve(fmt.Sprintf("category %q", k.ID), k.Groups)
			if err != nil {
				return nil, err
			}
			cat = comps.Category{ID: k.ID, Name: k.Name, Description: k.Description, DisplayOrder: k.DisplayOrder, Groups: groups}
		}
		if catIDs[cat.ID] {
			return nil, errAt(k.Line, "category id %q is used twice (the generated category of the variant is %q)", cat.ID, VariantCategoryID(v.ID))
		}
		catIDs[cat.ID] = true
		out.Categories = append(out.Categories, cat)
	}
	out.Sort()
	return res, nil
}

func plainName(in Input) string {
	if in.Plain == nil {
		return "the comps file (the variants file names none)"
	}
	return in.PlainFile
}

func plainEnvironment(c *comps.Comps, id string) *comps.Environment {
	if c == nil {
		return nil
	}
	for i := range c.Environments {
		if c.Environments[i].ID == id {
			return &c.Environments[i]
		}
	}
	return nil
}

func plainCategory(c *comps.Comps, id string) *comps.Category {
	if c == nil {
		return nil
	}
	for i := range c.Categories {
		if c.Categories[i].ID == id {
			return &c.Categories[i]
		}
	}
	return nil
}

func moduleDescription(s *modulemd.Stream, m variants.ModuleRef, profiles []string) string {
	var b strings.Builder
	if s.Summary != "" {
		b.WriteString(strings.TrimRight(s.Summary, "."))
		b.WriteString(". ")
	}
	switch {
	case m.Profile != "":
		fmt.Fprintf(&b, "Profile %s of module stream %s; the packages of its other profiles are optional.", m.Profile, m.NS())
	case len(profiles) > 0:
		fmt.Fprintf(&b, "Default profile %s of module stream %s; the packages of its other profiles are optional.", strings.Join(profiles, ", "), m.NS())
	default:
		fmt.Fprintf(&b, "Module stream %s has no default profile: every package of its profiles is optional.", m.NS())
	}
	return b.String()
}

// errUnknownStream is wrapped by lookupStream's errors.
var errUnknownStream = errors.New("unknown module stream")

// lookupStream returns the stream name:stream to generate from, with the
// module's defaults (nil when none). When several versions are known the
// highest wins; contexts of that version are merged (profiles united).
func lookupStream(idx *modulemd.Index, name, stream string) (*modulemd.Stream, *modulemd.Defaults, error) {
	var mod *modulemd.Module
	if idx != nil {
		mod = idx.Modules[name]
	}
	if mod == nil || len(mod.Streams) == 0 {
		return nil, nil, fmt.Errorf("%w: no module %q", errUnknownStream, name)
	}
	var found []*modulemd.Stream
	known := map[string]bool{}
	for _, s := range mod.Streams {
		known[s.Stream] = true
		if s.Stream == stream {
			found = append(found, s)
		}
	}
	if len(found) == 0 {
		return nil, nil, fmt.Errorf("%w: module %q has no stream %q (known: %s)", errUnknownStream, name, stream, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
	}
	sort.SliceStable(found, func(i, j int) bool {
		if c := compareVersion(found[i].Version, found[j].Version); c != 0 {
			return c > 0
		}
		return found[i].Context < found[j].Context
	})
	top := found[0]
	merged := *top
	merged.Profiles = maps.Clone(top.Profiles)
	for _, s := range found[1:] {
		if compareVersion(s.Version, top.Version) != 0 {
			break
		}
		for pn, p := range s.Profiles {
			if merged.Profiles == nil {
				merged.Profiles = map[string]modulemd.Profile{}
			}
			q, ok := merged.Profiles[pn]
			if !ok {
				merged.Profiles[pn] = p
				continue
			}
			q.RPMs = union(q.RPMs, p.RPMs)
			merged.Profiles[pn] = q
		}
		merged.API = union(merged.API, s.API)
	}
	return &merged, mod.Defaults, nil
}

// compareVersion compares module versions: digit strings, compared as
// numbers of any length.
func compareVersion(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func union(a, b []string) []string {
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	for _, s := range b {
		m[s] = true
	}
	return slices.Sorted(maps.Keys(m))
}

// ModulePackages returns the packagereqs of the group generated for a module
// stream, and the profiles whose packages are its default packages:
//
//   - a profile given (name:stream/profile): that profile's rpms are
//     default packages, the rpms of the stream's other profiles optional;
//     a profile the stream lacks is an error;
//   - no profile given: the module's default profiles for that stream (per
//     modulemd-defaults, d.Profiles[stream]; profiles the stream lacks are
//     ignored) are used as if given; when there is none, or the defaults
//     say explicitly that there is none, every profile's rpms are optional;
//   - a stream with no profiles at all: its API rpms are optional.
//
// Packages are sorted by name (and Sort puts default before optional).
func ModulePackages(s *modulemd.Stream, d *modulemd.Defaults, profile string) ([]comps.PackageReq, []string, error) {
	var chosen []string
	switch {
	case profile != "":
		if _, ok := s.Profiles[profile]; !ok {
			have := slices.Sorted(maps.Keys(s.Profiles))
			if len(have) == 0 {
				return nil, nil, fmt.Errorf("unknown profile %q: the stream has no profiles", profile)
			}
			return nil, nil, fmt.Errorf("unknown profile %q (profiles: %s)", profile, strings.Join(have, ", "))
		}
		chosen = []string{profile}
	case d != nil && d.Profiles != nil:
		for _, p := range d.Profiles[s.Stream] {
			if _, ok := s.Profiles[p]; ok && !slices.Contains(chosen, p) {
				chosen = append(chosen, p)
			}
		}
		sort.Strings(chosen)
	}
	types := map[string]comps.PackageType{}
	for _, pn := range chosen {
		for _, r := range s.Profiles[pn].RPMs {
			types[r] = comps.Default
		}
	}
	for pn, p := range s.Profiles {
		if slices.Contains(chosen, pn) {
			continue
		}
		for _, r := range p.RPMs {
			if _, ok := types[r]; !ok {
				types[r] = comps.Optional
			}
		}
	}
	if len(s.Profiles) == 0 {
		for _, r := range s.API {
			types[r] = comps.Optional
		}
	}
	reqs := make([]comps.PackageReq, 0, len(types))
	for _, n := range slices.Sorted(maps.Keys(types)) {
		reqs = append(reqs, comps.PackageReq{Name: n, Type: types[n]})
	}
	return reqs, chosen, nil
}
