package world

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/productmd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"golang.org/x/sync/errgroup"
)

// closure returns the packages reachable from roots through requirements,
// taking every provider by name (a superset of what a solver picks), so a
// variant's repository is closed under its dependencies.
func closure(all []*repodata.Package, roots []string) []*repodata.Package {
	byName := map[string][]int{}
	provides := map[string][]int{}
	for i, p := range all {
		byName[p.Name] = append(byName[p.Name], i)
		for _, d := range p.Provides {
			provides[d.Name] = append(provides[d.Name], i)
		}
		for _, f := range p.Files {
			provides[f.Path] = append(provides[f.Path], i)
		}
	}
	seen := make([]bool, len(all))
	var queue []int
	push := func(i int) {
		if !seen[i] {
			seen[i] = true
			queue = append(queue, i)
		}
	}
	for _, r := range roots {
		for _, i := range byName[r] {
			push(i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, d := range all[i].Requires {
			names := []string{d.Name}
			if strings.HasPrefix(d.Name, "(") {
				names = richNames(d.Name)
			}
			for _, n := range names {
				for _, j := range provides[n] {
					push(j)
				}
			}
		}
	}
	var out []*repodata.Package
	for i, p := range all {
		if seen[i] {
			out = append(out, p)
		}
	}
	return out
}

// sourcesOf keeps the source packages that built some of bins.
func sourcesOf(srcs, bins []*repodata.Package) []*repodata.Package {
	want := map[string]bool{}
	for _, b := range bins {
		want[b.SourceRPM] = true
	}
	var out []*repodata.Package
	for _, s := range srcs {
		if want[s.Name+"-"+s.EVR.Version+"-"+s.EVR.Release+".src.rpm"] {
			out = append(out, s)
		}
	}
	return out
}

func nevra(p *repodata.Package) string {
	return p.Name + "-" + epochOrZero(p.EVR.Epoch) + ":" + p.EVR.Version + "-" + p.EVR.Release + "." + p.Arch
}

// writeComposes writes every compose under dir/composes.
func (w *World) writeComposes(ctx context.Context, dir string, jobs int) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, jobs/2))
	for _, cp := range w.Composes {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			if err := w.writeCompose(filepath.Join(dir, "composes", cp.ID), cp); err != nil {
				return fmt.Errorf("compose %s: %w", cp.ID, err)
			}
			return nil
		})
	}
	return g.Wait()
}

func (w *World) writeCompose(dir string, cp *Compose) error {
	bins, srcs := w.ComposePackages(cp)
	ref := productmd.ComposeRef{Date: cp.Date.Format("20060102"), ID: cp.ID, Respin: cp.Respin, Type: "production"}
	info := &productmd.ComposeInfo{
		Compose:  ref,
		Release:  productmd.Release{Name: "Fedora", Short: "Fedora", Version: "40", Type: "ga"},
		Variants: map[string]*productmd.Variant{},
	}
	rpms := &productmd.RPMs{Compose: ref}
	mods := &productmd.Modules{Compose: ref, Modules: map[string]map[string]map[string]productmd.Module{}}
	images := &productmd.Images{Compose: ref, Images: map[string]map[string][]productmd.Image{}}
	var modStreams []*ModuleStream
	for _, m := range w.Modules {
		if !m.Built.After(cp.Date) {
			modStreams = append(modStreams, m)
		}
	}
	complete := cp.Status == "FINISHED" || cp.Status == "FINISHED_INCOMPLETE"
	for vi, vd := range w.variantDefs() {
		variant := vd.id
		vb, vs := bins, srcs
		vmods := modStreams
		if variant != "Everything" {
			vb = closure(bins, w.roots(vd))
			vs = sourcesOf(srcs, vb)
			vmods = nil
			for _, m := range w.variantModules(vd) {
				if !m.Built.After(cp.Date) {
					vmods = append(vmods, m)
				}
			}
		}
		info.Variants[variant] = &productmd.Variant{
			Arches: []string{"x86_64"}, ID: variant, Name: variant, Type: "variant", UID: variant,
			Paths: map[string]map[string]string{
				"os_tree":           {"x86_64": variant + "/x86_64/os"},
				"packages":          {"x86_64": variant + "/x86_64/os/Packages"},
				"repository":        {"x86_64": variant + "/x86_64/os"},
				"source_tree":       {"x86_64": variant + "/source/tree"},
				"source_repository": {"x86_64": variant + "/source/tree"},
			},
		}
		if !complete && vi > 0 {
			// A compose in progress or doomed got as far as its first variant.
			break
		}
		srpmOf := map[string]string{}
		for _, s := range vs {
			srpmOf[s.Name+"-"+s.EVR.Version+"-"+s.EVR.Release+".src.rpm"] = nevra(s)
		}
		for _, p := range vb {
			rpms.Add(variant, "x86_64", srpmOf[p.SourceRPM], nevra(p), productmd.RPMInfo{Category: "binary", Path: variant + "/x86_64/os/" + p.Location, Sigkey: "a15b79cc"})
		}
		for _, s := range vs {
			rpms.Add(variant, "x86_64", nevra(s), nevra(s), productmd.RPMInfo{Category: "source", Path: variant + "/source/tree/" + s.Location, Sigkey: "a15b79cc"})
		}
		var modYAML []byte
		if len(vmods) > 0 {
			var docs []any
			for _, m := range vmods {
				docs = append(docs, w.streamDoc(m, true))
			}
			docs = append(docs, w.moduleDefaults(vmods)...)
			var err error
			if modYAML, err = modulemd.Marshal(docs...); err != nil {
				return err
			}
			arch := map[string]productmd.Module{}
			for _, m := range vmods {
				sd := w.streamDoc(m, true)
				uid := m.NSVC()
				arch[uid] = productmd.Module{
					Metadata:     productmd.ModuleMetadata{Context: productmd.Version(m.Context), KojiTag: "module-" + m.Name + "-" + m.Stream + "-" + m.Version + "-" + m.Context, Name: m.Name, Stream: productmd.Version(m.Stream), UID: uid, Version: productmd.Version(m.Version)},
					ModulemdPath: map[string]string{"binary": variant + "/x86_64/os/repodata/modules.yaml.gz"},
					RPMs:         sd.Artifacts.RPMs,
				}
			}
			mods.Modules[variant] = map[string]map[string]productmd.Module{"x86_64": arch}
		}
		var compsXML []byte
		if variant == "Everything" {
			c := w.Comps()
			c.Intltool = false
			var b bytes.Buffer
			if err := comps.Write(&b, c, comps.WriteOptions{}); err != nil {
				return err
			}
			compsXML = b.Bytes()
		}
		opts := repodata.WriteOptions{Now: cp.Date, Modules: modYAML, Comps: compsXML}
		if _, err := repodata.WriteRepo(filepath.Join(dir, "compose", variant, "x86_64", "os"), vb, opts); err != nil {
			return err
		}
		if !complete {
			break
		}
		if _, err := repodata.WriteRepo(filepath.Join(dir, "compose", variant, "source", "tree"), vs, repodata.WriteOptions{Now: cp.Date}); err != nil {
			return err
		}
		if err := w.writeTreeInfo(filepath.Join(dir, "compose", variant, "x86_64", "os"), cp, variant); err != nil {
			return err
		}
		images.Images[variant] = map[string][]productmd.Image{"x86_64": w.images(cp, variant)}
	}
	if !complete {
		// Only what pungi writes first: STATUS and COMPOSE_ID.
		if err := os.WriteFile(filepath.Join(dir, "COMPOSE_ID"), []byte(cp.ID+"\n"), 0o644); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "STATUS"), []byte(cp.Status+"\n"), 0o644)
	}
	return productmd.WriteCompose(&productmd.Compose{Dir: dir, ID: cp.ID, Status: productmd.Status(cp.Status),
		Metadata: productmd.Metadata{Info: info, RPMs: rpms, Modules: mods, Images: images}})
}

