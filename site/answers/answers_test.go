package answers

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestHistoryAt(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 5, d, 12, 0, 0, 0, time.UTC) }
	h := &History{
		Commits: []Commit{{Hash: "c3", Time: day(5)}, {Hash: "c2", Time: day(3)}, {Hash: "c1", Time: day(1)}},
		// First observed on day 6 at c3; pushed c4 on day 8; deleted day 10.
		FirstObserved: day(6),
		Observed: []RefMove{{Time: day(6), Kind: "seen", New: "c3"}, {Time: day(8), Kind: "pushed", Old: "c3", New: "c4"},
			{Time: day(10), Kind: "deleted", Old: "c4"}},
	}
	tests := []struct {
		at   time.Time
		want Position
	}{
		{day(1).Add(-time.Second), Position{Source: Derived}},
		{day(1), Position{Hash: "c1", Source: Derived, Since: day(1)}},
		{day(4), Position{Hash: "c2", Source: Derived, Since: day(3)}},
		{day(5).Add(time.Hour), Position{Hash: "c3", Source: Derived, Since: day(5)}},
		{day(6), Position{Hash: "c3", Source: Observed, Since: day(6)}},
		{day(9), Position{Hash: "c4", Source: Observed, Since: day(8)}},
		{day(11), Position{Source: Observed, Since: day(10)}},
	}
	for _, tt := range tests {
		if got := h.At(tt.at); got != tt.want {
			t.Errorf("At(%s) = %+v, want %+v", tt.at, got, tt.want)
		}
	}
}

func TestHistoryKey(t *testing.T) {
	for _, tt := range []struct{ repo, branch string }{{"rpms/bash", "f40"}, {"modules/nodejs", "18"}, {"rpms/x", "epel9/next"}} {
		r, b, err := SplitHistoryKey(HistoryKey(tt.repo, tt.branch))
		if err != nil || r != tt.repo || b != tt.branch {
			t.Errorf("round trip %s %s: %s %s %v", tt.repo, tt.branch, r, b, err)
		}
	}
	for _, bad := range []string{"rpms", "rpms/bash", "/bash/f40", "rpms//f40"} {
		if _, _, err := SplitHistoryKey(bad); err == nil {
			t.Errorf("SplitHistoryKey(%q) accepted", bad)
		}
	}
}

func TestCheckSchema(t *testing.T) {
	if err := CheckSchema(KindPackage, []byte(`{"schema":"distmeta.pkg/1"}`)); err != nil {
		t.Fatal(err)
	}
	if err := CheckSchema(KindPackage, []byte(`{"schema":"distmeta.pkg/2"}`)); !errors.Is(err, ErrSchema) {
		t.Fatalf("err = %v", err)
	}
	if err := CheckSchema(KindPackage, []byte(`[`)); err == nil {
		t.Fatal("bad JSON accepted")
	}
}

// repo is a tiny package universe: a -> b (dep "libb"), b -> c, c -> b
// (a cycle), d broken.
func repo() map[string]*Package {
	pk := func(name string, reqs ...Requirement) *Package {
		return &Package{Name: name, Builds: []PackageBuild{{NEVRA: name + "-0:1-1.x86_64", Requires: reqs}}}
	}
	req := func(dep, to string) Requirement {
		n := to + "-0:1-1.x86_64"
		return Requirement{Dep: dep, Providers: []Provider{{NEVRA: n, Name: to}}, Chosen: n}
	}
	return map[string]*Package{
		"a":  pk("a", req("libb", "b"), req("/bin/sh", "sh")),
		"b":  pk("b", req("libc", "c")),
		"c":  pk("c", req("libb", "b")),
		"sh": pk("sh"),
		"d":  pk("d", Requirement{Dep: "missing"}),
	}
}

func lookupIn(m map[string]*Package) Lookup {
	return func(n string) (*Package, bool, error) { p, ok := m[n]; return p, ok, nil }
}

func TestClosureAndWhy(t *testing.T) {
	l := lookupIn(repo())
	got, err := Closure(l, "a")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a-0:1-1.x86_64", "b-0:1-1.x86_64", "c-0:1-1.x86_64", "sh-0:1-1.x86_64"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Closure = %v", got)
	}
	if got, _ := Closure(l, "d"); len(got) != 1 {
		t.Errorf("Closure(d) = %v", got)
	}
	why, err := Why(l, "a", "c")
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(why); s != "[{a-0:1-1.x86_64 libb b-0:1-1.x86_64} {b-0:1-1.x86_64 libc c-0:1-1.x86_64}]" {
		t.Errorf("Why = %s", s)
	}
	if why, _ := Why(l, "c", "a"); why != nil {
		t.Errorf("Why(c, a) = %v", why)
	}
	if _, err := Closure(l, "nope"); !errors.Is(err, ErrNoPackage) {
		t.Errorf("err = %v", err)
	}
	m := repo()
	delete(m, "sh")
	if _, err := Closure(lookupIn(m), "a"); !errors.Is(err, ErrNoPackage) {
		t.Errorf("missing provider answer: err = %v", err)
	}
}

func TestNevraName(t *testing.T) {
	for in, want := range map[string]string{"python3-foo-bar-0:1.2-3.fc40.noarch": "python3-foo-bar", "x": "x"} {
		if got := NEVRAName(in); got != want {
			t.Errorf("NEVRAName(%q) = %q", in, got)
		}
	}
}
