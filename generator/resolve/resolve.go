package resolve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/distmeta/distmeta/generator/collect"
	"github.com/distmeta/distmeta/metadata/depsolve"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/productmd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/site/answers"
	"golang.org/x/sync/errgroup"
)

// MainVariant is the variant whose packages the dependency answers come
// from when the compose has it.
const MainVariant = "Everything"

// Resolved is every compose-only answer of one compose.
type Resolved struct {
	ComposeID string
	Digest    string
	Main      string // the variant resolved for package answers
	Arch      string
	// Packages and Caps are rendered pkg and cap answers.
	Packages map[string][]byte
	Caps     map[string][]byte
	Sources  map[string]*SourceFacts
	// Modules are rendered mod answers by name:stream, without stale
	// components (those need dist-git: the render step adds them).
	Modules  map[string][]byte
	Variants map[string]VariantFacts
	// Needs maps each source component to the components it
	// build-requires (the solver's choice); Tiers is each component's
	// tier in the whole build graph.
	Needs map[string][]string
	Tiers map[string]int
	// Stats counts what was resolved.
	Stats Stats
}

// Stats counts a resolution.
type Stats struct {
	BinaryPackages int
	SourcePackages int
	Capabilities   int
	Broken         int
	ModuleBuilds   int
}

// VariantFacts is what the resolution says of one variant.
type VariantFacts struct {
	Packages []string // binary package names, sorted
	Broken   int
	Resolved bool
}

// SourceFacts is what a compose says of one source component.
type SourceFacts struct {
	SRPM              string
	Binaries          []string
	RuntimeDependents []string
	BuildDependents   []string
	BuildRequires     []string
	Modules           []string
	Rebuild           map[string]answers.RebuildPlan
	Tier              int
}

// Options tune Resolve.
type Options struct {
	Jobs int
	// Progress, when set, is called with a stage name and a count done.
	Progress func(stage string, done int)
}

