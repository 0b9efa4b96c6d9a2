package variants_test

import (
	"fmt"
	"strings"

	"github.com/distmeta/distmeta/metadata/variants"
)

func ExampleRead() {
	const src = `comps: comps.xml.in
variants:
  - id: Server
    name: Fedora Server
    modules: ["nodejs:20/default", "perl:5.38"]
    package_sets:
      - id: server-product
        packages: [postfix, openssl]
    groups: [core, standard]
`
	f, err := variants.Read(strings.NewReader(src), "conf/variants.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	v := f.Variants[0]
	fmt.Println(f.CompsPath())
	fmt.Println(v.ID, v.Name)
	for _, m := range v.Modules {
		fmt.Printf("module %s stream %s profile %q (line %d)\n", m.Name, m.Stream, m.Profile, m.Line)
	}
	fmt.Println(v.PackageSets[0].ID, len(v.PackageSets[0].Packages), "packages")

	_, err = variants.Read(strings.NewReader("variants:\n  - id: Server\n    modules: [nodejs]\n"), "bad.yaml")
	fmt.Println(err)
	// Output:
	// conf/comps.xml.in
	// Server Fedora Server
	// module nodejs stream 20 profile "default" (line 5)
	// module perl stream 5.38 profile "" (line 5)
	// server-product 2 packages
	// bad.yaml: line 3: variant "Server": module entry "nodejs" has no stream: want name:stream[/profile]
}
