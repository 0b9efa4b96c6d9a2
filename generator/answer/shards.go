package answer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/distmeta/distmeta/internal/atomicfile"
)

// The cache is kept in the folder shardDir of the state: cacheShards shard
// files, each the entries and published digests of the keys that hash to
// it and a CRC-32C of them, and an index naming the shard files. A run
// that changes a few answers writes only their shards. The shard files
// are not compressed: they are mapped (mapFile), the documents used in
// place.
//
// A shard file is named by its shard and a digest of its content; it is
// written to a temporary file, synced and renamed before the index that
// names it, and the shard files no index names are removed after the
// index. A crash leaves the old index and its shards, or the new ones;
// a damaged index or shard (their CRC, the structure) makes the whole
// cache empty: everything is rendered again.
const (
	shardDir    = "answers"
	shardIndex  = "index"
	cacheShards = 64 // shardOf keeps 6 bits
	indexMagic  = "distmeta-answer-cache/2\n"
	shardMagic  = "distmeta-answer-shard/2\n"
	shardSuffix = ".bin"
)

// shardOf returns the shard of a cache key.
func shardOf(k string) int {
	h := fnv.New32a()
	h.Write([]byte(k))
	return int(h.Sum32() >> 26) // the top 6 bits, the best mixed
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encodeIndex lists the shard files, one a line, and a CRC-32C of them.
func encodeIndex(names []string) []byte {
	b := []byte(indexMagic)
	for _, n := range names {
		b = append(b, n...)
		b = append(b, '\n')
	}
	return fmt.Appendf(b, "crc %08x\n", crc32.Checksum(b, castagnoli))
}

func decodeIndex(b []byte) ([]string, error) {
	body, tail, ok := cutLast(b)
	if !ok || !bytes.HasPrefix(body, []byte(indexMagic)) || string(tail) != fmt.Sprintf("crc %08x\n", crc32.Checksum(body, castagnoli)) {
		return nil, errors.New("bad index")
	}
	names := strings.Split(strings.TrimSuffix(string(body[len(indexMagic):]), "\n"), "\n")
	if len(names) != cacheShards {
		return nil, fmt.Errorf("%d shards, want %d", len(names), cacheShards)
	}
	for i, n := range names {
		if !strings.HasPrefix(n, fmt.Sprintf("%02x-", i)) || !strings.HasSuffix(n, shardSuffix) || strings.ContainsAny(n, "/\\") {
			return nil, fmt.Errorf("shard %d: file name %q", i, n)
		}
	}
	return names, nil
}

// cutLast splits b before its last line.
func cutLast(b []byte) (body, last []byte, ok bool) {
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil, nil, false
	}
	i := bytes.LastIndexByte(b[:len(b)-1], '\n')
	if i < 0 {
		return nil, nil, false
	}
	return b[:i+1], b[i+1:], true
}

// shard is the decoded content of one shard file.
type shard struct {
	keys    []string
	entries []cacheEntry
	pubKeys []string
	pub     [][32]byte
}

// encodeShard writes the entries and published digests of one shard,
// sorted by key.
func encodeShard(i int, entries map[string]cacheEntry, pub map[string][32]byte) []byte {
	var b []byte
	b = append(b, shardMagic...)
	b = binary.AppendUvarint(b, uint64(i))
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		e := entries[k]
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = append(b, e.In[:]...)
		b = binary.AppendUvarint(b, uint64(len(e.Doc)))
		b = append(b, e.Doc...)
	}
	keys = keys[:0]
	for k := range pub {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		d := pub[k]
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = append(b, d[:]...)
	}
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// decodeShard reads shard i; documents are slices of b.
func decodeShard(i int, b []byte) (*shard, error) {
	if len(b) < len(shardMagic)+4 || !bytes.HasPrefix(b, []byte(shardMagic)) {
		return nil, errors.New("bad magic")
	}
	if binary.BigEndian.Uint32(b[len(b)-4:]) != crc32.Checksum(b[:len(b)-4], castagnoli) {
		return nil, errors.New("checksum mismatch")
	}
	b = b[:len(b)-4]
	d := &shardDecoder{b: b}
	d.off = len(shardMagic)
	if d.uvarint() != uint64(i) {
		return nil, fmt.Errorf("not shard %d", i)
	}
	s := &shard{}
	n := d.count(34)
	s.keys, s.entries = make([]string, 0, n), make([]cacheEntry, 0, n)
	for range n {
		k := d.str()
		var e cacheEntry
		copy(e.In[:], d.bytes(32))
		e.Doc = d.bytes(int(d.count(1)))
		if d.err != nil {
			break
		}
		s.keys = append(s.keys, k)
		s.entries = append(s.entries, e)
	}
	n = d.count(33)
	s.pubKeys, s.pub = make([]string, 0, n), make([][32]byte, 0, n)
	for range n {
		k := d.str()
		var h [32]byte
		copy(h[:], d.bytes(32))
		if d.err != nil {
			break
		}
		s.pubKeys = append(s.pubKeys, k)
		s.pub = append(s.pub, h)
	}
	if d.err == nil && d.off != len(b) {
		d.err = fmt.Errorf("%d bytes after the entries", len(b)-d.off)
	}
	if d.err != nil {
		return nil, d.err
	}
	for _, keys := range [][]string{s.keys, s.pubKeys} {
		for _, k := range keys {
			if shardOf(k) != i {
				return nil, fmt.Errorf("key %q in shard %d", k, i)
			}
		}
	}
	return s, nil
}

