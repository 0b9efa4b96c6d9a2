package site

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// changeOne returns a copy of m with one answer of kind changed.
func changeOne(t *testing.T, m Model, kind string) Model {
	t.Helper()
	out := Model{Answers: map[string]map[string][]byte{}, Files: m.Files}
	for k, as := range m.Answers {
		out.Answers[k] = as
	}
	as := m.Answers[kind]
	keys := make([]string, 0, len(as))
	for key := range as {
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		t.Fatalf("kind %s has no answers", kind)
	}
	sort.Strings(keys)
	changed := map[string][]byte{}
	for key, a := range as {
		changed[key] = a
	}
	changed[keys[len(keys)/2]] = []byte(`{"changed":true}`)
	out.Answers[kind] = changed
	return out
}

// cachedObjects lists the object paths a kind's cache file names.
func cachedObjects(t *testing.T, dir, kind string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, pubCacheDir, kind))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 {
			continue
		}
		d, ok := digestFromHex(f[1])
		if !ok {
			t.Fatalf("cache line %q", line)
		}
		out = append(out, d.ObjectPath())
	}
	sort.Strings(out)
	return out
}

func TestPublishCache(t *testing.T) {
	k := newTestKey(t, "test.example")
	m := copyModel(small())
	kinds := make([]string, 0, len(m.Answers))
	for kind := range m.Answers {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	kind := kinds[0]
	m2 := changeOne(t, m, kind)

	base := t.TempDir()
	publish(t, base, m, k, t0, PublishOptions{})
	objs := cachedObjects(t, base, kind)
	if len(objs) < 2 {
		t.Fatalf("kind %s: cache names %d objects, want several", kind, len(objs))
	}

	// A publish without cache reuses nothing.
	nocache := t.TempDir()
	copyTree(t, base, nocache)
	if err := os.RemoveAll(filepath.Join(nocache, pubCacheDir)); err != nil {
		t.Fatal(err)
	}
	if res := publish(t, nocache, m2, k, t0.Add(1), PublishOptions{}); res.BucketsReused != 0 {
		t.Fatalf("publish without cache reused %d buckets", res.BucketsReused)
	}

	buckets := 0
	for _, kind := range kinds {
		buckets += len(cachedObjects(t, base, kind))
	}

	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		// minReused and maxReused bound BucketsReused.
		minReused, maxReused int
	}{
		{"intact", func(*testing.T, string) {}, buckets - 2, buckets - 1},
		{"missing cache", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, pubCacheDir, kind)); err != nil {
				t.Fatal(err)
			}
		}, 1, buckets - len(objs)},
		{"garbage cache", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, pubCacheDir, kind), []byte("garbage\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, 1, buckets - len(objs)},
		{"one byte flipped", func(t *testing.T, dir string) {
			p := filepath.Join(dir, pubCacheDir, kind)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			i := strings.Index(string(b), "\ndict ") + 60
			b[i] ^= 1
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, 1, buckets - len(objs)},
		{"entries swapped, checksum redone", func(t *testing.T, dir string) {
			// A cache that is well formed but wrong: every raw digest
			// names another bucket's object. Sizes then mismatch or, where
			// they match, the raw size does.
			p := filepath.Join(dir, pubCacheDir, kind)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			body := lines[2 : len(lines)-1]
			raws := make([]string, len(body))
			for i, l := range body {
				raws[i], _, _ = strings.Cut(l, " ")
			}
			for i, l := range body {
				_, rest, _ := strings.Cut(l, " ")
				body[i] = raws[(i+1)%len(raws)] + " " + rest
			}
			text := strings.Join(append(lines[:2], body...), "\n") + "\n"
			text += "sum " + Sum([]byte(text)).String() + "\n"
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}, 1, buckets - 1},
		{"other dictionary", func(t *testing.T, dir string) {
			p := filepath.Join(dir, pubCacheDir, kind)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Replace(string(b), "\ndict ", "\ndict x", 1)
			lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
			body := strings.Join(lines[:len(lines)-1], "\n") + "\n"
			body += "sum " + Sum([]byte(body)).String() + "\n"
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}, 1, buckets - len(objs)},
		{"object removed", func(t *testing.T, dir string) {
			for _, o := range objs {
				if err := os.Remove(filepath.Join(dir, o)); err != nil {
					t.Fatal(err)
				}
			}
		}, 1, buckets - len(objs)},
		{"object truncated", func(t *testing.T, dir string) {
			for _, o := range objs {
				if err := os.Truncate(filepath.Join(dir, o), 1); err != nil {
					t.Fatal(err)
				}
			}
		}, 1, buckets - len(objs)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The reference: the same damaged folder published without
			// cache (it differs from want where objects were removed).
			want := t.TempDir()
			copyTree(t, base, want)
			tc.damage(t, want)
			if err := os.RemoveAll(filepath.Join(want, pubCacheDir)); err != nil {
				t.Fatal(err)
			}
			publish(t, want, m2, k, t0.Add(1), PublishOptions{})
			wantHash := treeHash(t, want)

			dir := t.TempDir()
			copyTree(t, base, dir)
			tc.damage(t, dir)
			res := publish(t, dir, m2, k, t0.Add(1), PublishOptions{})
			if res.BucketsReused < tc.minReused || res.BucketsReused > tc.maxReused {
				t.Errorf("reused %d buckets of %d, want %d..%d", res.BucketsReused, buckets, tc.minReused, tc.maxReused)
			}
			if got := treeHash(t, dir); got != wantHash {
				t.Fatalf("site differs from a publish without cache")
			}
			mustVerify(t, dir, k.verifiers)
			// The cache is rewritten: a third publish of the same model
			// reuses every bucket.
			res = publish(t, dir, m2, k, t0.Add(2), PublishOptions{})
			if res.BucketsReused != buckets || res.ObjectsWritten > 3 {
				t.Errorf("republish: reused %d of %d buckets, wrote %d", res.BucketsReused, buckets, res.ObjectsWritten)
			}
		})
	}
}

