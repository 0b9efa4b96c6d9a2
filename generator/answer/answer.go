package answer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/distmeta/distmeta/generator/collect"
	"github.com/distmeta/distmeta/generator/resolve"
	"github.com/distmeta/distmeta/internal/distgit"
	"github.com/distmeta/distmeta/metadata/spec"
	"github.com/distmeta/distmeta/metadata/variants"
	"github.com/distmeta/distmeta/site/answers"
	"golang.org/x/sync/errgroup"
)

// Inputs is the model the answers are rendered from.
type Inputs struct {
	// Composes are the complete composes, oldest first; Skipped the
	// folders that do not count.
	Composes []*resolve.Summary
	Skipped  []collect.Skipped
	// Resolved is the newest complete compose's resolution (nil when
	// there is none); ResolvedCached says it came from the state (its
	// pkg and cap answers count as reused, not rendered).
	Resolved       *resolve.Resolved
	ResolvedCached bool
	Builds         []collect.BuildEvent
	Results        []collect.TestResult
	// Repos is the dist-git walk (nil without dist-git); Log its ref log.
	Repos      []distgit.Repo
	RepoErrors []*distgit.RepoError
	Log        *distgit.Log
	Variants   *variants.File
	Mirrors    []collect.MirrorState
	// Comps maps a variant id to its generated comps file, when one was
	// generated.
	Comps map[string]Comps
}

// Comps is what generator/compsgen made for one variant.
type Comps struct {
	Path, GzPath string // well-known paths on the site
	Answer       []byte // compsgen's answer (JSON)
}

// Set is every answer: kind -> key -> JSON document.
type Set map[string]map[string][]byte

// Stats counts a render.
type Stats struct {
	Rendered int // documents rendered this run
	Reused   int // documents taken from the cache (inputs unchanged)
}

