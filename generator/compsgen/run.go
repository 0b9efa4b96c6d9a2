package compsgen

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/productmd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/variants"
)

// Options configures Run.
type Options struct {
	Variants string // the variants file
	Composes string // the composes root (pungi compose folders)
	// Out is the folder that receives comps/<variant>.xml, .xml.gz and
	// .json; "" writes nothing.
	Out string
	// Jobs bounds how many repositories are read at a time (0: GOMAXPROCS).
	Jobs int
}

// Report is the outcome of Run: one answer per variant, in the order of
// the variants file.
type Report struct {
	Variants []*Answer `json:"variants"`
}

// Unresolved returns how many unresolved packages the answers hold.
func (r *Report) Unresolved() int {
	n := 0
	for _, a := range r.Variants {
		n += len(a.Unresolved)
	}
	return n
}

// Run generates and checks the comps of every variant of the variants file
// against the newest complete compose that has the variant, and writes the
// results under opts.Out. Unresolved packages are reported in the answers,
// not as errors; errors are problems with the inputs (a malformed variants
// file, an unknown group or module stream, an unreadable compose).
func Run(ctx context.Context, opts Options) (*Report, error) {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	vf, err := variants.Open(opts.Variants)
	if err != nil {
		return nil, err
	}
	var plain *comps.Comps
	plainFile := vf.CompsPath()
	if plainFile != "" {
		if plain, err = comps.Open(plainFile); err != nil {
			return nil, &variants.Error{File: vf.Name, Line: vf.CompsLine, Err: err}
		}
	}
	complete, err := completeComposes(ctx, opts.Composes, jobs)
	if err != nil {
		return nil, err
	}

	// Choose each variant's compose, then read what is needed: the
	// modules of every repository of those composes (the catalogue module
	// entries are looked up in) and the packages of the variants' own
	// repositories.
	type plan struct {
		compose *productmd.Compose // nil: no complete compose has the variant
		catalog *productmd.Compose // where module streams are looked up
		missing string
	}
	plans := make([]plan, len(vf.Variants))
	var loads []repoKey
	at := map[string]int{}
	need := func(k repoKey) {
		if i, ok := at[k.id()]; ok {
			loads[i].packages = loads[i].packages || k.packages
			return
		}
		at[k.id()] = len(loads)
		loads = append(loads, k)
	}
	for i, v := range vf.Variants {
		p := plan{}
		for _, c := range complete {
			if composeVariant(c, v.ID) != nil {
				p.compose = c
				break
			}
		}
		switch {
		case p.compose != nil:
			p.catalog = p.compose
		case len(complete) > 0:
			p.catalog = complete[0]
			p.missing = fmt.Sprintf("no complete compose in %s has variant %s", opts.Composes, v.ID)
		default:
			p.missing = fmt.Sprintf("no complete compose in %s", opts.Composes)
		}
		plans[i] = p
		if p.catalog != nil {
			for _, uid := range p.catalog.Info.VariantUIDs() {
				for _, arch := range p.catalog.Info.Variants[uid].Arches {
					need(repoKey{compose: p.catalog, variant: uid, arch: arch})
				}
			}
		}
		if p.compose != nil {
			cv := composeVariant(p.compose, v.ID)
			for _, arch := range cv.Arches {
				need(repoKey{compose: p.compose, variant: cv.UID, arch: arch, packages: true})
			}
		}
	}
	repos, err := loadRepos(ctx, loads, jobs)
	if err != nil {
		return nil, err
	}
	catalogs := map[*productmd.Compose]*modulemd.Index{}
	for _, k := range loads {
		idx := catalogs[k.compose]
		if idx == nil {
			idx = modulemd.NewIndex()
			catalogs[k.compose] = idx
		}
		mergeIndex(idx, repos[k.id()].Modules)
	}

	rep := &Report{}
	var outputs []output
	for i := range vf.Variants {
		v := &vf.Variants[i]
		p := plans[i]
		in := Input{File: vf.Name, Variant: v, Plain: plain, PlainFile: plainFile}
		if p.catalog != nil {
			in.Modules, in.ModulesFrom = catalogs[p.catalog], "compose "+p.catalog.ID
		}
		res, err := Generate(in)
		if err != nil {
			return nil, err
		}
		t := &Target{Missing: p.missing}
		if p.compose != nil {
			t.Compose = p.compose.ID
			cv := composeVariant(p.compose, v.ID)
			for _, arch := range cv.Arches {
				t.Repos = append(t.Repos, *repos[repoKey{compose: p.compose, variant: cv.UID, arch: arch}.id()])
			}
			sort.Slice(t.Repos, func(i, j int) bool { return t.Repos[i].Arch < t.Repos[j].Arch })
		}
		a := NewAnswer(v.Name, res, t, Check(res, t))
		rep.Variants = append(rep.Variants, a)
		outputs = append(outputs, output{res: res, answer: a})
	}
	if opts.Out != "" {
		for _, o := range outputs {
			if err := writeVariant(opts.Out, o.res, o.answer); err != nil {
				return nil, err
			}
		}
	}
	return rep, nil
}

