// Package gobcache keeps derived data in the state folder: one
// zstd-compressed gob file per entry, holding the key (a digest of the
// inputs) it was computed for. A file stored for another key, or one that
// does not decode, is a miss, never an error: a cache only saves time.
package gobcache

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/zstd"
)

// Load decodes the entry at path into v (a pointer) when it was stored for
// key, and reports whether it was.
func Load(path, key string, v any) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	zr, err := zstd.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return false
	}
	defer zr.Close()
	dec := gob.NewDecoder(zr)
	var k string
	if err := dec.Decode(&k); err != nil || k != key {
		return false
	}
	return dec.Decode(v) == nil
}

// Store writes v as the entry at path for key, through a temporary file
// and a rename, creating the folder when needed.
func Store(path, key string, v any) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	zw, err := zstd.NewWriter(bw, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		tmp.Close()
		return err
	}
	enc := gob.NewEncoder(zw)
	err = enc.Encode(key)
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
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
