package answer

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"testing"
)

// world is a set of answers and the cache that rendered its src kind.
func world(n int, rev string) (Set, *Cache) {
	set := Set{"src": {}, "pkg": {}}
	c := NewCache()
	for i := range n {
		k := fmt.Sprintf("c%04d", i)
		doc := []byte(fmt.Sprintf(`{"name":%q,"rev":%q}`, k, rev))
		set["src"][k] = doc
		set["pkg"][k] = []byte(fmt.Sprintf(`{"pkg":%q}`, k))
		c.Put("src", k, [32]byte{byte(i), byte(i >> 8)}, doc)
	}
	return set, c
}

func shardFiles(t *testing.T, state string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(state, shardDir))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(state, shardDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// sameCache reports whether two caches hold the same entries and
// published digests.
func sameCache(a, b *Cache) bool {
	return reflect.DeepEqual(a.entries, b.entries) && maps.Equal(a.Published, b.Published)
}

// TestShardedSave: a save after a run that changed one answer writes only
// its shard; what is saved is byte for byte what a save from scratch of
// the same cache writes, and loads back the same.
func TestShardedSave(t *testing.T) {
	state := t.TempDir()
	set, c := world(500, "1")
	if err := c.Save(state, set); err != nil {
		t.Fatal(err)
	}
	before := shardFiles(t, state)
	if len(before) != cacheShards+1 {
		t.Fatalf("%d files, want %d shards and the index", len(before), cacheShards)
	}
	// The next run: one document re-rendered, one answer gone.
	c2 := LoadCache(state)
	for k, doc := range set["src"] {
		in := c.entries["src/"+k].In
		if k == "c0007" {
			in[31] = 1
			doc = []byte(`{"new":1}`)
			c2.Put("src", k, in, doc)
			set["src"][k] = doc
			continue
		}
		if _, ok := c2.Get("src", k, in); !ok {
			t.Fatalf("src/%s: not reused", k)
		}
	}
	delete(set["pkg"], "c0100")
	if err := c2.Save(state, set); err != nil {
		t.Fatal(err)
	}
	after := shardFiles(t, state)
	changed := map[int]bool{}
	for n := range after {
		if _, ok := before[n]; !ok && n != shardIndex {
			i, err := strconv.ParseUint(n[:2], 16, 8)
			if err != nil {
				t.Fatalf("shard file %s", n)
			}
			changed[int(i)] = true
		}
	}
	want := map[int]bool{shardOf("src/c0007"): true, shardOf("pkg/c0100"): true}
	if len(after) != cacheShards+1 || !maps.Equal(changed, want) {
		t.Fatalf("%d shard files written (%v), want %d (%v); %d files", len(changed), changed, len(want), want, len(after))
	}
	// From scratch: the same bytes.
	fresh := t.TempDir()
	c3 := LoadCache(state)
	if !sameCache(c2, c3) {
		t.Fatal("reloaded cache differs from the saved one")
	}
	c4 := NewCache()
	for k, e := range c3.entries {
		kind, key, _ := cut(k)
		c4.Put(kind, key, e.In, e.Doc)
	}
	if err := c4.Save(fresh, set); err != nil {
		t.Fatal(err)
	}
	if got := shardFiles(t, fresh); !reflect.DeepEqual(got, after) {
		t.Error("a save from scratch writes other files")
	}
	// A run with nothing changed writes no shard.
	c5 := LoadCache(state)
	for k, e := range c5.entries {
		kind, key, _ := cut(k)
		c5.Get(kind, key, e.In)
	}
	if err := c5.Save(state, set); err != nil {
		t.Fatal(err)
	}
	if got := shardFiles(t, state); !reflect.DeepEqual(got, after) {
		t.Error("an unchanged run rewrote the cache")
	}
}

// TestShardedCrash: every way a save can be cut short, or the files
// damaged, leaves a cache that loads as the last complete save, or as
// empty (everything rendered again), never another content.
func TestShardedCrash(t *testing.T) {
	index := func(state string) string { return filepath.Join(state, shardDir, shardIndex) }
	aShard := func(t *testing.T, state string) string {
		b, err := os.ReadFile(index(state))
		if err != nil {
			t.Fatal(err)
		}
		names, err := decodeIndex(b)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(state, shardDir, names[5])
	}
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, state, next string)
		empty  bool // else: the first save
	}{
		{name: "shards written, index not", damage: func(t *testing.T, state, next string) {
			// The next save's shards are there, its index is not.
			for n, b := range shardFiles(t, next) {
				if n != shardIndex {
					os.WriteFile(filepath.Join(state, shardDir, n), b, 0o644)
				}
			}
			os.WriteFile(filepath.Join(state, shardDir, ".tmp-123"), []byte("half"), 0o644)
		}},
		{name: "shard truncated", empty: true, damage: func(t *testing.T, state, _ string) {
			p := aShard(t, state)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}},
		{name: "shard byte flipped", empty: true, damage: func(t *testing.T, state, _ string) {
			p := aShard(t, state)
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 0x40
			os.WriteFile(p, b, 0o644)
		}},
		{name: "shard missing", empty: true, damage: func(t *testing.T, state, _ string) {
			os.Remove(aShard(t, state))
		}},
		{name: "index byte flipped", empty: true, damage: func(t *testing.T, state, _ string) {
			b, _ := os.ReadFile(index(state))
			b[len(indexMagic)+1] ^= 0x01
			os.WriteFile(index(state), b, 0o644)
		}},
		{name: "index truncated", empty: true, damage: func(t *testing.T, state, _ string) {
			b, _ := os.ReadFile(index(state))
			os.WriteFile(index(state), b[:len(b)-3], 0o644)
		}},
		{name: "index empty", empty: true, damage: func(t *testing.T, state, _ string) {
			os.WriteFile(index(state), nil, 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, next := t.TempDir(), t.TempDir()
			set, c := world(300, "1")
			if err := c.Save(state, set); err != nil {
				t.Fatal(err)
			}
			first := LoadCache(state)
			set2, c2 := world(300, "2")
			if err := c2.Save(next, set2); err != nil {
				t.Fatal(err)
			}
			tc.damage(t, state, next)
			got := LoadCache(state)
			switch {
			case tc.empty && (len(got.entries) != 0 || len(got.Published) != 0):
				t.Fatalf("damaged cache loaded: %d entries", len(got.entries))
			case !tc.empty && !sameCache(got, first):
				t.Fatal("cache differs from the last complete save")
			}
			// The next save writes a complete cache again, leftovers
			// gone.
			if err := c2.Save(state, set2); err != nil {
				t.Fatal(err)
			}
			files := shardFiles(t, state)
			nf := shardFiles(t, next)
			for n, b := range nf {
				if !bytes.Equal(files[n], b) {
					t.Logf("%s differs: %d and %d bytes", n, len(files[n]), len(b))
				}
			}
			if !reflect.DeepEqual(files, nf) {
				names := make([]string, 0, len(files))
				for n := range files {
					names = append(names, n)
				}
				sort.Strings(names)
				t.Fatalf("after the next save: %v", names)
			}
			if again := LoadCache(state); !sameCache(again, LoadCache(next)) {
				t.Fatal("reload after the next save differs")
			}
		})
	}
}

