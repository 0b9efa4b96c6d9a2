package pages

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io"
	"runtime"
	"sort"
	"strconv"
	"sync"

	"github.com/distmeta/distmeta/internal/gobcache"
	"github.com/distmeta/distmeta/internal/markdown"
	"github.com/distmeta/distmeta/site/answers"
	"github.com/distmeta/distmeta/templates"
	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/errgroup"
)

// Options tune Render. The zero value is usable.
type Options struct {
	// Jobs bounds the pages rendered at once (0: GOMAXPROCS).
	Jobs int
	// Title names the site (default "distmeta").
	Title string
	// Intro is Markdown shown at the top of index.html.
	Intro []byte
	// InlineCap caps the long lists a page shows inline (reverse
	// dependencies): the rest is on paginated pages (default 50).
	InlineCap int
	// PageSize is the number of names per list page (default 1000).
	PageSize int
	// Gzip adds, for every file, its gzip copy at path+".gz"
	// (deterministic: no name, no time).
	Gzip bool
	// Digest, when set, returns the digest of the document (kind, key)
	// (the SHA-256 of its bytes, as a caller that already computed them
	// knows): Update compares them with those of its State. nil hashes
	// the documents.
	Digest func(kind, key string) [32]byte
	// Present, when set, tells whether a file of the previous State is
	// still on disk; Update renders again a unit with a missing file.
	Present func(path string) bool
	// Sink, when set, receives every file Update renders, as soon as it
	// is rendered (from several goroutines at once), instead of
	// Result.Files: a full site is then never held in memory. An error
	// from Sink stops Update.
	Sink func(path string, data []byte) error
}

// Render renders the site from answer documents (kind -> key -> JSON, as
// generator/answer renders them) and returns its files by path under www/
// ("index.html", "src/bash.html", "assets/style.css", ...). The same
// documents always give the same bytes.
func Render(ctx context.Context, docs map[string]map[string][]byte, opts Options) (map[string][]byte, error) {
	res, err := Update(ctx, docs, opts, nil)
	if err != nil {
		return nil, err
	}
	return res.Files, nil
}

// Update renders the site like Render, but only the units (a page and the
// pages it owns) whose inputs changed since prev, the State of the
// previous run (nil: render everything). A unit is rendered again when a
// document it read changed, when the set of answers of a kind it links to
// or lists changed, when it is new, or when opts.Present says one of its
// files is missing. Applying the Result to the files of prev gives
// exactly what Render gives.
func Update(ctx context.Context, docs map[string]map[string][]byte, opts Options, prev *State) (*Result, error) {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.GOMAXPROCS(0)
	}
	if opts.Title == "" {
		opts.Title = "distmeta"
	}
	if opts.InlineCap <= 0 {
		opts.InlineCap = 50
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 1000
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	w, err := newWorld(docs)
	if err != nil {
		return nil, err
	}
	r := &renderer{w: w, opts: opts, tmpl: tmpl}
	if len(opts.Intro) > 0 {
		var b bytes.Buffer
		if err := markdown.New(markdown.Options{HeadingOffset: 1}).Convert(opts.Intro, &b); err != nil {
			return nil, fmt.Errorf("pages: intro: %w", err)
		}
		// The converter drops raw HTML and dangerous links.
		r.intro = template.HTML(b.String())
	}
	config, ok := configDigest(opts)
	if !ok || prev == nil || prev.Config != config {
		prev = &State{}
	}
	return r.update(ctx, prev, config, newDigester(docs, opts.Digest))
}

// configDigest is the digest of what the pages depend on besides the
// answers: the options and the program (its page code, templates and
// assets). ok is false when the program cannot be read.
func configDigest(opts Options) ([32]byte, bool) {
	prog, ok := gobcache.ProgramDigest()
	h := sha256.New()
	for _, s := range []string{StateVersion, opts.Title, string(opts.Intro), strconv.Itoa(opts.InlineCap), strconv.Itoa(opts.PageSize), strconv.FormatBool(opts.Gzip)} {
		writeLen(h, len(s))
		io.WriteString(h, s)
	}
	h.Write(prog[:])
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, ok
}

var parseOnce sync.Once

var parsed struct {
	t   *template.Template
	err error
}

func parseTemplates() (*template.Template, error) {
	// Parsed once per process; Execute on a parsed html/template is safe
	// for concurrent use.
	parseOnce.Do(func() { parsed.t, parsed.err = templates.Parse(funcs) })
	return parsed.t, parsed.err
}

type renderer struct {
	w     *world
	opts  Options
	tmpl  *template.Template
	intro template.HTML
}

// outPage is a page to execute: its path and its data.
type outPage struct {
	path string
	page *page
}

// unit is a page and the pages it owns (or other files), rendered as one:
// run records in d what it reads.
type unit struct {
	id  string
	run func(d *deps) ([]file, error)
}

