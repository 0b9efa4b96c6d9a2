package distgit

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/klauspost/compress/zlib"
)

// Signature is a commit's author or committer.
type Signature struct {
	Name  string
	Email string
	When  time.Time // written with its zone offset, to the second
}

// CommitSpec is one commit to write.
type CommitSpec struct {
	// ID labels the commit so that later commits and refs of the same
	// Push can name it. It must not be a 40-digit hex string.
	ID string
	// Parents are labels of earlier commits of the same Push, or 40-digit
	// hex hashes of commits already in the repository (AppendPush). The
	// first is the first parent; two or more make a merge.
	Parents   []string
	Author    Signature
	Committer Signature // zero: same as Author
	Message   string    // a final newline is added when missing
	// Files is the whole tree of the commit: slash-separated path ->
	// content. Every file is a regular file (mode 100644).
	Files map[string][]byte
}

// Push is what one write adds to a repository: commits in topological
// order (parents first) and ref updates.
type Push struct {
	Commits []CommitSpec
	// Refs maps a branch name ("f40", or a full "refs/..." name) to a
	// commit label or hash; an empty value deletes the ref. Moving a
	// branch to a commit that does not descend from its old tip is a
	// force-push.
	Refs map[string]string
	// Head is the branch HEAD points at. WriteRepo defaults it to the
	// first branch in name order ("main" when there is none); AppendPush
	// leaves HEAD alone when it is empty.
	Head string
}

// WriteRepo creates a bare repository at dir (which must not exist or be
// empty) holding exactly the commits and refs of p: one packfile and its
// index, packed-refs, HEAD and config. The same Push always gives the same
// bytes. It returns the hash of every labelled commit.
func WriteRepo(dir string, p Push) (map[string]Hash, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write repo %s: %w", dir, err)
	}
	for _, d := range []string{"objects", "objects/pack", "objects/info", "refs", "refs/heads", "refs/tags"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("write repo %s: %w", dir, err)
		}
	}
	const config = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o644); err != nil {
		return nil, fmt.Errorf("write repo %s: %w", dir, err)
	}
	ids, refs, err := writePush(dir, p, map[string]Hash{})
	if err != nil {
		return nil, fmt.Errorf("write repo %s: %w", dir, err)
	}
	head := p.Head
	if head == "" {
		head = "main"
		var names []string
		for r := range refs {
			if b, ok := strings.CutPrefix(r, "refs/heads/"); ok {
				names = append(names, b)
			}
		}
		if len(names) > 0 {
			sort.Strings(names)
			head = names[0]
		}
	}
	if err := writeHead(dir, head); err != nil {
		return nil, fmt.Errorf("write repo %s: %w", dir, err)
	}
	return ids, nil
}

// AppendPush adds the commits of p to an existing bare repository as a new
// packfile and applies its ref updates (loose refs it replaces are
// removed; packed-refs is rewritten through a temporary file).
func AppendPush(dir string, p Push) (map[string]Hash, error) {
	rs, err := ReadRefs(dir)
	if err != nil {
		return nil, fmt.Errorf("append push %s: %w", dir, err)
	}
	cur := make(map[string]Hash, len(rs.Refs))
	for _, r := range rs.Refs {
		cur[r.Name] = r.Hash
	}
	ids, _, err := writePush(dir, p, cur)
	if err != nil {
		return nil, fmt.Errorf("append push %s: %w", dir, err)
	}
	if p.Head != "" {
		if err := writeHead(dir, p.Head); err != nil {
			return nil, fmt.Errorf("append push %s: %w", dir, err)
		}
	}
	return ids, nil
}

func writeHead(dir, branch string) error {
	return writeFileAtomic(filepath.Join(dir, "HEAD"), []byte("ref: "+fullRef(branch)+"\n"))
}

func fullRef(name string) string {
	if strings.HasPrefix(name, "refs/") {
		return name
	}
	return "refs/heads/" + name
}

