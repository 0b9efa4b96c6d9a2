package pages_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/generator/pages"
	"github.com/distmeta/distmeta/site/answers"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func render(t testing.TB, docs map[string]map[string][]byte, opts pages.Options) map[string][]byte {
	t.Helper()
	files, err := pages.Render(context.Background(), docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGolden renders the fixture and compares a few pages byte for byte.
func TestGolden(t *testing.T) {
	files := render(t, fixture(t), pages.Options{Jobs: 2, InlineCap: 50, PageSize: 100, Intro: []byte("Welcome to **F**. <script>x()</script>")})
	for _, p := range []string{"index.html", "src/gcc.html", "src/glibc.html", "pkg/gcc-c++.html", "pkg/glibc.html", "mod/tools/1.0+x.html",
		"compose/F-40-20240102.0.html", "variant/Server.html", "more/pkg/glibc/whatrequires-2.html", "list/src-1.html", "search-index.js"} {
		got, ok := files[p]
		if !ok {
			t.Errorf("no page %s among %v", p, pages.Paths(files))
			continue
		}
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(p, "/", "_")+".golden")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run with -update and review the diff)", p, golden)
		}
	}
}

// TestRenderFixture checks every page of the fixture: well-formed, every
// link resolves, everything escaped, the caps and pages of long lists.
func TestRenderFixture(t *testing.T) {
	files := render(t, fixture(t), pages.Options{Jobs: 3, InlineCap: 50, PageSize: 100})
	for _, p := range pages.Paths(files) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		doc := string(files[p])
		if err := checkHTML(doc); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if err := checkLinks(p, doc, files); err != nil {
			t.Error(err)
		}
		if strings.Contains(doc, "<script>alert") {
			t.Errorf("%s: unescaped name", p)
		}
	}
	want := []string{"index.html", "src/gcc.html", "src/~3cscript~3ealert~281~29~3c~2fscript~3e.html", "pkg/gcc-c++.html",
		"mod/tools/1.0+x.html", "compose/F-40-20240101.0.html", "compose/F-40-20240102.0.html", "variant/Server.html",
		"list/pkg-1.html", "list/mod-1.html", "more/pkg/glibc/whatrequires-1.html", "more/pkg/glibc/whatrequires-2.html",
		"assets/style.css", "assets/search.js", "search-index.js"}
	for _, p := range want {
		if _, ok := files[p]; !ok {
			t.Errorf("no file %s", p)
		}
	}
	if _, ok := files["compose/latest.html"]; ok {
		t.Error("compose/latest.html rendered: latest is an alias, not a compose")
	}
	glibc := string(files["pkg/glibc.html"])
	if n := strings.Count(glibc, `>pkg0`); n != 48 {
		t.Errorf("glibc page links %d of its 122 reverse dependencies inline, want 48 (cap 50 minus gcc, gcc-c++)", n)
	}
	for _, s := range []string{"and 72 more", "all 122", "dmq whatrequires glibc", `href="../more/pkg/glibc/whatrequires-1.html"`} {
		if !strings.Contains(glibc, s) {
			t.Errorf("glibc page lacks %q", s)
		}
	}
	if strings.Contains(string(files["more/pkg/glibc/whatrequires-2.html"]), ">pkg097<") {
		t.Error("page 2 of 100 names holds the 98th name")
	}
	if !strings.Contains(string(files["more/pkg/glibc/whatrequires-2.html"]), ">pkg098<") {
		t.Error("page 2 lacks the 101st name (pkg098)")
	}
	gcc := string(files["src/gcc.html"])
	for _, s := range []string{
		"a fresh build is underway (gcc-14.2-1.fc41)", // rawhide: from the source answer
		"on 1 of 3 mirrors",                           // f40: the status answer
		"Update to 14.1 &lt;with&gt; &amp; &#34;quotes&#34;",
		`href="../pkg/gcc-c%2B%2B.html"`,
	} {
		if !strings.Contains(gcc, s) {
			t.Errorf("gcc page lacks %q", s)
		}
	}
	mod := string(files["mod/tools/1.0+x.html"])
	for _, s := range []string{`class="stale"`, "1 behind their branch", "c000000000", "2 packages"} {
		if !strings.Contains(mod, s) {
			t.Errorf("module page lacks %q", s)
		}
	}
	if v := string(files["variant/Server.html"]); !strings.Contains(v, "module stream gone:1 is not in compose") || !strings.Contains(v, `href="../../comps/Server.xml.gz"`) {
		t.Error("variant page lacks its problem or its comps link")
	}
	if idx := string(files["index.html"]); !strings.Contains(idx, "<svg") || !strings.Contains(idx, "glibc-2.39-2.fc40") {
		t.Error("index lacks its charts or the failed glibc build")
	}
}

func TestRenderDeterministic(t *testing.T) {
	docs := fixture(t)
	a := render(t, docs, pages.Options{Jobs: 1, Gzip: true})
	b := render(t, docs, pages.Options{Jobs: 4, Gzip: true})
	if len(a) != len(b) {
		t.Fatalf("%d files with 1 job, %d with 4", len(a), len(b))
	}
	for p, x := range a {
		if !bytes.Equal(x, b[p]) {
			t.Errorf("%s differs between runs", p)
		}
	}
	for p, x := range a {
		if strings.HasSuffix(p, ".gz") {
			continue
		}
		z, ok := a[p+".gz"]
		if !ok {
			t.Errorf("no %s.gz", p)
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatal(err)
		}
		u, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(u, x) || !zr.ModTime.IsZero() || zr.Name != "" {
			t.Errorf("%s.gz: does not hold the page, or carries a name or time", p)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	for _, kind := range []string{answers.KindSource, answers.KindPackage, answers.KindModule, answers.KindCompose, answers.KindStatus} {
		docs := fixture(t)
		for k := range docs[kind] {
			docs[kind][k] = []byte(`{"schema":`)
			break
		}
		if _, err := pages.Render(context.Background(), docs, pages.Options{}); err == nil {
			t.Errorf("a broken %s document gave no error", kind)
		}
	}
	// No answers at all: an index that says so, no panic.
	files := render(t, map[string]map[string][]byte{}, pages.Options{})
	if err := checkHTML(string(files["index.html"])); err != nil {
		t.Fatal(err)
	}
}
