package compsgen_test

import (
	"fmt"
	"strings"

	"github.com/distmeta/distmeta/generator/compsgen"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
	"github.com/distmeta/distmeta/metadata/variants"
)

func ExampleGenerate() {
	vf, _ := variants.Read(strings.NewReader(`variants:
  - id: Server
    modules: ["nodejs:20"]
    package_sets:
      - {id: web, packages: [httpd, mod_ssl]}
`), "variants.yaml")
	mods, _ := modulemd.ReadAll(strings.NewReader(`---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "20"
  summary: Javascript runtime
  description: Javascript runtime.
  license: {module: [MIT]}
  profiles:
    default: {rpms: [nodejs, npm]}
    devel: {rpms: [nodejs-devel]}
...
---
document: modulemd-defaults
version: 1
data:
  module: nodejs
  profiles: {"20": [default]}
...
`), "modules.yaml")
	res, err := compsgen.Generate(compsgen.Input{File: vf.Name, Variant: &vf.Variants[0], Modules: mods})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range res.Comps.Groups {
		fmt.Print(g.ID, ":")
		for _, p := range g.Packages {
			fmt.Print(" ", p.Name, "=", p.Type)
		}
		fmt.Println()
	}
	// Check against a repository holding only httpd.
	repo := compsgen.Repo{Arch: "x86_64", Packages: []*repodata.Package{{Name: "httpd", Arch: "x86_64", EVR: rpmver.EVR{Version: "2.4", Release: "1"}}}}
	for _, u := range compsgen.Check(res, &compsgen.Target{Compose: "C", Repos: []compsgen.Repo{repo}}) {
		fmt.Printf("%s %s: %s\n", u.Group, u.Package, u.Reason)
	}
	// Output:
	// module-nodejs-20: nodejs=default npm=default nodejs-devel=optional
	// web: httpd=default mod_ssl=default
	// module-nodejs-20 nodejs: the repository has no modules.yaml, so module stream nodejs:20 is not in it
	// module-nodejs-20 nodejs-devel: the repository has no modules.yaml, so module stream nodejs:20 is not in it
	// module-nodejs-20 npm: the repository has no modules.yaml, so module stream nodejs:20 is not in it
	// web mod_ssl: no package of that name in the repository
}
