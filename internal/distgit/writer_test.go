package distgit

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
)

var t0 = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

func sig(at time.Time) Signature {
	return Signature{Name: "Packager Name", Email: "packager@example.org", When: at}
}

// samplePush is a small repository with two branches, a merge commit, a
// nested directory and a timezone other than UTC.
func samplePush(name string) Push {
	spec := func(v string) []byte { return []byte("Name: " + name + "\nVersion: " + v + "\n") }
	cet := time.FixedZone("CET", 3600)
	return Push{
		Commits: []CommitSpec{
			{ID: "a", Author: sig(t0), Message: "Initial import", Files: map[string][]byte{name + ".spec": spec("1"), "sources": []byte("SHA512 (x.tar.gz) = 00\n")}},
			{ID: "b", Parents: []string{"a"}, Author: sig(t0.Add(time.Hour).In(cet)), Message: "Update to 2\n\nLonger text.", Files: map[string][]byte{name + ".spec": spec("2"), "sources": []byte("x\n"), "tests/tests.yml": []byte("- hosts: all\n")}},
			{ID: "c", Parents: []string{"a"}, Author: sig(t0.Add(2 * time.Hour)), Message: "f40 fix", Files: map[string][]byte{name + ".spec": spec("1.1"), "sources": []byte("x\n")}},
			{ID: "d", Parents: []string{"b", "c"}, Author: sig(t0.Add(3 * time.Hour)), Committer: sig(t0.Add(4 * time.Hour)), Message: "Merge f40", Files: map[string][]byte{name + ".spec": spec("2"), "sources": []byte("x\n"), "tests/tests.yml": []byte("- hosts: all\n")}},
		},
		Refs: map[string]string{"rawhide": "d", "f40": "c", "refs/tags/v1": "a"},
		Head: "rawhide",
	}
}

func execGit(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	return cmd
}

func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := execGit(dir, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return strings.TrimSpace(string(out))
}

