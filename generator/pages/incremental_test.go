package pages_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/distmeta/distmeta/generator/answer"
	"github.com/distmeta/distmeta/generator/pages"
	"github.com/distmeta/distmeta/site/answers"
)

// cloneDocs copies the documents (the maps; the byte slices are never
// written to).
func cloneDocs(docs map[string]map[string][]byte) map[string]map[string][]byte {
	out := map[string]map[string][]byte{}
	for k, m := range docs {
		out[k] = maps.Clone(m)
	}
	return out
}

// edit decodes the answer (kind, key) into a T, lets fn change it and
// stores it back.
func edit[T any](t *testing.T, docs map[string]map[string][]byte, kind, key string, fn func(*T)) {
	t.Helper()
	var v T
	if err := json.Unmarshal(docs[kind][key], &v); err != nil {
		t.Fatalf("%s/%s: %v", kind, key, err)
	}
	fn(&v)
	b, err := answer.Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	docs[kind][key] = b
}

// apply writes a Result over the files of the previous run.
func apply(old map[string][]byte, res *pages.Result) map[string][]byte {
	out := maps.Clone(old)
	for _, p := range res.Remove {
		delete(out, p)
	}
	maps.Copy(out, res.Files)
	return out
}

// sameFiles reports the differences between two sites.
func sameFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	for _, p := range pages.Paths(want) {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: %s missing", what, p)
		case !bytes.Equal(g, want[p]):
			t.Errorf("%s: %s differs from a full render", what, p)
		}
	}
	for _, p := range pages.Paths(got) {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s should have been removed", what, p)
		}
	}
}

type incCase struct {
	name   string
	change func(t *testing.T, docs map[string]map[string][]byte)
	// want lists the units the update must render (nil: not checked,
	// only the equivalence with a full render is).
	want []string
	// removed lists files the update must remove.
	removed []string
}

var incCases = []incCase{
	{name: "nothing", change: func(*testing.T, map[string]map[string][]byte) {}, want: []string{}},
	{name: "status of a component", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindStatus, "rpm/glibc", func(s *answers.Status) { s.Stage, s.Sentence = "built", "built, not composed" })
	}, want: []string{"index", "src/glibc"}},
	{name: "push to a component", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindSource, "gcc", func(s *answers.Source) {
			s.Branches[1].Head = strings.Repeat("e", 40)
			s.Branches[1].Release = "2"
		})
	}, want: []string{"index", "src/gcc"}},
	{name: "dependents of a component shrink", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindSource, "glibc", func(s *answers.Source) { s.RuntimeDependents = s.RuntimeDependents[:1] })
	}, want: []string{"index", "src/glibc"}},
	{name: "one package", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindPackage, "gcc", func(p *answers.Package) { p.Builds[0].Summary = "The GNU compiler collection" })
	}, want: []string{"pkg/gcc"}},
	{name: "reverse dependencies shrink", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindPackage, "glibc", func(p *answers.Package) { p.Builds[0].WhatRequires = p.Builds[0].WhatRequires[:10] })
	}, want: []string{"pkg/glibc"}, removed: []string{"more/pkg/glibc/whatrequires-1.html", "more/pkg/glibc/whatrequires-2.html"}},
	{name: "package added", change: func(t *testing.T, d map[string]map[string][]byte) {
		b, err := answer.Marshal(&answers.Package{Header: answers.Header{Schema: answers.Schema(answers.KindPackage)}, Name: "gcc-doc"})
		if err != nil {
			t.Fatal(err)
		}
		d[answers.KindPackage]["gcc-doc"] = b
	}},
	{name: "package removed", change: func(t *testing.T, d map[string]map[string][]byte) {
		delete(d[answers.KindPackage], "gcc-c++")
	}, removed: []string{"pkg/gcc-c++.html"}},
	{name: "component removed", change: func(t *testing.T, d map[string]map[string][]byte) {
		delete(d[answers.KindSource], "<script>alert(1)</script>")
	}, removed: []string{"src/~3cscript~3ealert~281~29~3c~2fscript~3e.html"}},
	{name: "mirrors", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindMirrors, answers.AllMirrors, func(m *answers.Mirrors) { m.Mirrors[1].Compose, m.Mirrors[1].Serial = "F-40-20240102.0", 7 })
	}},
	{name: "latest compose", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindCompose, answers.LatestCompose, func(c *answers.Compose) { c.Skipped = nil; c.Variants[0].Broken = 0 })
	}},
	{name: "variant", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindVariant, "Server", func(v *answers.Variant) { v.Problems = nil })
	}},
	{name: "module status", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answers.KindStatus, "module/tools:1.0+x", func(s *answers.Status) { s.Stage = "mirrored" })
	}, want: []string{"index", "mod/tools:1.0+x"}},
	{name: "module added", change: func(t *testing.T, d map[string]map[string][]byte) {
		b, err := answer.Marshal(&answers.Module{Header: answers.Header{Schema: answers.Schema(answers.KindModule)}, Name: "tools", Stream: "2"})
		if err != nil {
			t.Fatal(err)
		}
		d[answers.KindModule]["tools:2"] = b
	}},
	{name: "rebuild graph", change: func(t *testing.T, d map[string]map[string][]byte) {
		edit(t, d, answer.KindRebuild, answer.RebuildGraph, func(g *answer.RebuildGraphDoc) { g.Tiers["gcc"] = 1 })
	}, want: []string{"index"}},
	{name: "answers no page shows", change: func(t *testing.T, d map[string]map[string][]byte) {
		d[answers.KindHistory] = map[string][]byte{"rpms/gcc/rawhide": []byte(`{"schema":"distmeta.history/1"}`)}
	}, want: []string{}},
}

