package distgit

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/go-git/go-billy/v5"
)

// idxInMemory wraps a repository's filesystem so that pack indexes are
// read whole in one read: go-git decodes them with many small unbuffered
// reads (one system call per fan-out entry), which dominated a walk.
type idxInMemory struct {
	billy.Filesystem
}

func (f idxInMemory) Open(name string) (billy.File, error) {
	return f.OpenFile(name, os.O_RDONLY, 0)
}

func (f idxInMemory) OpenFile(name string, flag int, perm os.FileMode) (billy.File, error) {
	if flag != os.O_RDONLY || !strings.HasSuffix(name, ".idx") {
		return f.Filesystem.OpenFile(name, flag, perm)
	}
	src, err := f.Filesystem.Open(name)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(src)
	src.Close()
	if err != nil {
		return nil, err
	}
	return &memFile{name: name, Reader: bytes.NewReader(b)}, nil
}

// memFile is a read-only billy.File over bytes.
type memFile struct {
	name string
	*bytes.Reader
}

var errReadOnly = errors.New("read-only file")

func (m *memFile) Name() string              { return m.name }
func (m *memFile) Write([]byte) (int, error) { return 0, errReadOnly }
func (m *memFile) Close() error              { return nil }
func (m *memFile) Lock() error               { return nil }
func (m *memFile) Unlock() error             { return nil }
func (m *memFile) Truncate(int64) error      { return errReadOnly }
