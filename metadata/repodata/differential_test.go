package repodata

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// chunkReader returns at most n bytes a Read, so that tokens straddle
// the scanner's refills.
type chunkReader struct {
	r io.Reader
	n int
}

func (c chunkReader) Read(p []byte) (int, error) {
	if len(p) > c.n {
		p = p[:c.n]
	}
	return c.r.Read(p)
}

// readers returns the ways the differential tests feed the scanner.
func readers(doc []byte) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"whole":   func() io.Reader { return bytes.NewReader(doc) },
		"onebyte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(doc)) },
		"chunk7":  func() io.Reader { return chunkReader{bytes.NewReader(doc), 7} },
	}
}

func newReadPrimary(r io.Reader, name string) ([]*Package, error) {
	var out []*Package
	err := ReadPrimary(r, name, func(p *Package) error { out = append(out, p); return nil })
	return out, err
}

func newReadFilelists(r io.Reader, name string) ([]*FileList, error) {
	var out []*FileList
	err := ReadFilelists(r, name, func(p *FileList) error { out = append(out, p); return nil })
	return out, err
}

func newReadOther(r io.Reader, name string) ([]*PackageChangelogs, error) {
	var out []*PackageChangelogs
	err := ReadOther(r, name, func(p *PackageChangelogs) error { out = append(out, p); return nil })
	return out, err
}

// agree checks that the scanner-based readers and the encoding/xml ones
// (legacy_test.go) deliver the same packages from doc and either both
// succeed or both fail, the new error naming the file and a line.
func agree(t *testing.T, doc []byte) {
	t.Helper()
	agreeWith(t, doc, readers(doc))
}

func agreeWith(t *testing.T, doc []byte, readers map[string]func() io.Reader) {
	t.Helper()
	const name = "fuzz.xml"
	for how, r := range readers {
		check := func(kind string, got, want any, gotErr, wantErr error) {
			t.Helper()
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%s (%s): scanner error %v, encoding/xml error %v\n%q", kind, how, gotErr, wantErr, doc)
			}
			if gotErr != nil && (!strings.HasPrefix(gotErr.Error(), name+":") ||
				!strings.Contains(gotErr.Error(), "line") && !strings.Contains(gotErr.Error(), "empty document")) {
				t.Fatalf("%s (%s): error %q does not name the file and line", kind, how, gotErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (%s): packages differ\n got %#v\nwant %#v\n%q", kind, how, got, want, doc)
			}
		}
		p1, e1 := newReadPrimary(r(), name)
		p2, e2 := legacyReadPrimary(bytes.NewReader(doc), name)
		check("primary", p1, p2, e1, e2)
		f1, e1 := newReadFilelists(r(), name)
		f2, e2 := legacyReadFilelists(bytes.NewReader(doc), name)
		check("filelists", f1, f2, e1, e2)
		o1, e1 := newReadOther(r(), name)
		o2, e2 := legacyReadOther(bytes.NewReader(doc), name)
		check("other", o1, o2, e1, e2)
	}
}

// FuzzDifferential: on any input, the scanner-based readers of primary,
// filelists and other.xml deliver exactly the packages the encoding/xml
// readers do, and fail exactly when they fail, whatever sizes the reads
// come in.
func FuzzDifferential(f *testing.F) {
	// The other fuzz targets' corpora are seeds here too.
	for _, dir := range []string{"FuzzPrimary", "FuzzFilelists", "FuzzOther"} {
		files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", dir, "*"))
		for _, file := range files {
			if doc, err := readCorpusFile(file); err == nil {
				f.Add(doc)
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		agree(t, doc)
	})
}

// readCorpusFile reads the one []byte value of a "go test fuzz v1" file.
func readCorpusFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok {
		return nil, io.ErrUnexpectedEOF
	}
	s := strings.TrimSpace(string(rest))
	s = strings.TrimSuffix(strings.TrimPrefix(s, "[]byte("), ")")
	u, err := strconv.Unquote(s)
	return []byte(u), err
}

