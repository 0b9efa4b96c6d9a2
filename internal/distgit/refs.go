package distgit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Ref is one reference of a repository.
type Ref struct {
	Name string // full name, "refs/heads/f40"
	Hash Hash
}

// RefSet is what a repository's ref files say, read without go-git.
type RefSet struct {
	Head string // the ref HEAD points at ("refs/heads/rawhide"), "" when detached
	Refs []Ref  // sorted by name; loose refs override packed ones
}

// Branches returns the refs/heads/ refs as branch name -> hash.
func (rs RefSet) Branches() map[string]Hash {
	m := map[string]Hash{}
	for _, r := range rs.Refs {
		if b, ok := strings.CutPrefix(r.Name, "refs/heads/"); ok {
			m[b] = r.Hash
		}
	}
	return m
}

// ReadRefs reads HEAD, packed-refs and the loose refs of the bare
// repository dir. It is cheap: a few small reads, no object access.
func ReadRefs(dir string) (RefSet, error) { return readRefs(dir, "refs", nil) }

// readRefs reads HEAD, the packed refs under prefix and the loose refs
// in folder prefix ("refs", or "refs/heads" for branches only). With a
// stamp, it stamps each file and folder before reading it.
func readRefs(dir, prefix string, stamp *refStamp) (RefSet, error) {
	var rs RefSet
	if err := stamp.add(dir, "HEAD"); err != nil {
		return rs, err
	}
	head, err := os.ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return rs, err
	}
	if t, ok := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: "); ok {
		rs.Head = t
	}
	refs := map[string]Hash{}
	symbolic := map[string]string{}
	if err := stamp.add(dir, "packed-refs"); err != nil {
		return rs, err
	}
	packed, err := os.ReadFile(filepath.Join(dir, "packed-refs"))
	switch {
	case err == nil:
		pr, err := ParsePackedRefs(packed)
		if err != nil {
			return rs, fmt.Errorf("%s: %w", filepath.Join(dir, "packed-refs"), err)
		}
		for _, r := range pr {
			if strings.HasPrefix(r.Name, prefix+"/") {
				refs[r.Name] = r.Hash
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return rs, err
	}
	if err := readLoose(dir, prefix, refs, symbolic, stamp); err != nil {
		return rs, err
	}
	for name, target := range symbolic {
		for range 5 {
			if t, ok := symbolic[target]; ok {
				target = t
			}
		}
		if h, ok := refs[target]; ok {
			refs[name] = h
		}
	}
	rs.Refs = make([]Ref, 0, len(refs))
	for n, h := range refs {
		rs.Refs = append(rs.Refs, Ref{n, h})
	}
	sort.Slice(rs.Refs, func(i, j int) bool { return rs.Refs[i].Name < rs.Refs[j].Name })
	return rs, nil
}

func readLoose(dir, rel string, refs map[string]Hash, symbolic map[string]string, stamp *refStamp) error {
	if err := stamp.add(dir, rel); err != nil {
		return err
	}
	ents, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, e := range ents {
		name := rel + "/" + e.Name()
		if e.IsDir() {
			if err := readLoose(dir, name, refs, symbolic, stamp); err != nil {
				return err
			}
			continue
		}
		if strings.HasSuffix(name, ".lock") {
			continue
		}
		if err := stamp.add(dir, name); err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		s := strings.TrimSpace(string(b))
		if t, ok := strings.CutPrefix(s, "ref: "); ok {
			symbolic[name] = t
			continue
		}
		h, err := ParseHash(s)
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(dir, filepath.FromSlash(name)), err)
		}
		refs[name] = h
	}
	return nil
}

// add stamps one more file; a nil stamp does nothing.
func (s *refStamp) add(dir, rel string) error {
	if s == nil {
		return nil
	}
	f, err := statStamp(dir, rel)
	if err != nil {
		return err
	}
	*s = append(*s, f)
	return nil
}

// ParsePackedRefs parses a packed-refs file. Peeled lines ("^hash") are
// accepted and ignored: distmeta follows branches, which point at commits.
func ParsePackedRefs(b []byte) ([]Ref, error) {
	var out []Ref
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		switch {
		case s == "" || s[0] == '#':
			continue
		case s[0] == '^':
			if len(out) == 0 {
				return nil, fmt.Errorf("line %d: peeled hash without a ref", line)
			}
			if _, err := ParseHash(s[1:]); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			continue
		}
		hs, name, ok := strings.Cut(s, " ")
		if !ok || !strings.HasPrefix(name, "refs/") {
			return nil, fmt.Errorf("line %d: want \"<hash> refs/...\"", line)
		}
		h, err := ParseHash(hs)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, Ref{name, h})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return out, nil
}
