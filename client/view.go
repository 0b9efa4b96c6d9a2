package client

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/distmeta/distmeta/site"
	"github.com/distmeta/distmeta/site/answers"
)

// view reads answers under one accepted index: every manifest and object
// of one answer comes from that index's root manifest down. It keeps what
// it read in memory for the duration of a command (a walk reads many
// answers from few buckets).
type view struct {
	ix   *site.Index
	src  *source
	root *site.RootManifest

	mu      sync.Mutex
	kinds   map[string]*kindView
	buckets map[site.Digest]map[string][]byte
	answers int // answers read (for walk bounds and stats)
}

type kindView struct {
	mu    sync.Mutex
	km    *site.KindManifest
	dict  []byte
	dec   *site.Decoder
	pages map[int]*site.PageManifest
}

func openView(ctx context.Context, ix *site.Index, src *source) (*view, error) {
	b, err := src.get(ctx, ix.Root.Digest.ManifestPath(), ix.Root, nil)
	if err != nil {
		return nil, fmt.Errorf("root manifest of serial %d: %w", ix.Serial, err)
	}
	root, err := site.ParseRootManifest(b)
	if err != nil {
		return nil, fmt.Errorf("root manifest of serial %d: %w", ix.Serial, err)
	}
	return &view{ix: ix, src: src, root: root, kinds: map[string]*kindView{}, buckets: map[site.Digest]map[string][]byte{}}, nil
}

// kind returns the kind's manifest and decoder, reading them once.
func (v *view) kind(ctx context.Context, kind string) (*kindView, error) {
	v.mu.Lock()
	kv := v.kinds[kind]
	if kv == nil {
		kv = &kindView{}
		v.kinds[kind] = kv
	}
	v.mu.Unlock()
	kv.mu.Lock()
	defer kv.mu.Unlock()
	if kv.km != nil {
		return kv, nil
	}
	kr, ok := v.root.Kinds[kind]
	if !ok {
		return nil, fmt.Errorf("kind %q: not published by serial %d", kind, v.ix.Serial)
	}
	b, err := v.src.get(ctx, kr.Manifest.Digest.ManifestPath(), kr.Manifest, nil)
	if err != nil {
		return nil, fmt.Errorf("kind %s: %w", kind, err)
	}
	km, err := site.ParseKindManifest(b)
	if err != nil {
		return nil, fmt.Errorf("kind %s: %w", kind, err)
	}
	if km.Kind != kind {
		return nil, fmt.Errorf("kind manifest %s: is for kind %q, want %q", kr.Manifest.Digest, km.Kind, kind)
	}
	var dict []byte
	if kr.Dict != nil {
		if dict, err = v.src.get(ctx, kr.Dict.Digest.ObjectPath(), *kr.Dict, nil); err != nil {
			return nil, fmt.Errorf("kind %s: dictionary: %w", kind, err)
		}
	}
	dec, err := site.NewDecoder(dict)
	if err != nil {
		return nil, fmt.Errorf("kind %s: %w", kind, err)
	}
	kv.km, kv.dict, kv.dec, kv.pages = km, dict, dec, map[int]*site.PageManifest{}
	return kv, nil
}

// entry locates the object of the bucket holding key.
func (v *view) entry(ctx context.Context, kind, key string) (*kindView, site.Entry, error) {
	kv, err := v.kind(ctx, kind)
	if err != nil {
		return nil, site.Entry{}, err
	}
	kv.mu.Lock()
	bucket, e, page := kv.km.Locate(key)
	pm := kv.pages[page]
	kv.mu.Unlock()
	if page < 0 {
		return kv, e, nil
	}
	if pm == nil {
		r := kv.km.Pages[page]
		b, err := v.src.get(ctx, r.Digest.ManifestPath(), r, nil)
		if err != nil {
			return nil, site.Entry{}, fmt.Errorf("kind %s page %d: %w", kind, page, err)
		}
		if pm, err = site.ParsePageManifest(b, kv.km, page); err != nil {
			return nil, site.Entry{}, fmt.Errorf("kind %s page %d: %w", kind, page, err)
		}
		kv.mu.Lock()
		kv.pages[page] = pm
		kv.mu.Unlock()
	}
	e, err = pm.Entry(bucket)
	return kv, e, err
}