// moduleDefaults makes a modulemd-defaults document per module: the
// newest stream is the default.
func (w *World) moduleDefaults(ms []*ModuleStream) []any {
	newest := map[string]string{}
	var names []string
	for _, m := range ms {
		if _, ok := newest[m.Name]; !ok {
			names = append(names, m.Name)
		}
		newest[m.Name] = m.Stream
	}
	sort.Strings(names)
	var out []any
	for _, n := range names {
		out = append(out, &modulemd.Defaults{Module: n, Stream: newest[n], Profiles: map[string][]string{newest[n]: {"default"}}})
	}
	return out
}

func (w *World) images(cp *Compose, variant string) []productmd.Image {
	kinds := []struct{ typ, format, sub string }{{"dvd", "iso", variant}, {"boot", "iso", variant}}
	if variant == "Everything" {
		kinds = []struct{ typ, format, sub string }{{"boot", "iso", "Everything"}, {"qcow2", "qcow2", "Cloud_Base"}}
	}
	var out []productmd.Image
	for _, k := range kinds {
		name := fmt.Sprintf("Fedora-%s-%s-x86_64-%s.%s", variant, k.typ, cp.ID[len("Fedora-40-"):], k.format)
		out = append(out, productmd.Image{
			Arch: "x86_64", Bootable: k.format == "iso", Checksums: map[string]string{"sha256": sha256Hex([]byte(name))},
			DiscCount: 1, DiscNumber: 1, Format: k.format, Mtime: cp.Date.Unix(), Path: variant + "/x86_64/iso/" + name,
			Size: int64(700_000_000 + len(name)*1_000_003), Subvariant: k.sub, Type: k.typ, VolumeID: productmd.NullString("Fedora-" + variant[:1] + "-40"),
		})
	}
	return out
}

func (w *World) writeTreeInfo(dir string, cp *Compose, variant string) error {
	ti := &productmd.TreeInfo{
		Header:  productmd.Header{Type: productmd.TypeTreeInfo, Version: "1.2"},
		Release: productmd.Release{Name: "Fedora", Short: "Fedora", Version: "40"},
		Tree:    productmd.Tree{Arch: "x86_64", BuildTimestamp: fmt.Sprint(cp.Date.Unix()), Platforms: []string{"x86_64"}, Variants: []string{variant}},
		Variants: map[string]productmd.TreeVariant{variant: {ID: variant, UID: variant, Name: variant, Type: "variant",
			Paths: map[string]string{"packages": "Packages", "repository": "."}}},
	}
	var b bytes.Buffer
	if err := productmd.WriteTreeInfo(&b, ti); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ".treeinfo"), b.Bytes(), 0o644)
}
