package site

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Size caps on everything a reader downloads.
const (
	MaxIndexSize    = 64 << 10  // a signed index
	MaxManifestSize = 8 << 20   // one manifest
	MaxObjectSize   = 256 << 20 // one stored object
	MaxDecodedSize  = 256 << 20 // one decoded object
	maxBuckets      = 1 << 22
)

// Manifest format names; a reader rejects any other.
const (
	FormatRoot = "distmeta-root/1"
	FormatKind = "distmeta-kind/1"
	FormatPage = "distmeta-page/1"
)

// Ref names addressed content and its stored size.
type Ref struct {
	Digest Digest `json:"d"`
	Size   int64  `json:"n"`
}

// Entry is a Ref to an object plus how to decode it.
type Entry struct {
	Digest   Digest `json:"d"`
	Size     int64  `json:"n"`
	RawSize  int64  `json:"u"` // decoded size
	Encoding string `json:"e"` // EncodingRaw or EncodingZstd
}

// Ref returns the entry's digest and size.
func (e Entry) Ref() Ref { return Ref{e.Digest, e.Size} }

// KindRef is what the root manifest says about one kind of answer.
type KindRef struct {
	Manifest Ref  `json:"manifest"`
	Dict     *Ref `json:"dict,omitempty"` // zstd dictionary object, if any
}

// RootManifest lists the kinds of answers and the plain files.
type RootManifest struct {
	Format string             `json:"format"`
	Kinds  map[string]KindRef `json:"kinds"`
	Files  map[string]Entry   `json:"files,omitempty"` // well-known path -> raw object with its content
}

// KindManifest maps the buckets of one kind to objects, either directly
// (Objects, one per bucket) or through page manifests (Pages, each
// covering PageSize consecutive buckets).
type KindManifest struct {
	Format   string  `json:"format"`
	Kind     string  `json:"kind"`
	Buckets  int     `json:"buckets"`
	Keys     int     `json:"keys"`
	Group    string  `json:"group,omitempty"` // GroupNone or GroupDir: what of a key picks its bucket
	PageSize int     `json:"page_size,omitempty"`
	Objects  []Entry `json:"objects,omitempty"`
	Pages    []Ref   `json:"pages,omitempty"`
}

// PageManifest lists the objects of buckets First..First+len(Objects)-1.
type PageManifest struct {
	Format  string  `json:"format"`
	Kind    string  `json:"kind"`
	First   int     `json:"first"`
	Objects []Entry `json:"objects"`
}

// Key groupings of a kind (KindManifest.Group).
const (
	// GroupNone: the whole key picks the bucket.
	GroupNone = ""
	// GroupDir: the key up to its last slash picks the bucket, so
	// "rpms/bash/f40" and "rpms/bash/rawhide" share one; keys without a
	// slash, or with only a leading one, are hashed whole.
	GroupDir = "dir"
)

// GroupKey returns the part of key that picks its bucket under group.
func GroupKey(key, group string) string {
	if group == GroupDir {
		if i := strings.LastIndexByte(key, '/'); i > 0 {
			return key[:i]
		}
	}
	return key
}

// Bucket returns the bucket of key in this kind.
func (m *KindManifest) Bucket(key string) int {
	return BucketOf(GroupKey(key, m.Group), m.Buckets)
}

// BucketOf returns the bucket of key among n: the first 8 bytes of
// SHA-256(key), big-endian, modulo n.
func BucketOf(key string, n int) int {
	s := Sum([]byte(key))
	return int(binary.BigEndian.Uint64(s[:8]) % uint64(n))
}

