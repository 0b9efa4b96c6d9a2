package repodata

import (
	"bufio"
	"strconv"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

const (
	nsCommon    = "http://linux.duke.edu/metadata/common"
	nsRPM       = "http://linux.duke.edu/metadata/rpm"
	nsFilelists = "http://linux.duke.edu/metadata/filelists"
	nsOther     = "http://linux.duke.edu/metadata/other"
)

// xw writes XML text; the first write error sticks and is returned by
// bufio.Writer.Flush.
type xw struct{ *bufio.Writer }

func (w xw) s(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

func (w xw) elem(indent, name, text string) {
	w.s(indent, "<", name, ">", escText(text), "</", name, ">\n")
}

func (w xw) attr(name, value string) { w.s(" ", name, `="`, escAttr(value), `"`) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (w xw) version(indent string, e rpmver.EVR) {
	epoch := e.Epoch
	if epoch == "" {
		epoch = "0"
	}
	w.s(indent, "<version")
	w.attr("epoch", epoch)
	w.attr("ver", e.Version)
	w.attr("rel", e.Release)
	w.s("/>\n")
}

func (w xw) file(indent string, f File) {
	w.s(indent, "<file")
	if f.Type != "" {
		w.attr("type", f.Type)
	}
	w.s(">", escText(f.Path), "</file>\n")
}

func writePrimary(bw *bufio.Writer, pkgs []*Package) error {
	w := xw{bw}
	w.s(`<?xml version="1.0" encoding="UTF-8"?>`, "\n")
	w.s(`<metadata xmlns="`, nsCommon, `" xmlns:rpm="`, nsRPM, `" packages="`, strconv.Itoa(len(pkgs)), `">`, "\n")
	for _, p := range pkgs {
		w.s(`<package type="rpm">`, "\n")
		w.elem("  ", "name", p.Name)
		w.elem("  ", "arch", p.Arch)
		w.version("  ", p.EVR)
		w.s("  <checksum")
		w.attr("type", p.Checksum.Type)
		w.s(` pkgid="YES">`, escText(p.Checksum.Value), "</checksum>\n")
		w.elem("  ", "summary", p.Summary)
		w.elem("  ", "description", p.Description)
		w.elem("  ", "packager", p.Packager)
		w.elem("  ", "url", p.URL)
		w.s("  <time")
		w.attr("file", itoa(p.FileTime))
		w.attr("build", itoa(p.BuildTime))
		w.s("/>\n  <size")
		w.attr("package", itoa(p.PackageSize))
		w.attr("installed", itoa(p.Installed))
		w.attr("archive", itoa(p.ArchiveSize))
		w.s("/>\n  <location")
		if p.LocationBase != "" {
			w.attr("xml:base", p.LocationBase)
		}
		w.attr("href", p.Location)
		w.s("/>\n  <format>\n")
		w.elem("    ", "rpm:license", p.License)
		w.elem("    ", "rpm:vendor", p.Vendor)
		w.elem("    ", "rpm:group", p.Group)
		w.elem("    ", "rpm:buildhost", p.BuildHost)
		w.elem("    ", "rpm:sourcerpm", p.SourceRPM)
		w.s("    <rpm:header-range")
		w.attr("start", itoa(p.HeaderStart))
		w.attr("end", itoa(p.HeaderEnd))
		w.s("/>\n")
		for _, k := range []struct {
			name string
			deps []Dep
		}{
			{"provides", p.Provides}, {"requires", p.Requires}, {"conflicts", p.Conflicts},
			{"obsoletes", p.Obsoletes}, {"suggests", p.Suggests}, {"enhances", p.Enhances},
			{"recommends", p.Recommends}, {"supplements", p.Supplements},
		} {
			if len(k.deps) == 0 {
				continue
			}
			w.s("    <rpm:", k.name, ">\n")
			for _, d := range k.deps {
				w.s("      <rpm:entry")
				w.attr("name", d.Name)
				if f := d.Flags.Repodata(); f != "" {
					w.attr("flags", f)
				}
				if d.EVR.Epoch != "" {
					w.attr("epoch", d.EVR.Epoch)
				}
				if d.EVR.Version != "" {
					w.attr("ver", d.EVR.Version)
				}
				if d.EVR.Release != "" {
					w.attr("rel", d.EVR.Release)
				}
				if d.Pre {
					w.s(` pre="1"`)
				}
				w.s("/>\n")
			}
			w.s("    </rpm:", k.name, ">\n")
		}
		for _, f := range p.Files {
			if primaryFile(f.Path) {
				w.file("    ", f)
			}
		}
		w.s("  </format>\n</package>\n")
	}
	w.s("</metadata>\n")
	return bw.Flush()
}

func writeFilelists(bw *bufio.Writer, pkgs []*Package) error {
	w := xw{bw}
	w.s(`<?xml version="1.0" encoding="UTF-8"?>`, "\n")
	w.s(`<filelists xmlns="`, nsFilelists, `" packages="`, strconv.Itoa(len(pkgs)), `">`, "\n")
	for _, p := range pkgs {
		w.pkgStart(p)
		for _, f := range p.Files {
			w.file("  ", f)
		}
		w.s("</package>\n")
	}
	w.s("</filelists>\n")
	return bw.Flush()
}

func (w xw) pkgStart(p *Package) {
	w.s("<package")
	w.attr("pkgid", p.Checksum.Value)
	w.attr("name", p.Name)
	w.attr("arch", p.Arch)
	w.s(">\n")
	w.version("  ", p.EVR)
}

func writeOther(bw *bufio.Writer, pkgs []*Package) error {
	w := xw{bw}
	w.s(`<?xml version="1.0" encoding="UTF-8"?>`, "\n")
	w.s(`<otherdata xmlns="`, nsOther, `" packages="`, strconv.Itoa(len(pkgs)), `">`, "\n")
	for _, p := range pkgs {
		w.pkgStart(p)
		for _, c := range p.Changelogs {
			w.s("  <changelog")
			w.attr("author", c.Author)
			w.attr("date", itoa(c.Date))
			w.s(">", escText(c.Text), "</changelog>\n")
		}
		w.s("</package>\n")
	}
	w.s("</otherdata>\n")
	return bw.Flush()
}
