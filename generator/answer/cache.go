package answer

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Cache holds, per answer, the digest of its inputs and the document
// rendered from them, and the digest of every answer published last time
// (to tell what a run changes). Safe for concurrent Get and Put.
type Cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	used    map[string]bool
	put     map[string]bool // entries rendered by this run
	// shards names the shard files the cache was loaded from (by shard;
	// nil: none, every shard is written on save).
	shards []string
	// Published maps "kind/key" to the SHA-256 of the document published
	// by the last successful run.
	Published map[string][32]byte
}

type cacheEntry struct {
	In  [32]byte
	Doc []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{entries: map[string]cacheEntry{}, used: map[string]bool{}, put: map[string]bool{}, Published: map[string][32]byte{}}
}

// cacheName is the version 1 cache (one file), read once to migrate.
const cacheName = "answers.gob.zst"

// LoadCache reads the cache of a state folder; a missing, unreadable or
// damaged cache is empty (everything is rendered).
func LoadCache(stateDir string) *Cache {
	if c, err := loadShards(stateDir); err == nil {
		return c
	}
	return loadLegacy(stateDir)
}

func loadLegacy(stateDir string) *Cache {
	c := NewCache()
	f, err := os.Open(filepath.Join(stateDir, cacheName))
	if err != nil {
		return c
	}
	defer f.Close()
	zr, err := zstd.NewReader(bufio.NewReaderSize(f, 1<<20), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return c
	}
	defer zr.Close()
	entries, pub, err := decodeCache(bufio.NewReaderSize(zr, 1<<20))
	if err != nil {
		return c
	}
	c.entries, c.Published = entries, pub
	return c
}

// The version 1 cache file: magic, then entries (key, input digest,
// document), then published digests (key, digest), each list preceded by
// its length.
const cacheMagic = "distmeta-answer-cache/1\n"

func decodeCache(r *bufio.Reader) (map[string]cacheEntry, map[string][32]byte, error) {
	magic := make([]byte, len(cacheMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != cacheMagic {
		return nil, nil, fmt.Errorf("answer cache: bad magic")
	}
	getU := func() (int, error) {
		n, err := binary.ReadUvarint(r)
		if err != nil || n > 1<<31 {
			return 0, fmt.Errorf("answer cache: bad length")
		}
		return int(n), nil
	}
	getS := func() ([]byte, error) {
		n, err := getU()
		if err != nil {
			return nil, err
		}
		b := make([]byte, n)
		_, err = io.ReadFull(r, b)
		return b, err
	}
	n, err := getU()
	if err != nil {
		return nil, nil, err
	}
	entries := make(map[string]cacheEntry, n)
	for i := 0; i < n; i++ {
		k, err := getS()
		if err != nil {
			return nil, nil, err
		}
		var e cacheEntry
		if _, err := io.ReadFull(r, e.In[:]); err != nil {
			return nil, nil, err
		}
		if e.Doc, err = getS(); err != nil {
			return nil, nil, err
		}
		entries[string(k)] = e
	}
	if n, err = getU(); err != nil {
		return nil, nil, err
	}
	pub := make(map[string][32]byte, n)
	for i := 0; i < n; i++ {
		k, err := getS()
		if err != nil {
			return nil, nil, err
		}
		var d [32]byte
		if _, err := io.ReadFull(r, d[:]); err != nil {
			return nil, nil, err
		}
		pub[string(k)] = d
	}
	return entries, pub, nil
}

// Get returns the document rendered for the same inputs, if any.
func (c *Cache) Get(kind, key string, in [32]byte) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	k := kind + "/" + key
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || e.In != in {
		return nil, false
	}
	c.used[k] = true
	return e.Doc, true
}

// Put records a rendered document.
func (c *Cache) Put(kind, key string, in [32]byte, doc []byte) {
	if c == nil {
		return
	}
	k := kind + "/" + key
	c.mu.Lock()
	c.entries[k] = cacheEntry{In: in, Doc: doc}
	c.used[k] = true
	c.put[k] = true
	c.mu.Unlock()
}

// Changes compares set with what was published last time.
type Changes struct {
	Added, Changed, Removed map[string]int // per kind
	Keys                    []string       // "+kind/key", "~kind/key", "-kind/key", sorted by key
}

// Total is the number of answers added, changed or removed.
func (ch *Changes) Total() int { return len(ch.Keys) }

// Digests holds the SHA-256 of every document of a Set, by kind and key.
type Digests map[string]map[string][32]byte

// Of returns the digest of (kind, key), zero when there is no such
// document.
func (d Digests) Of(kind, key string) [32]byte { return d[kind][key] }

// Digest hashes every document of set, with up to jobs goroutines.
func Digest(set Set, jobs int) Digests {
	jobs = max(jobs, 1)
	out := Digests{}
	type part struct {
		kind string
		keys []string
		sums [][32]byte
	}
	var parts []*part
	for kind, docs := range set {
		out[kind] = make(map[string][32]byte, len(docs))
		keys := make([]string, 0, len(docs))
		for k := range docs {
			keys = append(keys, k)
		}
		const chunk = 4096
		for lo := 0; lo < len(keys); lo += chunk {
			ks := keys[lo:min(lo+chunk, len(keys))]
			parts = append(parts, &part{kind: kind, keys: ks, sums: make([][32]byte, len(ks))})
		}
	}
	var wg sync.WaitGroup
	next := make(chan *part)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				for i, k := range p.keys {
					p.sums[i] = sha256.Sum256(set[p.kind][k])
				}
			}
		}()
	}
	for _, p := range parts {
		next <- p
	}
	close(next)
	wg.Wait()
	for _, p := range parts {
		m := out[p.kind]
		for i, k := range p.keys {
			m[k] = p.sums[i]
		}
	}
	return out
}

