package modulemd

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Decompress returns a reader of r's content, decompressed when it starts
// with the magic of gzip, xz, zstd or bzip2 (repositories ship
// modules.yaml in all four), or r's bytes unchanged otherwise.
func Decompress(r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}):
		xr, err := xz.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("xz: %w", err)
		}
		return io.NopCloser(xr), nil
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return zr.IOReadCloser(), nil
	case bytes.HasPrefix(head, []byte("BZh")):
		return io.NopCloser(bzip2.NewReader(br)), nil
	}
	return io.NopCloser(br), nil
}

// ReadFile reads a modules.yaml file, compressed or not, into an index,
// stopping at the first bad document.
func ReadFile(path string) (*Index, error) {
	var x *Index
	err := withFile(path, func(r io.Reader) error {
		var err error
		x, err = ReadAll(r, path)
		return err
	})
	return x, err
}

// ReadFileLenient is ReadAllLenient for a file, compressed or not.
func ReadFileLenient(path string) (*Index, []*DocumentError, error) {
	var x *Index
	var failures []*DocumentError
	err := withFile(path, func(r io.Reader) error {
		var err error
		x, failures, err = ReadAllLenient(r, path)
		return err
	})
	return x, failures, err
}

func withFile(path string, f func(io.Reader) error) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	r, err := Decompress(file)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer r.Close()
	return f(r)
}