// differentialCases are documents at the edges of what encoding/xml
// accepts; with -update they are written as FuzzDifferential's corpus.
var differentialCases = map[string]string{
	"entities":        `<metadata><package><name>a&amp;&lt;&gt;&apos;&quot;&#65;&#x42;&#x00e9;&#xD800;&#x10FFFF;&#13;</name><checksum type="sha256">ab</checksum></package></metadata>`,
	"entity_nul":      `<metadata><package><name>a&#0;</name><checksum>ab</checksum></package></metadata>`,
	"entity_upper_x":  `<metadata><package><name>&#X41;</name><checksum>ab</checksum></package></metadata>`,
	"entity_too_big":  `<metadata><package><name>&#x110000;</name><checksum>ab</checksum></package></metadata>`,
	"entity_fffe":     `<metadata><package><name>&#xFFFE;</name><checksum>ab</checksum></package></metadata>`,
	"entity_unknown":  `<metadata><package><name>&nbsp;</name><checksum>ab</checksum></package></metadata>`,
	"entity_nosemi":   `<metadata><package><name>&amp</name><checksum>ab</checksum></package></metadata>`,
	"entity_empty":    `<metadata><package><name>&#;&#x;</name><checksum>ab</checksum></package></metadata>`,
	"entity_long":     `<metadata><package><name>&#00000000000000000000000000065;&#x0000000000000000000000000000041;</name><checksum>ab</checksum></package></metadata>`,
	"entity_overflow": `<metadata><package><name>&#99999999999999999999999999999;</name><checksum>ab</checksum></package></metadata>`,
	"entity_attr":     `<metadata><package><name>a</name><checksum type="s&amp;h&#x41;">ab</checksum><location href="a&lt;b&quot;.rpm"/></package></metadata>`,
	"cdata":           "<metadata><package><name>a</name><checksum>ab</checksum><description><![CDATA[x <y> & ]] ]> \r\n z]]]>tail\r</description></package></metadata>",
	"cdata_bad":       `<metadata><package><name>a</name><checksum>ab</checksum><description><![CDATX[x]]></description></package></metadata>`,
	"cdata_unclosed":  `<metadata><package><name>a</name><checksum>ab</checksum><description><![CDATA[x]]</description></package></metadata>`,
	"mixed_text":      `<metadata><package><name>a<!-- c -->b<x>skipped<y/></x>c<?pi data?>d</name><checksum>ab</checksum></package></metadata>`,
	"comment_dashes":  `<metadata><!-- a -- b --><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"comment_3dash":   `<metadata><!-- a ---><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"comment_empty":   `<metadata><!----><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"comment_single":  `<metadata><!-x --><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"comment_binary":  "<metadata><!-- \xff\x00 --><package><name>a</name><checksum>ab</checksum></package></metadata>",
	"doctype": `<?xml version="1.0"?><!DOCTYPE metadata [ <!ENTITY x "a>b"> <!-- > --> <!ELEMENT a (b)> ]>` +
		`<metadata><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"doctype_nest":     `<!D <>><!X'>'"<"><metadata><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"doctype_unclosed": `<!DOCTYPE metadata [ <!ENTITY x "a>b"> <metadata/>`,
	"decl_ascii":       `<?xml version='1.0' encoding='US-ASCII'?><metadata><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"decl_latin1":      `<?xml version="1.0" encoding="ISO-8859-1"?><metadata><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"decl_version":     `<?xml version="1.1"?><metadata><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"decl_inside":      `<metadata><package><name>a<?xml encoding="latin1"?></name><checksum>ab</checksum></package></metadata>`,
	"pi_noname":        `<? x?><metadata/>`,
	"xml_base": `<metadata xmlns:x="http://www.w3.org/XML/1998/namespace" xmlns:y="xml"><package><name>a</name><checksum xml:type="no" type="sha256">ab</checksum>` +
		`<location x:href="no" foo:href="yes" href="later" x:base="b1"/></package><package><name>b</name><checksum>cd</checksum><location y:base="b2" xmlns:base="n" href="h"/></package>` +
		`<package><name>c</name><checksum>ef</checksum><location xmlns:z="http://www.w3.org/XML/1998/namespace" z:href="no" z:base="b3"/></package>` +
		`<package><name>d</name><checksum>ef</checksum><location z:base="b4" xml:base="b5"/></package></metadata>`,
	"prefix_mismatch": `<metadata><package><name>a</name><checksum>ab</checksum><format><rpm:requires><rpm:entry name="x"></entry></rpm:requires></format></package></metadata>`,
	"prefix_any": `<metadata><package><name>a</name><checksum>ab</checksum><format><foo:requires><bar:entry foo:name="x" flags="GE" baz:ver="1" pre="True"/>` +
		`<entry name="y" flags="=&lt;" epoch="2" pre="1"/><other/></foo:requires><rpm:requires><rpm:entry name="z"/></rpm:requires><rpm:file type="dir">/d</rpm:file></format></package></metadata>`,
	"two_colons":       `<metadata><a:b:c/></metadata>`,
	"colon_edges":      `<metadata><:a/><a:/><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"crlf":             "<metadata>\r\n<package>\r<name>a\r\nb\rc\n</name><checksum type=\"x\r\ny\">ab</checksum><summary>\r\r\n\n</summary></package></metadata>",
	"bad_utf8_text":    "<metadata><package><name>a\xc3</name><checksum>ab</checksum></package></metadata>",
	"bad_utf8_attr":    "<metadata><package><name>a</name><checksum type=\"\xff\">ab</checksum></package></metadata>",
	"utf8":             "<metadata><package><name>\u00e9\u4e2d\U0001F600</name><checksum>ab</checksum><summary>\ufffd\ufffe</summary></package></metadata>",
	"utf8_ok":          "<metadata><package><name>\u00e9\u4e2d\U0001F600\u007f</name><checksum>ab</checksum><summary>\ufffd\ue000</summary></package></metadata>",
	"utf8_surrogate":   "<metadata><package><name>\xed\xa0\x80</name><checksum>ab</checksum></package></metadata>",
	"control_char":     "<metadata><package><name>a\x01</name><checksum>ab</checksum></package></metadata>",
	"unicode_names":    "<metadata><package><n\u00e4me>x</n\u00e4me><name>a</name><checksum>ab</checksum><\u00b7x/></package></metadata>",
	"unicode_name_ok":  "<metadata><package><\u4e2d:\u00e9 \u00e9\u00b7=\"1\">x</\u4e2d:\u00e9><name>a</name><checksum>ab</checksum></package></metadata>",
	"brackets":         `<metadata><package><name>a]]>b</name><checksum>ab</checksum></package></metadata>`,
	"brackets_ok":      `<metadata><package><name>a]] >]&gt;]]&gt;</name><checksum type="]]>">ab</checksum></package></metadata>`,
	"lt_in_attr":       `<metadata><package><name>a</name><checksum type="<">ab</checksum></package></metadata>`,
	"gt_in_attr":       `<metadata><package><name>a</name><checksum type='>"'>ab</checksum></package></metadata>`,
	"unquoted":         `<metadata><package><name>a</name><checksum type=sha>ab</checksum></package></metadata>`,
	"no_equals":        `<metadata><package><name>a</name><checksum type>ab</checksum></package></metadata>`,
	"attrs_touching":   `<metadata><package   ><name >a</name  ><checksum type = 'x'pkgid="YES"  >ab</checksum	></package></metadata >`,
	"bad_selfclose":    `<metadata><package><name>a</name><checksum>ab</checksum><x / ></package></metadata>`,
	"end_spaces":       `<metadata><package><name>a</name><checksum>ab</checksum></package x></metadata>`,
	"stray_end":        `</x><metadata/>`,
	"text_before_root": `junk &amp; more<metadata><package><name>a</name><checksum>ab</checksum></package></metadata>`,
	"bad_before_root":  `junk & more<metadata/>`,
	"after_root":       `<metadata><package><name>a</name><checksum>ab</checksum></package></metadata><junk & <<<`,
	"nested_package":   `<metadata><x><package><name>skipped</name></package></x><package><name>a</name><checksum>ab</checksum><package><name>inner</name></package></package></metadata>`,
	"ints": `<metadata><package><name>a</name><checksum>ab</checksum><time file=" 12 " build="+5"/><size package="-3" installed="007" archive="9223372036854775807"/>` +
		`<format><rpm:header-range start="0" end="1"/></format></package></metadata>`,
	"int_space":      `<metadata><package><name>a</name><checksum>ab</checksum><time file=" "/></package></metadata>`,
	"int_underscore": `<metadata><package><name>a</name><checksum>ab</checksum><time file="1_000"/></package></metadata>`,
	"int_overflow":   `<metadata><package><name>a</name><checksum>ab</checksum><size package="9223372036854775808"/></package></metadata>`,
	"int_nbsp":       "<metadata><package><name>a</name><checksum>ab</checksum><time file=\"\u00a012\"/></package></metadata>",
	"dup_fields":     `<metadata><package><name>a</name><name>b</name><checksum>ab</checksum><checksum/><format><rpm:provides><rpm:entry name="p"/></rpm:provides><rpm:provides><rpm:entry name="q"/></rpm:provides><rpm:provides/></format></package></metadata>`,
	"empty_checksum": `<metadata><package><name>a</name><checksum></checksum></package></metadata>`,
	"second_bad":     `<metadata><package><name>a</name><checksum>ab</checksum></package><package><name>b</name></package></metadata>`,
	"bad_flags":      `<metadata><package><name>a</name><checksum>ab</checksum><format><rpm:requires><rpm:entry name="b" flags="==" /><rpm:entry name="c" flags="XX"/></rpm:requires></format></package></metadata>`,
	"filelists": `<filelists><package pkgid="ab" name="a" arch="x"><version epoch="0" ver="1" rel="2"/><file>/a&amp;</file><file type="ghost">/g</file><file type="dir"/><x><file>/no</file></x></package>` +
		`<package pkgid="" name="n"/></filelists>`,
	"other":         `<otherdata><package pkgid="ab" name="a" arch="x"><version ver="1"/><changelog author="A &lt;a@b&gt;" date="12">- fix &amp; test</changelog><changelog date="x"/></package></otherdata>`,
	"other_ok":      `<otherdata><package pkgid="ab" name="a"><changelog author="A" date=" 7 ">text<![CDATA[<more>]]></changelog></package></otherdata>`,
	"unclosed_root": `<metadata><package><name>a</name><checksum>ab</checksum></package>`,
	"wrong_root":    `<?xml version="1.0"?><filelists/>`,
	"empty":         ``,
	"only_space":    " \n\t ",
}

