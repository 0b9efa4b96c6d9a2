package world

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
)

var (
	smallOnce sync.Once
	smallDir  string
	smallW    *World
	smallErr  error
)

// small writes the small world once for the tests of this package.
func small(t *testing.T) (*World, string) {
	t.Helper()
	smallOnce.Do(func() {
		smallDir, smallErr = os.MkdirTemp("", "distmeta-world-")
		if smallErr != nil {
			return
		}
		smallW, smallErr = Generate(Scales["small"], 7)
		if smallErr == nil {
			smallErr = smallW.Write(t.Context(), smallDir, WriteOptions{})
		}
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallW, smallDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if smallDir != "" {
		os.RemoveAll(smallDir)
	}
	os.Exit(code)
}

// treeDigest hashes every path, mode and content under dir.
func treeDigest(t *testing.T, dir string) (string, int) {
	t.Helper()
	h := sha256.New()
	n := 0
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			continue // the root folder's mode is the caller's
		}
		io.WriteString(h, rel+"\x00"+fi.Mode().String()+"\x00")
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
			n++
		}
	}
	return hex.EncodeToString(h.Sum(nil)), n
}

func TestSameSeedSameBytes(t *testing.T) {
	_, a := small(t)
	w2, err := Generate(Scales["small"], 7)
	if err != nil {
		t.Fatal(err)
	}
	b := t.TempDir()
	if err := w2.Write(t.Context(), b, WriteOptions{Jobs: 1}); err != nil {
		t.Fatal(err)
	}
	da, na := treeDigest(t, a)
	db, nb := treeDigest(t, b)
	if da != db || na != nb {
		out, _ := exec.Command("diff", "-rq", a, b).CombinedOutput()
		t.Logf("diff -rq:\n%s", out)
		t.Fatalf("two runs with seed 7 differ: %s (%d files) vs %s (%d files)", da, na, db, nb)
	}
	w3, _ := Generate(Scales["small"], 8)
	if w3.Components[len(w3.Components)-1].Name == w2.Components[len(w2.Components)-1].Name {
		t.Errorf("seeds 7 and 8 gave the same last component %s", w3.Components[len(w3.Components)-1].Name)
	}
}

func TestLayout(t *testing.T) {
	_, dir := small(t)
	for _, p := range []string{"distgit/rpms/glibc.git/HEAD", "distgit/modules", "composes", "builds.jsonl", "results.jsonl",
		"variants.yaml", "comps.xml.in", "mirrors.txt", "distmeta.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("world lacks %s: %v", p, err)
		}
	}
}

func TestGitFsck(t *testing.T) {
	git := testenv.Tool(t, "git")
	_, dir := small(t)
	repos, _ := filepath.Glob(filepath.Join(dir, "distgit", "*", "*.git"))
	if len(repos) < 200 {
		t.Fatalf("only %d repositories", len(repos))
	}
	for i, r := range repos {
		if i%7 != 0 && !strings.Contains(r, "modules") {
			continue // a deterministic sample of rpms, every module repo
		}
		if out, err := exec.Command(git, "-C", r, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil {
			t.Errorf("git fsck %s: %v\n%s", r, err, out)
		}
	}
}

func TestDNFLoadsCompose(t *testing.T) {
	dnf := testenv.Tool(t, "dnf")
	w, dir := small(t)
	cp := w.NewestComplete()
	repo := filepath.Join(dir, "composes", cp.ID, "compose", "Everything", "x86_64", "os")
	q := func(args ...string) []string {
		t.Helper()
		base := []string{"-q", "--releasever=40", "--setopt=reposdir=/dev/null", "--setopt=cachedir=" + t.TempDir(),
			"--repofrompath=w," + repo, "--repo=w"}
		out, err := exec.Command(dnf, append(base, args...)...).Output()
		if err != nil {
			t.Fatalf("dnf %v: %v", args, err)
		}
		return strings.Fields(string(out))
	}
	got := q("repoquery", "--whatrequires", "glibc", "--qf", "%{name}.%{arch}")
	// Every x86_64 package but glibc's own requires libc.so.6; the hub must
	// have most of the repository as reverse dependencies.
	all := q("repoquery", "--qf", "%{name}.%{arch}")
	if len(got) < len(all)/3 {
		t.Fatalf("dnf: %d packages require glibc of %d; want a hub", len(got), len(all))
	}
	mods := strings.Join(q("module", "list"), " ")
	for _, m := range w.Modules[:3] {
		if !strings.Contains(mods, m.Name) {
			t.Errorf("dnf module list lacks %s:\n%s", m.Name, mods)
		}
	}
}

func TestStats(t *testing.T) {
	w, _ := small(t)
	st := w.ComputeStats()
	if st.Components != 200 || st.ModuleStreams != 12 {
		t.Errorf("counts: %d components, %d streams", st.Components, st.ModuleStreams)
	}
	if len(st.TopHubs) == 0 || !strings.HasPrefix(st.TopHubs[0].Name, "glibc.") {
		t.Errorf("top hub is %v, want glibc", st.TopHubs)
	}
	if st.RichDeps == 0 || st.FileDeps == 0 || st.VersionedDeps == 0 || st.MultiProviderCap == 0 || st.StaleComponents == 0 {
		t.Errorf("shapes missing: %+v", st)
	}
	if st.Composes["DOOMED"] != 1 || st.Composes["STARTED"] != 1 {
		t.Errorf("composes: %v", st.Composes)
	}
}

func TestFedoraScaleShape(t *testing.T) {
	if testing.Short() {
		t.Skip("fedora-scale model skipped in -short mode")
	}
	w, err := Generate(Scales["fedora"], 1)
	if err != nil {
		t.Fatal(err)
	}
	st := w.ComputeStats()
	if st.Components != 25000 || st.ModuleStreams != 600 {
		t.Errorf("counts: %+v", st)
	}
	if st.BinaryPackages < 65000 || st.BinaryPackages > 80000 {
		t.Errorf("%d binary packages, want about 70,000", st.BinaryPackages)
	}
	if st.TopHubs[0].InDegree < 20000 {
		t.Errorf("top hub %v has in-degree below 20,000", st.TopHubs[0])
	}
	pushes := float64(st.Pushes) / float64(st.Components)
	if pushes < 4 || pushes > 6.5 {
		t.Errorf("%.1f pushes per component, want about 5", pushes)
	}
}

// BenchmarkWriteFedora generates and writes the Fedora-sized world (25,000
// components, 600 module streams, about 70,000 binary packages, 5
// composes). The target is 3 minutes on 2 cores.
func BenchmarkWriteFedora(b *testing.B) {
	for b.Loop() {
		w, err := Generate(Scales["fedora"], 1)
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		if err := w.Write(b.Context(), dir, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.Binaries()), "binaries")
	}
}
