package repodata

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

var update = flag.Bool("update", false, "rewrite the golden repository under testdata/golden-repo")

var testNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func evr(s string) rpmver.EVR {
	e := rpmver.ParseEVR(s)
	if e.Epoch == "" {
		e.Epoch = "0"
	}
	return e
}

func sum(s string) Checksum {
	h := fmt.Sprintf("%064x", 0)
	return Checksum{Type: "sha256", Value: h[:64-len(s)] + s}
}

func pkg(name, arch, v string, id string) *Package {
	e := evr(v)
	p := &Package{
		Name: name, Arch: arch, EVR: e, Checksum: sum(id),
		Summary: name + " summary", Description: "The " + name + " package.\nSecond line.",
		Packager: "Tester <t@example.org>", URL: "https://example.org/" + name,
		FileTime: 1714560000, BuildTime: 1714550000, PackageSize: 1234, Installed: 5678, ArchiveSize: 6000,
		Location: "Packages/" + name + "-" + e.Version + "-" + e.Release + "." + arch + ".rpm",
		License:  "MIT", Vendor: "distmeta", Group: "Unspecified", BuildHost: "builder",
		SourceRPM: name + "-" + e.Version + "-" + e.Release + ".src.rpm", HeaderStart: 4504, HeaderEnd: 9000,
	}
	p.Provides = []Dep{{Name: name, Flags: rpmver.EQ, EVR: e}, {Name: name + "(x86-64)", Flags: rpmver.EQ, EVR: e}}
	return p
}

// testWorld is a small repository exercising every field the writer
// writes: versioned, rich, file, pre and weak dependencies, characters
// that need escaping, directories and ghosts, changelogs.
func testWorld() []*Package {
	glibc := pkg("glibc", "x86_64", "2.34-100.el9", "01")
	glibc.Provides = append(glibc.Provides, Dep{Name: "libc.so.6()(64bit)"}, Dep{Name: "rtld(GNU_HASH)"})
	glibc.Files = []File{{Path: "/etc/ld.so.conf"}, {Path: "/usr/lib64/libc.so.6"}, {Path: "/usr/sbin/ldconfig"}, {Path: "/usr/lib64/gconv", Type: "dir"}, {Path: "/var/cache/ldconfig/aux-cache", Type: "ghost"}}

	bash := pkg("bash", "x86_64", "5.1.8-9.el9", "02")
	bash.Requires = []Dep{{Name: "libc.so.6()(64bit)"}, {Name: "glibc", Flags: rpmver.GE, EVR: rpmver.EVR{Epoch: "0", Version: "2.34"}, Pre: true}}
	bash.Provides = append(bash.Provides, Dep{Name: "/bin/sh"})
	bash.Files = []File{{Path: "/usr/bin/bash"}, {Path: "/usr/bin/sh"}, {Path: "/usr/share/doc/bash", Type: "dir"}, {Path: "/usr/share/doc/bash/README"}}
	bash.Changelogs = []Changelog{
		{Author: "Tester <t@example.org> - 5.1.8-9", Date: 1700000000, Text: "- Rebuilt & fixed <things>"},
		{Author: "Other Person <o@example.org> - 5.1.8-8", Date: 1690000000, Text: "- Initial \"import\""},
	}

	hello := pkg("hello", "x86_64", "1:2.12-1.el9", "03")
	hello.Summary = `Says "hello" & <waves> — ünïcödé`
	hello.Requires = []Dep{
		{Name: "/usr/bin/bash"},
		{Name: "(libfoo or libbar)"},
		{Name: "glibc", Flags: rpmver.GE, EVR: rpmver.EVR{Epoch: "0", Version: "2.34"}},
		{Name: "libc.so.6()(64bit)"},
	}
	hello.Conflicts = []Dep{{Name: "hello-legacy", Flags: rpmver.LT, EVR: rpmver.EVR{Epoch: "0", Version: "2"}}}
	hello.Obsoletes = []Dep{{Name: "hello-old", Flags: rpmver.LE, EVR: rpmver.EVR{Epoch: "0", Version: "2.0", Release: "1"}}}
	hello.Recommends = []Dep{{Name: "hello-docs"}}
	hello.Files = []File{{Path: "/usr/bin/hello"}, {Path: "/usr/share/man/man1/hello.1.gz"}}

	docs := pkg("hello-docs", "noarch", "2.12-1.el9", "04")
	docs.Provides = []Dep{{Name: "hello-docs", Flags: rpmver.EQ, EVR: docs.EVR}}
	docs.Supplements = []Dep{{Name: "(hello and man-db)"}}
	docs.Enhances = []Dep{{Name: "hello"}}
	docs.Suggests = []Dep{{Name: "libfoo"}}
	docs.Files = []File{{Path: "/usr/share/doc/hello/html/index.html"}}

	libfoo := pkg("libfoo", "x86_64", "0.1-1.el9", "05")
	libfoo.Provides = append(libfoo.Provides, Dep{Name: "libfoo.so.0()(64bit)"})
	libfoo.Requires = []Dep{{Name: "rtld(GNU_HASH)"}}
	libfoo.Files = []File{{Path: "/usr/lib64/libfoo.so.0"}}

	src := pkg("hello", "src", "1:2.12-1.el9", "06")
	src.Provides = nil
	src.SourceRPM = ""
	src.Requires = []Dep{{Name: "gcc"}, {Name: "make", Flags: rpmver.GE, EVR: rpmver.EVR{Version: "4"}}}
	return []*Package{hello, bash, src, docs, glibc, libfoo}
}

