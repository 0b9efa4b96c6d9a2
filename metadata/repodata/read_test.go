package repodata

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
)

// sample returns the path of a shared repodata sample.
func sample(t *testing.T, rel string) string {
	t.Helper()
	return testenv.Shared(t, filepath.Join("repodata", rel))
}

func archCounts(pkgs []*Package) map[string]int {
	m := map[string]int{}
	for _, p := range pkgs {
		m[p.Arch]++
	}
	return m
}

// TestSampleRepos reads every sample repository and checks the package
// counts SOURCES.md lists.
func TestSampleRepos(t *testing.T) {
	tests := []struct {
		dir    string
		opts   Options
		count  int
		arches map[string]int // nil: not checked here
	}{
		{"centos-stream-9-baseos-x86_64", Options{}, 1125, map[string]int{"x86_64": 764, "i686": 242, "noarch": 119}},
		{"pungi-dummy-repo", Options{}, 432, nil},
		// repo_01's primary.xml.gz was recompressed after its repomd.xml
		// was written (see TestRecompressedSample); its content verifies.
		{"createrepo_c-repo_01", Options{AcceptRecompressed: true}, 1, map[string]int{"x86_64": 1}},
		{"createrepo_c-repo_03", Options{}, 0, map[string]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			r, err := OpenWith(sample(t, tc.dir), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			pkgs, err := r.Packages(true)
			if err != nil {
				t.Fatal(err)
			}
			if len(pkgs) != tc.count {
				t.Errorf("got %d packages, want %d", len(pkgs), tc.count)
			}
			if tc.arches != nil && !reflect.DeepEqual(archCounts(pkgs), tc.arches) {
				t.Errorf("arches %v, want %v", archCounts(pkgs), tc.arches)
			}
			for _, p := range pkgs {
				if p.Checksum.Type == "" || len(p.Checksum.Value) < 32 || p.Location == "" {
					t.Errorf("%s: checksum %v location %q", p.NEVRA(), p.Checksum, p.Location)
				}
			}
		})
	}
}

func TestRepo03ModulesAndZchunk(t *testing.T) {
	dir := sample(t, "createrepo_c-repo_03")
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mods, err := r.Modules()
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Repomd.Find("modules"); int64(len(mods)) != d.OpenSize {
		t.Errorf("modules.yaml: %d bytes, repomd open-size %d", len(mods), d.OpenSize)
	}
	if !bytes.Contains(mods, []byte("document: modulemd")) {
		t.Errorf("modules.yaml does not look like modulemd:\n%.200s", mods)
	}
	// Asking for the zchunk kinds falls back to the gzip entries.
	for _, kind := range []string{"primary_zck", "filelists_zck", "other_zck"} {
		d, err := r.Lookup(kind)
		if err != nil {
			t.Fatal(err)
		}
		if CompressionOf(d.Location) != Gzip || d.Type != strings.TrimSuffix(kind, "_zck") {
			t.Errorf("Lookup(%s) = %s %s, want the gzip entry", kind, d.Type, d.Location)
		}
	}
	n := 0
	if err := r.ReadChangelogs(func(*PackageChangelogs) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("other.xml: %d packages, %v", n, err)
	}

	// A repository that lists only the zchunk file fails clearly.
	tmp := t.TempDir()
	zck := r.Repomd.Find("primary_zck")
	m := &Repomd{Revision: "1", Data: []Data{*zck}}
	writeRepomd(t, tmp, m)
	r2, err := Open(tmp)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r2.Packages(false)
	if !errors.Is(err, ErrUnsupportedCompression) || !strings.Contains(err.Error(), filepath.Base(zck.Location)) {
		t.Errorf("zck only: got %v, want ErrUnsupportedCompression naming %s", err, zck.Location)
	}
	if _, err := r2.Modules(); !errors.Is(err, ErrNoData) {
		t.Errorf("no modules: got %v, want ErrNoData", err)
	}
}

func writeRepomd(t *testing.T, dir string, m *Repomd) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "repodata"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "repodata", "repomd.xml"), m.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestRecompressedSample: repo_01's primary.xml.gz does not match the
// checksum in its repomd.xml (dnf rejects it too); its decompressed bytes
// match the open-checksum.
func TestRecompressedSample(t *testing.T) {
	dir := sample(t, "createrepo_c-repo_01")
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := r.Repomd.Find("primary")
	path := filepath.Join(dir, d.Location)
	_, err = r.Packages(false)
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a ChecksumError", err)
	}
	got := "sha256:" + fileSHA256(t, path)
	if ce.File != path || ce.What != "checksum" || ce.Expected != d.Checksum.String() || ce.Got != got {
		t.Errorf("got %+v, want file %s expected %s got %s", ce, path, d.Checksum, got)
	}
	for _, s := range []string{path, d.Checksum.Value, got} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
}

