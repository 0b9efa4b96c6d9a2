package site

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Fetcher gets one file of a site by its slash-separated path, reading at
// most maxSize bytes (more is an error). A missing file gives an error
// wrapping ErrNotFound. The client implements it over HTTP, file:// and
// its cache.
type Fetcher interface {
	Fetch(ctx context.Context, path string, maxSize int64) ([]byte, error)
}

// FetcherFunc adapts a function to Fetcher.
type FetcherFunc func(ctx context.Context, path string, maxSize int64) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, path string, maxSize int64) ([]byte, error) {
	return f(ctx, path, maxSize)
}

// DirFetcher reads a site from a local folder.
type DirFetcher string

// Fetch reads dir/p.
func (d DirFetcher) Fetch(ctx context.Context, p string, maxSize int64) ([]byte, error) {
	if !fs.ValidPath(p) {
		return nil, fmt.Errorf("fetch %q: invalid path", p)
	}
	f, err := os.Open(filepath.Join(string(d), filepath.FromSlash(p)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", p, ErrNotFound)
		}
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if int64(len(b)) > maxSize {
		return nil, &IntegrityError{Path: p, WantSize: maxSize, GotSize: int64(len(b)), Err: ErrTooLarge}
	}
	return b, nil
}

// FetchVerified fetches addressed content and checks it against r.
func FetchVerified(ctx context.Context, f Fetcher, p string, r Ref) ([]byte, error) {
	b, err := f.Fetch(ctx, p, r.Size)
	if err != nil {
		return nil, err
	}
	if err := VerifyBytes(p, b, r); err != nil {
		return nil, err
	}
	return b, nil
}

// ReadAnswer reads the answer for (kind, key) under an index the caller
// has already accepted (VerifyIndex): root manifest, kind manifest, page
// manifest when the kind has pages, dictionary, object; each verified.
// found is false when the key has no answer.
func ReadAnswer(ctx context.Context, f Fetcher, ix *Index, kind, key string) (answer []byte, found bool, err error) {
	b, err := FetchVerified(ctx, f, ix.Root.Digest.ManifestPath(), ix.Root)
	if err != nil {
		return nil, false, err
	}
	root, err := ParseRootManifest(b)
	if err != nil {
		return nil, false, err
	}
	kr, ok := root.Kinds[kind]
	if !ok {
		return nil, false, fmt.Errorf("kind %q: not published", kind)
	}
	b, err = FetchVerified(ctx, f, kr.Manifest.Digest.ManifestPath(), kr.Manifest)
	if err != nil {
		return nil, false, err
	}
	km, err := ParseKindManifest(b)
	if err != nil {
		return nil, false, err
	}
	if km.Kind != kind {
		return nil, false, fmt.Errorf("kind manifest %s: is for kind %q, want %q", kr.Manifest.Digest, km.Kind, kind)
	}
	bucket, e, page := km.Locate(key)
	if page >= 0 {
		r := km.Pages[page]
		b, err = FetchVerified(ctx, f, r.Digest.ManifestPath(), r)
		if err != nil {
			return nil, false, err
		}
		pm, err := ParsePageManifest(b, km, page)
		if err != nil {
			return nil, false, err
		}
		if e, err = pm.Entry(bucket); err != nil {
			return nil, false, err
		}
	}
	var dict []byte
	if kr.Dict != nil {
		if dict, err = FetchVerified(ctx, f, kr.Dict.Digest.ObjectPath(), *kr.Dict); err != nil {
			return nil, false, err
		}
	}
	stored, err := FetchVerified(ctx, f, e.Digest.ObjectPath(), e.Ref())
	if err != nil {
		return nil, false, err
	}
	content, err := DecodeObject(stored, e, dict)
	if err != nil {
		return nil, false, err
	}
	return LookupAnswer(content, key)
}
