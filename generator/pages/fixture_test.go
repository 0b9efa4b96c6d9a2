package pages_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator/answer"
	"github.com/distmeta/distmeta/site/answers"
)

// fixture is a small hand-made distribution: two composes, a compiler with
// a '+' in a package name, a library everything needs, a module stream
// with a stale component, a variant with a problem, three mirrors (one
// behind, one unreadable) and names that need escaping.
func fixture(t testing.TB) map[string]map[string][]byte {
	t.Helper()
	docs := map[string]map[string][]byte{}
	add := func(kind, key string, v any) {
		b, err := answer.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if docs[kind] == nil {
			docs[kind] = map[string][]byte{}
		}
		docs[kind][key] = b
	}
	hdr := func(kind string) answers.Header {
		return answers.Header{Schema: answers.Schema(kind), Compose: "F-40-20240102.0"}
	}
	at := func(day, hour int) time.Time { return time.Date(2024, 1, day, hour, 0, 0, 0, time.UTC) }
	h := func(c byte) string { return fmt.Sprintf("%c%039d", c, 0)[:40] }

	cv := []answers.ComposeVariant{
		{ID: "Everything", Arches: []string{"x86_64", "aarch64"}, Binary: 5, Source: 3, Modules: 1, Images: 1, Broken: 1, Resolved: true},
		{ID: "Server", Arches: []string{"x86_64"}, Binary: 2, Source: 2, Resolved: false},
	}
	older := answers.Compose{Header: answers.Header{Schema: answers.Schema(answers.KindCompose)}, ID: "F-40-20240101.0", Status: "FINISHED_INCOMPLETE",
		Date: "20240101", Type: "production", Release: "F 40", Variants: cv}
	latest := answers.Compose{Header: answers.Header{Schema: answers.Schema(answers.KindCompose)}, ID: "F-40-20240102.0", Status: "FINISHED",
		Date: "20240102", Respin: 1, Type: "production", Release: "F 40", Variants: cv, Older: []string{"F-40-20240101.0"},
		Images: []answers.Image{{Header: answers.Header{Schema: answers.Schema(answers.KindImage)}, Key: "Everything-x86_64-Cloud-qcow2-qcow2",
			Variant: "Everything", Arch: "x86_64", Subvariant: "Cloud", Type: "qcow2", Format: "qcow2", Path: "Everything/x86_64/images/c.qcow2",
			Size: 512 << 20, SHA256: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12", Bootable: true}}}
	add(answers.KindCompose, older.ID, &older)
	add(answers.KindCompose, latest.ID, &latest)
	withSkipped := latest
	withSkipped.Skipped = []answers.SkippedEntry{{Name: "F-40-20240103.0", Reason: "STATUS is STARTED"}}
	add(answers.KindCompose, answers.LatestCompose, &withSkipped)

	add(answers.KindMirrors, answers.AllMirrors, &answers.Mirrors{Header: answers.Header{Schema: answers.Schema(answers.KindMirrors)}, Mirrors: []answers.Mirror{
		{URL: "https://m1.example.org/distmeta", Serial: 7, Created: at(2, 12), Compose: "F-40-20240102.0", State: "ok"},
		{URL: "https://m2.example.org/distmeta", Serial: 6, Created: at(1, 12), Compose: "F-40-20240101.0", State: "ok"},
		{URL: "https://down.example.org/", State: "unknown", Error: "index: connection refused"},
	}})

	tier0, tier1 := 0, 1
	gccBuild := answers.Build{ID: 11, Kind: "rpm", NVR: "gcc-14.1-1.fc40", Branch: "f40", Commit: h('a'), State: "complete",
		Started: at(1, 1), Finished: at(1, 3), Tests: []answers.Test{{Case: "dist.rpmdeplint", Outcome: "PASSED", Time: at(1, 4)}, {Case: "dist.abicheck", Outcome: "FAILED", Time: at(1, 5)}}}
	add(answers.KindSource, "gcc", &answers.Source{Header: hdr(answers.KindSource), Name: "gcc", Repo: "rpms/gcc", Head: "rawhide",
		Branches: []answers.BranchHead{
			{Name: "f40", Head: h('a'), Version: "14.1", Release: "1%{?dist}", Recent: []answers.Commit{{Hash: h('a'), Time: at(1, 0), Subject: "Update to 14.1 <with> & \"quotes\""}}},
			{Name: "rawhide", Head: h('b'), Version: "14.2", Release: "1", Recent: []answers.Commit{{Hash: h('b'), Time: at(3, 0), Subject: "Update to 14.2"}, {Hash: h('a'), Time: at(1, 0), Subject: "Update to 14.1"}}},
		},
		Binaries: []string{"gcc", "gcc-c++"}, SRPM: "gcc-0:14.1-1.fc40.src",
		Builds: []answers.Build{
			{ID: 12, Kind: "rpm", NVR: "gcc-14.2-1.fc41", Branch: "rawhide", Commit: h('b'), State: "building", Started: at(3, 1)},
			gccBuild,
		},
		RuntimeDependents: []string{"glibc"}, BuildDependents: []string{"glibc"}, BuildRequires: []string{"glibc"},
		Rebuild: map[string]answers.RebuildPlan{"dependents": {Tiers: [][]string{{"gcc", "glibc"}}, Cycles: [][]string{{"gcc", "glibc"}}}, "only-changed": {Tiers: [][]string{{"gcc"}}}},
		Tier:    &tier1})
	add(answers.KindSource, "glibc", &answers.Source{Header: hdr(answers.KindSource), Name: "glibc", Repo: "rpms/glibc", Head: "f40",
		Branches: []answers.BranchHead{{Name: "f40", Head: h('c'), Version: "2.39", Release: "2", Recent: []answers.Commit{{Hash: h('c'), Time: at(2, 0), Subject: "Fix"}}}},
		Binaries: []string{"glibc"}, SRPM: "glibc-0:2.39-2.fc40.src",
		Builds:            []answers.Build{{ID: 13, Kind: "rpm", NVR: "glibc-2.39-2.fc40", Branch: "f40", Commit: h('c'), State: "failed", Started: at(2, 1), Finished: at(2, 2)}},
		Modules:           []string{"tools:1.0+x:20240101:abcd"},
		RuntimeDependents: []string{"gcc", "<script>alert(1)</script>"}, BuildDependents: []string{"gcc"}, BuildRequires: []string{"gcc"},
		Tier: &tier0})
	add(answers.KindSource, "<script>alert(1)</script>", &answers.Source{Header: hdr(answers.KindSource), Name: "<script>alert(1)</script>", Repo: "rpms/<script>alert(1)</script>",
		Error: "open rpms/<script>alert(1)</script>.git: no such file"})
	add(answers.KindStatus, answers.StatusKey(answers.SubjectComponent, "gcc"), &answers.Status{Header: answers.Header{Schema: answers.Schema(answers.KindStatus)},
		Subject: "rpm", Name: "gcc", Pipeline: answers.Pipeline{Branch: "f40", Head: h('a'), HeadTime: at(1, 0), Build: &gccBuild,
			Composes: []answers.ComposeRef{{ID: "F-40-20240102.0", Date: "20240102"}},
			Mirrors: []answers.MirrorCarry{{Mirror: "https://m1.example.org/distmeta", Serial: 7, Compose: "F-40-20240102.0", Carries: true},
				{Mirror: "https://m2.example.org/distmeta", Serial: 6, Compose: "F-40-20240101.0"}, {Mirror: "https://down.example.org/", Unknown: true}},
			Stage: "mirrored-partly", Sentence: "in compose F-40-20240102.0, on 1 of 3 mirrors (1 unknown)"},
		Branches: []answers.Pipeline{{Branch: "rawhide", Stage: "building", Sentence: "a fresh build is underway (gcc-15.0-1.fc42)"}}})
	add(answers.KindStatus, answers.StatusKey(answers.SubjectComponent, "glibc"), &answers.Status{Header: answers.Header{Schema: answers.Schema(answers.KindStatus)},
		Subject: "rpm", Name: "glibc", Pipeline: answers.Pipeline{Branch: "f40", Stage: "failed", Sentence: "the newest build (glibc-2.39-2.fc40) failed"}})

	glibc := "glibc-0:2.39-2.fc40.x86_64"
	var many []string
	for i := range 120 {
		many = append(many, fmt.Sprintf("pkg%03d-0:1-1.fc40.x86_64", i))
	}
	add(answers.KindPackage, "glibc", &answers.Package{Header: hdr(answers.KindPackage), Name: "glibc", Builds: []answers.PackageBuild{{
		NEVRA: glibc, Arch: "x86_64", EVR: "0:2.39-2.fc40", Summary: "The GNU libc libraries", Source: "glibc", SourceRPM: "glibc-2.39-2.fc40.src.rpm",
		Variants: []string{"Everything", "Server"}, Provides: []string{"glibc = 2.39-2.fc40", "libc.so.6()(64bit)"},
		WhatRequires: append([]string{"gcc-0:14.1-1.fc40.x86_64", "gcc-c++-0:14.1-1.fc40.x86_64"}, many...)}}})
	add(answers.KindPackage, "gcc", &answers.Package{Header: hdr(answers.KindPackage), Name: "gcc", Builds: []answers.PackageBuild{{
		NEVRA: "gcc-0:14.1-1.fc40.x86_64", Arch: "x86_64", EVR: "0:14.1-1.fc40", Summary: "The GNU compiler", Source: "gcc",
		Variants: []string{"Everything"}, Provides: []string{"gcc = 14.1-1.fc40"},
		Requires:     []answers.Requirement{{Dep: "libc.so.6()(64bit)", Providers: []answers.Provider{{NEVRA: glibc, Name: "glibc"}}, Chosen: glibc}},
		Weak:         answers.WeakDeps{Recommends: []string{"gcc-doc"}},
		WhatRequires: []string{"gcc-c++-0:14.1-1.fc40.x86_64"}}}})
	add(answers.KindPackage, "gcc-c++", &answers.Package{Header: hdr(answers.KindPackage), Name: "gcc-c++", Modules: []string{"tools:1.0+x:20240101:abcd"},
		Builds: []answers.PackageBuild{{
			NEVRA: "gcc-c++-0:14.1-1.fc40.x86_64", Arch: "x86_64", EVR: "0:14.1-1.fc40", Summary: "C++ support for <GCC>", Source: "gcc",
			Variants: []string{"Everything"}, Provides: []string{"gcc-c++ = 14.1-1.fc40"}, Conflicts: []string{"clang < 2"}, Obsoletes: []string{"g++ < 3"},
			Requires: []answers.Requirement{
				{Dep: "gcc = 14.1-1.fc40", Providers: []answers.Provider{{NEVRA: "gcc-0:14.1-1.fc40.x86_64", Name: "gcc"}}, Chosen: "gcc-0:14.1-1.fc40.x86_64"},
				{Dep: "libmissing.so.1()(64bit)"},
			},
			Broken: []answers.BrokenDep{{Dep: "libmissing.so.1()(64bit)", RootPkg: "gcc-c++-0:14.1-1.fc40.x86_64", RootDep: "libmissing.so.1()(64bit)"},
				{Dep: "gcc = 14.1-1.fc40", Chain: []answers.Step{{From: "gcc-c++-0:14.1-1.fc40.x86_64", Dep: "gcc = 14.1-1.fc40", To: "gcc-0:14.1-1.fc40.x86_64"}},
					RootPkg: "gcc-0:14.1-1.fc40.x86_64", RootDep: "cpp(x)"}},
		}}})

	add(answers.KindModule, "tools:1.0+x", &answers.Module{Header: hdr(answers.KindModule), Name: "tools", Stream: "1.0+x", Summary: "Tools",
		Builds: []answers.ModuleBuild{{NSVC: "tools:1.0+x:20240101:abcd", Version: "20240101", Context: "abcd", Variants: []string{"Everything"},
			Components: []answers.ModuleComponent{{Name: "glibc", Branch: "f40", Ref: h('d'), Stale: true}, {Name: "gcc", Branch: "f40", Ref: h('a')}},
			Artifacts:  []string{"gcc-c++-0:14.1-1.fc40.x86_64"},
			Buildroot:  &answers.ModuleBuildroot{Packages: []string{glibc, "gcc-0:14.1-1.fc40.x86_64"}},
			Profiles:   map[string][]string{"default": {"gcc-c++"}},
			Deps:       []answers.ModuleDeps{{BuildRequires: map[string][]string{"platform": {"f40"}}, Requires: map[string][]string{"platform": {}}}},
			Expanded:   []answers.ModuleExpansion{{BuildRequires: map[string]string{"platform": "f40"}}}}},
		Stale: []answers.StaleBuild{{Build: "tools:1.0+x:20240101:abcd (glibc)", Kind: "module", Branch: "f40", Commit: h('d'), Head: h('c'),
			After: []answers.Commit{{Hash: h('c'), Time: at(2, 0), Subject: "Fix"}}, Reason: "behind"}}})
	add(answers.KindStatus, answers.StatusKey(answers.SubjectModule, "tools:1.0+x"), &answers.Status{Header: answers.Header{Schema: answers.Schema(answers.KindStatus)},
		Subject: "module", Name: "tools:1.0+x", Pipeline: answers.Pipeline{Branch: "1.0+x", Stage: "composed", Sentence: "in compose F-40-20240102.0 but not yet on the mirrors"}})

	add(answers.KindVariant, "Server", &answers.Variant{Header: hdr(answers.KindVariant), ID: "Server", Name: "F Server",
		Modules: []string{"tools:1.0+x/default", "gone:1"}, Groups: []string{"core", "standard"}, PackageSets: []string{"server-product"},
		Comps: "comps/Server.xml", CompsGz: "comps/Server.xml.gz", Problems: []string{"line 4: module stream gone:1 is not in compose F-40-20240102.0"}})
	add(answer.KindRebuild, answer.RebuildGraph, &answer.RebuildGraphDoc{Header: answers.Header{Schema: answers.Schema(answer.KindRebuild)},
		Needs: map[string][]string{"gcc": {"glibc"}, "glibc": {"gcc"}}, Tiers: map[string]int{"gcc": 0, "glibc": 0, "<script>alert(1)</script>": 1}})
	return docs
}