// bucket returns the decoded bucket at entry e.
func (v *view) bucket(ctx context.Context, kind string, kv *kindView, e site.Entry) (map[string][]byte, error) {
	v.mu.Lock()
	m, ok := v.buckets[e.Digest]
	v.mu.Unlock()
	if ok {
		return m, nil
	}
	var content []byte
	decode := func(stored []byte) error {
		kv.mu.Lock()
		defer kv.mu.Unlock()
		c, err := kv.dec.Decode(stored, e)
		if err != nil {
			return err
		}
		content = c
		return nil
	}
	if _, err := v.src.get(ctx, e.Digest.ObjectPath(), e.Ref(), decode); err != nil {
		return nil, fmt.Errorf("kind %s: %w", kind, err)
	}
	m, err := site.SplitBucket(content)
	if err != nil {
		return nil, fmt.Errorf("kind %s: object %s: %w", kind, e.Digest, err)
	}
	v.mu.Lock()
	v.buckets[e.Digest] = m
	v.mu.Unlock()
	return m, nil
}

// raw returns the answer document for (kind, key); found is false when the
// site has none.
func (v *view) raw(ctx context.Context, kind, key string) ([]byte, bool, error) {
	kv, e, err := v.entry(ctx, kind, key)
	if err != nil {
		return nil, false, err
	}
	m, err := v.bucket(ctx, kind, kv, e)
	if err != nil {
		return nil, false, err
	}
	v.mu.Lock()
	v.answers++
	v.mu.Unlock()
	doc, ok := m[key]
	return doc, ok, nil
}

// get decodes the answer for (kind, key) into out after checking its
// schema; found is false when the site has none.
func (v *view) get(ctx context.Context, kind, key string, out any) (bool, error) {
	doc, ok, err := v.raw(ctx, kind, key)
	if err != nil || !ok {
		return false, err
	}
	if err := answers.CheckSchema(kind, doc); err != nil {
		return false, fmt.Errorf("%s/%s: %w", kind, key, err)
	}
	if err := json.Unmarshal(doc, out); err != nil {
		return false, fmt.Errorf("%s/%s: %w", kind, key, err)
	}
	return true, nil
}

// packageRequirers returns the whatrequires list of each build in the
// package answer for name, reading only those lists: glibc's answer is a
// megabyte of them, which encoding/json took most of a query to decode.
func (v *view) packageRequirers(ctx context.Context, name string) ([][]string, bool, error) {
	doc, ok, err := v.raw(ctx, answers.KindPackage, name)
	if err != nil || !ok {
		return nil, false, err
	}
	if err := answers.CheckSchema(answers.KindPackage, doc); err != nil {
		return nil, false, fmt.Errorf("%s/%s: %w", answers.KindPackage, name, err)
	}
	builds, _, err := site.Member(doc, "builds")
	if err != nil {
		return nil, false, fmt.Errorf("%s/%s: %w", answers.KindPackage, name, err)
	}
	var lists [][]string
	if builds != nil && string(builds) != "null" {
		els, err := site.Elements(builds)
		if err != nil {
			return nil, false, fmt.Errorf("%s/%s: builds: %w", answers.KindPackage, name, err)
		}
		for i, el := range els {
			wr, found, err := site.Member(el, "whatrequires")
			if err != nil {
				return nil, false, fmt.Errorf("%s/%s: build %d: %w", answers.KindPackage, name, i, err)
			}
			if !found {
				continue
			}
			l, err := site.Strings(wr)
			if err != nil {
				return nil, false, fmt.Errorf("%s/%s: build %d: whatrequires: %w", answers.KindPackage, name, i, err)
			}
			lists = append(lists, l)
		}
	}
	return lists, true, nil
}

// must is get with a missing answer as an ErrNoAnswer error.
func (v *view) must(ctx context.Context, kind, key string, out any) error {
	ok, err := v.get(ctx, kind, key, out)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s %q: %w in serial %d", kind, key, ErrNoAnswer, v.ix.Serial)
	}
	return nil
}

// file returns a plain file listed in the root manifest, verified.
func (v *view) file(ctx context.Context, p string) ([]byte, bool, error) {
	e, ok := v.root.Files[p]
	if !ok {
		return nil, false, nil
	}
	var content []byte
	b, err := v.src.get(ctx, e.Digest.ObjectPath(), e.Ref(), func(stored []byte) error {
		c, err := site.DecodeObject(stored, e, nil)
		content = c
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if content == nil {
		if content, err = site.DecodeObject(b, e, nil); err != nil {
			return nil, false, err
		}
	}
	return content, true, nil
}

func (v *view) close() {
	for _, kv := range v.kinds {
		if kv.dec != nil {
			kv.dec.Close()
		}
	}
}
