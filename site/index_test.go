package site

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

func signed(t *testing.T, k testKey, ix Index) ([]byte, *Index) {
	t.Helper()
	msg, err := signIndex(&ix, k.signer)
	if err != nil {
		t.Fatal(err)
	}
	return msg, &ix
}

func TestVerifyIndex(t *testing.T) {
	k := newTestKey(t, "test.example")
	other := newTestKey(t, "test.example")
	root := Ref{Sum([]byte("root")), 4}
	base := Index{Origin: "test.example", Serial: 5, Created: t0, Expires: t0.Add(24 * time.Hour), Root: root, Prev: Sum([]byte("4"))}
	msg5, ix5 := signed(t, k, base)
	trusted := ix5.Trusted()

	next := base
	next.Serial, next.Prev, next.Created, next.Expires = 6, ix5.Digest, t0.Add(time.Hour), t0.Add(25*time.Hour)
	msg6, _ := signed(t, k, next)
	forkSame := base
	forkSame.Root = Ref{Sum([]byte("other root")), 10}
	msgForkSame, _ := signed(t, k, forkSame)
	forkNext := next
	forkNext.Prev = Sum([]byte("elsewhere"))
	msgForkNext, _ := signed(t, k, forkNext)
	old := base
	old.Serial, old.Prev = 4, Sum([]byte("3"))
	msgOld, _ := signed(t, k, old)
	future := next
	future.Created = t0.Add(2 * time.Hour)
	msgFuture, _ := signed(t, k, future)
	msgOther, _ := signed(t, other, next)

	now := t0.Add(90 * time.Minute)
	tests := []struct {
		name    string
		msg     []byte
		trusted TrustedIndex
		now     time.Time
		origin  string
		want    error
	}{
		{"first use", msg5, TrustedIndex{}, now, "", nil},
		{"same index again", msg5, trusted, now, "", nil},
		{"next index", msg6, trusted, now, "", nil},
		{"skip ahead", msg6, TrustedIndex{Serial: 3, Digest: Sum([]byte("3"))}, now, "", nil},
		{"rollback", msgOld, trusted, now, "", ErrRollback},
		{"fork same serial", msgForkSame, trusted, now, "", ErrFork},
		{"fork prev chain", msgForkNext, trusted, now, "", ErrFork},
		{"expired (freeze)", msg6, trusted, t0.Add(26 * time.Hour), "", ErrExpired},
		{"future", msgFuture, trusted, t0.Add(time.Hour), "", ErrFuture},
		{"within skew", msgFuture, trusted, t0.Add(2*time.Hour - time.Minute), "", nil},
		{"other key", msgOther, trusted, now, "", ErrBadSignature},
		{"wrong origin", msg6, trusted, now, "other.example", ErrWrongOrigin},
		{"tampered", []byte(strings.Replace(string(msg6), "serial 6", "serial 7", 1)), trusted, now, "", ErrBadSignature},
		{"garbage", []byte("hello\n"), trusted, now, "", ErrBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix, err := VerifyIndex(tc.msg, k.verifiers, tc.trusted, tc.now, Policy{Origin: tc.origin})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("VerifyIndex: %v", err)
				}
				if ix.Digest != Sum(tc.msg) {
					t.Fatal("digest not set")
				}
				return
			}
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrUntrustedIndex) {
				t.Fatalf("VerifyIndex: got %v, want %v (in ErrUntrustedIndex)", err, tc.want)
			}
		})
	}
}

func TestIndexRoundTrip(t *testing.T) {
	k := newTestKey(t, "test.example")
	in := Index{Origin: "test.example", Serial: 1, Created: t0, Expires: t0.Add(time.Hour), Root: Ref{Sum([]byte("r")), 1}}
	msg, _ := signed(t, k, in)
	got, err := ParseIndex(msg, k.verifiers)
	if err != nil {
		t.Fatal(err)
	}
	un, err := ParseIndexUnverified(msg)
	if err != nil {
		t.Fatal(err)
	}
	in.Digest = Sum(msg)
	if *got != in || *un != in {
		t.Fatalf("round trip: %+v / %+v, want %+v", got, un, in)
	}
}

func TestDigest(t *testing.T) {
	d := Sum([]byte("abc"))
	if d.String() != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatal(d.String())
	}
	p, err := ParseDigest(d.String())
	if err != nil || p != d {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "sha256:", "md5:" + strings.Repeat("0", 64), "sha256:" + strings.Repeat("A", 64), "sha256:" + strings.Repeat("g", 64), "sha256:" + strings.Repeat("0", 63)} {
		if _, err := ParseDigest(bad); err == nil {
			t.Errorf("ParseDigest(%q) succeeded", bad)
		}
	}
	if d.ObjectPath() != "o/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatal(d.ObjectPath())
	}
}

func TestReadVerified(t *testing.T) {
	b := []byte("hello world")
	d := Sum(b)
	if got, err := ReadVerified(strings.NewReader(string(b)), "x", d, int64(len(b))); err != nil || string(got) != string(b) {
		t.Fatal(got, err)
	}
	for name, tc := range map[string]struct {
		in   string
		size int64
		want error
	}{
		"longer":    {"hello world!!", 11, ErrTooLarge},
		"shorter":   {"hello", 11, ErrSizeMismatch},
		"different": {"hello WORLD", 11, ErrDigestMismatch},
	} {
		_, err := ReadVerified(strings.NewReader(tc.in), "x", d, tc.size)
		var ie *IntegrityError
		if !errors.Is(err, tc.want) || !errors.Is(err, ErrIntegrity) || !errors.As(err, &ie) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

func TestDecodeBomb(t *testing.T) {
	content := []byte(strings.Repeat("A", 10<<20))
	enc, _ := zstd.NewWriter(nil)
	z := enc.EncodeAll(content, nil)
	e := Entry{Digest: Sum(z), Size: int64(len(z)), RawSize: 1000, Encoding: EncodingZstd}
	_, err := DecodeObject(z, e, nil)
	if !errors.Is(err, ErrBomb) {
		t.Fatalf("bomb: got %v, want ErrBomb", err)
	}
	e.RawSize = int64(len(content))
	if got, err := DecodeObject(z, e, nil); err != nil || len(got) != len(content) {
		t.Fatalf("honest object: %v", err)
	}
	e.RawSize = int64(len(content)) + 1
	if _, err := DecodeObject(z, e, nil); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("short object: got %v, want ErrSizeMismatch", err)
	}
	bad := append([]byte{}, z...)
	bad[len(bad)-3] ^= 0xff
	e = Entry{Digest: Sum(bad), Size: int64(len(bad)), RawSize: int64(len(content)), Encoding: EncodingZstd}
	if _, err := DecodeObject(bad, e, nil); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("corrupt frame: got %v", err)
	}
}
