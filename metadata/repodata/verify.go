package repodata

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
)

// DefaultMaxSize caps the decompressed size of one metadata file when
// Options.MaxSize is 0.
const DefaultMaxSize int64 = 4 << 30

// ErrTooLarge is returned when a file decompresses to more than the cap.
var ErrTooLarge = errors.New("decompressed size exceeds the limit")

// ChecksumError reports a metadata file whose bytes do not match what
// repomd.xml says of them.
type ChecksumError struct {
	File     string // path of the file
	What     string // "checksum", "open-checksum", "size" or "open-size"
	Expected string // "sha256:<hex>" or a byte count
	Got      string
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("%s: %s mismatch: expected %s, got %s", e.File, e.What, e.Expected, e.Got)
}

// String prints the checksum as "type:hex".
func (c Checksum) String() string { return c.Type + ":" + c.Value }

// IsZero reports whether the checksum is absent.
func (c Checksum) IsZero() bool { return c.Type == "" && c.Value == "" }

// NewHash returns a hash for a repodata checksum type name.
func NewHash(typ string) (hash.Hash, error) {
	switch typ {
	case "sha256":
		return sha256.New(), nil
	case "sha1", "sha":
		return sha1.New(), nil
	case "sha512":
		return sha512.New(), nil
	case "sha384":
		return sha512.New384(), nil
	case "sha224":
		return sha256.New224(), nil
	case "md5":
		return md5.New(), nil
	}
	return nil, fmt.Errorf("unknown checksum type %q", typ)
}

// countHash counts and hashes what is read through it, failing once more
// than max bytes come.
type countHash struct {
	r     io.Reader
	h     hash.Hash // nil when there is nothing to verify
	n     int64
	max   int64 // 0: no cap
	onMax func(n int64) error
}

func (c *countHash) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.n += int64(n)
		if c.h != nil {
			c.h.Write(p[:n])
		}
		if c.max > 0 && c.n > c.max {
			return n, c.onMax(c.n)
		}
	}
	return n, err
}

func (c *countHash) sum() string {
	if c.h == nil {
		return ""
	}
	return hex.EncodeToString(c.h.Sum(nil))
}

// dataReader reads one metadata file decompressed, and verifies it when
// the decompressed stream ends: Read returns the verification error in
// place of io.EOF.
type dataReader struct {
	path   string
	d      Data
	opts   Options
	closer io.Closer
	raw    *countHash
	dec    io.ReadCloser
	open   *countHash
	done   bool
	err    error
}

func newDataReader(path string, f io.ReadCloser, d Data, opts Options) (*dataReader, error) {
	dr := &dataReader{path: path, d: d, opts: opts, closer: f}
	var err error
	dr.raw = &countHash{r: f}
	if !d.Checksum.IsZero() {
		if dr.raw.h, err = NewHash(d.Checksum.Type); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: checksum: %w", path, err)
		}
	}
	dec, err := Decompress(dr.raw, CompressionOf(d.Location))
	if err != nil {
		// A corrupt header: report a checksum mismatch first if there is one.
		if verr := dr.verifyRaw(); verr != nil {
			f.Close()
			return nil, verr
		}
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dr.dec = dec
	dr.open = &countHash{r: dec}
	if !d.OpenChecksum.IsZero() {
		if dr.open.h, err = NewHash(d.OpenChecksum.Type); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: open-checksum: %w", path, err)
		}
	}
	limit := opts.maxSize()
	dr.open.max = limit
	dr.open.onMax = func(n int64) error {
		return fmt.Errorf("%s: %w (%d bytes)", path, ErrTooLarge, limit)
	}
	if d.OpenSize > 0 && d.OpenSize < limit {
		dr.open.max = d.OpenSize
		dr.open.onMax = func(n int64) error {
			return &ChecksumError{File: path, What: "open-size", Expected: strconv.FormatInt(d.OpenSize, 10), Got: "more than " + strconv.FormatInt(d.OpenSize, 10)}
		}
	}
	return dr, nil
}

func (dr *dataReader) Read(p []byte) (int, error) {
	if dr.done {
		return 0, dr.err
	}
	n, err := dr.open.Read(p)
	if err == io.EOF {
		dr.done = true
		dr.err = dr.verify()
		if dr.err == nil {
			dr.err = io.EOF
		}
		return n, dr.err
	}
	if err != nil {
		dr.done = true
		dr.err = dr.failed(err)
		return n, dr.err
	}
	return n, nil
}

// failed turns a read error into the checksum mismatch behind it, if any.
func (dr *dataReader) failed(err error) error {
	var ce *ChecksumError
	if errors.As(err, &ce) || errors.Is(err, ErrTooLarge) {
		return err
	}
	if verr := dr.verifyRaw(); verr != nil {
		return verr
	}
	return fmt.Errorf("%s: %w", dr.path, err)
}

// verifyRaw reads the rest of the compressed file and checks its size and
// checksum.
func (dr *dataReader) verifyRaw() error {
	if _, err := io.Copy(io.Discard, dr.raw); err != nil {
		var ce *ChecksumError
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("%s: %w", dr.path, err)
	}
	if dr.raw.h != nil {
		if got := dr.raw.sum(); got != dr.d.Checksum.Value {
			return &ChecksumError{File: dr.path, What: "checksum", Expected: dr.d.Checksum.String(), Got: dr.d.Checksum.Type + ":" + got}
		}
	}
	if dr.d.Size > 0 && dr.raw.n != dr.d.Size {
		return &ChecksumError{File: dr.path, What: "size", Expected: strconv.FormatInt(dr.d.Size, 10), Got: strconv.FormatInt(dr.raw.n, 10)}
	}
	return nil
}

func (dr *dataReader) verify() error {
	rawErr := dr.verifyRaw()
	if rawErr != nil && !(dr.opts.AcceptRecompressed && dr.open.h != nil) {
		return rawErr
	}
	if dr.open.h != nil {
		if got := dr.open.sum(); got != dr.d.OpenChecksum.Value {
			return &ChecksumError{File: dr.path, What: "open-checksum", Expected: dr.d.OpenChecksum.String(), Got: dr.d.OpenChecksum.Type + ":" + got}
		}
	}
	if dr.d.OpenSize > 0 && dr.open.n != dr.d.OpenSize {
		return &ChecksumError{File: dr.path, What: "open-size", Expected: strconv.FormatInt(dr.d.OpenSize, 10), Got: strconv.FormatInt(dr.open.n, 10)}
	}
	return nil
}

// finish reads what the consumer left and returns the verification
// result, or the consumer's error (preferring a checksum mismatch, which
// explains a parse error on tampered bytes).
func (dr *dataReader) finish(consumerErr error) error {
	if consumerErr != nil {
		if dr.done && dr.err != io.EOF {
			return dr.err
		}
		if verr := dr.verifyRaw(); verr != nil {
			return verr
		}
		return consumerErr
	}
	if _, err := io.Copy(io.Discard, dr); err != nil {
		return err
	}
	return nil
}

func (dr *dataReader) Close() error {
	if dr.dec != nil {
		dr.dec.Close()
	}
	return dr.closer.Close()
}
