package generator

import (
	"bytes"
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
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, files[p]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return written, removed, fmt.Errorf("pages: %w", err)
		}
		tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
		if err != nil {
			return written, removed, fmt.Errorf("pages: %w", err)
		}
		_, werr := tmp.Write(files[p])
		cerr := tmp.Close()
		if werr != nil || cerr != nil {
			os.Remove(tmp.Name())
			return written, removed, fmt.Errorf("pages: %s: %w", dst, errorsJoin(werr, cerr))
		}
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			os.Remove(tmp.Name())
			return written, removed, fmt.Errorf("pages: %w", err)
		}
		if err := os.Rename(tmp.Name(), dst); err != nil {
			os.Remove(tmp.Name())
			return written, removed, fmt.Errorf("pages: %w", err)
		}
		written++
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			if err := os.Remove(path); err != nil {
				return err
			}
			removed++
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return written, removed, fmt.Errorf("pages: %w", err)
	}
	return written, removed, nil
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
