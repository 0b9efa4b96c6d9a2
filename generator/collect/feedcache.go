package collect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/distmeta/distmeta/internal/gobcache"
)

// Feeds are the parsed builds feed and test results.
type Feeds struct {
	Builds  []BuildEvent
	Results []TestResult
}

// fileDigest is the SHA-256 of a file ("" for no file).
func fileDigest(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadFeeds reads the builds feed and the test results, through a cache
// in stateDir ("" for none) keyed by the SHA-256 of both files: unchanged
// feeds are not parsed again. cached reports whether the cache served them.
func ReadFeeds(builds, results, stateDir string) (f *Feeds, cached bool, err error) {
	db, err := fileDigest(builds)
	if err != nil {
		return nil, false, err
	}
	dr, err := fileDigest(results)
	if err != nil {
		return nil, false, err
	}
	key := db + "/" + dr
	cachePath := filepath.Join(stateDir, "feeds.gob.zst")
	if stateDir != "" {
		var f Feeds
		if gobcache.Load(cachePath, key, &f) {
			return &f, true, nil
		}
	}
	f = &Feeds{}
	if f.Builds, err = ReadBuilds(builds); err != nil {
		return nil, false, err
	}
	if f.Results, err = ReadResults(results); err != nil {
		return nil, false, err
	}
	if stateDir != "" {
		if err := gobcache.Store(cachePath, key, f); err != nil {
			return nil, false, fmt.Errorf("feeds cache: %w", err)
		}
	}
	return f, false, nil
}

// PartsLayout names the layout of EncodeParts (gobcache.Layout): change
// it whenever that changes.
func (f *Feeds) PartsLayout() string { return "feeds/3" }

// feedPart is the number of builds or results in one message.
const feedPart = 8192

// buildsPart holds builds column by column (gobcache.Columns): decoding
// costs a few copies per part instead of reflection per field.
type buildsPart struct {
	ID                                                []int
	Kind, NVR, NSVC, Component, Branch, Source, State gobcache.Columns
	Started, Finished                                 gobcache.Columns // time.Time.MarshalBinary, "" for zero
}

func (p *buildsPart) columns() []*gobcache.Columns {
	return []*gobcache.Columns{&p.Kind, &p.NVR, &p.NSVC, &p.Component, &p.Branch, &p.Source, &p.State, &p.Started, &p.Finished}
}

// resultsPart holds test results column by column.
type resultsPart struct {
	N                             int
	Item, Type, TestCase, Outcome gobcache.Columns
	Time                          gobcache.Columns
}

func (p *resultsPart) columns() []*gobcache.Columns {
	return []*gobcache.Columns{&p.Item, &p.Type, &p.TestCase, &p.Outcome, &p.Time}
}

// addTime appends t as gob stores it: MarshalBinary, nothing for zero.
func addTime(c *gobcache.Columns, t time.Time) error {
	if t.IsZero() {
		c.Add("")
		return nil
	}
	b, err := t.MarshalBinary()
	if err != nil {
		return err
	}
	c.AddBytes(b)
	return nil
}

// times decodes n times written by addTime.
func times(c *gobcache.Columns, n int) ([]time.Time, error) {
	bs, err := c.Bytes(n)
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, n)
	for i, b := range bs {
		if len(b) > 0 {
			if err := out[i].UnmarshalBinary(b); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// strs decodes the n strings of several columns.
func strs(n int, cols ...*gobcache.Columns) ([][]string, error) {
	out := make([][]string, len(cols))
	for i, c := range cols {
		var err error
		if out[i], err = c.Strings(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EncodeParts stores the feeds in parts (gobcache.Parts): the number of
// builds and of results, then parts of at most feedPart of each.
func (f *Feeds) EncodeParts(enc *gobcache.Encoder) error {
	if err := enc.Encode([2]int{len(f.Builds), len(f.Results)}); err != nil {
		return err
	}
	for lo := 0; lo < len(f.Builds); lo += feedPart {
		var p buildsPart
		for _, b := range f.Builds[lo:min(lo+feedPart, len(f.Builds))] {
			p.ID = append(p.ID, b.ID)
			p.Kind.Add(b.Kind)
			p.NVR.Add(b.NVR)
			p.NSVC.Add(b.NSVC)
			p.Component.Add(b.Component)
			p.Branch.Add(b.Branch)
			p.Source.Add(b.Source)
			p.State.Add(b.State)
			if err := addTime(&p.Started, b.Started); err != nil {
				return err
			}
			if err := addTime(&p.Finished, b.Finished); err != nil {
				return err
			}
		}
		if err := enc.Encode(p.ID); err != nil {
			return err
		}
		if err := gobcache.EncodeColumns(enc, p.columns()...); err != nil {
			return err
		}
	}
	for lo := 0; lo < len(f.Results); lo += feedPart {
		var p resultsPart
		for _, r := range f.Results[lo:min(lo+feedPart, len(f.Results))] {
			p.N++
			p.Item.Add(r.Item)
			p.Type.Add(r.Type)
			p.TestCase.Add(r.TestCase)
			p.Outcome.Add(r.Outcome)
			if err := addTime(&p.Time, r.Time); err != nil {
				return err
			}
		}
		if err := enc.Encode(p.N); err != nil {
			return err
		}
		if err := gobcache.EncodeColumns(enc, p.columns()...); err != nil {
			return err
		}
	}
	return nil
}

// DecodeParts reads what EncodeParts wrote.
func (f *Feeds) DecodeParts(dec *gobcache.Decoder) error {
	var n [2]int
	if err := dec.Decode(&n); err != nil {
		return err
	}
	if n[0] < 0 || n[1] < 0 || n[0] > 1<<30 || n[1] > 1<<30 {
		return fmt.Errorf("feeds cache: bad lengths %v", n)
	}
	*f = Feeds{}
	if n[0] > 0 {
		f.Builds = make([]BuildEvent, 0, n[0])
	}
	for len(f.Builds) < n[0] {
		var p buildsPart
		if err := dec.Decode(&p.ID); err != nil {
			return err
		}
		if err := gobcache.DecodeColumns(dec, p.columns()...); err != nil {
			return err
		}
		k := len(p.ID)
		if k == 0 || len(f.Builds)+k > n[0] {
			return fmt.Errorf("feeds cache: bad part of %d builds", k)
		}
		s, err := strs(k, &p.Kind, &p.NVR, &p.NSVC, &p.Component, &p.Branch, &p.Source, &p.State)
		if err != nil {
			return err
		}
		started, err := times(&p.Started, k)
		if err != nil {
			return err
		}
		finished, err := times(&p.Finished, k)
		if err != nil {
			return err
		}
		for i, id := range p.ID {
			f.Builds = append(f.Builds, BuildEvent{ID: id, Kind: s[0][i], NVR: s[1][i], NSVC: s[2][i], Component: s[3][i],
				Branch: s[4][i], Source: s[5][i], State: s[6][i], Started: started[i], Finished: finished[i]})
		}
	}
	if n[1] > 0 {
		f.Results = make([]TestResult, 0, n[1])
	}
	for len(f.Results) < n[1] {
		var p resultsPart
		if err := dec.Decode(&p.N); err != nil {
			return err
		}
		if err := gobcache.DecodeColumns(dec, p.columns()...); err != nil {
			return err
		}
		k := p.N
		if k <= 0 || len(f.Results)+k > n[1] {
			return fmt.Errorf("feeds cache: bad part of %d results", k)
		}
		s, err := strs(k, &p.Item, &p.Type, &p.TestCase, &p.Outcome)
		if err != nil {
			return err
		}
		ts, err := times(&p.Time, k)
		if err != nil {
			return err
		}
		for i := range k {
			f.Results = append(f.Results, TestResult{Item: s[0][i], Type: s[1][i], TestCase: s[2][i], Outcome: s[3][i], Time: ts[i]})
		}
	}
	return nil
}
