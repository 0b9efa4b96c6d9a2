package client_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/distmeta/distmeta/client"
	"github.com/distmeta/distmeta/client/mirrortest"
	"github.com/distmeta/distmeta/site"
	"golang.org/x/mod/sumdb/note"
)

var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

type key struct {
	signer note.Signer
	vkey   string
}

func newKey(t testing.TB, name string) key {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return key{s, vkey}
}

func verifiers(t testing.TB, keys ...key) note.Verifiers {
	t.Helper()
	var vk []string
	for _, k := range keys {
		vk = append(vk, k.vkey)
	}
	v, err := site.NewVerifiers(vk...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// chainOf signs serials 1..n (hourly from t0) and returns their bytes;
// index i+1 names index i as prev. signer(i) picks the key of serial i.
func chainOf(t testing.TB, origin string, n int, signer func(serial int) note.Signer) [][]byte {
	t.Helper()
	var out [][]byte
	var prev site.Digest
	for i := 1; i <= n; i++ {
		root := site.Sum([]byte(fmt.Sprintf("root %d", i)))
		ix := site.Index{Origin: origin, Serial: uint64(i), Created: t0.Add(time.Duration(i) * time.Hour),
			Expires: t0.Add(time.Duration(i)*time.Hour + 7*24*time.Hour), Root: site.Ref{Digest: root, Size: 100}, Prev: prev}
		b := mirrortest.SignIndex(t, signer(i), ix)
		out = append(out, b)
		prev = site.Sum(b)
	}
	return out
}

func trustedAt(t testing.TB, msg []byte) client.Trusted {
	t.Helper()
	ix, err := site.ParseIndexUnverified(msg)
	if err != nil {
		t.Fatal(err)
	}
	return client.TrustedFrom(ix)
}

func chainFrom(links [][]byte) client.ChainFunc {
	return func(_ context.Context, serial uint64) ([]byte, error) {
		if serial == 0 || int(serial) > len(links) {
			return nil, fmt.Errorf("index.d/%d: %w", serial, site.ErrNotFound)
		}
		return links[serial-1], nil
	}
}

func TestAdvance(t *testing.T) {
	k := newKey(t, "test.example")
	other := newKey(t, "test.example")
	links := chainOf(t, "test.example", 10, func(int) note.Signer { return k.signer })
	// A fork: serials 4..10 rebuilt on a different serial 4.
	forked := append([][]byte(nil), links[:3]...)
	var prev = site.Sum(links[2])
	for i := 4; i <= 10; i++ {
		ix := site.Index{Origin: "test.example", Serial: uint64(i), Created: t0.Add(time.Duration(i) * time.Hour),
			Expires: t0.Add(30 * 24 * time.Hour), Root: site.Ref{Digest: site.Sum([]byte(fmt.Sprintf("fork %d", i))), Size: 1}, Prev: prev}
		b := mirrortest.SignIndex(t, k.signer, ix)
		forked = append(forked, b)
		prev = site.Sum(b)
	}
	now := t0.Add(12 * time.Hour)
	future := mirrortest.SignIndex(t, k.signer, site.Index{Origin: "test.example", Serial: 11, Created: now.Add(time.Hour), Expires: now.Add(48 * time.Hour),
		Root: site.Ref{Digest: site.Sum([]byte("x")), Size: 1}, Prev: site.Sum(links[9])})
	expired := mirrortest.SignIndex(t, k.signer, site.Index{Origin: "test.example", Serial: 11, Created: now.Add(-48 * time.Hour), Expires: now.Add(-time.Hour),
		Root: site.Ref{Digest: site.Sum([]byte("x")), Size: 1}, Prev: site.Sum(links[9])})
	tests := []struct {
		name      string
		msg       []byte
		trusted   client.Trusted
		chain     [][]byte
		maxGap    int
		keys      []key
		origin    string
		want      error
		walked    int
		unchecked bool
	}{
		{name: "first use", msg: links[4], want: nil},
		{name: "same index", msg: links[4], trusted: trustedAt(t, links[4])},
		{name: "next serial", msg: links[5], trusted: trustedAt(t, links[4])},
		{name: "rollback", msg: links[3], trusted: trustedAt(t, links[4]), want: site.ErrRollback},
		{name: "same serial other digest", msg: forked[4], trusted: trustedAt(t, links[4]), want: site.ErrFork},
		{name: "next serial other parent", msg: forked[4], trusted: trustedAt(t, links[3]), want: site.ErrFork},
		{name: "skip with chain", msg: links[9], trusted: trustedAt(t, links[2]), chain: links, walked: 6},
		{name: "skip onto a fork", msg: forked[9], trusted: trustedAt(t, links[4]), chain: forked, want: site.ErrFork},
		{name: "skip with a chain that lies", msg: links[9], trusted: trustedAt(t, links[2]), chain: forked, want: site.ErrFork},
		{name: "skip without chain", msg: links[9], trusted: trustedAt(t, links[2]), chain: nil, want: site.ErrFork},
		{name: "skip beyond the bound", msg: links[9], trusted: trustedAt(t, links[2]), maxGap: 3, unchecked: true},
		{name: "bad signature", msg: links[5], trusted: trustedAt(t, links[4]), keys: []key{other}, want: site.ErrBadSignature},
		{name: "wrong origin", msg: links[5], origin: "other.example", want: site.ErrWrongOrigin},
		{name: "future", msg: future, trusted: trustedAt(t, links[9]), want: site.ErrFuture},
		{name: "expired (freeze)", msg: expired, trusted: trustedAt(t, links[9]), want: site.ErrExpired},
		{name: "tampered", msg: append(append([]byte(nil), links[5][:20]...), append([]byte("X"), links[5][21:]...)...), want: site.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := tt.keys
			if keys == nil {
				keys = []key{k}
			}
			d, err := client.Advance(context.Background(), tt.msg, tt.trusted,
				client.Policy{Verifiers: verifiers(t, keys...), Origin: tt.origin, Now: now, MaxGap: tt.maxGap}, chainFrom(tt.chain))
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !errors.Is(err, site.ErrUntrustedIndex) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Walked != tt.walked || d.ChainUnchecked != tt.unchecked {
				t.Fatalf("walked %d unchecked %v, want %d %v", d.Walked, d.ChainUnchecked, tt.walked, tt.unchecked)
			}
		})
	}
}

// TestAdvanceKeyRotation: serials 1-5 are signed with the old key, 6-10
// with the new one. A client holding both keys follows; one holding only
// the new key still walks the chain across the rotation (the links are
// held by their digests); one holding only the old key refuses serial 6.
func TestAdvanceKeyRotation(t *testing.T) {
	old, neu := newKey(t, "rot.example"), newKey(t, "rot.example")
	links := chainOf(t, "rot.example", 10, func(s int) note.Signer {
		if s <= 5 {
			return old.signer
		}
		return neu.signer
	})
	now := t0.Add(11 * time.Hour)
	trusted := trustedAt(t, links[3])
	for _, tc := range []struct {
		keys []key
		ok   bool
	}{{[]key{old, neu}, true}, {[]key{neu}, true}, {[]key{old}, false}} {
		_, err := client.Advance(context.Background(), links[9], trusted, client.Policy{Verifiers: verifiers(t, tc.keys...), Now: now}, chainFrom(links))
		if (err == nil) != tc.ok {
			t.Errorf("%d keys: err = %v, want ok=%v", len(tc.keys), err, tc.ok)
		}
	}
}

func TestTrustStoreForwardOnly(t *testing.T) {
	st := client.NewTrustStore(t.TempDir())
	if tr, err := st.Load(); err != nil || !tr.IsZero() {
		t.Fatalf("first use: %v %v", tr, err)
	}
	a := client.Trusted{Origin: "o", Serial: 5, Digest: site.Sum([]byte("5")), Created: t0, Expires: t0.Add(time.Hour)}
	if err := st.Save(a); err != nil {
		t.Fatal(err)
	}
	b := a
	b.Serial, b.Digest = 4, site.Sum([]byte("4"))
	if err := st.Save(b); !errors.Is(err, site.ErrRollback) {
		t.Fatalf("saving a lower serial: %v", err)
	}
	got, err := st.Load()
	if err != nil || got != a {
		t.Fatalf("Load = %+v, %v", got, err)
	}
}