// Render renders every answer. Kinds whose documents depend on inputs that
// change with every push (src, history, status) go through cache: a
// document whose input digest did not change is reused, not re-rendered.
func Render(ctx context.Context, in *Inputs, cache *Cache, jobs int) (Set, Stats, error) {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	r := newRenderer(in, cache)
	set := Set{}
	add := func(kind, key string, v any) error {
		b, err := Marshal(v)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", kind, key, err)
		}
		if set[kind] == nil {
			set[kind] = map[string][]byte{}
		}
		set[kind][key] = b
		r.stats.Rendered++
		return nil
	}
	// Compose-only answers, already rendered by resolve.
	if res := in.Resolved; res != nil {
		set[answers.KindPackage] = res.Packages
		set[answers.KindCapability] = res.Caps
		if in.ResolvedCached {
			r.stats.Reused += len(res.Packages) + len(res.Caps)
		} else {
			r.stats.Rendered += len(res.Packages) + len(res.Caps)
		}
	}
	if err := r.composes(add); err != nil {
		return nil, r.stats, err
	}
	if err := r.modules(add); err != nil {
		return nil, r.stats, err
	}
	if err := r.variants(add); err != nil {
		return nil, r.stats, err
	}
	if err := add(answers.KindMirrors, answers.AllMirrors, r.mirrorsDoc()); err != nil {
		return nil, r.stats, err
	}
	if res := in.Resolved; res != nil {
		needs := make(map[string][]string, len(res.Needs))
		for c, ds := range res.Needs {
			if ds == nil {
				ds = []string{} // the same JSON whether or not it went through the cache
			}
			needs[c] = ds
		}
		if err := add(answers.KindRebuild, answers.Graph, &answers.RebuildGraph{Header: answers.Header{Schema: answers.Schema(answers.KindRebuild), Compose: res.ComposeID},
			Needs: needs, Tiers: res.Tiers}); err != nil {
			return nil, r.stats, err
		}
	}
	// Per-component answers, concurrently, through the cache.
	type job struct {
		kind, key string
		inputs    func() inputs
		render    func() (any, error)
	}
	var jobsList []job
	for _, c := range r.components {
		jobsList = append(jobsList, job{answers.KindSource, c, func() inputs { return r.sourceInputs(c) }, func() (any, error) { return r.sourceDoc(c) }})
		jobsList = append(jobsList, job{answers.KindStatus, answers.StatusKey(answers.SubjectComponent, c), func() inputs { return r.statusInputs(c) }, func() (any, error) { return r.componentStatus(c), nil }})
	}
	for _, repo := range in.Repos {
		for _, b := range repo.Branches {
			key := answers.HistoryKey(repo.Name, b.Name)
			jobsList = append(jobsList, job{answers.KindHistory, key, func() inputs { return r.historyInputs(repo.Name, b.Name) }, func() (any, error) { return r.historyDoc(repo.Name, b.Name) }})
		}
	}
	for _, ms := range r.moduleStreams {
		key := answers.StatusKey(answers.SubjectModule, ms)
		if err := add(answers.KindStatus, key, r.moduleStatus(ms)); err != nil {
			return nil, r.stats, err
		}
	}
	for _, ik := range r.imageKeys {
		if err := add(answers.KindStatus, answers.StatusKey(answers.SubjectImage, ik), r.imageStatus(ik)); err != nil {
			return nil, r.stats, err
		}
	}
	out := make([][]byte, len(jobsList))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	const chunk = 64
	for lo := 0; lo < len(jobsList); lo += chunk {
		hi := min(lo+chunk, len(jobsList))
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			rendered, reused := 0, 0
			var d digester
			for i := lo; i < hi; i++ {
				j := jobsList[i]
				digest := d.sum(j.kind, j.inputs())
				if b, ok := cache.Get(j.kind, j.key, digest); ok {
					out[i] = b
					reused++
					continue
				}
				v, err := j.render()
				if err != nil {
					return fmt.Errorf("%s/%s: %w", j.kind, j.key, err)
				}
				b, err := Marshal(v)
				if err != nil {
					return fmt.Errorf("%s/%s: %w", j.kind, j.key, err)
				}
				cache.Put(j.kind, j.key, digest, b)
				out[i] = b
				rendered++
			}
			mu.Lock()
			r.stats.Rendered += rendered
			r.stats.Reused += reused
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, r.stats, err
	}
	for i, j := range jobsList {
		if set[j.kind] == nil {
			set[j.kind] = map[string][]byte{}
		}
		set[j.kind][j.key] = out[i]
	}
	return set, r.stats, nil
}

// Marshal encodes an answer document: compact JSON, no HTML escaping, map
// keys sorted (encoding/json sorts them), no trailing newline.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

type renderer struct {
	in            *Inputs
	cache         *Cache
	stats         Stats
	repoByName    map[string]*distgit.Repo
	buildsOf      map[string][]*collect.BuildEvent // rpm builds by component; module builds by name:stream
	testsOf       map[string][]answers.Test        // by NVR
	staleOf       map[string][]answers.StaleBuild  // by repo
	components    []string
	moduleStreams []string
	imageKeys     []string
	composeSrc    []map[string]bool // per compose: source NVRs
	composeMod    []map[string]bool // per compose: module NSVCs
	logByRepo     map[string][]distgit.RefUpdate
}

