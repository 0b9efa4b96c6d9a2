package site

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/klauspost/compress/zstd"
)

// Encodings of an object, as named in manifests.
const (
	EncodingRaw  = "raw"  // stored bytes are the content
	EncodingZstd = "zstd" // one zstd frame, compressed with the kind's dictionary
)

// DictSize is the largest dictionary the publisher trains.
const DictSize = 64 << 10

// encoderOptions are fixed so that the same content and dictionary always
// give the same bytes.
func newEncoder(dict []byte) (*zstd.Encoder, error) {
	opts := []zstd.EOption{
		zstd.WithEncoderLevel(zstd.SpeedBestCompression),
		zstd.WithEncoderConcurrency(1),
		zstd.WithEncoderCRC(false), // objects are addressed by SHA-256 already
		zstd.WithWindowSize(1 << 20),
		zstd.WithZeroFrames(true),
	}
	if dict != nil {
		opts = append(opts, zstd.WithEncoderDict(dict))
	}
	return zstd.NewWriter(nil, opts...)
}

// encode returns the stored form of content: zstd when that is smaller,
// raw otherwise.
func encode(enc *zstd.Encoder, content []byte) ([]byte, string) {
	z := enc.EncodeAll(content, nil)
	if len(z) < len(content) {
		return z, EncodingZstd
	}
	return content, EncodingRaw
}

// Decoder decompresses objects of one kind with that kind's dictionary.
// It is not safe for concurrent use.
type Decoder struct {
	dec *zstd.Decoder
}

// NewDecoder returns a decoder for objects compressed with dict (nil for
// none). dict must already have been verified against its digest.
func NewDecoder(dict []byte) (*Decoder, error) {
	opts := []zstd.DOption{
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(MaxDecodedSize),
		zstd.WithDecoderMaxWindow(8 << 20),
		zstd.WithDecodeAllCapLimit(true),
	}
	if dict != nil {
		opts = append(opts, zstd.WithDecoderDicts(dict))
	}
	d, err := zstd.NewReader(nil, opts...)
	if err != nil {
		return nil, fmt.Errorf("zstd dictionary: %w", err)
	}
	return &Decoder{dec: d}, nil
}

// Close releases the decoder.
func (d *Decoder) Close() { d.dec.Close() }

// Decode checks stored against the entry's digest and size, then returns
// the content, which must be exactly e.RawSize bytes: a frame that
// inflates beyond that fails with ErrBomb before more is allocated.
func (d *Decoder) Decode(stored []byte, e Entry) ([]byte, error) {
	name := e.Digest.ObjectPath()
	if int64(len(stored)) != e.Size {
		return nil, &IntegrityError{Path: name, Want: e.Digest, WantSize: e.Size, GotSize: int64(len(stored)), Err: ErrSizeMismatch}
	}
	if got := Sum(stored); got != e.Digest {
		return nil, &IntegrityError{Path: name, Want: e.Digest, Got: got, WantSize: e.Size, GotSize: e.Size, Err: ErrDigestMismatch}
	}
	if e.RawSize < 0 || e.RawSize > MaxDecodedSize {
		return nil, &IntegrityError{Path: name, Want: e.Digest, WantSize: MaxDecodedSize, GotSize: e.RawSize, Err: ErrTooLarge}
	}
	switch e.Encoding {
	case EncodingRaw:
		if int64(len(stored)) != e.RawSize {
			return nil, &IntegrityError{Path: name, Want: e.Digest, WantSize: e.RawSize, GotSize: int64(len(stored)), Err: ErrSizeMismatch}
		}
		return stored, nil
	case EncodingZstd:
		// One spare byte of capacity tells "exactly RawSize" from "more".
		out, err := d.dec.DecodeAll(stored, make([]byte, 0, e.RawSize+1))
		if err != nil {
			if errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrFrameSizeExceeded) {
				return nil, &IntegrityError{Path: name, Want: e.Digest, WantSize: e.RawSize, GotSize: e.RawSize + 1, Err: ErrBomb}
			}
			return nil, &IntegrityError{Path: name, Want: e.Digest, Err: fmt.Errorf("%w: %v", ErrDecompress, err)}
		}
		if int64(len(out)) > e.RawSize {
			return nil, &IntegrityError{Path: name, Want: e.Digest, WantSize: e.RawSize, GotSize: int64(len(out)), Err: ErrBomb}
		}
		if int64(len(out)) != e.RawSize {
			return nil, &IntegrityError{Path: name, Want: e.Digest, WantSize: e.RawSize, GotSize: int64(len(out)), Err: ErrSizeMismatch}
		}
		return out, nil
	}
	return nil, &IntegrityError{Path: name, Want: e.Digest, Err: fmt.Errorf("%w: unknown encoding %q", ErrDecompress, e.Encoding)}
}

// DecodeObject is Decode with a one-off decoder.
func DecodeObject(stored []byte, e Entry, dict []byte) ([]byte, error) {
	d, err := NewDecoder(dict)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Decode(stored, e)
}

// dictSizes are the dictionary sizes chooseDictionary tries.
var dictSizes = []int{DictSize, DictSize / 8}

// dictPayback is the number of cold queries of one kind within which a
// dictionary must pay for itself.
const dictPayback = 8

