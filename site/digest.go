package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// Digest is the SHA-256 of stored bytes. Its printed form is
// "sha256:<64 hex digits>".
type Digest [sha256.Size]byte

const digestPrefix = "sha256:"

// Sum returns the digest of b. It is the only way to make a Digest from
// content.
func Sum(b []byte) Digest { return Digest(sha256.Sum256(b)) }

// ParseDigest parses the printed form "sha256:<hex>".
func ParseDigest(s string) (Digest, error) {
	var d Digest
	h, ok := strings.CutPrefix(s, digestPrefix)
	if !ok {
		return d, fmt.Errorf("digest %q: want prefix %q", s, digestPrefix)
	}
	if len(h) != 2*len(d) {
		return d, fmt.Errorf("digest %q: want %d hex digits", s, 2*len(d))
	}
	if strings.ToLower(h) != h {
		return d, fmt.Errorf("digest %q: hex digits must be lower case", s)
	}
	if _, err := hex.Decode(d[:], []byte(h)); err != nil {
		return d, fmt.Errorf("digest %q: %v", s, err)
	}
	return d, nil
}

// String returns "sha256:<hex>".
func (d Digest) String() string { return digestPrefix + hex.EncodeToString(d[:]) }

// IsZero reports whether d is the zero value (no digest).
func (d Digest) IsZero() bool { return d == Digest{} }

// ObjectPath is the slash-separated path of an object: o/<aa>/<hex>.
func (d Digest) ObjectPath() string {
	h := hex.EncodeToString(d[:])
	return path.Join("o", h[:2], h)
}

// ManifestPath is the slash-separated path of a manifest: m/<hex>.
func (d Digest) ManifestPath() string { return path.Join("m", hex.EncodeToString(d[:])) }

// MarshalText implements encoding.TextMarshaler.
func (d Digest) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Digest) UnmarshalText(b []byte) error {
	p, err := ParseDigest(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// digestFromHex parses a bare hex file name as found under o/ and m/.
func digestFromHex(h string) (Digest, bool) {
	d, err := ParseDigest(digestPrefix + h)
	return d, err == nil
}
