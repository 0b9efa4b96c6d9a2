// Package gobcache keeps derived data in the state folder: one
// zstd-compressed gob file per entry, holding the key (a digest of the
// inputs) it was computed for. A file stored for another key, or one that
// does not decode, is a miss, never an error: a cache only saves time.
package gobcache

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/sync/errgroup"
)

// Load decodes the entry at path into v (a pointer) when it was stored for
// key, and reports whether it was.
func Load(path, key string, v any) bool {
	src, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	data, err := decompress(src)
	if err != nil {
		return false
	}
	dec := newDecoder(data)
	r := dec.r
	var k string
	if err := dec.Decode(&k); err != nil || k != effectiveKey(key, v) {
		return false
	}
	if p, ok := v.(Parts); ok {
		return p.DecodeParts(dec) == nil && r.Len() == 0
	}
	return dec.Decode(v) == nil && r.Len() == 0
}

// maxSize bounds the decompressed size of an entry.
const maxSize = 1 << 34

// magic starts an entry compressed in chunks; an entry without it is one
// zstd stream (as written before chunks).
const magic = "distmeta-gobcache/2\n"

// chunkSize is the uncompressed size of a chunk but the last.
const chunkSize = 4 << 20

// compress returns magic, the number of chunks, the uncompressed and
// compressed size of each, then the chunks: each a zstd frame of
// chunkSize bytes of data (the last one fewer).
func compress(data []byte) []byte {
	zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(err) // only for bad options
	}
	defer zw.Close()
	var frames [][]byte
	for lo := 0; lo < len(data); lo += chunkSize {
		frames = append(frames, zw.EncodeAll(data[lo:min(lo+chunkSize, len(data))], nil))
	}
	out := append([]byte(magic), binary.AppendUvarint(nil, uint64(len(frames)))...)
	for i, f := range frames {
		out = binary.AppendUvarint(out, uint64(min(chunkSize, len(data)-i*chunkSize)))
		out = binary.AppendUvarint(out, uint64(len(f)))
	}
	for _, f := range frames {
		out = append(out, f...)
	}
	return out
}

