package resolve

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/distmeta/distmeta/internal/gobcache"
)

// Cache keeps parsed and resolved composes in a folder of the state:
// <dir>/<id>.<what>.gob.zst, each holding the digest it was computed for.
// A file for another digest, or one that does not decode, is a miss.
type Cache struct{ Dir string }

func (c Cache) path(id, what string) string {
	return filepath.Join(c.Dir, strings.ReplaceAll(id, "/", "_")+"."+what+".gob.zst")
}

// LoadSummary returns the cached summary of the compose in folder name,
// if one was stored for that digest.
func (c Cache) LoadSummary(name, digest string) (*Summary, bool) {
	return load[Summary](c, name, "summary", digest)
}

// StoreSummary caches a summary under its folder name.
func (c Cache) StoreSummary(s *Summary) error { return store(c, s.Name, "summary", s.Digest, s) }

// LoadResolved returns the cached resolution of the compose in folder
// name, if one was stored for that digest.
func (c Cache) LoadResolved(name, digest string) (*Resolved, bool) {
	return load[Resolved](c, name, "resolved", digest)
}

// StoreResolved caches a resolution under the compose's folder name.
func (c Cache) StoreResolved(name string, r *Resolved) error {
	return store(c, name, "resolved", r.Digest, r)
}

// load decodes into a new T (a *T is what implements gobcache.Parts).
func load[T any](c Cache, id, what, digest string) (*T, bool) {
	v := new(T)
	if c.Dir == "" || !gobcache.Load(c.path(id, what), digest, v) {
		return nil, false
	}
	return v, true
}

func store[T any](c Cache, id, what, digest string, v T) error {
	if c.Dir == "" {
		return nil
	}
	if err := gobcache.Store(c.path(id, what), digest, v); err != nil {
		return fmt.Errorf("compose cache: %w", err)
	}
	return nil
}

// resolvedHead is a Resolved without its large maps, which follow it in
// parts (gobcache.Parts).
type resolvedHead struct {
	ComposeID, Digest, Main, Arch string
	Variants                      map[string]VariantFacts
	Tiers                         map[string]int
	Stats                         Stats
}

// PartsLayout names the layout of EncodeParts (gobcache.Layout): change
// it whenever that changes.
func (r *Resolved) PartsLayout() string { return "resolved/2" }

// EncodeParts stores r as a head and its large maps in parts.
func (r *Resolved) EncodeParts(enc *gobcache.Encoder) error {
	if err := enc.Encode(resolvedHead{ComposeID: r.ComposeID, Digest: r.Digest, Main: r.Main, Arch: r.Arch,
		Variants: r.Variants, Tiers: r.Tiers, Stats: r.Stats}); err != nil {
		return err
	}
	for _, m := range []map[string][]byte{r.Packages, r.Caps, r.Modules} {
		if err := gobcache.EncodeBytesMap(enc, m); err != nil {
			return err
		}
	}
	if err := gobcache.EncodeMap(enc, r.Sources); err != nil {
		return err
	}
	return gobcache.EncodeMap(enc, r.Needs)
}

// DecodeParts reads what EncodeParts wrote.
func (r *Resolved) DecodeParts(dec *gobcache.Decoder) error {
	var h resolvedHead
	if err := dec.Decode(&h); err != nil {
		return err
	}
	*r = Resolved{ComposeID: h.ComposeID, Digest: h.Digest, Main: h.Main, Arch: h.Arch, Variants: h.Variants, Tiers: h.Tiers, Stats: h.Stats}
	var err error
	for _, m := range []*map[string][]byte{&r.Packages, &r.Caps, &r.Modules} {
		if *m, err = gobcache.DecodeBytesMap(dec); err != nil {
			return err
		}
	}
	if r.Sources, err = gobcache.DecodeMap[*SourceFacts](dec); err != nil {
		return err
	}
	r.Needs, err = gobcache.DecodeMap[[]string](dec)
	return err
}
