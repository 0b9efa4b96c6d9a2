package site

import (
	"errors"
	"fmt"
)

// kindError is a sentinel error with a parent, so that errors.Is matches
// both the specific error and the family it belongs to.
type kindError struct {
	msg    string
	parent error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.parent }

// Families of errors.
var (
	// ErrUntrustedIndex is the family of every reason to reject an index.
	ErrUntrustedIndex = errors.New("untrusted index")
	// ErrIntegrity is the family of every content that does not match
	// what addresses it.
	ErrIntegrity = errors.New("integrity check failed")
)

// Reasons to reject an index (errors.Is(err, ErrUntrustedIndex) holds for
// each).
var (
	ErrBadSignature = &kindError{"index signature does not verify", ErrUntrustedIndex}
	ErrMalformed    = &kindError{"malformed index", ErrUntrustedIndex}
	ErrRollback     = &kindError{"index serial is lower than the trusted one (rollback)", ErrUntrustedIndex}
	ErrExpired      = &kindError{"index has expired (freeze)", ErrUntrustedIndex}
	ErrFuture       = &kindError{"index is created in the future", ErrUntrustedIndex}
	ErrFork         = &kindError{"index history forks from the trusted one", ErrUntrustedIndex}
	ErrWrongOrigin  = &kindError{"index is for another origin", ErrUntrustedIndex}
)

// Integrity failures (errors.Is(err, ErrIntegrity) holds for each).
var (
	ErrDigestMismatch = &kindError{"digest mismatch", ErrIntegrity}
	ErrSizeMismatch   = &kindError{"size mismatch", ErrIntegrity}
	ErrTooLarge       = &kindError{"content larger than allowed", ErrIntegrity}
	ErrDecompress     = &kindError{"cannot decompress", ErrIntegrity}
	ErrBomb           = &kindError{"decompressed size exceeds the declared size (compression bomb)", ErrIntegrity}
)

// ErrLocked is returned by Publish and GC when another process holds the
// site's lock.
var ErrLocked = errors.New("site is locked by another publisher")

// ErrNotFound is returned by a Fetcher when a path does not exist.
var ErrNotFound = errors.New("not found")

// IntegrityError says which addressed content failed and how.
type IntegrityError struct {
	Path     string // where the content was read from
	Want     Digest // the digest that addressed it
	Got      Digest // the digest of what was read (zero when not computed)
	WantSize int64
	GotSize  int64
	Err      error // one of the ErrIntegrity family
}

func (e *IntegrityError) Error() string {
	switch e.Err {
	case ErrDigestMismatch:
		return fmt.Sprintf("%s: %v: want %s, got %s", e.Path, e.Err, e.Want, e.Got)
	case ErrSizeMismatch, ErrTooLarge, ErrBomb:
		return fmt.Sprintf("%s: %v: want %d bytes, got %d or more", e.Path, e.Err, e.WantSize, e.GotSize)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *IntegrityError) Unwrap() error { return e.Err }
