package depsolve

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

// mk builds a package from "name-version.arch" and dependency strings
// "P:cap", "R:cap", "O:cap" (obsoletes), "C:cap" (conflicts), "F:/path".
func mk(nva string, deps ...string) *repodata.Package {
	dot := strings.LastIndexByte(nva, '.')
	dash := strings.LastIndexByte(nva[:dot], '-')
	pk := &repodata.Package{Name: nva[:dash], Arch: nva[dot+1:], EVR: rpmver.EVR{Version: nva[dash+1 : dot], Release: "1"}}
	for _, d := range deps {
		kind, s := d[:1], d[2:]
		var dep repodata.Dep
		if strings.HasPrefix(s, "(") {
			dep = repodata.Dep{Name: s}
		} else if f := strings.Fields(s); len(f) == 3 {
			fl, _ := rpmver.ParseFlags(f[1])
			dep = repodata.Dep{Name: f[0], Flags: fl, EVR: rpmver.ParseEVR(f[2])}
		} else {
			dep = repodata.Dep{Name: s}
		}
		switch kind {
		case "P":
			pk.Provides = append(pk.Provides, dep)
		case "R":
			pk.Requires = append(pk.Requires, dep)
		case "O":
			pk.Obsoletes = append(pk.Obsoletes, dep)
		case "C":
			pk.Conflicts = append(pk.Conflicts, dep)
		case "F":
			pk.Files = append(pk.Files, repodata.File{Path: s})
		}
	}
	return pk
}

func names(p *Pool, ids []PkgID) []string {
	var out []string
	for _, id := range ids {
		pk := p.Package(id)
		out = append(out, pk.Name+"-"+pk.EVR.Version+"."+pk.Arch)
	}
	return out
}

func TestChoose(t *testing.T) {
	tests := []struct {
		name string
		pkgs []*repodata.Package
		want string
	}{
		{"best arch over name order", []*repodata.Package{mk("a-1.i686", "P:cap"), mk("b-1.x86_64", "P:cap")}, "b-1.x86_64"},
		{"noarch kept with best arch, name order", []*repodata.Package{mk("z-1.x86_64", "P:cap"), mk("a-1.noarch", "P:cap")}, "a-1.noarch"},
		{"best version per name", []*repodata.Package{mk("a-1.x86_64", "P:cap"), mk("a-2.x86_64", "P:cap")}, "a-2.x86_64"},
		{"obsoleted dropped", []*repodata.Package{mk("a-1.x86_64", "P:cap"), mk("b-1.x86_64", "P:cap", "O:a")}, "b-1.x86_64"},
		{"name byte order", []*repodata.Package{mk("curl-minimal-1.x86_64", "P:cap"), mk("curl-1.x86_64", "P:cap")}, "curl-1.x86_64"},
	}
	for _, tt := range tests {
		p := NewPool(tt.pkgs, Options{Arch: "x86_64"})
		prov, err := p.WhatProvides("cap")
		if err != nil {
			t.Fatal(err)
		}
		if got := names(p, []PkgID{p.Choose(prov)}); got[0] != tt.want {
			t.Errorf("%s: Choose = %s, want %s", tt.name, got[0], tt.want)
		}
	}
}

func TestProvidesAndArch(t *testing.T) {
	p := NewPool([]*repodata.Package{
		mk("a-1.x86_64", "F:/usr/bin/a", "P:liba = 2"),
		mk("b-1.s390x", "P:liba"),
		mk("a-1.src", "R:gcc"),
	}, Options{Arch: "x86_64"})
	for dep, want := range map[string][]string{
		"/usr/bin/a": {"a-1.x86_64"}, // file provide
		"a = 1-1":    {"a-1.x86_64"}, // implicit self provide
		"a > 1":      nil,
		"liba >= 2":  {"a-1.x86_64"}, // s390x not installable on x86_64
		"liba < 2":   nil,
	} {
		ids, _ := p.WhatProvides(dep)
		if got := names(p, ids); !reflect.DeepEqual(got, want) {
			t.Errorf("WhatProvides(%q) = %v, want %v", dep, got, want)
		}
	}
	all := NewPool(p.pkgs, Options{})
	if ids, _ := all.WhatProvides("liba"); len(ids) != 2 {
		t.Errorf("without arch policy: %v", names(all, ids))
	}
}

func world() *Pool {
	return NewPool([]*repodata.Package{
		mk("app-1.x86_64", "R:libfoo.so.1", "R:(tool or tool-lite)"),
		mk("foo-1.x86_64", "P:libfoo.so.1", "R:/bin/sh"),
		mk("bash-5.x86_64", "F:/bin/sh", "R:glibc"),
		mk("glibc-2.x86_64"),
		mk("tool-1.x86_64", "R:glibc"),
		mk("tool-lite-1.x86_64", "C:tool"),
		mk("broken-1.x86_64", "R:app", "R:middle"),
		mk("middle-1.x86_64", "R:missing-lib >= 3"),
		mk("app-1.src", "R:foo", "R:make"),
		mk("make-4.x86_64", "R:glibc"),
	}, Options{Arch: "x86_64"})
}