func (r *renderer) pagesUnit(id string, fn func(d *deps) ([]outPage, error)) unit {
	return unit{id: id, run: func(d *deps) ([]file, error) {
		ps, err := fn(d)
		if err != nil {
			return nil, err
		}
		return r.exec(ps)
	}}
}

func (r *renderer) units() []unit {
	w := r.w
	var us []unit
	us = append(us, r.pagesUnit("index", r.indexPage))
	for _, n := range w.names[answers.KindSource] {
		us = append(us, r.pagesUnit("src/"+n, func(d *deps) ([]outPage, error) { return r.srcPage(d, n) }))
	}
	for _, n := range w.names[answers.KindPackage] {
		us = append(us, r.pagesUnit("pkg/"+n, func(d *deps) ([]outPage, error) { return r.pkgPage(d, n) }))
	}
	for _, k := range w.names[answers.KindModule] {
		us = append(us, r.pagesUnit("mod/"+k, func(d *deps) ([]outPage, error) { return r.modPage(d, k) }))
	}
	for i, c := range w.composes {
		us = append(us, r.pagesUnit("compose/"+c.ID, func(d *deps) ([]outPage, error) { return r.composePage(d, i) }))
	}
	for i, v := range w.variants {
		us = append(us, r.pagesUnit("variant/"+v.ID, func(d *deps) ([]outPage, error) { return r.variantPage(d, i) }))
	}
	lists := []struct {
		kind, what string
		mk         func(c ctx, n string) link
	}{
		{answers.KindSource, "source components", func(c ctx, n string) link { return c.src(n) }},
		{answers.KindPackage, "binary packages", func(c ctx, n string) link { return c.pkg(n) }},
		{answers.KindModule, "module streams", func(c ctx, n string) link { return c.mod(n) }},
	}
	for _, l := range lists {
		us = append(us, r.pagesUnit("list/"+l.kind, func(d *deps) ([]outPage, error) {
			return r.listPages(d, l.kind, l.what, w.keys(d, l.kind), l.mk), nil
		}))
	}
	us = append(us, unit{id: "search", run: func(d *deps) ([]file, error) {
		si, err := r.searchIndex(d)
		if err != nil {
			return nil, err
		}
		return r.withGzip([]file{{searchIndexPath, si}})
	}})
	us = append(us, unit{id: "assets", run: func(d *deps) ([]file, error) {
		assets, err := templates.Assets()
		if err != nil {
			return nil, err
		}
		var fs []file
		for _, p := range sortedKeys(assets) {
			fs = append(fs, file{p, assets[p]})
		}
		return r.withGzip(fs)
	}})
	return us
}

type file struct {
	path string
	data []byte
}

// exec executes the templates of pages.
func (r *renderer) exec(ps []outPage) ([]file, error) {
	var buf bytes.Buffer
	out := make([]file, 0, len(ps))
	for _, op := range ps {
		op.page.SiteTitle = r.opts.Title
		op.page.Search = true
		buf.Reset()
		if err := r.tmpl.ExecuteTemplate(&buf, op.page.Kind, op.page); err != nil {
			return nil, fmt.Errorf("pages: %s: %w", op.path, err)
		}
		out = append(out, file{op.path, bytes.Clone(buf.Bytes())})
	}
	return r.withGzip(out)
}

// withGzip adds, with Options.Gzip, the gzip copy of every file that is
// not one already.
func (r *renderer) withGzip(fs []file) ([]file, error) {
	if !r.opts.Gzip {
		return fs, nil
	}
	out := make([]file, 0, 2*len(fs))
	for _, f := range fs {
		out = append(out, f)
		if isGz(f.path) {
			continue
		}
		z, err := gzipBytes(f.data)
		if err != nil {
			return nil, fmt.Errorf("pages: %s: %w", f.path, err)
		}
		out = append(out, file{f.path + ".gz", z})
	}
	return out, nil
}

// rendered is what one unit made this run: its files (their content
// dropped once handed to Options.Sink) and what it read.
type rendered struct {
	files []file
	sums  [][32]byte
	sizes []int64
	deps  []string
}

