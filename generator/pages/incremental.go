package pages

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/distmeta/distmeta/site/answers"
)

// deps records what one unit (a page and the pages it owns) read of the
// world: single documents, the key set of a kind (which pages exist, for
// links and lists), or every document of a kind (the index page). A unit
// is rendered again when one of them changed.
type deps struct {
	keys, all uint32 // bit i: answers.Kinds[i]
	docs      []string
}

// kindBit is the bit of a kind in deps.keys and deps.all.
func kindBit(kind string) uint32 {
	i := sort.SearchStrings(answers.Kinds, kind)
	if i == len(answers.Kinds) || answers.Kinds[i] != kind {
		// A kind the site does not know has no bit: depend on it by
		// document only. Never reached by the page code.
		panic("pages: unknown kind " + kind)
	}
	return 1 << i
}

func (d *deps) keySet(kind string)   { d.keys |= kindBit(kind) }
func (d *deps) every(kind string)    { d.all |= kindBit(kind) }
func (d *deps) doc(kind, key string) { d.docs = append(d.docs, kind+"/"+key) }
func (d *deps) ids() (out []string) {
	for i, k := range answers.Kinds {
		if d.keys&(1<<i) != 0 {
			out = append(out, "k:"+k)
		}
		if d.all&(1<<i) != 0 {
			out = append(out, "a:"+k)
		}
	}
	for _, k := range d.docs {
		out = append(out, "d:"+k)
	}
	sort.Strings(out)
	return compactStrings(out)
}

func compactStrings(s []string) []string {
	if len(s) < 2 {
		return s
	}
	out := s[:1]
	for _, x := range s[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// State is what Update rendered last time: per unit (a page and the
// pages it owns, such as the paginated lists behind a capped one), the
// inputs it read with their digests and the files it made with theirs.
// It is stored between runs (see StateVersion) and only saves time: an
// absent or foreign State makes Update render everything.
type State struct {
	// Config is the digest of everything besides the answers that the
	// pages depend on: the options, the templates and assets, and the
	// program itself. A State of another configuration is not used.
	Config [32]byte
	// Deps names every input some unit read ("d:kind/key" a document,
	// "k:kind" the key set of a kind, "a:kind" every document of a kind)
	// with its digest when the unit was rendered.
	Deps    []string
	DepSums [][32]byte
	// Units, sorted by ID.
	Units []UnitState
	// Index holds what the index page read of each source component.
	Index []IndexSource
}

// UnitState is one unit of a State.
type UnitState struct {
	ID    string
	Deps  []int32 // indexes in State.Deps
	Files []FileSum
}

// FileSum is a file of the site and the SHA-256 of its content.
type FileSum struct {
	Path string
	Sum  [32]byte
	Size int64
}

// StateVersion names the layout of State (the key it is stored under).
const StateVersion = "distmeta-pages-state/2"

// Files returns the digest of every file of the site as rendered.
func (s *State) Files() map[string][32]byte {
	out := map[string][32]byte{}
	if s == nil {
		return out
	}
	for _, u := range s.Units {
		for _, f := range u.Files {
			out[f.Path] = f.Sum
		}
	}
	return out
}

// Listing returns every file of the site with its digest and size, by
// path.
func (s *State) Listing() map[string]FileSum {
	out := map[string]FileSum{}
	if s == nil {
		return out
	}
	for _, u := range s.Units {
		for _, f := range u.Files {
			out[f.Path] = f
		}
	}
	return out
}

// Result is what Update made.
type Result struct {
	// Files holds the files of the units rendered by this run, by path
	// (the others are as the previous State says). Writing them, and
	// removing Remove, turns the previous site into the new one. Empty
	// when Options.Sink took them.
	Files map[string][]byte
	// Remove lists the files of the previous State that the site no
	// longer has, sorted.
	Remove []string
	// State is the new state, for the next run.
	State *State
	// Units is the number of units; Rendered those rendered by this run,
	// whose IDs ("index", "src/bash", "list/pkg", ...) Updated lists.
	Units, Rendered int
	Updated         []string
}

// digester computes the digests of the inputs of units, each once.
type digester struct {
	docs   map[string]map[string][]byte
	digest func(kind, key string) [32]byte

	mu   sync.Mutex
	sums map[string][32]byte
}

func newDigester(docs map[string]map[string][]byte, digest func(kind, key string) [32]byte) *digester {
	if digest == nil {
		digest = func(kind, key string) [32]byte {
			b, ok := docs[kind][key]
			if !ok {
				return [32]byte{}
			}
			return sha256.Sum256(b)
		}
	}
	return &digester{docs: docs, digest: digest, sums: map[string][32]byte{}}
}

// sum returns the digest of an input id; an absent document's is zero.
func (g *digester) sum(id string) [32]byte {
	g.mu.Lock()
	s, ok := g.sums[id]
	g.mu.Unlock()
	if ok {
		return s
	}
	switch {
	case strings.HasPrefix(id, "d:"):
		kind, key, _ := strings.Cut(id[2:], "/")
		if _, ok := g.docs[kind][key]; ok {
			s = g.digest(kind, key)
		}
	case strings.HasPrefix(id, "k:"):
		h := sha256.New()
		keys := sortedKeys(g.docs[id[2:]])
		writeLen(h, len(keys))
		for _, k := range keys {
			writeLen(h, len(k))
			io.WriteString(h, k)
		}
		h.Sum(s[:0])
	case strings.HasPrefix(id, "a:"):
		kind := id[2:]
		h := sha256.New()
		keys := sortedKeys(g.docs[kind])
		writeLen(h, len(keys))
		for _, k := range keys {
			writeLen(h, len(k))
			io.WriteString(h, k)
			d := g.digest(kind, k)
			h.Write(d[:])
		}
		h.Sum(s[:0])
	default:
		// Unknown: never equal to what was recorded.
		s = sha256.Sum256([]byte("unknown input " + id))
	}
	g.mu.Lock()
	g.sums[id] = s
	g.mu.Unlock()
	return s
}

func writeLen(h hash.Hash, n int) {
	var b [binary.MaxVarintLen64]byte
	h.Write(b[:binary.PutUvarint(b[:], uint64(n))])
}
