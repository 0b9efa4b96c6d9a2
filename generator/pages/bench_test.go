package pages_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator/answer"
	"github.com/distmeta/distmeta/generator/pages"
	"github.com/distmeta/distmeta/site/answers"
)

// synthetic makes nSrc source answers and 3 binary package answers per
// component, with reverse dependencies drawn from a Zipf-like popularity
// (a few components are required by a large share of all packages).
func synthetic(b testing.TB, nSrc int) map[string]map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	docs := map[string]map[string][]byte{answers.KindSource: {}, answers.KindPackage: {}, answers.KindStatus: {}}
	put := func(kind, key string, v any) {
		j, err := answer.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		docs[kind][key] = j
	}
	zipf := rand.NewZipf(r, 1.2, 4, uint64(nSrc-1))
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	stages := []string{"built", "mirrored", "composed", "failed", "building"}
	for i := range nSrc {
		name := fmt.Sprintf("comp%05d", i)
		var rdeps []string
		seen := map[int]bool{}
		for range int(zipf.Uint64()%64) + 1 {
			j := int(zipf.Uint64())
			if !seen[j] && j != i {
				seen[j] = true
				rdeps = append(rdeps, fmt.Sprintf("comp%05d", j))
			}
		}
		var builds []answers.Build
		for k := range 8 {
			builds = append(builds, answers.Build{Kind: "rpm", NVR: name + "-1." + strconv.Itoa(k) + "-1.fc40", Branch: "rawhide", State: "complete",
				Started: t0.Add(time.Duration(i*10+k) * time.Minute), Tests: []answers.Test{{Case: "dist.rpmdeplint", Outcome: "PASSED"}}})
		}
		var recent []answers.Commit
		for k := range 6 {
			recent = append(recent, answers.Commit{Hash: fmt.Sprintf("%040d", i*10+k), Time: t0, Subject: "Update to 1." + strconv.Itoa(k)})
		}
		tier := i % 9
		put(answers.KindSource, name, &answers.Source{Header: answers.Header{Schema: answers.Schema(answers.KindSource)}, Name: name, Repo: "rpms/" + name,
			Branches: []answers.BranchHead{{Name: "rawhide", Head: recent[0].Hash, Recent: recent}, {Name: "f40", Head: recent[1].Hash, Recent: recent[1:]}},
			Binaries: []string{name, name + "-devel", name + "-libs"}, Builds: builds, RuntimeDependents: rdeps, BuildDependents: rdeps[:len(rdeps)/2],
			Tier: &tier, Rebuild: map[string]answers.RebuildPlan{"dependents": {Tiers: [][]string{{name}, rdeps}}}})
		put(answers.KindStatus, "rpm/"+name, &answers.Status{Header: answers.Header{Schema: answers.Schema(answers.KindStatus)}, Subject: "rpm", Name: name,
			Pipeline: answers.Pipeline{Branch: "rawhide", Stage: stages[i%len(stages)], Sentence: "built but not yet in a compose"}})
		for _, bin := range []string{name, name + "-devel", name + "-libs"} {
			var wr []string
			for _, d := range rdeps {
				wr = append(wr, d+"-0:1-1.fc40.x86_64", d+"-devel-0:1-1.fc40.x86_64")
			}
			var req []answers.Requirement
			for k := range 12 {
				dep := fmt.Sprintf("comp%05d", int(zipf.Uint64()))
				req = append(req, answers.Requirement{Dep: "lib" + dep + ".so." + strconv.Itoa(k) + "()(64bit)",
					Providers: []answers.Provider{{NEVRA: dep + "-0:1-1.fc40.x86_64", Name: dep}}, Chosen: dep + "-0:1-1.fc40.x86_64"})
			}
			put(answers.KindPackage, bin, &answers.Package{Header: answers.Header{Schema: answers.Schema(answers.KindPackage)}, Name: bin,
				Builds: []answers.PackageBuild{{NEVRA: bin + "-0:1-1.fc40.x86_64", Arch: "x86_64", EVR: "0:1-1.fc40", Summary: "Synthetic package " + bin,
					Source: name, Provides: []string{bin + " = 1-1.fc40", "lib" + bin + ".so.1()(64bit)"}, Requires: req, WhatRequires: wr}}})
		}
	}
	return docs
}

// BenchmarkRender renders a synthetic distribution of
// $DISTMETA_PAGES_BENCH_SRC components (default 2,500: a tenth of Fedora)
// and reports pages and bytes per run.
func BenchmarkRender(b *testing.B) {
	n := 2500
	if s := os.Getenv("DISTMETA_PAGES_BENCH_SRC"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	docs := synthetic(b, n)
	b.ResetTimer()
	var files map[string][]byte
	for b.Loop() {
		var err error
		files, err = pages.Render(context.Background(), docs, pages.Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
	var size int64
	for _, f := range files {
		size += int64(len(f))
	}
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(float64(size)/float64(len(files)), "bytes/file")
}
