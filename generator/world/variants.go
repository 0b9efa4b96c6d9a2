package world

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/metadata/comps"
)

// plainGroups are the hand-kept comps groups of the world, written as a
// fedora-comps style comps.xml.in: id, name, description and the
// components whose first binary package they list (mandatory first, then
// default).
var plainGroups = []struct {
	id, name, desc string
	mandatory      []string
	defaults       []string
}{
	{"core", "Core", "Smallest possible installation", []string{"bash", "coreutils", "filesystem", "glibc", "rpm", "setup", "systemd"}, []string{"basesystem", "ca-certificates", "openssl"}},
	{"standard", "Standard", "Common set of utilities that extend the minimal installation.", []string{"curl", "xz"}, []string{"wget2-wget", "NetworkManager"}},
	{"development-tools", "Development Tools", "These tools include general development tools such as git and CVS.", []string{"gcc", "make"}, []string{"cmake", "meson", "ninja-build", "pkgconf-pkg-config", "gcc-c++"}},
	{"c-development", "C Development Tools and Libraries", "These tools include core development tools such as automake, gcc and debuggers.", []string{"glibc-devel"}, []string{"bison", "m4", "gperf"}},
	{"mail-server", "Mail Server", "These packages allow you to configure an IMAP or SMTP mail server.", []string{"postfix"}, []string{"sendmail"}},
	{"audio", "Audio", "Audio support", []string{"pipewire"}, []string{"pipewire-pulseaudio"}},
}

// hasBinary reports whether some component of the world builds a binary
// package of that name.
func (w *World) hasBinary(name string) bool { return w.binOwner[name] != nil }

// Comps returns the world's plain groups as an intltool comps.xml.in, the
// way fedora-comps keeps them, plus a category and an environment.
func (w *World) Comps() *comps.Comps {
	c := &comps.Comps{Intltool: true}
	for _, g := range plainGroups {
		grp := comps.Group{ID: g.id, Name: g.name, Description: g.desc, Default: g.id == "core", UserVisible: g.id != "core"}
		for _, p := range g.mandatory {
			if w.hasBinary(p) {
				grp.Packages = append(grp.Packages, comps.PackageReq{Name: p, Type: comps.Mandatory})
			}
		}
		for _, p := range g.defaults {
			if w.hasBinary(p) {
				grp.Packages = append(grp.Packages, comps.PackageReq{Name: p, Type: comps.Default})
			}
		}
		if g.id == "standard" && w.hasBinary("glibc-langpack-en") {
			grp.Packages = append(grp.Packages, comps.PackageReq{Name: "glibc-langpack-en", Type: comps.Conditional, Requires: "glibc"})
		}
		c.Groups = append(c.Groups, grp)
	}
	// A language-specific group per ecosystem: the most wanted packages.
	for _, eco := range []struct {
		id, name string
		e        Ecosystem
	}{{"python-science", "Python Libraries", EcoPython}, {"perl-modules", "Perl Modules", EcoPerl}, {"rust-crates", "Rust Crates", EcoRust}} {
		grp := comps.Group{ID: eco.id, Name: eco.name, Description: eco.name + " packaged for the distribution.", UserVisible: true}
		cs := w.composable(eco.e)
		for i, comp := range cs[:min(12, len(cs))] {
			t := comps.Default
			if i >= 6 {
				t = comps.Optional
			}
			grp.Packages = append(grp.Packages, comps.PackageReq{Name: comp.Binaries[0].Name, Type: t})
		}
		c.Groups = append(c.Groups, grp)
	}
	c.Categories = []comps.Category{
		{ID: "development", Name: "Development", Description: "Packages which provide functionality for developing and building applications.", DisplayOrder: 90,
			Groups: []comps.GroupID{{Name: "c-development"}, {Name: "development-tools"}, {Name: "perl-modules"}, {Name: "python-science"}, {Name: "rust-crates"}}},
		{ID: "servers", Name: "Servers", Description: "Software used for running network servers", DisplayOrder: 20,
			Groups: []comps.GroupID{{Name: "mail-server"}}},
	}
	c.Environments = []comps.Environment{
		{ID: "minimal-environment", Name: "Minimal Install", Description: "Basic functionality.", DisplayOrder: 5,
			Groups: []comps.GroupID{{Name: "core"}}, Options: []comps.GroupID{{Name: "standard"}}},
		{ID: "developer-environment", Name: "Development Workstation", Description: "Tools for building software.", DisplayOrder: 30,
			Groups: []comps.GroupID{{Name: "core"}, {Name: "development-tools"}, {Name: "standard"}}, Options: []comps.GroupID{{Name: "c-development"}, {Name: "python-science"}}},
	}
	return c
}

// variantDef is one variant of the world: module streams, package sets
// and plain groups, as variants.yaml lists them.
type variantDef struct {
	id, name string
	modules  []string // name:stream[/profile]
	groups   []string
	sets     map[string][]string
	envs     []string // environments from comps.xml.in
}

