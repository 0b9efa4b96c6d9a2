package gobcache

import (
	"fmt"
	"sort"
)

// Columns hold many strings as one message field: their bytes end to end
// and their lengths. gob decodes them with two copies instead of one
// reflective step and one allocation per string; the strings decoded
// share one backing array.
type Columns struct {
	Data []byte
	Lens []uint32
}

// Add appends s.
func (c *Columns) Add(s string) {
	c.Data = append(c.Data, s...)
	c.Lens = append(c.Lens, uint32(len(s)))
}

// AddBytes appends b.
func (c *Columns) AddBytes(b []byte) {
	c.Data = append(c.Data, b...)
	c.Lens = append(c.Lens, uint32(len(b)))
}

// check tells whether c holds n values that use exactly its data.
func (c *Columns) check(n int) error {
	if len(c.Lens) != n {
		return fmt.Errorf("gobcache: column of %d values, want %d", len(c.Lens), n)
	}
	sum := 0
	for _, l := range c.Lens {
		sum += int(l)
	}
	if sum != len(c.Data) {
		return fmt.Errorf("gobcache: column lengths add up to %d bytes, have %d", sum, len(c.Data))
	}
	return nil
}

// Strings returns the n strings of c (an error when c does not hold
// exactly n). They share one allocation and are never written to.
func (c *Columns) Strings(n int) ([]string, error) {
	if err := c.check(n); err != nil {
		return nil, err
	}
	out := make([]string, n)
	if len(c.Data) == 0 {
		return out, nil
	}
	all := string(c.Data) // one copy; the strings share it
	off := 0
	for i, l := range c.Lens {
		out[i] = all[off : off+int(l)]
		off += int(l)
	}
	c.Data = nil // the strings own it now: no one may write to it
	return out, nil
}

// Bytes returns the n byte slices of c (an error when c does not hold
// exactly n). They share c's data, each with its capacity cut to its
// length (appending to one never writes over another); an empty one is nil,
// as gob decodes it.
func (c *Columns) Bytes(n int) ([][]byte, error) {
	if err := c.check(n); err != nil {
		return nil, err
	}
	out := make([][]byte, n)
	off := 0
	for i, l := range c.Lens {
		if l > 0 {
			out[i] = c.Data[off : off+int(l) : off+int(l)]
		}
		off += int(l)
	}
	return out, nil
}

// bytesPart is a part of a map[string][]byte written by EncodeBytesMap:
// the keys, and the lengths of the values, whose bytes follow the message
// raw (Encoder.WriteRaw).
type bytesPart struct {
	Keys      Columns
	ValueLens []uint32
}

// partBytes bounds the bytes of values in one part of EncodeBytesMap.
const partBytes = 1 << 20

// EncodeBytesMap writes m as its length and then parts of at most 8,192
// entries and about 1 MB of values, in key order, each part as its keys
// (Columns) and the lengths of its values, followed by the values raw:
// decoding copies neither these nor, unlike EncodeMap, reflects on each
// entry.
func EncodeBytesMap(enc *Encoder, m map[string][]byte) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if err := enc.Encode(len(keys)); err != nil {
		return err
	}
	var p bytesPart
	var vals []byte
	for i, k := range keys {
		p.Keys.Add(k)
		p.ValueLens = append(p.ValueLens, uint32(len(m[k])))
		vals = append(vals, m[k]...)
		if len(p.ValueLens) == 8*partSize || len(vals) >= partBytes || i == len(keys)-1 {
			if err := enc.Encode(&p); err != nil {
				return err
			}
			if err := enc.WriteRaw(vals); err != nil {
				return err
			}
			p = bytesPart{Keys: Columns{Data: p.Keys.Data[:0], Lens: p.Keys.Lens[:0]}, ValueLens: p.ValueLens[:0]}
			vals = vals[:0]
		}
	}
	return nil
}

// DecodeBytesMap reads a map written by EncodeBytesMap. The values are
// not copied: they share the buffer holding the whole entry.
func DecodeBytesMap(dec *Decoder) (map[string][]byte, error) {
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
	m := make(map[string][]byte, n)
	read := 0
	for read < n {
		var p bytesPart
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		k := len(p.Keys.Lens)
		if k == 0 || read+k > n {
			return nil, fmt.Errorf("gobcache: bad map part of %d entries", k)
		}
		keys, err := p.Keys.Strings(k)
		if err != nil {
			return nil, err
		}
		if len(p.ValueLens) != k {
			return nil, fmt.Errorf("gobcache: map part of %d keys and %d values", k, len(p.ValueLens))
		}
		sum := 0
		for _, l := range p.ValueLens {
			sum += int(l)
		}
		raw, err := dec.ReadRaw(sum)
		if err != nil {
			return nil, err
		}
		values := Columns{Data: raw, Lens: p.ValueLens}
		vals, err := values.Bytes(k)
		if err != nil {
			return nil, err
		}
		for i, key := range keys {
			m[key] = vals[i]
		}
		read += k
	}
	if len(m) != n {
		return nil, fmt.Errorf("gobcache: map of %d entries, want %d", len(m), n)
	}
	return m, nil
}

// EncodeColumns writes cols: the lengths of their values in one message,
// then the bytes of each column raw.
func EncodeColumns(enc *Encoder, cols ...*Columns) error {
	lens := make([][]uint32, len(cols))
	for i, c := range cols {
		lens[i] = c.Lens
	}
	if err := enc.Encode(lens); err != nil {
		return err
	}
	for _, c := range cols {
		if err := enc.WriteRaw(c.Data); err != nil {
			return err
		}
	}
	return nil
}

// DecodeColumns reads into cols what EncodeColumns wrote for as many
// columns. Their data is not copied: it shares the buffer holding the
// whole entry.
func DecodeColumns(dec *Decoder, cols ...*Columns) error {
	var lens [][]uint32
	if err := dec.Decode(&lens); err != nil {
		return err
	}
	if len(lens) != len(cols) {
		return fmt.Errorf("gobcache: %d columns, want %d", len(lens), len(cols))
	}
	for i, c := range cols {
		sum := 0
		for _, l := range lens[i] {
			sum += int(l)
		}
		raw, err := dec.ReadRaw(sum)
		if err != nil {
			return err
		}
		*c = Columns{Data: raw, Lens: lens[i]}
	}
	return nil
}