type shardDecoder struct {
	b   []byte
	off int
	err error
}

func (d *shardDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.err = errors.New("truncated")
		return 0
	}
	d.off += n
	return v
}

// count reads a length of items at least min bytes each.
func (d *shardDecoder) count(min int) uint64 {
	v := d.uvarint()
	if d.err == nil && v > uint64(len(d.b)-d.off)/uint64(min) {
		d.err = errors.New("length past the end")
		return 0
	}
	return v
}

func (d *shardDecoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.err = errors.New("truncated")
		return nil
	}
	b := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return b
}

func (d *shardDecoder) str() string { return string(d.bytes(int(d.count(1)))) }

// loadShards reads the sharded cache of a state folder.
func loadShards(stateDir string) (*Cache, error) {
	dir := filepath.Join(stateDir, shardDir)
	b, err := os.ReadFile(filepath.Join(dir, shardIndex))
	if err != nil {
		return nil, err
	}
	names, err := decodeIndex(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, shardIndex), err)
	}
	shards := make([]*shard, cacheShards)
	errs := make([]error, cacheShards)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := filepath.Join(dir, names[i])
				raw, err := mapFile(p)
				if err == nil {
					shards[i], err = decodeShard(i, raw)
				}
				if err != nil {
					errs[i] = fmt.Errorf("%s: %w", p, err)
				}
			}
		}()
	}
	for i := range cacheShards {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	ne, np := 0, 0
	for _, s := range shards {
		ne, np = ne+len(s.keys), np+len(s.pubKeys)
	}
	c := NewCache()
	c.entries, c.Published = make(map[string]cacheEntry, ne), make(map[string][32]byte, np)
	for _, s := range shards {
		for j, k := range s.keys {
			c.entries[k] = s.entries[j]
		}
		for j, k := range s.pubKeys {
			c.Published[k] = s.pub[j]
		}
	}
	c.shards = names
	return c, nil
}

// saveShards records set (with its digests dg) as published and writes
// the shards whose content changed since the cache was loaded (all when
// it was not loaded from shards), then the index, then removes the files
// it no longer names. Called with c.mu held.
func (c *Cache) saveShards(stateDir string, set Set, dg Digests) error {
	dir := filepath.Join(stateDir, shardDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dirty := make([]bool, cacheShards)
	if c.shards == nil {
		for i := range dirty {
			dirty[i] = true
		}
	}
	// Entries: one rendered by this run, or one loaded and not used.
	for k := range c.put {
		dirty[shardOf(k)] = true
	}
	for k := range c.entries {
		if !c.used[k] {
			dirty[shardOf(k)] = true
			delete(c.entries, k)
		}
	}
	// Published digests: one added, changed or removed. c.Published
	// becomes what set publishes, in place.
	seen := 0
	for kind, docs := range set {
		for key := range docs {
			k := kind + "/" + key
			d := dg.Of(kind, key)
			old, ok := c.Published[k]
			if ok {
				seen++
			}
			if !ok || old != d {
				dirty[shardOf(k)] = true
				c.Published[k] = d
			}
		}
	}
	if seen != len(c.Published) { // some were not published this time
		for k := range c.Published {
			kind, key, _ := cut(k)
			if _, ok := set[kind][key]; !ok {
				dirty[shardOf(k)] = true
				delete(c.Published, k)
			}
		}
	}
	names := slices.Clone(c.shards)
	if names == nil {
		names = make([]string, cacheShards)
	}
	// A shard file not there (another folder, removed) is written again.
	for i, n := range names {
		if !dirty[i] {
			if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
				dirty[i] = true
			}
		}
	}
	entries := make([]map[string]cacheEntry, cacheShards)
	pubs := make([]map[string][32]byte, cacheShards)
	for i := range cacheShards {
		if dirty[i] {
			entries[i], pubs[i] = map[string]cacheEntry{}, map[string][32]byte{}
		}
	}
	for k, e := range c.entries {
		if m := entries[shardOf(k)]; m != nil {
			m[k] = e
		}
	}
	for k, d := range c.Published {
		if m := pubs[shardOf(k)]; m != nil {
			m[k] = d
		}
	}
	for i := range cacheShards {
		if !dirty[i] {
			continue
		}
		body := encodeShard(i, entries[i], pubs[i])
		sum := sha256.Sum256(body)
		names[i] = fmt.Sprintf("%02x-%x%s", i, sum[:12], shardSuffix)
		if err := atomicfile.Write(filepath.Join(dir, names[i]), body, 0o644); err != nil {
			return err
		}
	}
	if err := atomicfile.Write(filepath.Join(dir, shardIndex), encodeIndex(names), 0o644); err != nil {
		return err
	}
	c.shards = names
	for k := range c.put {
		delete(c.put, k)
	}
	// Leftovers: shards no longer named, temporary files, the version 1
	// cache.
	keep := map[string]bool{shardIndex: true}
	for _, n := range names {
		keep[n] = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !keep[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	if err := os.Remove(filepath.Join(stateDir, cacheName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
