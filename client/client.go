package client

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/distmeta/distmeta/site"
	"golang.org/x/mod/sumdb/note"
)

// Options configure a Client. Config.Options builds them from flags,
// environment and the configuration file.
type Options struct {
	// Mirrors are tried in order (http://, https://, file:// URLs or
	// local paths).
	Mirrors []string
	// Keys are the verifier keys an index may be signed with; several
	// during a key rotation.
	Keys []string
	// Origin, when set, is the only origin accepted.
	Origin string
	// CacheDir holds fetched content; StateDir the trusted state. They
	// must differ.
	CacheDir, StateDir string
	// Timeout bounds one request to one mirror; default 10s.
	Timeout time.Duration
	// Refresh is how long an index checked with a mirror is used without
	// asking again; 0 asks every time.
	Refresh time.Duration
	// Offline answers from the cache without asking any mirror.
	Offline bool
	// Now returns the reference time; default time.Now.
	Now func() time.Time
	// Skew is the clock skew allowed on an index's creation time.
	Skew time.Duration
	// MaxGap bounds the chain walk over skipped indexes (see Policy).
	MaxGap int
	// MaxWalk bounds the packages a closure or why walk reads; default
	// 20,000.
	MaxWalk int
	// Concurrency bounds parallel fetches; default 8.
	Concurrency int
	// Fetchers replace the mirrors' own I/O, by URL (tests serve
	// in-memory mirrors this way).
	Fetchers map[string]site.Fetcher
}

// Client asks a distmeta site's mirrors questions.
type Client struct {
	opts      Options
	mirrors   []*Mirror
	verifiers note.Verifiers
	trust     *TrustStore
	cache     *Cache
}

