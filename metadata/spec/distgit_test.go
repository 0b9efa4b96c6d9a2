package spec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/distmeta/distmeta/internal/testenv"
)

// branchSpec is the spec file found at one branch head of a dist-git
// bundle (data nil when FindSpec found none).
type branchSpec struct {
	repo, branch string
	data         []byte
	findErr      error
}

func (b branchSpec) id() string { return b.repo + "@" + b.branch }

var fedora40 = Options{Fedora: "40", Dist: ".fc40"}

// loadBranchSpecs clones every bundle under distgit/ and reads the spec
// at every branch head with the git CLI.
func loadBranchSpecs(t *testing.T) []branchSpec {
	t.Helper()
	git := testenv.Tool(t, "git")
	dir := testenv.Shared(t, "distgit")
	bundles, err := filepath.Glob(filepath.Join(dir, "*.bundle"))
	if err != nil || len(bundles) == 0 {
		t.Fatalf("no bundles under %s (%v)", dir, err)
	}
	run := func(args ...string) ([]byte, error) {
		var stderr bytes.Buffer
		cmd := exec.Command(git, args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
		}
		return out, nil
	}
	var all []branchSpec
	tmp := t.TempDir()
	for _, b := range bundles {
		repo := strings.TrimSuffix(filepath.Base(b), ".bundle")
		gd := filepath.Join(tmp, repo+".git")
		if _, err := run("clone", "-q", "--mirror", b, gd); err != nil {
			t.Fatal(err)
		}
		refs, err := run("-C", gd, "for-each-ref", "--format=%(refname:short)", "refs/heads")
		if err != nil {
			t.Fatal(err)
		}
		for _, br := range strings.Fields(string(refs)) {
			ls, err := run("-C", gd, "ls-tree", "--name-only", br)
			if err != nil {
				t.Fatal(err)
			}
			bs := branchSpec{repo: repo, branch: br}
			name, err := FindSpec(strings.Split(strings.TrimSpace(string(ls)), "\n"), repo)
			if err != nil {
				bs.findErr = err
				all = append(all, bs)
				continue
			}
			if bs.data, err = run("-C", gd, "show", br+":"+name); err != nil {
				t.Fatal(err)
			}
			all = append(all, bs)
		}
	}
	return all
}

func TestDistGitBranchHeads(t *testing.T) {
	specs := loadBranchSpecs(t)
	parsed, noSpec := 0, 0
	sawByzanz := false
	for _, b := range specs {
		if b.findErr != nil {
			if !errors.Is(b.findErr, ErrNoSpec) {
				t.Errorf("%s: %v", b.id(), b.findErr)
			}
			if b.repo == "byzanz" && b.branch == "rawhide" {
				sawByzanz = true
				if !strings.Contains(b.findErr.Error(), "dead.package") {
					t.Errorf("byzanz rawhide: error %q does not name dead.package", b.findErr)
				}
			}
			noSpec++
			continue
		}
		s, err := Parse(b.data, fedora40)
		if err != nil {
			t.Errorf("%s: %v", b.id(), err)
			continue
		}
		parsed++
		if s.Name != b.repo {
			t.Errorf("%s: Name %q, want %q", b.id(), s.Name, b.repo)
		}
		for _, f := range []string{"Version", "Release"} {
			v := map[string]string{"Version": s.Version, "Release": s.Release}[f]
			if v == "" || (strings.Contains(v, "%") && s.Complete(f)) {
				t.Errorf("%s: %s %q is empty or unexpanded but not reported", b.id(), f, v)
			}
		}
	}
	if !sawByzanz {
		t.Error("byzanz rawhide (dead.package) was not seen")
	}
	t.Logf("%d branch heads: %d specs parsed, %d without a spec file", len(specs), parsed, noSpec)
	t.Run("rpmspec", func(t *testing.T) { compareWithRpmspec(t, specs) })
}

// rpmspecResult is what rpmspec says about one spec.
type rpmspecResult struct {
	nevr  [4]string
	brs   []string
	names []string
	err   error
}

