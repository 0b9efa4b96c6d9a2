package client_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/client"
	"github.com/distmeta/distmeta/client/mirrortest"
	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/depsolve"
	"github.com/distmeta/distmeta/site"
	"github.com/distmeta/distmeta/site/answers"
	"github.com/klauspost/compress/zstd"
)

// published reads every answer of a published site straight through
// package site (the generator's own answers, as published): kind -> key ->
// document.
func published(t testing.TB, dir string) (map[string]map[string][]byte, *site.Index) {
	t.Helper()
	f := site.DirFetcher(dir)
	msg, err := os.ReadFile(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := site.ParseIndexUnverified(msg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := site.FetchVerified(ctx, f, ix.Root.Digest.ManifestPath(), ix.Root)
	if err != nil {
		t.Fatal(err)
	}
	root, err := site.ParseRootManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]byte{}
	for kind, kr := range root.Kinds {
		b, err := site.FetchVerified(ctx, f, kr.Manifest.Digest.ManifestPath(), kr.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		km, err := site.ParseKindManifest(b)
		if err != nil {
			t.Fatal(err)
		}
		var dict []byte
		if kr.Dict != nil {
			if dict, err = site.FetchVerified(ctx, f, kr.Dict.Digest.ObjectPath(), *kr.Dict); err != nil {
				t.Fatal(err)
			}
		}
		entries := append([]site.Entry(nil), km.Objects...)
		for i, r := range km.Pages {
			b, err := site.FetchVerified(ctx, f, r.Digest.ManifestPath(), r)
			if err != nil {
				t.Fatal(err)
			}
			pm, err := site.ParsePageManifest(b, km, i)
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, pm.Objects...)
		}
		out[kind] = map[string][]byte{}
		for _, e := range entries {
			stored, err := site.FetchVerified(ctx, f, e.Digest.ObjectPath(), e.Ref())
			if err != nil {
				t.Fatal(err)
			}
			content, err := site.DecodeObject(stored, e, dict)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(content, &m); err != nil {
				t.Fatal(err)
			}
			for k, v := range m {
				out[kind][k] = v
			}
		}
	}
	return out, ix
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func worldClient(t testing.TB, w *mirrortest.World, dir string, timeout time.Duration, mirrors ...string) *client.Client {
	t.Helper()
	c, err := client.New(client.Options{Mirrors: mirrors, Keys: []string{w.VerifierKey(t)}, CacheDir: filepath.Join(dir, "cache"),
		StateDir: filepath.Join(dir, "state"), Refresh: time.Hour, Timeout: timeout, Now: func() time.Time { return w.Created.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestWorldAnswersEqualGenerator serves a generated world's published
// site with real nginx and checks every command's answer, for every key
// (a sample for the walks), against the generator's published answers
// read directly through package site.
func TestWorldAnswersEqualGenerator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a world")
	}
	w := mirrortest.SmallWorld(t)
	ng := mirrortest.StartNginx(t, w.Site, false)
	ref, _ := published(t, w.Site)
	c := worldClient(t, w, t.TempDir(), 10*time.Second, ng.URL)
	if _, err := c.Sync(ctx, false); err != nil {
		t.Fatal(err)
	}
	lookup := func(name string) (*answers.Package, bool, error) {
		b, ok := ref["pkg"][name]
		if !ok {
			return nil, false, nil
		}
		p := decode[answers.Package](t, b)
		return &p, true, nil
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Errorf("%s:\n got %.400s\nwant %.400s", what, gj, wj)
		}
	}
	n := map[string]int{}
	for i, name := range sortedKeys(ref["pkg"]) {
		p := decode[answers.Package](t, ref["pkg"][name])
		wr, err := c.WhatRequires(ctx, name, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []client.Requirer{}
		seen := map[string]bool{}
		for _, b := range p.Builds {
			for _, x := range b.WhatRequires {
				if !seen[x] {
					seen[x] = true
					want = append(want, client.Requirer{Name: x})
				}
			}
		}
		sort.Slice(want, func(i, j int) bool { return want[i].Name < want[j].Name })
		check("whatrequires "+name, wr.Requirers, want)
		rq, err := c.Requires(ctx, name, true)
		if err != nil {
			t.Fatal(err)
		}
		wantReq := p.Builds[0].Requires
		if wantReq == nil {
			wantReq = []answers.Requirement{}
		}
		check("requires --resolve "+name, rq.Needs, wantReq)
		n["pkg"]++
		if i%7 != 0 {
			continue
		}
		cl, err := c.Closure(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		wantCl, err := answers.Closure(lookup, name)
		if err != nil {
			t.Fatal(err)
		}
		check("closure "+name, cl.Packages, wantCl)
		for _, target := range []string{"glibc", "filesystem", "bash"} {
			why, err := c.Why(ctx, name, target)
			if err != nil {
				t.Fatal(err)
			}
			wantWhy, _ := answers.Why(lookup, name, target)
			if wantWhy == nil {
				wantWhy = []answers.Step{}
			}
			check("why "+name+" "+target, why.Chain, wantWhy)
		}
		n["closure"]++
	}
	for _, name := range sortedKeys(ref["cap"]) {
		ca := decode[answers.Capability](t, ref["cap"][name])
		wp, err := c.WhatProvides(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		want := append([]answers.CapEntry{}, ca.Providers...)
		check("whatprovides "+name, wp.Providers, want)
		for _, build := range []bool{false, true} {
			if _, isPkg := ref["pkg"][name]; isPkg && !build {
				continue
			}
			if _, isSrc := ref["src"][name]; isSrc && build {
				continue
			}
			wr, err := c.WhatRequires(ctx, name, build)
			if err != nil {
				t.Fatal(err)
			}
			want := []client.Requirer{}
			for _, r := range ca.Requirers {
				if strings.HasSuffix(r.NEVRA, ".src") == build {
					want = append(want, client.Requirer{Name: r.NEVRA, Dep: r.Dep})
				}
			}
			check("whatrequires cap "+name, wr.Requirers, want)
		}
		n["cap"]++
	}
	graph := decode[struct {
		Needs map[string][]string `json:"needs"`
	}](t, ref["rebuild"]["graph"])
	for i, name := range sortedKeys(ref["src"]) {
		src := decode[answers.Source](t, ref["src"][name])
		wr, err := c.WhatRequires(ctx, name, true)
		if err != nil {
			t.Fatal(err)
		}
		want := []client.Requirer{}
		for _, d := range src.BuildDependents {
			want = append(want, client.Requirer{Name: d})
		}
		check("whatrequires --build "+name, wr.Requirers, want)
		for strategy, plan := range src.Rebuild {
			rp, err := c.RebuildPlan(ctx, name, strategy)
			if err != nil {
				t.Fatal(err)
			}
			check("rebuild-plan "+strategy+" "+name, rp.Plan, plan)
		}
		if i%10 == 0 {
			for _, strategy := range []depsolve.Strategy{depsolve.All, depsolve.ChangedAndAfter} {
				rp, err := c.RebuildPlan(ctx, name, string(strategy))
				p, refErr := depsolve.RebuildTiers(graph.Needs, []string{name}, strategy)
				if refErr != nil {
					// Not in the compose's build graph: the client says so.
					if !errors.Is(err, client.ErrNoAnswer) {
						t.Errorf("rebuild-plan %s %s: err %v, reference %v", strategy, name, err, refErr)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				check("rebuild-plan "+string(strategy)+" "+name, rp.Plan, answers.RebuildPlan{Tiers: p.Tiers, Cycles: p.Cycles})
			}
		}
		n["src"]++
	}
	for _, key := range sortedKeys(ref["mod"]) {
		m, err := c.Module(ctx, key, true)
		if err != nil {
			t.Fatal(err)
		}
		check("module "+key, m.Module, decode[answers.Module](t, ref["mod"][key]))
		n["mod"]++
	}
	for _, key := range sortedKeys(ref["status"]) {
		st, err := c.Status(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		check("status "+key, st.Status, decode[answers.Status](t, ref["status"][key]))
		n["status"]++
	}
	for i, key := range sortedKeys(ref["history"]) {
		repo, branch, err := answers.SplitHistoryKey(key)
		if err != nil {
			t.Fatal(err)
		}
		h := decode[answers.History](t, ref["history"][key])
		if i%3 == 0 {
			got, err := c.History(ctx, repo, branch, nil)
			if err != nil {
				t.Fatal(err)
			}
			check("history "+key, *got.History, h)
		}
		for _, c0 := range h.Commits {
			at := c0.Time.Add(time.Second)
			got, err := c.History(ctx, repo, branch, &at)
			if err != nil {
				t.Fatal(err)
			}
			check("history --at "+key, *got.Position, h.At(at))
		}
		n["history"]++
	}
	for _, key := range sortedKeys(ref["compose"]) {
		id := key
		if key == answers.LatestCompose {
			id = ""
		}
		cp, err := c.Compose(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		check("compose "+key, cp.Compose, decode[answers.Compose](t, ref["compose"][key]))
		n["compose"]++
	}
	for _, key := range sortedKeys(ref["variant"]) {
		cp, err := c.Comps(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		check("comps "+key, cp.Variant, decode[answers.Variant](t, ref["variant"][key]))
		n["variant"]++
	}
	mr, err := c.Mirrors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("mirrors", mr.Published, decode[answers.Mirrors](t, ref["mirrors"]["all"]))
	if len(mr.Configured) != 1 || mr.Configured[0].State != "current" {
		t.Errorf("configured mirrors: %+v", mr.Configured)
	}
	t.Logf("compared: %v", n)
	for _, k := range []string{"pkg", "cap", "src", "mod", "status", "history", "compose", "variant", "closure"} {
		if n[k] == 0 {
			t.Errorf("no %s answer compared", k)
		}
	}
}

// copySite copies a published site into a new folder.
func copySite(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "site")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	return dst
}

// objectOf returns the site path of the object holding (kind, key).
func objectOf(t testing.TB, m *mirrortest.Mem, kind, key string) string {
	t.Helper()
	kr := m.Root(t).Kinds[kind]
	b, _ := m.Get(kr.Manifest.Digest.ManifestPath())
	km, err := site.ParseKindManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	bucket, e, page := km.Locate(key)
	if page >= 0 {
		pb, _ := m.Get(km.Pages[page].Digest.ManifestPath())
		pm, err := site.ParsePageManifest(pb, km, page)
		if err != nil {
			t.Fatal(err)
		}
		if e, err = pm.Entry(bucket); err != nil {
			t.Fatal(err)
		}
	}
	return e.Digest.ObjectPath()
}

// nextRound forges serial+1 of a world's site in which status rpm/bash
// says sentence (a raw bucket), as the publisher would with its key.
func nextRound(t testing.TB, w *mirrortest.World, m *mirrortest.Mem, sentence string, now time.Time) {
	t.Helper()
	ref, _ := published(t, w.Site)
	st := ref["status"]
	bucketKeys := map[string]json.RawMessage{}
	obj := objectOf(t, m, "status", "rpm/bash")
	for k, v := range st {
		if objectOf(t, m, "status", k) == obj {
			bucketKeys[k] = v
		}
	}
	var doc map[string]any
	json.Unmarshal(bucketKeys["rpm/bash"], &doc)
	doc["sentence"] = sentence
	bucketKeys["rpm/bash"], _ = json.Marshal(doc)
	content, _ := json.Marshal(bucketKeys)
	content = append(content, '\n')
	m.ReplaceBucket(t, w.Signer, "status", "rpm/bash", content, site.Entry{RawSize: int64(len(content)), Encoding: site.EncodingRaw}, now)
}

// TestWorldFaults injects faults for real: mirrors are folders served by
// nginx (or a server that stalls), changed on disk.
func TestWorldFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a world")
	}
	w := mirrortest.SmallWorld(t)
	good := mirrortest.StartNginx(t, w.Site, false)
	base := mirrortest.LoadDir(t, w.Site)
	ix := base.Index(t)
	bashObj := objectOf(t, base, "pkg", "bash")
	refSentence := func() string {
		ref, _ := published(t, w.Site)
		return decode[answers.Status](t, ref["status"]["rpm/bash"]).Sentence
	}()

	t.Run("tampered object", func(t *testing.T) {
		dir := copySite(t, w.Site)
		p := filepath.Join(dir, filepath.FromSlash(bashObj))
		b, _ := os.ReadFile(p)
		b[len(b)/3] ^= 0x40
		os.WriteFile(p, b, 0o644)
		bad := mirrortest.StartNginx(t, dir, false)
		cdir := t.TempDir()
		c := worldClient(t, w, cdir, 5*time.Second, bad.URL, good.URL)
		wr, err := c.WhatRequires(ctx, "bash", false)
		if err != nil || len(wr.Requirers) == 0 {
			t.Fatalf("%+v %v", wr, err)
		}
		cachedObjects(t, cdir) // every cached object hashes to its name
		if !fileExists(filepath.Join(cdir, "cache", filepath.FromSlash(bashObj))) {
			t.Fatal("the good copy was not cached")
		}
		// The bad mirror alone: an integrity error naming the object.
		c = worldClient(t, w, t.TempDir(), 5*time.Second, bad.URL)
		if _, err := c.WhatRequires(ctx, "bash", false); !errors.Is(err, site.ErrDigestMismatch) || !strings.Contains(err.Error(), bashObj) {
			t.Fatalf("bad mirror only: %v", err)
		}
	})

	t.Run("truncated object", func(t *testing.T) {
		dir := copySite(t, w.Site)
		p := filepath.Join(dir, filepath.FromSlash(bashObj))
		b, _ := os.ReadFile(p)
		os.WriteFile(p, b[:len(b)/2], 0o644)
		bad := mirrortest.StartNginx(t, dir, false)
		c := worldClient(t, w, t.TempDir(), 5*time.Second, bad.URL, good.URL)
		if _, err := c.WhatRequires(ctx, "bash", false); err != nil {
			t.Fatal(err)
		}
		c = worldClient(t, w, t.TempDir(), 5*time.Second, bad.URL)
		if _, err := c.WhatRequires(ctx, "bash", false); !errors.Is(err, site.ErrSizeMismatch) {
			t.Fatalf("bad mirror only: %v", err)
		}
	})

	t.Run("compression bomb", func(t *testing.T) {
		m := base.Clone()
		bomb := zstdBomb(64 << 20)
		m.ReplaceBucket(t, w.Signer, "pkg", "bash", bomb, site.Entry{RawSize: 8 << 10, Encoding: site.EncodingZstd}, ix.Created.Add(time.Minute))
		dir := t.TempDir()
		m.WriteDir(t, dir)
		bad := mirrortest.StartNginx(t, dir, false)
		cdir := t.TempDir()
		c := worldClient(t, w, cdir, 5*time.Second, bad.URL)
		if _, err := c.WhatRequires(ctx, "bash", false); !errors.Is(err, site.ErrBomb) {
			t.Fatalf("bomb: %v", err)
		}
		if fileExists(filepath.Join(cdir, "cache", filepath.FromSlash(site.Sum(bomb).ObjectPath()))) {
			t.Fatal("the bomb entered the cache")
		}
	})

	// Serial N+1 changes status rpm/bash; the old site is now stale.
	newer := base.Clone()
	nextRound(t, w, newer, "round two", ix.Created.Add(time.Minute))
	newDir := t.TempDir()
	newer.WriteDir(t, newDir)
	fresh := mirrortest.StartNginx(t, newDir, false)

	t.Run("stale mirror", func(t *testing.T) {
		cdir := t.TempDir()
		c := worldClient(t, w, cdir, 5*time.Second, fresh.URL)
		if _, err := c.Sync(ctx, false); err != nil {
			t.Fatal(err)
		}
		c = worldClient(t, w, cdir, 5*time.Second, good.URL, fresh.URL)
		sr, err := c.Sync(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if sr.Index.Serial != ix.Serial+1 || len(sr.Index.Rejected) != 1 || !errors.Is(sr.Index.Rejected[0], site.ErrRollback) {
			t.Fatalf("serial %d, rejected %+v", sr.Index.Serial, sr.Index.Rejected)
		}
		st, err := c.Status(ctx, "bash")
		if err != nil || st.Status.Sentence != "round two" {
			t.Fatalf("%+v %v", st, err)
		}
	})

	t.Run("mid rsync", func(t *testing.T) {
		testenv.Tool(t, "rsync")
		mirror := copySite(t, w.Site)
		ng := mirrortest.StartNginx(t, mirror, false)
		sync := func(stage string) {
			cmd := exec.Command(filepath.Join(testenv.RepoRoot(t), "scripts", "mirror-sync.sh"), newDir, mirror)
			cmd.Env = append(os.Environ(), "STAGE="+stage)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("mirror-sync stage %s: %v\n%s", stage, err, out)
			}
		}
		cdir := t.TempDir()
		c := worldClient(t, w, cdir, 5*time.Second, ng.URL)
		if _, err := c.Sync(ctx, false); err != nil {
			t.Fatal(err)
		}
		sync("1")
		// Stage 1 done, stage 2 not: the old index, verified, answers.
		c = worldClient(t, w, t.TempDir(), 5*time.Second, ng.URL)
		st, err := c.Status(ctx, "bash")
		if err != nil || st.Status.Sentence != refSentence || st.Index.Serial != ix.Serial {
			t.Fatalf("between stages: %+v %v", st, err)
		}
		sync("2")
		c = worldClient(t, w, cdir, 5*time.Second, ng.URL)
		if _, err := c.Sync(ctx, false); err != nil {
			t.Fatal(err)
		}
		st, err = c.Status(ctx, "bash")
		if err != nil || st.Status.Sentence != "round two" {
			t.Fatalf("after stage 2: %+v %v", st, err)
		}
	})

	t.Run("stalled mirror", func(t *testing.T) {
		stall := mirrortest.Stall(t)
		c := worldClient(t, w, t.TempDir(), 500*time.Millisecond, stall, good.URL)
		start := time.Now()
		st, err := c.Status(ctx, "bash")
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 5*time.Second || len(st.Index.Rejected) != 1 || !strings.Contains(st.Index.Rejected[0].Reason, "Timeout") {
			t.Fatalf("took %v, rejected %+v", d, st.Index.Rejected)
		}
	})

	t.Run("all mirrors down", func(t *testing.T) {
		cdir := t.TempDir()
		c := worldClient(t, w, cdir, 5*time.Second, good.URL)
		if _, err := c.Closure(ctx, "bash"); err != nil {
			t.Fatal(err)
		}
		stall := mirrortest.Stall(t)
		closed := "http://127.0.0.1:1"
		c2Now := func() time.Time { return ix.Created.Add(3*time.Hour + time.Minute) }
		c2, err := client.New(client.Options{Mirrors: []string{closed, stall}, Keys: []string{w.VerifierKey(t)}, CacheDir: filepath.Join(cdir, "cache"),
			StateDir: filepath.Join(cdir, "state"), Timeout: 300 * time.Millisecond, Now: c2Now})
		if err != nil {
			t.Fatal(err)
		}
		cl, err := c2.Closure(ctx, "bash")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(cl.Index.Note, "offline: answer from index serial "+itoa(ix.Serial)+" published 3h ago") {
			t.Fatalf("note %q", cl.Index.Note)
		}
		c3, _ := client.New(client.Options{Mirrors: []string{closed}, Keys: []string{w.VerifierKey(t)}, CacheDir: filepath.Join(t.TempDir(), "c"),
			StateDir: filepath.Join(t.TempDir(), "s"), Timeout: 300 * time.Millisecond, Now: c2Now})
		if _, err := c3.Closure(ctx, "bash"); !errors.Is(err, client.ErrOffline) {
			t.Fatalf("nothing cached: %v", err)
		}
	})
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// zstdBomb is a zstd frame of n spaces (a few KB).
func zstdBomb(n int) []byte {
	enc, _ := zstd.NewWriter(nil)
	defer enc.Close()
	return enc.EncodeAll(bytes.Repeat([]byte(" "), n), nil)
}

// BenchmarkWarmWhatRequires is a warm `dmq whatrequires glibc` in process:
// index within the refresh period, everything it needs in the cache.
func BenchmarkWarmWhatRequires(b *testing.B) {
	w := mirrortest.SmallWorld(b)
	dir := b.TempDir()
	c := worldClient(b, w, dir, 10*time.Second, w.Site)
	if _, err := c.WhatRequires(ctx, "glibc", false); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := worldClient(b, w, dir, 10*time.Second, w.Site)
		if _, err := c.WhatRequires(ctx, "glibc", false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdWhatRequires is a cold `dmq whatrequires glibc` (empty
// cache and trusted state) over a file:// mirror; it reports the bytes
// read from the mirror.
func BenchmarkColdWhatRequires(b *testing.B) {
	w := mirrortest.SmallWorld(b)
	var bytes int64
	for i := 0; i < b.N; i++ {
		c := worldClient(b, w, b.TempDir(), 10*time.Second, w.Site)
		if _, err := c.WhatRequires(ctx, "glibc", false); err != nil {
			b.Fatal(err)
		}
		bytes = c.BytesReceived()
	}
	b.ReportMetric(float64(bytes), "bytes/query")
}
