package collect

import (
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/distmeta/distmeta/internal/gobcache"
)

// Feeds are the parsed builds feed and test results.
type Feeds struct {
	Builds  []BuildEvent
	Results []TestResult
}

// fileDigest is the SHA-256 of a file ("" for no file).
func fileDigest(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadFeeds reads the builds feed and the test results, through a cache
// in stateDir ("" for none) keyed by the SHA-256 of both files: unchanged
// feeds are not parsed again. cached reports whether the cache served them.
func ReadFeeds(builds, results, stateDir string) (f *Feeds, cached bool, err error) {
	db, err := fileDigest(builds)
	if err != nil {
		return nil, false, err
	}
	dr, err := fileDigest(results)
	if err != nil {
		return nil, false, err
	}
	key := db + "/" + dr
	cachePath := filepath.Join(stateDir, "feeds.gob.zst")
	if stateDir != "" {
		var f Feeds
		if gobcache.Load(cachePath, key, &f) {
			return &f, true, nil
		}
	}
	f = &Feeds{}
	if f.Builds, err = ReadBuilds(builds); err != nil {
		return nil, false, err
	}
	if f.Results, err = ReadResults(results); err != nil {
		return nil, false, err
	}
	if stateDir != "" {
		if err := gobcache.Store(cachePath, key, f); err != nil {
			return nil, false, fmt.Errorf("feeds cache: %w", err)
		}
	}
	return f, false, nil
}

// EncodeParts stores the feeds in parts (gobcache.Parts).
func (f *Feeds) EncodeParts(enc *gob.Encoder) error {
	if err := gobcache.EncodeSlice(enc, f.Builds); err != nil {
		return err
	}
	return gobcache.EncodeSlice(enc, f.Results)
}

// DecodeParts reads what EncodeParts wrote.
func (f *Feeds) DecodeParts(dec *gob.Decoder) error {
	var err error
	if f.Builds, err = gobcache.DecodeSlice[BuildEvent](dec); err != nil {
		return err
	}
	f.Results, err = gobcache.DecodeSlice[TestResult](dec)
	return err
}
