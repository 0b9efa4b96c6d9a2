package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/distmeta/distmeta/internal/atomicfile"
	"github.com/distmeta/distmeta/site"
)

// TrustStore keeps the trusted state in one small JSON file, apart from
// the cache: wiping the cache never resets trust.
type TrustStore struct {
	Path string
}

// trustFile is the name of the trusted state in the state folder.
const trustFile = "trusted.json"

// NewTrustStore returns the store in folder dir.
func NewTrustStore(dir string) *TrustStore { return &TrustStore{Path: filepath.Join(dir, trustFile)} }

// Load returns the trusted state; a missing file is first use (the zero
// Trusted).
func (s *TrustStore) Load() (Trusted, error) {
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return Trusted{}, nil
	}
	if err != nil {
		return Trusted{}, fmt.Errorf("trusted state: %w", err)
	}
	var t Trusted
	if err := json.Unmarshal(b, &t); err != nil {
		return Trusted{}, fmt.Errorf("trusted state %s: %w (remove it to start over from first use)", s.Path, err)
	}
	if t.Serial == 0 || t.Digest.IsZero() || t.Origin == "" {
		return Trusted{}, fmt.Errorf("trusted state %s: incomplete (remove it to start over from first use)", s.Path)
	}
	return t, nil
}

// Save records t atomically (temp file, fsync, rename). Trust moves
// forward only: a state whose serial is lower than the one on disk is
// refused with site.ErrRollback (another dmq moved it meanwhile).
func (s *TrustStore) Save(t Trusted) error {
	if cur, err := s.Load(); err == nil && !cur.IsZero() && cur.Origin == t.Origin && cur.Serial > t.Serial {
		return fmt.Errorf("trusted state %s: %w: serial %d, on disk %d", s.Path, site.ErrRollback, t.Serial, cur.Serial)
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.Path, append(b, '\n'), 0o644)
}
