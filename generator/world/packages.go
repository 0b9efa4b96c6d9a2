package world

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

// Epoch returns the component's epoch ("" when none).
func (w *World) Epoch(c *Component) string {
	for _, h := range hubs {
		if h.name == c.Name {
			return h.epoch
		}
	}
	return ""
}

// instantiate turns the component's binaries into packages at one EVR.
func (w *World) instantiate(c *Component, evr rpmver.EVR, buildTime time.Time, multilib bool) []*repodata.Package {
	var out []*repodata.Package
	srcNEVR := c.Name + "-" + evr.Version + "-" + evr.Release + ".src.rpm"
	for _, b := range c.Binaries {
		p := &repodata.Package{
			Name: b.Name, Arch: b.Arch, EVR: evr,
			Summary:     b.Summary,
			Description: b.Summary + ".",
			URL:         "https://" + strings.ToLower(c.Upstream) + ".example.org/",
			License:     c.License,
			Packager:    "Fedora Project",
			Vendor:      "Fedora Project",
			Group:       "Unspecified",
			BuildHost:   "buildvm-x86-01.example.org",
			SourceRPM:   srcNEVR,
			BuildTime:   buildTime.Unix(),
			FileTime:    buildTime.Unix(),
		}
		p.Provides = append(p.Provides, repodata.Dep{Name: b.Name, Flags: rpmver.EQ, EVR: evr})
		for _, d := range b.Provides {
			if strings.HasPrefix(d.Name, "/") {
				p.Files = append(p.Files, repodata.File{Path: d.Name})
				continue
			}
			p.Provides = append(p.Provides, fill(d, evr))
		}
		for _, f := range b.Files {
			p.Files = appendFile(p.Files, f)
		}
		p.Requires = fillAll(b.Requires, evr)
		p.Conflicts = fillAll(b.Conflicts, evr)
		p.Obsoletes = fillAll(b.Obsoletes, evr)
		p.Recommends = fillAll(b.Recommend, evr)
		sortFiles(p.Files)
		p.PackageSize = int64(20000 + 997*len(p.Requires) + 1500*len(p.Files))
		p.Installed = p.PackageSize * 3
		p.ArchiveSize = p.Installed + 512
		p.Location = packageLocation(p)
		p.Checksum = repodata.Checksum{Type: "sha256", Value: pseudoDigest(p.NEVRA())}
		out = append(out, p)
		if multilib && b.Multilib && b.Arch == "x86_64" {
			out = append(out, to32(p))
		}
	}
	return out
}

// source returns the source package of a component at an EVR: its
// requires are the BuildRequires of the spec file.
func (w *World) source(c *Component, evr rpmver.EVR, buildTime time.Time) *repodata.Package {
	p := &repodata.Package{
		Name: c.Name, Arch: "src", EVR: evr, Summary: c.Summary, Description: c.Summary + ".",
		License: c.License, Packager: "Fedora Project", Vendor: "Fedora Project", Group: "Unspecified",
		BuildHost: "buildvm-x86-01.example.org", BuildTime: buildTime.Unix(), FileTime: buildTime.Unix(),
		URL: "https://" + strings.ToLower(c.Upstream) + ".example.org/",
	}
	p.Requires = fillAll(c.BuildRequires, evr)
	p.PackageSize = int64(100000 + 1000*len(p.Requires))
	p.Location = packageLocation(p)
	p.Checksum = repodata.Checksum{Type: "sha256", Value: pseudoDigest(p.NEVRA())}
	return p
}

func appendFile(fs []repodata.File, f string) []repodata.File {
	for _, x := range fs {
		if x.Path == f {
			return fs
		}
	}
	return append(fs, repodata.File{Path: f})
}

func sortFiles(fs []repodata.File) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
}

func fill(d repodata.Dep, evr rpmver.EVR) repodata.Dep {
	if d.EVR.Version == "@self" {
		d.EVR = evr
	}
	return d
}

func fillAll(ds []repodata.Dep, evr rpmver.EVR) []repodata.Dep {
	if len(ds) == 0 {
		return nil
	}
	out := make([]repodata.Dep, len(ds))
	for i, d := range ds {
		out[i] = fill(d, evr)
	}
	return out
}

