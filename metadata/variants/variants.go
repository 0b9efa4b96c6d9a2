package variants

import (
	"fmt"
	"path/filepath"
	"strings"
)

// File is one variants file.
type File struct {
	// Name identifies the file in errors: the path given to Open, or the
	// name given to Read.
	Name string
	// Comps is the comps file holding the plain groups, as written: a path
	// relative to the variants file. "" when the file names none.
	Comps     string
	CompsLine int
	Variants  []Variant
}

// CompsPath returns the comps file's path resolved against the folder of
// the variants file, or "" when the file names none.
func (f *File) CompsPath() string {
	if f.Comps == "" {
		return ""
	}
	if filepath.IsAbs(f.Comps) {
		return f.Comps
	}
	return filepath.Join(filepath.Dir(f.Name), f.Comps)
}

// Variant returns the variant with the given id, or nil.
func (f *File) Variant(id string) *Variant {
	for i := range f.Variants {
		if f.Variants[i].ID == id {
			return &f.Variants[i]
		}
	}
	return nil
}

// Variant is one variant: what its comps.xml is generated from.
type Variant struct {
	ID          string
	Name        string // the id when not given
	Description string
	Line        int // line of the variant's entry

	Modules      []ModuleRef
	PackageSets  []PackageSet
	Groups       []Ref // plain groups of the comps file, passed through
	Environments []Environment
	Categories   []Category
}

// Ref names an item of the comps file (a group, or an environment or
// category passed through) at a line of the variants file.
type Ref struct {
	ID   string
	Line int
}

// ModuleRef is a module:stream[/profile] entry.
type ModuleRef struct {
	Name    string
	Stream  string
	Profile string // "" when not given
	Line    int
}

// String prints the entry as written: name:stream[/profile].
func (m ModuleRef) String() string {
	s := m.Name + ":" + m.Stream
	if m.Profile != "" {
		s += "/" + m.Profile
	}
	return s
}

// NS returns name:stream.
func (m ModuleRef) NS() string { return m.Name + ":" + m.Stream }

// ParseModuleRef parses name:stream[/profile]. Every part must be non-empty
// and free of white space; the name and stream must not contain ':' or '/'.
func ParseModuleRef(s string) (ModuleRef, error) {
	var m ModuleRef
	if strings.TrimSpace(s) == "" {
		return m, fmt.Errorf("empty module entry")
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return m, fmt.Errorf("module entry %q contains white space", s)
	}
	ns, profile, hasProfile := strings.Cut(s, "/")
	name, stream, ok := strings.Cut(ns, ":")
	switch {
	case !ok:
		return m, fmt.Errorf("module entry %q has no stream: want name:stream[/profile]", s)
	case name == "":
		return m, fmt.Errorf("module entry %q has no module name: want name:stream[/profile]", s)
	case stream == "":
		return m, fmt.Errorf("module entry %q has an empty stream: want name:stream[/profile]", s)
	case strings.Contains(stream, ":"):
		return m, fmt.Errorf("module entry %q has more than name:stream (versions and contexts are not allowed): want name:stream[/profile]", s)
	case hasProfile && profile == "":
		return m, fmt.Errorf("module entry %q has an empty profile: want name:stream[/profile]", s)
	case strings.Contains(profile, "/"):
		return m, fmt.Errorf("module entry %q has more than one profile: want name:stream[/profile]", s)
	}
	return ModuleRef{Name: name, Stream: stream, Profile: profile}, nil
}

// The package types a package set may give (comps packagereq types).
const (
	Mandatory = "mandatory"
	Default   = "default"
	Optional  = "optional"
)

// PackageSet is a named list of packages: one generated group.
type PackageSet struct {
	ID          string
	Name        string // the id when not given
	Description string
	Line        int
	Packages    []Package // in file order: mandatory, then packages (default), then optional
}

// Package is one package of a set.
type Package struct {
	Name string
	Type string // Mandatory, Default or Optional
	Line int
}

// Environment is an environment of the variant. When Ref is true it names
// an environment of the comps file that is passed through and only ID and
// Line are set.
type Environment struct {
	Ref          bool
	ID           string
	Name         string
	Description  string
	DisplayOrder int
	Groups       []Ref
	Options      []Ref
	Line         int
}

// Category is a category of the variant. When Ref is true it names a
// category of the comps file that is passed through and only ID and Line
// are set.
type Category struct {
	Ref          bool
	ID           string
	Name         string
	Description  string
	DisplayOrder int
	Groups       []Ref
	Line         int
}

// Error is a problem found in a variants file.
type Error struct {
	File string
	Line int // 1-based; 0 when unknown
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
