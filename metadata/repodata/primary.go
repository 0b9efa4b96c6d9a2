package repodata

import (
	"io"
	"slices"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// PrimaryDecoder reads primary.xml one package at a time.
type PrimaryDecoder struct {
	s       *scanner
	started bool
	done    bool
	// Scratch space for one package: its strings, dependencies and
	// files, each copied out in one allocation when the package ends.
	arena     strArena
	deps      []Dep
	depLists  []depList
	files     []File
	fileSpans []int // start and end of each file's path in arena
}

// depList is where a run of d.deps goes: appended to *dst.
type depList struct {
	dst        *[]Dep
	start, end int
}

// NewPrimaryDecoder returns a decoder of the primary.xml document r;
// name is used in errors.
func NewPrimaryDecoder(r io.Reader, name string) *PrimaryDecoder {
	return &PrimaryDecoder{s: newScanner(r, name)}
}

// Next returns the next package, or io.EOF after the last one. A package
// without a name or a checksum (pkgid) is an error, as in createrepo_c.
func (p *PrimaryDecoder) Next() (*Package, error) {
	if err := nextPackage(p.s, "metadata", &p.started, &p.done); err != nil {
		return nil, err
	}
	return p.parsePackage()
}

// ReadPrimary calls fn for each package of the primary.xml document r, in
// document order, and stops at fn's first error.
func ReadPrimary(r io.Reader, name string, fn func(*Package) error) error {
	d := NewPrimaryDecoder(r, name)
	for {
		pkg, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(pkg); err != nil {
			return err
		}
	}
}

// nextPackage advances to the next <package> child of the root element,
// skipping anything else, and returns io.EOF at the root's end.
func nextPackage(s *scanner, root string, started, done *bool) error {
	if *done {
		return io.EOF
	}
	if !*started {
		if err := s.root(root); err != nil {
			return err
		}
		*started = true
	}
	for {
		start, err := s.tag()
		if err != nil {
			return err
		}
		if !start {
			*done = true
			return io.EOF
		}
		if string(s.local) == "package" {
			return nil
		}
		if err := s.skip(); err != nil {
			return err
		}
	}
}

func (d *PrimaryDecoder) parsePackage() (*Package, error) {
	s := d.s
	line := s.curLine()
	p := &Package{}
	a := &d.arena
	a.b, a.refs = a.b[:0], a.refs[:0]
	d.files, d.fileSpans = d.files[:0], d.fileSpans[:0]
	d.deps, d.depLists = d.deps[:0], d.depLists[:0]
	hasChecksum := false
	for {
		start, err := s.tag()
		if err != nil {
			return nil, err
		}
		if !start {
			break
		}
		switch string(s.local) {
		case "name":
			p.Name, err = s.internText()
		case "arch":
			p.Arch, err = s.internText()
		case "summary":
			err = a.text(s, &p.Summary)
		case "description":
			err = a.text(s, &p.Description)
		case "packager":
			p.Packager, err = s.internText()
		case "url":
			err = a.text(s, &p.URL)
		case "version":
			p.EVR = s.evrAttrs()
			err = s.skip()
		case "checksum":
			hasChecksum = true
			p.Checksum.Type = s.intern(s.attr("type"))
			err = a.text(s, &p.Checksum.Value)
		case "time":
			if p.FileTime, err = s.intAttr("file"); err == nil {
				p.BuildTime, err = s.intAttr("build")
			}
			if err == nil {
				err = s.skip()
			}
		case "size":
			if p.PackageSize, err = s.intAttr("package"); err == nil {
				if p.Installed, err = s.intAttr("installed"); err == nil {
					p.ArchiveSize, err = s.intAttr("archive")
				}
			}
			if err == nil {
				err = s.skip()
			}
		case "location":
			a.add(s.attr("href"), &p.Location)
			a.add(s.xmlBase(), &p.LocationBase)
			err = s.skip()
		case "format":
			err = d.parseFormat(p)
		default:
			err = s.skip()
		}
		if err != nil {
			return nil, err
		}
	}
	str := a.flush()
	if len(d.files) > 0 {
		for i := range d.files {
			d.files[i].Path = str[d.fileSpans[2*i]:d.fileSpans[2*i+1]]
		}
		p.Files = slices.Clone(d.files)
	}
	if len(d.deps) > 0 {
		all := slices.Clone(d.deps)
		for _, l := range d.depLists {
			if *l.dst == nil {
				*l.dst = all[l.start:l.end:l.end]
			} else {
				*l.dst = append(*l.dst, all[l.start:l.end]...)
			}
		}
	}
	if p.Name == "" {
		return nil, s.lineErrorf(line, "<package> has no <name>")
	}
	if !hasChecksum || p.Checksum.Value == "" {
		return nil, s.lineErrorf(line, "package %s has no checksum (pkgid)", p.Name)
	}
	return p, nil
}

// evrAttrs reads epoch, ver and rel of the current element (whatever
// their prefix; the last of each wins).
func (s *scanner) evrAttrs() rpmver.EVR {
	var e rpmver.EVR
	for i := range s.attrs {
		a := &s.attrs[i]
		switch string(a.local) {
		case "epoch":
			e.Epoch = s.intern(a.value)
		case "ver":
			e.Version = s.intern(a.value)
		case "rel":
			e.Release = s.intern(a.value)
		}
	}
	return e
}

func (d *PrimaryDecoder) parseFormat(p *Package) error {
	s := d.s
	for {
		start, err := s.tag()
		if err != nil {
			return err
		}
		if !start {
			return nil
		}
		var deps *[]Dep
		var kind string
		switch string(s.local) {
		case "license":
			p.License, err = s.internText()
		case "vendor":
			p.Vendor, err = s.internText()
		case "group":
			p.Group, err = s.internText()
		case "buildhost":
			p.BuildHost, err = s.internText()
		case "sourcerpm":
			err = d.arena.text(s, &p.SourceRPM)
		case "header-range":
			if p.HeaderStart, err = s.intAttr("start"); err == nil {
				if p.HeaderEnd, err = s.intAttr("end"); err == nil {
					err = s.skip()
				}
			}
		case "provides":
			deps, kind = &p.Provides, "provides"
		case "requires":
			deps, kind = &p.Requires, "requires"
		case "conflicts":
			deps, kind = &p.Conflicts, "conflicts"
		case "obsoletes":
			deps, kind = &p.Obsoletes, "obsoletes"
		case "recommends":
			deps, kind = &p.Recommends, "recommends"
		case "suggests":
			deps, kind = &p.Suggests, "suggests"
		case "supplements":
			deps, kind = &p.Supplements, "supplements"
		case "enhances":
			deps, kind = &p.Enhances, "enhances"
		case "file":
			// The path goes to the arena, after the strings before it.
			f := File{Type: s.intern(s.attr("type"))}
			a := &d.arena
			off := len(a.b)
			if a.b, err = s.appendText(a.b); err == nil {
				d.files = append(d.files, f)
				d.fileSpans = append(d.fileSpans, off, len(a.b))
			}
		default:
			err = s.skip()
		}
		if deps != nil {
			err = d.parseDeps(deps, kind)
		}
		if err != nil {
			return err
		}
	}
}

// parseDeps reads the entries of the current dependency element, to be
// appended to *deps when the package ends.
func (d *PrimaryDecoder) parseDeps(deps *[]Dep, kind string) error {
	s := d.s
	first := len(d.deps)
	for {
		start, err := s.tag()
		if err != nil {
			return err
		}
		if !start {
			break
		}
		if string(s.local) != "entry" {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		var dep Dep
		var flags []byte
		for i := range s.attrs {
			a := &s.attrs[i]
			switch string(a.local) {
			case "name":
				dep.Name = s.intern(a.value)
			case "flags":
				flags = a.value
			case "epoch":
				dep.EVR.Epoch = s.intern(a.value)
			case "ver":
				dep.EVR.Version = s.intern(a.value)
			case "rel":
				dep.EVR.Release = s.intern(a.value)
			case "pre":
				v := string(a.value)
				dep.Pre = v == "1" || v == "true" || v == "True"
			}
		}
		if dep.Name == "" {
			return s.errorf("<%s> entry has no name", kind)
		}
		if dep.Flags, err = parseFlags(flags); err != nil {
			return s.errorf("<%s> entry %q: %v", kind, dep.Name, err)
		}
		if err := s.skip(); err != nil {
			return err
		}
		d.deps = append(d.deps, dep)
	}
	if len(d.deps) > first {
		d.depLists = append(d.depLists, depList{deps, first, len(d.deps)})
	}
	return nil
}

// parseFlags is rpmver.ParseFlags on bytes, without converting the
// common spellings to a string.
func parseFlags(b []byte) (rpmver.Flags, error) {
	switch string(b) {
	case "":
		return 0, nil
	case "EQ":
		return rpmver.EQ, nil
	case "LT":
		return rpmver.LT, nil
	case "LE":
		return rpmver.LE, nil
	case "GT":
		return rpmver.GT, nil
	case "GE":
		return rpmver.GE, nil
	}
	return rpmver.ParseFlags(string(b))
}
