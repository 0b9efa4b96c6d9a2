package generator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator/config"
	"github.com/distmeta/distmeta/generator/world"
	"github.com/distmeta/distmeta/metadata/depsolve"
	"github.com/distmeta/distmeta/metadata/productmd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/site"
	"github.com/distmeta/distmeta/site/answers"
)

// smallWorld writes the small generated world and a signer key, and
// returns its configuration and verifier key.
func smallWorld(t testing.TB) (*config.Config, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := world.Generate(world.Scales["small"], 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(context.Background(), dir, world.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "keys"), 0o755); err != nil {
		t.Fatal(err)
	}
	vkey, err := site.GenerateKey(rand.Reader, "small.world.example.org", filepath.Join(dir, "keys", "signer.key"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "distmeta.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, vkey
}

var now = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// treeDigest hashes every file of a folder (paths and contents).
func treeDigest(t testing.TB, dir string) string {
	t.Helper()
	h := sha256.New()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	sort.Strings(paths)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %x\n", rel, sha256.Sum256(b))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestBuildSmallWorld builds the small world once and checks the published
// answers: every document decodes strictly into its site/answers type with
// the right schema, package answers agree with the dependency engine,
// closures walked over pkg answers agree with the engine's reference walk,
// and a failed rebuild leaves the site byte for byte as it was.
func TestBuildSmallWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated world")
	}
	cfg, vkey := smallWorld(t)
	ctx := context.Background()
	sum, err := Build(ctx, cfg, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Serial != 1 || sum.ComposesResolved != 1 || sum.ReposRead == 0 {
		t.Fatalf("summary: %+v", sum)
	}
	vs, err := site.NewVerifiers(vkey)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := site.Verify(ctx, cfg.Out, vs)
	if err != nil || !rep.OK() {
		t.Fatalf("verify: %v %+v", err, rep)
	}
	msg, err := os.ReadFile(filepath.Join(cfg.Out, "index"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := site.ParseIndex(msg, vs)
	if err != nil {
		t.Fatal(err)
	}
	fetch := site.DirFetcher(cfg.Out)
	read := func(kind, key string) ([]byte, bool) {
		b, found, err := site.ReadAnswer(ctx, fetch, ix, kind, key)
		if err != nil {
			t.Fatalf("%s/%s: %v", kind, key, err)
		}
		return b, found
	}
	strict := func(kind, key string, v any) {
		t.Helper()
		b, found := read(kind, key)
		if !found {
			t.Fatalf("%s/%s: not published", kind, key)
		}
		if err := answers.CheckSchema(kind, b); err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("%s/%s: %v", kind, key, err)
		}
	}

	// The newest complete compose, read independently.
	var latest answers.Compose
	strict(answers.KindCompose, answers.LatestCompose, &latest)
	if latest.ID != "Fedora-40-20241229.0" || len(latest.Skipped) != 2 || len(latest.Older) != 1 {
		t.Fatalf("compose/latest = %+v", latest)
	}
	c, err := productmd.OpenCompose(filepath.Join(cfg.Composes, latest.ID))
	if err != nil {
		t.Fatal(err)
	}
	binDir, _ := c.RepoPath("Everything", "x86_64")
	bins, err := repodata.LoadPackages(binDir, false)
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := repodata.LoadPackages(filepath.Join(cfg.Composes, latest.ID, "compose/Everything/source/tree"), false)
	if err != nil {
		t.Fatal(err)
	}
	pool := depsolve.NewPool(append(append([]*repodata.Package(nil), bins...), srcs...), depsolve.Options{Arch: "x86_64"})
	names := map[string]bool{}
	for _, p := range bins {
		names[p.Name] = true
	}
	if got := sum.Answers[answers.KindPackage]; got != len(names) {
		t.Errorf("%d pkg answers, %d package names", got, len(names))
	}
	lookup := func(n string) (*answers.Package, bool, error) {
		b, found := read(answers.KindPackage, n)
		if !found {
			return nil, false, nil
		}
		var p answers.Package
		return &p, true, json.Unmarshal(b, &p)
	}
	// Every 7th package: requirements, reverse deps and closure.
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	checked := 0
	for i, n := range sorted {
		if i%7 != 0 {
			continue
		}
		var doc answers.Package
		strict(answers.KindPackage, n, &doc)
		for _, b := range doc.Builds {
			id, ok := pool.Lookup(b.NEVRA)
			if !ok {
				t.Fatalf("pkg/%s: %s not in the compose", n, b.NEVRA)
			}
			reqs := pool.Requires(id)
			if len(reqs) != len(b.Requires) {
				t.Fatalf("pkg/%s: %d requirements, engine has %d", n, len(b.Requires), len(reqs))
			}
			for j, r := range reqs {
				want := ""
				if r.Chosen != depsolve.None {
					want = pool.NEVRA(r.Chosen)
				}
				if b.Requires[j].Dep != r.Dep || b.Requires[j].Chosen != want {
					t.Errorf("pkg/%s: requirement %d = %+v, engine %s -> %s", n, j, b.Requires[j], r.Dep, want)
				}
			}
			wr := pool.NEVRAs(pool.WhatRequiresPackage(id))
			sort.Strings(wr)
			if !reflect.DeepEqual(wr, b.WhatRequires) && !(len(wr) == 0 && len(b.WhatRequires) == 0) {
				t.Errorf("pkg/%s: whatrequires %v, engine %v", n, b.WhatRequires, wr)
			}
		}
		// The client's closure walk over pkg answers against the
		// generator's reference walk over the engine's chosen providers.
		got, err := answers.Closure(lookup, n)
		if err != nil {
			t.Fatalf("closure %s: %v", n, err)
		}
		if want := referenceClosure(pool, doc.Builds[0].NEVRA); !reflect.DeepEqual(got, want) {
			t.Errorf("closure %s:\n got %v\nwant %v", n, got, want)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d packages checked", checked)
	}

	// Every source, status and history answer decodes.
	for _, kind := range []string{answers.KindSource, answers.KindStatus, answers.KindModule, answers.KindVariant, answers.KindImage} {
		if sum.Answers[kind] == 0 {
			t.Errorf("no %s answers", kind)
		}
	}
	var st answers.Status
	strict(answers.KindStatus, answers.StatusKey(answers.SubjectComponent, "bash"), &st)
	if st.Sentence == "" || st.Stage == "" || st.Head == "" {
		t.Errorf("status/rpm/bash = %+v", st)
	}
	var src answers.Source
	strict(answers.KindSource, "glibc", &src)
	if len(src.Branches) == 0 || len(src.BuildDependents) == 0 || src.Rebuild["dependents"].Tiers == nil {
		t.Errorf("src/glibc = %+v", src)
	}
	var h answers.History
	strict(answers.KindHistory, answers.HistoryKey("rpms/bash", "rawhide"), &h)
	if p := h.At(now); p.Hash != h.Head || p.Source != answers.Observed {
		t.Errorf("history bash rawhide at now = %+v, head %s", p, h.Head)
	}

	// A failed run publishes nothing.
	before := treeDigest(t, cfg.Out)
	for _, stage := range []string{"composes", "resolve", "render"} {
		_, err := Build(ctx, cfg, Options{Now: now.Add(time.Hour), AfterStage: func(s string) error {
			if s == stage {
				return errors.New("injected")
			}
			return nil
		}})
		if err == nil {
			t.Fatalf("failure after %s not reported", stage)
		}
		if after := treeDigest(t, cfg.Out); after != before {
			t.Fatalf("failure after %s changed the site", stage)
		}
	}
	bad := *cfg
	bad.Key = filepath.Join(t.TempDir(), "nokey")
	if _, err := Build(ctx, &bad, Options{Now: now.Add(time.Hour)}); !errors.Is(err, ErrConfig) {
		t.Fatalf("missing key: err = %v", err)
	}
	if after := treeDigest(t, cfg.Out); after != before {
		t.Fatal("a build without key changed the site")
	}
}

// referenceClosure follows the engine's chosen provider of every
// requirement from nevra: the walk answers.Closure does over pkg answers.
func referenceClosure(pool *depsolve.Pool, nevra string) []string {
	start, _ := pool.Lookup(nevra)
	seen := map[depsolve.PkgID]bool{start: true}
	queue := []depsolve.PkgID{start}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, r := range pool.Requires(id) {
			if r.Chosen != depsolve.None && !seen[r.Chosen] {
				seen[r.Chosen] = true
				queue = append(queue, r.Chosen)
			}
		}
	}
	var out []string
	for id := range seen {
		out = append(out, pool.NEVRA(id))
	}
	sort.Strings(out)
	return out
}

// TestBuildMirrors publishes, copies the site to one of the world's three
// mirrors, builds again and checks that the pipeline status says which
// mirror carries the compose.
func TestBuildMirrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated world")
	}
	cfg, vkey := smallWorld(t)
	ctx := context.Background()
	if _, err := Build(ctx, cfg, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	primary := filepath.Join(filepath.Dir(cfg.Mirrors), "mirrors", "primary")
	if err := os.CopyFS(primary, os.DirFS(cfg.Out)); err != nil {
		t.Fatal(err)
	}
	sum, err := Build(ctx, cfg, Options{Now: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Serial != 2 {
		t.Fatalf("serial %d", sum.Serial)
	}
	vs, _ := site.NewVerifiers(vkey)
	msg, _ := os.ReadFile(filepath.Join(cfg.Out, "index"))
	ix, err := site.ParseIndex(msg, vs)
	if err != nil {
		t.Fatal(err)
	}
	b, found, err := site.ReadAnswer(ctx, site.DirFetcher(cfg.Out), ix, answers.KindMirrors, answers.AllMirrors)
	if err != nil || !found {
		t.Fatalf("mirrors/all: %v %v", found, err)
	}
	var ms answers.Mirrors
	if err := json.Unmarshal(b, &ms); err != nil {
		t.Fatal(err)
	}
	if len(ms.Mirrors) != 3 || ms.Mirrors[0].Serial != 1 || ms.Mirrors[0].Compose != "Fedora-40-20241229.0" || ms.Mirrors[1].State != "unknown" {
		t.Fatalf("mirrors/all = %+v", ms)
	}
	b, found, err = site.ReadAnswer(ctx, site.DirFetcher(cfg.Out), ix, answers.KindStatus, answers.StatusKey(answers.SubjectModule, "nodejs:18"))
	if err != nil || !found {
		t.Fatalf("status: %v %v", found, err)
	}
	var st answers.Status
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if st.Stage != "mirrored-partly" || st.Sentence != "in compose Fedora-40-20241229.0, on 1 of 3 mirrors (2 unknown)" || !st.Mirrors[0].Carries {
		t.Errorf("status/module/nodejs:18 = %+v", st)
	}
	checkBranchStatuses(t, cfg, ix)
}

// checkBranchStatuses reads the status of every component with builds on
// several branches and checks that it lists each branch once, the main
// one first and the others sorted, and that the main branch is the
// composed one: no other branch has a build in a compose while the main
// one has none.
func checkBranchStatuses(t *testing.T, cfg *config.Config, ix *site.Index) {
	t.Helper()
	raw, err := os.ReadFile(cfg.Builds)
	if err != nil {
		t.Fatal(err)
	}
	branches := map[string]map[string]bool{}
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var ev struct{ Kind, Component, Branch string }
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Kind != "rpm" {
			continue
		}
		if branches[ev.Component] == nil {
			branches[ev.Component] = map[string]bool{}
		}
		branches[ev.Component][ev.Branch] = true
	}
	checked, composedMain := 0, 0
	for _, c := range slices.Sorted(maps.Keys(branches)) {
		if len(branches[c]) < 2 {
			continue
		}
		b, found, err := site.ReadAnswer(context.Background(), site.DirFetcher(cfg.Out), ix, answers.KindStatus, answers.StatusKey(answers.SubjectComponent, c))
		if err != nil || !found {
			t.Fatalf("status/rpm/%s: %v %v", c, found, err)
		}
		var st answers.Status
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		got := []string{st.Branch}
		for _, o := range st.Branches {
			got = append(got, o.Branch)
			if len(o.Composes) > 0 && len(st.Composes) == 0 {
				t.Errorf("status/rpm/%s: branch %s is composed, the main branch %s is not", c, o.Branch, st.Branch)
			}
		}
		if !slices.IsSorted(got[1:]) || !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(maps.Keys(branches[c]))) {
			t.Errorf("status/rpm/%s lists branches %v, builds are on %v", c, got, slices.Sorted(maps.Keys(branches[c])))
		}
		if p := st.Of(st.Branches[0].Branch); p == nil || p.Branch != st.Branches[0].Branch {
			t.Errorf("status/rpm/%s: Of(%s) = %+v", c, st.Branches[0].Branch, p)
		}
		checked++
		if len(st.Composes) > 0 {
			composedMain++
		}
	}
	if checked == 0 || composedMain == 0 {
		t.Fatalf("%d components with builds on several branches, %d with a composed main branch", checked, composedMain)
	}
	t.Logf("%d components with builds on several branches, %d with a composed main branch", checked, composedMain)
}