// Diff tells what publishing set would change.
func (c *Cache) Diff(set Set) *Changes { return c.DiffDigests(set, Digest(set, 1)) }

// DiffDigests is Diff with the digests of set already computed.
func (c *Cache) DiffDigests(set Set, dg Digests) *Changes {
	ch := &Changes{Added: map[string]int{}, Changed: map[string]int{}, Removed: map[string]int{}}
	seen := map[string]bool{}
	for kind, docs := range set {
		for key := range docs {
			k := kind + "/" + key
			seen[k] = true
			old, ok := c.Published[k]
			switch {
			case !ok:
				ch.Added[kind]++
				ch.Keys = append(ch.Keys, "+"+k)
			case old != dg.Of(kind, key):
				ch.Changed[kind]++
				ch.Keys = append(ch.Keys, "~"+k)
			}
		}
	}
	for k := range c.Published {
		if !seen[k] {
			kind, _, _ := cut(k)
			ch.Removed[kind]++
			ch.Keys = append(ch.Keys, "-"+k)
		}
	}
	sort.Slice(ch.Keys, func(i, j int) bool { return ch.Keys[i][1:] < ch.Keys[j][1:] })
	return ch
}

func cut(k string) (string, string, bool) {
	for i := 0; i < len(k); i++ {
		if k[i] == '/' {
			return k[:i], k[i+1:], true
		}
	}
	return k, "", false
}

// Save records set as published and writes the cache (only the entries
// used by this run) to the state folder, atomically.
func (c *Cache) Save(stateDir string, set Set) error {
	return c.SaveDigests(stateDir, set, Digest(set, 1))
}

// SaveDigests is Save with the digests of set already computed: only the
// shards whose entries or published digests changed are written
// (saveShards).
func (c *Cache) SaveDigests(stateDir string, set Set, dg Digests) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.saveShards(stateDir, set, dg); err != nil {
		return fmt.Errorf("answer cache: %w", err)
	}
	return nil
}