// TestUpdateEqualsRender checks that an update after each change gives,
// byte for byte, the site a full render of the changed answers gives,
// that it renders only the units whose inputs changed, and that a chain
// of updates (each on the state of the one before) stays equal too.
func TestUpdateEqualsRender(t *testing.T) {
	ctx := context.Background()
	for _, gz := range []bool{false, true} {
		opts := pages.Options{Jobs: 2, InlineCap: 50, PageSize: 100, Gzip: gz}
		base := fixture(t)
		first, err := pages.Update(ctx, base, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first.Rendered != first.Units {
			t.Fatalf("first run rendered %d of %d units", first.Rendered, first.Units)
		}
		baseFiles := first.Files
		sameFiles(t, "first", baseFiles, render(t, base, opts))

		chain, chainFiles, chainState := cloneDocs(base), baseFiles, first.State
		for _, tc := range incCases {
			t.Run(tc.name, func(t *testing.T) {
				docs := cloneDocs(base)
				tc.change(t, docs)
				res, err := pages.Update(ctx, docs, opts, first.State)
				if err != nil {
					t.Fatal(err)
				}
				sameFiles(t, "update", apply(baseFiles, res), render(t, docs, opts))
				if tc.want != nil && !slices.Equal(res.Updated, tc.want) {
					t.Errorf("rendered units %v, want %v", res.Updated, tc.want)
				}
				for _, p := range tc.removed {
					if !slices.Contains(res.Remove, p) {
						t.Errorf("%s not removed (removed %v)", p, res.Remove)
					}
				}
				// The same change on top of the previous ones, the files
				// handed to a Sink as they are rendered.
				tc.change(t, chain)
				var mu sync.Mutex
				sunk := map[string][]byte{}
				sinkOpts := opts
				sinkOpts.Sink = func(p string, data []byte) error {
					mu.Lock()
					defer mu.Unlock()
					if _, dup := sunk[p]; dup {
						t.Errorf("sink: %s twice", p)
					}
					sunk[p] = bytes.Clone(data)
					return nil
				}
				cres, err := pages.Update(ctx, chain, sinkOpts, chainState)
				if err != nil {
					t.Fatal(err)
				}
				if len(cres.Files) != 0 {
					t.Errorf("with a Sink, Result.Files holds %d files", len(cres.Files))
				}
				cres.Files = sunk
				chainFiles, chainState = apply(chainFiles, cres), cres.State
				sameFiles(t, "chain", chainFiles, render(t, chain, opts))
			})
		}
	}
}

// TestUpdateMissingFile checks that a unit whose file is gone from disk is
// rendered again, and that other options make a full render.
func TestUpdateMissingFile(t *testing.T) {
	ctx := context.Background()
	docs := fixture(t)
	opts := pages.Options{Jobs: 2, PageSize: 100}
	first, err := pages.Update(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		opts    pages.Options
		present func(string) bool
		want    int // units rendered; -1: all
	}{
		{"all present", opts, func(string) bool { return true }, 0},
		{"one missing", opts, func(p string) bool { return p != "more/pkg/glibc/whatrequires-2.html" }, 1},
		{"none present", opts, func(string) bool { return false }, -1},
		{"other page size", pages.Options{Jobs: 2, PageSize: 50}, nil, -1},
		{"other title", pages.Options{Jobs: 2, PageSize: 100, Title: "F"}, nil, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.Present = tc.present
			res, err := pages.Update(ctx, docs, o, first.State)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want < 0 {
				want = res.Units
			}
			if res.Rendered != want {
				t.Errorf("rendered %d units (%v), want %d", res.Rendered, res.Updated, want)
			}
			sameFiles(t, tc.name, apply(first.Files, res), render(t, docs, tc.opts))
		})
	}
}
