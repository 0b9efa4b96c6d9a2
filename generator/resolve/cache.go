package resolve

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// Cache keeps parsed and resolved composes in a folder of the state:
// <dir>/<id>.<what>.gob.zst, each holding the digest it was computed for.
// A file for another digest, or one that does not decode, is a miss.
type Cache struct{ Dir string }

func (c Cache) path(id, what string) string {
	return filepath.Join(c.Dir, strings.ReplaceAll(id, "/", "_")+"."+what+".gob.zst")
}

// LoadSummary returns the cached summary of the compose in folder name,
// if one was stored for that digest.
func (c Cache) LoadSummary(name, digest string) (*Summary, bool) {
	return load[*Summary](c, name, "summary", digest)
}

// StoreSummary caches a summary under its folder name.
func (c Cache) StoreSummary(s *Summary) error { return store(c, s.Name, "summary", s.Digest, s) }

// LoadResolved returns the cached resolution of the compose in folder
// name, if one was stored for that digest.
func (c Cache) LoadResolved(name, digest string) (*Resolved, bool) {
	return load[*Resolved](c, name, "resolved", digest)
}

// StoreResolved caches a resolution under the compose's folder name.
func (c Cache) StoreResolved(name string, r *Resolved) error {
	return store(c, name, "resolved", r.Digest, r)
}

func load[T any](c Cache, id, what, digest string) (T, bool) {
	var zero T
	if c.Dir == "" {
		return zero, false
	}
	f, err := os.Open(c.path(id, what))
	if err != nil {
		return zero, false
	}
	defer f.Close()
	zr, err := zstd.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return zero, false
	}
	defer zr.Close()
	dec := gob.NewDecoder(zr)
	var hdr string
	if err := dec.Decode(&hdr); err != nil || hdr != digest {
		return zero, false
	}
	var v T
	if err := dec.Decode(&v); err != nil {
		return zero, false
	}
	return v, true
}

func store[T any](c Cache, id, what, digest string, v T) error {
	if c.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("compose cache: %w", err)
	}
	p := c.path(id, what)
	tmp, err := os.CreateTemp(c.Dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("compose cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	zw, err := zstd.NewWriter(bw, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		tmp.Close()
		return err
	}
	enc := gob.NewEncoder(zw)
	err = enc.Encode(digest)
	if err == nil {
		err = enc.Encode(v)
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("compose cache %s: %w", p, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("compose cache: %w", err)
	}
	return nil
}
