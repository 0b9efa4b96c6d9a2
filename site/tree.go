package site

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/distmeta/distmeta/internal/atomicfile"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/sync/errgroup"
)

// A tree is a folder of plain files at fixed paths beside the store (the
// HTML pages under www/): clients never fetch it, people browse it, and
// mirrors carry it. Its listing is signed with the site's key, so that
// Verify covers the tree as well as the store:
//
//	<name>.index        a signed note: "distmeta tree v1", origin, the
//	                    serial of the index the tree was written with,
//	                    and one "page DIGEST SIZE" line per listing page
//	<name>.files.d/HEX  a listing page, named by the SHA-256 of its
//	                    bytes: the line "distmeta-tree/1", then one line
//	                    "HEX SIZE PATH" per file, sorted by path (bytes)
//
// A path's page is BucketOf(path, pages), with about treePageFiles paths
// a page: a push that changes a few files rewrites a page or two, not the
// listing of the whole tree (what a mirror's rsync moves). The pages are
// plain text so that scripts/mirror-sync.sh can tell, with comm(1), which
// files a new listing changes. The tree is
// written after the index it belongs to, like the other files at
// well-known paths.
const (
	// PagesTree is the tree of HTML pages the generator writes.
	PagesTree  = "www"
	treeHeader = "distmeta tree v1"
	FormatTree = "distmeta-tree/1"
	// MaxTreeListing caps one decoded listing page.
	MaxTreeListing = 64 << 20
	// treePageFiles is about how many paths a listing page holds, and
	// maxTreePages caps the pages (the note stays within MaxIndexSize).
	treePageFiles = 1500
	maxTreePages  = 512
)

// TreeIndex is the signed head of a tree.
type TreeIndex struct {
	Origin string
	Serial uint64 // of the site index the tree was written with
	Pages  []Ref  // the listing pages, <name>.files.d/HEX, by page number
}

func (t *TreeIndex) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\norigin %s\nserial %d\n", treeHeader, t.Origin, t.Serial)
	for _, p := range t.Pages {
		fmt.Fprintf(&b, "page %s %d\n", p.Digest, p.Size)
	}
	return b.String()
}

// treePagePath is where a listing page is stored.
func treePagePath(name string, d Digest) string {
	return name + ".files.d/" + d.String()[len("sha256:"):]
}

// encodeTreePage writes a listing page: the format line, then a line per
// file, sorted by path.
func encodeTreePage(files map[string]Ref) []byte {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	b := make([]byte, 0, 100*len(paths)+len(FormatTree)+1)
	b = append(b, FormatTree+"\n"...)
	for _, p := range paths {
		r := files[p]
		b = hex.AppendEncode(b, r.Digest[:])
		b = append(b, ' ')
		b = strconv.AppendInt(b, r.Size, 10)
		b = append(b, ' ')
		b = append(b, p...)
		b = append(b, '\n')
	}
	return b
}

// WriteTree signs the listing of the tree dir/name (path under it ->
// digest and size of the file) for the index serial it belongs to: it
// writes the listing pages not there yet, then dir/name.index atomically,
// then removes the pages it no longer names. The files themselves must be
// in place already.
func WriteTree(dir, name string, files map[string]Ref, signer note.Signer, origin string, serial uint64) error {
	if !validOrigin(origin) {
		return fmt.Errorf("tree %s: invalid origin %q", name, origin)
	}
	n := min(max(1, (len(files)+treePageFiles-1)/treePageFiles), maxTreePages)
	pages := make([]map[string]Ref, n)
	for i := range pages {
		pages[i] = map[string]Ref{}
	}
	for p, r := range files {
		if !validTreePath(p) {
			return fmt.Errorf("tree %s: invalid path %q", name, p)
		}
		if err := checkRef("tree "+name+": "+p, r, MaxObjectSize); err != nil {
			return err
		}
		pages[BucketOf(p, n)][p] = r
	}
	ti := &TreeIndex{Origin: origin, Serial: serial}
	keep := map[string]bool{}
	for _, pg := range pages {
		stored := encodeTreePage(pg)
		ref := Ref{Sum(stored), int64(len(stored))}
		ti.Pages = append(ti.Pages, ref)
		rel := treePagePath(name, ref.Digest)
		keep[path.Base(rel)] = true
		// A page is named by its digest: one there at its size is it.
		if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel))); err == nil && st.Mode().IsRegular() && st.Size() == ref.Size {
			continue
		}
		if err := atomicfile.Write(filepath.Join(dir, filepath.FromSlash(rel)), stored, 0o644); err != nil {
			return fmt.Errorf("tree %s: %w", name, err)
		}
	}
	msg, err := note.Sign(&note.Note{Text: ti.text()}, signer)
	if err != nil {
		return fmt.Errorf("tree %s: sign: %w", name, err)
	}
	if err := atomicfile.Write(filepath.Join(dir, name+".index"), msg, 0o644); err != nil {
		return fmt.Errorf("tree %s: %w", name, err)
	}
	// The pages of earlier listings (mirrors drop them with their
	// deletion pass).
	pd := filepath.Join(dir, name+".files.d")
	ents, err := os.ReadDir(pd)
	if err != nil {
		return fmt.Errorf("tree %s: %w", name, err)
	}
	for _, e := range ents {
		if !keep[e.Name()] && !e.IsDir() {
			if err := os.Remove(filepath.Join(pd, e.Name())); err != nil {
				return fmt.Errorf("tree %s: %w", name, err)
			}
		}
	}
	return nil
}

