package variants_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/variants"
)

// worldVariants is the variants file exactly as generator/world writes it
// (scale small, seed 1).
const worldVariants = `# Variants of the distribution, defined by module streams, package sets
# and plain groups; distmeta generates comps/<variant>.xml from them.
# Plain groups come from the comps .xml.in file named here.
comps: comps.xml.in
variants:
  - id: Everything
    name: Fedora Everything
    modules:
      - "nodejs:18/default"
      - "perl:5.32"
      - "python312:9/default"
      - "ruby:4"
    groups: [core, standard, development-tools, c-development, mail-server, audio, python-science, perl-modules, rust-crates]
  - id: Server
    name: Fedora Server
    modules:
      - "nodejs:18/default"
      - "perl:5.32"
    package_sets:
      - id: server-product
        name: Server product
        packages: [postfix, openssl, curl, systemd, NetworkManager]
    groups: [core, standard, mail-server]
  - id: Workstation
    name: Fedora Workstation
    package_sets:
      - id: python-workstation
        name: Python workstation
        packages: [python3-bemet, python3-garolis, python3-paelm, python3-obbivo, python3-obact, python3-bevix, python3-buyakar, python3-xiyaca]
    groups: [core, standard, audio, development-tools]
`

func TestReadWorldFile(t *testing.T) {
	f, err := variants.Read(strings.NewReader(worldVariants), "world/variants.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.CompsPath(), filepath.Join("world", "comps.xml.in"); got != want {
		t.Errorf("CompsPath = %q, want %q", got, want)
	}
	if len(f.Variants) != 3 {
		t.Fatalf("%d variants, want 3", len(f.Variants))
	}
	s := f.Variant("Server")
	if s == nil || s.Name != "Fedora Server" || s.Line != 14 {
		t.Fatalf("Server = %+v", s)
	}
	wantMods := []variants.ModuleRef{{Name: "nodejs", Stream: "18", Profile: "default", Line: 17}, {Name: "perl", Stream: "5.32", Line: 18}}
	if !reflect.DeepEqual(s.Modules, wantMods) {
		t.Errorf("modules = %+v, want %+v", s.Modules, wantMods)
	}
	if len(s.PackageSets) != 1 || s.PackageSets[0].ID != "server-product" || s.PackageSets[0].Name != "Server product" || len(s.PackageSets[0].Packages) != 5 {
		t.Fatalf("package sets = %+v", s.PackageSets)
	}
	if p := s.PackageSets[0].Packages[4]; p.Name != "NetworkManager" || p.Type != variants.Default || p.Line != 22 {
		t.Errorf("last package = %+v", p)
	}
	var groups []string
	for _, g := range s.Groups {
		groups = append(groups, g.ID)
	}
	if strings.Join(groups, " ") != "core standard mail-server" {
		t.Errorf("groups = %v", groups)
	}
	if w := f.Variant("Workstation"); w == nil || len(w.Modules) != 0 || len(w.PackageSets[0].Packages) != 8 {
		t.Errorf("Workstation = %+v", w)
	}
}