func writeTestRepo(t *testing.T, c Compression, pkgs []*Package) string {
	t.Helper()
	dir := t.TempDir()
	_, err := WriteRepo(dir, pkgs, WriteOptions{
		Now: testNow, Compression: c,
		Modules: []byte("---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: hello\n  stream: \"2\"\n...\n"),
		Comps:   []byte(compsXML),
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

const compsXML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>greeting</id>
    <name>Greeting</name>
    <description>Tools that greet</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist>
      <packagereq type="mandatory">hello</packagereq>
    </packagelist>
  </group>
</comps>
`

func readDirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestWriteGolden compares the written repository byte for byte with
// testdata/golden-repo (refresh with -update), and checks that the input
// order does not change the bytes.
func TestWriteGolden(t *testing.T) {
	world := testWorld()
	dir := writeTestRepo(t, Gzip, world)
	reversed := slices.Clone(world)
	slices.Reverse(reversed)
	dir2 := writeTestRepo(t, Gzip, reversed)
	got := readDirFiles(t, filepath.Join(dir, "repodata"))
	if !reflect.DeepEqual(got, readDirFiles(t, filepath.Join(dir2, "repodata"))) {
		t.Error("the same packages in another order gave other bytes")
	}
	golden := filepath.Join("testdata", "golden-repo", "repodata")
	if *update {
		os.RemoveAll(golden)
		if err := os.MkdirAll(golden, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range got {
			if err := os.WriteFile(filepath.Join(golden, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := readDirFiles(t, golden)
	if !reflect.DeepEqual(keys(got), keys(want)) {
		t.Fatalf("files %v, golden %v (run go test -update)", keys(got), keys(want))
	}
	for name := range want {
		if !bytes.Equal(got[name], want[name]) {
			t.Errorf("%s differs from the golden file (run go test -update)", name)
		}
	}
}

func keys(m map[string][]byte) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// TestWriteReadBack writes the test world in each compression and reads
// it back field for field.
func TestWriteReadBack(t *testing.T) {
	for _, c := range []Compression{Gzip, Zstd, XZ} {
		t.Run(string(c), func(t *testing.T) {
			world := testWorld()
			dir := writeTestRepo(t, c, world)
			got, err := LoadPackages(dir, true)
			if err != nil {
				t.Fatal(err)
			}
			want := sortedPackages(world)
			var logs []PackageChangelogs
			for _, p := range want {
				logs = append(logs, PackageChangelogs{PkgID: p.Checksum.Value, Name: p.Name, Arch: p.Arch, EVR: p.EVR, Changelogs: p.Changelogs})
			}
			stripped := make([]*Package, len(want))
			for i, p := range want {
				q := *p
				q.Changelogs = nil
				stripped[i] = &q
			}
			if !reflect.DeepEqual(got, stripped) {
				for i := range got {
					if !reflect.DeepEqual(got[i], stripped[i]) {
						t.Errorf("package %d:\n got %+v\nwant %+v", i, *got[i], *stripped[i])
					}
				}
			}
			r, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			var gotLogs []PackageChangelogs
			if err := r.ReadChangelogs(func(pc *PackageChangelogs) error { gotLogs = append(gotLogs, *pc); return nil }); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotLogs, logs) {
				t.Errorf("changelogs:\n got %+v\nwant %+v", gotLogs, logs)
			}
			mods, err := r.Modules()
			if err != nil || !bytes.HasPrefix(mods, []byte("---\ndocument: modulemd-defaults")) {
				t.Errorf("modules: %q %v", mods, err)
			}
			for _, kind := range []string{"group", "group_gz"} {
				if b, err := r.ReadAll(kind); err != nil || string(b) != compsXML {
					t.Errorf("%s: %v", kind, err)
				}
			}
			// primary.xml alone carries the files createrepo_c puts there.
			prim, err := LoadPackages(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range prim {
				var wantFiles []File
				for _, f := range want[i].Files {
					if primaryFile(f.Path) {
						wantFiles = append(wantFiles, f)
					}
				}
				if !reflect.DeepEqual(p.Files, wantFiles) {
					t.Errorf("%s: primary files %v, want %v", p.NEVRA(), p.Files, wantFiles)
				}
			}
		})
	}
}

func TestWriteRejects(t *testing.T) {
	good := testWorld()
	noSum := testWorld()
	noSum[0].Checksum = Checksum{}
	for _, tc := range []struct {
		name string
		pkgs []*Package
		opts WriteOptions
		want string
	}{
		{"no time", good, WriteOptions{}, "Now is not set"},
		{"no checksum", noSum, WriteOptions{Now: testNow}, "hello-1:2.12-1.el9.x86_64 has no checksum"},
		{"bad extra", good, WriteOptions{Now: testNow, Extra: []ExtraFile{{Type: "x", Name: "../x"}}}, "plain file name"},
		{"bad compression", good, WriteOptions{Now: testNow, Compression: Bzip2}, "unsupported compression"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WriteRepo(t.TempDir(), tc.pkgs, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func dnfQuery(t *testing.T, dir, cache string, args ...string) []string {
	t.Helper()
	dnf := testenv.Tool(t, "dnf")
	base := []string{"repoquery", "-q", "--releasever=1", "--forcearch=x86_64",
		"--repofrompath=t," + dir, "--repo=t", "--setopt=reposdir=/dev/null",
		"--setopt=cachedir=" + cache, "--setopt=optional_metadata_types=filelists,other"}
	cmd := exec.Command(dnf, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || strings.Contains(stderr.String(), "Error") || strings.Contains(stderr.String(), "Ignoring repositories") {
		t.Fatalf("dnf %v: %v\n%s", args, err, stderr.String())
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return lines
}

// TestWriteDNF checks that dnf loads the written repositories and
// answers dependency questions over them as the test world says.
func TestWriteDNF(t *testing.T) {
	if testing.Short() {
		t.Skip("runs dnf")
	}
	for _, c := range []Compression{Gzip, Zstd} {
		t.Run(string(c), func(t *testing.T) {
			dir := writeTestRepo(t, c, testWorld())
			cache := t.TempDir() // shared by the queries: dnf loads the repo once
			tests := []struct {
				args []string
				want []string
			}{
				// libfoo requires rtld(GNU_HASH), which glibc provides.
				{[]string{"--whatrequires", "glibc"}, []string{"bash-0:5.1.8-9.el9.x86_64", "hello-1:2.12-1.el9.x86_64", "libfoo-0:0.1-1.el9.x86_64"}},
				{[]string{"--whatrequires", "libc.so.6()(64bit)"}, []string{"bash-0:5.1.8-9.el9.x86_64", "hello-1:2.12-1.el9.x86_64"}},
				{[]string{"--whatrequires", "libfoo"}, []string{"hello-1:2.12-1.el9.x86_64"}},
				{[]string{"--whatprovides", "/usr/bin/bash"}, []string{"bash-0:5.1.8-9.el9.x86_64"}},
				{[]string{"--whatprovides", "/usr/share/doc/bash/README"}, []string{"bash-0:5.1.8-9.el9.x86_64"}},
				{[]string{"--whatrecommends", "hello-docs"}, []string{"hello-1:2.12-1.el9.x86_64"}},
				{[]string{"--whatsupplements", "hello"}, []string{"hello-docs-0:2.12-1.el9.noarch"}},
				{[]string{"--whatobsoletes", "hello-old"}, []string{"hello-1:2.12-1.el9.x86_64"}},
				{[]string{"--arch=src", "--whatrequires", "make"}, []string{"hello-1:2.12-1.el9.src"}},
				{[]string{"--qf", "%{name}|%{summary}|%{url}", "hello.x86_64"}, []string{`hello|Says "hello" & <waves> — ünïcödé|https://example.org/hello`}},
				{[]string{"--requires", "bash"}, []string{"glibc >= 2.34", "libc.so.6()(64bit)"}},
				{[]string{"--changelog", "bash"}, nil}, // checked below
			}
			for _, tc := range tests[:len(tests)-1] {
				if got := dnfQuery(t, dir, cache, tc.args...); !reflect.DeepEqual(got, tc.want) {
					t.Errorf("dnf repoquery %v:\n got %q\nwant %q", tc.args, got, tc.want)
				}
			}
			log := strings.Join(dnfQuery(t, dir, cache, "--changelog", "bash"), "\n")
			if !strings.Contains(log, "Rebuilt & fixed <things>") || !strings.Contains(log, `Initial "import"`) {
				t.Errorf("dnf --changelog bash:\n%s", log)
			}
		})
	}
}

