package compsgen

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/variants"
)

const plainXML = `<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group>
    <id>core</id>
    <name>Core</name>
    <name xml:lang="de">Kern</name>
    <description>Smallest possible installation</description>
    <description xml:lang="de">Kleinste Installation</description>
    <default>true</default>
    <uservisible>false</uservisible>
    <packagelist>
      <packagereq type="mandatory">bash</packagereq>
      <packagereq type="conditional" requires="glibc">glibc-langpack-en</packagereq>
    </packagelist>
  </group>
  <group>
    <id>standard</id>
    <name>Standard</name>
    <packagelist><packagereq>curl</packagereq></packagelist>
  </group>
  <group>
    <id>other</id>
    <name>Other</name>
    <packagelist><packagereq>x</packagereq></packagelist>
  </group>
  <environment>
    <id>minimal-environment</id>
    <name>Minimal Install</name>
    <name xml:lang="de">Minimale Installation</name>
    <grouplist><groupid>core</groupid><groupid>other</groupid></grouplist>
    <optionlist><groupid>standard</groupid><groupid>other</groupid></optionlist>
  </environment>
  <environment>
    <id>other-environment</id>
    <name>Other</name>
    <grouplist><groupid>other</groupid></grouplist>
  </environment>
  <category>
    <id>base</id>
    <name>Base</name>
    <grouplist><groupid>core</groupid><groupid>other</groupid></grouplist>
  </category>
</comps>
`