// TestDifferentialCases runs agree on documents at the edges of the
// grammar.
func TestDifferentialCases(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDifferential")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, doc := range differentialCases {
		t.Run(name, func(t *testing.T) {
			agree(t, []byte(doc))
			if *update {
				seed := "go test fuzz v1\n[]byte(" + strconv.Quote(doc) + ")\n"
				if err := os.WriteFile(filepath.Join(dir, name), []byte(seed), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestLegacyAgreement runs the differential check on the real samples:
// every package of every primary, filelists and other.xml, read whole
// and in odd-sized pieces.
func TestLegacyAgreement(t *testing.T) {
	for _, repo := range []string{"centos-stream-9-baseos-x86_64", "pungi-dummy-repo", "createrepo_c-repo_01", "createrepo_c-repo_03"} {
		for _, kind := range []string{"primary", "filelists", "other"} {
			t.Run(repo+"/"+kind, func(t *testing.T) {
				if testing.Short() && strings.HasPrefix(repo, "centos") {
					t.Skip("slow: 14 MB through encoding/xml")
				}
				r, err := OpenWith(sample(t, repo), Options{AcceptRecompressed: true})
				if err != nil {
					t.Fatal(err)
				}
				doc, err := r.ReadAll(kind)
				if errors.Is(err, fs.ErrNotExist) {
					t.Skip("listed in repomd.xml but not shipped (SOURCES.md)")
				}
				if err != nil {
					t.Fatal(err)
				}
				agreeWith(t, doc, map[string]func() io.Reader{
					"whole":     func() io.Reader { return bytes.NewReader(doc) },
					"chunk4093": func() io.Reader { return chunkReader{bytes.NewReader(doc), 4093} },
				})
			})
		}
	}
	for _, name := range []string{"repo_01_ampersand-primary.xml", "long_primary.xml", "unknown_element_00-primary.xml", "error_00-primary.xml"} {
		t.Run(name, func(t *testing.T) {
			doc, err := os.ReadFile(sample(t, "createrepo_c-modified/"+name))
			if err != nil {
				t.Fatal(err)
			}
			agree(t, doc)
		})
	}
}

// TestLargeTokens: tokens much larger than the scanner's window, with
// entities, line ends and multi-byte characters across every refill,
// read the same as encoding/xml reads them, in linear time even when the
// reads come a byte at a time.
func TestLargeTokens(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<metadata><package><name>big</name><checksum type="sha256">ab</checksum><description>`)
	for i := range 20000 {
		b.WriteString("line &amp; é中 &#x1F600;\r\n")
		if i%1000 == 0 {
			b.WriteString("<![CDATA[ <raw> & ]]>")
		}
	}
	b.WriteString(`</description><location href="`)
	b.WriteString(strings.Repeat("a&lt;b/", 30000))
	b.WriteString(`"/><format>`)
	for i := range 3000 {
		b.WriteString(`<file>/usr/share/doc/big/` + strconv.Itoa(i) + `</file>`)
	}
	b.WriteString(`</format></package></metadata>`)
	doc := []byte(b.String())
	agree(t, doc)
	pkgs, err := newReadPrimary(bytes.NewReader(doc), "big.xml")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Description) < 300_000 || len(pkgs[0].Files) != 3000 {
		t.Fatalf("%d packages, %v", len(pkgs), err)
	}
}
