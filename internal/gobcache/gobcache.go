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
	"sort"

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
	if err := dec.Decode(&k); err != nil || k != effectiveKey(key, v) {
		return false
	}
	if p, ok := v.(Parts); ok {
		return p.DecodeParts(dec) == nil
	}
	return dec.Decode(v) == nil
}

// Parts is implemented by values stored as a sequence of gob messages
// rather than one. gob reads a message whole into a buffer it grows by
// appending 10 MB at a time: a message of hundreds of megabytes costs
// seconds of copying. EncodeMap and DecodeMap (EncodeSlice, DecodeSlice)
// write and read a large map (slice) as many small messages.
type Parts interface {
	EncodeParts(enc *gob.Encoder) error
	DecodeParts(dec *gob.Decoder) error
}

// effectiveKey tells an entry stored in parts from one stored whole (the
// two layouts never decode as each other).
func effectiveKey(key string, v any) string {
	if _, ok := v.(Parts); ok {
		return key + "\x00parts/1"
	}
	return key
}

// partSize is the number of entries of a map or slice in one message.
const partSize = 1024

type kv[V any] struct {
	K string
	V V
}

// EncodeMap writes m as its length and then messages of at most 1,024
// entries (in key order: the same map gives the same bytes).
func EncodeMap[V any](enc *gob.Encoder, m map[string]V) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if err := enc.Encode(len(keys)); err != nil {
		return err
	}
	part := make([]kv[V], 0, partSize)
	for i, k := range keys {
		part = append(part, kv[V]{k, m[k]})
		if len(part) == partSize || i == len(keys)-1 {
			if err := enc.Encode(part); err != nil {
				return err
			}
			part = part[:0]
		}
	}
	return nil
}

// DecodeMap reads a map written by EncodeMap.
func DecodeMap[V any](dec *gob.Decoder) (map[string]V, error) {
	var n int
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	if n < 0 || n > 1<<30 {
		return nil, fmt.Errorf("gobcache: bad map length %d", n)
	}
	if n == 0 {
		return nil, nil // as gob decodes an empty map
	}
	m := make(map[string]V, n)
	for len(m) < n {
		var part []kv[V]
		if err := dec.Decode(&part); err != nil {
			return nil, err
		}
		if len(part) == 0 {
			return nil, fmt.Errorf("gobcache: empty map part")
		}
		for _, e := range part {
			m[e.K] = e.V
		}
	}
	if len(m) != n {
		return nil, fmt.Errorf("gobcache: map of %d entries, want %d", len(m), n)
	}
	return m, nil
}

// EncodeSlice writes s as its length and then messages of at most 1,024
// elements.
func EncodeSlice[V any](enc *gob.Encoder, s []V) error {
	if err := enc.Encode(len(s)); err != nil {
		return err
	}
	for lo := 0; lo < len(s); lo += partSize {
		if err := enc.Encode(s[lo:min(lo+partSize, len(s))]); err != nil {
			return err
		}
	}
	return nil
}

// DecodeSlice reads a slice written by EncodeSlice.
func DecodeSlice[V any](dec *gob.Decoder) ([]V, error) {
	var n int
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	if n < 0 || n > 1<<30 {
		return nil, fmt.Errorf("gobcache: bad slice length %d", n)
	}
	if n == 0 {
		return nil, nil // as gob decodes an empty slice
	}
	out := make([]V, 0, n)
	for len(out) < n {
		var part []V
		if err := dec.Decode(&part); err != nil {
			return nil, err
		}
		if len(part) == 0 || len(out)+len(part) > n {
			return nil, fmt.Errorf("gobcache: bad slice part")
		}
		out = append(out, part...)
	}
	return out, nil
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
	err = enc.Encode(effectiveKey(key, v))
	if err == nil {
		if p, ok := v.(Parts); ok {
			err = p.EncodeParts(enc)
		} else {
			err = enc.Encode(v)
		}
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
