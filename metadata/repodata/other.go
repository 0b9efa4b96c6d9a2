package repodata

import (
	"encoding/xml"
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
	t       *tokens
	started bool
	done    bool
}

// NewOtherDecoder returns a decoder of the other.xml document r; name is
// used in errors.
func NewOtherDecoder(r io.Reader, name string) *OtherDecoder {
	return &OtherDecoder{t: newTokens(r, name)}
}

// Next returns the next package's changelog, or io.EOF after the last.
func (d *OtherDecoder) Next() (*PackageChangelogs, error) {
	start, err := nextPackage(d.t, "otherdata", &d.started, &d.done)
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
			pc.EVR = evrAttrs(se)
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
