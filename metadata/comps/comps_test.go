package comps_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/comps"
)

// sample is one comps file under ../shared/testdata. groups, categories,
// environments, langpacks (<langpacks> elements) and packagereqs are the
// counts of SOURCES.md; the other figures were counted with python3
// xml.etree on the same files.
type sample struct {
	path                                     string
	groups, categories, environments         int
	langpacks, packagereqs                   int
	matches, translations, conditional, opts int
	intltool                                 bool
}

var samples = []sample{
	{"comps/comps-epel9.xml.in", 21, 1, 1, 0, 219, 0, 0, 1, 5, true},
	{"comps/comps-f40.xml.in", 158, 16, 21, 1, 4399, 23, 0, 38, 127, true},
	{"comps/comps-f41.xml.in", 158, 16, 21, 1, 4196, 23, 0, 38, 127, true},
	{"comps/createrepo_c-comps_00.xml", 1, 1, 0, 0, 1, 0, 0, 0, 0, true},
	{"comps/libcomps-fixtures/biarchonly.xml", 3, 0, 0, 0, 9, 0, 0, 0, 0, false},
	{"comps/libcomps-fixtures/main_arches.xml", 4, 4, 4, 0, 10, 0, 0, 0, 9, false},
	{"comps/libcomps-fixtures/sample-bad-elem.xml", 3, 0, 0, 0, 13, 0, 0, 0, 0, false},
	{"comps/libcomps-fixtures/sample-comps-lang.xml", 3, 2, 1, 0, 107, 0, 3, 0, 2, false},
	{"comps/libcomps-fixtures/sample-comps.xml", 3, 2, 1, 0, 107, 0, 0, 0, 2, false},
	{"comps/libcomps-fixtures/sample_comps.xml", 5, 4, 4, 0, 29, 0, 967, 0, 17, false},
	{"repodata/centos-stream-9-baseos-x86_64/repodata/2ac4e27794f840034a13bb60800aba194e89fcd2175c87f57cfbd649139feff3-comps-BaseOS.x86_64.xml.gz", 34, 4, 3, 0, 454, 0, 0, 0, 20, false},
	{"repodata/pungi-dummy-repo/repodata/dummy-comps.xml", 8, 0, 4, 1, 13, 22, 0, 1, 0, false},
	{"repodata/pungi-dummy-repo/repodata/dummy-comps.xml.gz", 8, 0, 4, 1, 13, 22, 0, 1, 0, false},
}

type counts struct {
	groups, categories, environments         int
	langpacks, packagereqs                   int
	matches, translations, conditional, opts int
	intltool                                 bool
}

func count(c *comps.Comps) counts {
	n := counts{
		groups:       len(c.Groups),
		categories:   len(c.Categories),
		environments: len(c.Environments),
		matches:      len(c.Langpacks),
		intltool:     c.Intltool,
	}
	if len(c.Langpacks) > 0 {
		n.langpacks = 1
	}
	for _, g := range c.Groups {
		n.packagereqs += len(g.Packages)
		n.translations += len(g.Names) + len(g.Descriptions)
		for _, p := range g.Packages {
			if p.Type == comps.Conditional {
				n.conditional++
			}
		}
	}
	for _, k := range c.Categories {
		n.translations += len(k.Names) + len(k.Descriptions)
	}
	for _, e := range c.Environments {
		n.translations += len(e.Names) + len(e.Descriptions)
		n.opts += len(e.Options)
	}
	return n
}

func (s sample) want() counts {
	return counts{s.groups, s.categories, s.environments, s.langpacks, s.packagereqs,
		s.matches, s.translations, s.conditional, s.opts, s.intltool}
}

