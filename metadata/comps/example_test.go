package comps_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/distmeta/distmeta/metadata/comps"
)

func ExampleRead() {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group>
    <id>editors</id>
    <name>Editors</name>
    <name xml:lang="de">Editoren</name>
    <packagelist>
      <packagereq type="optional">vim-enhanced</packagereq>
      <packagereq type="conditional" requires="emacs">emacs-auctex</packagereq>
      <packagereq type="mandatory">nano</packagereq>
    </packagelist>
  </group>
</comps>`
	c, err := comps.Read(strings.NewReader(doc), "editors.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	g := c.Group("editors")
	fmt.Println(g.Name, g.Names["de"], len(g.Packages))
	if err := comps.Write(os.Stdout, c, comps.WriteOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Editors Editoren 3
	// <?xml version="1.0" encoding="UTF-8"?>
	// <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
	// <comps>
	//   <group>
	//     <id>editors</id>
	//     <name>Editors</name>
	//     <name xml:lang="de">Editoren</name>
	//     <description/>
	//     <default>false</default>
	//     <uservisible>true</uservisible>
	//     <packagelist>
	//       <packagereq type="mandatory">nano</packagereq>
	//       <packagereq type="optional">vim-enhanced</packagereq>
	//       <packagereq type="conditional" requires="emacs">emacs-auctex</packagereq>
	//     </packagelist>
	//   </group>
	// </comps>
}