func TestMissingType(t *testing.T) {
	path := sample(t, "createrepo_c-modified/missing_type-repomd.xml")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ParseRepomd(f, path)
	if err == nil {
		t.Fatal("no error for a <data> without type")
	}
	for _, s := range []string{path, "line 12", "<data>", "type"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %q", err, s)
		}
	}
}

func readPrimaryFile(t *testing.T, path string) ([]*Package, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pkgs []*Package
	err = ReadPrimary(f, path, func(p *Package) error {
		pkgs = append(pkgs, p)
		return nil
	})
	return pkgs, err
}

// TestOddPrimaries reads createrepo_c's deliberately odd primaries and
// compares them with what xml.etree reads.
func TestOddPrimaries(t *testing.T) {
	for _, name := range []string{"repo_01_ampersand-primary.xml", "long_primary.xml", "unknown_element_00-primary.xml"} {
		t.Run(name, func(t *testing.T) {
			path := sample(t, "createrepo_c-modified/"+name)
			pkgs, err := readPrimaryFile(t, path)
			if err != nil {
				t.Fatal(err)
			}
			comparePython(t, pkgs, path)
		})
	}
	t.Run("ampersand", func(t *testing.T) {
		pkgs, err := readPrimaryFile(t, sample(t, "createrepo_c-modified/repo_01_ampersand-primary.xml"))
		if err != nil || len(pkgs) != 1 {
			t.Fatal(len(pkgs), err)
		}
		p := pkgs[0]
		if p.Summary != "Tes&t package" || p.Location != "super_kernel&-6.0.1-2.x86_64.rpm" || p.Provides[3].Name != "super_&&kernel(x86-64)" {
			t.Errorf("entities not decoded: %q %q %q", p.Summary, p.Location, p.Provides[3].Name)
		}
	})
}

// TestErrorPrimary: createrepo_c's parser fails on error_00-primary.xml
// ("Package without pkgid (checksum)!") at the first package, fake_bash.
func TestErrorPrimary(t *testing.T) {
	path := sample(t, "createrepo_c-modified/error_00-primary.xml")
	pkgs, err := readPrimaryFile(t, path)
	if err == nil {
		t.Fatal("no error for a package without checksum")
	}
	if len(pkgs) != 0 {
		t.Errorf("%d packages delivered before the error, want 0", len(pkgs))
	}
	for _, s := range []string{path, "line 3", "fake_bash", "checksum"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %q", err, s)
		}
	}
}

// pyPkg is a package as testdata/etree_dump.py prints it.
type pyPkg struct {
	Name, Arch, Epoch, Ver, Rel string
	Cktype, Pkgid               string
	Summary, Description        string
	Packager                    string
	URL                         string `json:"url"`
	Time                        [2]int64
	Size                        [3]int64
	Href, Base                  string
	License, Vendor, Group      string
	Buildhost, Sourcerpm        string
	Header                      [2]int64
	Files                       [][2]string
	Provides, Requires          []pyDep
	Conflicts, Obsoletes        []pyDep
	Recommends, Suggests        []pyDep
	Supplements, Enhances       []pyDep
}

type pyDep [6]any

func toPy(p *Package) pyPkg {
	deps := func(ds []Dep) []pyDep {
		out := []pyDep{}
		for _, d := range ds {
			out = append(out, pyDep{d.Name, d.Flags.Repodata(), d.EVR.Epoch, d.EVR.Version, d.EVR.Release, d.Pre})
		}
		return out
	}
	files := [][2]string{}
	for _, f := range p.Files {
		files = append(files, [2]string{f.Path, f.Type})
	}
	return pyPkg{
		Name: p.Name, Arch: p.Arch, Epoch: p.EVR.Epoch, Ver: p.EVR.Version, Rel: p.EVR.Release,
		Cktype: p.Checksum.Type, Pkgid: p.Checksum.Value, Summary: p.Summary, Description: p.Description,
		Packager: p.Packager, URL: p.URL, Time: [2]int64{p.FileTime, p.BuildTime},
		Size: [3]int64{p.PackageSize, p.Installed, p.ArchiveSize}, Href: p.Location, Base: p.LocationBase,
		License: p.License, Vendor: p.Vendor, Group: p.Group, Buildhost: p.BuildHost, Sourcerpm: p.SourceRPM,
		Header: [2]int64{p.HeaderStart, p.HeaderEnd}, Files: files,
		Provides: deps(p.Provides), Requires: deps(p.Requires), Conflicts: deps(p.Conflicts),
		Obsoletes: deps(p.Obsoletes), Recommends: deps(p.Recommends), Suggests: deps(p.Suggests),
		Supplements: deps(p.Supplements), Enhances: deps(p.Enhances),
	}
}