// New checks the options and returns a client; it does no I/O.
func New(opts Options) (*Client, error) {
	if len(opts.Mirrors) == 0 && !opts.Offline {
		return nil, fmt.Errorf("%w: no mirror (use --mirror URL, DMQ_MIRRORS or mirrors: in the config file)", ErrConfig)
	}
	if len(opts.Keys) == 0 {
		return nil, fmt.Errorf("%w: no verifier key (use --key, DMQ_KEY or keys: in the config file)", ErrConfig)
	}
	vs, err := site.NewVerifiers(opts.Keys...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if opts.CacheDir == "" || opts.StateDir == "" {
		return nil, fmt.Errorf("%w: cache and state folders are required", ErrConfig)
	}
	if opts.CacheDir == opts.StateDir {
		return nil, fmt.Errorf("%w: the trusted state must live apart from the cache (%s)", ErrConfig, opts.CacheDir)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxWalk <= 0 {
		opts.MaxWalk = 20000
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	c := &Client{opts: opts, verifiers: vs, trust: NewTrustStore(opts.StateDir), cache: &Cache{Dir: opts.CacheDir}}
	hc := newHTTPClient(opts.Timeout)
	for _, u := range opts.Mirrors {
		if f, ok := opts.Fetchers[u]; ok {
			c.mirrors = append(c.mirrors, NewMirrorFetcher(u, f))
			continue
		}
		m, err := NewMirror(u, hc)
		if err != nil {
			return nil, err
		}
		c.mirrors = append(c.mirrors, m)
	}
	return c, nil
}

// BytesReceived is the number of bytes the mirrors sent so far.
func (c *Client) BytesReceived() int64 {
	var n int64
	for _, m := range c.mirrors {
		n += m.n.Load()
	}
	return n
}

// Meta says which index an answer comes from.
type Meta struct {
	Origin  string    `json:"origin"`
	Serial  uint64    `json:"serial"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	// Mirror served the index (empty offline).
	Mirror string `json:"mirror,omitempty"`
	// Offline is set when no mirror gave a usable index: the answer comes
	// from the cache, and Note says how old it is and why.
	Offline bool   `json:"offline,omitempty"`
	Note    string `json:"note,omitempty"`
	// Rejected lists mirrors passed over, with the reason.
	Rejected []MirrorError `json:"rejected,omitempty"`
}

// MirrorError is a mirror that was passed over and why.
type MirrorError struct {
	Mirror string `json:"mirror"`
	Reason string `json:"error"`
	err    error
}

func (e MirrorError) Error() string { return e.Mirror + ": " + e.Reason }

// Unwrap returns the underlying error.
func (e MirrorError) Unwrap() error { return e.err }

// session is one command's access to the site: the accepted index, where
// content comes from and the view over that index's manifests.
type session struct {
	meta     Meta
	v        *view
	src      *source
	prev     Trusted
	walked   int
	unchk    bool
	switched bool // the trusted state moved
}

// ErrNoIndex is returned when no mirror gave an acceptable index and the
// cache holds none either. It wraps each mirror's reason.
type ErrNoIndex struct {
	Rejected []MirrorError
	Cause    error
}

func (e *ErrNoIndex) Error() string {
	msg := "no usable index: "
	if len(e.Rejected) == 0 {
		msg += "no mirror was asked"
	}
	for i, r := range e.Rejected {
		if i > 0 {
			msg += "; "
		}
		msg += r.Error()
	}
	if e.Cause != nil {
		msg += "; and offline: " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns every mirror's error and the offline cause.
func (e *ErrNoIndex) Unwrap() []error {
	var out []error
	for _, r := range e.Rejected {
		out = append(out, r)
	}
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	return out
}

// open picks the index this command answers from: a mirror's index that
// Advance accepts (the trusted state moves forward to it), or, when every
// mirror fails, the cached index that is the trusted one (offline).
// force asks the mirrors even within the refresh period.
func (c *Client) open(ctx context.Context, force bool) (*session, error) {
	now := c.opts.Now()
	trusted, err := c.trust.Load()
	if err != nil {
		return nil, err
	}
	s := &session{prev: trusted}
	cached, ci, haveCached := c.cache.index()
	fresh := !force && !c.opts.Offline && haveCached && c.opts.Refresh > 0 && now.Sub(ci.Checked) >= 0 && now.Sub(ci.Checked) < c.opts.Refresh
	var rejected []MirrorError
	if !c.opts.Offline && !fresh {
		for i, m := range c.mirrors {
			ix, err := c.tryMirror(ctx, m, trusted, now)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				rejected = append(rejected, MirrorError{Mirror: m.URL, Reason: stripMirror(err, m.URL).Error(), err: err})
				continue
			}
			if err := c.cache.putIndex(ix.raw, cachedIndex{Checked: now.UTC(), Mirror: m.URL}); err != nil {
				return nil, fmt.Errorf("cache: %w", err)
			}
			if ix.Index.Digest != trusted.Digest {
				if err := c.trust.Save(TrustedFrom(ix.Index)); err != nil {
					return nil, err
				}
				s.switched = true
			}
			order := append([]*Mirror{m}, c.mirrors[:i]...)
			order = append(order, c.mirrors[i+1:]...)
			s.src = &source{cache: c.cache, mirrors: order}
			s.meta = metaOf(ix.Index)
			s.meta.Mirror = m.URL
			s.meta.Rejected = rejected
			s.walked, s.unchk = ix.Walked, ix.ChainUnchecked
			if s.v, err = openView(ctx, ix.Index, s.src); err != nil {
				return nil, err
			}
			return s, nil
		}
	}
	// Within the refresh period, offline by request, or every mirror
	// failed: the cached index, if it is the trusted one.
	if !haveCached {
		return nil, &ErrNoIndex{Rejected: rejected, Cause: fmt.Errorf("%w: nothing cached in %s", ErrOffline, c.cache.Dir)}
	}
	ix, err := reopen(cached, trusted, c.verifiers)
	if err != nil {
		return nil, &ErrNoIndex{Rejected: rejected, Cause: fmt.Errorf("%w: cached index: %v", ErrOffline, err)}
	}
	s.meta = metaOf(ix)
	s.meta.Rejected = rejected
	if fresh {
		s.meta.Mirror = ci.Mirror
		s.src = &source{cache: c.cache, mirrors: c.mirrors}
	} else {
		s.meta.Offline = true
		s.meta.Note = offlineNote(ix, now, rejected)
		s.src = &source{cache: c.cache, offline: true}
	}
	if s.v, err = openView(ctx, ix, s.src); err != nil {
		return nil, err
	}
	return s, nil
}

// offlineNote says how old an offline answer is: "offline: answer from
// index serial 7 published 3h ago".
func offlineNote(ix *site.Index, now time.Time, rejected []MirrorError) string {
	n := fmt.Sprintf("offline: answer from index serial %d published %s ago", ix.Serial, Age(now.Sub(ix.Created)))
	if !now.Before(ix.Expires) {
		n += fmt.Sprintf(" (expired %s ago)", Age(now.Sub(ix.Expires)))
	}
	if len(rejected) > 0 {
		n += fmt.Sprintf("; %d mirror(s) failed, first: %s: %s", len(rejected), rejected[0].Mirror, rejected[0].Reason)
	}
	return n
}

// Age prints a duration the way people say it: 45s, 12m, 3h, 2d.
func Age(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
}

func metaOf(ix *site.Index) Meta {
	return Meta{Origin: ix.Origin, Serial: ix.Serial, Created: ix.Created.UTC(), Expires: ix.Expires.UTC()}
}

type accepted struct {
	*Decision
	raw []byte
}

// tryMirror fetches and judges one mirror's index.
func (c *Client) tryMirror(ctx context.Context, m *Mirror, trusted Trusted, now time.Time) (*accepted, error) {
	msg, err := m.Fetch(ctx, "index", site.MaxIndexSize)
	if err != nil {
		return nil, err
	}
	chain := func(ctx context.Context, serial uint64) ([]byte, error) {
		return m.Fetch(ctx, "index.d/"+strconv.FormatUint(serial, 10), site.MaxIndexSize)
	}
	d, err := Advance(ctx, msg, trusted, Policy{Verifiers: c.verifiers, Origin: c.opts.Origin, Now: now, Skew: c.opts.Skew, MaxGap: c.opts.MaxGap}, chain)
	if err != nil {
		return nil, err
	}
	return &accepted{Decision: d, raw: msg}, nil
}
