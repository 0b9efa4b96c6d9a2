package repodata

import (
	"io"
	"slices"

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
	s       *scanner
	started bool
	done    bool
	// Scratch space for one package: its strings and files.
	arena     strArena
	files     []File
	fileSpans []int // start and end of each file's path in arena
}

// NewFilelistsDecoder returns a decoder of the filelists.xml document r;
// name is used in errors.
func NewFilelistsDecoder(r io.Reader, name string) *FilelistsDecoder {
	return &FilelistsDecoder{s: newScanner(r, name)}
}

// Next returns the next package's file list, or io.EOF after the last.
// A package without a pkgid is an error.
func (d *FilelistsDecoder) Next() (*FileList, error) {
	s := d.s
	if err := nextPackage(s, "filelists", &d.started, &d.done); err != nil {
		return nil, err
	}
	line := s.curLine()
	fl := &FileList{Name: s.intern(s.attr("name")), Arch: s.intern(s.attr("arch"))}
	pkgid := s.attr("pkgid")
	if len(pkgid) == 0 {
		return nil, s.lineErrorf(line, "filelists <package name=%q> has no pkgid", fl.Name)
	}
	a := &d.arena
	a.b, a.refs = a.b[:0], a.refs[:0]
	a.add(pkgid, &fl.PkgID)
	d.files, d.fileSpans = d.files[:0], d.fileSpans[:0]
	for {
		start, err := s.tag()
		if err != nil {
			return nil, err
		}
		if !start {
			str := a.flush()
			if len(d.files) > 0 {
				for i := range d.files {
					d.files[i].Path = str[d.fileSpans[2*i]:d.fileSpans[2*i+1]]
				}
				fl.Files = slices.Clone(d.files)
			}
			return fl, nil
		}
		switch string(s.local) {
		case "version":
			fl.EVR = s.evrAttrs()
			err = s.skip()
		case "file":
			f := File{Type: s.intern(s.attr("type"))}
			off := len(a.b)
			if a.b, err = s.appendText(a.b); err == nil {
				d.files = append(d.files, f)
				d.fileSpans = append(d.fileSpans, off, len(a.b))
			}
		default:
			err = s.skip()
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