// writePush writes the objects of p as one pack and applies its refs on
// top of cur (the refs already in the repository, updated in place).
func writePush(dir string, p Push, cur map[string]Hash) (map[string]Hash, map[string]Hash, error) {
	pw := newPackWriter()
	ids := make(map[string]Hash, len(p.Commits))
	for i := range p.Commits {
		c := &p.Commits[i]
		if c.ID == "" || isHexHash(c.ID) {
			return nil, nil, fmt.Errorf("commit %d: label %q must be non-empty and not a hash", i, c.ID)
		}
		if _, dup := ids[c.ID]; dup {
			return nil, nil, fmt.Errorf("commit %q: label used twice", c.ID)
		}
		tree, err := pw.addTree(c.Files)
		if err != nil {
			return nil, nil, fmt.Errorf("commit %q: %w", c.ID, err)
		}
		var parents []Hash
		for _, ps := range c.Parents {
			h, err := resolve(ps, ids)
			if err != nil {
				return nil, nil, fmt.Errorf("commit %q: parent: %w", c.ID, err)
			}
			parents = append(parents, h)
		}
		body, err := encodeCommit(tree, parents, c)
		if err != nil {
			return nil, nil, fmt.Errorf("commit %q: %w", c.ID, err)
		}
		ids[c.ID] = pw.add(plumbing.CommitObject, body)
	}
	if len(pw.objs) > 0 {
		if err := pw.write(filepath.Join(dir, "objects", "pack")); err != nil {
			return nil, nil, err
		}
	}
	names := make([]string, 0, len(p.Refs))
	for n := range p.Refs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ref := fullRef(n)
		if err := checkRefName(ref); err != nil {
			return nil, nil, err
		}
		// A loose ref would shadow packed-refs.
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(ref))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
		if p.Refs[n] == "" {
			delete(cur, ref)
			continue
		}
		h, err := resolve(p.Refs[n], ids)
		if err != nil {
			return nil, nil, fmt.Errorf("ref %s: %w", ref, err)
		}
		cur[ref] = h
	}
	if len(names) > 0 || len(cur) > 0 {
		if err := writeFileAtomic(filepath.Join(dir, "packed-refs"), encodePackedRefs(cur)); err != nil {
			return nil, nil, err
		}
	}
	return ids, cur, nil
}

func resolve(s string, ids map[string]Hash) (Hash, error) {
	if h, ok := ids[s]; ok {
		return h, nil
	}
	if isHexHash(s) {
		return ParseHash(s)
	}
	return Hash{}, fmt.Errorf("unknown commit label %q", s)
}

func checkRefName(ref string) error {
	for _, part := range strings.Split(ref, "/") {
		if part == "" || part == "." || part == ".." || strings.HasPrefix(part, ".") ||
			strings.HasSuffix(part, ".lock") || strings.ContainsAny(part, " ~^:?*[\\\x00\x7f") {
			return fmt.Errorf("ref %q: invalid name", ref)
		}
		for _, r := range part {
			if r < 0x20 {
				return fmt.Errorf("ref %q: invalid name", ref)
			}
		}
	}
	if strings.Contains(ref, "..") || strings.Contains(ref, "@{") || ref == "refs/heads" {
		return fmt.Errorf("ref %q: invalid name", ref)
	}
	return nil
}

