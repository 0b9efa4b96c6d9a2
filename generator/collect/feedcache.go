package collect

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/zstd"
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
		if f, ok := loadFeeds(cachePath, key); ok {
			return f, true, nil
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
		if err := storeFeeds(stateDir, cachePath, key, f); err != nil {
			return nil, false, err
		}
	}
	return f, false, nil
}

func loadFeeds(path, key string) (*Feeds, bool) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer fh.Close()
	zr, err := zstd.NewReader(bufio.NewReaderSize(fh, 1<<20))
	if err != nil {
		return nil, false
	}
	defer zr.Close()
	dec := gob.NewDecoder(zr)
	var k string
	if err := dec.Decode(&k); err != nil || k != key {
		return nil, false
	}
	var f Feeds
	if err := dec.Decode(&f); err != nil {
		return nil, false
	}
	return &f, true
}

func storeFeeds(dir, path, key string, f *Feeds) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".feeds-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	zw, err := zstd.NewWriter(bw, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		tmp.Close()
		return err
	}
	enc := gob.NewEncoder(zw)
	err = enc.Encode(key)
	if err == nil {
		err = enc.Encode(f)
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("feeds cache: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}
