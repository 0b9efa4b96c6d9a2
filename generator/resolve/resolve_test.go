package resolve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/distmeta/distmeta/generator/collect"
	"github.com/distmeta/distmeta/generator/world"
	"github.com/distmeta/distmeta/metadata/depsolve"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/site/answers"
)

func TestNevraToNVR(t *testing.T) {
	for in, want := range map[string]string{
		"bash-0:5.2.26-3.fc40.src":      "bash-5.2.26-3.fc40",
		"perl-Foo-Bar-1:2.0-1.fc40.src": "perl-Foo-Bar-2.0-1.fc40",
		"glibc-2.39-2.fc40.x86_64":      "glibc-2.39-2.fc40",
		"nodots":                        "",
		"a.b":                           "",
	} {
		if got := nevraToNVR(in); got != want {
			t.Errorf("nevraToNVR(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDependentsPlanMatchesWholeGraph(t *testing.T) {
	needs := map[string][]string{
		"glibc": nil, "gcc": {"glibc"}, "make": {"gcc"}, "a": {"make", "b"}, "b": {"a"}, "c": {"b"}, "leaf": {"glibc"}, "other": nil,
	}
	rev := map[string][]string{}
	for c, ds := range needs {
		for _, d := range ds {
			rev[d] = append(rev[d], c)
		}
	}
	got, err := dependentsPlan(needs, rev, "gcc")
	if err != nil {
		t.Fatal(err)
	}
	want := answers.RebuildPlan{Tiers: [][]string{{"gcc"}, {"make"}, {"a", "b"}, {"c"}}, Cycles: [][]string{{"a", "b"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plan = %+v, want %+v", got, want)
	}
}

// TestCacheRoundTrip checks that a resolution read back from the cache
// gives the same answers as the one computed, and that another digest
// misses.
func TestCacheRoundTrip(t *testing.T) {
	r := &Resolved{ComposeID: "C-1", Digest: "sha256:1", Packages: map[string][]byte{"a": []byte(`{"x":[]}`)},
		Modules: map[string][]byte{"m:1": []byte(`{"deps":{"platform":[]}}`)}, Sources: map[string]*SourceFacts{"a": {Binaries: []string{"a"}}}}
	c := Cache{Dir: t.TempDir()}
	if err := c.StoreResolved("C-1", r); err != nil {
		t.Fatal(err)
	}
	got, ok := c.LoadResolved("C-1", "sha256:1")
	if !ok || !reflect.DeepEqual(got.Packages, r.Packages) || !reflect.DeepEqual(got.Modules, r.Modules) || got.Sources["a"].Binaries[0] != "a" {
		t.Fatalf("round trip: %+v", got)
	}
	if _, ok := c.LoadResolved("C-1", "sha256:2"); ok {
		t.Error("another digest hit the cache")
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "C-1.resolved.gob.zst"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.LoadResolved("C-1", "sha256:1"); ok {
		t.Error("a corrupt cache file hit")
	}
}

// TestCacheRoundTripEveryField stores a Resolved with every field set
// (maps larger than one stored part) and loads it back equal.
func TestCacheRoundTripEveryField(t *testing.T) {
	if n := reflect.TypeOf(Resolved{}).NumField(); n != 12 {
		t.Fatalf("Resolved has %d fields: store the new ones in EncodeParts and DecodeParts, then update this test", n)
	}
	r := &Resolved{ComposeID: "C-1", Digest: "sha256:1", Main: "Everything", Arch: "x86_64",
		Packages: map[string][]byte{}, Caps: map[string][]byte{}, Modules: map[string][]byte{"m:1": []byte(`{}`)},
		Sources: map[string]*SourceFacts{}, Variants: map[string]VariantFacts{"Everything": {Packages: []string{"a"}, Broken: 1, Resolved: true}},
		Needs: map[string][]string{}, Tiers: map[string]int{"a": 2}, Stats: Stats{BinaryPackages: 3000, Broken: 1}}
	for i := range 3000 {
		n := fmt.Sprintf("p%04d", i)
		r.Packages[n] = []byte(`{"name":"` + n + `"}`)
		r.Caps["lib"+n] = []byte(`["` + n + `"]`)
		r.Sources[n] = &SourceFacts{SRPM: n + "-1-1.src", Binaries: []string{n}, Tier: i % 3,
			Rebuild: map[string]answers.RebuildPlan{"dependents": {Tiers: [][]string{{n}}}}}
		r.Needs[n] = []string{"p0000"}
	}
	tests := []struct {
		name string
		r    *Resolved
	}{
		{"every field", r},
		{"empty maps", &Resolved{ComposeID: "C-2", Digest: "sha256:1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Cache{Dir: t.TempDir()}
			if err := c.StoreResolved("C", tc.r); err != nil {
				t.Fatal(err)
			}
			got, ok := c.LoadResolved("C", "sha256:1")
			if !ok {
				t.Fatal("not loaded")
			}
			if !reflect.DeepEqual(got, tc.r) {
				t.Error("loaded Resolved differs from the stored one")
			}
		})
	}
}

// BenchmarkResolveFedora resolves the newest complete compose of the
// Fedora-sized world (the CPU-heavy part of a full build).
func BenchmarkResolveFedora(b *testing.B) {
	dir := os.Getenv("DISTMETA_FEDORA_WORLD")
	if dir == "" {
		dir = "/tmp/distmeta-fedora-world"
	}
	if _, err := os.Stat(filepath.Join(dir, "composes")); err != nil {
		b.Skip("no fedora world")
	}
	scan, err := collect.Composes(context.Background(), filepath.Join(dir, "composes"), 2, nil)
	if err != nil {
		b.Fatal(err)
	}
	c, err := scan.Complete[len(scan.Complete)-1].Open()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		r, err := Resolve(context.Background(), c, "x", Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(r.Stats.BinaryPackages), "pkgs")
		n := 0
		for _, d := range r.Caps {
			n += len(d)
		}
		b.ReportMetric(float64(n)/(1<<20), "cap-MiB")
	}
}

// TestReachableBuildroot checks that solving a buildroot over the
// reachable subset gives the same packages as over the whole set.
func TestReachableBuildroot(t *testing.T) {
	dir := t.TempDir()
	w, err := world.Generate(world.Scales["small"], 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(context.Background(), dir, world.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	scan, err := collect.Composes(context.Background(), filepath.Join(dir, "composes"), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := scan.Complete[len(scan.Complete)-1].Open()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := c.RepoPath("Everything", "x86_64")
	bins, err := repodata.LoadPackages(p, false)
	if err != nil {
		t.Fatal(err)
	}
	group := []string{"bash", "coreutils", "rpm-build", "redhat-rpm-config"}
	var g []string
	pool := depsolve.NewPool(bins, depsolve.Options{Arch: "x86_64"})
	for _, n := range group {
		if len(pool.ByName(n)) > 0 {
			g = append(g, n)
		}
	}
	e := depsolve.Expansion{BuildRequires: map[string]string{"platform": "f40"}}
	_, all, err1 := depsolve.BuildRoot(bins, bins, nil, e, g, depsolve.Options{Arch: "x86_64"})
	sub := reachable(bins, g)
	_, some, err2 := depsolve.BuildRoot(sub, sub, nil, e, g, depsolve.Options{Arch: "x86_64"})
	if (err1 == nil) != (err2 == nil) || !reflect.DeepEqual(all, some) {
		t.Fatalf("whole set: %v %v\nreachable (%d of %d): %v %v", all, err1, len(sub), len(bins), some, err2)
	}
	if len(sub) >= len(bins) || len(all) == 0 {
		t.Errorf("reachable %d of %d packages, buildroot %d", len(sub), len(bins), len(all))
	}
}