// variantDefs returns the world's variants. Everything carries every
// package; the others are closed under dependencies from what they list.
func (w *World) variantDefs() []variantDef {
	pick := func(n, skip int) []string {
		var out []string
		seen := map[string]bool{}
		for _, m := range w.Modules {
			if len(out) >= n {
				break
			}
			if seen[m.Name] {
				continue
			}
			seen[m.Name] = true
			if skip > 0 {
				skip--
				continue
			}
			entry := m.Name + ":" + m.Stream
			if len(out)%2 == 0 {
				entry += "/default"
			}
			out = append(out, entry)
		}
		return out
	}
	var serverSet []string
	for _, n := range []string{"postfix", "openssl", "curl", "systemd", "NetworkManager"} {
		if w.hasBinary(n) {
			serverSet = append(serverSet, n)
		}
	}
	var pyWork []string
	for _, c := range w.composable(EcoPython) {
		if len(pyWork) < 8 {
			pyWork = append(pyWork, c.Binaries[0].Name)
		}
	}
	return []variantDef{
		{"Everything", "Fedora Everything", pick(4, 0), []string{"core", "standard", "development-tools", "c-development", "mail-server", "audio", "python-science", "perl-modules", "rust-crates"}, nil, []string{"minimal-environment", "developer-environment"}},
		{"Server", "Fedora Server", pick(2, 0), []string{"core", "standard", "mail-server"}, map[string][]string{"server-product": serverSet}, []string{"minimal-environment"}},
		{"Workstation", "Fedora Workstation", nil, []string{"core", "standard", "audio", "development-tools"}, map[string][]string{"python-workstation": pyWork}, []string{"developer-environment"}},
	}
}

// composable returns the non-hub components of an ecosystem that the
// newest complete compose contains, most popular first.
func (w *World) composable(eco Ecosystem) []*Component {
	cp := w.NewestComplete()
	var cs []*Component
	for _, c := range w.Components {
		if c.Eco != eco || c.Hub || c.Retired || len(c.Binaries) == 0 {
			continue
		}
		if cp != nil {
			if _, ok := c.BuiltAt(cp.Branch, cp.Date); !ok {
				continue
			}
		}
		cs = append(cs, c)
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].pop > cs[j].pop })
	return cs
}

// roots returns the binary package names a variant lists: its groups'
// packages, its package sets and its modules' profile packages.
func (w *World) roots(v variantDef) []string {
	cps := w.Comps()
	var out []string
	for _, gid := range v.groups {
		if g := cps.Group(gid); g != nil {
			for _, p := range g.Packages {
				out = append(out, p.Name)
			}
		}
	}
	for _, ps := range v.sets {
		out = append(out, ps...)
	}
	for _, m := range w.variantModules(v) {
		for _, rpms := range m.Profiles {
			out = append(out, rpms...)
		}
	}
	sort.Strings(out)
	return out
}

// variantModules returns the module streams a variant names.
func (w *World) variantModules(v variantDef) []*ModuleStream {
	var out []*ModuleStream
	for _, e := range v.modules {
		ns, _, _ := strings.Cut(e, "/")
		for _, m := range w.Modules {
			if m.Name+":"+m.Stream == ns {
				out = append(out, m)
			}
		}
	}
	return out
}

// variantsYAML renders variants.yaml: each variant as module streams
// (name:stream[/profile]), package sets and plain groups from comps.xml.in.
func (w *World) variantsYAML() []byte {
	var b bytes.Buffer
	pf := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	pf("# Variants of the distribution, defined by module streams, package sets\n")
	pf("# and plain groups; distmeta generates comps/<variant>.xml from them.\n")
	pf("# Plain groups come from the comps .xml.in file named here.\n")
	pf("comps: comps.xml.in\n")
	pf("variants:\n")
	for _, v := range w.variantDefs() {
		pf("  - id: %s\n    name: %s\n", v.id, v.name)
		if len(v.modules) > 0 {
			pf("    modules:\n")
			for _, m := range v.modules {
				pf("      - %q\n", m)
			}
		}
		if len(v.sets) > 0 {
			pf("    package_sets:\n")
			keys := make([]string, 0, len(v.sets))
			for k := range v.sets {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				pf("      - id: %s\n        name: %s\n        packages: [%s]\n", k, strings.ReplaceAll(titleCase(k), "-", " "), strings.Join(v.sets[k], ", "))
			}
		}
		pf("    groups: [%s]\n", strings.Join(v.groups, ", "))
		if len(v.envs) > 0 {
			pf("    environments: [%s]\n", strings.Join(v.envs, ", "))
		}
	}
	return b.Bytes()
}

func (w *World) writeVariants(dir string) error {
	var b bytes.Buffer
	if err := comps.Write(&b, w.Comps(), comps.WriteOptions{}); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "comps.xml.in"), b.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "variants.yaml"), w.variantsYAML(), 0o644)
}