// Resolve reads the repodata of every variant of a complete compose and
// computes its answers.
func Resolve(ctx context.Context, c *productmd.Compose, digest string, opts Options) (*Resolved, error) {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string, int) {}
	}
	rds, err := collect.Repos(c)
	if err != nil {
		return nil, err
	}
	if len(rds) == 0 {
		return nil, fmt.Errorf("compose %s: no variants", c.ID)
	}
	main := rds[0]
	for _, rd := range rds {
		if rd.Variant == MainVariant && (main.Variant != MainVariant || rd.Arch == "x86_64") {
			main = rd
		}
	}
	// Read every repository (binary and source) concurrently.
	type loaded struct {
		bins, srcs []*repodata.Package
		modYAML    []byte
	}
	repos := make([]loaded, len(rds))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for i, rd := range rds {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			r, err := repodata.Open(rd.Binary)
			if err != nil {
				return fmt.Errorf("compose %s: variant %s: %w", c.ID, rd.Variant, err)
			}
			bins, err := r.Packages(false)
			if err != nil {
				return fmt.Errorf("compose %s: variant %s: %w", c.ID, rd.Variant, err)
			}
			mods, err := r.Modules()
			if err != nil && !errors.Is(err, repodata.ErrNoData) {
				return fmt.Errorf("compose %s: variant %s: modules: %w", c.ID, rd.Variant, err)
			}
			repos[i] = loaded{bins: bins, modYAML: mods}
			if rd.Source != "" && rd == main {
				sr, err := repodata.Open(rd.Source)
				if err != nil {
					return fmt.Errorf("compose %s: variant %s: source: %w", c.ID, rd.Variant, err)
				}
				if repos[i].srcs, err = sr.Packages(false); err != nil {
					return fmt.Errorf("compose %s: variant %s: source: %w", c.ID, rd.Variant, err)
				}
			}
			progress("repodata", len(bins)+len(repos[i].srcs))
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := &Resolved{ComposeID: c.ID, Digest: digest, Main: main.Variant, Arch: main.Arch,
		Packages: map[string][]byte{}, Caps: map[string][]byte{}, Sources: map[string]*SourceFacts{},
		Modules: map[string][]byte{}, Variants: map[string]VariantFacts{}}

	var mainLoaded loaded
	pkgVariants := map[string][]string{} // NEVRA -> variants
	for i, rd := range rds {
		if rd == main {
			mainLoaded = repos[i]
		}
		names := map[string]bool{}
		for _, p := range repos[i].bins {
			n := depsolve.NEVRA(p)
			pkgVariants[n] = append(pkgVariants[n], rd.Variant)
			names[p.Name] = true
		}
		vf := res.Variants[rd.Variant]
		vf.Packages = mergeSorted(vf.Packages, sortedKeys(names))
		res.Variants[rd.Variant] = vf
	}
	// Other variants: broken deps over their own package set.
	for i, rd := range rds {
		if rd == main {
			continue
		}
		pool := depsolve.NewPool(repos[i].bins, depsolve.Options{Arch: rd.Arch})
		vf := res.Variants[rd.Variant]
		vf.Broken = len(pool.BrokenDeps())
		vf.Resolved = true
		res.Variants[rd.Variant] = vf
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}

	all := make([]*repodata.Package, 0, len(mainLoaded.bins)+len(mainLoaded.srcs))
	all = append(all, mainLoaded.bins...)
	all = append(all, mainLoaded.srcs...)
	pool := depsolve.NewPool(all, depsolve.Options{Arch: main.Arch})
	progress("pool", pool.Len())
	provs, rev := pool.AllProviders()
	progress("providers", pool.Len())
	broken := pool.BrokenDeps()
	brokenBy := map[depsolve.PkgID][]depsolve.Broken{}
	for _, b := range broken {
		brokenBy[b.Pkg] = append(brokenBy[b.Pkg], b)
	}
	vf := res.Variants[main.Variant]
	vf.Broken, vf.Resolved = len(broken), true
	res.Variants[main.Variant] = vf
	res.Stats = Stats{BinaryPackages: len(mainLoaded.bins), SourcePackages: len(mainLoaded.srcs), Broken: len(broken)}

	// Modules of the main variant.
	mods, modStreams, err := readModules(c.ID, main.Variant, mainLoaded.modYAML)
	if err != nil {
		return nil, err
	}
	modsOfNEVRA := map[string][]string{}
	for _, m := range mods {
		for _, a := range m.Artifacts {
			modsOfNEVRA[a] = append(modsOfNEVRA[a], m.NSVC())
		}
	}
	modsOfName := map[string][]string{}
	for _, m := range mods {
		for _, a := range m.Artifacts {
			n := answers.NEVRAName(a)
			if !strings.HasSuffix(a, ".src") {
				modsOfName[n] = append(modsOfName[n], m.NSVC())
			}
		}
	}
	for n, l := range modsOfName {
		modsOfName[n] = uniqSorted(l)
	}

	// Package answers, one per binary package name.
	byName := map[string][]depsolve.PkgID{}
	for i := 0; i < pool.Len(); i++ {
		p := pool.Package(depsolve.PkgID(i))
		if p.IsSource() {
			continue
		}
		byName[p.Name] = append(byName[p.Name], depsolve.PkgID(i))
	}
	names := sortedKeys(byName)
	docs := make([][]byte, len(names))
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	const chunk = 256
	for lo := 0; lo < len(names); lo += chunk {
		hi := min(lo+chunk, len(names))
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for i := lo; i < hi; i++ {
				doc := packageDoc(pool, provs, rev, brokenBy, pkgVariants, modsOfName, c.ID, names[i], byName[names[i]])
				b, err := marshal(doc)
				if err != nil {
					return fmt.Errorf("pkg/%s: %w", names[i], err)
				}
				docs[i] = b
			}
			progress("packages", hi-lo)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, n := range names {
		res.Packages[n] = docs[i]
	}

	if err := capabilities(ctx, pool, c.ID, jobs, res, progress); err != nil {
		return nil, err
	}
	if err := sources(ctx, pool, rev, mods, c.ID, jobs, res, progress); err != nil {
		return nil, err
	}
	res.Stats.ModuleBuilds = len(mods)
	if err := modules(pool, mainLoaded.bins, mods, modStreams, pkgVariants, c, res, progress); err != nil {
		return nil, err
	}
	return res, nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func packageDoc(pool *depsolve.Pool, provs *depsolve.Providers, rev *depsolve.ReverseIndex, brokenBy map[depsolve.PkgID][]depsolve.Broken,
	variants map[string][]string, modsOfName map[string][]string, composeID, name string, ids []depsolve.PkgID) *answers.Package {
	doc := &answers.Package{Header: answers.Header{Schema: answers.Schema(answers.KindPackage), Compose: composeID}, Name: name, Modules: modsOfName[name]}
	// Best first: the solver's choice among the builds, then the rest in
	// pool order.
	ordered := append([]depsolve.PkgID(nil), ids...)
	if best := pool.Choose(ids); best != depsolve.None {
		for i, id := range ordered {
			if id == best {
				copy(ordered[1:i+1], ordered[:i])
				ordered[0] = best
				break
			}
		}
	}
	provider := func(id depsolve.PkgID) answers.Provider {
		return answers.Provider{NEVRA: pool.NEVRA(id), Name: pool.Package(id).Name}
	}
	for _, id := range ordered {
		p := pool.Package(id)
		nevra := pool.NEVRA(id)
		b := answers.PackageBuild{NEVRA: nevra, Arch: p.Arch, EVR: evrString(p), Summary: p.Summary,
			Source: depsolve.SourceName(p.SourceRPM), SourceRPM: p.SourceRPM, Variants: uniqSorted(variants[nevra])}
		for _, d := range p.Provides {
			b.Provides = append(b.Provides, d.String())
		}
		for _, r := range provs.Reqs[id] {
			ar := answers.Requirement{Dep: r.Dep}
			for _, pid := range r.Providers {
				ar.Providers = append(ar.Providers, provider(pid))
			}
			if r.Chosen != depsolve.None {
				ar.Chosen = pool.NEVRA(r.Chosen)
			}
			b.Requires = append(b.Requires, ar)
		}
		b.Weak = answers.WeakDeps{Recommends: depStrings(p.Recommends), Suggests: depStrings(p.Suggests),
			Supplements: depStrings(p.Supplements), Enhances: depStrings(p.Enhances)}
		b.Conflicts = depStrings(p.Conflicts)
		b.Obsoletes = depStrings(p.Obsoletes)
		dependents := rev.Dependents(id)
		b.WhatRequires = pool.NEVRAs(dependents)
		sort.Strings(b.WhatRequires)
		for _, br := range brokenBy[id] {
			ab := answers.BrokenDep{Dep: br.Dep, RootDep: br.RootDep}
			if br.RootPkg != depsolve.None {
				ab.RootPkg = pool.NEVRA(br.RootPkg)
			}
			for _, s := range br.Chain {
				ab.Chain = append(ab.Chain, answers.Step{From: pool.NEVRA(s.From), Dep: s.Dep, To: pool.NEVRA(s.To)})
			}
			b.Broken = append(b.Broken, ab)
		}
		doc.Builds = append(doc.Builds, b)
	}
	return doc
}

func evrString(p *repodata.Package) string {
	e := p.EVR.Epoch
	if e == "" {
		e = "0"
	}
	return e + ":" + p.EVR.Version + "-" + p.EVR.Release
}

func depStrings(ds []repodata.Dep) []string {
	if len(ds) == 0 {
		return nil
	}
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// capabilities renders cap/<name> for every name provided (explicit
// provides and the files primary.xml lists) or required.
func capabilities(ctx context.Context, pool *depsolve.Pool, composeID string, jobs int, res *Resolved, progress func(string, int)) error {
	type capData struct {
		provs []answers.CapEntry
		reqs  []answers.CapRequire
	}
	caps := map[string]*capData{}
	get := func(n string) *capData {
		c := caps[n]
		if c == nil {
			c = &capData{}
			caps[n] = c
		}
		return c
	}
	for i := 0; i < pool.Len(); i++ {
		id := depsolve.PkgID(i)
		p := pool.Package(id)
		nevra := pool.NEVRA(id)
		if !p.IsSource() && pool.Installable(id) {
			for _, d := range p.Provides {
				get(d.Name).provs = append(get(d.Name).provs, answers.CapEntry{NEVRA: nevra, Provide: d.String()})
			}
			for _, f := range p.Files {
				get(f.Path).provs = append(get(f.Path).provs, answers.CapEntry{NEVRA: nevra, Provide: f.Path})
			}
		}
		for _, d := range p.Requires {
			if strings.HasPrefix(d.Name, "(") {
				e, err := depsolve.ParseDep(d.Name)
				if err != nil {
					get(d.Name).reqs = append(get(d.Name).reqs, answers.CapRequire{NEVRA: nevra, Dep: d.String()})
					continue
				}
				seen := map[string]bool{}
				e.Atoms(func(a *depsolve.Expr) {
					if !seen[a.Name] {
						seen[a.Name] = true
						get(a.Name).reqs = append(get(a.Name).reqs, answers.CapRequire{NEVRA: nevra, Dep: d.String()})
					}
				})
				continue
			}
			get(d.Name).reqs = append(get(d.Name).reqs, answers.CapRequire{NEVRA: nevra, Dep: d.String()})
		}
	}
	names := sortedKeys(caps)
	docs := make([][]byte, len(names))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	const chunk = 1024
	for lo := 0; lo < len(names); lo += chunk {
		hi := min(lo+chunk, len(names))
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for i := lo; i < hi; i++ {
				c := caps[names[i]]
				doc := answers.Capability{Header: answers.Header{Schema: answers.Schema(answers.KindCapability), Compose: composeID},
					Name: names[i], Providers: c.provs, Requirers: c.reqs}
				sort.Slice(doc.Providers, func(a, b int) bool {
					if doc.Providers[a].NEVRA != doc.Providers[b].NEVRA {
						return doc.Providers[a].NEVRA < doc.Providers[b].NEVRA
					}
					return doc.Providers[a].Provide < doc.Providers[b].Provide
				})
				sort.Slice(doc.Requirers, func(a, b int) bool {
					if doc.Requirers[a].NEVRA != doc.Requirers[b].NEVRA {
						return doc.Requirers[a].NEVRA < doc.Requirers[b].NEVRA
					}
					return doc.Requirers[a].Dep < doc.Requirers[b].Dep
				})
				b, err := marshal(doc)
				if err != nil {
					return fmt.Errorf("cap/%s: %w", names[i], err)
				}
				docs[i] = b
			}
			progress("capabilities", hi-lo)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, n := range names {
		res.Caps[n] = docs[i]
	}
	res.Stats.Capabilities = len(names)
	return nil
}

// sources computes the compose facts of every source component.
func sources(ctx context.Context, pool *depsolve.Pool, rev *depsolve.ReverseIndex, mods []*depsolve.ModuleStream, composeID string, jobs int, res *Resolved, progress func(string, int)) error {
	srcOf := make([]string, pool.Len())
	for i := 0; i < pool.Len(); i++ {
		p := pool.Package(depsolve.PkgID(i))
		if p.IsSource() {
			srcOf[i] = p.Name
			f := res.source(p.Name)
			f.SRPM = pool.NEVRA(depsolve.PkgID(i))
			continue
		}
		srcOf[i] = depsolve.SourceName(p.SourceRPM)
		f := res.source(srcOf[i])
		f.Binaries = append(f.Binaries, p.Name)
	}
	runtime := map[string]map[string]bool{}
	for i := 0; i < pool.Len(); i++ {
		if pool.Package(depsolve.PkgID(i)).IsSource() {
			continue
		}
		for _, d := range rev.Dependents(depsolve.PkgID(i)) {
			from, to := srcOf[d], srcOf[i]
			if from == to || pool.Package(d).IsSource() {
				continue
			}
			if runtime[to] == nil {
				runtime[to] = map[string]bool{}
			}
			runtime[to][from] = true
		}
	}
	needs := pool.BuildGraph()
	progress("build graph", len(needs))
	for c := range res.Sources {
		if _, ok := needs[c]; !ok {
			needs[c] = nil
		}
	}
	res.Needs = needs
	revNeeds := map[string][]string{}
	for c, ds := range needs {
		for _, d := range ds {
			if d != c {
				revNeeds[d] = append(revNeeds[d], c)
			}
		}
	}
	whole, err := depsolve.RebuildTiers(needs, nil, depsolve.All)
	if err != nil {
		return fmt.Errorf("compose %s: rebuild tiers: %w", composeID, err)
	}
	res.Tiers = map[string]int{}
	for t, cs := range whole.Tiers {
		for _, c := range cs {
			res.Tiers[c] = t
		}
	}
	mix := depsolve.NewModuleIndex(mods, nil)
	comps := sortedKeys(res.Sources)
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	const chunk = 128
	for lo := 0; lo < len(comps); lo += chunk {
		hi := min(lo+chunk, len(comps))
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for _, c := range comps[lo:hi] {
				f := res.Sources[c]
				f.Binaries = uniqSorted(f.Binaries)
				f.RuntimeDependents = sortedKeys(runtime[c])
				f.BuildDependents = uniqSorted(revNeeds[c])
				f.BuildRequires = uniqSorted(needs[c])
				f.Modules = mix.ModulesContaining(c)
				f.Tier = res.Tiers[c]
				plan, err := dependentsPlan(needs, revNeeds, c)
				if err != nil {
					return fmt.Errorf("src/%s: %w", c, err)
				}
				mu.Lock()
				f.Rebuild = map[string]answers.RebuildPlan{
					string(depsolve.Dependents):  plan,
					string(depsolve.OnlyChanged): {Tiers: [][]string{{c}}},
				}
				mu.Unlock()
			}
			progress("sources", hi-lo)
			return nil
		})
	}
	return g.Wait()
}

// dependentsPlan is depsolve.RebuildTiers(needs, [c], Dependents) computed
// over the reverse closure of c only (the same plan: components outside
// the closure are never selected and never shift a tier).
func dependentsPlan(needs, revNeeds map[string][]string, c string) (answers.RebuildPlan, error) {
	in := map[string]bool{c: true}
	queue := []string{c}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, u := range revNeeds[v] {
			if !in[u] {
				in[u] = true
				queue = append(queue, u)
			}
		}
	}
	sub := make(map[string][]string, len(in))
	for v := range in {
		var ds []string
		for _, d := range needs[v] {
			if in[d] {
				ds = append(ds, d)
			}
		}
		sub[v] = ds
	}
	p, err := depsolve.RebuildTiers(sub, []string{c}, depsolve.Dependents)
	if err != nil {
		return answers.RebuildPlan{}, err
	}
	return answers.RebuildPlan{Tiers: p.Tiers, Cycles: p.Cycles}, nil
}

func (r *Resolved) source(name string) *SourceFacts {
	f := r.Sources[name]
	if f == nil {
		f = &SourceFacts{}
		r.Sources[name] = f
	}
	return f
}

func mergeSorted(a, b []string) []string {
	return uniqSorted(append(append([]string(nil), a...), b...))
}

func uniqSorted(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	s := append([]string(nil), in...)
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// readModules parses a variant's modules.yaml.
func readModules(composeID, variant string, yml []byte) ([]*depsolve.ModuleStream, []*modulemd.Stream, error) {
	if len(yml) == 0 {
		return nil, nil, nil
	}
	ix, err := modulemd.ReadAll(bytes.NewReader(yml), composeID+"/"+variant+"/modules.yaml")
	if err != nil {
		return nil, nil, err
	}
	streams := ix.Streams()
	out := make([]*depsolve.ModuleStream, 0, len(streams))
	for _, s := range streams {
		m := &depsolve.ModuleStream{Name: s.Name, Stream: s.Stream, Version: s.Version, Context: s.Context, Artifacts: s.Artifacts.RPMs}
		for _, d := range s.Dependencies {
			m.Deps = append(m.Deps, depsolve.ModuleDeps{BuildRequires: d.BuildRequires, Requires: d.Requires})
		}
		for _, k := range sortedKeys(s.Components.RPMs) {
			m.Components = append(m.Components, s.Components.RPMs[k].Name)
		}
		out = append(out, m)
	}
	return out, streams, nil
}
