package distgit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/distmeta/distmeta/internal/atomicfile"
)

// State is the state folder of incremental walks: a small refs index read
// whole, and a content file of per-repository records read only when a
// record is needed (Load) or, by Walk, in one read.
type State struct {
	dir     string
	entries map[string]*stateEntry
	content string // content file name, "" when there is none

	mu   sync.Mutex
	data []byte // the content file, once loaded whole

	tables sync.Pool // of strTable
}

// stateEntry is what the refs index knows of one repository.
type stateEntry struct {
	Name     string
	Head     string // the branch HEAD points at
	Branches []Ref  // branch name (without refs/heads/) and tip, sorted
	Stamp    refStamp
	Trusted  bool // the stamp was taken well after its files changed

	off, n int64  // the record in the content file
	sum    uint32 // its CRC-32C
	// repo is set instead of a record for a repository read by this walk
	// or migrated from a version 2 state: it is encoded when saved.
	repo *Repo
}

// OpenState loads the refs index of the state folder dir (created when
// missing). Repository records are read when asked for.
func OpenState(dir string) (*State, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state %s: %w", dir, err)
	}
	s := &State{dir: dir, entries: map[string]*stateEntry{}}
	p := filepath.Join(dir, stateIndexFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.readLegacy(); err != nil {
			return nil, err
		}
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", p, err)
	}
	if err := s.decodeIndex(b); err != nil {
		return nil, fmt.Errorf("state %s: %w", p, err)
	}
	return s, nil
}

// Names returns the repositories the state knows, sorted.
func (s *State) Names() []string {
	out := make([]string, 0, len(s.entries))
	for n := range s.entries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Repo returns the last walk of a repository, or nil when the state does
// not know it or its record cannot be read (Load says why).
func (s *State) Repo(name string) *Repo {
	r, _ := s.Load(name)
	return r
}

// Load reads the last walk of a repository from the content file: nil
// and no error when the state does not know it.
func (s *State) Load(name string) (*Repo, error) {
	e := s.entries[name]
	if e == nil {
		return nil, nil
	}
	return s.load(e)
}

func (s *State) load(e *stateEntry) (*Repo, error) {
	if e.repo != nil {
		return e.repo, nil
	}
	rec, err := s.record(e)
	if err != nil {
		return nil, err
	}
	t, _ := s.tables.Get().(strTable)
	if t == nil {
		t = strTable{}
	}
	r, err := decodeRepo(rec, t)
	s.tables.Put(t)
	if err == nil && r.Name != e.Name {
		err = fmt.Errorf("record of %s", r.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("state %s: %s: %w", filepath.Join(s.dir, s.content), e.Name, err)
	}
	return r, nil
}

// record returns the checked bytes of a repository's record.
func (s *State) record(e *stateEntry) ([]byte, error) {
	p := filepath.Join(s.dir, s.content)
	s.mu.Lock()
	data := s.data
	s.mu.Unlock()
	var rec []byte
	if data != nil {
		if e.off+e.n > int64(len(data)) {
			return nil, fmt.Errorf("state %s: %s: record past the end of the file", p, e.Name)
		}
		rec = data[e.off : e.off+e.n : e.off+e.n]
	} else {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("state %s: %w", s.dir, err)
		}
		rec = make([]byte, e.n)
		_, err = f.ReadAt(rec, e.off)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("state %s: %s: %w", p, e.Name, err)
		}
	}
	if crc(rec) != e.sum {
		return nil, fmt.Errorf("state %s: %s: record checksum mismatch", p, e.Name)
	}
	return rec, nil
}

// loadContent reads the whole content file, for walks that need most
// records.
func (s *State) loadContent() error {
	if s.content == "" {
		return nil
	}
	p := filepath.Join(s.dir, s.content)
	b, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("state %s: %w", s.dir, err)
	}
	s.mu.Lock()
	s.data = b
	s.mu.Unlock()
	return nil
}