func newRenderer(in *Inputs, cache *Cache) *renderer {
	r := &renderer{in: in, cache: cache, repoByName: map[string]*distgit.Repo{}, buildsOf: map[string][]*collect.BuildEvent{},
		testsOf: map[string][]answers.Test{}, staleOf: map[string][]answers.StaleBuild{}, logByRepo: map[string][]distgit.RefUpdate{}}
	comps := map[string]bool{}
	streams := map[string]bool{}
	for i := range in.Repos {
		repo := &in.Repos[i]
		r.repoByName[repo.Name] = repo
		switch repo.Namespace() {
		case "rpms":
			comps[repo.Component()] = true
		case "modules":
			for _, b := range repo.Branches {
				streams[answers.ModuleKey(repo.Component(), b.Name)] = true
			}
		}
	}
	for _, e := range in.RepoErrors {
		if ns, name, ok := strings.Cut(e.Repo, "/"); ok && ns == "rpms" {
			comps[name] = true
		}
	}
	if in.Resolved != nil {
		for c := range in.Resolved.Sources {
			comps[c] = true
		}
		for k := range in.Resolved.Modules {
			streams[k] = true
		}
	}
	for i := range in.Builds {
		b := &in.Builds[i]
		if b.Kind == "module" {
			n, s := nsvcStream(b.NSVC)
			key := answers.ModuleKey(n, s)
			r.buildsOf["module/"+key] = append(r.buildsOf["module/"+key], b)
			streams[key] = true
			continue
		}
		r.buildsOf[b.Component] = append(r.buildsOf[b.Component], b)
		comps[b.Component] = true
	}
	for _, t := range in.Results {
		r.testsOf[t.Item] = append(r.testsOf[t.Item], answers.Test{Case: t.TestCase, Outcome: t.Outcome, Time: t.Time.UTC()})
	}
	images := map[string]bool{}
	for _, s := range in.Composes {
		src := map[string]bool{}
		for _, n := range s.Sources {
			src[n] = true
		}
		mod := map[string]bool{}
		for _, n := range s.Modules {
			mod[n] = true
		}
		r.composeSrc = append(r.composeSrc, src)
		r.composeMod = append(r.composeMod, mod)
		for _, im := range s.Doc.Images {
			images[im.Key] = true
		}
	}
	if in.Log != nil {
		for _, u := range in.Log.Updates {
			if u.Repo != "" {
				r.logByRepo[u.Repo] = append(r.logByRepo[u.Repo], u)
			}
		}
	}
	r.components = sortedKeys(comps)
	r.moduleStreams = sortedKeys(streams)
	r.imageKeys = sortedKeys(images)
	r.findStale()
	return r
}

// findStale checks the newest complete build of every component and
// branch, and the components of the newest compose's module builds,
// against the branch heads.
func (r *renderer) findStale() {
	if len(r.in.Repos) == 0 {
		return
	}
	newest := map[string]*collect.BuildEvent{}
	for i := range r.in.Builds {
		b := &r.in.Builds[i]
		if b.Kind != "rpm" || b.State != "complete" {
			continue
		}
		newest[b.Component+"\x00"+b.Branch] = b
	}
	var builds []distgit.Build
	for _, k := range sortedKeys(newest) {
		b := newest[k]
		h, err := distgit.ParseHash(b.Commit())
		if err != nil {
			continue
		}
		builds = append(builds, distgit.Build{ID: b.NVR, Kind: "rpm", Repo: "rpms/" + b.Component, Branch: b.Branch, Commit: h, Time: b.Finished})
	}
	if res := r.in.Resolved; res != nil {
		for _, k := range sortedKeys(res.Modules) {
			var doc answers.Module
			if err := json.Unmarshal(res.Modules[k], &doc); err != nil {
				continue
			}
			for _, mb := range doc.Builds {
				for _, c := range mb.Components {
					h, err := distgit.ParseHash(c.Ref)
					if err != nil {
						continue
					}
					builds = append(builds, distgit.Build{ID: mb.NSVC, Kind: "module", Repo: "rpms/" + c.Name, Branch: c.Branch, Commit: h})
				}
			}
		}
	}
	for _, s := range distgit.FindStale(r.in.Repos, builds) {
		sb := answers.StaleBuild{Build: s.ID, Kind: s.Kind, Branch: s.Branch, Commit: s.Commit.String(), Reason: s.Reason}
		if !s.Head.IsZero() {
			sb.Head = s.Head.String()
		}
		for _, c := range s.After {
			sb.After = append(sb.After, commitDoc(c))
		}
		r.staleOf[s.Repo] = append(r.staleOf[s.Repo], sb)
	}
}

func commitDoc(c distgit.Commit) answers.Commit {
	return answers.Commit{Hash: c.Hash.String(), Time: c.Time.UTC(), Subject: c.Subject}
}

// nsvcStream splits name:stream:version:context.
func nsvcStream(nsvc string) (string, string) {
	parts := strings.Split(nsvc, ":")
	if len(parts) < 2 {
		return nsvc, ""
	}
	return parts[0], parts[1]
}

