package site

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// GenerateKey writes a new Ed25519 signer key named name to path (mode
// 0600, refusing to overwrite) and returns the verifier key that readers
// need. rand is normally crypto/rand.Reader.
func GenerateKey(rand io.Reader, name, path string) (vkey string, err error) {
	skey, vkey, err := note.GenerateKey(rand, name)
	if err != nil {
		return "", fmt.Errorf("generate key %q: %w", name, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("write signer key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("write signer key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("write signer key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write signer key %s: %w", path, err)
	}
	return vkey, nil
}

// LoadSigner reads a signer key file written by GenerateKey.
func LoadSigner(path string) (note.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signer key: %w", err)
	}
	s, err := note.NewSigner(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("signer key %s: %w", path, err)
	}
	return s, nil
}
