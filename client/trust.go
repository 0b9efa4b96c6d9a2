package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/distmeta/distmeta/site"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/sync/errgroup"
)

// Trusted is what dmq remembers of the last index it accepted: enough to
// refuse a rollback or a fork later and to say how old an offline answer
// is. The zero value trusts nothing yet (first use).
type Trusted struct {
	Origin  string      `json:"origin"`
	Serial  uint64      `json:"serial"`
	Digest  site.Digest `json:"digest"`
	Created time.Time   `json:"created"`
	Expires time.Time   `json:"expires"`
}

// IsZero reports whether nothing is trusted yet.
func (t Trusted) IsZero() bool { return t.Serial == 0 }

func (t Trusted) site() site.TrustedIndex {
	return site.TrustedIndex{Serial: t.Serial, Digest: t.Digest}
}

// TrustedFrom returns the state to remember after accepting ix.
func TrustedFrom(ix *site.Index) Trusted {
	return Trusted{Origin: ix.Origin, Serial: ix.Serial, Digest: ix.Digest, Created: ix.Created.UTC(), Expires: ix.Expires.UTC()}
}

// DefaultMaxGap is how many skipped indexes Advance fetches from index.d
// to check the history chain.
const DefaultMaxGap = 64

// Policy is what Advance checks an index against.
type Policy struct {
	Verifiers note.Verifiers
	// Origin, when set, must be the index's origin. When empty the
	// trusted origin is required (after first use).
	Origin string
	// Now is the reference time (injected).
	Now time.Time
	// Skew is how far in the future a creation time may be; default 5m.
	Skew time.Duration
	// MaxGap bounds the chain walk: when more than MaxGap indexes were
	// skipped, the chain is not walked (the signature alone vouches for
	// the index) and Decision.ChainUnchecked says so. Default DefaultMaxGap;
	// negative: never walk.
	MaxGap int
}

// Decision is the outcome of Advance.
type Decision struct {
	Index *site.Index
	// Walked is the number of index.d files checked.
	Walked int
	// ChainUnchecked is set when more than MaxGap indexes were skipped.
	ChainUnchecked bool
}

// ChainFunc fetches the earlier index index.d/<serial>, from the mirror
// that served the candidate.
type ChainFunc func(ctx context.Context, serial uint64) ([]byte, error)

// Advance is dmq's whole decision on an index a mirror serves: msg must
// verify (site.VerifyIndex: signature, origin, no rollback, not expired,
// not created in the future, no fork at the same serial or the next one)
// and, when it skips serials, its chain of prev digests through
// index.d/<serial> must reach the trusted index. It does no I/O of its
// own: chain is called for each skipped serial. Every rejection is in the
// site.ErrUntrustedIndex family.
func Advance(ctx context.Context, msg []byte, trusted Trusted, p Policy, chain ChainFunc) (*Decision, error) {
	origin := p.Origin
	if origin == "" {
		origin = trusted.Origin
	}
	if !trusted.IsZero() && p.Origin != "" && trusted.Origin != p.Origin {
		return nil, fmt.Errorf("%w: trusted state is for origin %q, configuration says %q (remove the trusted state to start over)",
			site.ErrWrongOrigin, trusted.Origin, p.Origin)
	}
	ix, err := site.VerifyIndex(msg, p.Verifiers, trusted.site(), p.Now, site.Policy{Origin: origin, Skew: p.Skew})
	if err != nil {
		return nil, err
	}
	d := &Decision{Index: ix}
	if trusted.IsZero() || ix.Serial <= trusted.Serial+1 {
		return d, nil
	}
	gap := ix.Serial - trusted.Serial - 1
	maxGap := p.MaxGap
	if maxGap == 0 {
		maxGap = DefaultMaxGap
	}
	if maxGap < 0 || gap > uint64(maxGap) {
		d.ChainUnchecked = true
		return d, nil
	}
	links := make([][]byte, gap)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range links {
		s := trusted.Serial + 1 + uint64(i)
		g.Go(func() error {
			b, err := chain(gctx, s)
			if err != nil {
				return fmt.Errorf("index.d/%d: %w", s, err)
			}
			links[i] = b
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		// A mirror without the chain cannot prove the link: reject its
		// index (the next mirror may have it).
		if errors.Is(err, site.ErrUntrustedIndex) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: serial %d skips %d indexes and the chain cannot be read: %v", site.ErrFork, ix.Serial, gap, err)
	}
	// Walk down from the candidate: each prev must be the digest of the
	// file one serial below; the last must be the trusted index. The
	// digests make the chain as authentic as the signed head, so earlier
	// links are not checked against today's keys (they may be signed by a
	// key since rotated out).
	want := ix.Prev
	for i := len(links) - 1; i >= 0; i-- {
		s := trusted.Serial + 1 + uint64(i)
		b := links[i]
		if site.Sum(b) != want {
			return nil, fmt.Errorf("%w: index.d/%d is %s, but serial %d names %s as its previous index", site.ErrFork, s, site.Sum(b), s+1, want)
		}
		link, err := site.ParseIndexUnverified(b)
		if err != nil {
			return nil, fmt.Errorf("index.d/%d: %w", s, err)
		}
		if link.Serial != s || link.Origin != ix.Origin {
			return nil, fmt.Errorf("%w: index.d/%d holds serial %d of %q", site.ErrFork, s, link.Serial, link.Origin)
		}
		want = link.Prev
		d.Walked++
	}
	if want != trusted.Digest {
		return nil, fmt.Errorf("%w: serial %d descends from %s, trusted serial %d is %s", site.ErrFork, trusted.Serial+1, want, trusted.Serial, trusted.Digest)
	}
	return d, nil
}

// reopen checks a cached index against the trusted state without the
// clock: offline, an index that expired meanwhile still answers (the
// caller says how old the answer is). It must be the trusted index or a
// verified successor of it.
func reopen(msg []byte, trusted Trusted, verifiers note.Verifiers) (*site.Index, error) {
	ix, err := site.ParseIndex(msg, verifiers)
	if err != nil {
		return nil, err
	}
	if trusted.IsZero() {
		return nil, fmt.Errorf("%w: no trusted state for the cached index", site.ErrUntrustedIndex)
	}
	if ix.Origin != trusted.Origin {
		return nil, fmt.Errorf("%w: cached index is for %q, trusted %q", site.ErrWrongOrigin, ix.Origin, trusted.Origin)
	}
	if ix.Digest != trusted.Digest {
		return nil, fmt.Errorf("%w: cached index serial %d is not the trusted serial %d", site.ErrUntrustedIndex, ix.Serial, trusted.Serial)
	}
	return ix, nil
}