func TestSamplesCounts(t *testing.T) {
	for _, s := range samples {
		t.Run(filepath.Base(s.path), func(t *testing.T) {
			c, err := comps.Open(testenv.Shared(t, s.path))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := count(c), s.want(); got != want {
				t.Errorf("counts:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSampleDetails(t *testing.T) {
	c, err := comps.Open(testenv.Shared(t, "comps/comps-f40.xml.in"))
	if err != nil {
		t.Fatal(err)
	}
	g := c.Group("3d-printing")
	if g == nil {
		t.Fatal("group 3d-printing missing")
	}
	if g.Name != "3D Printing" || g.Description != "3D printing software" || g.Default || !g.UserVisible {
		t.Errorf("3d-printing = %+v", g)
	}
	want := comps.PackageReq{Name: "meshlab", Type: comps.Default, Arch: "aarch64,x86_64"}
	if g.Packages[3] != want {
		t.Errorf("3d-printing package 3 = %+v, want %+v", g.Packages[3], want)
	}
	// <packagereq type="conditional" requires="gimp">gimp-data-extras</packagereq>
	found := false
	for _, g := range c.Groups {
		for _, p := range g.Packages {
			if p.Name == "gimp-data-extras" && p.Type == comps.Conditional && p.Requires == "gimp" {
				found = true
			}
		}
	}
	if !found {
		t.Error("conditional gimp-data-extras requires=gimp not found")
	}

	c, err = comps.Open(testenv.Shared(t, "comps/libcomps-fixtures/sample_comps.xml"))
	if err != nil {
		t.Fatal(err)
	}
	g = c.Group("afrikaans-support")
	if g == nil || g.Names["af"] != "Afrikaanse taalsteun" || g.LangOnly != "af" {
		t.Fatalf("afrikaans-support: %+v", g)
	}
	langonly := 0
	for _, g := range c.Groups {
		if g.LangOnly != "" {
			langonly++
		}
	}
	if langonly != 4 {
		t.Errorf("langonly groups = %d, want 4", langonly)
	}

	c, err = comps.Open(testenv.Shared(t, "comps/libcomps-fixtures/biarchonly.xml"))
	if err != nil {
		t.Fatal(err)
	}
	bi := 0
	for _, g := range c.Groups {
		if g.BiarchOnly {
			bi++
		}
	}
	if bi != 1 { // two <biarchonly> elements, one true and one false
		t.Errorf("biarchonly groups = %d, want 1", bi)
	}
}

func roundTrip(t *testing.T, c *comps.Comps, opts comps.WriteOptions) (*comps.Comps, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := comps.Write(&buf, c, opts); err != nil {
		t.Fatal(err)
	}
	c2, err := comps.Read(bytes.NewReader(buf.Bytes()), "written")
	if err != nil {
		t.Fatalf("reading written output: %v\n%s", err, buf.Bytes())
	}
	return c2, buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for _, s := range samples {
		t.Run(filepath.Base(s.path), func(t *testing.T) {
			c, err := comps.Open(testenv.Shared(t, s.path))
			if err != nil {
				t.Fatal(err)
			}
			orig := c.Clone()

			kept, _ := roundTrip(t, c, comps.WriteOptions{KeepOrder: true})
			if !reflect.DeepEqual(kept, c) {
				t.Error("KeepOrder: read -> write -> read differs")
			}

			canon, out := roundTrip(t, c, comps.WriteOptions{})
			if !reflect.DeepEqual(c, orig) {
				t.Error("Write modified its input")
			}
			sorted := c.Clone()
			sorted.Sort()
			if !reflect.DeepEqual(canon, sorted) {
				t.Error("canonical: read -> write -> read differs from the sorted input")
			}
			if got, want := count(canon), s.want(); got != want {
				t.Errorf("counts after round trip:\n got %+v\nwant %+v", got, want)
			}
			// Writing the canonical form again gives the same bytes.
			_, again := roundTrip(t, canon, comps.WriteOptions{})
			if !bytes.Equal(out, again) {
				t.Error("canonical output is not stable")
			}
		})
	}
}

func TestCanonicalOrder(t *testing.T) {
	const doc = `<comps>
  <category><id>z</id><name>Z</name><grouplist><groupid>b</groupid><groupid>a</groupid></grouplist></category>
  <category><id>a</id><name>A</name><grouplist><groupid>x</groupid></grouplist></category>
  <group><id>g2</id><name>G2</name><name xml:lang="fr">G2fr</name><name xml:lang="de">G2de</name>
    <packagelist>
      <packagereq type="conditional" requires="x">c</packagereq>
      <packagereq type="optional">b</packagereq>
      <packagereq>a</packagereq>
      <packagereq type="default">ardour8</packagereq>
      <packagereq type="default">Carla</packagereq>
      <packagereq type="mandatory">z</packagereq>
    </packagelist></group>
  <group><id>g1</id><name>G1</name><packagelist/></group>
  <environment><id>e</id><name>E</name><grouplist><groupid>g2</groupid><groupid>g1</groupid></grouplist></environment>
  <langpacks><match name="b" install="b-%s"/><match name="a" install="a-%s"/></langpacks>
</comps>`
	c, err := comps.Read(strings.NewReader(doc), "doc")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := comps.Write(&buf, c, comps.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	order := []string{
		"<id>g1</id>", "<id>g2</id>",
		`<name xml:lang="de">`, `<name xml:lang="fr">`,
		`type="mandatory">z<`, `type="default">Carla<`, `type="default">ardour8<`,
		`<packagereq>a<`, `type="optional">b<`, `type="conditional" requires="x">c<`,
		"<environment>", "<groupid>g1</groupid>", "<groupid>g2</groupid>",
		"<category>", "<id>a</id>", "<id>z</id>", "<groupid>a</groupid>", "<groupid>b</groupid>",
		`<match name="a"`, `<match name="b"`,
	}
	pos := 0
	for _, s := range order {
		i := strings.Index(out[pos:], s)
		if i < 0 {
			t.Fatalf("%q not found after offset %d in\n%s", s, pos, out)
		}
		pos += i + len(s)
	}

	buf.Reset()
	if err := comps.Write(&buf, c, comps.WriteOptions{KeepOrder: true}); err != nil {
		t.Fatal(err)
	}
	if i, j := strings.Index(buf.String(), "<id>g2</id>"), strings.Index(buf.String(), "<id>g1</id>"); i > j {
		t.Error("KeepOrder did not keep g2 before g1")
	}
}

// TestWrittenValidates checks the written form of every sample against
// fedora-comps' comps.rng with xmllint.
func TestWrittenValidates(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	rng := testenv.Shared(t, "comps/comps.rng")
	dir := t.TempDir()
	for i, s := range samples {
		t.Run(filepath.Base(s.path), func(t *testing.T) {
			c, err := comps.Open(testenv.Shared(t, s.path))
			if err != nil {
				t.Fatal(err)
			}
			stripSchemaExtensions(c)
			var buf bytes.Buffer
			if err := comps.Write(&buf, c, comps.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, filepath.Base(s.path)+string(rune('a'+i))+".xml")
			if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(xmllint, "--noout", "--relaxng", rng, out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("xmllint: %v\n%s", err, msg)
			}
		})
	}
}

// stripSchemaExtensions removes what some libcomps fixtures use and
// comps.rng lacks: <biarchonly> and a requires attribute on packagereqs
// that are not conditional (old yum usage). Write keeps both.
func stripSchemaExtensions(c *comps.Comps) {
	for i := range c.Groups {
		g := &c.Groups[i]
		g.BiarchOnly = false
		for j := range g.Packages {
			if g.Packages[j].Type != comps.Conditional {
				g.Packages[j].Requires = ""
			}
		}
	}
}

// TestBiarchOnlyIsOutsideSchema documents why TestWrittenValidates clears
// BiarchOnly: with it, xmllint rejects the output.
func TestBiarchOnlyIsOutsideSchema(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	rng := testenv.Shared(t, "comps/comps.rng")
	c := &comps.Comps{Groups: []comps.Group{{ID: "g", Name: "G", UserVisible: true, BiarchOnly: true,
		Packages: []comps.PackageReq{{Name: "p"}}}}}
	out := filepath.Join(t.TempDir(), "bi.xml")
	var buf bytes.Buffer
	if err := comps.Write(&buf, c, comps.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--relaxng", rng, out).Run(); err == nil {
		t.Error("xmllint accepted <biarchonly>; update the package documentation and TestWrittenValidates")
	}
}

func TestIntltoolWrite(t *testing.T) {
	c, err := comps.Open(testenv.Shared(t, "comps/comps-epel9.xml.in"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := comps.Write(&buf, c, comps.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<_name>") || strings.Contains(buf.String(), "<name>") {
		t.Error("intltool document not written with _name")
	}
	c.Groups[0].Names = map[string]string{"fr": "x"}
	if err := comps.Write(&buf, c, comps.WriteOptions{}); !errors.Is(err, comps.ErrIntltoolTranslations) {
		t.Errorf("Write with translations in .xml.in form: err = %v, want ErrIntltoolTranslations", err)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int
		elem      string
		msg       string
	}{
		{"unclosed", "<comps>\n<group>\n<id>a</id>\n", 4, "group", "unexpected EOF"},
		{"mismatched", "<comps>\n<group>\n<id>a</name>\n</group></comps>", 3, "id", "element <id> closed by </name>"},
		{"not comps", "<?xml version=\"1.0\"?>\n<repomd/>", 2, "repomd", "root element is not <comps>"},
		{"empty", "", 1, "", "no <comps> element"},
		{"bad type", "<comps>\n<group><id>g</id>\n<packagelist>\n<packagereq type=\"sometimes\">p</packagereq>\n</packagelist></group></comps>", 4, "packagereq", `unknown type "sometimes"`},
		{"bad bool", "<comps>\n<group><id>g</id>\n<default>maybe</default>\n</group></comps>", 3, "default", `invalid boolean "maybe"`},
		{"bad order", "<comps>\n<category><id>c</id>\n<display_order>first</display_order>\n</category></comps>", 3, "display_order", "invalid display_order"},
		{"no id", "<comps>\n<group>\n<name>x</name>\n</group>\n</comps>", 2, "group", "group without <id>"},
		{"empty package", "<comps>\n<group><id>g</id><packagelist>\n<packagereq type=\"default\"> </packagereq>\n</packagelist></group></comps>", 3, "packagereq", "empty package name"},
		{"bad attr", "<comps>\n<group x=1>", 2, "comps", "unquoted or missing attribute value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := comps.Read(strings.NewReader(tt.doc), "test.xml")
			var e *comps.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *comps.Error", err)
			}
			if e.File != "test.xml" || e.Line != tt.line || e.Element != tt.elem || !strings.Contains(e.Error(), tt.msg) {
				t.Errorf("err = %q (line %d, element %q), want line %d element %q containing %q",
					e, e.Line, e.Element, tt.line, tt.elem, tt.msg)
			}
			if !strings.HasPrefix(e.Error(), "test.xml: line ") {
				t.Errorf("error %q does not start with the file and line", e)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.xml.gz")
	if err := os.WriteFile(bad, []byte{0x1f, 0x8b, 0, 1, 2}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := comps.Open(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("Open(corrupt gzip) = %v, want an error naming %s", err, bad)
	}
	if _, err := comps.Open(filepath.Join(dir, "missing.xml")); err == nil || !strings.Contains(err.Error(), "missing.xml") {
		t.Errorf("Open(missing) = %v", err)
	}
}
