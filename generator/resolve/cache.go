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
	return load[*Summary](c, name, "summary", digest)
}

// StoreSummary caches a summary under its folder name.
func (c Cache) StoreSummary(s *Summary) error { return store(c, s.Name, "summary", s.Digest, s) }

// LoadResolved returns the cached resolution of the compose in folder
// name, if one was stored for that digest.
func (c Cache) LoadResolved(name, digest string) (*Resolved, bool) {
	return load[*Resolved](c, name, "resolved", digest)
}

// StoreResolved caches a resolution under the compose's folder name.
func (c Cache) StoreResolved(name string, r *Resolved) error {
	return store(c, name, "resolved", r.Digest, r)
}

func load[T any](c Cache, id, what, digest string) (T, bool) {
	var v T
	if c.Dir == "" || !gobcache.Load(c.path(id, what), digest, &v) {
		var zero T
		return zero, false
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
