package pages_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/distmeta/distmeta/site"
)

// loadSite reads every answer of a published site folder: kind -> key ->
// document, each object verified against its manifest entry.
func loadSite(dir string) (map[string]map[string][]byte, error) {
	ctx := context.Background()
	f := site.DirFetcher(dir)
	raw, err := os.ReadFile(filepath.Join(dir, "index"))
	if err != nil {
		return nil, err
	}
	ix, err := site.ParseIndexUnverified(raw)
	if err != nil {
		return nil, err
	}
	b, err := site.FetchVerified(ctx, f, ix.Root.Digest.ManifestPath(), ix.Root)
	if err != nil {
		return nil, err
	}
	root, err := site.ParseRootManifest(b)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string][]byte{}
	for kind, kr := range root.Kinds {
		b, err := site.FetchVerified(ctx, f, kr.Manifest.Digest.ManifestPath(), kr.Manifest)
		if err != nil {
			return nil, err
		}
		km, err := site.ParseKindManifest(b)
		if err != nil {
			return nil, err
		}
		entries := km.Objects
		for i, r := range km.Pages {
			b, err := site.FetchVerified(ctx, f, r.Digest.ManifestPath(), r)
			if err != nil {
				return nil, err
			}
			pm, err := site.ParsePageManifest(b, km, i)
			if err != nil {
				return nil, err
			}
			entries = append(entries, pm.Objects...)
		}
		var dict []byte
		if kr.Dict != nil {
			if dict, err = site.FetchVerified(ctx, f, kr.Dict.Digest.ObjectPath(), *kr.Dict); err != nil {
				return nil, err
			}
		}
		docs := map[string][]byte{}
		for _, e := range entries {
			stored, err := site.FetchVerified(ctx, f, e.Digest.ObjectPath(), e.Ref())
			if err != nil {
				return nil, err
			}
			content, err := site.DecodeObject(stored, e, dict)
			if err != nil {
				return nil, err
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(content, &m); err != nil {
				return nil, fmt.Errorf("kind %s: bucket: %w", kind, err)
			}
			for k, v := range m {
				docs[k] = v
			}
		}
		out[kind] = docs
	}
	return out, nil
}