func TestParsePubCache(t *testing.T) {
	dict := &Ref{Sum([]byte("dict")), 4}
	raw := []byte(`{"a":1}` + "\n")
	c := pubCache{
		Sum(raw):         {Digest: Sum(raw), Size: int64(len(raw)), RawSize: int64(len(raw)), Encoding: EncodingRaw},
		Sum([]byte("z")): {Digest: Sum([]byte("zz")), Size: 10, RawSize: 100, Encoding: EncodingZstd},
	}
	good := marshalPubCache(dict, c)
	if got := parsePubCache(good, dict); len(got) != 2 || got[Sum(raw)] != c[Sum(raw)] {
		t.Fatalf("round trip: %v", got)
	}
	resum := func(body string) []byte {
		return []byte(body + "sum " + Sum([]byte(body)).String() + "\n")
	}
	line := func(raw, d Digest, rest string) string {
		return strings.TrimPrefix(raw.String(), digestPrefix) + " " + strings.TrimPrefix(d.String(), digestPrefix) + " " + rest + "\n"
	}
	head := pubCacheMagic + "\ndict " + dictKey(dict) + "\n"
	a, b := Sum([]byte("a")), Sum([]byte("b"))
	tests := []struct {
		name string
		data []byte
		dict *Ref
	}{
		{"empty", nil, dict},
		{"no final newline", good[:len(good)-1], dict},
		{"bad sum", append(append([]byte{}, good[:len(good)-2]...), '0', '\n'), dict},
		{"other dictionary", good, nil},
		{"other magic", resum("distmeta publish-cache 0\ndict " + dictKey(dict) + "\n"), dict},
		{"short line", resum(head + "abc 1 2 raw\n"), dict},
		{"raw entry with sizes that differ", resum(head + line(a, a, "3 4 raw")), dict},
		{"zstd not smaller", resum(head + line(a, b, "4 4 zstd")), dict},
		{"unknown encoding", resum(head + line(a, b, "3 4 xz")), dict},
		{"negative size", resum(head + line(a, b, "-3 4 zstd")), dict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := parsePubCache(tc.data, tc.dict); got != nil {
				t.Fatalf("parsed %v, want nil", got)
			}
		})
	}
	if got := parsePubCache(resum(head+line(a, b, "3 4 zstd")), dict); len(got) != 1 {
		t.Fatalf("valid line: %v", got)
	}
}

// withDigests returns m with a Digest function over its answers as given.
func withDigests(m Model) Model {
	m.Digest = func(kind, key string) [32]byte { return sha256.Sum256(m.Answers[kind][key]) }
	return m
}

// TestPublishAnswerDigests: with answer digests a publish gives the same
// site as without, an incremental one reuses every bucket but the changed
// one without building it, and a changed answer is published.
func TestPublishAnswerDigests(t *testing.T) {
	k := newTestKey(t, "test.example")
	m := copyModel(small())
	kinds := sortedKeys(m.Answers)
	m2 := changeOne(t, m, kinds[0])

	plain, digested := t.TempDir(), t.TempDir()
	publish(t, plain, m, k, t0, PublishOptions{})
	publish(t, digested, withDigests(m), k, t0, PublishOptions{})
	if a, b := treeHash(t, plain), treeHash(t, digested); a != b {
		t.Fatalf("publish with answer digests differs from without: %s vs %s", a, b)
	}
	buckets := 0
	for _, kind := range kinds {
		buckets += len(cachedObjects(t, plain, kind))
	}

	// A site whose cache has only content digests: reused by content,
	// and the members digests are recorded beside them.
	if res := publish(t, plain, withDigests(m), k, t0.Add(1), PublishOptions{}); res.BucketsReused != buckets {
		t.Fatalf("republish reused %d of %d buckets", res.BucketsReused, buckets)
	}
	// One answer changed: all buckets but one reused; the changed bucket
	// rebuilt and written; the root equals a from-scratch publish of m2.
	res := publish(t, digested, withDigests(m2), k, t0.Add(2), PublishOptions{})
	if res.BucketsReused != buckets-1 {
		t.Fatalf("reused %d of %d buckets, want all but the changed one", res.BucketsReused, buckets)
	}
	fresh := publish(t, t.TempDir(), m2, k, t0.Add(2), PublishOptions{})
	if res.Index.Root != fresh.Index.Root {
		t.Fatalf("incremental publish with digests: root %v, from scratch %v", res.Index.Root, fresh.Index.Root)
	}
	f := DirFetcher(digested)
	ix := res.Index
	key := sortedKeys(m2.Answers[kinds[0]])[len(m2.Answers[kinds[0]])/2]
	got, ok, err := ReadAnswer(context.Background(), f, ix, kinds[0], key)
	if err != nil || !ok || string(got) != `{"changed":true}` {
		t.Fatalf("changed answer after incremental publish: %q %v %v", got, ok, err)
	}
}
