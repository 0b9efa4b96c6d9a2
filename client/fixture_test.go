package client_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/distmeta/distmeta/client"
	"github.com/distmeta/distmeta/client/mirrortest"
	"github.com/distmeta/distmeta/site"
	"github.com/distmeta/distmeta/site/answers"
)

// A tiny distribution, published with site.Publish: bash needs glibc and
// ncurses-libs, which need glibc, which needs filesystem.
func nevra(n string) string { return n + "-0:1.0-1.fc40.x86_64" }

func pkgDoc(name string, reqs map[string]string, whatreq ...string) answers.Package {
	b := answers.PackageBuild{NEVRA: nevra(name), Arch: "x86_64", EVR: "0:1.0-1.fc40", Source: name, Provides: []string{name + " = 1.0-1.fc40"}}
	for dep, prov := range reqs {
		b.Requires = append(b.Requires, answers.Requirement{Dep: dep, Providers: []answers.Provider{{NEVRA: nevra(prov), Name: prov}}, Chosen: nevra(prov)})
	}
	for _, w := range whatreq {
		b.WhatRequires = append(b.WhatRequires, nevra(w))
	}
	return answers.Package{Header: answers.Header{Schema: answers.Schema(answers.KindPackage)}, Name: name, Builds: []answers.PackageBuild{b}}
}

func model(t testing.TB, round int) site.Model {
	t.Helper()
	m := site.Model{Answers: map[string]map[string][]byte{}, Files: map[string][]byte{"comps/Server.xml": []byte("<comps><group><id>core</id></group></comps>\n")}}
	add := func(kind, key string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if m.Answers[kind] == nil {
			m.Answers[kind] = map[string][]byte{}
		}
		m.Answers[kind][key] = b
	}
	hdr := func(kind string) answers.Header { return answers.Header{Schema: answers.Schema(kind)} }
	add("pkg", "bash", pkgDoc("bash", map[string]string{"libc.so.6()(64bit)": "glibc", "libtinfo.so.6()(64bit)": "ncurses-libs"}))
	add("pkg", "ncurses-libs", pkgDoc("ncurses-libs", map[string]string{"libc.so.6()(64bit)": "glibc"}, "bash"))
	add("pkg", "glibc", pkgDoc("glibc", map[string]string{"filesystem": "filesystem"}, "bash", "ncurses-libs"))
	add("pkg", "filesystem", pkgDoc("filesystem", nil, "glibc"))
	// Many more packages so kinds have several buckets.
	for i := 0; i < 400; i++ {
		n := "filler" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		add("pkg", n, pkgDoc(n, map[string]string{"libc.so.6()(64bit)": "glibc"}))
	}
	add("cap", "libc.so.6()(64bit)", answers.Capability{Header: hdr("cap"), Name: "libc.so.6()(64bit)",
		Providers: []answers.CapEntry{{NEVRA: nevra("glibc"), Provide: "libc.so.6()(64bit)"}},
		Requirers: []answers.CapRequire{{NEVRA: nevra("bash"), Dep: "libc.so.6()(64bit)"}, {NEVRA: nevra("ncurses-libs"), Dep: "libc.so.6()(64bit)"}}})
	add("cap", "make", answers.Capability{Header: hdr("cap"), Name: "make",
		Providers: []answers.CapEntry{{NEVRA: nevra("make"), Provide: "make = 4.4"}},
		Requirers: []answers.CapRequire{{NEVRA: "bash-0:1.0-1.fc40.src", Dep: "make"}, {NEVRA: nevra("cmake"), Dep: "make"}}})
	tier := 0
	add("src", "bash", answers.Source{Header: hdr("src"), Name: "bash", Repo: "rpms/bash", Binaries: []string{"bash"}, BuildDependents: []string{"zsh"},
		BuildRequires: []string{"glibc"}, Tier: &tier, Rebuild: map[string]answers.RebuildPlan{
			"dependents": {Tiers: [][]string{{"bash"}, {"zsh"}}}, "only-changed": {Tiers: [][]string{{"bash"}}}}})
	add("rebuild", "graph", map[string]any{"schema": answers.Schema("rebuild"), "needs": map[string][]string{"glibc": nil, "bash": {"glibc"}, "zsh": {"bash"}}, "tiers": map[string]int{"glibc": 0, "bash": 1, "zsh": 2}})
	add("mod", "nodejs:20", answers.Module{Header: hdr("mod"), Name: "nodejs", Stream: "20", Builds: []answers.ModuleBuild{{NSVC: "nodejs:20:1:abc", Version: "1", Context: "abc",
		Buildroot: &answers.ModuleBuildroot{Packages: []string{nevra("bash")}}}}})
	add("status", "rpm/bash", answers.Status{Header: hdr("status"), Subject: "rpm", Name: "bash",
		Pipeline: answers.Pipeline{Branch: "f40", Stage: "mirrored-partly", Sentence: "in compose F-1, on 1 of 2 mirrors (1 unknown)",
			Mirrors: []answers.MirrorCarry{{Mirror: "https://m1.example", Serial: 3, Created: t0, Compose: "F-1", Carries: true}, {Mirror: "https://m2.example", Unknown: true}}},
		Branches: []answers.Pipeline{{Branch: "rawhide", Build: &answers.Build{NVR: "bash-5.3-1.fc42", State: "complete"}, Stage: "built", Sentence: "built (bash-5.3-1.fc42) but not yet in a compose"}}})
	add("history", "rpms/bash/f40", answers.History{Header: hdr("history"), Repo: "rpms/bash", Branch: "f40", Head: "bbb",
		Commits: []answers.Commit{{Hash: "bbb", Time: t0.Add(-time.Hour)}, {Hash: "aaa", Time: t0.Add(-48 * time.Hour)}}})
	add("compose", "latest", answers.Compose{Header: hdr("compose"), ID: "F-1", Status: "FINISHED", Date: "20250101", Variants: []answers.ComposeVariant{{ID: "Server", Arches: []string{"x86_64"}}}})
	add("variant", "Server", answers.Variant{Header: hdr("variant"), ID: "Server", Name: "Server", Comps: "comps/Server.xml"})
	add("mirrors", "all", answers.Mirrors{Header: hdr("mirrors"), Mirrors: []answers.Mirror{{URL: "https://m.example", State: "ok", Serial: 1}}})
	add("status", "rpm/round", answers.Status{Header: hdr("status"), Subject: "rpm", Name: "round", Pipeline: answers.Pipeline{Stage: "built", Sentence: string(rune('0' + round))}})
	return m
}

