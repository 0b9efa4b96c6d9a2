package comps

import (
	"cmp"
	"slices"
)

// Comps is one comps document.
type Comps struct {
	Groups       []Group
	Environments []Environment
	Categories   []Category
	Langpacks    []Langpack
	Blacklist    []BlacklistPackage
	Whiteout     []IgnoreDep

	// Intltool is true for the fedora-comps source form (.xml.in), where
	// names and descriptions are spelled _name and _description and carry
	// no translations. Write uses the same spelling.
	Intltool bool
}

// Group is a package group.
type Group struct {
	ID           string
	Name         string
	Names        map[string]string // xml:lang -> translated name
	Description  string
	Descriptions map[string]string // xml:lang -> translated description
	Default      bool              // absent means false
	UserVisible  bool              // absent means true
	BiarchOnly   bool              // libcomps extension, not in comps.rng
	DisplayOrder int               // 0 means absent
	LangOnly     string
	Arch         string // pungi extension: comma or space separated arches
	Variant      string // pungi extension
	Packages     []PackageReq
}

// PackageType is the type attribute of a packagereq.
type PackageType string

// The packagereq types. An empty PackageType means the attribute was absent,
// which comps.rng defines as optional.
const (
	Mandatory   PackageType = "mandatory"
	Default     PackageType = "default"
	Optional    PackageType = "optional"
	Conditional PackageType = "conditional"
)

// rank orders types as pungi's comps writer does.
func (t PackageType) rank() int {
	switch t {
	case Mandatory:
		return 0
	case Default:
		return 1
	case Optional, "":
		return 2
	case Conditional:
		return 3
	}
	return 4
}

func (t PackageType) valid() bool { return t.rank() < 4 }

// PackageReq is a packagereq element of a group's packagelist.
type PackageReq struct {
	Name         string
	Type         PackageType
	Requires     string // for Conditional: install Name when Requires is installed
	BasearchOnly bool
	Arch         string
	Variant      string
}

// GroupID is a groupid element of a grouplist or optionlist.
type GroupID struct {
	Name    string
	Default bool
	Arch    string
}

// Category is a group category.
type Category struct {
	ID           string
	Name         string
	Names        map[string]string
	Description  string
	Descriptions map[string]string
	DisplayOrder int
	Arch         string
	Variant      string
	Groups       []GroupID
}

// Environment is an installation environment: groups plus optional groups.
type Environment struct {
	ID           string
	Name         string
	Names        map[string]string
	Description  string
	Descriptions map[string]string
	DisplayOrder int
	Arch         string
	Variant      string
	Groups       []GroupID
	Options      []GroupID
}

// Langpack maps a package to its langpack name pattern ("foo-langpack-%s").
type Langpack struct {
	Name    string
	Install string
}

// BlacklistPackage is a package removed on upgrade.
type BlacklistPackage struct {
	Name string
	Arch string
}

// IgnoreDep is a whiteout entry: rpm ignores Package requiring Requires.
type IgnoreDep struct {
	Package  string
	Requires string
}

// Group returns the group with the given id, or nil.
func (c *Comps) Group(id string) *Group {
	for i := range c.Groups {
		if c.Groups[i].ID == id {
			return &c.Groups[i]
		}
	}
	return nil
}

// Sort puts c in the canonical order described in the package
// documentation. Sorting is stable, so duplicates keep their input order.
func (c *Comps) Sort() {
	slices.SortStableFunc(c.Groups, func(a, b Group) int { return cmp.Compare(a.ID, b.ID) })
	for i := range c.Groups {
		slices.SortStableFunc(c.Groups[i].Packages, comparePackageReq)
	}
	slices.SortStableFunc(c.Environments, func(a, b Environment) int { return cmp.Compare(a.ID, b.ID) })
	for i := range c.Environments {
		sortGroupIDs(c.Environments[i].Groups)
		sortGroupIDs(c.Environments[i].Options)
	}
	slices.SortStableFunc(c.Categories, func(a, b Category) int { return cmp.Compare(a.ID, b.ID) })
	for i := range c.Categories {
		sortGroupIDs(c.Categories[i].Groups)
	}
	slices.SortStableFunc(c.Langpacks, func(a, b Langpack) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortStableFunc(c.Blacklist, func(a, b BlacklistPackage) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Arch, b.Arch))
	})
	slices.SortStableFunc(c.Whiteout, func(a, b IgnoreDep) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Requires, b.Requires))
	})
}

func comparePackageReq(a, b PackageReq) int {
	return cmp.Or(
		cmp.Compare(a.Type.rank(), b.Type.rank()),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.Requires, b.Requires),
		cmp.Compare(a.Arch, b.Arch),
		cmp.Compare(a.Variant, b.Variant),
	)
}

func sortGroupIDs(ids []GroupID) {
	slices.SortStableFunc(ids, func(a, b GroupID) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Arch, b.Arch))
	})
}

// Clone returns a deep copy of c.
func (c *Comps) Clone() *Comps {
	n := *c
	n.Groups = slices.Clone(c.Groups)
	for i := range n.Groups {
		g := &n.Groups[i]
		g.Names, g.Descriptions = cloneMap(g.Names), cloneMap(g.Descriptions)
		g.Packages = slices.Clone(g.Packages)
	}
	n.Environments = slices.Clone(c.Environments)
	for i := range n.Environments {
		e := &n.Environments[i]
		e.Names, e.Descriptions = cloneMap(e.Names), cloneMap(e.Descriptions)
		e.Groups, e.Options = slices.Clone(e.Groups), slices.Clone(e.Options)
	}
	n.Categories = slices.Clone(c.Categories)
	for i := range n.Categories {
		k := &n.Categories[i]
		k.Names, k.Descriptions = cloneMap(k.Names), cloneMap(k.Descriptions)
		k.Groups = slices.Clone(k.Groups)
	}
	n.Langpacks = slices.Clone(c.Langpacks)
	n.Blacklist = slices.Clone(c.Blacklist)
	n.Whiteout = slices.Clone(c.Whiteout)
	return &n
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	n := make(map[string]string, len(m))
	for k, v := range m {
		n[k] = v
	}
	return n
}
