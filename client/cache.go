package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/distmeta/distmeta/internal/atomicfile"
	"github.com/distmeta/distmeta/site"
)

// Cache holds verified copies of what dmq fetched, at the site's own
// paths (m/<hex>, o/<aa>/<hex>), plus the bytes of the last accepted index.
// Everything in it was verified before it was written and is verified
// again when read (a damaged file is removed and fetched again). It holds
// no trust: the trusted state lives apart (TrustStore).
type Cache struct {
	Dir string
}

// cachedIndex is what the cache remembers of the index it holds.
type cachedIndex struct {
	Checked time.Time `json:"checked"` // when a mirror last served it
	Mirror  string    `json:"mirror"`
}

// get returns the cached content at site path p if it verifies against r.
func (c *Cache) get(p string, r site.Ref) ([]byte, bool) {
	if c == nil || c.Dir == "" {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, filepath.FromSlash(p)))
	if err != nil {
		return nil, false
	}
	if site.VerifyBytes(p, b, r) != nil {
		os.Remove(filepath.Join(c.Dir, filepath.FromSlash(p)))
		return nil, false
	}
	return b, true
}

// put stores verified content at site path p (temp file and rename; an
// existing file is left alone: it holds the same bytes).
func (c *Cache) put(p string, b []byte) error {
	if c == nil || c.Dir == "" {
		return nil
	}
	if !strings.HasPrefix(p, "m/") && !strings.HasPrefix(p, "o/") || !fs.ValidPath(p) {
		return fmt.Errorf("cache: %q is not an addressed path", p)
	}
	dst := filepath.Join(c.Dir, filepath.FromSlash(p))
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	return atomicfile.Write(dst, b, 0o644)
}

// index returns the cached index bytes and when a mirror last served them.
func (c *Cache) index() ([]byte, cachedIndex, bool) {
	var ci cachedIndex
	if c == nil || c.Dir == "" {
		return nil, ci, false
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, "index"))
	if err != nil || len(b) > site.MaxIndexSize {
		return nil, ci, false
	}
	if m, err := os.ReadFile(filepath.Join(c.Dir, "index.json")); err == nil {
		json.Unmarshal(m, &ci)
	}
	return b, ci, true
}

// putIndex records an accepted index and when it was checked.
func (c *Cache) putIndex(msg []byte, ci cachedIndex) error {
	if c == nil || c.Dir == "" {
		return nil
	}
	if err := atomicfile.Write(filepath.Join(c.Dir, "index"), msg, 0o644); err != nil {
		return err
	}
	m, _ := json.Marshal(ci)
	return atomicfile.Write(filepath.Join(c.Dir, "index.json"), m, 0o644)
}

// Size returns the number of files and bytes in the cache.
func (c *Cache) Size() (files int, bytes int64, err error) {
	err = filepath.WalkDir(c.Dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				files++
				bytes += info.Size()
			}
		}
		return nil
	})
	return files, bytes, err
}
