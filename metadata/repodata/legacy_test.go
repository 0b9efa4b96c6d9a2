package repodata

// The readers of primary.xml, filelists.xml and other.xml as they were
// on encoding/xml's Decoder.Token, kept as the reference the scanner
// (xmlscan.go) is held to by FuzzDifferential and TestLegacyAgreement.

import (
	"encoding/xml"
	"io"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

type legacyDecoder struct {
	t       *tokens
	started bool
	done    bool
}

func newLegacyDecoder(r io.Reader, name string) *legacyDecoder {
	return &legacyDecoder{t: newTokens(r, name)}
}

func (d *legacyDecoder) nextPackage() (*Package, error) {
	se, err := legacyNextPackage(d.t, "metadata", &d.started, &d.done)
	if err != nil {
		return nil, err
	}
	return d.t.legacyParsePackage(se)
}

// legacyReadPrimary returns the packages read before the first error and
// that error (nil at the end of the document).
func legacyReadPrimary(r io.Reader, name string) ([]*Package, error) {
	d := newLegacyDecoder(r, name)
	var out []*Package
	for {
		p, err := d.nextPackage()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
}

func legacyReadFilelists(r io.Reader, name string) ([]*FileList, error) {
	d := newLegacyDecoder(r, name)
	var out []*FileList
	for {
		p, err := d.nextFileList()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
}

func legacyReadOther(r io.Reader, name string) ([]*PackageChangelogs, error) {
	d := newLegacyDecoder(r, name)
	var out []*PackageChangelogs
	for {
		p, err := d.nextChangelogs()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
}

// nextPackage advances to the next <package> child of the root element,
// skipping anything else, and returns io.EOF at the root's end.
func legacyNextPackage(t *tokens, root string, started, done *bool) (xml.StartElement, error) {
	if *done {
		return xml.StartElement{}, io.EOF
	}
	if !*started {
		if _, err := t.root(root); err != nil {
			return xml.StartElement{}, err
		}
		*started = true
	}
	for {
		tok, err := t.next()
		if err != nil {
			return xml.StartElement{}, t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			*done = true
			return xml.StartElement{}, io.EOF
		}
		if se.Name.Local == "package" {
			return se, nil
		}
		if err := t.skip(); err != nil {
			return xml.StartElement{}, err
		}
	}
}

func (t *tokens) legacyParsePackage(start xml.StartElement) (*Package, error) {
	line := t.line()
	p := &Package{}
	hasChecksum := false
	for {
		tok, err := t.next()
		if err != nil {
			return nil, t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			break
		}
		var s *string
		switch se.Name.Local {
		case "name":
			s = &p.Name
		case "arch":
			s = &p.Arch
		case "summary":
			s = &p.Summary
		case "description":
			s = &p.Description
		case "packager":
			s = &p.Packager
		case "url":
			s = &p.URL
		case "version":
			p.EVR = legacyEVRAttrs(se)
			err = t.skip()
		case "checksum":
			hasChecksum = true
			p.Checksum.Type = attr(se, "type")
			p.Checksum.Value, err = t.text()
		case "time":
			if p.FileTime, err = t.intAttr(se, "file"); err == nil {
				p.BuildTime, err = t.intAttr(se, "build")
			}
			if err == nil {
				err = t.skip()
			}
		case "size":
			if p.PackageSize, err = t.intAttr(se, "package"); err == nil {
				if p.Installed, err = t.intAttr(se, "installed"); err == nil {
					p.ArchiveSize, err = t.intAttr(se, "archive")
				}
			}
			if err == nil {
				err = t.skip()
			}
		case "location":
			p.Location = attr(se, "href")
			p.LocationBase = xmlBase(se)
			err = t.skip()
		case "format":
			err = t.legacyParseFormat(p)
		default:
			err = t.skip()
		}
		if s != nil {
			*s, err = t.text()
		}
		if err != nil {
			return nil, err
		}
	}
	if p.Name == "" {
		return nil, t.lineErrorf(line, "<package> has no <name>")
	}
	if !hasChecksum || p.Checksum.Value == "" {
		return nil, t.lineErrorf(line, "package %s has no checksum (pkgid)", p.Name)
	}
	return p, nil
}

func legacyEVRAttrs(se xml.StartElement) rpmver.EVR {
	var e rpmver.EVR
	for _, a := range se.Attr {
		switch a.Name.Local {
		case "epoch":
			e.Epoch = a.Value
		case "ver":
			e.Version = a.Value
		case "rel":
			e.Release = a.Value
		}
	}
	return e
}

func (t *tokens) legacyParseFormat(p *Package) error {
	for {
		tok, err := t.next()
		if err != nil {
			return t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			return nil
		}
		var s *string
		var deps *[]Dep
		switch se.Name.Local {
		case "license":
			s = &p.License
		case "vendor":
			s = &p.Vendor
		case "group":
			s = &p.Group
		case "buildhost":
			s = &p.BuildHost
		case "sourcerpm":
			s = &p.SourceRPM
		case "header-range":
			if p.HeaderStart, err = t.intAttr(se, "start"); err == nil {
				if p.HeaderEnd, err = t.intAttr(se, "end"); err == nil {
					err = t.skip()
				}
			}
		case "provides":
			deps = &p.Provides
		case "requires":
			deps = &p.Requires
		case "conflicts":
			deps = &p.Conflicts
		case "obsoletes":
			deps = &p.Obsoletes
		case "recommends":
			deps = &p.Recommends
		case "suggests":
			deps = &p.Suggests
		case "supplements":
			deps = &p.Supplements
		case "enhances":
			deps = &p.Enhances
		case "file":
			var f File
			f.Type = attr(se, "type")
			if f.Path, err = t.text(); err == nil {
				p.Files = append(p.Files, f)
			}
		default:
			err = t.skip()
		}
		if s != nil {
			*s, err = t.text()
		}
		if deps != nil {
			*deps, err = t.legacyParseDeps(se.Name.Local, *deps)
		}
		if err != nil {
			return err
		}
	}
}

func (t *tokens) legacyParseDeps(kind string, deps []Dep) ([]Dep, error) {
	for {
		tok, err := t.next()
		if err != nil {
			return nil, t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			return deps, nil
		}
		if se.Name.Local != "entry" {
			if err := t.skip(); err != nil {
				return nil, err
			}
			continue
		}
		var d Dep
		var flags string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "name":
				d.Name = a.Value
			case "flags":
				flags = a.Value
			case "epoch":
				d.EVR.Epoch = a.Value
			case "ver":
				d.EVR.Version = a.Value
			case "rel":
				d.EVR.Release = a.Value
			case "pre":
				d.Pre = a.Value == "1" || a.Value == "true" || a.Value == "True"
			}
		}
		if d.Name == "" {
			return nil, t.errorf("<%s> entry has no name", kind)
		}
		if d.Flags, err = rpmver.ParseFlags(flags); err != nil {
			return nil, t.errorf("<%s> entry %q: %v", kind, d.Name, err)
		}
		if err := t.skip(); err != nil {
			return nil, err
		}
		deps = append(deps, d)
	}
}

func (d *legacyDecoder) nextFileList() (*FileList, error) {
	start, err := legacyNextPackage(d.t, "filelists", &d.started, &d.done)
	if err != nil {
		return nil, err
	}
	t := d.t
	line := t.line()
	fl := &FileList{PkgID: attr(start, "pkgid"), Name: attr(start, "name"), Arch: attr(start, "arch")}
	if fl.PkgID == "" {
		return nil, t.lineErrorf(line, "filelists <package name=%q> has no pkgid", fl.Name)
	}
	for {
		tok, err := t.next()
		if err != nil {
			return nil, t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			return fl, nil
		}
		switch se.Name.Local {
		case "version":
			fl.EVR = legacyEVRAttrs(se)
			err = t.skip()
		case "file":
			f := File{Type: attr(se, "type")}
			if f.Path, err = t.text(); err == nil {
				fl.Files = append(fl.Files, f)
			}
		default:
			err = t.skip()
		}
		if err != nil {
			return nil, err
		}
	}
}

func (d *legacyDecoder) nextChangelogs() (*PackageChangelogs, error) {
	start, err := legacyNextPackage(d.t, "otherdata", &d.started, &d.done)
	if err != nil {
		return nil, err
	}
	t := d.t
	line := t.line()
	pc := &PackageChangelogs{PkgID: attr(start, "pkgid"), Name: attr(start, "name"), Arch: attr(start, "arch")}
	if pc.PkgID == "" {
		return nil, t.lineErrorf(line, "other <package name=%q> has no pkgid", pc.Name)
	}
	for {
		tok, err := t.next()
		if err != nil {
			return nil, t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			return pc, nil
		}
		switch se.Name.Local {
		case "version":
			pc.EVR = legacyEVRAttrs(se)
			err = t.skip()
		case "changelog":
			c := Changelog{Author: attr(se, "author")}
			if c.Date, err = t.intAttr(se, "date"); err == nil {
				if c.Text, err = t.text(); err == nil {
					pc.Changelogs = append(pc.Changelogs, c)
				}
			}
		default:
			err = t.skip()
		}
		if err != nil {
			return nil, err
		}
	}
}
