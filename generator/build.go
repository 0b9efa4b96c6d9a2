package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distmeta/distmeta/generator/answer"
	"github.com/distmeta/distmeta/generator/collect"
	"github.com/distmeta/distmeta/generator/compsgen"
	"github.com/distmeta/distmeta/generator/config"
	"github.com/distmeta/distmeta/generator/pages"
	"github.com/distmeta/distmeta/generator/resolve"
	"github.com/distmeta/distmeta/internal/distgit"
	"github.com/distmeta/distmeta/internal/gobcache"
	"github.com/distmeta/distmeta/metadata/variants"
	"github.com/distmeta/distmeta/site"
	"golang.org/x/mod/sumdb/note"
)

// Options tune one Build.
type Options struct {
	// Now is the creation time of the index and the observation time
	// recorded in the ref log. Required (the CLI honours
	// SOURCE_DATE_EPOCH).
	Now time.Time
	// DryRun does everything but publish (and does not move the state's
	// record of what was published).
	DryRun bool
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Progress, when set, receives a live per-stage display (a terminal).
	Progress io.Writer
	// MirrorTimeout bounds the read of one mirror; default 10s.
	MirrorTimeout time.Duration
	// AfterStage, when set, is called after each stage of the build; an
	// error stops it there (tests inject failures with it).
	AfterStage func(stage string) error
	// Publish replaces site.Publish (benchmarks measure the pipeline
	// without the store with it); nil means site.Publish.
	Publish func(ctx context.Context, dir string, model site.Model, signer note.Signer, opts site.PublishOptions) (*site.PublishResult, error)
}

// ErrConfig is wrapped by errors in the configuration or its files
// (a bad signer key, a missing required input), as opposed to errors in
// the data or the run.
var ErrConfig = config.ErrInvalid

