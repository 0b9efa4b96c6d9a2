package generator

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// writeTree makes the folder dir hold exactly files (slash-separated
// relative path -> content): files whose content differs are written
// through a temporary file and a rename, unchanged ones are left alone
// (their mtimes stay, so rsync skips them), and files no longer in the set
// are removed.
func writeTree(dir string, files map[string][]byte) (written, removed int, err error) {
	onDisk, err := listTree(dir)
	if err != nil {
		return 0, 0, err
	}
	keep := make(map[string]bool, len(files))
	for p := range files {
		keep[p] = true
	}
	return syncTree(dir, files, nil, onDisk, keep)
}

// listTree returns the slash-separated paths of the files under dir (none
// when dir does not exist) with their sizes, without reading them.
func listTree(dir string) (map[string]int64, error) {
	out := map[string]int64{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = info.Size()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return out, nil
}

// syncTree writes files into dir and removes every file of onDisk (what
// dir holds) that keep does not name (syncFile, then removeStale).
func syncTree(dir string, files map[string][]byte, known map[string][32]byte, onDisk map[string]int64, keep map[string]bool) (written, removed int, err error) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		w, err := syncFile(dir, p, files[p], known, onDisk)
		if err != nil {
			return written, removed, err
		}
		if w {
			written++
		}
	}
	removed, err = removeStale(dir, onDisk, keep)
	return written, removed, err
}

// syncFile writes data at dir/p unless it is there already. A file whose
// digest in known (what was written last time) equals data's and that is
// on disk at data's size is not even read; any other is compared with
// what is on disk and written (through a temporary file and a rename) only
// when it differs. Safe for concurrent use on different paths.
func syncFile(dir, p string, data []byte, known map[string][32]byte, onDisk map[string]int64) (written bool, err error) {
	if size, ok := onDisk[p]; ok && size == int64(len(data)) {
		if sum, ok := known[p]; ok && sum == sha256.Sum256(data) {
			return false, nil
		}
	}
	dst := filepath.Join(dir, filepath.FromSlash(p))
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := writeFile(dst, data); err != nil {
		return false, err
	}
	return true, nil
}

// removeStale removes every file of onDisk that keep does not name.
func removeStale(dir string, onDisk map[string]int64, keep map[string]bool) (removed int, err error) {
	gone := make([]string, 0)
	for p := range onDisk {
		if !keep[p] {
			gone = append(gone, p)
		}
	}
	sort.Strings(gone)
	for _, p := range gone {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err != nil && !os.IsNotExist(err) {
			return removed, fmt.Errorf("pages: %w", err)
		}
		removed++
	}
	return removed, nil
}

// writeFile replaces dst with data through a temporary file and a rename.
func writeFile(dst string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("pages: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return fmt.Errorf("pages: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("pages: %s: %w", dst, errors.Join(werr, cerr))
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("pages: %s: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("pages: %s: %w", dst, err)
	}
	return nil
}
