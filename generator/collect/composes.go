package collect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/sync/errgroup"

	"github.com/distmeta/distmeta/metadata/productmd"
)

// Scan is what the composes root holds.
type Scan struct {
	// Complete composes, oldest first (by date, respin, then name).
	Complete []*Entry
	// Skipped folders with the reason, sorted by name.
	Skipped []Skipped
}

// Skipped is a compose folder that does not count.
type Skipped struct {
	Name   string
	Reason string
}

// Entry is one complete compose. Compose is nil when the caller's cache
// knew the digest (the compose was not parsed); Open parses it on demand.
type Entry struct {
	Name    string // folder name
	Dir     string
	Digest  string
	Date    string // from the cached summary or the metadata
	Respin  int
	Compose *productmd.Compose
}

// Open parses the compose if the scan did not.
func (e *Entry) Open() (*productmd.Compose, error) {
	if e.Compose != nil {
		return e.Compose, nil
	}
	c, err := productmd.OpenCompose(e.Dir)
	if err != nil {
		return nil, fmt.Errorf("compose %s: %w", e.Dir, err)
	}
	e.Compose = c
	return c, nil
}

// Known tells Composes whether a compose folder with that digest was seen
// before, and its date and respin (for ordering); such a compose is not
// parsed again.
type Known func(name, digest string) (date string, respin int, ok bool)

// Composes classifies the folders of the composes root. A compose whose
// STATUS says it is complete but that cannot be read is an error naming
// the faulty file. Complete composes that known recognises by their
// digest (see Digest) are not parsed.
func Composes(ctx context.Context, root string, jobs int, known Known) (*Scan, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("composes: %w", err)
	}
	if jobs <= 0 {
		jobs = 1
	}
	type slot struct {
		entry   *Entry
		skipped *Skipped
	}
	slots := make([]slot, len(ents))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for i, e := range ents {
		name := e.Name()
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			slots[i].skipped = &Skipped{Name: name, Reason: "symbolic link"}
			continue
		case !e.IsDir():
			continue
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			dir := filepath.Join(root, name)
			st, err := productmd.ReadStatus(dir)
			if err != nil {
				return fmt.Errorf("compose %s: %w", dir, err)
			}
			if (st == productmd.StatusFinished || st == productmd.StatusFinishedIncomplete) && known != nil {
				d, err := Digest(dir)
				if err != nil {
					return err
				}
				if date, respin, ok := known(name, d); ok {
					slots[i].entry = &Entry{Name: name, Dir: dir, Digest: d, Date: date, Respin: respin}
					return nil
				}
			}
			c, err := productmd.OpenCompose(dir)
			var nc *productmd.NotCompleteError
			switch {
			case errors.As(err, &nc):
				slots[i].skipped = &Skipped{Name: name, Reason: nc.Reason()}
				return nil
			case err != nil:
				return fmt.Errorf("compose %s: %w", dir, err)
			}
			d, err := Digest(dir)
			if err != nil {
				return err
			}
			slots[i].entry = &Entry{Name: name, Dir: dir, Digest: d, Date: c.Info.Compose.Date, Respin: c.Info.Compose.Respin, Compose: c}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	s := &Scan{}
	for _, sl := range slots {
		if sl.entry != nil {
			s.Complete = append(s.Complete, sl.entry)
		}
		if sl.skipped != nil {
			s.Skipped = append(s.Skipped, *sl.skipped)
		}
	}
	sort.SliceStable(s.Complete, func(i, j int) bool {
		a, b := s.Complete[i], s.Complete[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Respin != b.Respin {
			return a.Respin < b.Respin
		}
		return a.Name < b.Name
	})
	return s, nil
}

// RepoDirs are the repositories of one variant and arch of a compose.
type RepoDirs struct {
	Variant, Arch  string
	Binary, Source string // Source is "" when the compose has none
}

// Repos lists the binary and source repositories of every variant and
// arch of a compose, sorted by variant and arch.
func Repos(c *productmd.Compose) ([]RepoDirs, error) {
	var out []RepoDirs
	for _, uid := range c.Info.VariantUIDs() {
		v := c.Info.Variants[uid]
		arches := append([]string(nil), v.Arches...)
		sort.Strings(arches)
		for _, arch := range arches {
			bin, err := c.RepoPath(uid, arch)
			if err != nil {
				return nil, fmt.Errorf("compose %s: %w", c.ID, err)
			}
			rd := RepoDirs{Variant: uid, Arch: arch, Binary: bin}
			if p := v.Paths["source_repository"][arch]; p != "" {
				rd.Source = filepath.Join(c.Dir, "compose", filepath.FromSlash(p))
			}
			out = append(out, rd)
		}
	}
	return out, nil
}

// Digest identifies the content of a complete compose folder: the
// SHA-256 of its STATUS, COMPOSE_ID, compose metadata files and every
// repodata/repomd.xml of its variants (which pin every other repodata
// file by checksum), so that a cached reading of it is used only for the
// very same bytes. It reads no repodata beyond repomd.xml.
func Digest(dir string) (string, error) {
	h := sha256.New()
	files := []string{filepath.Join(dir, "STATUS"), filepath.Join(dir, "COMPOSE_ID")}
	for _, f := range []string{"composeinfo.json", "rpms.json", "modules.json", "images.json"} {
		files = append(files, filepath.Join(dir, "compose", "metadata", f))
	}
	repomds, err := filepath.Glob(filepath.Join(dir, "compose", "*", "*", "*", "repodata", "repomd.xml"))
	if err != nil {
		return "", err
	}
	sort.Strings(repomds)
	files = append(files, repomds...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		rel, _ := filepath.Rel(dir, f)
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(h, "%s absent\n", filepath.ToSlash(rel))
			continue
		}
		if err != nil {
			return "", fmt.Errorf("compose %s: %w", dir, err)
		}
		fmt.Fprintf(h, "%s %x\n", filepath.ToSlash(rel), sha256.Sum256(b))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
