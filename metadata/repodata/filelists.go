package repodata

import (
	"encoding/xml"
	"io"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// FileList is one package of filelists.xml: its identity and full file
// list.
type FileList struct {
	PkgID string     `json:"pkgid"`
	Name  string     `json:"name"`
	Arch  string     `json:"arch"`
	EVR   rpmver.EVR `json:"evr"`
	Files []File     `json:"files,omitempty"`
}

// FilelistsDecoder reads filelists.xml one package at a time.
type FilelistsDecoder struct {
	t       *tokens
	started bool
	done    bool
}

// NewFilelistsDecoder returns a decoder of the filelists.xml document r;
// name is used in errors.
func NewFilelistsDecoder(r io.Reader, name string) *FilelistsDecoder {
	return &FilelistsDecoder{t: newTokens(r, name)}
}

// Next returns the next package's file list, or io.EOF after the last.
// A package without a pkgid is an error.
func (d *FilelistsDecoder) Next() (*FileList, error) {
	start, err := nextPackage(d.t, "filelists", &d.started, &d.done)
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
			fl.EVR = evrAttrs(se)
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

// ReadFilelists calls fn for each package of the filelists.xml document
// r and stops at fn's first error.
func ReadFilelists(r io.Reader, name string, fn func(*FileList) error) error {
	d := NewFilelistsDecoder(r, name)
	for {
		fl, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(fl); err != nil {
			return err
		}
	}
}