// validTreePath is ValidFilePath inside a tree (which is not the store's
// root, so o/ or m/ are fine names there).
func validTreePath(p string) bool { return cleanRelPath(p) }

// ParseTreeIndex checks the signature of a tree index and parses it.
func ParseTreeIndex(msg []byte, verifiers note.Verifiers) (*TreeIndex, error) {
	text, err := openNote(msg, verifiers)
	if err != nil {
		return nil, err
	}
	return parseTreeText(text)
}

// parseTreeText parses the signed text of a tree index.
func parseTreeText(text string) (*TreeIndex, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 4 || len(lines) > 3+maxTreePages || lines[0] != treeHeader {
		return nil, bad("not a %q note", treeHeader)
	}
	ti := &TreeIndex{}
	for i, line := range lines[1:] {
		f := strings.Split(line, " ")
		want := "page"
		if i < 2 {
			want = []string{"origin", "serial"}[i]
		}
		if f[0] != want {
			return nil, bad("line %d: want %q", i+2, want)
		}
		switch want {
		case "origin":
			if len(f) != 2 || !validOrigin(f[1]) {
				return nil, bad("line %d: bad origin", i+2)
			}
			ti.Origin = f[1]
		case "serial":
			s, err := strconv.ParseUint(strings.Join(f[1:], " "), 10, 64)
			if err != nil || s == 0 {
				return nil, bad("line %d: bad serial", i+2)
			}
			ti.Serial = s
		case "page":
			if len(f) != 3 {
				return nil, bad("line %d: want page DIGEST SIZE", i+2)
			}
			d, err := ParseDigest(f[1])
			if err != nil || d.IsZero() {
				return nil, bad("line %d: bad digest", i+2)
			}
			size, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil || size < 0 || size > MaxTreeListing {
				return nil, bad("line %d: bad size", i+2)
			}
			ti.Pages = append(ti.Pages, Ref{d, size})
		}
	}
	return ti, nil
}

// parseTreeListing parses a listing page (verified already against its
// Ref): the format line, then "HEX SIZE PATH" lines strictly sorted by
// path.
func parseTreeListing(stored []byte) (map[string]Ref, error) {
	if len(stored) > MaxTreeListing {
		return nil, fmt.Errorf("tree listing: %d bytes exceeds %d", len(stored), MaxTreeListing)
	}
	text, ok := strings.CutSuffix(string(stored), "\n")
	if !ok {
		return nil, fmt.Errorf("tree listing: no final newline")
	}
	lines := strings.Split(text, "\n")
	if lines[0] != FormatTree {
		return nil, fmt.Errorf("tree listing: format %q, want %q", lines[0], FormatTree)
	}
	files := make(map[string]Ref, len(lines)-1)
	prev := ""
	for i, line := range lines[1:] {
		hexSum, rest, ok1 := strings.Cut(line, " ")
		size, p, ok2 := strings.Cut(rest, " ")
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("tree listing: line %d: want HEX SIZE PATH", i+2)
		}
		d, err := ParseDigest(digestPrefix + hexSum)
		if err != nil {
			return nil, fmt.Errorf("tree listing: line %d: %v", i+2, err)
		}
		n, err := strconv.ParseInt(size, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != size {
			return nil, fmt.Errorf("tree listing: line %d: bad size %q", i+2, size)
		}
		if !validTreePath(p) {
			return nil, fmt.Errorf("tree listing: line %d: invalid path %q", i+2, p)
		}
		if i > 0 && p <= prev {
			return nil, fmt.Errorf("tree listing: line %d: %s is not after %s", i+2, p, prev)
		}
		if err := checkRef("tree listing: "+p, Ref{d, n}, MaxObjectSize); err != nil {
			return nil, err
		}
		files[p], prev = Ref{d, n}, p
	}
	return files, nil
}

