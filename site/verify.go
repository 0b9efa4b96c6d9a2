package site

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/sync/errgroup"
)

// Problem is one thing wrong with a site.
type Problem struct {
	Path string // slash-separated path in the site
	Err  error
}

func (p Problem) String() string {
	msg := p.Err.Error()
	if strings.HasPrefix(msg, p.Path+": ") {
		return msg
	}
	return p.Path + ": " + msg
}

// Report is the outcome of Verify.
type Report struct {
	Index    *Index // nil when the index itself did not verify
	Checked  int    // files checked
	Problems []Problem
}

// OK reports whether no problem was found.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Verify checks the site in dir: the index signature, that index.d keeps
// it, every manifest and object (presence, size, digest, decoding, and
// that each key sits in its bucket), every plain file, and the pages
// under www/ against their signed listing (WriteTree). It reports
// every problem, not only the first; the error is for when the walk itself
// cannot proceed (a context cancelled).
func Verify(ctx context.Context, dir string, verifiers note.Verifiers) (*Report, error) {
	v := &verifier{dir: dir, rep: &Report{}}
	msg, err := readFile(dir, "index", MaxIndexSize, nil)
	if err != nil {
		v.add("index", err)
		return v.rep, nil
	}
	v.rep.Checked++
	ix, err := ParseIndex(msg, verifiers)
	if err != nil {
		v.add("index", err)
		return v.rep, nil
	}
	v.rep.Index = ix
	hist := "index.d/" + strconv.FormatUint(ix.Serial, 10)
	if _, err := readFile(dir, hist, MaxIndexSize, &Ref{ix.Digest, int64(len(msg))}); err != nil {
		v.add(hist, err)
	}
	if ix.Serial > 1 {
		prev := "index.d/" + strconv.FormatUint(ix.Serial-1, 10)
		if pb, err := readFile(dir, prev, MaxIndexSize, nil); err == nil && Sum(pb) != ix.Prev {
			v.add(prev, fmt.Errorf("%w: index prev is %s, file is %s", ErrFork, ix.Prev, Sum(pb)))
		}
	}

	root, ok := readManifest(v, ix.Root, ParseRootManifest)
	if !ok {
		return v.rep, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	kinds := make([]string, 0, len(root.Kinds))
	for k := range root.Kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		v.verifyKind(gctx, g, k, root.Kinds[k])
	}
	paths := make([]string, 0, len(root.Files))
	for p := range root.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		e := root.Files[p]
		g.Go(func() error {
			v.object(e, nil, "", 0, nil)
			r := e.Ref()
			if _, err := readFile(dir, p, MaxObjectSize, &r); err != nil {
				v.add(p, err)
			} else {
				v.count()
			}
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return v.rep, err
	}
	v.verifyTree(PagesTree, ix, verifiers, root.Files)
	sort.SliceStable(v.rep.Problems, func(i, j int) bool { return v.rep.Problems[i].Path < v.rep.Problems[j].Path })
	return v.rep, nil
}

type verifier struct {
	dir string
	mu  sync.Mutex
	rep *Report
}

func (v *verifier) add(path string, err error) {
	v.mu.Lock()
	v.rep.Problems = append(v.rep.Problems, Problem{path, err})
	v.mu.Unlock()
}

func (v *verifier) count() {
	v.mu.Lock()
	v.rep.Checked++
	v.mu.Unlock()
}

func readManifest[T any](v *verifier, r Ref, parse func([]byte) (T, error)) (T, bool) {
	var zero T
	p := r.Digest.ManifestPath()
	b, err := readFile(v.dir, p, MaxManifestSize, &r)
	if err != nil {
		v.add(p, err)
		return zero, false
	}
	v.count()
	m, err := parse(b)
	if err != nil {
		v.add(p, err)
		return zero, false
	}
	return m, true
}

func (v *verifier) verifyKind(ctx context.Context, g *errgroup.Group, kind string, kr KindRef) {
	var dict []byte
	if kr.Dict != nil {
		p := kr.Dict.Digest.ObjectPath()
		b, err := readFile(v.dir, p, MaxObjectSize, kr.Dict)
		if err != nil {
			v.add(p, err)
		} else {
			v.count()
			dict = b
		}
	}
	km, ok := readManifest(v, kr.Manifest, ParseKindManifest)
	if !ok {
		return
	}
	if kr.Dict != nil && dict == nil {
		// Objects cannot be decoded; still check that they are there.
		dict = []byte{}
	}
	check := func(bucket int, e Entry) {
		g.Go(func() error {
			v.object(e, dict, kind, bucket, km)
			return ctx.Err()
		})
	}
	for i, e := range km.Objects {
		check(i, e)
	}
	for i, r := range km.Pages {
		pm, ok := readManifest(v, r, func(b []byte) (*PageManifest, error) { return ParsePageManifest(b, km, i) })
		if !ok {
			continue
		}
		for j, e := range pm.Objects {
			check(pm.First+j, e)
		}
	}
}

// object checks one object; with a kind it also decodes it and checks
// that every key belongs in bucket.
func (v *verifier) object(e Entry, dict []byte, kind string, bucket int, km *KindManifest) {
	p := e.Digest.ObjectPath()
	r := e.Ref()
	b, err := readFile(v.dir, p, MaxObjectSize, &r)
	if err != nil {
		v.add(p, err)
		return
	}
	v.count()
	if kind == "" {
		return
	}
	if dict != nil && len(dict) == 0 && e.Encoding == EncodingZstd {
		return // dictionary missing, already reported
	}
	content, err := DecodeObject(b, e, dict)
	if err != nil {
		v.add(p, err)
		return
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(content, &m); err != nil {
		v.add(p, fmt.Errorf("kind %s bucket %d: %w", kind, bucket, err))
		return
	}
	var wrong []string
	for k := range m {
		if km.Bucket(k) != bucket {
			wrong = append(wrong, k)
		}
	}
	if len(wrong) > 0 {
		sort.Strings(wrong)
		v.add(p, fmt.Errorf("kind %s bucket %d: keys that belong elsewhere: %q", kind, bucket, wrong))
	}
}
