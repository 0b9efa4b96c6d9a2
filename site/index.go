package site

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

const indexHeader = "distmeta index v1"

// Index is the signed entry point of a site.
type Index struct {
	Origin  string
	Serial  uint64
	Created time.Time
	Expires time.Time
	Root    Ref    // the root manifest
	Prev    Digest // digest of the previous index's bytes; zero for serial 1
	Digest  Digest // digest of this index's signed bytes
}

// TrustedIndex is what a reader remembers of the last index it accepted.
// The zero value trusts nothing yet (first use).
type TrustedIndex struct {
	Serial uint64
	Digest Digest
}

// Trusted returns the state to remember after accepting ix.
func (ix *Index) Trusted() TrustedIndex { return TrustedIndex{ix.Serial, ix.Digest} }

// Policy tunes VerifyIndex.
type Policy struct {
	// Origin, when set, must equal the index's origin.
	Origin string
	// Skew is how far in the future an index's creation time may be
	// (clock skew between publisher and reader). Default 5 minutes.
	Skew time.Duration
}

// text is the note body that gets signed.
func (ix *Index) text() string {
	prev := "none"
	if !ix.Prev.IsZero() {
		prev = ix.Prev.String()
	}
	return fmt.Sprintf("%s\norigin %s\nserial %d\ncreated %s\nexpires %s\nroot %s %d\nprev %s\n",
		indexHeader, ix.Origin, ix.Serial, ix.Created.UTC().Format(time.RFC3339), ix.Expires.UTC().Format(time.RFC3339),
		ix.Root.Digest, ix.Root.Size, prev)
}

// signIndex signs ix and returns the bytes of the index file; it sets
// ix.Digest.
func signIndex(ix *Index, signer note.Signer) ([]byte, error) {
	if !validOrigin(ix.Origin) {
		return nil, fmt.Errorf("index: invalid origin %q", ix.Origin)
	}
	b, err := note.Sign(&note.Note{Text: ix.text()}, signer)
	if err != nil {
		return nil, fmt.Errorf("index: sign: %w", err)
	}
	ix.Digest = Sum(b)
	return b, nil
}

func validOrigin(s string) bool {
	return s != "" && len(s) <= 256 && !strings.ContainsAny(s, " \t\n\r\x00")
}

// ParseIndex checks the signature of an index file against verifiers and
// parses it. It applies no trust policy: see VerifyIndex.
func ParseIndex(msg []byte, verifiers note.Verifiers) (*Index, error) {
	text, err := openNote(msg, verifiers)
	if err != nil {
		return nil, err
	}
	ix, err := parseIndexText(text)
	if err != nil {
		return nil, err
	}
	ix.Digest = Sum(msg)
	return ix, nil
}

// openNote checks the size and the signature of a signed note (an index
// or a tree index) and returns its text.
func openNote(msg []byte, verifiers note.Verifiers) (string, error) {
	if len(msg) > MaxIndexSize {
		return "", fmt.Errorf("%w: %d bytes exceeds %d", ErrMalformed, len(msg), MaxIndexSize)
	}
	n, err := note.Open(msg, verifiers)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return n.Text, nil
}

// ParseIndexUnverified parses an index without checking its signature.
// Only the publisher uses it, on its own folder, to find the serial to
// follow.
func ParseIndexUnverified(msg []byte) (*Index, error) {
	if len(msg) > MaxIndexSize {
		return nil, fmt.Errorf("%w: %d bytes exceeds %d", ErrMalformed, len(msg), MaxIndexSize)
	}
	s := string(msg)
	i := strings.LastIndex(s, "\n\n")
	if i < 0 {
		return nil, fmt.Errorf("%w: no signature block", ErrMalformed)
	}
	ix, err := parseIndexText(s[:i+1])
	if err != nil {
		return nil, err
	}
	ix.Digest = Sum(msg)
	return ix, nil
}

