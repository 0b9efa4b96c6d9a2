package repodata

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrNoData is returned when repomd.xml lists no file of the asked type.
var ErrNoData = errors.New("not listed in repomd.xml")

// maxRepomdSize caps repomd.xml itself.
const maxRepomdSize = 16 << 20

// Options tune how a Repo reads and verifies its files.
type Options struct {
	// MaxSize caps the decompressed size of each file; 0 means
	// DefaultMaxSize.
	MaxSize int64
	// AcceptRecompressed accepts a file whose compressed checksum or
	// size differs from repomd.xml when repomd.xml has an open-checksum
	// and the decompressed bytes match it (the file was recompressed
	// after repomd.xml was written). dnf does not accept such files.
	AcceptRecompressed bool
}

func (o Options) maxSize() int64 {
	if o.MaxSize > 0 {
		return o.MaxSize
	}
	return DefaultMaxSize
}

// Repo is an rpm-md repository on disk: the folder that holds
// repodata/repomd.xml.
type Repo struct {
	Dir    string
	Repomd *Repomd
	opts   Options
}

// Open reads dir/repodata/repomd.xml with the default options.
func Open(dir string) (*Repo, error) { return OpenWith(dir, Options{}) }

// OpenWith reads dir/repodata/repomd.xml.
func OpenWith(dir string, opts Options) (*Repo, error) {
	path := filepath.Join(dir, "repodata", "repomd.xml")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lr := &io.LimitedReader{R: f, N: maxRepomdSize + 1}
	m, err := ParseRepomd(lr, path)
	if err != nil {
		return nil, err
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxRepomdSize)
	}
	return &Repo{Dir: dir, Repomd: m, opts: opts}, nil
}

// Lookup returns the entry of repomd.xml for a kind of metadata
// ("primary", "filelists", "other", "modules", "group_gz", ...). When the
// entry is zchunk-compressed, another entry of the same kind
// ("primary" for "primary_zck" and the reverse) is used instead if
// repomd.xml lists one; otherwise the error wraps
// ErrUnsupportedCompression.
func (r *Repo) Lookup(kind string) (*Data, error) {
	base := strings.TrimSuffix(kind, "_zck")
	var zck *Data
	for _, typ := range []string{kind, base, base + "_zck"} {
		d := r.Repomd.Find(typ)
		if d == nil {
			continue
		}
		if CompressionOf(d.Location) != Zchunk {
			return d, nil
		}
		if zck == nil {
			zck = d
		}
	}
	if zck != nil {
		return nil, fmt.Errorf("%s: zchunk (.zck) %w, and repomd.xml lists no other %q file",
			r.path(zck), ErrUnsupportedCompression, base)
	}
	return nil, fmt.Errorf("%s: %q: %w", filepath.Join(r.Dir, "repodata", "repomd.xml"), kind, ErrNoData)
}

func (r *Repo) path(d *Data) string { return filepath.Join(r.Dir, filepath.FromSlash(d.Location)) }

// OpenData opens the file of a kind of metadata, decompressed. Reads are
// capped and verified against repomd.xml: the reader returns a
// *ChecksumError (or ErrTooLarge) instead of io.EOF when the bytes do
// not match, so read it to the end before trusting what it gave.
func (r *Repo) OpenData(kind string) (io.ReadCloser, error) {
	dr, err := r.openData(kind)
	if err != nil {
		return nil, err
	}
	return dr, nil
}

func (r *Repo) openData(kind string) (*dataReader, error) {
	d, err := r.Lookup(kind)
	if err != nil {
		return nil, err
	}
	if !filepath.IsLocal(filepath.FromSlash(d.Location)) {
		return nil, fmt.Errorf("%s: <data type=%q> location %q leaves the repository", filepath.Join(r.Dir, "repodata", "repomd.xml"), d.Type, d.Location)
	}
	path := r.path(d)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return newDataReader(path, f, *d, r.opts)
}

// readData opens a kind of metadata, hands it to parse and verifies it.
func (r *Repo) readData(kind string, parse func(rd io.Reader, name string) error) error {
	dr, err := r.openData(kind)
	if err != nil {
		return err
	}
	defer dr.Close()
	return dr.finish(parse(dr, dr.path))
}

// ReadPackages streams primary.xml, calling fn once per package. The
// file's checksums are verified when it ends: an error returned then
// means the packages fn saw came from bytes that did not verify.
func (r *Repo) ReadPackages(fn func(*Package) error) error {
	return r.readData("primary", func(rd io.Reader, name string) error {
		return ReadPrimary(rd, name, fn)
	})
}

// ReadFilelists streams filelists.xml, calling fn once per package.
func (r *Repo) ReadFilelists(fn func(*FileList) error) error {
	return r.readData("filelists", func(rd io.Reader, name string) error {
		return ReadFilelists(rd, name, fn)
	})
}

// ReadChangelogs streams other.xml, calling fn once per package.
func (r *Repo) ReadChangelogs(fn func(*PackageChangelogs) error) error {
	return r.readData("other", func(rd io.Reader, name string) error {
		return ReadOther(rd, name, fn)
	})
}

// Modules returns the decompressed, verified modules.yaml of the
// repository; the error wraps ErrNoData when repomd.xml lists none.
func (r *Repo) Modules() ([]byte, error) {
	return r.ReadAll("modules")
}

// ReadAll returns a kind of metadata decompressed and verified.
func (r *Repo) ReadAll(kind string) ([]byte, error) {
	var b []byte
	err := r.readData(kind, func(rd io.Reader, _ string) error {
		var err error
		b, err = io.ReadAll(rd)
		return err
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Packages reads every package of primary.xml and, when withFiles is
// set, replaces each package's files with its full list from
// filelists.xml (matched by pkgid, name and arch).
func (r *Repo) Packages(withFiles bool) ([]*Package, error) {
	var pkgs []*Package
	if err := r.ReadPackages(func(p *Package) error {
		pkgs = append(pkgs, p)
		return nil
	}); err != nil {
		return nil, err
	}
	if !withFiles {
		return pkgs, nil
	}
	// The packages of each pkgid, in order: first[id], then next[i]
	// after package i (-1 ends the chain).
	first := make(map[string]int, len(pkgs))
	next := make([]int, len(pkgs))
	last := make([]int, len(pkgs))
	for i, p := range pkgs {
		next[i] = -1
		if j, ok := first[p.Checksum.Value]; ok {
			next[last[j]] = i
			last[j] = i
		} else {
			first[p.Checksum.Value] = i
			last[i] = i
		}
	}
	err := r.ReadFilelists(func(fl *FileList) error {
		i, ok := first[fl.PkgID]
		for ok && i >= 0 {
			if p := pkgs[i]; (fl.Name == "" || fl.Name == p.Name) && (fl.Arch == "" || fl.Arch == p.Arch) {
				p.Files = fl.Files
			}
			i = next[i]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pkgs, nil
}

// LoadPackages reads the packages of the repository whose root (the
// folder holding repodata/) is dir, verifying every file it reads. With
// withFiles, each package carries its full file list from filelists.xml;
// otherwise only the files primary.xml lists.
func LoadPackages(dir string, withFiles bool) ([]*Package, error) {
	r, err := Open(dir)
	if err != nil {
		return nil, err
	}
	return r.Packages(withFiles)
}