type fixture struct {
	key  key
	mem  *mirrortest.Mem // the mirror as tests left it
	next *mirrortest.Mem // serial 2 (round 2, published at t0+1h)
}

var (
	fixOnce                sync.Once
	fixKey                 key
	fixSerial1, fixSerial2 *mirrortest.Mem
)

// newFixture returns the tiny distribution published at t0 (serial 1)
// and, in f.next, its round 2 published at t0+1h (serial 2). Both are
// published once per test process; each fixture has its own copies.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		fixKey = newKey(t, "test.example")
		dir, err := os.MkdirTemp("", "dmq-fixture-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		for round, now := range []time.Time{t0, t0.Add(time.Hour)} {
			if _, err := site.Publish(context.Background(), dir, model(t, round+1), fixKey.signer, site.PublishOptions{Now: now, BucketSize: 4 << 10, PageSize: 4}); err != nil {
				t.Fatal(err)
			}
			m := mirrortest.LoadDir(t, dir)
			if round == 0 {
				fixSerial1 = m
			} else {
				fixSerial2 = m
			}
		}
	})
	if fixSerial1 == nil {
		t.Fatal("fixture failed")
	}
	return &fixture{key: fixKey, mem: fixSerial1.Clone(), next: fixSerial2.Clone()}
}

// publish moves the fixture's mirror to serial 2.
func (f *fixture) publish(t testing.TB) *mirrortest.Mem {
	f.mem = f.next.Clone()
	return f.mem
}

// client returns a client over in-memory mirrors (named mem://m0, m1 ...)
// at reference time now, with its own cache and state under dir.
func (f *fixture) client(t testing.TB, dir string, now time.Time, mirrors ...site.Fetcher) *client.Client {
	t.Helper()
	opts := client.Options{Keys: []string{f.key.vkey}, CacheDir: filepath.Join(dir, "cache"), StateDir: filepath.Join(dir, "state"),
		Now: func() time.Time { return now }, Timeout: 2 * time.Second, Fetchers: map[string]site.Fetcher{}}
	for i, m := range mirrors {
		name := "mem://m" + string(rune('0'+i))
		opts.Mirrors = append(opts.Mirrors, name)
		opts.Fetchers[name] = m
	}
	c, err := client.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