func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	var names []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p)
		return nil
	})
	sort.Strings(names)
	for _, p := range names {
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s\n", rel)
		if b, err := os.ReadFile(p); err == nil {
			h.Write(b)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestWriteRepoFsckAndDeterminism(t *testing.T) {
	testenv.Tool(t, "git")
	dir := filepath.Join(t.TempDir(), "acpid.git")
	ids, err := WriteRepo(dir, samplePush("acpid"))
	if err != nil {
		t.Fatal(err)
	}
	digest := treeDigest(t, dir) // before git touches the repository
	git(t, dir, "fsck", "--strict", "--no-dangling")
	if got := git(t, dir, "rev-parse", "rawhide"); got != ids["d"].String() {
		t.Errorf("rawhide = %s, want %s", got, ids["d"])
	}
	if got := git(t, dir, "rev-parse", "rawhide^2"); got != ids["c"].String() {
		t.Errorf("rawhide^2 = %s, want %s", got, ids["c"])
	}
	if got := git(t, dir, "show", "f40:acpid.spec"); got != "Name: acpid\nVersion: 1.1" {
		t.Errorf("f40:acpid.spec = %q", got)
	}
	if got := git(t, dir, "log", "-1", "--format=%ad", "--date=iso-strict", ids["b"].String()); got != "2024-01-01T14:00:00+01:00" {
		t.Errorf("author date of b = %q", got)
	}
	if got := git(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/rawhide" {
		t.Errorf("HEAD = %q", got)
	}
	if got := git(t, dir, "ls-tree", "--name-only", "rawhide"); got != "acpid.spec\nsources\ntests" {
		t.Errorf("ls-tree = %q", got)
	}
	// The same input gives the same bytes.
	dir2 := filepath.Join(t.TempDir(), "acpid.git")
	if _, err := WriteRepo(dir2, samplePush("acpid")); err != nil {
		t.Fatal(err)
	}
	if a, b := digest, treeDigest(t, dir2); a != b {
		t.Errorf("two writes differ: %s vs %s", a, b)
	}
	// A different input gives a different repository.
	dir3 := filepath.Join(t.TempDir(), "other.git")
	if _, err := WriteRepo(dir3, samplePush("other")); err != nil {
		t.Fatal(err)
	}
	if a, b := digest, treeDigest(t, dir3); a == b {
		t.Errorf("different inputs gave the same repository")
	}
}

func TestAppendPush(t *testing.T) {
	testenv.Tool(t, "git")
	dir := filepath.Join(t.TempDir(), "acpid.git")
	ids, err := WriteRepo(dir, samplePush("acpid"))
	if err != nil {
		t.Fatal(err)
	}
	// A loose ref (as git itself writes them) is replaced by the push.
	os.WriteFile(filepath.Join(dir, "refs", "heads", "f40"), []byte(ids["a"].String()+"\n"), 0o644)
	ids2, err := AppendPush(dir, Push{
		Commits: []CommitSpec{
			{ID: "e", Parents: []string{ids["d"].String()}, Author: sig(t0.Add(5 * time.Hour)), Message: "Rebuild", Files: map[string][]byte{"acpid.spec": []byte("x")}},
			{ID: "r", Author: sig(t0.Add(6 * time.Hour)), Message: "Rewritten history", Files: map[string][]byte{"acpid.spec": []byte("y")}},
		},
		Refs: map[string]string{"rawhide": "e", "f40": "r", "epel9": ids["a"].String(), "refs/tags/v1": ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	git(t, dir, "fsck", "--strict", "--no-dangling")
	got := git(t, dir, "for-each-ref", "--format=%(refname) %(objectname)")
	want := strings.Join([]string{
		"refs/heads/epel9 " + ids["a"].String(),
		"refs/heads/f40 " + ids2["r"].String(),
		"refs/heads/rawhide " + ids2["e"].String(),
	}, "\n")
	if got != want {
		t.Errorf("refs after push:\n%s\nwant:\n%s", got, want)
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	if len(packs) != 2 {
		t.Errorf("packs = %d, want 2", len(packs))
	}
}

func TestWriteRepoRejects(t *testing.T) {
	good := CommitSpec{ID: "a", Author: sig(t0), Message: "m", Files: map[string][]byte{"f": nil}}
	for _, tc := range []struct {
		name string
		p    Push
		want string
	}{
		{"bad path", Push{Commits: []CommitSpec{{ID: "a", Author: sig(t0), Files: map[string][]byte{"a/../b": nil}}}}, "invalid path"},
		{"dot git", Push{Commits: []CommitSpec{{ID: "a", Author: sig(t0), Files: map[string][]byte{".git/x": nil}}}}, "invalid path"},
		{"file and dir", Push{Commits: []CommitSpec{{ID: "a", Author: sig(t0), Files: map[string][]byte{"a": nil, "a/b": nil}}}}, "both a file and a directory"},
		{"unknown parent", Push{Commits: []CommitSpec{{ID: "a", Parents: []string{"zz"}, Author: sig(t0)}}}, "unknown commit label"},
		{"bad email", Push{Commits: []CommitSpec{{ID: "a", Author: Signature{Name: "x", Email: "a>b", When: t0}}}}, "invalid name or email"},
		{"no time", Push{Commits: []CommitSpec{{ID: "a", Author: Signature{Name: "x", Email: "a@b"}}}}, "before 1970"},
		{"dup label", Push{Commits: []CommitSpec{good, good}}, "label used twice"},
		{"bad ref", Push{Commits: []CommitSpec{good}, Refs: map[string]string{"a..b": "a"}}, "invalid name"},
		{"unknown ref target", Push{Commits: []CommitSpec{good}, Refs: map[string]string{"main": "b"}}, "unknown commit label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WriteRepo(filepath.Join(t.TempDir(), "r.git"), tc.p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParsePackedRefs(t *testing.T) {
	h := strings.Repeat("ab", 20)
	for _, tc := range []struct {
		in   string
		want string
		err  string
	}{
		{"# pack-refs with: peeled\n" + h + " refs/heads/main\n^" + h + "\n", "refs/heads/main", ""},
		{"", "", ""},
		{h + "refs/heads/main\n", "", "line 1"},
		{"^" + h + "\n", "", "peeled hash without a ref"},
		{"xyz refs/heads/a\n", "", "line 1"},
		{h + " HEAD\n", "", "line 1"},
	} {
		refs, err := ParsePackedRefs([]byte(tc.in))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var names []string
		for _, r := range refs {
			names = append(names, r.Name)
		}
		if got := strings.Join(names, ","); got != tc.want {
			t.Errorf("%q: refs %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzParsePackedRefs(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		refs, err := ParsePackedRefs(b)
		if err != nil {
			return
		}
		// What parses re-encodes to something that parses to the same refs.
		m := map[string]Hash{}
		for _, r := range refs {
			m[r.Name] = r.Hash
		}
		again, err := ParsePackedRefs(encodePackedRefs(m))
		if err != nil {
			t.Fatalf("re-encoded refs do not parse: %v", err)
		}
		if len(again) != len(m) {
			t.Fatalf("re-encoded %d refs, parsed %d", len(m), len(again))
		}
	})
}