func TestClosureWhyBroken(t *testing.T) {
	p := world()
	app, _ := p.Lookup("app-0:1-1.x86_64")
	got, err := p.Closure(app)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"app-1.x86_64", "foo-1.x86_64", "bash-5.x86_64", "glibc-2.x86_64", "tool-1.x86_64"}; !reflect.DeepEqual(names(p, got), want) {
		t.Errorf("Closure(app) = %v, want %v", names(p, got), want)
	}
	glibc := p.ByName("glibc")[0]
	steps, err := p.Why(app, glibc)
	if err != nil {
		t.Fatal(err)
	}
	var chain []string
	for _, s := range steps {
		chain = append(chain, fmt.Sprintf("%s -%s-> %s", p.Package(s.From).Name, s.Dep, p.Package(s.To).Name))
	}
	if want := []string{"app -(tool or tool-lite)-> tool", "tool -glibc-> glibc"}; !reflect.DeepEqual(chain, want) {
		t.Errorf("Why(app, glibc) = %v, want %v", chain, want)
	}
	broken := p.BrokenDeps()
	var bs []string
	for _, b := range broken {
		bs = append(bs, b.String(p))
	}
	want := []string{
		"broken-0:1-1.x86_64 requires middle: root cause middle-0:1-1.x86_64 requires missing-lib >= 3, which nothing provides",
		"middle-0:1-1.x86_64 requires missing-lib >= 3, which nothing provides",
	}
	if !reflect.DeepEqual(bs, want) {
		t.Errorf("BrokenDeps:\n got %q\nwant %q", bs, want)
	}
	src := p.ByName("app")[1]
	bc, err := p.BuildClosure(src)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"foo-1.x86_64", "bash-5.x86_64", "glibc-2.x86_64", "make-4.x86_64"}; !reflect.DeepEqual(names(p, bc), want) {
		t.Errorf("BuildClosure = %v, want %v", names(p, bc), want)
	}
	if g := p.BuildGraph(); len(g) != 1 {
		t.Errorf("BuildGraph = %v", g)
	}
	mid := p.ByName("middle")[0]
	if _, err := p.Closure(mid); err == nil {
		t.Error("closure of a package with a missing requirement solved")
	}
}

func TestReverseIndex(t *testing.T) {
	p := world()
	_, rev := p.AllProviders()
	glibc := p.ByName("glibc")[0]
	if got := names(p, rev.Dependents(glibc)); !reflect.DeepEqual(got, []string{"bash-5.x86_64", "tool-1.x86_64", "make-4.x86_64"}) {
		t.Errorf("Dependents(glibc) = %v", got)
	}
	for i := 0; i < p.Len(); i++ {
		if !reflect.DeepEqual(rev.Dependents(PkgID(i)), p.WhatRequiresPackage(PkgID(i))) && !(len(rev.Dependents(PkgID(i))) == 0 && len(p.WhatRequiresPackage(PkgID(i))) == 0) {
			t.Errorf("%s: reverse index %v, WhatRequiresPackage %v", p.NEVRA(PkgID(i)), rev.Dependents(PkgID(i)), p.WhatRequiresPackage(PkgID(i)))
		}
	}
}

func ExamplePool_WhatRequires() {
	p := NewPool([]*repodata.Package{
		mk("bash-5.x86_64", "F:/bin/sh"),
		mk("initscripts-1.x86_64", "R:/bin/sh"),
		mk("dracut-1.x86_64", "R:(bash or busybox)"),
	}, Options{Arch: "x86_64"})
	ids, _ := p.WhatRequires("bash")
	for _, id := range ids {
		fmt.Println(p.NEVRA(id))
	}
	// Output:
	// initscripts-0:1-1.x86_64
	// dracut-0:1-1.x86_64
}

func ExamplePool_Closure() {
	p := world()
	app, _ := p.Lookup("app-1-1.x86_64")
	ids, _ := p.Closure(app)
	fmt.Println(strings.Join(names(p, ids), " "))
	// Output: app-1.x86_64 foo-1.x86_64 bash-5.x86_64 glibc-2.x86_64 tool-1.x86_64
}

func ExampleRebuildTiers() {
	plan, _ := RebuildTiers(map[string][]string{"glibc": nil, "bash": {"glibc"}, "dracut": {"bash"}}, []string{"glibc"}, Dependents)
	fmt.Println(plan.Tiers)
	// Output: [[glibc] [bash] [dracut]]
}