func (r *renderer) update(ctx context.Context, prev *State, config [32]byte, dg *digester) (*Result, error) {
	us := r.units()
	prevUnits := make(map[string]*UnitState, len(prev.Units))
	for i := range prev.Units {
		prevUnits[prev.Units[i].ID] = &prev.Units[i]
	}
	// Which inputs of the previous run changed, each checked once.
	changed := make([]int8, len(prev.Deps)) // 0 unknown, 1 same, 2 changed
	depChanged := func(i int32) bool {
		if changed[i] == 0 {
			changed[i] = 1
			if dg.sum(prev.Deps[i]) != prev.DepSums[i] {
				changed[i] = 2
			}
		}
		return changed[i] == 2
	}
	if err := r.warmDigests(ctx, prev, dg); err != nil {
		return nil, err
	}
	var todo []int
	seen := make(map[string]bool, len(us))
	for i, u := range us {
		if seen[u.id] {
			return nil, fmt.Errorf("pages: two pages for %s", u.id)
		}
		seen[u.id] = true
		pu, ok := prevUnits[u.id]
		dirty := !ok
		for _, di := range pu.depsOrNil() {
			if dirty {
				break
			}
			dirty = int(di) >= len(prev.Deps) || depChanged(di)
		}
		if !dirty && r.opts.Present != nil {
			for _, f := range pu.Files {
				if !r.opts.Present(f.Path) {
					dirty = true
					break
				}
			}
		}
		if dirty {
			todo = append(todo, i)
		}
	}
	for _, i := range todo {
		if us[i].id == "index" {
			// It reads every source and status answer: summarize those
			// that changed, concurrently, first.
			if err := r.prepareIndex(ctx, prev.Index, dg); err != nil {
				return nil, err
			}
		}
	}
	results := make([]rendered, len(todo))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Jobs)
	const chunk = 32
	for lo := 0; lo < len(todo); lo += chunk {
		hi := min(lo+chunk, len(todo))
		g.Go(func() error {
			for j := lo; j < hi; j++ {
				if err := gctx.Err(); err != nil {
					return err
				}
				var d deps
				fs, err := us[todo[j]].run(&d)
				if err != nil {
					return err
				}
				rd := rendered{files: fs, sums: make([][32]byte, len(fs)), sizes: make([]int64, len(fs)), deps: d.ids()}
				for k, f := range fs {
					rd.sums[k], rd.sizes[k] = sha256.Sum256(f.data), int64(len(f.data))
					if r.opts.Sink != nil {
						if err := r.opts.Sink(f.path, f.data); err != nil {
							return err
						}
						fs[k].data = nil
					}
				}
				results[j] = rd
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	// The new state: the previous record of every reused unit, the new
	// one of every rendered unit.
	res := &Result{Files: map[string][]byte{}, Units: len(us), Rendered: len(todo)}
	st := &State{Config: config}
	depIndex := map[string]int32{}
	depOf := func(id string) int32 {
		i, ok := depIndex[id]
		if !ok {
			i = int32(len(st.Deps))
			depIndex[id] = i
			st.Deps = append(st.Deps, id)
			st.DepSums = append(st.DepSums, dg.sum(id))
		}
		return i
	}
	st.Units = make([]UnitState, len(us))
	next := 0
	for i, u := range us {
		rec := UnitState{ID: u.id}
		if next < len(todo) && todo[next] == i {
			rd := results[next]
			next++
			res.Updated = append(res.Updated, u.id)
			for _, id := range rd.deps {
				rec.Deps = append(rec.Deps, depOf(id))
			}
			for k, f := range rd.files {
				if r.opts.Sink == nil {
					if _, dup := res.Files[f.path]; dup {
						return nil, fmt.Errorf("pages: two pages at %s", f.path)
					}
					res.Files[f.path] = f.data
				}
				rec.Files = append(rec.Files, FileSum{Path: f.path, Sum: rd.sums[k], Size: rd.sizes[k]})
			}
		} else {
			pu := prevUnits[u.id]
			for _, di := range pu.Deps {
				rec.Deps = append(rec.Deps, depOf(prev.Deps[di]))
			}
			rec.Files = pu.Files
		}
		st.Units[i] = rec
	}
	sort.Slice(st.Units, func(i, j int) bool { return st.Units[i].ID < st.Units[j].ID })
	now := map[string]bool{}
	for _, u := range st.Units {
		for _, f := range u.Files {
			if now[f.Path] {
				return nil, fmt.Errorf("pages: two pages at %s", f.Path)
			}
			now[f.Path] = true
		}
	}
	for p := range prev.Files() {
		if !now[p] {
			res.Remove = append(res.Remove, p)
		}
	}
	sort.Strings(res.Remove)
	sort.Strings(res.Updated)
	if r.w.index != nil {
		for _, is := range r.w.index {
			st.Index = append(st.Index, *is)
		}
	} else {
		st.Index = prev.Index
	}
	res.State = st
	return res, nil
}

func (u *UnitState) depsOrNil() []int32 {
	if u == nil {
		return nil
	}
	return u.Deps
}

// warmDigests computes the digests of the previous inputs concurrently
// (hashing the documents is most of the cost of finding what changed).
func (r *renderer) warmDigests(ctx context.Context, prev *State, dg *digester) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Jobs)
	const chunk = 1024
	for lo := 0; lo < len(prev.Deps); lo += chunk {
		ids := prev.Deps[lo:min(lo+chunk, len(prev.Deps))]
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for _, id := range ids {
				dg.sum(id)
			}
			return nil
		})
	}
	return g.Wait()
}

func isGz(p string) bool { return len(p) > 3 && p[len(p)-3:] == ".gz" }

// gzipBytes compresses deterministically (no name, no time).
func gzipBytes(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Paths returns the paths of a rendered site, sorted (for tests and
// listings).
func Paths(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for p := range files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
