package site

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"testing"
)

// loadSite reads a published site back into the Model that produced it:
// every bucket of every kind, decoded and split into answers, and every
// plain file. The index is trusted as is (the site is our own).
func loadSite(tb testing.TB, dir string) Model {
	tb.Helper()
	msg, err := os.ReadFile(dir + "/index")
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := ParseIndexUnverified(msg)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	f := DirFetcher(dir)
	b, err := FetchVerified(ctx, f, ix.Root.Digest.ManifestPath(), ix.Root)
	if err != nil {
		tb.Fatal(err)
	}
	root, err := ParseRootManifest(b)
	if err != nil {
		tb.Fatal(err)
	}
	m := Model{Answers: map[string]map[string][]byte{}, Files: map[string][]byte{}}
	for p, e := range root.Files {
		c, err := FetchVerified(ctx, f, e.Digest.ObjectPath(), e.Ref())
		if err != nil {
			tb.Fatal(err)
		}
		m.Files[p] = c
	}
	for kind, kr := range root.Kinds {
		var dict []byte
		if kr.Dict != nil {
			if dict, err = FetchVerified(ctx, f, kr.Dict.Digest.ObjectPath(), *kr.Dict); err != nil {
				tb.Fatal(err)
			}
		}
		entries, err := kindEntries(ctx, f, kr)
		if err != nil {
			tb.Fatal(err)
		}
		answers := map[string][]byte{}
		for _, e := range entries {
			s, err := FetchVerified(ctx, f, e.Digest.ObjectPath(), e.Ref())
			if err != nil {
				tb.Fatal(err)
			}
			c, err := DecodeObject(s, e, dict)
			if err != nil {
				tb.Fatal(err)
			}
			as, err := splitBucket(c)
			if err != nil {
				tb.Fatalf("%s: %v", e.Digest, err)
			}
			for k, a := range as {
				answers[k] = a
			}
		}
		m.Answers[kind] = answers
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// kindEntries returns the object entries of every bucket of a kind, in
// bucket order, reading page manifests when the kind has them.
func kindEntries(ctx context.Context, f Fetcher, kr KindRef) ([]Entry, error) {
	b, err := FetchVerified(ctx, f, kr.Manifest.Digest.ManifestPath(), kr.Manifest)
	if err != nil {
		return nil, err
	}
	km, err := ParseKindManifest(b)
	if err != nil {
		return nil, err
	}
	entries := append([]Entry(nil), km.Objects...)
	for i, r := range km.Pages {
		b, err := FetchVerified(ctx, f, r.Digest.ManifestPath(), r)
		if err != nil {
			return nil, err
		}
		pm, err := ParsePageManifest(b, km, i)
		if err != nil {
			return nil, err
		}
		entries = append(entries, pm.Objects...)
	}
	return entries, nil
}

// splitBucket returns the answers of a decoded bucket by key.
func splitBucket(content []byte) (map[string][]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(content, &m); err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out, nil
}