type output struct {
	res    *Result
	answer *Answer
}

// completeComposes returns the complete composes of root, newest first
// (by compose date, then respin, then id).
func completeComposes(ctx context.Context, root string, jobs int) ([]*productmd.Compose, error) {
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("composes: %w", err)
	}
	entries, err := productmd.ScanComposes(ctx, root, jobs)
	if err != nil {
		return nil, err
	}
	var out []*productmd.Compose
	for _, e := range entries {
		if e.State == productmd.Complete && e.Compose != nil && e.Compose.Info != nil {
			out = append(out, e.Compose)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Info.Compose, out[j].Info.Compose
		if a.Date != b.Date {
			return a.Date > b.Date
		}
		if a.Respin != b.Respin {
			return a.Respin > b.Respin
		}
		return out[i].ID > out[j].ID
	})
	return out, nil
}

// composeVariant returns the compose's variant whose uid (or id) is id.
func composeVariant(c *productmd.Compose, id string) *productmd.Variant {
	if v := c.Info.Variants[id]; v != nil {
		return v
	}
	for _, uid := range c.Info.VariantUIDs() {
		if v := c.Info.Variants[uid]; v.ID == id {
			return v
		}
	}
	return nil
}

type repoKey struct {
	compose  *productmd.Compose
	variant  string
	arch     string
	packages bool // read primary.xml too, not only modules.yaml
}

func (k repoKey) id() string { return k.compose.ID + "\x00" + k.variant + "\x00" + k.arch }

// loadRepos reads the repositories, at most jobs at a time.
func loadRepos(ctx context.Context, keys []repoKey, jobs int) (map[string]*Repo, error) {
	var mu sync.Mutex
	out := make(map[string]*Repo, len(keys))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for _, k := range keys {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			r, err := loadRepo(k)
			if err != nil {
				return err
			}
			mu.Lock()
			out[k.id()] = r
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func loadRepo(k repoKey) (*Repo, error) {
	dir, err := k.compose.RepoPath(k.variant, k.arch)
	if err != nil {
		return nil, fmt.Errorf("compose %s: %w", k.compose.ID, err)
	}
	repo, err := repodata.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("compose %s: variant %s.%s: %w", k.compose.ID, k.variant, k.arch, err)
	}
	r := &Repo{Arch: k.arch}
	data, err := repo.Modules()
	switch {
	case errors.Is(err, repodata.ErrNoData):
	case err != nil:
		return nil, fmt.Errorf("compose %s: variant %s.%s: %w", k.compose.ID, k.variant, k.arch, err)
	default:
		idx, err := modulemd.ReadAll(bytes.NewReader(data), filepath.Join(dir, "repodata", "modules.yaml"))
		if err != nil {
			return nil, fmt.Errorf("compose %s: %w", k.compose.ID, err)
		}
		r.Modules = idx
	}
	if k.packages {
		if r.Packages, err = repo.Packages(false); err != nil {
			return nil, fmt.Errorf("compose %s: variant %s.%s: %w", k.compose.ID, k.variant, k.arch, err)
		}
	}
	return r, nil
}

// mergeIndex adds the streams and defaults of src to dst.
func mergeIndex(dst, src *modulemd.Index) {
	if src == nil {
		return
	}
	for _, name := range src.ModuleNames() {
		m := src.Modules[name]
		dst.Add(&modulemd.Document{Kind: modulemd.KindStream, Version: 2, Streams: m.Streams})
		if m.Defaults != nil && (dst.Modules[name] == nil || dst.Modules[name].Defaults == nil) {
			dst.Add(&modulemd.Document{Kind: modulemd.KindDefaults, Version: 1, Defaults: m.Defaults})
		}
	}
}

// Render returns the comps.xml of a result and its gzip form. The gzip
// stream carries no name and no modification time, so equal comps give
// equal bytes.
func Render(r *Result) (xml, gz []byte, err error) {
	var b bytes.Buffer
	if err := comps.Write(&b, r.Comps, comps.WriteOptions{}); err != nil {
		return nil, nil, fmt.Errorf("variant %s: %w", r.Variant, err)
	}
	var z bytes.Buffer
	zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if err != nil {
		return nil, nil, err
	}
	if _, err := zw.Write(b.Bytes()); err != nil {
		return nil, nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), z.Bytes(), nil
}

// MarshalAnswer encodes an answer as indented JSON with a final newline.
func MarshalAnswer(a *Answer) ([]byte, error) {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func writeVariant(out string, r *Result, a *Answer) error {
	dir := filepath.Join(out, "comps")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	xml, gz, err := Render(r)
	if err != nil {
		return err
	}
	js, err := MarshalAnswer(a)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{r.Variant + ".xml", xml}, {r.Variant + ".xml.gz", gz}, {r.Variant + ".json", js}} {
		if err := writeFile(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes data to a temporary file next to path and renames it.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