// The refs index: stateIndexMagic, the content file name, the entries
// sorted by name, and a CRC-32C of everything before it.
const (
	stampOther   = uint64(len(stampFixed)) // then the path
	entryTrusted = 1
)

func encodeIndex(content string, entries []*stateEntry) []byte {
	e := encoder{append(make([]byte, 0, 256*len(entries)), stateIndexMagic...)}
	e.str(content)
	e.uvarint(uint64(len(entries)))
	for _, x := range entries {
		e.str(x.Name)
		e.str(x.Head)
		var flags uint64
		if x.Trusted {
			flags |= entryTrusted
		}
		e.uvarint(flags)
		e.uvarint(uint64(len(x.Branches)))
		for _, b := range x.Branches {
			e.str(b.Name)
			e.hash(b.Hash)
		}
		e.uvarint(uint64(len(x.Stamp)))
		for i, f := range x.Stamp {
			if i < len(stampFixed) && f.Path == stampFixed[i] {
				e.uvarint(uint64(i))
			} else {
				e.uvarint(stampOther)
				e.str(f.Path)
			}
			if !f.Present {
				e.uvarint(0)
				continue
			}
			e.uvarint(1)
			e.uvarint(f.Ino)
			e.varint(f.Size)
			e.varint(f.Mtime)
			e.varint(f.Ctime)
		}
		e.uvarint(uint64(x.off))
		e.uvarint(uint64(x.n))
		e.u32(x.sum)
	}
	e.u32(crc(e.b))
	return e.b
}

func (s *State) decodeIndex(b []byte) error {
	if !bytes.HasPrefix(b, []byte(stateIndexMagic)) {
		return errors.New("not a distmeta refs index (version 3)")
	}
	if len(b) < len(stateIndexMagic)+4 {
		return errTruncated
	}
	body := b[:len(b)-4]
	if d := (&decoder{b: b[len(body):]}); crc(body) != d.u32() {
		return errors.New("checksum mismatch")
	}
	d := &decoder{b: body, off: len(stateIndexMagic)}
	names := strTable{}
	s.content = d.str()
	if s.content != "" && !isContentName(s.content) {
		return fmt.Errorf("content file %q", s.content)
	}
	n := d.count(8)
	list := make([]stateEntry, n)
	prev := ""
	for i := range list {
		x := &list[i]
		x.Name = d.str()
		x.Head = d.istr(names)
		x.Trusted = d.uvarint()&entryTrusted != 0
		x.Branches = make([]Ref, d.count(21))
		for j := range x.Branches {
			x.Branches[j] = Ref{Name: d.istr(names), Hash: d.hash()}
		}
		x.Stamp = make(refStamp, d.count(2))
		for j := range x.Stamp {
			f := &x.Stamp[j]
			switch c := d.uvarint(); {
			case c < stampOther:
				f.Path = stampFixed[c]
			case c == stampOther:
				f.Path = d.istr(names)
			default:
				d.fail(fmt.Errorf("stamp path code %d", c))
			}
			switch d.uvarint() {
			case 0:
			case 1:
				f.Present = true
				f.Ino, f.Size, f.Mtime, f.Ctime = d.uvarint(), d.varint(), d.varint(), d.varint()
			default:
				d.fail(errors.New("stamp presence"))
			}
		}
		off, size := d.uvarint(), d.uvarint()
		x.sum = d.u32()
		if d.err != nil {
			break
		}
		if off > 1<<50 || size > 1<<50 {
			d.fail(fmt.Errorf("%s: record at %d, %d bytes", x.Name, off, size))
			break
		}
		x.off, x.n = int64(off), int64(size)
		if x.Name <= prev {
			d.fail(fmt.Errorf("entry %q after %q: not sorted", x.Name, prev))
			break
		}
		if x.n > 0 && s.content == "" {
			d.fail(fmt.Errorf("%s: a record without a content file", x.Name))
			break
		}
		prev = x.Name
		s.entries[x.Name] = x
	}
	if d.err == nil && d.off != len(body) {
		d.fail(fmt.Errorf("%d bytes after the entries", len(body)-d.off))
	}
	return d.err
}

