package gobcache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

// ProgramDigest is the SHA-256 of the running program's executable. Every
// cache entry is keyed by it (effectiveKey), so a cache written by another
// build of distmeta, whose code may compute a different value from the
// same inputs, is a miss rather than a stale answer. ok is false when the
// executable cannot be read; entries are then keyed by their inputs only.
var ProgramDigest = sync.OnceValues(func() (sum [32]byte, ok bool) {
	p, err := os.Executable()
	if err != nil {
		return sum, false
	}
	f, err := os.Open(p)
	if err != nil {
		return sum, false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, false
	}
	h.Sum(sum[:0])
	return sum, true
})

// programKey is the program's part of every entry's key.
func programKey() string {
	sum, ok := ProgramDigest()
	if !ok {
		return ""
	}
	return "\x00program/" + hex.EncodeToString(sum[:])
}
