package site

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/distmeta/distmeta/internal/atomicfile"
)

const lockName = ".lock"

// writeAtomic writes b to dir/rel through a temporary file in the same
// folder, fsynced and renamed into place, then fsyncs the folder.
func writeAtomic(dir, rel string, b []byte) error {
	if err := atomicfile.Write(filepath.Join(dir, filepath.FromSlash(rel)), b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// sameFile reports whether dir/rel already holds exactly b.
func sameFile(dir, rel string, b []byte) bool {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() != int64(len(b)) || !st.Mode().IsRegular() {
		return false
	}
	got, err := io.ReadAll(io.LimitReader(f, int64(len(b))+1))
	return err == nil && bytes.Equal(got, b)
}

// putAddressed writes content-addressed bytes unless an identical file is
// there already (its mtime then stays, so rsync skips it). It reports
// whether it wrote.
func putAddressed(dir, rel string, b []byte) (bool, error) {
	if sameFile(dir, rel, b) {
		return false, nil
	}
	return true, writeAtomic(dir, rel, b)
}

// readFile reads dir/rel, at most max bytes, verifying it against r when
// r is non-nil.
func readFile(dir, rel string, max int64, r *Ref) ([]byte, error) {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", rel, ErrNotFound)
		}
		return nil, err
	}
	defer f.Close()
	if r != nil {
		return ReadVerified(f, rel, r.Digest, r.Size)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if int64(len(b)) > max {
		return nil, &IntegrityError{Path: rel, WantSize: max, GotSize: int64(len(b)), Err: ErrTooLarge}
	}
	return b, nil
}

// lock takes an exclusive, non-blocking flock on dir/.lock.
func lock(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := filepath.Join(dir, lockName)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w (another distmeta publish or gc is running)", p, ErrLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