func isContentName(name string) bool {
	h, ok := strings.CutPrefix(name, stateContentPrefix)
	if !ok {
		return false
	}
	h, ok = strings.CutSuffix(h, stateContentSuffix)
	return ok && len(h) == 32 && strings.Trim(h, "0123456789abcdef") == ""
}

// readLegacy migrates a version 2 state: every repository decoded, no
// stamps (their refs are read on the next walk).
func (s *State) readLegacy() error {
	p := filepath.Join(s.dir, stateLegacyFile)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("state %s: %w", p, err)
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	var hdr struct{ Version, Repos int }
	if err := dec.Decode(&hdr); err != nil {
		return fmt.Errorf("state %s: %w", p, err)
	}
	if hdr.Version != stateVersion {
		return fmt.Errorf("state %s: version %d, want %d", p, hdr.Version, stateVersion)
	}
	for i := range hdr.Repos {
		r := &Repo{}
		if err := dec.Decode(r); err != nil {
			return fmt.Errorf("state %s: repository %d: %w", p, i, err)
		}
		s.entries[r.Name] = newEntry(r, nil, false)
	}
	return nil
}

// newEntry makes the index entry of a repository just read.
func newEntry(r *Repo, stamp refStamp, trusted bool) *stateEntry {
	e := &stateEntry{Name: r.Name, Head: r.Head, Stamp: stamp, Trusted: trusted, repo: r}
	e.Branches = make([]Ref, len(r.Branches))
	for i, b := range r.Branches {
		e.Branches[i] = Ref{Name: b.Name, Hash: b.Head}
	}
	return e
}

// sameRefs reports whether HEAD and the branch tips are those of e.
func (e *stateEntry) sameRefs(head string, branches map[string]Hash) bool {
	if e.Head != head || len(e.Branches) != len(branches) {
		return false
	}
	for _, b := range e.Branches {
		if h, ok := branches[b.Name]; !ok || h != b.Hash {
			return false
		}
	}
	return true
}

// compactRatio bounds the dead bytes of an appended content file: when
// they would pass 1/compactRatio of the live records, save rewrites the
// file with only the live ones.
var compactRatio = 4

// save writes the state a walk leaves: entries (every repository kept,
// sorted by name), then removes the files no index names.
//
// With records changed, the repositories read by this walk are appended to
// the content file (after the last byte the saved index names: the tail of
// an interrupted append is cut), synced, then the index naming the new
// records is written to a temporary file, synced and renamed. A crash
// leaves the old index, whose records the append did not touch, or the new
// one. When the dead records (replaced or dropped) would grow past a
// quarter of the live ones, or there is no content file, a new content
// file with only the live records is written instead, named by its digest.
func (s *State) save(entries []*stateEntry, recordsChanged bool) error {
	out := make([]*stateEntry, len(entries))
	content := s.content
	if recordsChanged || content == "" {
		encoded := make(map[int][]byte)
		fresh, live := 0, 0
		for i, e := range entries {
			if e.repo != nil {
				encoded[i] = appendRepo(nil, e.repo)
				fresh += len(encoded[i])
			} else {
				live += int(e.n)
			}
		}
		end := s.end()
		dead := int(end) - live
		var err error
		if content == "" || dead*compactRatio > live+fresh {
			content, err = s.compact(entries, encoded, out, live+fresh)
		} else {
			err = s.appendRecords(entries, encoded, out, end, fresh)
		}
		if err != nil {
			return err
		}
	} else {
		copy(out, entries)
	}
	if err := atomicfile.Write(filepath.Join(s.dir, stateIndexFile), encodeIndex(content, out), 0o644); err != nil {
		return fmt.Errorf("state %s: %w", s.dir, err)
	}
	s.content = content
	s.entries = make(map[string]*stateEntry, len(out))
	for _, e := range out {
		s.entries[e.Name] = e
	}
	if recordsChanged {
		s.mu.Lock()
		s.data = nil
		s.mu.Unlock()
	}
	// Leftovers: older content files, temporary files of an interrupted
	// write, the version 2 state.
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("state %s: %w", s.dir, err)
	}
	for _, de := range ents {
		n := de.Name()
		if n != content && strings.HasPrefix(n, stateContentPrefix) || n == stateLegacyFile || n == stateIndexFile+".tmp" || atomicfile.IsTemp(n) {
			if err := os.Remove(filepath.Join(s.dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("state %s: %w", s.dir, err)
			}
		}
	}
	return nil
}