func (r *renderer) composes(add func(kind, key string, v any) error) error {
	var older []string
	for i, s := range r.in.Composes {
		doc := s.Doc
		doc.Older = append([]string(nil), older...)
		if res := r.in.Resolved; res != nil && res.ComposeID == s.ID {
			vs := make([]answers.ComposeVariant, len(doc.Variants))
			copy(vs, doc.Variants)
			for j := range vs {
				if vf, ok := res.Variants[vs[j].ID]; ok {
					vs[j].Broken, vs[j].Resolved = vf.Broken, vf.Resolved
				}
			}
			doc.Variants = vs
		}
		if err := add(answers.KindCompose, s.ID, &doc); err != nil {
			return err
		}
		if i == len(r.in.Composes)-1 {
			for _, sk := range r.in.Skipped {
				doc.Skipped = append(doc.Skipped, answers.SkippedEntry{Name: sk.Name, Reason: sk.Reason})
			}
			if err := add(answers.KindCompose, answers.LatestCompose, &doc); err != nil {
				return err
			}
		}
		older = append([]string{s.ID}, older...)
	}
	// Images: the newest compose holding each one.
	latest := map[string]answers.Image{}
	for _, s := range r.in.Composes {
		for _, im := range s.Doc.Images {
			im.Compose = s.ID
			latest[im.Key] = im
		}
	}
	for _, k := range sortedKeys(latest) {
		im := latest[k]
		if err := add(answers.KindImage, k, &im); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) modules(add func(kind, key string, v any) error) error {
	res := r.in.Resolved
	if res == nil {
		return nil
	}
	for _, k := range sortedKeys(res.Modules) {
		var doc answers.Module
		if err := json.Unmarshal(res.Modules[k], &doc); err != nil {
			return fmt.Errorf("mod/%s: %w", k, err)
		}
		staleRefs := map[string]bool{}
		for i := range doc.Builds {
			mb := &doc.Builds[i]
			comps := make([]answers.ModuleComponent, len(mb.Components))
			copy(comps, mb.Components)
			for j := range comps {
				for _, s := range r.staleOf["rpms/"+comps[j].Name] {
					if s.Build == mb.NSVC && s.Commit == comps[j].Ref {
						comps[j].Stale = true
						if !staleRefs[s.Build+s.Commit] {
							staleRefs[s.Build+s.Commit] = true
							doc.Stale = append(doc.Stale, withBranch(s, comps[j].Name))
						}
					}
				}
			}
			mb.Components = comps
		}
		if err := add(answers.KindModule, k, &doc); err != nil {
			return err
		}
	}
	return nil
}

func withBranch(s answers.StaleBuild, component string) answers.StaleBuild {
	s.Build = s.Build + " (" + component + ")"
	return s
}

func (r *renderer) variants(add func(kind, key string, v any) error) error {
	f := r.in.Variants
	if f == nil {
		return nil
	}
	for _, v := range f.Variants {
		doc := answers.Variant{Header: answers.Header{Schema: answers.Schema(answers.KindVariant)}, ID: v.ID, Name: v.Name}
		if res := r.in.Resolved; res != nil {
			doc.Compose = res.ComposeID
		}
		for _, m := range v.Modules {
			doc.Modules = append(doc.Modules, m.String())
			if res := r.in.Resolved; res != nil {
				if _, ok := res.Modules[m.NS()]; !ok {
					doc.Problems = append(doc.Problems, fmt.Sprintf("line %d: module stream %s is not in compose %s", m.Line, m.NS(), res.ComposeID))
				}
			}
		}
		for _, g := range v.Groups {
			doc.Groups = append(doc.Groups, g.ID)
		}
		for _, ps := range v.PackageSets {
			doc.PackageSets = append(doc.PackageSets, ps.ID)
			if res := r.in.Resolved; res != nil {
				for _, p := range ps.Packages {
					if _, ok := res.Packages[p.Name]; !ok {
						doc.Problems = append(doc.Problems, fmt.Sprintf("line %d: package %s of set %s is not in compose %s", p.Line, p.Name, ps.ID, res.ComposeID))
					}
				}
			}
		}
		if c, ok := r.in.Comps[v.ID]; ok {
			doc.Comps, doc.CompsGz, doc.CompsAnswer = c.Path, c.GzPath, json.RawMessage(c.Answer)
		}
		if err := add(answers.KindVariant, v.ID, &doc); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) mirrorsDoc() *answers.Mirrors {
	doc := &answers.Mirrors{Header: answers.Header{Schema: answers.Schema(answers.KindMirrors)}, Mirrors: []answers.Mirror{}}
	for _, m := range r.in.Mirrors {
		am := answers.Mirror{URL: m.Mirror, State: "ok", Compose: m.Compose}
		if m.Index != nil {
			am.Serial, am.Created = m.Index.Serial, m.Index.Created.UTC()
		}
		if m.Err != nil {
			am.State, am.Error = "unknown", m.Err.Error()
		}
		doc.Mirrors = append(doc.Mirrors, am)
	}
	return doc
}

// --- source answers

type sourceInputs struct {
	Name     string
	Repo     *repoTips
	Compose  string
	Builds   []*collect.BuildEvent
	Tests    map[string][]answers.Test
	Stale    []answers.StaleBuild
	Error    string
	Resolved string
}

type repoTips struct {
	Head     string
	Branches []string // name=hash
}

func (r *renderer) tips(repo string) *repoTips {
	rp := r.repoByName[repo]
	if rp == nil {
		return nil
	}
	t := &repoTips{Head: rp.Head}
	for _, b := range rp.Branches {
		t.Branches = append(t.Branches, b.Name+"="+b.Head.String())
	}
	return t
}

func (r *renderer) repoError(repo string) string {
	for _, e := range r.in.RepoErrors {
		if e.Repo == repo {
			return e.Error()
		}
	}
	return ""
}

func (r *renderer) sourceInputs(c string) inputs {
	in := &sourceInputs{Name: c, Repo: r.tips("rpms/" + c), Builds: r.buildsOf[c], Tests: map[string][]answers.Test{},
		Stale: r.staleOf["rpms/"+c], Error: r.repoError("rpms/" + c)}
	// The compose facts are a function of the resolved compose: its
	// digest stands for them.
	if res := r.in.Resolved; res != nil {
		in.Compose, in.Resolved = res.ComposeID, res.Digest
	}
	for _, b := range in.Builds {
		if ts := r.testsOf[b.NVR]; len(ts) > 0 {
			in.Tests[b.NVR] = ts
		}
	}
	return in
}

func (r *renderer) buildDoc(b *collect.BuildEvent) answers.Build {
	return answers.Build{ID: b.ID, Kind: b.Kind, NVR: b.Name(), Branch: b.Branch, Commit: b.Commit(), State: b.State,
		Started: b.Started.UTC(), Finished: b.Finished.UTC(), Tests: r.testsOf[b.NVR]}
}

func (r *renderer) sourceDoc(c string) (*answers.Source, error) {
	doc := &answers.Source{Header: answers.Header{Schema: answers.Schema(answers.KindSource)}, Name: c, Repo: "rpms/" + c,
		Stale: r.staleOf["rpms/"+c], Error: r.repoError("rpms/" + c)}
	if rp := r.repoByName["rpms/"+c]; rp != nil {
		doc.Head = rp.Head
		for _, b := range rp.Branches {
			bh := answers.BranchHead{Name: b.Name, Head: b.Head.String()}
			if len(b.Content) > 0 && strings.HasSuffix(b.File, ".spec") {
				if s, err := spec.Parse(b.Content, spec.Options{}); err == nil {
					if s.Complete("version") {
						bh.Version = s.Version
					}
					if s.Complete("release") {
						bh.Release = s.Release
					}
				}
			}
			hist := rp.Chain(b.Head)
			for i, cm := range hist {
				if i == answers.MaxHistory {
					break
				}
				bh.Recent = append(bh.Recent, commitDoc(cm))
			}
			doc.Branches = append(doc.Branches, bh)
		}
	}
	bs := r.buildsOf[c]
	for i := len(bs) - 1; i >= 0 && len(doc.Builds) < answers.MaxBuilds; i-- {
		doc.Builds = append(doc.Builds, r.buildDoc(bs[i]))
	}
	if res := r.in.Resolved; res != nil {
		doc.Compose = res.ComposeID
		if f := res.Sources[c]; f != nil {
			doc.SRPM, doc.Binaries, doc.Modules = f.SRPM, f.Binaries, f.Modules
			doc.RuntimeDependents, doc.BuildDependents, doc.BuildRequires = f.RuntimeDependents, f.BuildDependents, f.BuildRequires
			doc.Rebuild = f.Rebuild
			doc.Tier = &f.Tier
		}
	}
	return doc, nil
}

// --- history answers

type historyInputs struct {
	Repo, Branch string
	Head         string
	Moves        []distgit.RefUpdate
	First        time.Time
}

func (r *renderer) firstObserved(repo string) time.Time {
	for _, u := range r.logByRepo[repo] {
		return u.Time
	}
	return time.Time{}
}

func (r *renderer) branchMoves(repo, branch string) []distgit.RefUpdate {
	var out []distgit.RefUpdate
	for _, u := range r.logByRepo[repo] {
		if u.Branch == branch {
			out = append(out, u)
		}
	}
	return out
}

func (r *renderer) historyInputs(repo, branch string) inputs {
	in := &historyInputs{Repo: repo, Branch: branch, Moves: r.branchMoves(repo, branch), First: r.firstObserved(repo)}
	if rp := r.repoByName[repo]; rp != nil {
		if b := rp.Branch(branch); b != nil {
			in.Head = b.Head.String()
		}
	}
	return in
}

func (r *renderer) historyDoc(repo, branch string) (*answers.History, error) {
	rp := r.repoByName[repo]
	b := rp.Branch(branch)
	doc := &answers.History{Header: answers.Header{Schema: answers.Schema(answers.KindHistory)}, Repo: repo, Branch: branch,
		Head: b.Head.String(), FirstObserved: r.firstObserved(repo).UTC(), Commits: []answers.Commit{}}
	chainFrom := b.Head
	for _, u := range r.branchMoves(repo, branch) {
		m := answers.RefMove{Time: u.Time.UTC(), Kind: string(u.Kind)}
		if !u.Old.IsZero() {
			m.Old = u.Old.String()
		}
		if !u.New.IsZero() {
			m.New = u.New.String()
		}
		if len(doc.Observed) == 0 && !u.New.IsZero() {
			chainFrom = u.New
		}
		doc.Observed = append(doc.Observed, m)
	}
	for _, c := range rp.Chain(chainFrom) {
		doc.Commits = append(doc.Commits, commitDoc(c))
	}
	return doc, nil
}

// --- status answers

type statusInputs struct {
	Name     string
	Repo     *repoTips
	Builds   []*collect.BuildEvent
	Composes []string
	Mirrors  []string
	InSrc    []bool
}

func (r *renderer) mirrorKeys() []string {
	var out []string
	for _, m := range r.in.Mirrors {
		s := m.Mirror + " " + m.Compose
		if m.Index != nil {
			s += fmt.Sprintf(" %d %s", m.Index.Serial, m.Index.Created.UTC().Format(time.RFC3339))
		}
		if m.Err != nil {
			s += " unknown"
		}
		out = append(out, s)
	}
	return out
}

func (r *renderer) statusInputs(c string) inputs {
	in := &statusInputs{Name: c, Repo: r.tips("rpms/" + c), Builds: r.buildsOf[c], Mirrors: r.mirrorKeys()}
	for _, s := range r.in.Composes {
		in.Composes = append(in.Composes, s.ID)
	}
	// Which composes hold each build: part of the inputs (they choose
	// the main branch and every branch's stage).
	for _, b := range r.buildsOf[c] {
		for _, src := range r.composeSrc {
			in.InSrc = append(in.InSrc, src[b.NVR])
		}
	}
	return in
}

// composed tells whether a compose holds the build of nvr.
func (r *renderer) composed(nvr string) bool {
	for _, src := range r.composeSrc {
		if src[nvr] {
			return true
		}
	}
	return false
}

// statusBranch is the main branch of a component's status: the branch of
// its newest build that a compose holds (the release the composes are
// made of), else the branch of its newest build, else the repository's
// head branch.
func (r *renderer) statusBranch(c string) string {
	bs := r.buildsOf[c]
	for i := len(bs) - 1; i >= 0; i-- {
		if r.composed(bs[i].NVR) {
			return bs[i].Branch
		}
	}
	if len(bs) > 0 {
		return bs[len(bs)-1].Branch
	}
	if rp := r.repoByName["rpms/"+c]; rp != nil {
		return rp.Head
	}
	return ""
}

func (r *renderer) newestBuild(c, branch string) *collect.BuildEvent {
	bs := r.buildsOf[c]
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].Branch == branch {
			return bs[i]
		}
	}
	return nil
}

