package generator

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
)

// gitPush commits one line added to the spec of a bare repository's
// default branch, with the git CLI, as a packager's push would.
func gitPush(t *testing.T, bare, line string) {
	t.Helper()
	git := testenv.Tool(t, "git")
	clone := filepath.Join(t.TempDir(), "clone")
	run := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=T",
			"GIT_COMMITTER_EMAIL=t@example.org", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run(filepath.Dir(bare), "clone", "-q", bare, clone)
	specs, _ := filepath.Glob(filepath.Join(clone, "*.spec"))
	if len(specs) == 0 {
		t.Fatalf("%s: no spec", bare)
	}
	f, err := os.OpenFile(specs[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(line + "\n")
	f.Close()
	run(clone, "commit", "-q", "-a", "-m", line)
	run(clone, "push", "-q", "origin", "HEAD")
}

// wwwFiles returns the path and modification time of every file of the
// pages folder.
func wwwFiles(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	onDisk, err := listTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for p := range onDisk {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		out[p] = fi.ModTime()
	}
	return out
}

// TestBuildIncrementalPages checks the pages of a build after one push:
// only the pushed component's pages and the index are rewritten (every
// other file keeps its mtime), and the pages are byte for byte those a
// build from scratch renders.
func TestBuildIncrementalPages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated world")
	}
	cfg, _ := smallWorld(t)
	ctx := context.Background()
	if _, err := Build(ctx, cfg, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	www := filepath.Join(cfg.Out, "www")
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for p := range wwwFiles(t, www) {
		if err := os.Chtimes(filepath.Join(www, filepath.FromSlash(p)), old, old); err != nil {
			t.Fatal(err)
		}
	}
	repos, err := filepath.Glob(filepath.Join(cfg.DistGit, "rpms", "*.git"))
	if err != nil || len(repos) == 0 {
		t.Fatalf("no repositories in %s: %v", cfg.DistGit, err)
	}
	sort.Strings(repos)
	bare := repos[len(repos)/2]
	name := strings.TrimSuffix(filepath.Base(bare), ".git")
	gitPush(t, bare, "# one push")

	sum, err := Build(ctx, cfg, Options{Now: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ReposRead != 1 {
		t.Errorf("re-read %d repositories, want 1", sum.ReposRead)
	}
	var changed []string
	for p, mt := range wwwFiles(t, www) {
		if !mt.Equal(old) {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	allowed := func(p string) bool {
		return p == "index.html" || p == "src/"+name+".html" || strings.HasPrefix(p, "more/src/"+name+"/")
	}
	for _, p := range changed {
		if !allowed(p) {
			t.Errorf("%s rewritten after a push to %s", p, name)
		}
	}
	if !slices.Contains(changed, "src/"+name+".html") {
		t.Errorf("the page of %s was not rewritten (rewritten: %v)", name, changed)
	}
	var pagesNote string
	for _, st := range sum.Stages {
		if st.Name == "pages" {
			pagesNote = st.Note
		}
	}
	if !strings.HasPrefix(pagesNote, "2 of ") {
		t.Errorf("pages stage: %q, want 2 units rendered (index and %s)", pagesNote, name)
	}
	incremental := treeDigest(t, www)

	// The same answers, pages rendered from scratch.
	if err := os.RemoveAll(www); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(cfg.State, pagesState)); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(ctx, cfg, Options{Now: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if full := treeDigest(t, www); full != incremental {
		t.Errorf("incremental pages differ from pages rendered from scratch")
	}
}

// TestBuildCompsCache checks that the comps step reuses its output while
// its inputs stay the same, runs again when one changes, and that the
// published comps answers and files are those of a fresh run.
func TestBuildCompsCache(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated world")
	}
	cfg, _ := smallWorld(t)
	ctx := context.Background()
	variantsNote := func(sum *Summary) string {
		for _, st := range sum.Stages {
			if st.Name == "variants" {
				return st.Note
			}
		}
		t.Fatal("no variants stage")
		return ""
	}
	if _, err := Build(ctx, cfg, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	comps := filepath.Join(cfg.Out, "comps")
	appendTo := func(path string) func(t *testing.T) {
		return func(t *testing.T) {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("\n# changed\n"); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name   string
		change func(t *testing.T)
		cached bool
	}{
		{"unchanged", func(*testing.T) {}, true},
		{"variants file", appendTo(cfg.Variants), false},
		{"unchanged again", func(*testing.T) {}, true},
		{"plain comps file", appendTo(filepath.Join(filepath.Dir(cfg.Variants), "comps.xml.in")), false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.change(t)
			sum, err := Build(ctx, cfg, Options{Now: now.Add(time.Duration(i+1) * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.HasSuffix(variantsNote(sum), "(cached)"); got != tc.cached {
				t.Errorf("variants stage %q: cached %v, want %v", variantsNote(sum), got, tc.cached)
			}
			if files, err := listTree(comps); err != nil || len(files) == 0 {
				t.Fatalf("no comps files published in %s: %v", comps, err)
			}
			cachedTree := treeDigest(t, comps)
			// A fresh run of compsgen gives the same files.
			if err := os.Remove(filepath.Join(cfg.State, "comps.gob.zst")); err != nil {
				t.Fatal(err)
			}
			sum, err = Build(ctx, cfg, Options{Now: now.Add(time.Duration(i+1) * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(variantsNote(sum), "(cached)") {
				t.Error("served from a removed cache")
			}
			if sum.Changes.Total() != 0 {
				t.Errorf("a fresh comps run changed %v", sum.Changes.Keys)
			}
			if treeDigest(t, comps) != cachedTree {
				t.Error("comps files of the cached run differ from a fresh run's")
			}
		})
	}
}