// ValidKind reports whether s can name a kind of answer: 1 to 64 bytes of
// [a-z0-9_.-], starting with a letter or digit. (A regexp with {0,63}
// cost every dmq run 2 ms to compile.)
func ValidKind(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case (c == '_' || c == '.' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// ValidFilePath reports whether p can be a plain file's path: relative,
// clean, slash-separated, and outside the store's own names.
func ValidFilePath(p string) bool {
	if !cleanRelPath(p) {
		return false
	}
	first, _, _ := strings.Cut(p, "/")
	switch first {
	case "o", "m", "index", "index.d", PagesTree + ".index", PagesTree + ".files.d":
		return false
	}
	return true
}

// cleanRelPath reports whether p is relative, clean, slash-separated,
// without hidden segments and at most 512 bytes.
func cleanRelPath(p string) bool {
	if p == "" || len(p) > 512 || strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.HasPrefix(p, "../") || p == ".." || p == "." {
		return false
	}
	if strings.ContainsAny(p, "\\\x00\n") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}

func checkRef(what string, r Ref, max int64) error {
	if r.Digest.IsZero() {
		return fmt.Errorf("%s: missing digest", what)
	}
	if r.Size < 0 || r.Size > max {
		return fmt.Errorf("%s: size %d out of range", what, r.Size)
	}
	return nil
}

func checkEntry(what string, e Entry) error {
	if err := checkRef(what, e.Ref(), MaxObjectSize); err != nil {
		return err
	}
	if e.RawSize < 0 || e.RawSize > MaxDecodedSize {
		return fmt.Errorf("%s: decoded size %d out of range", what, e.RawSize)
	}
	switch e.Encoding {
	case EncodingRaw:
		if e.RawSize != e.Size {
			return fmt.Errorf("%s: raw object with decoded size %d != size %d", what, e.RawSize, e.Size)
		}
	case EncodingZstd:
	default:
		return fmt.Errorf("%s: unknown encoding %q", what, e.Encoding)
	}
	return nil
}

func decodeStrict(b []byte, v any) error {
	if len(b) > MaxManifestSize {
		return fmt.Errorf("manifest of %d bytes exceeds %d", len(b), MaxManifestSize)
	}
	b, err := manifestJSON(b)
	if err != nil {
		return err
	}
	return decodeStrictJSON(b, v)
}

// decodeStrictJSON decodes exactly one JSON value into v, rejecting
// unknown fields and trailing data.
func decodeStrictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing data after manifest")
	}
	return nil
}

// ParseRootManifest parses and checks a root manifest. b must already be
// verified against the index's root reference.
func ParseRootManifest(b []byte) (*RootManifest, error) {
	var m RootManifest
	if err := decodeStrict(b, &m); err != nil {
		return nil, fmt.Errorf("root manifest: %w", err)
	}
	if m.Format != FormatRoot {
		return nil, fmt.Errorf("root manifest: format %q, want %q", m.Format, FormatRoot)
	}
	for k, kr := range m.Kinds {
		if !ValidKind(k) {
			return nil, fmt.Errorf("root manifest: invalid kind name %q", k)
		}
		if err := checkRef("root manifest: kind "+k+": manifest", kr.Manifest, MaxManifestSize); err != nil {
			return nil, err
		}
		if kr.Dict != nil {
			if err := checkRef("root manifest: kind "+k+": dict", *kr.Dict, MaxObjectSize); err != nil {
				return nil, err
			}
		}
	}
	for p, e := range m.Files {
		if !ValidFilePath(p) {
			return nil, fmt.Errorf("root manifest: invalid file path %q", p)
		}
		if err := checkEntry("root manifest: file "+p, e); err != nil {
			return nil, err
		}
		if e.Encoding != EncodingRaw {
			return nil, fmt.Errorf("root manifest: file %s: encoding %q, want raw", p, e.Encoding)
		}
	}
	return &m, nil
}