// decompress reverses compress, decoding chunks on up to two cores.
func decompress(src []byte) ([]byte, error) {
	if !bytes.HasPrefix(src, []byte(magic)) {
		zd, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxSize))
		if err != nil {
			return nil, err
		}
		defer zd.Close()
		return zd.DecodeAll(src, nil)
	}
	r := bytes.NewReader(src[len(magic):])
	n, err := binary.ReadUvarint(r)
	if err != nil || n > maxSize/chunkSize {
		return nil, fmt.Errorf("gobcache: bad chunk count")
	}
	type chunk struct{ raw, comp []byte }
	chunks := make([]chunk, n)
	lens := make([][2]uint64, n)
	total := uint64(0)
	for i := range lens {
		for j := range 2 {
			if lens[i][j], err = binary.ReadUvarint(r); err != nil {
				return nil, err
			}
		}
		if lens[i][0] > chunkSize || (lens[i][0] < chunkSize && uint64(i) != n-1) {
			return nil, fmt.Errorf("gobcache: bad chunk size %d", lens[i][0])
		}
		total += lens[i][0]
	}
	rest := src[len(src)-r.Len():]
	data := make([]byte, total)
	off := uint64(0)
	for i, l := range lens {
		if l[1] > uint64(len(rest)) {
			return nil, fmt.Errorf("gobcache: truncated")
		}
		chunks[i] = chunk{raw: data[off : off : off+l[0]], comp: rest[:l[1]]}
		rest = rest[l[1]:]
		off += l[0]
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("gobcache: %d bytes after the chunks", len(rest))
	}
	zd, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(2), zstd.WithDecoderMaxMemory(chunkSize))
	if err != nil {
		return nil, err
	}
	defer zd.Close()
	var g errgroup.Group
	g.SetLimit(2)
	for i := range chunks {
		c, want := chunks[i], lens[i][0]
		g.Go(func() error {
			out, err := zd.DecodeAll(c.comp, c.raw)
			if err != nil {
				return err
			}
			if uint64(len(out)) != want || (want > 0 && &out[0] != &c.raw[:1][0]) {
				return fmt.Errorf("gobcache: chunk of %d bytes, want %d", len(out), want)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return data, nil
}

// Encoder writes gob messages and raw bytes between them.
type Encoder struct {
	*gob.Encoder
	w io.Writer
}

// WriteRaw writes b as it is, to be read back with Decoder.ReadRaw.
func (e *Encoder) WriteRaw(b []byte) error {
	_, err := e.w.Write(b)
	return err
}

// Decoder reads what an Encoder wrote.
type Decoder struct {
	*gob.Decoder
	r    *bytes.Reader
	data []byte
}

func newDecoder(data []byte) *Decoder {
	// A bytes.Reader is an io.ByteReader: gob reads no further than the
	// message it decodes, which lets Parts read raw bytes between messages.
	r := bytes.NewReader(data)
	return &Decoder{Decoder: gob.NewDecoder(r), r: r, data: data}
}

// ReadRaw returns the next n raw bytes, without copying them: they are
// part of one buffer holding the whole entry, with capacity n.
func (d *Decoder) ReadRaw(n int) ([]byte, error) {
	if n < 0 || n > d.r.Len() {
		return nil, fmt.Errorf("gobcache: %d raw bytes wanted, %d left", n, d.r.Len())
	}
	off := len(d.data) - d.r.Len()
	if _, err := d.r.Seek(int64(n), io.SeekCurrent); err != nil {
		return nil, err
	}
	return d.data[off : off+n : off+n], nil
}

// Parts is implemented by values stored as a sequence of gob messages
// rather than one. gob reads a message whole into a buffer it grows by
// appending 10 MB at a time: a message of hundreds of megabytes costs
// seconds of copying. EncodeMap and DecodeMap (EncodeSlice, DecodeSlice)
// write and read a large map (slice) as many small messages.
type Parts interface {
	EncodeParts(enc *Encoder) error
	DecodeParts(dec *Decoder) error
}

// Layout is implemented by Parts whose messages changed: the name of
// the layout becomes part of the key, so that an entry written in another
// layout is a miss rather than a failed or, worse, a wrong decoding.
type Layout interface {
	PartsLayout() string
}

// effectiveKey tells an entry stored in parts from one stored whole (the
// two layouts never decode as each other), and one layout of parts from
// another, and names the program that stored it (ProgramDigest).
func effectiveKey(key string, v any) string {
	if _, ok := v.(Parts); ok {
		key += "\x00parts/1"
		if l, ok := v.(Layout); ok {
			key += "/" + l.PartsLayout()
		}
	}
	return key + programKey()
}

// partSize is the number of entries of a map or slice in one message.
const partSize = 1024

type kv[V any] struct {
	K string
	V V
}

// EncodeMap writes m as its length and then messages of at most 1,024
// entries (in key order: the same map gives the same bytes).
func EncodeMap[V any](enc *Encoder, m map[string]V) error {
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
func DecodeMap[V any](dec *Decoder) (map[string]V, error) {
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
func EncodeSlice[V any](enc *Encoder, s []V) error {
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
func DecodeSlice[V any](dec *Decoder) ([]V, error) {
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
	// The entry is encoded whole, then compressed in chunks that Load
	// decompresses in parallel into one buffer.
	var buf bytes.Buffer
	enc := &Encoder{Encoder: gob.NewEncoder(&buf), w: &buf}
	err = enc.Encode(effectiveKey(key, v))
	if err == nil {
		if p, ok := v.(Parts); ok {
			err = p.EncodeParts(enc)
		} else {
			err = enc.Encode(v)
		}
	}
	if err == nil {
		_, err = tmp.Write(compress(buf.Bytes()))
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// storedKey returns the key the entry at path was stored for (with the
// layout of its parts), for tests and benchmarks.
func storedKey(path string) (string, bool) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	data, err := decompress(src)
	if err != nil {
		return "", false
	}
	var k string
	if newDecoder(data).Decode(&k) != nil {
		return "", false
	}
	return k, true
}
