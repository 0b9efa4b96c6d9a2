package compsgen_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/distmeta/distmeta/generator/compsgen"
	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/variants"
)

// TestFedoraPassThrough passes every group, environment and category of
// the real fedora-comps files through a variant: the generated comps.xml
// keeps each of them with its name, description, flags and packages
// (the .xml.in spelling becomes the plain one), and validates.
func TestFedoraPassThrough(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	rng := testenv.Shared(t, "comps/comps.rng")
	for _, name := range []string{"comps-f40.xml.in", "comps-f41.xml.in", "comps-epel9.xml.in"} {
		t.Run(name, func(t *testing.T) {
			path := testenv.Shared(t, "comps/"+name)
			plain, err := comps.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if !plain.Intltool {
				t.Fatalf("%s is not read as .xml.in", name)
			}
			v := &variants.Variant{ID: "Everything", Name: "Everything"}
			for _, g := range plain.Groups {
				v.Groups = append(v.Groups, variants.Ref{ID: g.ID, Line: 1})
			}
			for _, e := range plain.Environments {
				v.Environments = append(v.Environments, variants.Environment{Ref: true, ID: e.ID, Line: 1})
			}
			for _, c := range plain.Categories {
				v.Categories = append(v.Categories, variants.Category{Ref: true, ID: c.ID, Line: 1})
			}
			res, err := compsgen.Generate(compsgen.Input{File: "v.yaml", Variant: v, Plain: plain, PlainFile: path})
			if err != nil {
				t.Fatal(err)
			}
			xml, _, err := compsgen.Render(res)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "comps.xml")
			if err := os.WriteFile(out, xml, 0o644); err != nil {
				t.Fatal(err)
			}
			if msg, err := exec.Command(xmllint, "--noout", "--relaxng", rng, out).CombinedOutput(); err != nil {
				t.Fatalf("generated comps does not validate: %v\n%s", err, msg)
			}
			if bytes.Contains(xml, []byte("<_name>")) {
				t.Error("generated comps keeps the .xml.in spelling")
			}
			back, err := comps.Read(bytes.NewReader(xml), out)
			if err != nil {
				t.Fatal(err)
			}
			if back.Intltool {
				t.Error("generated comps read back as .xml.in")
			}
			want := plain.Clone()
			want.Intltool = false
			want.Langpacks, want.Blacklist, want.Whiteout = nil, nil, nil // not copied, documented
			// environments and categories keep only groups the variant has:
			// here every group, so only dangling references go.
			have := map[string]bool{}
			for _, g := range plain.Groups {
				have[g.ID] = true
			}
			keep := func(ids []comps.GroupID) []comps.GroupID {
				var k []comps.GroupID
				for _, id := range ids {
					if have[id.Name] {
						k = append(k, id)
					}
				}
				return k
			}
			for i := range want.Environments {
				want.Environments[i].Groups = keep(want.Environments[i].Groups)
				want.Environments[i].Options = keep(want.Environments[i].Options)
			}
			for i := range want.Categories {
				want.Categories[i].Groups = keep(want.Categories[i].Groups)
			}
			want.Sort()
			if len(back.Groups) != len(plain.Groups) || len(back.Environments) != len(plain.Environments) || len(back.Categories) != len(plain.Categories) {
				t.Fatalf("read back %d groups, %d environments, %d categories; the source has %d, %d, %d",
					len(back.Groups), len(back.Environments), len(back.Categories), len(plain.Groups), len(plain.Environments), len(plain.Categories))
			}
			for i := range want.Groups {
				if !reflect.DeepEqual(back.Groups[i], want.Groups[i]) {
					t.Errorf("group %s differs:\n got %+v\nwant %+v", want.Groups[i].ID, back.Groups[i], want.Groups[i])
				}
			}
			if !reflect.DeepEqual(back.Environments, want.Environments) {
				t.Error("environments differ")
			}
			if !reflect.DeepEqual(back.Categories, want.Categories) {
				t.Error("categories differ")
			}
			n := 0
			for _, g := range back.Groups {
				n += len(g.Packages)
			}
			t.Logf("%s: %d groups, %d environments, %d categories, %d packagereqs kept", name, len(back.Groups), len(back.Environments), len(back.Categories), n)
		})
	}
}