// Build runs collect, model, resolve, render and publish once. A run that
// fails publishes nothing: the site in cfg.Out stays as it was.
func Build(ctx context.Context, cfg *config.Config, opts Options) (*Summary, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Now.IsZero() {
		return nil, errors.New("build: Options.Now is required")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	jobs := cfg.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	if opts.MirrorTimeout <= 0 {
		opts.MirrorTimeout = 10 * time.Second
	}
	b := &builder{cfg: cfg, opts: opts, log: log, jobs: jobs, sum: &Summary{DryRun: opts.DryRun}, prog: newProgress(opts.Progress)}
	defer b.prog.close()
	err := b.run(ctx)
	b.sum.Duration = time.Since(start)
	if err != nil {
		return b.sum, err
	}
	return b.sum, nil
}

type builder struct {
	cfg  *config.Config
	opts Options
	log  *slog.Logger
	jobs int
	sum  *Summary
	prog *progress

	signer note.Signer
	vkey   string
	// published is the index the publish stage wrote.
	published *site.Index
}

func (b *builder) stage(name string, fn func(st *StageSummary) error) error {
	st := StageSummary{Name: name}
	b.prog.begin(name)
	t0 := time.Now()
	err := fn(&st)
	st.Duration = time.Since(t0)
	b.prog.end(name, st)
	b.sum.Stages = append(b.sum.Stages, st)
	if err != nil {
		b.log.Error("stage failed", "stage", name, "err", err)
		return err
	}
	b.log.Info("stage done", "stage", name, "items", st.Items, "note", st.Note, "duration", st.Duration.Round(time.Millisecond))
	if b.opts.AfterStage != nil {
		if err := b.opts.AfterStage(name); err != nil {
			return fmt.Errorf("after stage %s: %w", name, err)
		}
	}
	return nil
}

func (b *builder) run(ctx context.Context) error {
	cfg := b.cfg
	// The key first: a build that cannot sign must fail before any work.
	if err := b.stage("key", func(st *StageSummary) error {
		s, err := site.LoadSigner(cfg.Key)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
		raw, _ := os.ReadFile(cfg.Key)
		vk, err := collect.VerifierKey(string(raw))
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrConfig, cfg.Key, err)
		}
		b.signer, b.vkey = s, vk
		st.Items = 1
		return nil
	}); err != nil {
		return err
	}
	in := &answer.Inputs{}
	var scan *collect.Scan
	if err := b.stage("composes", func(st *StageSummary) error {
		cache := resolve.Cache{Dir: filepath.Join(cfg.State, "composes")}
		var mu sync.Mutex
		cached := map[string]*resolve.Summary{}
		known := func(name, digest string) (string, int, bool) {
			sm, ok := cache.LoadSummary(name, digest)
			if !ok {
				return "", 0, false
			}
			mu.Lock()
			cached[name] = sm
			mu.Unlock()
			return sm.Doc.Date, sm.Doc.Respin, true
		}
		var err error
		scan, err = collect.Composes(ctx, cfg.Composes, b.jobs, known)
		if err != nil {
			return err
		}
		in.Skipped = scan.Skipped
		for _, e := range scan.Complete {
			s, ok := cached[e.Name]
			if ok && e.Compose == nil {
				b.sum.ComposesCached++
			} else {
				s = resolve.Summarize(e.Compose, e.Digest)
				s.Name = e.Name
				if err := cache.StoreSummary(s); err != nil {
					return err
				}
				b.sum.ComposesRead++
			}
			in.Composes = append(in.Composes, s)
		}
		st.Items = len(scan.Complete)
		for _, s := range scan.Skipped {
			b.log.Info("compose skipped", "compose", s.Name, "reason", s.Reason)
			b.sum.ComposesSkipped = append(b.sum.ComposesSkipped, s.Name+": "+s.Reason)
		}
		st.Note = fmt.Sprintf("%d complete, %d skipped", len(scan.Complete), len(scan.Skipped))
		return nil
	}); err != nil {
		return err
	}
	if err := b.stage("resolve", func(st *StageSummary) error {
		if len(scan.Complete) == 0 {
			st.Note = "no complete compose"
			return nil
		}
		newest := scan.Complete[len(scan.Complete)-1]
		digest := in.Composes[len(in.Composes)-1].Digest
		cache := resolve.Cache{Dir: filepath.Join(cfg.State, "composes")}
		if r, ok := cache.LoadResolved(newest.Name, digest); ok {
			in.Resolved, in.ResolvedCached = r, true
			st.Note = "cached " + r.ComposeID
		} else {
			c, err := newest.Open()
			if err != nil {
				return err
			}
			r, err := resolve.Resolve(ctx, c, digest, resolve.Options{Jobs: b.jobs, Progress: b.prog.add})
			if err != nil {
				return err
			}
			if err := cache.StoreResolved(newest.Name, r); err != nil {
				return err
			}
			in.Resolved = r
			st.Note = "resolved " + r.ComposeID
			b.sum.ComposesResolved++
		}
		st.Items = in.Resolved.Stats.BinaryPackages
		b.sum.Resolve = in.Resolved.Stats
		return nil
	}); err != nil {
		return err
	}
	if err := b.stage("feeds", func(st *StageSummary) error {
		f, cached, err := collect.ReadFeeds(cfg.Builds, cfg.Results, cfg.State)
		if err != nil {
			return err
		}
		in.Builds, in.Results = f.Builds, f.Results
		st.Items = len(in.Builds) + len(in.Results)
		st.Note = fmt.Sprintf("%d builds, %d test results", len(in.Builds), len(in.Results))
		if cached {
			st.Note += " (cached)"
		}
		return nil
	}); err != nil {
		return err
	}
	if cfg.DistGit != "" {
		if err := b.stage("distgit", func(st *StageSummary) error {
			stateDir := filepath.Join(cfg.State, "distgit")
			if b.opts.DryRun {
				// A dry run must not move the ref log: walk without state.
				stateDir = ""
			}
			res, err := distgit.Walk(ctx, cfg.DistGit, distgit.Options{Workers: b.jobs, State: stateDir, Now: b.opts.Now})
			if err != nil {
				return err
			}
			in.Repos, in.RepoErrors = res.Repos, res.Errors
			for _, e := range res.Errors {
				b.log.Warn("repository skipped", "repo", e.Repo, "err", e.Err)
			}
			// The ref log as it stands (a dry run reads it without moving it).
			if in.Log, err = distgit.ReadLog(filepath.Join(cfg.State, "distgit")); err != nil {
				return err
			}
			b.sum.ReposRead, b.sum.ReposUnchanged, b.sum.RepoErrors = res.Opened, res.Unchanged, len(res.Errors)
			st.Items = len(res.Repos)
			st.Note = fmt.Sprintf("%d read, %d unchanged, %d unreadable", res.Opened, res.Unchanged, len(res.Errors))
			return nil
		}); err != nil {
			return err
		}
	}
	files := map[string][]byte{}
	if cfg.Variants != "" {
		if err := b.stage("variants", func(st *StageSummary) error {
			f, err := variants.Open(cfg.Variants)
			if err != nil {
				return err
			}
			in.Variants = f
			out, cached, err := b.comps(ctx, f, scan)
			if err != nil {
				return err
			}
			in.Comps = out.Comps
			maps.Copy(files, out.Files)
			st.Items = len(f.Variants)
			st.Note = fmt.Sprintf("%d comps files, %d unresolved packages", len(out.Comps), out.Unresolved)
			if cached {
				st.Note += " (cached)"
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if cfg.Mirrors != "" {
		if err := b.stage("mirrors", func(st *StageSummary) error {
			list, err := collect.ReadMirrorList(cfg.Mirrors)
			if err != nil {
				return err
			}
			vs, err := site.NewVerifiers(b.vkey)
			if err != nil {
				return err
			}
			in.Mirrors = collect.ReadMirrors(ctx, list, filepath.Dir(cfg.Mirrors), vs, b.opts.MirrorTimeout)
			unknown := 0
			for _, m := range in.Mirrors {
				if m.Err != nil {
					unknown++
					b.log.Info("mirror unknown", "mirror", m.Mirror, "err", m.Err)
				}
			}
			st.Items = len(in.Mirrors)
			st.Note = fmt.Sprintf("%d known, %d unknown", len(in.Mirrors)-unknown, unknown)
			return nil
		}); err != nil {
			return err
		}
	}
	var set answer.Set
	cache := answer.LoadCache(cfg.State)
	if err := b.stage("render", func(st *StageSummary) error {
		var stats answer.Stats
		var err error
		set, stats, err = answer.Render(ctx, in, cache, b.jobs)
		if err != nil {
			return err
		}
		b.sum.Answers = map[string]int{}
		for k, docs := range set {
			b.sum.Answers[k] = len(docs)
			st.Items += len(docs)
		}
		b.sum.Rendered, b.sum.Reused = stats.Rendered, stats.Reused
		st.Note = fmt.Sprintf("%d rendered, %d reused", stats.Rendered, stats.Reused)
		return nil
	}); err != nil {
		return err
	}
	digests := answer.Digest(set, b.jobs)
	ch := cache.DiffDigests(set, digests)
	b.sum.Changes = ch
	if b.opts.DryRun {
		b.log.Info("dry run: nothing published", "changes", ch.Total())
		return nil
	}
	if err := b.stage("publish", func(st *StageSummary) error {
		model := site.Model{Answers: map[string]map[string][]byte(set), Files: files, Digest: digests.Of}
		publish := b.opts.Publish
		if publish == nil {
			publish = site.Publish
		}
		res, err := publish(ctx, cfg.Out, model, b.signer, site.PublishOptions{
			Now: b.opts.Now, Origin: cfg.Origin, Validity: cfg.Expires, Concurrency: b.jobs})
		if err != nil {
			return err
		}
		b.sum.Serial = res.Index.Serial
		b.published = res.Index
		b.sum.ObjectsWritten, b.sum.ObjectsKept, b.sum.BytesWritten = res.ObjectsWritten, res.ObjectsKept, res.BytesWritten
		st.Items = res.ObjectsWritten + res.ObjectsKept
		st.Note = fmt.Sprintf("serial %d: %d written, %d kept, %s", res.Index.Serial, res.ObjectsWritten, res.ObjectsKept, pages.HumanSize(res.BytesWritten))
		return nil
	}); err != nil {
		return err
	}
	// The HTML pages are for people: written beside the signed store
	// after its index, not listed in its manifests (the root manifest
	// every client fetches stays small).
	if err := b.stage("pages", func(st *StageSummary) error {
		return b.pages(ctx, set, digests, st)
	}); err != nil {
		return err
	}
	if err := b.stage("gc", func(st *StageSummary) error {
		if b.opts.Publish != nil {
			st.Note = "skipped: publisher replaced"
			return nil
		}
		res, err := site.GC(cfg.Out, site.GCOptions{Keep: cfg.Keep, OlderThan: cfg.Expires, Now: b.opts.Now})
		if err != nil {
			return err
		}
		st.Items = len(res.Removed)
		b.sum.GCRemoved = len(res.Removed)
		return nil
	}); err != nil {
		return err
	}
	return b.stage("state", func(st *StageSummary) error {
		st.Items = ch.Total()
		return cache.SaveDigests(cfg.State, set, digests)
	})
}

// compsOutput is what the variants stage makes of compsgen's run: the
// comps answers by variant and the comps files published (site path ->
// content). It is cached in the state, keyed by its inputs.
type compsOutput struct {
	Comps      map[string]answer.Comps
	Files      map[string][]byte
	Unresolved int
}

// compsCacheVersion names the layout of compsOutput in its cache key.
const compsCacheVersion = "distmeta-comps-cache/1"

// compsKey digests what compsgen reads: the variants file, the plain comps
// file it names, and the composes (each complete one by its digest, which
// pins its repodata; the skipped ones by name and reason).
func compsKey(f *variants.File, scan *collect.Scan) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", compsCacheVersion)
	for _, p := range []string{f.Name, f.CompsPath()} {
		if p == "" {
			fmt.Fprintf(h, "none\n")
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return "", fmt.Errorf("variants: %w", err)
		}
		fmt.Fprintf(h, "%q %x\n", p, sha256.Sum256(data))
	}
	for _, e := range scan.Complete {
		fmt.Fprintf(h, "complete %q %q %q\n", e.Name, e.Dir, e.Digest)
	}
	for _, sk := range scan.Skipped {
		fmt.Fprintf(h, "skipped %q %q\n", sk.Name, sk.Reason)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// comps runs compsgen (comps/<variant>.xml(.gz) and the variant
// answers), or reuses its output when its inputs did not change.
func (b *builder) comps(ctx context.Context, f *variants.File, scan *collect.Scan) (*compsOutput, bool, error) {
	cfg := b.cfg
	key, err := compsKey(f, scan)
	if err != nil {
		return nil, false, err
	}
	cachePath := filepath.Join(cfg.State, "comps.gob.zst")
	var out compsOutput
	if gobcache.Load(cachePath, key, &out) {
		return &out, true, nil
	}
	// Written to a scratch folder of the state and published as plain
	// files.
	tmp := filepath.Join(cfg.State, "comps")
	if err := os.RemoveAll(tmp); err != nil {
		return nil, false, err
	}
	rep, err := compsgen.Run(ctx, compsgen.Options{Variants: cfg.Variants, Composes: cfg.Composes, Out: tmp, Jobs: b.jobs})
	if err != nil {
		return nil, false, err
	}
	out = compsOutput{Comps: map[string]answer.Comps{}, Files: map[string][]byte{}, Unresolved: rep.Unresolved()}
	for _, a := range rep.Variants {
		gz := compsgen.CompsPath(a.Variant)
		plain := strings.TrimSuffix(gz, ".gz")
		c := answer.Comps{Path: plain, GzPath: gz}
		for _, p := range []string{plain, gz} {
			data, err := os.ReadFile(filepath.Join(tmp, filepath.FromSlash(p)))
			if err != nil {
				return nil, false, fmt.Errorf("comps of variant %s: %w", a.Variant, err)
			}
			out.Files[p] = data
		}
		if c.Answer, err = compsgen.MarshalAnswer(a); err != nil {
			return nil, false, err
		}
		out.Comps[a.Variant] = c
	}
	if b.opts.DryRun {
		return &out, false, nil
	}
	if err := gobcache.Store(cachePath, key, &out); err != nil {
		return nil, false, fmt.Errorf("comps cache: %w", err)
	}
	return &out, false, nil
}

// pagesState is the file of the state folder that records what the pages
// stage rendered (generator/pages.State).
const pagesState = "pages.gob.zst"

// pages renders the HTML pages into cfg.Out/www: only those whose inputs
// changed since the last run (the state records what each page read),
// writing only the files whose content changed and removing those no
// longer rendered. The state is saved after the files are written: a run
// that stops before leaves the previous state, whose pages are rendered
// again.
func (b *builder) pages(ctx context.Context, set answer.Set, digests answer.Digests, st *StageSummary) error {
	dir := filepath.Join(b.cfg.Out, site.PagesTree)
	statePath := filepath.Join(b.cfg.State, pagesState)
	var prev *pages.State
	if s := new(pages.State); gobcache.Load(statePath, pages.StateVersion, s) {
		prev = s
	}
	onDisk, err := listTree(dir)
	if err != nil {
		return err
	}
	// Files are written as they are rendered: a full site is never held
	// in memory. A page missing from disk, or there at another size than
	// written (damaged), is rendered and written again.
	known := prev.Files()
	listed := prev.Listing()
	present := func(p string) bool {
		size, ok := onDisk[p]
		f, was := listed[p]
		return ok && (!was || f.Size == size)
	}
	var written atomic.Int64
	sink := func(p string, data []byte) error {
		w, err := syncFile(dir, p, data, known, onDisk)
		if w {
			written.Add(1)
		}
		return err
	}
	res, err := pages.Update(ctx, map[string]map[string][]byte(set), pages.Options{Jobs: b.jobs, Digest: digests.Of,
		Present: present, Sink: sink}, prev)
	if err != nil {
		return err
	}
	files := res.State.Files()
	keep := make(map[string]bool, len(files))
	for p := range files {
		keep[p] = true
	}
	removed, err := removeStale(dir, onDisk, keep)
	if err != nil {
		return err
	}
	// The signed listing of the pages, for the index just published:
	// distmeta verify checks www/ against it.
	if b.published != nil {
		listing := map[string]site.Ref{}
		for p, f := range res.State.Listing() {
			listing[p] = site.Ref{Digest: site.Digest(f.Sum), Size: f.Size}
		}
		if err := site.WriteTree(b.cfg.Out, site.PagesTree, listing, b.signer, b.published.Origin, b.published.Serial); err != nil {
			return err
		}
	}
	if err := gobcache.Store(statePath, pages.StateVersion, res.State); err != nil {
		return fmt.Errorf("pages: state: %w", err)
	}
	st.Items = len(files)
	st.Note = fmt.Sprintf("%d of %d pages rendered, %d files written, %d removed", res.Rendered, res.Units, written.Load(), removed)
	return nil
}

// sortedKinds returns the kinds of a count map, sorted.
func sortedKinds(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
