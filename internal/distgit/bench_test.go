package distgit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
)

// benchPush is one generated package: rawhide with four commits and f40
// branched from the second, each commit a spec and a sources file.
func benchPush(name string, i int) Push {
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	spec := func(v int) []byte {
		return fmt.Appendf(nil, "Name: %s\nVersion: 1.%d\nRelease: %%autorelease\nSummary: Package %s\nLicense: MIT\nURL: https://example.org/%s\nSource0: %%{url}/%s-%%{version}.tar.gz\n\nBuildRequires: gcc\nBuildRequires: make\n\n%%description\nPackage %s.\n\n%%prep\n%%autosetup\n\n%%build\n%%make_build\n\n%%install\n%%make_install\n\n%%files\n%%{_bindir}/%s\n\n%%changelog\n%%autochangelog\n", name, v, name, name, name, name, name)
	}
	sources := func(v int) []byte {
		return fmt.Appendf(nil, "SHA512 (%s-1.%d.tar.gz) = %0128x\n", name, v, i*7+v)
	}
	var cs []CommitSpec
	parent := ""
	for v := range 4 {
		c := CommitSpec{ID: strconv.Itoa(v), Author: sig(base.Add(time.Duration(v) * 24 * time.Hour)), Message: fmt.Sprintf("Update to 1.%d", v),
			Files: map[string][]byte{name + ".spec": spec(v), "sources": sources(v)}}
		if parent != "" {
			c.Parents = []string{parent}
		}
		cs = append(cs, c)
		parent = c.ID
	}
	cs = append(cs, CommitSpec{ID: "f40", Parents: []string{"1"}, Author: sig(base.Add(36 * time.Hour)), Message: "Backport fix",
		Files: map[string][]byte{name + ".spec": spec(11), "sources": sources(1)}})
	return Push{Commits: cs, Refs: map[string]string{"rawhide": "3", "f40": "f40"}, Head: "rawhide"}
}

// benchRoot generates (once, cached under os.TempDir keyed by the
// parameters) a dist-git root of n packages.
func benchRoot(b *testing.B, n int) string {
	b.Helper()
	root := filepath.Join(os.TempDir(), fmt.Sprintf("distmeta-distgit-bench-v1-n%d", n))
	if _, err := os.Stat(filepath.Join(root, "done")); err == nil {
		return root
	}
	os.RemoveAll(root)
	start := time.Now()
	g := new(errgroup.Group)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error {
			name := fmt.Sprintf("pkg%05d", i)
			_, err := WriteRepo(filepath.Join(root, "rpms", name+".git"), benchPush(name, i))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "done"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d repos in %v (GOMAXPROCS %d)", n, time.Since(start), runtime.GOMAXPROCS(0))
	return root
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkWriteRepos measures the writer alone: repositories per second.
func BenchmarkWriteRepos(b *testing.B) {
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("pkg%05d", i)
		if _, err := WriteRepo(filepath.Join(dir, name+".git"), benchPush(name, i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkDistgitWalk walks a generated root of DISTMETA_BENCH_REPOS
// (25,000) repositories: a full walk, a walk that fills the state folder,
// a no-change walk, and the git CLI doing the same reading
// (for-each-ref, then log --first-parent per branch) with a pool of the
// same size on every DISTMETA_BENCH_GIT_EVERY-th repository (1: all),
// extrapolated to all. Run with -benchtime=1x.
func BenchmarkDistgitWalk(b *testing.B) {
	n := envInt("DISTMETA_BENCH_REPOS", 25000)
	every := envInt("DISTMETA_BENCH_GIT_EVERY", 1)
	workers := runtime.GOMAXPROCS(0)
	root := benchRoot(b, n)
	ctx := context.Background()
	for b.Loop() {
		start := time.Now()
		res, err := Walk(ctx, root, Options{Workers: workers})
		if err != nil || len(res.Repos) != n {
			b.Fatalf("full walk: %v, %d repos", err, len(res.Repos))
		}
		full := time.Since(start)

		state := b.TempDir()
		start = time.Now()
		if _, err := Walk(ctx, root, Options{Workers: workers, State: state, Now: time.Unix(1e9, 0)}); err != nil {
			b.Fatal(err)
		}
		first := time.Since(start)
		start = time.Now()
		res, err = Walk(ctx, root, Options{Workers: workers, State: state, Now: time.Unix(1e9+3600, 0)})
		if err != nil || res.Unchanged != n || res.Opened != 0 {
			b.Fatalf("no-change walk: %v, %d unchanged", err, res.Unchanged)
		}
		none := time.Since(start)
		refsRead := res.RefsRead
		stateBytes, stateFiles := dirSize(b, state)

		dirs, _ := listRepos(root)
		start = time.Now()
		g := new(errgroup.Group)
		g.SetLimit(workers)
		sampled := 0
		for i, d := range dirs {
			if i%every != 0 {
				continue
			}
			sampled++
			g.Go(func() error {
				out, err := exec.Command("git", "-C", d.path, "for-each-ref", "--format=%(refname:strip=2)", "refs/heads").Output()
				if err != nil {
					return fmt.Errorf("%s: %w", d.name, err)
				}
				for _, br := range splitLines(string(out)) {
					if err := exec.Command("git", "-C", d.path, "log", "--first-parent", "--format=%H %ct %s", br).Run(); err != nil {
						return fmt.Errorf("%s %s: %w", d.name, br, err)
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		gitCLI := time.Since(start) * time.Duration(len(dirs)) / time.Duration(sampled)
		b.ReportMetric(full.Seconds(), "full-s")
		b.ReportMetric(first.Seconds(), "first-state-s")
		b.ReportMetric(none.Seconds(), "nochange-s")
		b.ReportMetric(float64(stateBytes)/1e6, "state-MB")
		b.ReportMetric(gitCLI.Seconds(), "gitcli-s")
		b.ReportMetric(gitCLI.Seconds()/full.Seconds(), "gitcli/full")
		b.Logf("state folder: %d files, %d bytes; no-change walk read the refs of %d repositories", stateFiles, stateBytes, refsRead)
		b.Logf("%d repos, %d workers: full walk %v, first walk with state %v, no-change walk %v; git CLI (for-each-ref + log --first-parent per branch, %d of %d repos, extrapolated) %v: ratio git/distgit %.1fx",
			n, workers, full.Round(time.Millisecond), first.Round(time.Millisecond), none.Round(time.Millisecond), sampled, len(dirs), gitCLI.Round(time.Millisecond), gitCLI.Seconds()/full.Seconds())
	}
}

func dirSize(b *testing.B, dir string) (size int64, files int) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range ents {
		fi, err := e.Info()
		if err != nil {
			b.Fatal(err)
		}
		size += fi.Size()
		files++
	}
	return size, files
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		if i > 0 {
			out = append(out, s[:i])
		}
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}