// TestModifyrepo: createrepo_c's modifyrepo_c accepts the written
// repomd.xml, adds a file to it, and the result still reads.
func TestModifyrepo(t *testing.T) {
	tool := testenv.Tool(t, "modifyrepo_c")
	dir := writeTestRepo(t, Gzip, testWorld())
	ui := filepath.Join(t.TempDir(), "updateinfo.xml")
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<updates/>
`
	if err := os.WriteFile(ui, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "--mdtype=updateinfo", ui, filepath.Join(dir, "repodata")).CombinedOutput()
	if err != nil {
		t.Fatalf("modifyrepo_c: %v\n%s", err, out)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.ReadAll("updateinfo")
	if err != nil || string(b) != doc {
		t.Fatalf("updateinfo after modifyrepo_c: %q %v", b, err)
	}
	pkgs, err := r.Packages(true)
	if err != nil || len(pkgs) != len(testWorld()) {
		t.Fatalf("%d packages, %v", len(pkgs), err)
	}
	for _, typ := range []string{"primary", "filelists", "other", "group", "group_gz", "modules"} {
		if r.Repomd.Find(typ) == nil {
			t.Errorf("modifyrepo_c dropped %s", typ)
		}
	}
}

func ExampleWriteRepo() {
	dir, _ := os.MkdirTemp("", "repo")
	defer os.RemoveAll(dir)
	p := &Package{
		Name: "hello", Arch: "noarch", EVR: rpmver.EVR{Epoch: "0", Version: "1.0", Release: "1"},
		Checksum: Checksum{Type: "sha256", Value: strings.Repeat("ab", 32)},
		Location: "hello-1.0-1.noarch.rpm",
		Requires: []Dep{{Name: "(bash or zsh)"}},
		Files:    []File{{Path: "/usr/bin/hello"}},
	}
	m, err := WriteRepo(dir, []*Package{p}, WriteOptions{Now: time.Unix(1714560000, 0)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range m.Data {
		fmt.Println(d.Type, d.Timestamp)
	}
	pkgs, _ := LoadPackages(dir, true)
	fmt.Println(pkgs[0].NEVRA(), pkgs[0].Requires[0])
	// Output:
	// primary 1714560000
	// filelists 1714560000
	// other 1714560000
	// hello-1.0-1.noarch (bash or zsh)
}

func ExampleLoadPackages() {
	pkgs, err := LoadPackages("testdata/golden-repo", false)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pkgs {
		fmt.Println(p.NEVRA(), len(p.Requires), "requires")
	}
	// Output:
	// bash-5.1.8-9.el9.x86_64 2 requires
	// glibc-2.34-100.el9.x86_64 0 requires
	// hello-1:2.12-1.el9.src 2 requires
	// hello-1:2.12-1.el9.x86_64 4 requires
	// hello-docs-2.12-1.el9.noarch 0 requires
	// libfoo-0.1-1.el9.x86_64 1 requires
}

func ExampleRepo_ReadPackages() {
	r, err := Open("testdata/golden-repo")
	if err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	err = r.ReadPackages(func(p *Package) error {
		n++ // one package at a time; the file is verified at its end
		return nil
	})
	fmt.Println(n, err)
	// Output:
	// 6 <nil>
}
