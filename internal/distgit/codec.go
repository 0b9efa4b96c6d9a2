package distgit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"time"
)

// The state folder's binary encodings: varints, length-prefixed strings
// and bytes, raw 20-byte hashes. Every decoder checks lengths and returns
// errors on truncated or malformed input, never panics.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crc(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

type encoder struct{ b []byte }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) hash(h Hash)      { e.b = append(e.b, h[:]...) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bytes(b []byte)   { e.uvarint(uint64(len(b))); e.b = append(e.b, b...) }
func (e *encoder) u32(v uint32)     { e.b = binary.LittleEndian.AppendUint32(e.b, v) }

var errTruncated = errors.New("truncated")

// decoder reads what encoder wrote; the first error sticks and later
// reads return zero values.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = fmt.Errorf("offset %d: %w", d.off, err)
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail(errTruncated)
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail(errTruncated)
		return 0
	}
	d.off += n
	return v
}

// count reads a number of items each taking at least min bytes, checked
// against what is left so that a corrupt count cannot allocate much.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)-d.off)/uint64(min) {
		d.fail(fmt.Errorf("count %d exceeds the data", n))
		return 0
	}
	return int(n)
}

func (d *decoder) raw(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.fail(errTruncated)
		return nil
	}
	b := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return b
}

// bytes returns a slice of the decoder's buffer (not a copy).
func (d *decoder) bytes() []byte { return d.raw(d.count(1)) }
func (d *decoder) str() string   { return string(d.bytes()) }

func (d *decoder) hash() (h Hash) {
	copy(h[:], d.raw(len(h)))
	return h
}

func (d *decoder) u32() uint32 {
	b := d.raw(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

// strTable interns strings that repeat across records (branch, file and
// path names): decoding does not allocate them again.
type strTable map[string]string

func (d *decoder) istr(t strTable) string {
	b := d.bytes()
	if t == nil {
		return string(b)
	}
	if s, ok := t[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(t) < 4096 {
		t[s] = s
	}
	return s
}

// Times keep their zone as go-git gives it: UTC, or a fixed offset
// without a name.
func (e *encoder) time(t time.Time) {
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
	if t.Location() == time.UTC {
		e.uvarint(0)
		return
	}
	_, off := t.Zone()
	e.uvarint(1 + zigzag(int64(off)))
}

func (d *decoder) time() time.Time {
	sec, nsec, zone := d.varint(), d.uvarint(), d.uvarint()
	if nsec >= 1e9 {
		d.fail(fmt.Errorf("nanoseconds %d", nsec))
	}
	if d.err != nil {
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if zone == 0 {
		return t.UTC()
	}
	off := unzigzag(zone - 1)
	if off < -24*3600 || off > 24*3600 {
		d.fail(fmt.Errorf("zone offset %d", off))
		return time.Time{}
	}
	return t.In(time.FixedZone("", int(off)))
}

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// Content of a branch in a repository record: none, bytes, or the same
// bytes as an earlier branch of the record (branches often share a spec).
const (
	contentNone  = 0
	contentBytes = 1
	contentSame  = 2 // + index of the earlier branch
)

// appendRepo encodes everything a walk read from a repository.
func appendRepo(b []byte, r *Repo) []byte {
	e := encoder{b}
	e.str(r.Name)
	e.str(r.Head)
	e.uvarint(uint64(len(r.Branches)))
	for i, br := range r.Branches {
		e.str(br.Name)
		e.hash(br.Head)
		e.str(br.File)
		switch same := sameContent(r.Branches[:i], br.Content); {
		case br.Content == nil:
			e.uvarint(contentNone)
		case same >= 0:
			e.uvarint(contentSame + uint64(same))
		default:
			e.uvarint(contentBytes)
			e.bytes(br.Content)
		}
		e.uvarint(uint64(len(br.Files)))
		for _, f := range br.Files {
			e.str(f)
		}
	}
	e.uvarint(uint64(len(r.Commits)))
	for _, c := range r.Commits {
		e.hash(c.Hash)
		e.hash(c.Parent)
		e.time(c.Time)
		e.str(c.Subject)
	}
	return e.b
}

func sameContent(earlier []Branch, content []byte) int {
	if len(content) == 0 {
		return -1
	}
	for i := range earlier {
		if string(earlier[i].Content) == string(content) {
			return i
		}
	}
	return -1
}

// decodeRepo decodes a record of appendRepo. Branch contents are slices
// of b, which must not change afterwards.
func decodeRepo(b []byte, names strTable) (*Repo, error) {
	d := &decoder{b: b}
	r := &Repo{Name: d.str(), Head: d.istr(names)}
	if n := d.count(22); n > 0 {
		r.Branches = make([]Branch, n)
	}
	for i := range r.Branches {
		br := &r.Branches[i]
		br.Name = d.istr(names)
		br.Head = d.hash()
		br.File = d.istr(names)
		switch c := d.uvarint(); {
		case c == contentNone:
		case c == contentBytes:
			br.Content = d.bytes()
			if br.Content == nil && d.err == nil {
				br.Content = []byte{}
			}
		case c-contentSame < uint64(i):
			br.Content = r.Branches[c-contentSame].Content
		default:
			d.fail(fmt.Errorf("branch %d: content tag %d", i, c))
		}
		br.Files = make([]string, d.count(1))
		for j := range br.Files {
			br.Files[j] = d.istr(names)
		}
	}
	if n := d.count(43); n > 0 {
		r.Commits = make([]Commit, n)
	}
	for i := range r.Commits {
		c := &r.Commits[i]
		c.Hash = d.hash()
		c.Parent = d.hash()
		c.Time = d.time()
		c.Subject = d.str()
	}
	if d.err == nil && d.off != len(b) {
		d.fail(fmt.Errorf("%d bytes after the record", len(b)-d.off))
	}
	if d.err != nil {
		return nil, d.err
	}
	return r, nil
}