func TestReadFull(t *testing.T) {
	const src = `comps: /abs/comps.xml
variants:
  - id: Server
    description: For servers.
    package_sets:
      - id: web
        description: Web serving
        mandatory: [httpd]
        packages: [mod_ssl]
        optional: [mod_security]
    groups: [core]
    environments:
      - minimal-environment
      - id: server-env
        name: Server
        display_order: 3
        groups: [core, web]
        options: [standard]
    categories:
      - servers
      - id: web-cat
        groups: [web]
`
	f, err := variants.Read(strings.NewReader(src), "v.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if f.CompsPath() != "/abs/comps.xml" {
		t.Errorf("CompsPath = %q", f.CompsPath())
	}
	v := f.Variants[0]
	if v.Name != "Server" || v.Description != "For servers." {
		t.Errorf("name/description = %q/%q", v.Name, v.Description)
	}
	want := []variants.Package{{"httpd", variants.Mandatory, 8}, {"mod_ssl", variants.Default, 9}, {"mod_security", variants.Optional, 10}}
	if !reflect.DeepEqual(v.PackageSets[0].Packages, want) {
		t.Errorf("packages = %+v", v.PackageSets[0].Packages)
	}
	if v.PackageSets[0].Name != "web" {
		t.Errorf("set name defaults to id, got %q", v.PackageSets[0].Name)
	}
	if len(v.Environments) != 2 || !v.Environments[0].Ref || v.Environments[1].Ref || v.Environments[1].DisplayOrder != 3 || len(v.Environments[1].Options) != 1 {
		t.Errorf("environments = %+v", v.Environments)
	}
	if len(v.Categories) != 2 || !v.Categories[0].Ref || v.Categories[1].Name != "web-cat" {
		t.Errorf("categories = %+v", v.Categories)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"empty", "", 0, "empty file"},
		{"bad yaml", "variants:\n  - id: a\n\t- id: b\n", 2, "bad YAML: found a tab character"},
		{"top not mapping", "- a\n", 1, "top level: want a mapping"},
		{"no variants", "comps: x\n", 1, "no variants list"},
		{"empty variants", "variants: []\n", 1, "variants: empty list"},
		{"unknown top key", "variant: []\n", 1, `unknown key "variant"`},
		{"unknown variant key", "variants:\n  - id: a\n    modlues: []\n", 3, `unknown key "modlues"`},
		{"duplicate key", "variants:\n  - id: a\n    id: b\n", 3, `key "id" given twice`},
		{"no id", "variants:\n  - name: a\n", 2, "variant: no id"},
		{"bad variant id", "variants:\n  - id: ../x\n", 2, `variant id "../x"`},
		{"duplicate variant", "variants:\n  - id: A\n  - id: a\n", 3, `variant "a" defined twice (first at line 2`},
		{"module without stream", "variants:\n  - id: a\n    modules: [nodejs]\n", 3, `module entry "nodejs" has no stream`},
		{"module empty stream", "variants:\n  - id: a\n    modules: [\"nodejs:\"]\n", 3, "empty stream"},
		{"module empty profile", "variants:\n  - id: a\n    modules: [\"nodejs:20/\"]\n", 3, "empty profile"},
		{"module with context", "variants:\n  - id: a\n    modules: [\"nodejs:20:1:abc\"]\n", 3, "versions and contexts"},
		{"module as mapping", "variants:\n  - id: a\n    modules:\n      - nodejs: 20\n", 4, "want a name:stream[/profile] string, found a mapping"},
		{"module twice", "variants:\n  - id: a\n    modules: [\"n:1/a\", \"n:1/b\"]\n", 3, "module stream n:1 listed twice"},
		{"modules not list", "variants:\n  - id: a\n    modules: nodejs:20\n", 3, "modules: want a list, found a scalar"},
		{"set without id", "variants:\n  - id: a\n    package_sets:\n      - packages: [x]\n", 4, "package set: no id"},
		{"set without packages", "variants:\n  - id: a\n    package_sets:\n      - id: s\n", 4, "no packages"},
		{"set package twice", "variants:\n  - id: a\n    package_sets:\n      - id: s\n        packages: [x]\n        optional: [x]\n", 6, `package "x" listed twice (first at line 5)`},
		{"package with space", "variants:\n  - id: a\n    package_sets:\n      - id: s\n        packages: [\"a b\"]\n", 5, "white space"},
		{"set twice", "variants:\n  - id: a\n    package_sets:\n      - {id: s, packages: [x]}\n      - {id: s, packages: [y]}\n", 5, `package set "s" defined twice`},
		{"group twice", "variants:\n  - id: a\n    groups: [core, core]\n", 3, `"core" listed twice`},
		{"group is set", "variants:\n  - id: a\n    package_sets:\n      - {id: s, packages: [x]}\n    groups: [s]\n", 5, "also the id of the package set"},
		{"null group", "variants:\n  - id: a\n    groups: [~]\n", 3, "groups entry: empty"},
		{"env without groups", "variants:\n  - id: a\n    environments:\n      - id: e\n", 4, `environment "e": no groups`},
		{"env bad order", "variants:\n  - id: a\n    environments:\n      - {id: e, groups: [g], display_order: 0}\n", 4, "display_order must be a positive integer"},
		{"category twice", "variants:\n  - id: a\n    categories: [c, c]\n", 3, `category "c" listed twice`},
		{"alias", "variants:\n  - &v\n    id: a\n  - *v\n", 4, "aliases are not supported"},
		{"two documents", "variants:\n  - id: a\n---\nvariants: []\n", 3, "more than one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := variants.Read(strings.NewReader(tt.src), "v.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			var ve *variants.Error
			if !errors.As(err, &ve) {
				t.Fatalf("%v is not a *variants.Error", err)
			}
			if ve.File != "v.yaml" || ve.Line != tt.line {
				t.Errorf("error at %s:%d, want v.yaml:%d (%v)", ve.File, ve.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.line > 0 && !strings.HasPrefix(err.Error(), "v.yaml: line ") {
				t.Errorf("error %q does not start with the file and line", err)
			}
		})
	}
}

func TestParseModuleRef(t *testing.T) {
	tests := []struct {
		in   string
		want variants.ModuleRef
		err  string
	}{
		{"nodejs:20", variants.ModuleRef{Name: "nodejs", Stream: "20"}, ""},
		{"nodejs:20/default", variants.ModuleRef{Name: "nodejs", Stream: "20", Profile: "default"}, ""},
		{"perl:5.32", variants.ModuleRef{Name: "perl", Stream: "5.32"}, ""},
		{"python3.12-x:1.10/dev-el", variants.ModuleRef{Name: "python3.12-x", Stream: "1.10", Profile: "dev-el"}, ""},
		{"nodejs", variants.ModuleRef{}, "no stream"},
		{":20", variants.ModuleRef{}, "no module name"},
		{"nodejs:", variants.ModuleRef{}, "empty stream"},
		{"nodejs:20/", variants.ModuleRef{}, "empty profile"},
		{"nodejs:20/a/b", variants.ModuleRef{}, "more than one profile"},
		{"nodejs:20:3", variants.ModuleRef{}, "versions and contexts"},
		{"node js:20", variants.ModuleRef{}, "white space"},
		{"", variants.ModuleRef{}, "empty"},
	}
	for _, tt := range tests {
		got, err := variants.ParseModuleRef(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseModuleRef(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseModuleRef(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
}