// componentStatus says where the main branch of component c stands, and
// every other branch with builds.
func (r *renderer) componentStatus(c string) *answers.Status {
	main := r.statusBranch(c)
	st := &answers.Status{Header: answers.Header{Schema: answers.Schema(answers.KindStatus)}, Subject: answers.SubjectComponent, Name: c,
		Pipeline: r.branchPipeline(c, main)}
	var others []string
	for _, b := range r.buildsOf[c] {
		if b.Branch != main && !slices.Contains(others, b.Branch) {
			others = append(others, b.Branch)
		}
	}
	sort.Strings(others)
	for _, br := range others {
		st.Branches = append(st.Branches, r.branchPipeline(c, br))
	}
	return st
}

// branchPipeline says where one branch of component c stands.
func (r *renderer) branchPipeline(c, branch string) answers.Pipeline {
	st := answers.Pipeline{Branch: branch}
	if rp := r.repoByName["rpms/"+c]; rp != nil {
		if b := rp.Branch(branch); b != nil {
			st.Head = b.Head.String()
			if cm, ok := rp.Commit(b.Head); ok {
				st.HeadTime = cm.Time.UTC()
			}
		}
	}
	b := r.newestBuild(c, branch)
	if b == nil {
		st.Stage, st.Sentence = "not-built", "no build of "+c+" is known"
		if res := r.in.Resolved; res != nil && res.Sources[c] != nil && res.Sources[c].SRPM != "" {
			st.Stage, st.Sentence = "composed", fmt.Sprintf("%s is in compose %s (no build in the feed)", res.Sources[c].SRPM, res.ComposeID)
		}
		return st
	}
	bd := r.buildDoc(b)
	st.Build = &bd
	var inComposes []string
	for i, src := range r.composeSrc {
		if src[b.NVR] {
			s := r.in.Composes[i]
			st.Composes = append(st.Composes, answers.ComposeRef{ID: s.ID, Date: s.Doc.Date})
			inComposes = append(inComposes, s.ID)
		}
	}
	r.pipeline(&st, b.State, b.NVR, inComposes)
	if st.Head != "" && bd.Commit != "" && st.Head != bd.Commit && b.State != "building" {
		st.Sentence += fmt.Sprintf("; the head commit %s of %s is newer than this build", short(st.Head), branch)
	}
	return st
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// pipeline fills the stage, the mirrors and the sentence from the build
// state and the composes holding what was built.
func (r *renderer) pipeline(st *answers.Pipeline, state, what string, inComposes []string) {
	switch state {
	case "building":
		st.Stage, st.Sentence = "building", "a fresh build is underway ("+what+")"
		return
	case "failed", "canceled":
		st.Stage, st.Sentence = "failed", "the newest build ("+what+") "+state
		return
	}
	if len(inComposes) == 0 {
		st.Stage, st.Sentence = "built", "built ("+what+") but not yet in a compose"
		return
	}
	newest := inComposes[len(inComposes)-1]
	in := map[string]bool{}
	for _, id := range inComposes {
		in[id] = true
	}
	carrying, unknown := 0, 0
	for _, m := range r.in.Mirrors {
		mc := answers.MirrorCarry{Mirror: m.Mirror, Compose: m.Compose, Carries: m.Compose != "" && in[m.Compose]}
		if m.Index != nil {
			mc.Serial, mc.Created = m.Index.Serial, m.Index.Created.UTC()
		}
		if m.Err != nil {
			mc.Unknown = true
			unknown++
		}
		if mc.Carries {
			carrying++
		}
		st.Mirrors = append(st.Mirrors, mc)
	}
	switch {
	case len(r.in.Mirrors) == 0:
		st.Stage, st.Sentence = "composed", "in compose "+newest+" (no mirrors configured)"
	case carrying == 0:
		st.Stage, st.Sentence = "composed", "in compose "+newest+" but not yet on the mirrors"
	case carrying == len(r.in.Mirrors):
		st.Stage, st.Sentence = "mirrored", "on all mirrors"
	default:
		st.Stage, st.Sentence = "mirrored-partly", fmt.Sprintf("in compose %s, on %d of %d mirrors", newest, carrying, len(r.in.Mirrors))
	}
	if unknown > 0 {
		st.Sentence += fmt.Sprintf(" (%d unknown)", unknown)
	}
}

func (r *renderer) moduleStatus(ms string) *answers.Status {
	name, stream, _ := strings.Cut(ms, ":")
	st := &answers.Status{Header: answers.Header{Schema: answers.Schema(answers.KindStatus)}, Subject: answers.SubjectModule, Name: ms, Pipeline: answers.Pipeline{Branch: stream}}
	if rp := r.repoByName["modules/"+name]; rp != nil {
		if b := rp.Branch(stream); b != nil {
			st.Head = b.Head.String()
			if cm, ok := rp.Commit(b.Head); ok {
				st.HeadTime = cm.Time.UTC()
			}
		}
	}
	bs := r.buildsOf["module/"+ms]
	var nsvc, state string
	if len(bs) > 0 {
		b := bs[len(bs)-1]
		bd := r.buildDoc(b)
		st.Build = &bd
		nsvc, state = b.NSVC, b.State
	} else if res := r.in.Resolved; res != nil && res.Modules[ms] != nil {
		var doc answers.Module
		if err := json.Unmarshal(res.Modules[ms], &doc); err == nil && len(doc.Builds) > 0 {
			nsvc, state = doc.Builds[0].NSVC, "complete"
		}
	}
	if nsvc == "" {
		st.Stage, st.Sentence = "not-built", "no build of "+ms+" is known"
		return st
	}
	var inComposes []string
	for i, mods := range r.composeMod {
		if mods[nsvc] {
			s := r.in.Composes[i]
			st.Composes = append(st.Composes, answers.ComposeRef{ID: s.ID, Date: s.Doc.Date})
			inComposes = append(inComposes, s.ID)
		}
	}
	r.pipeline(&st.Pipeline, state, nsvc, inComposes)
	return st
}

func (r *renderer) imageStatus(key string) *answers.Status {
	st := &answers.Status{Header: answers.Header{Schema: answers.Schema(answers.KindStatus)}, Subject: answers.SubjectImage, Name: key}
	var inComposes []string
	for _, s := range r.in.Composes {
		for _, im := range s.Doc.Images {
			if im.Key == key {
				st.Composes = append(st.Composes, answers.ComposeRef{ID: s.ID, Date: s.Doc.Date})
				inComposes = append(inComposes, s.ID)
				break
			}
		}
	}
	r.pipeline(&st.Pipeline, "complete", key, inComposes)
	return st
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Names kept for generator/pages, which read the rebuild graph before it
// moved to site/answers (use answers.KindRebuild, answers.Graph and
// answers.RebuildGraph).
const (
	KindRebuild  = answers.KindRebuild
	RebuildGraph = answers.Graph
)

// RebuildGraphDoc is answers.RebuildGraph.
type RebuildGraphDoc = answers.RebuildGraph
