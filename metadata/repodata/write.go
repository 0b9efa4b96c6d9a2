package repodata

import (
	"bufio"
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WriteOptions say how WriteRepo lays out a repository.
type WriteOptions struct {
	// Now is the time written as every timestamp (and as the revision
	// unless Revision is set). It is required: inject it (honour
	// SOURCE_DATE_EPOCH) so that the output is reproducible.
	Now time.Time
	// Revision is repomd.xml's <revision>; default Now as Unix seconds.
	Revision string
	// Compression of primary, filelists, other and modules: Gzip (the
	// default when empty), Zstd or XZ.
	Compression Compression
	// Modules, when set, is written as modules.yaml (type "modules").
	Modules []byte
	// Comps, when set, is written as comps.xml, plain (type "group") and
	// gzip-compressed (type "group_gz"), as createrepo_c does.
	Comps []byte
	// Extra files, written after the others in the given order.
	Extra []ExtraFile
	// Tags for repomd.xml.
	Tags Tags
}

// ExtraFile is one more file for repomd.xml to list.
type ExtraFile struct {
	Type        string      // repomd type, e.g. "updateinfo"
	Name        string      // base file name before compression, e.g. "updateinfo.xml"
	Data        []byte      // uncompressed content
	Compression Compression // Plain, Gzip, Zstd or XZ
}

// primaryFile reports whether createrepo_c lists a file in primary.xml
// as well as in filelists.xml.
func primaryFile(path string) bool {
	return strings.HasPrefix(path, "/etc/") || path == "/usr/lib/sendmail" || strings.Contains(path, "bin/")
}

// sortedPackages returns the packages in a canonical order, so that the
// output does not depend on the order the caller built them in.
func sortedPackages(pkgs []*Package) []*Package {
	s := slices.Clone(pkgs)
	slices.SortStableFunc(s, func(a, b *Package) int {
		return cmp.Or(
			strings.Compare(a.Name, b.Name),
			strings.Compare(a.Arch, b.Arch),
			strings.Compare(a.EVR.Epoch, b.EVR.Epoch),
			strings.Compare(a.EVR.Version, b.EVR.Version),
			strings.Compare(a.EVR.Release, b.EVR.Release),
			strings.Compare(a.Location, b.Location),
			strings.Compare(a.Checksum.Value, b.Checksum.Value),
		)
	})
	return s
}

func checkPackage(i int, p *Package) error {
	switch {
	case p == nil:
		return fmt.Errorf("package %d is nil", i)
	case p.Name == "":
		return fmt.Errorf("package %d has no name", i)
	case p.Arch == "":
		return fmt.Errorf("package %s has no arch", p.Name)
	case p.EVR.Version == "":
		return fmt.Errorf("package %s.%s has no version", p.Name, p.Arch)
	case p.Checksum.Value == "" || p.Checksum.Type == "":
		return fmt.Errorf("package %s has no checksum (pkgid)", p.NEVRA())
	}
	return nil
}

// WriteRepo writes primary.xml, filelists.xml, other.xml, the optional
// extra files and, last, repomd.xml into dir/repodata, each file named
// "<sha256>-<name>" as createrepo_c names them, through a temporary file
// renamed into place. Packages are written sorted by name, arch, EVR,
// location and checksum; every Package needs a name, arch, version and
// checksum (pkgid). primary.xml lists the files createrepo_c lists there
// (/etc/..., .../bin/..., /usr/lib/sendmail) and filelists.xml all of
// them. The same packages and options give the same bytes. Files of an
// earlier repodata in dir are left in place.
func WriteRepo(dir string, pkgs []*Package, opts WriteOptions) (*Repomd, error) {
	if opts.Now.IsZero() {
		return nil, errors.New("repodata: WriteRepo: WriteOptions.Now is not set")
	}
	for i, p := range pkgs {
		if err := checkPackage(i, p); err != nil {
			return nil, fmt.Errorf("repodata: WriteRepo: %w", err)
		}
	}
	comp := opts.Compression
	if comp == Plain {
		comp = Gzip
	}
	rdir := filepath.Join(dir, "repodata")
	if err := os.MkdirAll(rdir, 0o755); err != nil {
		return nil, err
	}
	sorted := sortedPackages(pkgs)
	ts := opts.Now.Unix()
	m := &Repomd{Revision: opts.Revision, Tags: opts.Tags}
	if m.Revision == "" {
		m.Revision = strconv.FormatInt(ts, 10)
	}
	add := func(typ, name string, c Compression, produce func(w *bufio.Writer) error) error {
		d, err := writeFile(rdir, name, c, produce)
		if err != nil {
			return fmt.Errorf("repodata: writing %s: %w", name, err)
		}
		d.Type = typ
		d.Timestamp = ts
		m.Data = append(m.Data, d)
		return nil
	}
	suffix := func(name string, c Compression) string {
		if c == Plain {
			return name
		}
		return name + "." + string(c)
	}
	if err := add("primary", suffix("primary.xml", comp), comp, func(w *bufio.Writer) error {
		return writePrimary(w, sorted)
	}); err != nil {
		return nil, err
	}
	if err := add("filelists", suffix("filelists.xml", comp), comp, func(w *bufio.Writer) error {
		return writeFilelists(w, sorted)
	}); err != nil {
		return nil, err
	}
	if err := add("other", suffix("other.xml", comp), comp, func(w *bufio.Writer) error {
		return writeOther(w, sorted)
	}); err != nil {
		return nil, err
	}
	extras := []ExtraFile{}
	if opts.Comps != nil {
		extras = append(extras,
			ExtraFile{Type: "group", Name: "comps.xml", Data: opts.Comps, Compression: Plain},
			ExtraFile{Type: "group_gz", Name: "comps.xml", Data: opts.Comps, Compression: Gzip})
	}
	if opts.Modules != nil {
		extras = append(extras, ExtraFile{Type: "modules", Name: "modules.yaml", Data: opts.Modules, Compression: comp})
	}
	extras = append(extras, opts.Extra...)
	for _, e := range extras {
		if e.Type == "" || e.Name == "" || strings.ContainsAny(e.Name, `/\`) {
			return nil, fmt.Errorf("repodata: WriteRepo: extra file %q of type %q: need a type and a plain file name", e.Name, e.Type)
		}
		data := e.Data
		if err := add(e.Type, suffix(e.Name, e.Compression), e.Compression, func(w *bufio.Writer) error {
			_, err := w.Write(data)
			return err
		}); err != nil {
			return nil, err
		}
	}
	if err := writeAtomic(filepath.Join(rdir, "repomd.xml"), m.Marshal()); err != nil {
		return nil, fmt.Errorf("repodata: writing repomd.xml: %w", err)
	}
	return m, nil
}

// hashWriter counts and hashes what is written through it.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (h *hashWriter) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}

// writeFile writes one compressed metadata file into rdir named after its
// checksum and returns its repomd entry (without type and timestamp).
func writeFile(rdir, name string, c Compression, produce func(*bufio.Writer) error) (d Data, err error) {
	f, err := os.CreateTemp(rdir, ".tmp-"+name+"-*")
	if err != nil {
		return d, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o644); err != nil {
		return d, err
	}
	raw := &hashWriter{w: f, h: mustHash("sha256")}
	zw, err := compressor(raw, c)
	if err != nil {
		return d, err
	}
	open := &hashWriter{w: zw, h: mustHash("sha256")}
	bw := bufio.NewWriterSize(open, 64<<10)
	if err = produce(bw); err != nil {
		return d, err
	}
	if err = bw.Flush(); err != nil {
		return d, err
	}
	if err = zw.Close(); err != nil {
		return d, err
	}
	if err = f.Sync(); err != nil {
		return d, err
	}
	if err = f.Close(); err != nil {
		return d, err
	}
	sum := hex.EncodeToString(raw.h.Sum(nil))
	final := sum + "-" + name
	if err = os.Rename(f.Name(), filepath.Join(rdir, final)); err != nil {
		return d, err
	}
	d = Data{
		Location: "repodata/" + final,
		Checksum: Checksum{Type: "sha256", Value: sum},
		Size:     raw.n,
	}
	if c != Plain {
		d.OpenChecksum = Checksum{Type: "sha256", Value: hex.EncodeToString(open.h.Sum(nil))}
		d.OpenSize = open.n
	}
	return d, nil
}

func mustHash(typ string) hash.Hash {
	h, err := NewHash(typ)
	if err != nil {
		panic(err)
	}
	return h
}

// writeAtomic writes b to path through a temporary file and a rename.
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
