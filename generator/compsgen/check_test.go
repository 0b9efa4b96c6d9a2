package compsgen

import (
	"reflect"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

const checkModules = `---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "20"
  version: 1
  context: aaaa
  arch: x86_64
  summary: Node 20
  description: Node 20.
  license: {module: [MIT]}
  artifacts:
    rpms:
      - nodejs-1:20.1-1.module_f40.src
      - nodejs-1:20.1-1.module_f40.x86_64
      - npm-1:10.2-1.module_f40.x86_64
      - nodejs-docs-1:20.1-1.module_f40.noarch
      - nodejs-1:20.1-1.module_f40.aarch64
...
---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "18"
  version: 1
  context: aaaa
  arch: x86_64
  summary: Node 18
  description: Node 18.
  license: {module: [MIT]}
  artifacts:
    rpms:
      - nodejs-1:18.2-1.module_f40.x86_64
      - nodejs-devel-1:18.2-1.module_f40.x86_64
...
---
document: modulemd-defaults
version: 1
data:
  module: nodejs
  stream: "20"
...
`

func pkg(name, epoch, ver, rel, arch string) *repodata.Package {
	return &repodata.Package{Name: name, Arch: arch, EVR: rpmver.EVR{Epoch: epoch, Version: ver, Release: rel}}
}

func TestCheck(t *testing.T) {
	idx, err := modulemd.ReadAll(strings.NewReader(checkModules), "modules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	packages := []*repodata.Package{
		pkg("nodejs", "1", "20.1", "1.module_f40", "x86_64"),
		pkg("nodejs", "1", "18.2", "1.module_f40", "x86_64"),
		pkg("npm", "1", "10.2", "1.module_f40", "x86_64"),
		pkg("nodejs-devel", "1", "18.2", "1.module_f40", "x86_64"),
		pkg("bash", "", "5.2", "1.fc40", "x86_64"),
		pkg("srconly", "", "1", "1", "src"),
	}
	res := &Result{
		Variant: "V",
		Comps: &comps.Comps{Groups: []comps.Group{
			{ID: "module-nodejs-20", Packages: []comps.PackageReq{{Name: "nodejs"}, {Name: "npm"}, {Name: "nodejs-docs"}, {Name: "foo"}}},
			{ID: "module-ruby-3", Packages: []comps.PackageReq{{Name: "ruby"}}},
			{ID: "plain", Packages: []comps.PackageReq{{Name: "bash"}, {Name: "nodejs"}, {Name: "nodejs-devel"}, {Name: "missing"}, {Name: "srconly"}}},
		}},
		Sources: map[string]Source{
			"module-nodejs-20": {Kind: SourceModule, Module: "nodejs:20"},
			"module-ruby-3":    {Kind: SourceModule, Module: "ruby:3"},
			"plain":            {Kind: SourcePlain},
		},
	}
	got := Check(res, &Target{Compose: "C", Repos: []Repo{{Arch: "x86_64", Packages: packages, Modules: idx}}})
	want := []Unresolved{
		{"module-nodejs-20", "foo", "x86_64", "not an artifact of module stream nodejs:20 for x86_64"},
		{"module-nodejs-20", "nodejs-docs", "x86_64", "artifact nodejs-docs-1:20.1-1.module_f40.noarch of module stream nodejs:20 is not in the repository"},
		{"module-ruby-3", "ruby", "x86_64", "module stream ruby:3 is not in the repository's modules.yaml"},
		{"plain", "missing", "x86_64", "no package of that name in the repository"},
		{"plain", "nodejs-devel", "x86_64", "only built by module streams that are not default streams (nodejs:18)"},
		{"plain", "srconly", "x86_64", "no package of that name in the repository"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check =\n%s\nwant\n%s", fmtU(got), fmtU(want))
	}

	// A repository without modules.yaml: module packages cannot resolve,
	// and modular packages count as ordinary ones.
	got = Check(res, &Target{Compose: "C", Repos: []Repo{{Arch: "x86_64", Packages: packages}}})
	for _, u := range got {
		if u.Group == "module-nodejs-20" && !strings.Contains(u.Reason, "has no modules.yaml") {
			t.Errorf("without modules.yaml: %+v", u)
		}
		if u.Group == "plain" && u.Package == "nodejs-devel" {
			t.Errorf("without modules.yaml nodejs-devel is an ordinary package: %+v", u)
		}
	}

	// No repository at all: every package, with the reason given.
	got = Check(res, &Target{Missing: "no complete compose has variant V"})
	if len(got) != 10 || got[0].Arch != "" || got[0].Reason != "no complete compose has variant V" {
		t.Errorf("no repository: %s", fmtU(got))
	}
}

func fmtU(us []Unresolved) string {
	var b strings.Builder
	for _, u := range us {
		b.WriteString("  " + u.Group + " " + u.Package + " " + u.Arch + ": " + u.Reason + "\n")
	}
	return b.String()
}

func TestParseArtifact(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want nevra
		ok   bool
	}{
		{"asnek-0:4.14.1-1.module_f40+80349+b9e2e37c.x86_64", nevra{"asnek", "0", "4.14.1", "1.module_f40+80349+b9e2e37c", "x86_64"}, true},
		{"python3-keyal+yaml-0:1.3-2.module_f40.noarch", nevra{"python3-keyal+yaml", "0", "1.3", "2.module_f40", "noarch"}, true},
		{"a-b-c-1.0-1.src", nevra{"a-b-c", "0", "1.0", "1", "src"}, true},
		{"nodash.x86_64", nevra{}, false},
		{"x-1-2", nevra{}, false},
	} {
		got, ok := parseArtifact(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseArtifact(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
