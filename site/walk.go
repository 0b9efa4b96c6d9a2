package site

import (
	"fmt"
	"sort"
)

// siteRefs is everything one index references, read back from a folder.
type siteRefs struct {
	manifests map[Digest]bool
	objects   map[Digest]bool
}

// collectRefs walks the manifests of ix in dir and returns every manifest
// and object digest they reference. A manifest that cannot be read or
// parsed is an error: its references are unknown.
func collectRefs(dir string, ix *Index, into *siteRefs) error {
	into.manifests[ix.Root.Digest] = true
	b, err := readFile(dir, ix.Root.Digest.ManifestPath(), MaxManifestSize, &ix.Root)
	if err != nil {
		return err
	}
	root, err := ParseRootManifest(b)
	if err != nil {
		return fmt.Errorf("%s: %w", ix.Root.Digest.ManifestPath(), err)
	}
	for _, e := range root.Files {
		into.objects[e.Digest] = true
	}
	kinds := make([]string, 0, len(root.Kinds))
	for k := range root.Kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		kr := root.Kinds[k]
		if kr.Dict != nil {
			into.objects[kr.Dict.Digest] = true
		}
		into.manifests[kr.Manifest.Digest] = true
		b, err := readFile(dir, kr.Manifest.Digest.ManifestPath(), MaxManifestSize, &kr.Manifest)
		if err != nil {
			return err
		}
		km, err := ParseKindManifest(b)
		if err != nil {
			return fmt.Errorf("%s: %w", kr.Manifest.Digest.ManifestPath(), err)
		}
		for _, e := range km.Objects {
			into.objects[e.Digest] = true
		}
		for i, r := range km.Pages {
			into.manifests[r.Digest] = true
			b, err := readFile(dir, r.Digest.ManifestPath(), MaxManifestSize, &r)
			if err != nil {
				return err
			}
			pm, err := ParsePageManifest(b, km, i)
			if err != nil {
				return fmt.Errorf("%s: %w", r.Digest.ManifestPath(), err)
			}
			for _, e := range pm.Objects {
				into.objects[e.Digest] = true
			}
		}
	}
	return nil
}