// chooseDictionary trains dictionaries of each size in dictSizes on
// samples and returns the one that makes the first dictPayback queries of
// this kind cheapest, or nil when none does. A client downloads the
// dictionary once and a bucket per query, so a dictionary must save, on
// dictPayback average buckets, more than its own size. Measured on a
// Fedora-sized site it does not: zstd finds the repetitions within a
// bucket of tens of kilobytes itself, and a 64 KiB dictionary saved 0.2 to
// 1.5 KiB a bucket. The average is taken over a deterministic sample of
// the buckets in contents.
func chooseDictionary(kind string, samples, contents [][]byte) ([]byte, error) {
	sample := sampleBuckets(contents, 16)
	if len(sample) == 0 {
		return nil, nil
	}
	cost := func(dict []byte) (int, error) {
		enc, err := newEncoder(dict)
		if err != nil {
			return 0, err
		}
		defer enc.Close()
		total := 0
		for _, c := range sample {
			z, _ := encode(enc, c)
			total += len(z)
		}
		return len(dict) + dictPayback*total/len(sample), nil
	}
	best, err := cost(nil)
	if err != nil {
		return nil, err
	}
	var chosen []byte
	for _, size := range dictSizes {
		d, err := trainDictionary(kind, samples, size)
		if err != nil {
			return nil, fmt.Errorf("train %d-byte dictionary: %w", size, err)
		}
		if d == nil {
			continue
		}
		c, err := cost(d)
		if err != nil {
			return nil, err
		}
		if c < best {
			best, chosen = c, d
		}
	}
	return chosen, nil
}

// sampleBuckets picks up to n non-empty buckets spread evenly.
func sampleBuckets(contents [][]byte, n int) [][]byte {
	var nonEmpty [][]byte
	for _, c := range contents {
		if len(c) > 3 { // "{}\n"
			nonEmpty = append(nonEmpty, c)
		}
	}
	if len(nonEmpty) <= n {
		return nonEmpty
	}
	out := make([][]byte, 0, n)
	for i := range n {
		out = append(out, nonEmpty[i*len(nonEmpty)/n])
	}
	return out
}

// dictID derives a zstd dictionary ID from the kind name, in the range
// zstd reserves for private use (>= 32768).
func dictID(kind string) uint32 {
	s := Sum([]byte("distmeta dictionary " + kind))
	return 32768 + binary.BigEndian.Uint32(s[:4])%(1<<31-32768)
}

// trainDictionary builds a zstd dictionary for one kind from sample
// answers. klauspost/compress/dict.BuildZstdDict is not deterministic
// (it iterates maps and sorts with an unstable order) and took 30 s for
// 7,000 samples, so the history ("raw content") part is chosen here: the
// JSON tokens and token runs that occur in the most samples, scored by
// document frequency times length, best last (closest to the data). zstd's
// BuildDict then adds entropy tables fitted to the samples.
func trainDictionary(kind string, samples [][]byte, maxSize int) ([]byte, error) {
	if len(samples) < 8 {
		return nil, nil // too few answers to learn from
	}
	type cand struct {
		s     string
		score int
	}
	df := map[string]int{}
	seen := map[string]bool{}
	for _, s := range samples {
		clear(seen)
		toks := tokens(s)
		for i := range toks {
			for n := 1; n <= 4 && i+n <= len(toks); n++ {
				start, end := toks[i][0], toks[i+n-1][1]
				if end-start < 4 || end-start > 256 {
					continue
				}
				g := string(s[start:end])
				if !seen[g] {
					seen[g] = true
					df[g]++
				}
			}
		}
	}
	min := len(samples) / 200
	if min < 3 {
		min = 3
	}
	cands := make([]cand, 0, len(df))
	for g, n := range df {
		if n >= min {
			cands = append(cands, cand{g, n * (len(g) - 3)})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].s < cands[j].s
	})
	if len(cands) > 20000 {
		cands = cands[:20000]
	}
	var chosen []string
	var hist bytes.Buffer
	for _, c := range cands {
		if hist.Len() > maxSize-8 {
			break
		}
		if hist.Len()+len(c.s) > maxSize {
			continue
		}
		if bytes.Contains(hist.Bytes(), []byte(c.s)) {
			continue
		}
		chosen = append(chosen, c.s)
		hist.WriteString(c.s)
	}
	if hist.Len() < 8 {
		return nil, nil
	}
	// Best last: reverse the chosen order.
	var raw bytes.Buffer
	for i := len(chosen) - 1; i >= 0; i-- {
		raw.WriteString(chosen[i])
	}
	// BuildDict resets an encoder with the whole history per content, so it
	// gets the samples joined and cut into 64 KiB chunks: it encodes each
	// content as one block and panics on contents beyond the 128 KiB block
	// size (an answer alone can be larger).
	var joined []byte
	for _, s := range samples {
		joined = append(joined, s...)
	}
	var chunks [][]byte
	for len(joined) > 0 {
		n := len(joined)
		if n > 64<<10 {
			n = 64 << 10
		}
		chunks = append(chunks, joined[:n:n])
		joined = joined[n:]
	}
	return zstd.BuildDict(zstd.BuildDictOptions{
		ID:       dictID(kind),
		Contents: chunks,
		History:  raw.Bytes(),
		Offsets:  [3]int{1, 4, 8},
		Level:    zstd.SpeedBestCompression,
	})
}

// tokens splits JSON text into spans: a quoted string with the
// punctuation that follows it, or a run of other bytes.
func tokens(b []byte) [][2]int {
	var out [][2]int
	i := 0
	for i < len(b) {
		start := i
		if b[i] == '"' {
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++
		} else {
			for i < len(b) && b[i] != '"' {
				i++
			}
		}
		for i < len(b) && (b[i] == ':' || b[i] == ',' || b[i] == '[' || b[i] == ']' || b[i] == '{' || b[i] == '}') {
			i++
		}
		if i > len(b) {
			i = len(b)
		}
		out = append(out, [2]int{start, i})
	}
	return out
}
