package pages

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"runtime"
	"sort"
	"sync"

	"github.com/distmeta/distmeta/internal/markdown"
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
}

// Render renders the site from answer documents (kind -> key -> JSON, as
// generator/answer renders them) and returns its files by path under www/
// ("index.html", "src/bash.html", "assets/style.css", ...). The same
// documents always give the same bytes.
func Render(ctx context.Context, docs map[string]map[string][]byte, opts Options) (map[string][]byte, error) {
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
	w, err := newWorld(ctx, docs, opts.Jobs)
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
	return r.render(ctx)
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

type job func() ([]outPage, error)

func (r *renderer) jobs() []job {
	var js []job
	js = append(js, r.indexPage)
	for _, n := range r.w.srcNames {
		js = append(js, func() ([]outPage, error) { return r.srcPage(n) })
	}
	for _, n := range r.w.pkgNames {
		js = append(js, func() ([]outPage, error) { return r.pkgPage(n) })
	}
	for _, k := range r.w.modKeys {
		js = append(js, func() ([]outPage, error) { return r.modPage(k) })
	}
	for _, d := range r.w.composes {
		js = append(js, func() ([]outPage, error) { return r.composePage(d) })
	}
	for _, d := range r.w.variants {
		js = append(js, func() ([]outPage, error) { return r.variantPage(d) })
	}
	js = append(js, func() ([]outPage, error) {
		out := r.listPages("src", "source components", r.w.srcNames, func(c ctx, n string) link { return c.src(n) })
		out = append(out, r.listPages("pkg", "binary packages", r.w.pkgNames, func(c ctx, n string) link { return c.pkg(n) })...)
		out = append(out, r.listPages("mod", "module streams", r.w.modKeys, func(c ctx, n string) link { return c.mod(n) })...)
		return out, nil
	})
	return js
}

type file struct {
	path string
	data []byte
}

func (r *renderer) render(ctx context.Context) (map[string][]byte, error) {
	js := r.jobs()
	results := make([][]file, len(js))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Jobs)
	const chunk = 32
	for lo := 0; lo < len(js); lo += chunk {
		hi := min(lo+chunk, len(js))
		g.Go(func() error {
			var buf bytes.Buffer
			for i := lo; i < hi; i++ {
				if err := gctx.Err(); err != nil {
					return err
				}
				pages, err := js[i]()
				if err != nil {
					return err
				}
				for _, op := range pages {
					op.page.SiteTitle = r.opts.Title
					op.page.Search = true
					buf.Reset()
					if err := r.tmpl.ExecuteTemplate(&buf, op.page.Kind, op.page); err != nil {
						return fmt.Errorf("pages: %s: %w", op.path, err)
					}
					b := bytes.Clone(buf.Bytes())
					results[i] = append(results[i], file{op.path, b})
					if r.opts.Gzip {
						z, err := gzipBytes(b)
						if err != nil {
							return fmt.Errorf("pages: %s: %w", op.path, err)
						}
						results[i] = append(results[i], file{op.path + ".gz", z})
					}
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	add := func(p string, b []byte) error {
		if _, dup := out[p]; dup {
			return fmt.Errorf("pages: two files at %s", p)
		}
		out[p] = b
		if r.opts.Gzip && !isGz(p) {
			z, err := gzipBytes(b)
			if err != nil {
				return err
			}
			out[p+".gz"] = z
		}
		return nil
	}
	for _, fs := range results {
		for _, f := range fs {
			if _, dup := out[f.path]; dup {
				return nil, fmt.Errorf("pages: two pages at %s", f.path)
			}
			out[f.path] = f.data
		}
	}
	assets, err := templates.Assets()
	if err != nil {
		return nil, err
	}
	for _, p := range sortedKeys(assets) {
		if err := add(p, assets[p]); err != nil {
			return nil, err
		}
	}
	si, err := r.searchIndex()
	if err != nil {
		return nil, err
	}
	if err := add(searchIndexPath, si); err != nil {
		return nil, err
	}
	return out, nil
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
