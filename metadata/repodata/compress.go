package repodata

import (
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Compression is how a metadata file is compressed, as its name's suffix
// says.
type Compression string

// The compressions of rpm-md metadata files.
const (
	Plain  Compression = ""
	Gzip   Compression = "gz"
	XZ     Compression = "xz"
	Zstd   Compression = "zst"
	Bzip2  Compression = "bz2"
	Zchunk Compression = "zck"
)

// ErrUnsupportedCompression is returned for a metadata file whose
// compression this package cannot decode (zchunk).
var ErrUnsupportedCompression = errors.New("unsupported compression")

// CompressionOf returns the compression a file name implies.
func CompressionOf(name string) Compression {
	switch {
	case strings.HasSuffix(name, ".gz"):
		return Gzip
	case strings.HasSuffix(name, ".xz"):
		return XZ
	case strings.HasSuffix(name, ".zst"), strings.HasSuffix(name, ".zstd"):
		return Zstd
	case strings.HasSuffix(name, ".bz2"):
		return Bzip2
	case strings.HasSuffix(name, ".zck"):
		return Zchunk
	}
	return Plain
}

// Decompress returns a reader of r decompressed as c says.
func Decompress(r io.Reader, c Compression) (io.ReadCloser, error) {
	switch c {
	case Plain:
		return io.NopCloser(r), nil
	case Gzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	case XZ:
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("xz: %w", err)
		}
		return io.NopCloser(zr), nil
	case Zstd:
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return zr.IOReadCloser(), nil
	case Bzip2:
		return io.NopCloser(bzip2.NewReader(r)), nil
	case Zchunk:
		return nil, fmt.Errorf("zchunk: %w", ErrUnsupportedCompression)
	}
	return nil, fmt.Errorf("compression %q: %w", string(c), ErrUnsupportedCompression)
}

// compressor returns a writer compressing into w with fixed options, so
// that the same input always gives the same bytes.
func compressor(w io.Writer, c Compression) (io.WriteCloser, error) {
	switch c {
	case Gzip:
		return gzip.NewWriterLevel(w, gzip.DefaultCompression)
	case Zstd:
		return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
	case XZ:
		return xz.NewWriter(w)
	case Plain:
		return nopWriteCloser{w}, nil
	}
	return nil, fmt.Errorf("writing compression %q: %w", string(c), ErrUnsupportedCompression)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
