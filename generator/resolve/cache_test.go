package resolve

import (
	"os"
	"testing"

	"github.com/distmeta/distmeta/internal/gobcache"
)

// oldResolved is the layout before gobcache.EncodeBytesMap: its maps of
// bytes as one gob value per entry.
type oldResolved Resolved

func (r *oldResolved) EncodeParts(enc *gobcache.Encoder) error {
	if err := enc.Encode(resolvedHead{ComposeID: r.ComposeID, Digest: r.Digest}); err != nil {
		return err
	}
	for _, m := range []map[string][]byte{r.Packages, r.Caps, r.Modules} {
		if err := gobcache.EncodeMap(enc, m); err != nil {
			return err
		}
	}
	if err := gobcache.EncodeMap(enc, r.Sources); err != nil {
		return err
	}
	return gobcache.EncodeMap(enc, r.Needs)
}

func (r *oldResolved) DecodeParts(dec *gobcache.Decoder) error { return nil }

func TestCacheOldOrDamagedIsMiss(t *testing.T) {
	r := &Resolved{ComposeID: "C-1", Digest: "sha256:1", Packages: map[string][]byte{"a": []byte(`{"name":"a"}`)},
		Caps: map[string][]byte{"liba": []byte(`["a"]`)}}
	tests := []struct {
		name  string
		write func(c Cache) error
	}{
		{"old layout", func(c Cache) error {
			return gobcache.Store(c.path("C", "resolved"), r.Digest, (*oldResolved)(r))
		}},
		{"truncated", func(c Cache) error {
			if err := c.StoreResolved("C", r); err != nil {
				return err
			}
			b, err := os.ReadFile(c.path("C", "resolved"))
			if err != nil {
				return err
			}
			return os.WriteFile(c.path("C", "resolved"), b[:len(b)-8], 0o644)
		}},
		{"other digest", func(c Cache) error {
			r2 := *r
			r2.Digest = "sha256:2"
			return c.StoreResolved("C", &r2)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Cache{Dir: t.TempDir()}
			if err := tc.write(c); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.LoadResolved("C", r.Digest); ok {
				t.Errorf("loaded %+v, want a miss", got)
			}
		})
	}
	// The control: the current layout loads.
	c := Cache{Dir: t.TempDir()}
	if err := c.StoreResolved("C", r); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.LoadResolved("C", r.Digest); !ok {
		t.Error("current layout not loaded")
	}
}
