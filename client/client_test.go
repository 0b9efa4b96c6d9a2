package client_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/client"
	"github.com/distmeta/distmeta/site"
)

var ctx = context.Background()

func TestQueriesInMemory(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, t.TempDir(), t0.Add(time.Hour), f.mem)

	wp, err := c.WhatProvides(ctx, "libc.so.6()(64bit)")
	if err != nil || len(wp.Providers) != 1 || wp.Providers[0].NEVRA != nevra("glibc") {
		t.Fatalf("whatprovides: %+v %v", wp, err)
	}
	wr, err := c.WhatRequires(ctx, "glibc", false)
	if err != nil || wr.As != "package" || !reflect.DeepEqual(wr.Requirers, []client.Requirer{{Name: nevra("bash")}, {Name: nevra("ncurses-libs")}}) {
		t.Fatalf("whatrequires glibc: %+v %v", wr, err)
	}
	wr, err = c.WhatRequires(ctx, "make", true)
	if err != nil || wr.As != "capability" || !reflect.DeepEqual(wr.Requirers, []client.Requirer{{Name: "bash-0:1.0-1.fc40.src", Dep: "make"}}) {
		t.Fatalf("whatrequires --build make: %+v %v", wr, err)
	}
	wr, err = c.WhatRequires(ctx, "bash", true)
	if err != nil || wr.As != "component" || !reflect.DeepEqual(wr.Requirers, []client.Requirer{{Name: "zsh"}}) {
		t.Fatalf("whatrequires --build bash: %+v %v", wr, err)
	}
	cl, err := c.Closure(ctx, "bash")
	want := []string{nevra("bash"), nevra("filesystem"), nevra("glibc"), nevra("ncurses-libs")}
	if err != nil || !reflect.DeepEqual(cl.Packages, want) {
		t.Fatalf("closure: %+v %v", cl, err)
	}
	why, err := c.Why(ctx, "bash", "filesystem")
	if err != nil || len(why.Chain) != 2 || why.Chain[0].To != nevra("glibc") || why.Chain[1].To != nevra("filesystem") {
		t.Fatalf("why: %+v %v", why, err)
	}
	rp, err := c.RebuildPlan(ctx, "bash", "changed-and-after")
	if err != nil || !rp.Computed || !reflect.DeepEqual(rp.Plan.Tiers, [][]string{{"bash"}, {"zsh"}}) {
		t.Fatalf("rebuild-plan: %+v %v", rp, err)
	}
	rp, err = c.RebuildPlan(ctx, "bash", "")
	if err != nil || rp.Computed || !reflect.DeepEqual(rp.Plan.Tiers, [][]string{{"bash"}, {"zsh"}}) {
		t.Fatalf("rebuild-plan dependents: %+v %v", rp, err)
	}
	h, err := c.History(ctx, "bash", "f40", ptr(t0.Add(-24*time.Hour)))
	if err != nil || h.Position.Hash != "aaa" {
		t.Fatalf("history: %+v %v", h, err)
	}
	cp, err := c.Comps(ctx, "Server")
	if err != nil || !strings.Contains(cp.Comps, "<id>core</id>") {
		t.Fatalf("comps: %+v %v", cp, err)
	}
	if _, err := c.Status(ctx, "nosuch"); !errors.Is(err, client.ErrNoAnswer) {
		t.Fatalf("status nosuch: %v", err)
	}
	st, err := c.Status(ctx, "bash")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := st.WriteText(&text); err != nil || !strings.Contains(text.String(), "branch  rawhide bash-5.3-1.fc42  built: built (bash-5.3-1.fc42) but not yet in a compose") ||
		!regexp.MustCompile(`(?m)^  mirror +https://m1.example +yes +serial 3, 2025-01-01 12:00, compose F-1$`).MatchString(text.String()) ||
		!regexp.MustCompile(`(?m)^  mirror +https://m2.example +unknown$`).MatchString(text.String()) {
		t.Fatalf("status bash as text: %q %v", text.String(), err)
	}
	if err := st.OnBranch("rawhide"); err != nil || st.Status.Branch != "rawhide" || st.Status.Stage != "built" || st.Status.Branches != nil {
		t.Fatalf("status bash on rawhide: %+v %v", st.Status, err)
	}
	if err := st.OnBranch("f38"); !errors.Is(err, client.ErrNoAnswer) || !strings.Contains(err.Error(), "branches with builds: rawhide") {
		t.Fatalf("status bash on f38: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

// corrupt flips a byte of every object fetched.
func corrupt(p string, b []byte) ([]byte, error) {
	if strings.HasPrefix(p, "o/") && len(b) > 0 {
		b = append([]byte(nil), b...)
		b[len(b)/2] ^= 0xff
	}
	return b, nil
}

// cachedObjects lists the objects in a client's cache and checks that
// each hashes to its name.
func cachedObjects(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.Walk(filepath.Join(dir, "cache", "o"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		if site.Sum(b).String() != "sha256:"+filepath.Base(p) {
			t.Errorf("cache holds %s, which does not hash to its name", p)
		}
		out = append(out, p)
		return nil
	})
	return out
}

func TestTamperedAndTruncatedObjectsTryNextMirror(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name  string
		fault func(string, []byte) ([]byte, error)
	}{
		{"tampered", corrupt},
		{"truncated", func(p string, b []byte) ([]byte, error) {
			if strings.HasPrefix(p, "o/") {
				return b[:len(b)/2], nil
			}
			return b, nil
		}},
		{"oversized", func(p string, b []byte) ([]byte, error) {
			if strings.HasPrefix(p, "o/") {
				return append(b, make([]byte, 1<<20)...), nil
			}
			return b, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad, good := f.mem.Clone(), f.mem.Clone()
			bad.Fault = tc.fault
			dir := t.TempDir()
			c := f.client(t, dir, t0.Add(time.Hour), bad, good)
			cl, err := c.Closure(ctx, "bash")
			if err != nil || len(cl.Packages) != 4 {
				t.Fatalf("closure: %+v %v", cl, err)
			}
			if n := len(cachedObjects(t, dir)); n == 0 {
				t.Fatal("nothing cached")
			}
			// With only the bad mirror, a cold client fails with an
			// integrity error and caches no object.
			dir2 := t.TempDir()
			c2 := f.client(t, dir2, t0.Add(time.Hour), bad)
			_, err = c2.WhatProvides(ctx, "libc.so.6()(64bit)")
			if !errors.Is(err, site.ErrIntegrity) {
				t.Fatalf("bad mirror only: %v", err)
			}
			if n := len(cachedObjects(t, dir2)); n != 0 {
				t.Fatalf("%d bad objects entered the cache", n)
			}
		})
	}
}

// TestCompressionBomb: a publisher (key compromised, or buggy) declares a
// bucket of a few bytes whose zstd frame inflates to 64 MiB. The decoder
// stops at the declared size; the answer fails with ErrBomb and the object
// does not enter the cache.
func TestCompressionBomb(t *testing.T) {
	f := newFixture(t)
	bomb := zstdBomb(64 << 20)
	m := f.mem.Clone()
	m.ReplaceBucket(t, f.key.signer, "pkg", "bash", bomb, site.Entry{RawSize: 4096, Encoding: site.EncodingZstd}, t0.Add(time.Minute))
	dir := t.TempDir()
	c := f.client(t, dir, t0.Add(time.Hour), m)
	_, err := c.Closure(ctx, "bash")
	if !errors.Is(err, site.ErrBomb) {
		t.Fatalf("err = %v, want ErrBomb", err)
	}
	if p := filepath.Join(dir, "cache", filepath.FromSlash(site.Sum(bomb).ObjectPath())); fileExists(p) {
		t.Fatal("the bomb entered the cache")
	}
	t.Logf("bomb of %d bytes: %v", len(bomb), err)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestRollbackMirrorPassedOver(t *testing.T) {
	f := newFixture(t)
	old := f.mem.Clone()
	f.publish(t)
	dir := t.TempDir()
	now := t0.Add(2 * time.Hour)
	c := f.client(t, dir, now, f.mem)
	if _, err := c.Sync(ctx, false); err != nil {
		t.Fatal(err)
	}
	// Now the stale mirror comes first: its serial 1 is a rollback.
	c = f.client(t, dir, now, old, f.mem)
	st, err := c.Status(ctx, "round")
	if err != nil {
		t.Fatal(err)
	}
	if st.Status.Sentence != "2" || st.Index.Serial != 2 || len(st.Index.Rejected) != 1 || !errors.Is(st.Index.Rejected[0], site.ErrRollback) {
		t.Fatalf("answer %q from serial %d, rejected %+v", st.Status.Sentence, st.Index.Serial, st.Index.Rejected)
	}
	// Wiping the cache does not reset trust: the stale mirror alone is
	// still refused.
	os.RemoveAll(filepath.Join(dir, "cache"))
	c = f.client(t, dir, now, old)
	if _, err := c.Sync(ctx, false); !errors.Is(err, site.ErrRollback) {
		t.Fatalf("sync from the stale mirror after wiping the cache: %v", err)
	}
}

func TestOffline(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	c := f.client(t, dir, t0.Add(time.Minute), f.mem)
	if _, err := c.Closure(ctx, "bash"); err != nil {
		t.Fatal(err)
	}
	down := site.FetcherFunc(func(context.Context, string, int64) ([]byte, error) { return nil, errors.New("connection refused") })
	c = f.client(t, dir, t0.Add(3*time.Hour+10*time.Minute), down)
	cl, err := c.Closure(ctx, "bash")
	if err != nil || len(cl.Packages) != 4 {
		t.Fatalf("offline closure: %+v %v", cl, err)
	}
	if !cl.Index.Offline || !strings.HasPrefix(cl.Index.Note, "offline: answer from index serial 1 published 3h ago") {
		t.Fatalf("note %q", cl.Index.Note)
	}
	// A question whose objects were never fetched cannot be answered.
	if _, err := c.Module(ctx, "nodejs:20", false); !errors.Is(err, client.ErrOffline) {
		t.Fatalf("uncached offline: %v", err)
	}
	// Sync refuses to pretend.
	if _, err := c.Sync(ctx, false); err == nil {
		t.Fatal("sync succeeded with every mirror down")
	}
	// Nothing cached: a clear error.
	c = f.client(t, t.TempDir(), t0.Add(time.Hour), down)
	_, err = c.WhatProvides(ctx, "make")
	var ni *client.ErrNoIndex
	if !errors.As(err, &ni) || !errors.Is(err, client.ErrOffline) || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "nothing cached") {
		t.Fatalf("nothing cached: %v", err)
	}
}

// TestFreeze: every mirror serves the trusted index after it expired. Sync
// fails with ErrExpired; a query answers from the cache and says so.
func TestFreeze(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	c := f.client(t, dir, t0.Add(time.Hour), f.mem)
	if _, err := c.Status(ctx, "bash"); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(8 * 24 * time.Hour)
	c = f.client(t, dir, later, f.mem)
	if _, err := c.Sync(ctx, false); !errors.Is(err, site.ErrExpired) {
		t.Fatalf("sync of an expired index: %v", err)
	}
	st, err := c.Status(ctx, "bash")
	if err != nil || !st.Index.Offline || !strings.Contains(st.Index.Note, "(expired 24h ago)") || !strings.Contains(st.Index.Note, "expired") {
		t.Fatalf("%+v %v", st, err)
	}
}

// TestFutureAndBadSignature: a mirror serving an index from the future or
// signed by another key is passed over for the next one.
func TestFutureAndBadSignature(t *testing.T) {
	f := newFixture(t)
	future := f.mem.Clone()
	ix := future.Index(t)
	future.Publish(t, f.key.signer, site.Index{Origin: ix.Origin, Serial: 2, Created: t0.Add(48 * time.Hour), Expires: t0.Add(96 * time.Hour), Root: ix.Root, Prev: ix.Digest})
	forged := f.mem.Clone()
	forged.Publish(t, newKey(t, "test.example").signer, site.Index{Origin: ix.Origin, Serial: 2, Created: t0, Expires: t0.Add(96 * time.Hour), Root: ix.Root, Prev: ix.Digest})
	c := f.client(t, t.TempDir(), t0.Add(time.Hour), future, forged, f.mem)
	st, err := c.Status(ctx, "bash")
	if err != nil {
		t.Fatal(err)
	}
	if st.Index.Serial != 1 || len(st.Index.Rejected) != 2 || !errors.Is(st.Index.Rejected[0], site.ErrFuture) || !errors.Is(st.Index.Rejected[1], site.ErrBadSignature) {
		t.Fatalf("serial %d rejected %+v", st.Index.Serial, st.Index.Rejected)
	}
}

// TestOneIndexPerAnswer: a mirror serves serial 2 but lacks its kind
// manifest; the other mirror is still at serial 1. The answer must not mix
// serial 2's root with serial 1's manifests: it fails.
func TestOneIndexPerAnswer(t *testing.T) {
	f := newFixture(t)
	old := f.mem.Clone()
	f.publish(t)
	broken := f.mem.Clone()
	kr := broken.Root(t).Kinds["status"]
	broken.Delete(kr.Manifest.Digest.ManifestPath())
	c := f.client(t, t.TempDir(), t0.Add(2*time.Hour), broken, old)
	st, err := c.Status(ctx, "round")
	if err == nil {
		t.Fatalf("answered %q from serial %d with serial 2's kind manifest missing everywhere", st.Status.Sentence, st.Index.Serial)
	}
	if !errors.Is(err, site.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

// TestRefresh: within the refresh period no mirror is asked.
func TestRefresh(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	m := f.mem.Clone()
	opts := func(now time.Time) client.Options {
		return client.Options{Keys: []string{f.key.vkey}, CacheDir: filepath.Join(dir, "cache"), StateDir: filepath.Join(dir, "state"),
			Now: func() time.Time { return now }, Refresh: time.Minute, Mirrors: []string{"mem://m"}, Fetchers: map[string]site.Fetcher{"mem://m": m}}
	}
	for i, now := range []time.Time{t0.Add(time.Hour), t0.Add(time.Hour + 30*time.Second), t0.Add(time.Hour + 2*time.Minute)} {
		c, err := client.New(opts(now))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.WhatProvides(ctx, "make"); err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 1, 2}[i]; m.Gets("index") != want {
			t.Fatalf("query %d: index fetched %d times, want %d", i, m.Gets("index"), want)
		}
	}
}