// ParseKindManifest parses and checks a kind manifest (already verified
// against its reference).
func ParseKindManifest(b []byte) (*KindManifest, error) {
	var m KindManifest
	if err := decodeStrict(b, &m); err != nil {
		return nil, fmt.Errorf("kind manifest: %w", err)
	}
	if m.Format != FormatKind {
		return nil, fmt.Errorf("kind manifest: format %q, want %q", m.Format, FormatKind)
	}
	if !ValidKind(m.Kind) {
		return nil, fmt.Errorf("kind manifest: invalid kind name %q", m.Kind)
	}
	what := "kind manifest " + m.Kind
	if m.Buckets < 1 || m.Buckets > maxBuckets {
		return nil, fmt.Errorf("%s: %d buckets out of range", what, m.Buckets)
	}
	if m.Keys < 0 {
		return nil, fmt.Errorf("%s: negative key count", what)
	}
	if m.Group != GroupNone && m.Group != GroupDir {
		return nil, fmt.Errorf("%s: unknown key grouping %q", what, m.Group)
	}
	switch {
	case m.PageSize == 0:
		if len(m.Pages) != 0 || len(m.Objects) != m.Buckets {
			return nil, fmt.Errorf("%s: %d objects and %d pages for %d buckets without pages", what, len(m.Objects), len(m.Pages), m.Buckets)
		}
		for i, e := range m.Objects {
			if err := checkEntry(fmt.Sprintf("%s: bucket %d", what, i), e); err != nil {
				return nil, err
			}
		}
	case m.PageSize > 0 && m.PageSize <= maxBuckets:
		want := (m.Buckets + m.PageSize - 1) / m.PageSize
		if len(m.Objects) != 0 || len(m.Pages) != want {
			return nil, fmt.Errorf("%s: %d pages, want %d", what, len(m.Pages), want)
		}
		for i, r := range m.Pages {
			if err := checkRef(fmt.Sprintf("%s: page %d", what, i), r, MaxManifestSize); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("%s: page size %d out of range", what, m.PageSize)
	}
	return &m, nil
}

// ParsePageManifest parses a page manifest and checks it against the kind
// manifest that references it as page number page.
func ParsePageManifest(b []byte, km *KindManifest, page int) (*PageManifest, error) {
	var m PageManifest
	if err := decodeStrict(b, &m); err != nil {
		return nil, fmt.Errorf("page manifest: %w", err)
	}
	if m.Format != FormatPage {
		return nil, fmt.Errorf("page manifest: format %q, want %q", m.Format, FormatPage)
	}
	what := fmt.Sprintf("page manifest %s/%d", km.Kind, page)
	first := page * km.PageSize
	n := min(km.PageSize, km.Buckets-first)
	if m.Kind != km.Kind || m.First != first || len(m.Objects) != n {
		return nil, fmt.Errorf("%s: covers %s buckets %d+%d, want %s %d+%d", what, m.Kind, m.First, len(m.Objects), km.Kind, first, n)
	}
	for i, e := range m.Objects {
		if err := checkEntry(fmt.Sprintf("%s: bucket %d", what, first+i), e); err != nil {
			return nil, err
		}
	}
	return &m, nil
}

// Locate says where the bucket holding key is: the object entry directly
// (page < 0), or the page manifest to read first (then call
// PageManifest.Entry).
func (m *KindManifest) Locate(key string) (bucket int, entry Entry, page int) {
	bucket = m.Bucket(key)
	if m.PageSize == 0 {
		return bucket, m.Objects[bucket], -1
	}
	return bucket, Entry{}, bucket / m.PageSize
}

// Entry returns the object of a bucket covered by this page.
func (p *PageManifest) Entry(bucket int) (Entry, error) {
	i := bucket - p.First
	if i < 0 || i >= len(p.Objects) {
		return Entry{}, fmt.Errorf("page manifest %s: bucket %d not in %d+%d", p.Kind, bucket, p.First, len(p.Objects))
	}
	return p.Objects[i], nil
}

// LookupAnswer finds key in a decoded bucket (a JSON object of key ->
// answer document).
func LookupAnswer(bucket []byte, key string) ([]byte, bool, error) {
	m, err := SplitBucket(bucket)
	if err != nil {
		return nil, false, fmt.Errorf("bucket: %w", err)
	}
	a, ok := m[key]
	return a, ok, nil
}

// VerifyBytes checks b against a reference.
func VerifyBytes(name string, b []byte, r Ref) error {
	if int64(len(b)) != r.Size {
		return &IntegrityError{Path: name, Want: r.Digest, WantSize: r.Size, GotSize: int64(len(b)), Err: ErrSizeMismatch}
	}
	if got := Sum(b); got != r.Digest {
		return &IntegrityError{Path: name, Want: r.Digest, Got: got, WantSize: r.Size, GotSize: r.Size, Err: ErrDigestMismatch}
	}
	return nil
}

// marshalManifest encodes a manifest deterministically (struct fields in
// order, map keys sorted by encoding/json) in its stored form: the JSON,
// or one zstd frame of it when that is smaller. Manifests are mostly
// hexadecimal digests, which zstd stores in about half the bytes; every
// query fetches three of them.
func marshalManifest(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types, which always encode
	}
	b = append(b, '\n')
	if z := manifestEncoder().EncodeAll(b, nil); len(z) < len(b) {
		return z
	}
	return b
}

// zstdMagic starts every zstd frame; a JSON manifest starts with '{'.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// manifestEncoder and manifestDecoder are shared: EncodeAll and DecodeAll
// are safe for concurrent use. The encoder's options are fixed so the same
// manifest always gives the same bytes.
var (
	manifestEncoder = sync.OnceValue(func() *zstd.Encoder {
		e, err := newEncoder(nil)
		if err != nil {
			panic(err)
		}
		return e
	})
	manifestDecoder = sync.OnceValue(func() *zstd.Decoder { return cappedDecoder(MaxManifestSize) })
)

// cappedDecoder returns a shared-use decoder (DecodeAll only) that
// refuses to decode more than maxSize bytes.
func cappedDecoder(maxSize uint64) *zstd.Decoder {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(maxSize), zstd.WithDecoderMaxWindow(8<<20))
	if err != nil {
		panic(err) // fixed, valid options
	}
	return d
}

// manifestJSON returns the JSON of a stored manifest (verified already),
// decompressing a zstd frame up to MaxManifestSize.
func manifestJSON(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, zstdMagic) {
		return b, nil
	}
	out, err := manifestDecoder().DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("compressed manifest: %w", err)
	}
	if len(out) > MaxManifestSize {
		return nil, fmt.Errorf("manifest of %d bytes exceeds %d", len(out), MaxManifestSize)
	}
	return out, nil
}