// verifyTree checks the tree dir/name against its signed listing: the
// signature and origin, that it belongs to the site's current index,
// every listed file's presence, size and digest, and that no file is
// there that neither the listing nor the root manifest's plain files
// (plain) cover. A site with neither the folder nor its index has no tree
// to check.
func (v *verifier) verifyTree(name string, ix *Index, verifiers note.Verifiers, plain map[string]Entry) {
	files, why, usable := v.treeListing(name, ix, verifiers)
	if files == nil && why == "" {
		return
	}
	onDisk := map[string]bool{}
	root := filepath.Join(v.dir, name)
	werr := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || atomicfile.IsTemp(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		onDisk[filepath.ToSlash(rel)] = true
		return nil
	})
	if werr != nil {
		v.add(name, werr)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range paths {
		r := files[p]
		g.Go(func() error {
			if _, err := readFile(v.dir, name+"/"+p, MaxObjectSize, &r); err != nil {
				v.add(name+"/"+p, err)
			} else {
				v.count()
			}
			return nil
		})
	}
	g.Wait()
	var extra []string
	for p := range onDisk {
		_, listed := files[p]
		_, isPlain := plain[name+"/"+p]
		if !listed && !isPlain {
			extra = append(extra, p)
		}
	}
	sort.Strings(extra)
	if !usable && len(extra) > 0 {
		v.add(name, fmt.Errorf("%d files are not covered by a signed listing (%s)", len(extra), why))
		return
	}
	for _, p := range extra {
		v.add(name+"/"+p, fmt.Errorf("not covered by the signed listing %s", why))
	}
}

// treeListing reads and checks the signed listing of the tree name. A
// listing that cannot be used is reported, usable is false and why says
// so; files and why are both zero when the site has no tree at all.
func (v *verifier) treeListing(name string, ix *Index, verifiers note.Verifiers) (files map[string]Ref, why string, usable bool) {
	idx := name + ".index"
	msg, err := readFile(v.dir, idx, MaxIndexSize, nil)
	if errors.Is(err, ErrNotFound) {
		if st, serr := os.Stat(filepath.Join(v.dir, name)); serr == nil && st.IsDir() {
			return map[string]Ref{}, idx + " is missing", false
		}
		return nil, "", false
	}
	unusable := idx + " is unusable"
	if err != nil {
		v.add(idx, err)
		return map[string]Ref{}, unusable, false
	}
	v.count()
	ti, err := ParseTreeIndex(msg, verifiers)
	if err != nil {
		v.add(idx, err)
		return map[string]Ref{}, unusable, false
	}
	if ti.Origin != ix.Origin {
		v.add(idx, fmt.Errorf("%w: origin %q, the index's is %q", ErrWrongOrigin, ti.Origin, ix.Origin))
		return map[string]Ref{}, unusable, false
	}
	if ti.Serial != ix.Serial {
		v.add(idx, fmt.Errorf("written with index serial %d, the site is at serial %d: %s/ is not the current build's", ti.Serial, ix.Serial, name))
	}
	files = map[string]Ref{}
	for i, ref := range ti.Pages {
		rel := treePagePath(name, ref.Digest)
		stored, err := readFile(v.dir, rel, MaxTreeListing, &ref)
		if err != nil {
			v.add(rel, err)
			return map[string]Ref{}, unusable, false
		}
		v.count()
		pg, err := parseTreeListing(stored)
		if err != nil {
			v.add(rel, err)
			return map[string]Ref{}, unusable, false
		}
		for p, r := range pg {
			if BucketOf(p, len(ti.Pages)) != i {
				v.add(rel, fmt.Errorf("%s is listed on page %d, its page is %d", p, i, BucketOf(p, len(ti.Pages))))
				return map[string]Ref{}, unusable, false
			}
			files[p] = r
		}
	}
	return files, idx, true
}
