package site

import (
	"crypto/sha256"
	"hash"
	"io"
)

// ReadVerified reads exactly size bytes from r and checks that they hash
// to want. It never reads more than size+1 bytes, so a hostile source
// cannot make it allocate more than size. name is used in errors.
func ReadVerified(r io.Reader, name string, want Digest, size int64) ([]byte, error) {
	vr := NewVerifyingReader(r, name, want, size)
	b, err := io.ReadAll(vr)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// VerifyingReader passes through at most Size bytes and, at EOF, fails
// with an *IntegrityError unless exactly Size bytes hashing to Want were
// read.
type VerifyingReader struct {
	r    io.Reader
	name string
	want Digest
	size int64
	n    int64
	h    hash.Hash
	err  error
}

// NewVerifyingReader wraps r.
func NewVerifyingReader(r io.Reader, name string, want Digest, size int64) *VerifyingReader {
	return &VerifyingReader{r: io.LimitReader(r, size+1), name: name, want: want, size: size, h: sha256.New()}
}

func (v *VerifyingReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	v.n += int64(n)
	v.h.Write(p[:n])
	if v.n > v.size {
		v.err = &IntegrityError{Path: v.name, Want: v.want, WantSize: v.size, GotSize: v.n, Err: ErrTooLarge}
		return 0, v.err
	}
	if err == io.EOF {
		if v.n != v.size {
			v.err = &IntegrityError{Path: v.name, Want: v.want, WantSize: v.size, GotSize: v.n, Err: ErrSizeMismatch}
			return n, v.err
		}
		var got Digest
		v.h.Sum(got[:0])
		if got != v.want {
			v.err = &IntegrityError{Path: v.name, Want: v.want, Got: got, WantSize: v.size, GotSize: v.n, Err: ErrDigestMismatch}
			return n, v.err
		}
	}
	return n, err
}