// TestDecodeShardRejects: malformed shard bodies are errors, not panics.
func TestDecodeShardRejects(t *testing.T) {
	good := encodeShard(3, map[string]cacheEntry{}, map[string][32]byte{})
	elsewhere := "src/a"
	for shardOf(elsewhere) == 3 {
		elsewhere += "a"
	}
	sealed := func(b []byte) []byte { return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)) }
	flipped := bytes.Clone(good)
	flipped[len(flipped)-1] ^= 1
	for name, b := range map[string][]byte{
		"empty":           nil,
		"crc":             flipped,
		"other shard":     encodeShard(4, nil, nil),
		"trailing":        sealed(append(bytes.Clone(good[:len(good)-4]), 0)),
		"huge count":      sealed(append([]byte(shardMagic), 3, 0xff, 0xff, 0xff, 0xff, 0x0f)),
		"cut":             sealed(append([]byte(shardMagic), 3, 1, 5, 's', 'r')),
		"key elsewhere":   encodeShard(3, nil, map[string][32]byte{elsewhere: {}}),
		"entry elsewhere": encodeShard(3, map[string]cacheEntry{elsewhere: {}}, nil),
	} {
		if _, err := decodeShard(3, b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if s, err := decodeShard(3, good); err != nil || len(s.keys)+len(s.pubKeys) != 0 {
		t.Errorf("empty shard: %v", err)
	}
}

func FuzzDecodeShard(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeShard(7, b)
		if err != nil {
			return
		}
		// What decodes encodes back to the same bytes.
		entries, pub := map[string]cacheEntry{}, map[string][32]byte{}
		for i, k := range s.keys {
			entries[k] = s.entries[i]
		}
		for i, k := range s.pubKeys {
			pub[k] = s.pub[i]
		}
		if len(entries) == len(s.keys) && len(pub) == len(s.pubKeys) && sort.StringsAreSorted(s.keys) && sort.StringsAreSorted(s.pubKeys) {
			if again := encodeShard(7, entries, pub); !bytes.Equal(again, b) {
				t.Fatalf("re-encoded shard differs")
			}
		}
	})
}

func FuzzDecodeIndex(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		names, err := decodeIndex(b)
		if err != nil {
			return
		}
		if again := encodeIndex(names); !bytes.Equal(again, b) {
			t.Fatalf("re-encoded index differs")
		}
	})
}
