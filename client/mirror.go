package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/distmeta/distmeta/site"
)

// Mirror is one place a site is served from. All of its I/O goes through
// one site.Fetcher: HTTP(S), a local folder (file://), or anything a test
// supplies (NewMirrorFetcher).
type Mirror struct {
	URL string
	f   site.Fetcher
	n   *atomic.Int64 // bytes received, shared with the client's stats
}

// NewMirrorFetcher returns a mirror named name that reads through f (an
// in-memory mirror in tests).
func NewMirrorFetcher(name string, f site.Fetcher) *Mirror {
	return &Mirror{URL: name, f: f, n: new(atomic.Int64)}
}

// NewMirror returns the mirror at raw: an http://, https:// or file://
// URL, or a plain local path. hc carries the timeout.
func NewMirror(raw string, hc *http.Client) (*Mirror, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: mirror %q: %v", ErrConfig, raw, err)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return nil, fmt.Errorf("%w: mirror %q: no host", ErrConfig, raw)
		}
		base := strings.TrimSuffix(u.String(), "/")
		return &Mirror{URL: base, f: &httpFetcher{base: base, hc: hc}, n: new(atomic.Int64)}, nil
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("%w: mirror %q: file URLs name a local path", ErrConfig, raw)
		}
		return &Mirror{URL: raw, f: site.DirFetcher(filepath.FromSlash(u.Path)), n: new(atomic.Int64)}, nil
	case "":
		abs, err := filepath.Abs(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: mirror %q: %v", ErrConfig, raw, err)
		}
		return &Mirror{URL: "file://" + filepath.ToSlash(abs), f: site.DirFetcher(abs), n: new(atomic.Int64)}, nil
	default:
		return nil, fmt.Errorf("%w: mirror %q: scheme %q is not http, https or file", ErrConfig, raw, u.Scheme)
	}
}

// Fetch reads one file of the site, at most maxSize bytes.
func (m *Mirror) Fetch(ctx context.Context, p string, maxSize int64) ([]byte, error) {
	b, err := m.f.Fetch(ctx, p, maxSize)
	m.n.Add(int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("mirror %s: %w", m.URL, err)
	}
	if int64(len(b)) > maxSize {
		return nil, &site.IntegrityError{Path: p, WantSize: maxSize, GotSize: int64(len(b)), Err: site.ErrTooLarge}
	}
	return b, nil
}

// httpFetcher reads a site over HTTP(S). Every body is read through a
// limit of maxSize+1 bytes; a Content-Length beyond maxSize is refused
// before reading.
type httpFetcher struct {
	base string
	hc   *http.Client
}

func (h *httpFetcher) Fetch(ctx context.Context, p string, maxSize int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.base+"/"+p, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "dmq")
	resp, err := h.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("%s: %w", p, site.ErrNotFound)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%s: HTTP %s", p, resp.Status)
	case resp.ContentLength > maxSize:
		return nil, &site.IntegrityError{Path: p, WantSize: maxSize, GotSize: resp.ContentLength, Err: site.ErrTooLarge}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxSize+1))
	if err != nil {
		return b, fmt.Errorf("%s: %w", p, err)
	}
	if int64(len(b)) > maxSize {
		return b, &site.IntegrityError{Path: p, WantSize: maxSize, GotSize: int64(len(b)), Err: site.ErrTooLarge}
	}
	return b, nil
}

// newHTTPClient returns the client every HTTP mirror shares: timeout is
// the limit of one whole request (connection, headers and body), so a
// mirror that stalls is abandoned.
func newHTTPClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = timeout
	t.MaxIdleConnsPerHost = 8
	return &http.Client{Timeout: timeout, Transport: t}
}