// comparePython runs testdata/etree_dump.py on the files and compares
// every field of every package with ours.
func comparePython(t *testing.T, pkgs []*Package, files ...string) {
	t.Helper()
	py := testenv.SystemPython(t)
	cmd := exec.Command(py, append([]string{"testdata/etree_dump.py"}, files...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("etree_dump.py: %v", err)
	}
	var want []pyPkg
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	// JSON turns Go's any into float64/bool/string: round-trip ours too.
	gotJSON, _ := json.Marshal(func() []pyPkg {
		s := make([]pyPkg, len(pkgs))
		for i, p := range pkgs {
			s[i] = toPy(p)
		}
		return s
	}())
	var got []pyPkg
	if err := json.Unmarshal(gotJSON, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d packages, xml.etree reads %d", len(got), len(want))
	}
	bad := 0
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			bad++
			if bad <= 3 {
				g, _ := json.Marshal(got[i])
				w, _ := json.Marshal(want[i])
				t.Errorf("package %d differs from xml.etree:\n got %s\nwant %s", i, g, w)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d packages differ", bad, len(want))
	}
}

// TestCentOSAgainstEtree compares every field of all 1,125 CentOS Stream
// 9 packages, with their full file lists, with what xml.etree reads.
func TestCentOSAgainstEtree(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs python over 14 MB of XML")
	}
	dir := sample(t, "centos-stream-9-baseos-x86_64")
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := r.Packages(true)
	if err != nil {
		t.Fatal(err)
	}
	comparePython(t, pkgs, filepath.Join(dir, r.Repomd.Find("primary").Location), filepath.Join(dir, r.Repomd.Find("filelists").Location))
	rich := 0
	for _, p := range pkgs {
		for _, d := range p.Requires {
			if strings.HasPrefix(d.Name, "(") {
				rich++
				if d.Flags != 0 || !strings.HasSuffix(d.Name, ")") {
					t.Errorf("%s: rich dep %q has flags %v", p.NEVRA(), d.Name, d.Flags)
				}
			}
		}
	}
	if rich == 0 {
		t.Error("no rich dependency seen in CentOS Stream 9 BaseOS")
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTampered changes bytes of a copy of a real repository and checks
// that reading fails naming the file, the expected and the got digest.
func TestTampered(t *testing.T) {
	src := sample(t, "pungi-dummy-repo")
	tests := []struct {
		name   string
		kind   string
		tamper func(b []byte) []byte
		what   string
	}{
		{"flipped byte in primary", "primary", func(b []byte) []byte { b[len(b)/2] ^= 0x55; return b }, "checksum"},
		{"truncated filelists", "filelists", func(b []byte) []byte { return b[:len(b)-100] }, "checksum"},
		{"appended garbage to other", "other", func(b []byte) []byte { return append(b, "junk"...) }, "checksum"},
		{"changed plain comps", "group", func(b []byte) []byte { return bytes.Replace(b, []byte("dummy"), []byte("DUMMY"), 1) }, "checksum"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, src, dir)
			r, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			d := r.Repomd.Find(tc.kind)
			path := filepath.Join(dir, d.Location)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.tamper(b), 0o644); err != nil {
				t.Fatal(err)
			}
			switch tc.kind {
			case "primary":
				_, err = r.Packages(false)
			case "filelists":
				_, err = r.Packages(true)
			case "other":
				err = r.ReadChangelogs(func(*PackageChangelogs) error { return nil })
			default:
				_, err = r.ReadAll(tc.kind)
			}
			var ce *ChecksumError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a ChecksumError", err)
			}
			got := "sha256:" + fileSHA256(t, path)
			if ce.File != path || ce.What != tc.what || ce.Expected != d.Checksum.String() || ce.Got != got {
				t.Errorf("got %+v, want %s mismatch of %s: expected %s got %s", ce, tc.what, path, d.Checksum, got)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), d.Checksum.Value) {
				t.Errorf("error %q names neither file nor expected digest", err)
			}
		})
	}
}

