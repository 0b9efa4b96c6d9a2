package collect

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/distmeta/distmeta/site"
	"github.com/distmeta/distmeta/site/answers"
	"golang.org/x/mod/sumdb/note"
)

// ReadMirrorList reads a mirror list: one URL (http, https) or folder a
// line, '#' comments; relative folders resolve against the list's folder.
// "" gives no mirrors.
func ReadMirrorList(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mirrors: %w", err)
	}
	var out []string
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("%s:%d: %q: one URL or folder a line", path, i+1, line)
		}
		out = append(out, line)
	}
	return out, nil
}

// MirrorState is what a mirror's published index says, or why it could
// not be read.
type MirrorState struct {
	Mirror  string
	Index   *site.Index // nil when unknown
	Compose string      // the compose/latest it serves, "" when unknown
	Err     error
}

// MirrorFetcher returns a site.Fetcher for a mirror: a local folder
// (relative to base) or an http(s) URL.
func MirrorFetcher(mirror, base string, client *http.Client) site.Fetcher {
	if strings.HasPrefix(mirror, "http://") || strings.HasPrefix(mirror, "https://") {
		return httpFetcher{base: strings.TrimSuffix(mirror, "/"), client: client}
	}
	dir := strings.TrimPrefix(mirror, "file://")
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(base, dir)
	}
	return site.DirFetcher(dir)
}

type httpFetcher struct {
	base   string
	client *http.Client
}

func (h httpFetcher) Fetch(ctx context.Context, p string, maxSize int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.base+"/"+p, nil)
	if err != nil {
		return nil, err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s: %w", p, site.ErrNotFound)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", p, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxSize+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > maxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, maxSize)
	}
	return b, nil
}

// ReadMirror reads a mirror's signed index and the compose/latest answer
// it serves. Any failure is recorded in the state, never returned: an
// unreachable mirror is "unknown".
func ReadMirror(ctx context.Context, f site.Fetcher, mirror string, verifiers note.Verifiers) MirrorState {
	st := MirrorState{Mirror: mirror}
	msg, err := f.Fetch(ctx, "index", site.MaxIndexSize)
	if err != nil {
		st.Err = err
		return st
	}
	ix, err := site.ParseIndex(msg, verifiers)
	if err != nil {
		st.Err = err
		return st
	}
	st.Index = ix
	b, found, err := site.ReadAnswer(ctx, f, ix, answers.KindCompose, answers.LatestCompose)
	switch {
	case err != nil:
		st.Err = err
	case found:
		var c answers.Compose
		if err := json.Unmarshal(b, &c); err != nil {
			st.Err = fmt.Errorf("compose/latest: %w", err)
		} else {
			st.Compose = c.ID
		}
	}
	return st
}

// ReadMirrors reads every mirror, each within timeout.
func ReadMirrors(ctx context.Context, mirrors []string, base string, verifiers note.Verifiers, timeout time.Duration) []MirrorState {
	client := &http.Client{Timeout: timeout}
	out := make([]MirrorState, len(mirrors))
	for i, m := range mirrors {
		mctx, cancel := context.WithTimeout(ctx, timeout)
		out[i] = ReadMirror(mctx, MirrorFetcher(m, base, client), m, verifiers)
		cancel()
	}
	return out
}

// VerifierKey derives the verifier key of a signer key (as written by
// site.GenerateKey), so that the build can check the indexes its mirrors
// serve with the key it signs with.
func VerifierKey(skey string) (string, error) {
	// PRIVATE+KEY+<name>+<hash>+<base64(alg || seed)>
	parts := strings.SplitN(strings.TrimSpace(skey), "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("signer key: malformed")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", errors.New("signer key: not an Ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
}
