package repodata

import (
	"io"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// Changelog is one changelog entry of a package.
type Changelog struct {
	Author string `json:"author"`
	Date   int64  `json:"date"`
	Text   string `json:"text"`
}

// PackageChangelogs is one package of other.xml.
type PackageChangelogs struct {
	PkgID      string      `json:"pkgid"`
	Name       string      `json:"name"`
	Arch       string      `json:"arch"`
	EVR        rpmver.EVR  `json:"evr"`
	Changelogs []Changelog `json:"changelogs,omitempty"`
}

// OtherDecoder reads other.xml one package at a time.
type OtherDecoder struct {
	s       *scanner
	started bool
	done    bool
}

// NewOtherDecoder returns a decoder of the other.xml document r; name is
// used in errors.
func NewOtherDecoder(r io.Reader, name string) *OtherDecoder {
	return &OtherDecoder{s: newScanner(r, name)}
}

// Next returns the next package's changelog, or io.EOF after the last.
func (d *OtherDecoder) Next() (*PackageChangelogs, error) {
	s := d.s
	if err := nextPackage(s, "otherdata", &d.started, &d.done); err != nil {
		return nil, err
	}
	line := s.curLine()
	pc := &PackageChangelogs{PkgID: string(s.attr("pkgid")), Name: s.intern(s.attr("name")), Arch: s.intern(s.attr("arch"))}
	if pc.PkgID == "" {
		return nil, s.lineErrorf(line, "other <package name=%q> has no pkgid", pc.Name)
	}
	for {
		start, err := s.tag()
		if err != nil {
			return nil, err
		}
		if !start {
			return pc, nil
		}
		switch string(s.local) {
		case "version":
			pc.EVR = s.evrAttrs()
			err = s.skip()
		case "changelog":
			c := Changelog{Author: s.intern(s.attr("author"))}
			if c.Date, err = s.intAttr("date"); err == nil {
				if c.Text, err = s.text1(); err == nil {
					pc.Changelogs = append(pc.Changelogs, c)
				}
			}
		default:
			err = s.skip()
		}
		if err != nil {
			return nil, err
		}
	}
}

// ReadOther calls fn for each package of the other.xml document r and
// stops at fn's first error.
func ReadOther(r io.Reader, name string, fn func(*PackageChangelogs) error) error {
	d := NewOtherDecoder(r, name)
	for {
		pc, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(pc); err != nil {
			return err
		}
	}
}
