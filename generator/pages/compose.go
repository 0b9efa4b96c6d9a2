package pages

import (
	"github.com/distmeta/distmeta/site/answers"
)

type composeView struct {
	ID, Date, Type, Release string
	Link                    link
	Respin                  int
	Badge                   badge
	Latest                  bool
	Variants                []composeVariantRow
	Images                  []imageRow
	Older                   []link
	Skipped                 []answers.SkippedEntry
	Mirrors                 []mirrorRow
}

type composeVariantRow struct {
	ID                                      link
	Arches                                  string
	Binary, Source, Modules, Images, Broken int
	Resolved                                bool
}

type imageRow struct {
	Variant                        link
	Arch, Subvariant, Type, Format string
	Size                           string
	Bootable                       bool
	SHA256, Path                   string
}

type mirrorRow struct {
	URL     string
	Badge   badge
	Serial  uint64
	Compose link
	Created string
	Current bool
	Error   string
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

func (c ctx) composeView(d *answers.Compose, latestID string) *composeView {
	v := &composeView{ID: d.ID, Date: d.Date, Type: d.Type, Release: d.Release, Respin: d.Respin,
		Badge: composeBadge(d.Status), Latest: d.ID == latestID, Skipped: d.Skipped, Link: c.compose(d.ID)}
	for _, cv := range d.Variants {
		v.Variants = append(v.Variants, composeVariantRow{ID: c.variant(cv.ID), Arches: joinComma(cv.Arches), Binary: cv.Binary,
			Source: cv.Source, Modules: cv.Modules, Images: cv.Images, Broken: cv.Broken, Resolved: cv.Resolved})
	}
	for _, im := range d.Images {
		sum := im.SHA256
		if len(sum) > 16 {
			sum = sum[:16] + "…"
		}
		v.Images = append(v.Images, imageRow{Variant: c.variant(im.Variant), Arch: im.Arch, Subvariant: im.Subvariant, Type: im.Type,
			Format: im.Format, Size: HumanSize(im.Size), Bootable: im.Bootable, SHA256: sum, Path: im.Path})
	}
	for _, o := range d.Older {
		v.Older = append(v.Older, c.compose(o))
	}
	v.Mirrors = c.mirrorRows(latestID, d.ID)
	return v
}

// mirrorRows lists the mirrors; Current marks those serving compose id.
func (c ctx) mirrorRows(latestID, id string) []mirrorRow {
	mirrors := c.w.mirrorsDoc(c.d)
	if mirrors == nil {
		return nil
	}
	var out []mirrorRow
	for _, m := range mirrors.Mirrors {
		r := mirrorRow{URL: m.URL, Serial: m.Serial, Compose: c.compose(m.Compose), Created: fmtTime(m.Created), Error: m.Error,
			Current: m.Compose != "" && m.Compose == id}
		switch {
		case m.State != "ok":
			r.Badge = badge{Class: "muted", Icon: "?", Text: "unknown"}
		case m.Compose == latestID:
			r.Badge = badge{Class: "ok", Icon: "✓", Text: "current"}
		default:
			r.Badge = badge{Class: "warn", Icon: "…", Text: "behind"}
		}
		out = append(out, r)
	}
	return out
}

func (r *renderer) latestID(d *deps) string {
	if _, latest := r.w.composeList(d); latest != nil {
		return latest.ID
	}
	return ""
}

func (r *renderer) composePage(dp *deps, i int) ([]outPage, error) {
	list, latest := r.w.composeList(dp)
	d := list[i]
	p := ComposePath(d.ID)
	c := ctx{w: r.w, d: dp, root: rootOf(p)}
	v := c.composeView(d, r.latestID(dp))
	if v.Latest && latest != nil {
		v.Skipped = latest.Skipped
	}
	pg := &page{Kind: "compose", Title: d.ID, Subtitle: "compose", Root: c.root, Body: v}
	return []outPage{{p, pg}}, nil
}

type variantView struct {
	ID, Name    string
	Compose     link
	Counts      *composeVariantRow
	Modules     []link
	Groups      []string
	PackageSets []string
	Comps       string
	CompsGz     string
	Problems    []string
}

func (r *renderer) variantPage(dp *deps, i int) ([]outPage, error) {
	d := r.w.variantList(dp)[i]
	p := VariantPath(d.ID)
	c := ctx{w: r.w, d: dp, root: rootOf(p)}
	v := &variantView{ID: d.ID, Name: d.Name, Groups: d.Groups, PackageSets: d.PackageSets, Problems: d.Problems}
	if d.Compose != "" {
		v.Compose = c.compose(d.Compose)
	}
	for _, m := range d.Modules {
		ns, profile := m, ""
		for i := 0; i < len(m); i++ {
			if m[i] == '/' {
				ns, profile = m[:i], m[i:]
				break
			}
		}
		l := c.mod(ns)
		l.Text = ns + profile
		v.Modules = append(v.Modules, l)
	}
	// The well-known comps paths are relative to the site root, one level
	// above www/.
	if d.Comps != "" {
		v.Comps = href(c.root + "../" + d.Comps)
	}
	if d.CompsGz != "" {
		v.CompsGz = href(c.root + "../" + d.CompsGz)
	}
	if _, lt := r.w.composeList(dp); lt != nil {
		for _, cv := range lt.Variants {
			if cv.ID == d.ID {
				v.Counts = &composeVariantRow{Arches: joinComma(cv.Arches), Binary: cv.Binary, Source: cv.Source, Modules: cv.Modules,
					Images: cv.Images, Broken: cv.Broken, Resolved: cv.Resolved}
			}
		}
	}
	title := d.ID
	pg := &page{Kind: "variant", Title: title, Subtitle: "variant", Root: c.root, Body: v}
	return []outPage{{p, pg}}, nil
}
