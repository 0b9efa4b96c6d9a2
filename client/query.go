package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/distmeta/distmeta/internal/sortedset"
	"github.com/distmeta/distmeta/metadata/rebuild"
	"github.com/distmeta/distmeta/site"
	"github.com/distmeta/distmeta/site/answers"
	"golang.org/x/sync/errgroup"
)

// SyncResult says what Sync did.
type SyncResult struct {
	Index Meta `json:"index"`
	// Previous is the serial trusted before (0 on first use).
	Previous uint64 `json:"previous"`
	// Walked is the number of skipped indexes whose chain was checked;
	// ChainUnchecked is set when more were skipped than the bound.
	Walked         int  `json:"walked,omitempty"`
	ChainUnchecked bool `json:"chain_unchecked,omitempty"`
	// Fetched counts files downloaded, Cached those already in the cache.
	Fetched int64 `json:"fetched"`
	Cached  int64 `json:"cached"`
	Bytes   int64 `json:"bytes"`
}

// Sync asks the mirrors for their index (whatever the refresh period),
// moves the trusted state forward and prefetches the root and kind
// manifests and dictionaries, so a later cold query downloads one page
// manifest and one object. With all, every object is fetched (for offline
// use). Unlike queries, Sync fails rather than fall back to the cache.
func (c *Client) Sync(ctx context.Context, all bool) (*SyncResult, error) {
	s, err := c.open(ctx, true)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	if s.meta.Offline {
		return nil, &ErrNoIndex{Rejected: s.meta.Rejected}
	}
	before := c.BytesReceived()
	kinds := make([]string, 0, len(s.v.root.Kinds))
	for k := range s.v.root.Kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	for _, k := range kinds {
		g.Go(func() error {
			kv, err := s.v.kind(gctx, k)
			if err != nil || !all {
				return err
			}
			return c.fetchKind(gctx, s.v, k, kv)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return &SyncResult{Index: s.meta, Previous: s.prev.Serial, Walked: s.walked, ChainUnchecked: s.unchk,
		Fetched: s.src.fetched.Load(), Cached: s.src.hits.Load(), Bytes: c.BytesReceived() - before}, nil
}

// fetchKind fetches every page manifest and object of a kind.
func (c *Client) fetchKind(ctx context.Context, v *view, kind string, kv *kindView) error {
	entries := append([]site.Entry(nil), kv.km.Objects...)
	for i, r := range kv.km.Pages {
		b, err := v.src.get(ctx, r.Digest.ManifestPath(), r, nil)
		if err != nil {
			return err
		}
		pm, err := site.ParsePageManifest(b, kv.km, i)
		if err != nil {
			return err
		}
		entries = append(entries, pm.Objects...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	for _, e := range entries {
		g.Go(func() error {
			_, err := v.src.get(gctx, e.Digest.ObjectPath(), e.Ref(), func(stored []byte) error {
				_, err := site.DecodeObject(stored, e, kv.dict)
				return err
			})
			return err
		})
	}
	return g.Wait()
}

// session for queries: within the refresh period the cached index
// answers; otherwise the mirrors are asked, and the cache answers when
// none can.
func (c *Client) query(ctx context.Context) (*session, error) { return c.open(ctx, false) }

// --- whatprovides

// ProvidesResult answers whatprovides.
type ProvidesResult struct {
	Index      Meta               `json:"index"`
	Capability string             `json:"capability"`
	Providers  []answers.CapEntry `json:"providers"`
}

// WhatProvides lists the packages that provide a capability (any version;
// file paths included).
func (c *Client) WhatProvides(ctx context.Context, capability string) (*ProvidesResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	var ca answers.Capability
	ok, err := s.v.get(ctx, answers.KindCapability, capability, &ca)
	if err != nil {
		return nil, err
	}
	res := &ProvidesResult{Index: s.meta, Capability: capability, Providers: []answers.CapEntry{}}
	if ok {
		res.Providers = append(res.Providers, ca.Providers...)
	}
	return res, nil
}

// --- whatrequires

// Requirer is one answer of whatrequires: a binary package (NEVRA) with
// the requirement that matched, or with --build a source component.
type Requirer struct {
	Name string `json:"name"`
	Dep  string `json:"dep,omitempty"`
}

// RequirersResult answers whatrequires.
type RequirersResult struct {
	Index Meta   `json:"index"`
	Name  string `json:"name"`
	// As says how Name was read: "package" (a binary package: whatever
	// requires one of its provides), "capability", or with --build
	// "component" (a source component).
	As        string     `json:"as"`
	Build     bool       `json:"build"`
	Requirers []Requirer `json:"requirers"`
}

// WhatRequires lists what requires name. Runtime (build false): when name
// is a binary package, the installable packages with a requirement one of
// its builds provides (the pkg answer's whatrequires); otherwise the
// binary packages requiring the capability name. Build time: when name is
// a source component, the components whose build requirements resolve to
// one of its binaries (the solver's choice); otherwise the source packages
// whose BuildRequires name the capability.
func (c *Client) WhatRequires(ctx context.Context, name string, build bool) (*RequirersResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	res := &RequirersResult{Index: s.meta, Name: name, Build: build, Requirers: []Requirer{}}
	if !build {
		lists, ok, err := s.v.packageRequirers(ctx, name)
		if err != nil {
			return nil, err
		}
		if ok {
			res.As = "package"
			names := unionSorted(lists)
			res.Requirers = make([]Requirer, len(names))
			for i, n := range names {
				res.Requirers[i] = Requirer{Name: n}
			}
			return res, nil
		}
	} else {
		var src answers.Source
		ok, err := s.v.get(ctx, answers.KindSource, name, &src)
		if err != nil {
			return nil, err
		}
		if ok {
			res.As = "component"
			for _, n := range src.BuildDependents {
				res.Requirers = append(res.Requirers, Requirer{Name: n})
			}
			return res, nil
		}
	}
	res.As = "capability"
	var ca answers.Capability
	ok, err := s.v.get(ctx, answers.KindCapability, name, &ca)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%q: %w: neither a package nor a capability in serial %d", name, ErrNoAnswer, s.meta.Serial)
	}
	for _, r := range ca.Requirers {
		if isSource(r.NEVRA) == build {
			res.Requirers = append(res.Requirers, Requirer{Name: r.NEVRA, Dep: r.Dep})
		}
	}
	return res, nil
}

// isSource reports whether a NEVRA is a source package's.
func isSource(nevra string) bool {
	return strings.HasSuffix(nevra, ".src") || strings.HasSuffix(nevra, ".nosrc")
}

// --- requires

// RequiresResult answers requires.
type RequiresResult struct {
	Index   Meta                  `json:"index"`
	Package string                `json:"package"`
	NEVRA   string                `json:"nevra"`
	Resolve bool                  `json:"resolve"`
	Needs   []answers.Requirement `json:"requires"`
}

// Requires lists the requirements of a package's best build; with resolve
// each comes with its providers and the one a solver picks.
func (c *Client) Requires(ctx context.Context, pkg string, resolve bool) (*RequiresResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	var p answers.Package
	if err := s.v.must(ctx, answers.KindPackage, pkg, &p); err != nil {
		return nil, err
	}
	if len(p.Builds) == 0 {
		return nil, fmt.Errorf("package %q: %w: no build", pkg, ErrNoAnswer)
	}
	b := p.Builds[0]
	res := &RequiresResult{Index: s.meta, Package: pkg, NEVRA: b.NEVRA, Resolve: resolve, Needs: []answers.Requirement{}}
	for _, r := range b.Requires {
		if !resolve {
			r = answers.Requirement{Dep: r.Dep}
		}
		res.Needs = append(res.Needs, r)
	}
	return res, nil
}

// --- closure and why

// ClosureResult answers closure.
type ClosureResult struct {
	Index    Meta     `json:"index"`
	Package  string   `json:"package"`
	Packages []string `json:"packages"`
	// Read is the number of pkg answers the walk read.
	Read int `json:"read"`
}

// Closure returns what installing pkg pulls in when every requirement is
// met by the solver's chosen provider, pkg's best build included: a
// bounded breadth-first walk over pkg answers, fetched as needed.
func (c *Client) Closure(ctx context.Context, pkg string) (*ClosureResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	lookup, err := c.prefetchWalk(ctx, s.v, pkg)
	if err != nil {
		return nil, err
	}
	nevras, err := answers.Closure(lookup, pkg)
	if err != nil {
		return nil, err
	}
	return &ClosureResult{Index: s.meta, Package: pkg, Packages: nevras, Read: s.v.answers}, nil
}

// WhyResult answers why.
type WhyResult struct {
	Index Meta           `json:"index"`
	From  string         `json:"from"`
	To    string         `json:"to"`
	Chain []answers.Step `json:"chain"`
}

// Why returns the shortest chain of requirement -> chosen provider steps
// from a's best build to a build of b; an empty chain when installing a
// does not pull b in.
func (c *Client) Why(ctx context.Context, a, b string) (*WhyResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	lookup, err := c.prefetchWalk(ctx, s.v, a)
	if err != nil {
		return nil, err
	}
	chain, err := answers.Why(lookup, a, b)
	if err != nil {
		return nil, err
	}
	if chain == nil {
		chain = []answers.Step{}
	}
	return &WhyResult{Index: s.meta, From: a, To: b, Chain: chain}, nil
}

// --- rebuild-plan

// Strategies of rebuild-plan.
var Strategies = []string{string(rebuild.Dependents), string(rebuild.All), string(rebuild.ChangedAndAfter), string(rebuild.OnlyChanged)}

// RebuildResult answers rebuild-plan.
type RebuildResult struct {
	Index     Meta                `json:"index"`
	Component string              `json:"component"`
	Strategy  string              `json:"strategy"`
	Plan      answers.RebuildPlan `json:"plan"`
	// Computed is set when the plan was computed from the build graph
	// (rebuild/graph) rather than read precomputed.
	Computed bool `json:"computed,omitempty"`
}

// rebuildGraph is the rebuild/graph answer (generator/answer's
// RebuildGraphDoc, which site/answers does not export yet).
type rebuildGraph struct {
	answers.Header
	Needs map[string][]string `json:"needs"`
	Tiers map[string]int      `json:"tiers"`
}

const kindRebuild, rebuildGraphKey = "rebuild", "graph"

// RebuildPlan plans the rebuild after a change of component, in tiers
// (components of one cycle share a tier). Strategies: "dependents" (the
// changed component and everything that build-requires it; the default)
// and "only-changed" are precomputed in the src answer; "all" and
// "changed-and-after" are computed from the build graph answer.
func (c *Client) RebuildPlan(ctx context.Context, component, strategy string) (*RebuildResult, error) {
	if strategy == "" {
		strategy = string(rebuild.Dependents)
	}
	known := false
	for _, s := range Strategies {
		known = known || s == strategy
	}
	if !known {
		return nil, fmt.Errorf("rebuild-plan: unknown strategy %q (want %s)", strategy, strings.Join(Strategies, ", "))
	}
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	var src answers.Source
	if err := s.v.must(ctx, answers.KindSource, component, &src); err != nil {
		return nil, err
	}
	res := &RebuildResult{Index: s.meta, Component: component, Strategy: strategy}
	if p, ok := src.Rebuild[strategy]; ok {
		res.Plan = p
		return res, nil
	}
	var g rebuildGraph
	if err := s.v.must(ctx, kindRebuild, rebuildGraphKey, &g); err != nil {
		return nil, err
	}
	if _, ok := g.Needs[component]; !ok {
		return nil, fmt.Errorf("rebuild-plan %s: %w: %s is not in the build graph of compose %s", strategy, ErrNoAnswer, component, g.Compose)
	}
	p, err := rebuild.Tiers(g.Needs, []string{component}, rebuild.Strategy(strategy))
	if err != nil {
		return nil, err
	}
	res.Plan, res.Computed = answers.RebuildPlan{Tiers: p.Tiers, Cycles: p.Cycles}, true
	if res.Plan.Tiers == nil {
		res.Plan.Tiers = [][]string{}
	}
	return res, nil
}

// --- module

// ModuleResult answers module.
type ModuleResult struct {
	Index     Meta           `json:"index"`
	Buildroot bool           `json:"buildroot"`
	Module    answers.Module `json:"module"`
}

// Module returns a module stream (name:stream): its builds, components
// and, for the buildroot, the packages each build's buildroot resolves to.
func (c *Client) Module(ctx context.Context, nameStream string, buildroot bool) (*ModuleResult, error) {
	name, stream, ok := strings.Cut(nameStream, ":")
	if !ok || name == "" || stream == "" {
		return nil, fmt.Errorf("module %q: want NAME:STREAM", nameStream)
	}
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	res := &ModuleResult{Index: s.meta, Buildroot: buildroot}
	if err := s.v.must(ctx, answers.KindModule, answers.ModuleKey(name, stream), &res.Module); err != nil {
		return nil, err
	}
	return res, nil
}

// --- status

// StatusResult answers status.
type StatusResult struct {
	Index  Meta           `json:"index"`
	Status answers.Status `json:"status"`
}

// Status says where a component, module stream (name:stream) or image
// stands in the build pipeline. name may carry its subject ("rpm/bash",
// "module/nodejs:20", "image/KEY"); otherwise a name with ":" is a module
// stream, and a plain name a component, then an image.
func (c *Client) Status(ctx context.Context, name string) (*StatusResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	var keys []string
	if subj, rest, ok := strings.Cut(name, "/"); ok && (subj == answers.SubjectComponent || subj == answers.SubjectModule || subj == answers.SubjectImage) {
		keys = []string{answers.StatusKey(subj, rest)}
	} else if strings.Contains(name, ":") {
		keys = []string{answers.StatusKey(answers.SubjectModule, name)}
	} else {
		keys = []string{answers.StatusKey(answers.SubjectComponent, name), answers.StatusKey(answers.SubjectImage, name)}
	}
	res := &StatusResult{Index: s.meta}
	for _, k := range keys {
		ok, err := s.v.get(ctx, answers.KindStatus, k, &res.Status)
		if err != nil {
			return nil, err
		}
		if ok {
			return res, nil
		}
	}
	return nil, fmt.Errorf("status of %q: %w in serial %d", name, ErrNoAnswer, s.meta.Serial)
}

// OnBranch narrows a component's status to one branch: the main one or
// one of the others the answer lists (ErrNoAnswer when it lists none by
// that name).
func (r *StatusResult) OnBranch(branch string) error {
	p := r.Status.Of(branch)
	if p == nil {
		var known []string
		known = append(known, r.Status.Branch)
		for _, b := range r.Status.Branches {
			known = append(known, b.Branch)
		}
		return fmt.Errorf("status of %s/%s on branch %q: %w (branches with builds: %s)", r.Status.Subject, r.Status.Name, branch, ErrNoAnswer, strings.Join(known, ", "))
	}
	r.Status.Pipeline, r.Status.Branches = *p, nil
	return nil
}

// --- history

// HistoryResult answers history.
type HistoryResult struct {
	Index  Meta   `json:"index"`
	Repo   string `json:"repo"`
	Branch string `json:"branch"`
	// At and Position answer "where was the branch at At"; History is
	// the whole answer (without --at).
	At       *time.Time        `json:"at,omitempty"`
	Position *answers.Position `json:"position,omitempty"`
	History  *answers.History  `json:"history,omitempty"`
}

// History returns a branch's history (repo "rpms/NAME", "modules/NAME" or
// NAME for rpms/NAME), or with at the commit it pointed to then.
func (c *Client) History(ctx context.Context, repo, branch string, at *time.Time) (*HistoryResult, error) {
	if !strings.Contains(repo, "/") {
		repo = "rpms/" + repo
	}
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	var h answers.History
	if err := s.v.must(ctx, answers.KindHistory, answers.HistoryKey(repo, branch), &h); err != nil {
		return nil, err
	}
	res := &HistoryResult{Index: s.meta, Repo: repo, Branch: branch}
	if at != nil {
		t := at.UTC()
		p := h.At(t)
		res.At, res.Position = &t, &p
	} else {
		res.History = &h
	}
	return res, nil
}

// ParseTime reads a time as dmq's --at flags take it: RFC 3339,
// YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD (UTC; a date alone is its midnight,
// as git's --before reads it).
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339 or YYYY-MM-DD", s)
}

// --- comps

// CompsResult answers comps.
type CompsResult struct {
	Index   Meta            `json:"index"`
	Variant answers.Variant `json:"variant"`
	// Comps is the generated comps.xml, when the site publishes one.
	Comps string `json:"comps,omitempty"`
}

// Comps returns a variant's definition and its generated comps.xml (read
// from the well-known path the variant answer names, verified against the
// root manifest).
func (c *Client) Comps(ctx context.Context, variant string) (*CompsResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	res := &CompsResult{Index: s.meta}
	if err := s.v.must(ctx, answers.KindVariant, variant, &res.Variant); err != nil {
		return nil, err
	}
	if p := res.Variant.Comps; p != "" {
		b, ok, err := s.v.file(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("comps of %s: %w", variant, err)
		}
		if !ok {
			return nil, fmt.Errorf("comps of %s: %s is not in the root manifest of serial %d", variant, p, s.meta.Serial)
		}
		res.Comps = string(b)
	}
	return res, nil
}

// --- compose

// ComposeResult answers compose.
type ComposeResult struct {
	Index   Meta            `json:"index"`
	Compose answers.Compose `json:"compose"`
}

// Compose returns a compose by id, or the newest complete one for "".
func (c *Client) Compose(ctx context.Context, id string) (*ComposeResult, error) {
	if id == "" {
		id = answers.LatestCompose
	}
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	res := &ComposeResult{Index: s.meta}
	if err := s.v.must(ctx, answers.KindCompose, id, &res.Compose); err != nil {
		return nil, err
	}
	return res, nil
}

// --- mirrors

// MirrorsResult answers mirrors: what the publisher saw of the mirrors it
// knows (the mirrors answer) and what this client sees of its own.
type MirrorsResult struct {
	Index      Meta            `json:"index"`
	Published  answers.Mirrors `json:"published"`
	Configured []MirrorProbe   `json:"configured"`
}

// MirrorProbe is one configured mirror's index, as this client judges it.
type MirrorProbe struct {
	URL     string    `json:"url"`
	Serial  uint64    `json:"serial,omitempty"`
	Created time.Time `json:"created,omitzero"`
	// State: current (serves the trusted index), ahead (a newer index
	// that verifies), behind (an older index: rollback), rejected (it does
	// not verify: the reason is in Error), unreachable.
	State string `json:"state"`
	Error string `json:"error,omitempty"`
}

// Mirrors reads the mirrors answer and probes every configured mirror's
// index (concurrently), judging each against the trusted state without
// moving it.
func (c *Client) Mirrors(ctx context.Context) (*MirrorsResult, error) {
	s, err := c.query(ctx)
	if err != nil {
		return nil, err
	}
	defer s.v.close()
	res := &MirrorsResult{Index: s.meta, Configured: make([]MirrorProbe, len(c.mirrors))}
	if err := s.v.must(ctx, answers.KindMirrors, answers.AllMirrors, &res.Published); err != nil {
		return nil, err
	}
	if c.opts.Offline {
		for i, m := range c.mirrors {
			res.Configured[i] = MirrorProbe{URL: m.URL, State: "unknown", Error: "offline"}
		}
		return res, nil
	}
	trusted, err := c.trust.Load()
	if err != nil {
		return nil, err
	}
	now := c.opts.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	for i, m := range c.mirrors {
		g.Go(func() error {
			res.Configured[i] = c.probe(gctx, m, trusted, now)
			return nil
		})
	}
	g.Wait()
	return res, nil
}

func (c *Client) probe(ctx context.Context, m *Mirror, trusted Trusted, now time.Time) MirrorProbe {
	p := MirrorProbe{URL: m.URL}
	msg, err := m.Fetch(ctx, "index", site.MaxIndexSize)
	if err != nil {
		p.State, p.Error = "unreachable", stripMirror(err, m.URL).Error()
		return p
	}
	if ix, err := site.ParseIndex(msg, c.verifiers); err == nil {
		p.Serial, p.Created = ix.Serial, ix.Created.UTC()
	}
	chain := func(ctx context.Context, serial uint64) ([]byte, error) {
		return m.Fetch(ctx, fmt.Sprintf("index.d/%d", serial), site.MaxIndexSize)
	}
	d, err := Advance(ctx, msg, trusted, Policy{Verifiers: c.verifiers, Origin: c.opts.Origin, Now: now, Skew: c.opts.Skew, MaxGap: c.opts.MaxGap}, chain)
	switch {
	case errors.Is(err, site.ErrRollback):
		p.State, p.Error = "behind", err.Error()
	case err != nil:
		p.State, p.Error = "rejected", err.Error()
	case d.Index.Digest == trusted.Digest:
		p.State = "current"
	default:
		p.State = "ahead"
	}
	return p
}

// unionSorted returns the sorted union of string lists without
// duplicates. The answers keep their lists sorted, so this merges them
// pairwise; a list out of order or with duplicates is sorted and
// compacted (on a copy) first.
func unionSorted(lists [][]string) []string {
	var out []string
	for _, l := range lists {
		if !sortedset.IsSet(l) {
			l = slices.Compact(slices.Sorted(slices.Values(l)))
		}
		out = sortedset.Union(out, l)
	}
	if out == nil {
		out = []string{}
	}
	return out
}
