package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/distmeta/distmeta/site"
)

// source gets addressed content (manifests, objects): from the cache when
// it holds a copy that verifies, otherwise from each mirror in turn until
// one serves bytes that verify (digest, size and, through check, that an
// object decodes within its declared size). Only verified bytes enter the
// cache; a mirror serving bad bytes is passed over for the next one.
type source struct {
	cache   *Cache
	mirrors []*Mirror // the mirror that served the index first
	offline bool
	hits    atomic.Int64 // served from the cache
	fetched atomic.Int64 // served by a mirror
}

// get returns the content at site path p addressed by r.
func (s *source) get(ctx context.Context, p string, r site.Ref, check func([]byte) error) ([]byte, error) {
	if b, ok := s.cache.get(p, r); ok {
		if check == nil || check(b) == nil {
			s.hits.Add(1)
			return b, nil
		}
	}
	if s.offline {
		return nil, fmt.Errorf("%s: %w: not in the cache (run dmq sync when a mirror is reachable)", p, ErrOffline)
	}
	if r.Size > site.MaxObjectSize {
		return nil, &site.IntegrityError{Path: p, Want: r.Digest, WantSize: site.MaxObjectSize, GotSize: r.Size, Err: site.ErrTooLarge}
	}
	var errs []error
	for _, m := range s.mirrors {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := m.Fetch(ctx, p, r.Size)
		if err == nil {
			err = site.VerifyBytes(p, b, r)
		}
		if err == nil && check != nil {
			err = check(b)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("mirror %s: %w", m.URL, stripMirror(err, m.URL)))
			continue
		}
		if err := s.cache.put(p, b); err != nil {
			return nil, err
		}
		s.fetched.Add(1)
		return b, nil
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("%s: no mirror configured", p)
	}
	return nil, fmt.Errorf("%s: no mirror served it intact: %w", p, errors.Join(errs...))
}

// stripMirror keeps one "mirror URL:" prefix in messages.
func stripMirror(err error, url string) error {
	msg := err.Error()
	prefix := "mirror " + url + ": "
	if strings.HasPrefix(msg, prefix) {
		return &wrapped{msg: strings.TrimPrefix(msg, prefix), err: err}
	}
	return err
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