// end is the end of the last record the saved index names: what follows
// in the content file is the tail of an interrupted append.
func (s *State) end() int64 {
	var end int64
	for _, e := range s.entries {
		if e.repo == nil {
			end = max(end, e.off+e.n)
		}
	}
	return end
}

// compact writes a new content file of the live records (encoded: those
// read by this walk, by index in entries), filling out, and returns its
// name.
func (s *State) compact(entries []*stateEntry, encoded map[int][]byte, out []*stateEntry, total int) (string, error) {
	// The size of the new content is known (one allocation, no copying as
	// it grows), and the old records are read from the content file read
	// once.
	s.mu.Lock()
	loaded := s.data != nil
	s.mu.Unlock()
	if len(encoded) < len(entries) && !loaded {
		if err := s.loadContent(); err != nil {
			return "", err
		}
	}
	buf := make([]byte, 0, total)
	for i, e := range entries {
		start := len(buf)
		var sum uint32
		if rec, ok := encoded[i]; ok {
			buf = append(buf, rec...)
			sum = crc(buf[start:])
		} else {
			rec, err := s.record(e) // checks the record's CRC
			if err != nil {
				return "", err
			}
			buf = append(buf, rec...)
			sum = e.sum
		}
		c := *e
		c.off, c.n, c.sum, c.repo = int64(start), int64(len(buf)-start), sum, nil
		out[i] = &c
	}
	sum := sha256.Sum256(buf)
	content := stateContentPrefix + hex.EncodeToString(sum[:16]) + stateContentSuffix
	if err := atomicfile.Write(filepath.Join(s.dir, content), buf, 0o644); err != nil {
		return "", fmt.Errorf("state %s: %w", s.dir, err)
	}
	return content, nil
}

// appendRecords appends the records read by this walk (encoded, by index
// in entries) to the content file at end, syncs it, and fills out.
func (s *State) appendRecords(entries []*stateEntry, encoded map[int][]byte, out []*stateEntry, end int64, size int) error {
	buf := make([]byte, 0, size)
	for i, e := range entries {
		c := *e
		if rec, ok := encoded[i]; ok {
			start := len(buf)
			buf = append(buf, rec...)
			c.off, c.n, c.sum, c.repo = end+int64(start), int64(len(rec)), crc(rec), nil
		}
		out[i] = &c
	}
	p := filepath.Join(s.dir, s.content)
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("state %s: %w", s.dir, err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() < end {
		err = fmt.Errorf("%d bytes, the index names records up to %d", fi.Size(), end)
	}
	if err == nil {
		err = f.Truncate(end)
	}
	if err == nil {
		_, err = f.WriteAt(buf, end)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("state %s: append: %w", p, err)
	}
	return nil
}

// appendLog appends a walk's ref moves and a run entry to the ref log.
func appendLog(dir string, updates []RefUpdate, now time.Time, repos int) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, u := range updates {
		if err := enc.Encode(u); err != nil {
			return err
		}
	}
	if err := enc.Encode(RefUpdate{Time: now.UTC(), Kind: Run, Repos: repos}); err != nil {
		return err
	}
	p := filepath.Join(dir, stateLogFile)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("ref log %s: %w", p, err)
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("ref log %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("ref log %s: %w", p, err)
	}
	return nil
}