func parseIndexText(text string) (*Index, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	want := []string{"", "origin", "serial", "created", "expires", "root", "prev"}
	if len(lines) != len(want) {
		return nil, bad("%d lines, want %d", len(lines), len(want))
	}
	if lines[0] != indexHeader {
		return nil, bad("line 1: %q, want %q", lines[0], indexHeader)
	}
	ix := &Index{}
	for i := 1; i < len(lines); i++ {
		f := strings.Split(lines[i], " ")
		if f[0] != want[i] {
			return nil, bad("line %d: want %q", i+1, want[i])
		}
		nf := 2
		if f[0] == "root" {
			nf = 3
		}
		if len(f) != nf {
			return nil, bad("line %d: %d fields, want %d", i+1, len(f), nf)
		}
		var err error
		switch f[0] {
		case "origin":
			if !validOrigin(f[1]) {
				return nil, bad("line %d: invalid origin", i+1)
			}
			ix.Origin = f[1]
		case "serial":
			ix.Serial, err = strconv.ParseUint(f[1], 10, 64)
			if err == nil && ix.Serial == 0 {
				err = errors.New("serial 0")
			}
		case "created":
			ix.Created, err = time.Parse(time.RFC3339, f[1])
		case "expires":
			ix.Expires, err = time.Parse(time.RFC3339, f[1])
		case "root":
			ix.Root.Digest, err = ParseDigest(f[1])
			if err == nil {
				ix.Root.Size, err = strconv.ParseInt(f[2], 10, 64)
				if err == nil && (ix.Root.Size < 0 || ix.Root.Size > MaxManifestSize) {
					err = fmt.Errorf("root size %d out of range", ix.Root.Size)
				}
			}
		case "prev":
			if f[1] != "none" {
				ix.Prev, err = ParseDigest(f[1])
			}
		}
		if err != nil {
			return nil, bad("line %d: %v", i+1, err)
		}
	}
	if !ix.Expires.After(ix.Created) {
		return nil, bad("expires %s is not after created %s", ix.Expires.Format(time.RFC3339), ix.Created.Format(time.RFC3339))
	}
	if (ix.Serial == 1) != ix.Prev.IsZero() {
		return nil, bad("serial %d with prev %v: only serial 1 has no previous index", ix.Serial, ix.Prev)
	}
	return ix, nil
}

// VerifyIndex is the reader's whole decision on an index file: the
// signature must verify, and against the trusted state and now it must
// not roll back, be expired, be created in the future or fork the
// history. Every error is in the ErrUntrustedIndex family.
func VerifyIndex(msg []byte, verifiers note.Verifiers, trusted TrustedIndex, now time.Time, p Policy) (*Index, error) {
	ix, err := ParseIndex(msg, verifiers)
	if err != nil {
		return nil, err
	}
	if p.Origin != "" && ix.Origin != p.Origin {
		return nil, fmt.Errorf("%w: %q, want %q", ErrWrongOrigin, ix.Origin, p.Origin)
	}
	if err := CheckSuccessor(trusted, ix); err != nil {
		return nil, err
	}
	skew := p.Skew
	if skew == 0 {
		skew = 5 * time.Minute
	}
	if ix.Created.After(now.Add(skew)) {
		return nil, fmt.Errorf("%w: created %s, now %s", ErrFuture, ix.Created.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if !now.Before(ix.Expires) {
		return nil, fmt.Errorf("%w: expired %s, now %s", ErrExpired, ix.Expires.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return ix, nil
}

// CheckSuccessor checks that ix may follow the trusted state: a higher
// serial, or the very same index; when the serial is exactly one more,
// its prev must be the trusted digest. A reader that skips serials can
// check the chain link by link with index.d/<serial> files.
func CheckSuccessor(trusted TrustedIndex, ix *Index) error {
	if trusted.Serial == 0 {
		return nil
	}
	switch {
	case ix.Serial < trusted.Serial:
		return fmt.Errorf("%w: serial %d, trusted %d", ErrRollback, ix.Serial, trusted.Serial)
	case ix.Serial == trusted.Serial && ix.Digest != trusted.Digest:
		return fmt.Errorf("%w: serial %d is %s, trusted %s", ErrFork, ix.Serial, ix.Digest, trusted.Digest)
	case ix.Serial == trusted.Serial+1 && ix.Prev != trusted.Digest:
		return fmt.Errorf("%w: serial %d follows %s, trusted serial %d is %s", ErrFork, ix.Serial, ix.Prev, trusted.Serial, trusted.Digest)
	}
	return nil
}

// NewVerifiers turns verifier keys (as printed by distmeta keygen) into
// note.Verifiers; several keys allow a key rotation.
func NewVerifiers(vkeys ...string) (note.Verifiers, error) {
	var vs []note.Verifier
	for _, k := range vkeys {
		v, err := note.NewVerifier(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("verifier key %q: %w", k, err)
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		return nil, errors.New("no verifier key")
	}
	return note.VerifierList(vs...), nil
}
