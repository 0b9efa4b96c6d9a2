package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/distmeta/distmeta/internal/atomicfile"
)

// GCOptions tune GC.
type GCOptions struct {
	// Keep is how many of the newest indexes (the current one included)
	// keep their objects; at least 1.
	Keep int
	// OlderThan: an unreferenced file is removed only when its mtime is
	// older than Now-OlderThan, so a mirror or reader still fetching the
	// previous site finds it.
	OlderThan time.Duration
	// Now is the reference time (injected).
	Now time.Time
	// DryRun lists what would be removed without removing it.
	DryRun bool
}

// GCResult lists what GC removed.
type GCResult struct {
	KeptIndexes []uint64 // serials whose references were kept
	Removed     []string // slash-separated paths, sorted
	Bytes       int64
}

// GC removes objects and manifests that none of the newest Keep indexes
// reference and that are older than OlderThan, plus leftover temporary
// files that old. It holds the publisher's lock. If a kept index's
// manifests cannot be read, its references are unknown and GC removes
// nothing (an earlier index whose root manifest is gone altogether was
// collected before and is skipped).
func GC(dir string, opts GCOptions) (*GCResult, error) {
	if opts.Now.IsZero() {
		return nil, errors.New("gc: GCOptions.Now is required")
	}
	if opts.Keep < 1 {
		opts.Keep = 1
	}
	unlock, err := lock(dir)
	if err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	defer unlock()

	idx, err := keptIndexes(dir, opts.Keep)
	if err != nil {
		return nil, fmt.Errorf("gc %s: %w", dir, err)
	}
	refs := &siteRefs{manifests: map[Digest]bool{}, objects: map[Digest]bool{}}
	res := &GCResult{}
	for i, ix := range idx {
		if i > 0 {
			// An earlier index whose root manifest is already gone was
			// collected before (with a smaller Keep): nothing to keep.
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(ix.Root.Digest.ManifestPath()))); errors.Is(err, fs.ErrNotExist) {
				continue
			}
		}
		if err := collectRefs(dir, ix, refs); err != nil {
			return nil, fmt.Errorf("gc %s: index serial %d: %w (nothing removed)", dir, ix.Serial, err)
		}
		res.KeptIndexes = append(res.KeptIndexes, ix.Serial)
	}
	cutoff := opts.Now.Add(-opts.OlderThan)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			return nil
		}
		top, _, _ := strings.Cut(rel, "/")
		base := path.Base(rel)
		var remove bool
		switch {
		case atomicfile.IsTemp(base):
			remove = true
		case top == "o":
			dg, ok := digestFromHex(base)
			remove = ok && !refs.objects[dg]
		case top == "m":
			dg, ok := digestFromHex(base)
			remove = ok && !refs.manifests[dg]
		}
		if !remove {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.ModTime().Before(cutoff) {
			return nil
		}
		if !opts.DryRun {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
		res.Removed = append(res.Removed, rel)
		res.Bytes += info.Size()
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("gc %s: %w", dir, err)
	}
	sort.Strings(res.Removed)
	return res, nil
}

// keptIndexes returns the current index and the newest earlier ones from
// index.d, keep in all, newest first. The publisher's own folder is
// trusted, so signatures are not checked here (verify does that).
func keptIndexes(dir string, keep int) ([]*Index, error) {
	msg, err := readFile(dir, "index", MaxIndexSize, nil)
	if err != nil {
		return nil, err
	}
	cur, err := ParseIndexUnverified(msg)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	out := []*Index{cur}
	ents, err := os.ReadDir(filepath.Join(dir, "index.d"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var serials []uint64
	for _, e := range ents {
		s, err := strconv.ParseUint(e.Name(), 10, 64)
		if err == nil && s < cur.Serial {
			serials = append(serials, s)
		}
	}
	sort.Slice(serials, func(i, j int) bool { return serials[i] > serials[j] })
	for _, s := range serials {
		if len(out) >= keep {
			break
		}
		rel := "index.d/" + strconv.FormatUint(s, 10)
		b, err := readFile(dir, rel, MaxIndexSize, nil)
		if err != nil {
			return nil, err
		}
		ix, err := ParseIndexUnverified(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		out = append(out, ix)
	}
	return out, nil
}