func plainComps(t *testing.T) *comps.Comps {
	t.Helper()
	c, err := comps.Read(strings.NewReader(plainXML), "plain.xml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func generate(t *testing.T, src string) (*Result, error) {
	t.Helper()
	vf, err := variants.Read(strings.NewReader(src), "v.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return Generate(Input{File: "v.yaml", Variant: &vf.Variants[0], Plain: plainComps(t), PlainFile: "plain.xml", Modules: testIndex(t), ModulesFrom: "compose C"})
}

func TestGenerate(t *testing.T) {
	res, err := generate(t, `variants:
  - id: Server
    name: Fedora Server
    modules: ["nodejs:20/minimal", "perl:5.32"]
    package_sets:
      - {id: web, name: Web, mandatory: [httpd], optional: [mod_ssl]}
    groups: [core, standard]
    environments:
      - minimal-environment
      - {id: server-environment, name: Server, groups: [core, web], options: [module-nodejs-20]}
    categories: [base]
`)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Comps
	var ids []string
	for _, g := range c.Groups {
		ids = append(ids, g.ID+"("+res.Sources[g.ID].Kind+")")
	}
	if got := strings.Join(ids, " "); got != "core(plain) module-nodejs-20(module) module-perl-5.32(module) standard(plain) web(package-set)" {
		t.Errorf("groups = %s", got)
	}
	if core := c.Group("core"); core.Names["de"] != "Kern" || core.Descriptions["de"] != "Kleinste Installation" || len(core.Packages) != 2 || core.Packages[1].Requires != "glibc" {
		t.Errorf("core lost translations or packages: %+v", core)
	}
	if g := c.Group("module-nodejs-20"); reqString(g.Packages) != "nodejs=default nodejs-devel=optional npm=optional" {
		t.Errorf("nodejs group = %s", reqString(g.Packages))
	}
	if s := res.Sources["module-perl-5.32"]; s.Module != "perl:5.32" || len(s.Profiles) != 0 || s.Line != 4 {
		t.Errorf("perl source = %+v", s)
	}
	if g := c.Group("web"); reqString(g.Packages) != "httpd=mandatory mod_ssl=optional" {
		t.Errorf("web group = %s", reqString(g.Packages))
	}
	// environments: the passed-through one keeps only the variant's groups
	if len(c.Environments) != 2 {
		t.Fatalf("environments = %+v", c.Environments)
	}
	env := c.Environments[0]
	if env.ID != "minimal-environment" || env.Names["de"] != "Minimale Installation" || len(env.Groups) != 1 || env.Groups[0].Name != "core" || len(env.Options) != 1 || env.Options[0].Name != "standard" {
		t.Errorf("minimal-environment = %+v", env)
	}
	// categories: base (filtered) and the generated variant category
	if len(c.Categories) != 2 || c.Categories[0].ID != "base" || len(c.Categories[0].Groups) != 1 || c.Categories[1].ID != "variant-server" {
		t.Fatalf("categories = %+v", c.Categories)
	}
	var catGroups []string
	for _, g := range c.Categories[1].Groups {
		catGroups = append(catGroups, g.Name)
	}
	if strings.Join(catGroups, " ") != "module-nodejs-20 module-perl-5.32 web" {
		t.Errorf("variant category groups = %v", catGroups)
	}
	var b bytes.Buffer
	if err := comps.Write(&b, c, comps.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "_name") {
		t.Error("generated comps uses the .xml.in spelling")
	}

	// Determinism: the same input gives the same bytes.
	res2, _ := generate(t, `variants:
  - id: Server
    name: Fedora Server
    modules: ["nodejs:20/minimal", "perl:5.32"]
    package_sets:
      - {id: web, name: Web, mandatory: [httpd], optional: [mod_ssl]}
    groups: [core, standard]
    environments:
      - minimal-environment
      - {id: server-environment, name: Server, groups: [core, web], options: [module-nodejs-20]}
    categories: [base]
`)
	x1, g1, _ := Render(res)
	x2, g2, _ := Render(res2)
	if !bytes.Equal(x1, x2) || !bytes.Equal(g1, g2) {
		t.Error("two generations of the same input differ")
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"unknown group", "variants:\n  - id: V\n    groups: [core, nope]\n", 3, `variant "V": unknown group "nope": not in plain.xml`},
		{"unknown module", "variants:\n  - id: V\n    modules: [\"nope:1\"]\n", 3, `nope:1: unknown module stream: no module "nope" (module streams from compose C)`},
		{"unknown stream", "variants:\n  - id: V\n    modules: [\"nodejs:22\"]\n", 3, `module "nodejs" has no stream "22" (known: 18, 20)`},
		{"unknown profile", "variants:\n  - id: V\n    modules: [\"nodejs:20/server\"]\n", 3, `nodejs:20/server: unknown profile "server"`},
		{"group id collision", "variants:\n  - id: V\n    modules: [\"nodejs:20\"]\n    package_sets:\n      - {id: module-nodejs-20, packages: [x]}\n", 5, `group id "module-nodejs-20" is generated twice (also from the module entry at line 3)`},
		{"unknown environment", "variants:\n  - id: V\n    environments: [nope]\n", 3, `unknown environment "nope"`},
		{"environment without the variant's groups", "variants:\n  - id: V\n    groups: [standard]\n    environments: [other-environment]\n", 4, `environment "other-environment": none of its groups is in the variant`},
		{"environment naming a missing group", "variants:\n  - id: V\n    groups: [core]\n    environments:\n      - id: e\n        groups: [core, standard]\n", 6, `environment "e" names group "standard", which the variant does not have`},
		{"unknown category", "variants:\n  - id: V\n    categories: [nope]\n", 3, `unknown category "nope"`},
		{"category id collision", "variants:\n  - id: V\n    package_sets: [{id: s, packages: [x]}]\n    categories:\n      - {id: variant-v, groups: [s]}\n", 5, `category id "variant-v" is used twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate(t, tt.src)
			var ve *variants.Error
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *variants.Error", err)
			}
			if ve.File != "v.yaml" || ve.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v (line %d), want v.yaml line %d: %q", err, ve.Line, tt.line, tt.want)
			}
		})
	}
	// Plain groups without a comps file.
	vf, _ := variants.Read(strings.NewReader("variants:\n  - id: V\n    groups: [core]\n"), "v.yaml")
	if _, err := Generate(Input{File: "v.yaml", Variant: &vf.Variants[0]}); err == nil || !strings.Contains(err.Error(), "names no comps file") {
		t.Errorf("no comps file: %v", err)
	}
}