// TestOpenChecksum: a file whose compressed checksum matches but whose
// content differs from open-checksum fails, as does a wrong open-size.
func TestOpenChecksum(t *testing.T) {
	src := sample(t, "pungi-dummy-repo")
	for _, tc := range []struct {
		name string
		edit func(d *Data)
		what string
	}{
		{"open-checksum", func(d *Data) { d.OpenChecksum.Value = strings.Repeat("0", 64) }, "open-checksum"},
		{"open-size", func(d *Data) { d.OpenSize-- }, "open-size"},
		{"size", func(d *Data) { d.Size++ }, "size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, src, dir)
			r, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			tc.edit(r.Repomd.Find("primary"))
			writeRepomd(t, dir, r.Repomd)
			_, err = LoadPackages(dir, false)
			var ce *ChecksumError
			if !errors.As(err, &ce) || ce.What != tc.what {
				t.Fatalf("got %v, want a %s mismatch", err, tc.what)
			}
		})
	}
}

func TestSizeCap(t *testing.T) {
	dir := sample(t, "pungi-dummy-repo")
	r, err := OpenWith(dir, Options{MaxSize: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	// primary.xml is 473,736 bytes decompressed.
	if _, err := r.Packages(false); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
	// filelists.xml (78,814 bytes) fits.
	if err := r.ReadFilelists(func(*FileList) error { return nil }); err != nil {
		t.Error(err)
	}
}

// TestCompressions stores the same primary.xml under every compression
// repomd may name and reads it back.
func TestCompressions(t *testing.T) {
	plain, err := os.ReadFile(sample(t, "createrepo_c-modified/long_primary.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := readAllPrimary(bytes.NewReader(plain), "long_primary.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Compression{Plain, Gzip, XZ, Zstd, Bzip2} {
		t.Run(string(c)+"_", func(t *testing.T) {
			var comp []byte
			if c == Bzip2 {
				comp = bzip2Bytes(t, plain)
			} else {
				var b bytes.Buffer
				zw, err := compressor(&b, c)
				if err != nil {
					t.Fatal(err)
				}
				zw.Write(plain)
				if err := zw.Close(); err != nil {
					t.Fatal(err)
				}
				comp = b.Bytes()
			}
			dir := t.TempDir()
			name := "primary.xml"
			if c != Plain {
				name += "." + string(c)
			}
			if err := os.MkdirAll(filepath.Join(dir, "repodata"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "repodata", name), comp, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := func(b []byte) Checksum { s := sha256.Sum256(b); return Checksum{"sha256", hex.EncodeToString(s[:])} }
			writeRepomd(t, dir, &Repomd{Data: []Data{{
				Type: "primary", Location: "repodata/" + name, Checksum: sum(comp), OpenChecksum: sum(plain),
				Size: int64(len(comp)), OpenSize: int64(len(plain)),
			}}})
			got, err := LoadPackages(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: packages differ from the plain read", c)
			}
		})
	}
}

// readAllPrimary returns every package of a primary.xml.
func readAllPrimary(r io.Reader, name string) ([]*Package, error) {
	var pkgs []*Package
	err := ReadPrimary(r, name, func(p *Package) error { pkgs = append(pkgs, p); return nil })
	return pkgs, err
}

func bzip2Bytes(t *testing.T, b []byte) []byte {
	t.Helper()
	tool := testenv.Tool(t, "bzip2")
	cmd := exec.Command(tool, "-c")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMalformed: broken documents give errors naming the file, never
// panics.
func TestMalformed(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"empty", "", "empty document"},
		{"wrong root", `<filelists/>`, "root element is <filelists>"},
		{"truncated", `<metadata><package type="rpm"><name>a</name>`, "unexpected EOF"},
		{"mismatched", `<metadata><package><name>a</arch></package></metadata>`, "line 1"},
		{"bad flags", `<metadata><package><name>a</name><checksum type="sha256" pkgid="YES">ab</checksum><format><rpm:requires xmlns:rpm="x"><rpm:entry name="b" flags="XX"/></rpm:requires></format></package></metadata>`, "unknown comparison"},
		{"bad int", `<metadata><package><name>a</name><time file="x"/></package></metadata>`, "not an integer"},
		{"no name", `<metadata><package><checksum>ab</checksum></package></metadata>`, "no <name>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAllPrimary(strings.NewReader(tc.doc), "t.xml")
			if err == nil || !strings.Contains(err.Error(), "t.xml") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error naming t.xml and %q", err, tc.want)
			}
		})
	}
}

func TestPathTraversal(t *testing.T) {
	dir := t.TempDir()
	writeRepomd(t, dir, &Repomd{Data: []Data{{Type: "primary", Location: "../../etc/passwd", Checksum: Checksum{"sha256", "00"}}}})
	_, err := LoadPackages(dir, false)
	if err == nil || !strings.Contains(err.Error(), "leaves the repository") {
		t.Errorf("got %v, want a refusal", err)
	}
}
