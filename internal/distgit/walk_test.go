package distgit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
)

var bundles = []string{"acpid", "aspell-no", "byzanz", "fuse-overlayfs", "perl-Mouse", "python-tqdm", "reptyr", "star", "upower"}

// cloneBundles clones the real dist-git bundles into root/rpms/<name>.git.
func cloneBundles(t *testing.T, root string, names ...string) {
	t.Helper()
	testenv.Tool(t, "git")
	for _, n := range names {
		b := testenv.Shared(t, "distgit/"+n+".bundle")
		git(t, root, "clone", "-q", "--mirror", b, filepath.Join(root, "rpms", n+".git"))
	}
}

// maxSpreadHeads bounds the distinct heads per repository whose derived
// history is compared with git rev-list (each costs a few git runs).
const maxSpreadHeads = 5

// checkAgainstGit compares everything the walk read from a repository with
// what the git CLI says, and derived history answers with
// `git rev-list --first-parent -1 --before=T`.
func checkAgainstGit(t *testing.T, dir string, r *Repo, spread int) {
	t.Helper()
	refs := git(t, dir, "for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/heads")
	var got []string
	for _, b := range r.Branches {
		got = append(got, b.Name+" "+b.Head.String())
	}
	if strings.Join(got, "\n") != refs {
		t.Fatalf("%s: branches\n%s\nwant\n%s", r.Name, strings.Join(got, "\n"), refs)
	}
	if h := git(t, dir, "symbolic-ref", "--short", "HEAD"); h != r.Head {
		t.Errorf("%s: HEAD %q, want %q", r.Name, r.Head, h)
	}
	var log *Log
	done := map[Hash]bool{} // branches at the same head are checked once
	for _, b := range r.Branches {
		if done[b.Head] {
			continue
		}
		done[b.Head] = true
		ls := git(t, dir, "ls-tree", b.Name)
		var files []string
		hasFile := false
		for _, l := range strings.Split(ls, "\n") {
			meta, name, _ := strings.Cut(l, "\t")
			if strings.Contains(meta, " tree ") {
				name += "/"
			}
			files = append(files, name)
			hasFile = hasFile || name == r.Component()+".spec" || name == r.Component()+".yaml"
		}
		if strings.Join(b.Files, "\n") != strings.Join(files, "\n") {
			t.Errorf("%s %s: files %q, want %q", r.Name, b.Name, b.Files, files)
		}
		if hasFile != (b.File != "") {
			t.Errorf("%s %s: file %q, git has it: %v", r.Name, b.Name, b.File, hasFile)
		}
		if hasFile {
			want := gitRaw(t, dir, "cat-file", "blob", b.Name+":"+b.File)
			if !bytes.Equal(b.Content, want) {
				t.Errorf("%s %s: %s differs from git (%d vs %d bytes)", r.Name, b.Name, b.File, len(b.Content), len(want))
			}
		}
		hist, err := r.History(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, c := range hist {
			lines = append(lines, fmt.Sprintf("%s %d %s", c.Hash, c.Time.Unix(), c.Subject))
		}
		want := git(t, dir, "log", "--first-parent", "--format=%H %ct %s", b.Name)
		if strings.Join(lines, "\n") != want {
			t.Errorf("%s %s: history differs from git log --first-parent:\n%s\nwant\n%s", r.Name, b.Name, strings.Join(lines, "\n"), want)
		}
		// A spread of times: before the first commit, at and around
		// commit times, and after the head.
		var times []int64
		if n := len(hist); n > 0 && len(done) <= maxSpreadHeads {
			times = append(times, hist[n-1].Time.Unix()-1, hist[0].Time.Unix()+3600)
			for i := 0; i < spread && i < n; i++ {
				c := hist[(i*n)/spread]
				times = append(times, c.Time.Unix(), c.Time.Unix()-1)
			}
		}
		for _, ts := range times {
			at := time.Unix(ts, 0)
			want := git(t, dir, "rev-list", "--first-parent", "-1", "--before=@"+strconv.FormatInt(ts, 10), b.Name)
			pos, err := log.At(r, b.Name, at)
			if want == "" {
				if !errors.Is(err, ErrNoBranch) {
					t.Errorf("%s %s at %d: %v %v, git has no commit", r.Name, b.Name, ts, pos.Hash, err)
				}
				continue
			}
			if err != nil || pos.Hash.String() != want || pos.Source != Derived {
				t.Errorf("%s %s at %d: %s %s %v, git rev-list says %s", r.Name, b.Name, ts, pos.Hash, pos.Source, err, want)
			}
		}
	}
}

func gitRaw(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	cmd := execGit(dir, args...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return out
}

func TestWalkRealBundles(t *testing.T) {
	root := t.TempDir()
	names := bundles
	if testing.Short() {
		names = []string{"acpid", "byzanz", "reptyr"}
	}
	cloneBundles(t, root, names...)
	res, err := Walk(context.Background(), root, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if len(res.Repos) != len(names) || res.Opened != len(names) {
		t.Fatalf("repos %d opened %d, want %d", len(res.Repos), res.Opened, len(names))
	}
	for i := range res.Repos {
		r := &res.Repos[i]
		checkAgainstGit(t, filepath.Join(root, r.Name+".git"), r, 3)
	}
	// byzanz is retired: rawhide holds only dead.package.
	for _, r := range res.Repos {
		if r.Name == "rpms/byzanz" {
			b := r.Branch("rawhide")
			if b == nil || b.File != "" || strings.Join(b.Files, ",") != "dead.package" {
				t.Errorf("byzanz rawhide: %+v", b)
			}
		}
	}
}

// world writes a generated dist-git root: merges, a module, an empty repo,
// a repo with a corrupted object and one with a missing object.
func world(t *testing.T) (root string, ids map[string]Hash) {
	t.Helper()
	root = t.TempDir()
	ids, err := WriteRepo(filepath.Join(root, "rpms", "acpid.git"), samplePush("acpid"))
	if err != nil {
		t.Fatal(err)
	}
	mod := Push{Commits: []CommitSpec{
		{ID: "m1", Author: sig(t0), Message: "Module", Files: map[string][]byte{"nodejs.yaml": []byte("document: modulemd-packager\nversion: 3\n")}},
	}, Refs: map[string]string{"20": "m1"}}
	if _, err := WriteRepo(filepath.Join(root, "modules", "nodejs.git"), mod); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRepo(filepath.Join(root, "rpms", "empty.git"), Push{}); err != nil {
		t.Fatal(err)
	}
	// A corrupted object: overwrite bytes inside the head commit's
	// compressed data.
	bad := filepath.Join(root, "rpms", "corrupt.git")
	bids, err := WriteRepo(bad, samplePush("corrupt"))
	if err != nil {
		t.Fatal(err)
	}
	corruptObject(t, bad, bids["d"])
	// A missing object: a parent that was never written.
	missing := samplePush("missing")
	missing.Commits[0].Parents = []string{strings.Repeat("ab", 20)}
	if _, err := WriteRepo(filepath.Join(root, "rpms", "missing.git"), missing); err != nil {
		t.Fatal(err)
	}
	// Not a repository at all.
	os.MkdirAll(filepath.Join(root, "rpms", "junk.git"), 0o755)
	// A folder with a HEAD file but no repository behind it.
	os.MkdirAll(filepath.Join(root, "rpms", "garbage.git"), 0o755)
	os.WriteFile(filepath.Join(root, "rpms", "garbage.git", "HEAD"), []byte("junk\n"), 0o644)
	return root, ids
}

func corruptObject(t *testing.T, repo string, h Hash) {
	t.Helper()
	idx, _ := filepath.Glob(filepath.Join(repo, "objects", "pack", "*.idx"))
	pack := strings.TrimSuffix(idx[0], ".idx") + ".pack"
	cmd := execGit(repo, "show-index")
	f, _ := os.Open(idx[0])
	defer f.Close()
	cmd.Stdin = f
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fs := strings.Fields(l)
		if fs[1] == h.String() {
			off, _ := strconv.Atoi(fs[0])
			b, _ := os.ReadFile(pack)
			for i := off + 8; i < off+16; i++ {
				b[i] ^= 0x5a
			}
			os.WriteFile(pack, b, 0o644)
			return
		}
	}
	t.Fatalf("object %s not in %s", h, idx[0])
}

func TestWalkGeneratedWithBadRepos(t *testing.T) {
	testenv.Tool(t, "git")
	root, ids := world(t)
	res, err := Walk(context.Background(), root, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range res.Repos {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, " "); got != "modules/nodejs rpms/acpid" {
		t.Errorf("repos read: %s", got)
	}
	want := map[string]string{
		"rpms/corrupt": "rpms/corrupt",
		"rpms/empty":   "empty repository",
		"rpms/junk":    "not a git repository",
		"rpms/garbage": "not a git repository",
		"rpms/missing": "missing object",
	}
	if len(res.Errors) != len(want) {
		t.Errorf("errors: %v", res.Errors)
	}
	for _, e := range res.Errors {
		if w, ok := want[e.Repo]; !ok || !strings.Contains(e.Error(), w) || !strings.Contains(e.Error(), e.Repo) {
			t.Errorf("error for %s: %v (want it to say %q)", e.Repo, e, w)
		}
	}
	for _, r := range res.Repos {
		checkAgainstGit(t, filepath.Join(root, r.Name+".git"), &r, 4)
	}
	acpid := res.Repos[1]
	h, _ := acpid.History("rawhide")
	if len(h) != 3 || h[0].Hash != ids["d"] || h[1].Hash != ids["b"] || h[2].Hash != ids["a"] {
		t.Errorf("first-parent history through the merge: %+v", h)
	}
	if b := res.Repos[0].Branch("20"); b == nil || b.File != "nodejs.yaml" || !bytes.HasPrefix(b.Content, []byte("document: modulemd-packager")) {
		t.Errorf("module branch: %+v", b)
	}
}

func TestWalkCanceled(t *testing.T) {
	root, _ := world(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Walk(ctx, root, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := Walk(context.Background(), filepath.Join(root, "nope"), Options{}); err == nil {
		t.Errorf("missing root: no error")
	}
}