// to32 makes the i686 multilib twin of an x86_64 package.
func to32(p *repodata.Package) *repodata.Package {
	q := *p
	q.Arch = "i686"
	conv := func(ds []repodata.Dep) []repodata.Dep {
		if ds == nil {
			return nil
		}
		out := make([]repodata.Dep, len(ds))
		for i, d := range ds {
			d.Name = strings.ReplaceAll(d.Name, "()(64bit)", "()")
			d.Name = strings.ReplaceAll(d.Name, ")(64bit)", ")")
			d.Name = strings.ReplaceAll(d.Name, "(x86-64)", "(x86-32)")
			out[i] = d
		}
		return out
	}
	q.Provides, q.Requires, q.Conflicts, q.Obsoletes = conv(p.Provides), conv(p.Requires), conv(p.Conflicts), conv(p.Obsoletes)
	q.Files = make([]repodata.File, len(p.Files))
	for i, f := range p.Files {
		f.Path = strings.ReplaceAll(f.Path, "/usr/lib64/", "/usr/lib/")
		q.Files[i] = f
	}
	// The i686 twin ships libraries only; its binaries would conflict.
	kept := q.Files[:0]
	for _, f := range q.Files {
		if !strings.Contains(f.Path, "/bin/") && !strings.Contains(f.Path, "/sbin/") {
			kept = append(kept, f)
		}
	}
	q.Files = kept
	q.Location = packageLocation(&q)
	q.Checksum = repodata.Checksum{Type: "sha256", Value: pseudoDigest(q.NEVRA())}
	return &q
}

func packageLocation(p *repodata.Package) string {
	v := p.EVR
	return fmt.Sprintf("Packages/%c/%s-%s-%s.%s.rpm", strings.ToLower(p.Name)[0], p.Name, v.Version, v.Release, p.Arch)
}

// pseudoDigest stands in for the checksum of an rpm file that a generated
// world does not contain; it is a real SHA-256 of the package's NEVRA so
// that it is stable and unique.
func pseudoDigest(s string) string { return sha256Hex([]byte("rpm:" + s)) }

// ComposePackages returns the binary and source packages of a compose,
// sorted: every component's newest complete build on the compose's branch
// at the compose date, plus the module builds made before it.
func (w *World) ComposePackages(cp *Compose) (bins, srcs []*repodata.Package) {
	for _, c := range w.Components {
		p, ok := c.BuiltAt(cp.Branch, cp.Date)
		if !ok {
			continue
		}
		evr := rpmver.EVR{Epoch: w.Epoch(c), Version: p.Version, Release: fmt.Sprintf("%d%s", p.Release, p.distFor(cp.Branch))}
		bins = append(bins, w.instantiate(c, evr, p.Time, true)...)
		srcs = append(srcs, w.source(c, evr, p.Time))
	}
	for _, m := range w.Modules {
		if m.Built.After(cp.Date) {
			continue
		}
		mb, ms := w.ModulePackages(m)
		bins = append(bins, mb...)
		srcs = append(srcs, ms...)
	}
	sortPackages(bins)
	sortPackages(srcs)
	return bins, srcs
}

// ModuleRelease is the release suffix of a module build's packages.
func (m *ModuleStream) ModuleRelease() string {
	return fmt.Sprintf(".module_f40+%s+%s", m.Version[len(m.Version)-5:], m.Context)
}

// ModulePackages returns the packages a module build produced.
func (w *World) ModulePackages(m *ModuleStream) (bins, srcs []*repodata.Package) {
	for _, mc := range m.Components {
		c := w.byName[mc.Name]
		p, ok := c.HeadAt(mc.Branch, m.Built)
		if !ok {
			continue
		}
		// A module stream carries its own version line of the component.
		ver := p.Version
		if m.Stream != "" && (m.Name == c.Name || strings.HasPrefix(c.Name, m.Name)) {
			ver = m.Stream + ".0"
		}
		evr := rpmver.EVR{Epoch: w.Epoch(c), Version: ver, Release: fmt.Sprintf("%d%s", p.Release, m.ModuleRelease())}
		bins = append(bins, w.instantiate(c, evr, m.Built, false)...)
		srcs = append(srcs, w.source(c, evr, m.Built))
	}
	return bins, srcs
}

func sortPackages(ps []*repodata.Package) {
	sort.Slice(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if c := rpmver.CompareEVR(a.EVR, b.EVR); c != 0 {
			return c < 0
		}
		return a.Arch < b.Arch
	})
}