func runRpmspec(rpmspec, macros, file string) rpmspecResult {
	var r rpmspecResult
	q := func(args ...string) (string, error) {
		args = append([]string{"-q", "--load", macros}, append(args, file)...)
		var stderr bytes.Buffer
		cmd := exec.Command(rpmspec, args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("rpmspec: %v: %s", err, firstLine(stderr.String()))
		}
		return string(out), nil
	}
	out, err := q("--srpm", "--qf", "%{name}\t%{epoch}\t%{version}\t%{release}\n[%{requirename} %{requireflags:depflags} %{requireversion}\n]")
	if err != nil {
		r.err = err
		return r
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	f := strings.Split(lines[0], "\t")
	if len(f) != 4 {
		r.err = fmt.Errorf("rpmspec --srpm: unexpected output %q", out)
		return r
	}
	copy(r.nevr[:], f)
	if r.nevr[1] == "(none)" {
		r.nevr[1] = ""
	}
	r.brs = nonEmptyLines(strings.Join(lines[1:], "\n"))
	if out, err = q("--qf", "%{name}\n"); err != nil {
		r.err = err
		return r
	}
	r.names = nonEmptyLines(out)
	return r
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// normDeps prints deps the way rpmspec --buildrequires lists them:
// sorted, deduplicated, each parsed back through parseDeps so both
// sides spell flags and EVRs alike.
func normDeps(t *testing.T, lines []string) []string {
	seen := map[string]bool{}
	for _, l := range lines {
		ds, err := parseDeps(l)
		if err != nil || len(ds) != 1 {
			t.Errorf("rpmspec printed an unparsable dependency %q (%v)", l, err)
			continue
		}
		seen[ds[0].String()] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ourBRs(s *Spec) []string {
	seen := map[string]bool{}
	for _, d := range s.BuildRequires {
		seen[d.String()] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// compareWithRpmspec compares Name, Epoch, Version, Release, the
// package names and BuildRequires with rpmspec's at every branch head,
// both reading the same macro table (MacroFile, loaded into rpmspec with
// --load). A difference fails unless the field is reported as
// unexpanded.
func compareWithRpmspec(t *testing.T, specs []branchSpec) {
	if testing.Short() {
		t.Skip("-short: 500 rpmspec runs take a minute or two")
	}
	rpmspec := testenv.Tool(t, "rpmspec")
	tmp := t.TempDir()
	macros := filepath.Join(tmp, "macros")
	if err := os.WriteFile(macros, []byte(MacroFile(fedora40)), 0o644); err != nil {
		t.Fatal(err)
	}
	results := make([]rpmspecResult, len(specs))
	g, _ := errgroup.WithContext(context.Background())
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, b := range specs {
		if b.data == nil {
			continue
		}
		g.Go(func() error {
			file := filepath.Join(tmp, fmt.Sprintf("%03d-%s.spec", i, b.repo))
			if err := os.WriteFile(file, b.data, 0o644); err != nil {
				return err
			}
			results[i] = runRpmspec(rpmspec, macros, file)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	counts := map[string]int{}
	var rpmFailed []string
	for i, b := range specs {
		if b.data == nil {
			continue
		}
		r := results[i]
		s, err := Parse(b.data, fedora40)
		if err != nil {
			t.Errorf("%s: %v", b.id(), err)
			continue
		}
		mu.Lock()
		counts["specs"]++
		mu.Unlock()
		if r.err != nil {
			counts["rpmspec failed"]++
			rpmFailed = append(rpmFailed, b.id()+": "+r.err.Error())
			continue
		}
		exact := true
		ours := [4]string{s.Name, s.Epoch, s.Version, s.Release}
		for k, field := range []string{"Name", "Epoch", "Version", "Release"} {
			if ours[k] == r.nevr[k] {
				continue
			}
			exact = false
			if s.Complete(field) {
				t.Errorf("%s: %s = %q, rpmspec says %q", b.id(), field, ours[k], r.nevr[k])
			}
		}
		if got, want := strings.Join(s.PackageNames(), " "), strings.Join(r.names, " "); got != want {
			exact = false
			if s.Complete("%package") {
				t.Errorf("%s: packages\n ours:    %s\n rpmspec: %s", b.id(), got, want)
			}
		}
		got, want := ourBRs(s), normDeps(t, r.brs)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			exact = false
			if s.Complete("BuildRequires") && s.Complete("%if") {
				t.Errorf("%s: BuildRequires\n ours:    %q\n rpmspec: %q", b.id(), got, want)
			}
		}
		if exact {
			counts["agree exactly"]++
		} else {
			counts["differ, reported unexpanded"]++
			t.Logf("%s differs from rpmspec where it reports unexpanded: %v", b.id(), s.Unexpanded)
		}
		if len(s.Unexpanded) > 0 {
			counts["with Unexpanded entries"]++
		}
	}
	for _, f := range rpmFailed {
		t.Logf("rpmspec failed: %s", f)
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-30s %d", k, counts[k])
	}
}