func encodePackedRefs(refs map[string]Hash) []byte {
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteString("# pack-refs with: peeled fully-peeled sorted \n")
	for _, n := range names {
		b.WriteString(refs[n].String())
		b.WriteByte(' ')
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func encodeCommit(tree Hash, parents []Hash, c *CommitSpec) ([]byte, error) {
	committer := c.Committer
	if committer == (Signature{}) {
		committer = c.Author
	}
	var b bytes.Buffer
	b.WriteString("tree ")
	b.WriteString(tree.String())
	b.WriteByte('\n')
	for _, p := range parents {
		b.WriteString("parent ")
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	for _, s := range []struct {
		role string
		sig  Signature
	}{{"author", c.Author}, {"committer", committer}} {
		if s.sig.Name == "" || strings.ContainsAny(s.sig.Name, "<>\n") || strings.ContainsAny(s.sig.Email, "<>\n") {
			return nil, fmt.Errorf("%s %q <%s>: invalid name or email", s.role, s.sig.Name, s.sig.Email)
		}
		if s.sig.When.Unix() <= 0 {
			return nil, fmt.Errorf("%s %q: time %v is before 1970", s.role, s.sig.Name, s.sig.When)
		}
		b.WriteString(s.role)
		b.WriteByte(' ')
		b.WriteString(s.sig.Name)
		b.WriteString(" <")
		b.WriteString(s.sig.Email)
		b.WriteString("> ")
		b.WriteString(strconv.FormatInt(s.sig.When.Unix(), 10))
		b.WriteByte(' ')
		_, off := s.sig.When.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		b.WriteByte(sign)
		fmt.Fprintf(&b, "%02d%02d\n", off/3600, off/60%60)
	}
	b.WriteByte('\n')
	b.WriteString(c.Message)
	if !strings.HasSuffix(c.Message, "\n") {
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// packWriter collects objects (each once) in the order they were added.
type packWriter struct {
	objs []packObj
	seen map[Hash]bool
	sha  hash.Hash
}

type packObj struct {
	typ  plumbing.ObjectType
	hash Hash
	data []byte
}

func newPackWriter() *packWriter {
	return &packWriter{seen: map[Hash]bool{}, sha: sha1.New()}
}

func (pw *packWriter) add(typ plumbing.ObjectType, data []byte) Hash {
	var h Hash
	pw.sha.Reset()
	pw.sha.Write([]byte(typ.String()))
	pw.sha.Write([]byte{' '})
	pw.sha.Write([]byte(strconv.Itoa(len(data))))
	pw.sha.Write([]byte{0})
	pw.sha.Write(data)
	pw.sha.Sum(h[:0])
	if !pw.seen[h] {
		pw.seen[h] = true
		pw.objs = append(pw.objs, packObj{typ, h, data})
	}
	return h
}

type treeNode struct {
	blob  []byte
	isDir bool
	kids  map[string]*treeNode
}

func (pw *packWriter) addTree(files map[string][]byte) (Hash, error) {
	root := &treeNode{isDir: true, kids: map[string]*treeNode{}}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		parts := strings.Split(p, "/")
		n := root
		for i, part := range parts {
			if part == "" || part == "." || part == ".." || strings.EqualFold(part, ".git") || strings.ContainsRune(part, 0) {
				return Hash{}, fmt.Errorf("file %q: invalid path", p)
			}
			k := n.kids[part]
			last := i == len(parts)-1
			switch {
			case k == nil && last:
				k = &treeNode{blob: files[p]}
				if k.blob == nil {
					k.blob = []byte{}
				}
			case k == nil:
				k = &treeNode{isDir: true, kids: map[string]*treeNode{}}
			case last || !k.isDir:
				return Hash{}, fmt.Errorf("file %q: path is both a file and a directory", p)
			}
			n.kids[part] = k
			n = k
		}
	}
	return pw.writeTree(root), nil
}

func (pw *packWriter) writeTree(n *treeNode) Hash {
	type ent struct {
		key, name string
		mode      string
		hash      Hash
	}
	ents := make([]ent, 0, len(n.kids))
	for name, k := range n.kids {
		e := ent{key: name, name: name, mode: "100644"}
		if k.isDir {
			e.key, e.mode = name+"/", "40000"
		}
		ents = append(ents, e)
	}
	// Git orders tree entries as if directory names ended with "/"; the
	// objects go into the pack in that order too.
	sort.Slice(ents, func(i, j int) bool { return ents[i].key < ents[j].key })
	for i := range ents {
		k := n.kids[ents[i].name]
		if k.isDir {
			ents[i].hash = pw.writeTree(k)
		} else {
			ents[i].hash = pw.add(plumbing.BlobObject, k.blob)
		}
	}
	var b bytes.Buffer
	for _, e := range ents {
		b.WriteString(e.mode)
		b.WriteByte(' ')
		b.WriteString(e.name)
		b.WriteByte(0)
		b.Write(e.hash[:])
	}
	return pw.add(plumbing.TreeObject, b.Bytes())
}

var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// write writes pack-<sum>.pack and its .idx into packDir, the pack first.
func (pw *packWriter) write(packDir string) error {
	var pack bytes.Buffer
	pack.WriteString("PACK")
	binary.Write(&pack, binary.BigEndian, uint32(2))
	binary.Write(&pack, binary.BigEndian, uint32(len(pw.objs)))
	idx := new(idxfile.Writer)
	idx.OnHeader(uint32(len(pw.objs)))
	zw := zlibPool.Get().(*zlib.Writer)
	defer zlibPool.Put(zw)
	var hdr [16]byte
	for _, o := range pw.objs {
		off := pack.Len()
		size := len(o.data)
		c := byte(o.typ)<<4 | byte(size&0x0f)
		size >>= 4
		n := 0
		for size > 0 {
			hdr[n] = c | 0x80
			n++
			c = byte(size & 0x7f)
			size >>= 7
		}
		hdr[n] = c
		n++
		pack.Write(hdr[:n])
		zw.Reset(&pack)
		if _, err := zw.Write(o.data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		crc := crc32.ChecksumIEEE(pack.Bytes()[off:])
		idx.Add(plumbing.Hash(o.hash), uint64(off), crc)
	}
	sum := sha1.Sum(pack.Bytes())
	pack.Write(sum[:])
	if err := idx.OnFooter(plumbing.Hash(sum)); err != nil {
		return err
	}
	mi, err := idx.Index()
	if err != nil {
		return err
	}
	var ib bytes.Buffer
	if _, err := idxfile.NewEncoder(&ib).Encode(mi); err != nil {
		return err
	}
	base := filepath.Join(packDir, "pack-"+Hash(sum).String())
	if err := writeFileAtomic(base+".pack", pack.Bytes()); err != nil {
		return err
	}
	return writeFileAtomic(base+".idx", ib.Bytes())
}

// writeFileAtomic writes data to a temporary file next to name and renames
// it into place.
func writeFileAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
