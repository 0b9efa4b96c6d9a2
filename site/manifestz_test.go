package site

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompressedManifest(t *testing.T) {
	km := KindManifest{Format: FormatKind, Kind: "pkg", Buckets: 2, Keys: 3,
		Objects: []Entry{{Digest: Sum([]byte("a")), Size: 1, RawSize: 1, Encoding: EncodingRaw}, {Digest: Sum([]byte("b")), Size: 1, RawSize: 1, Encoding: EncodingRaw}}}
	stored := marshalManifest(km)
	if !bytes.HasPrefix(stored, zstdMagic) {
		t.Fatalf("a manifest of digests is stored as JSON (%d bytes), want a smaller zstd frame", len(stored))
	}
	if !bytes.Equal(stored, marshalManifest(km)) {
		t.Fatal("the same manifest gave different bytes")
	}
	got, err := ParseKindManifest(stored)
	if err != nil || got.Buckets != 2 || got.Objects[1] != km.Objects[1] {
		t.Fatalf("ParseKindManifest(compressed) = %+v, %v", got, err)
	}
	// Plain JSON manifests stay readable (a tiny one is stored that way).
	plain := []byte(`{"format":"distmeta-kind/1","kind":"x","buckets":1,"keys":0,"objects":[{"d":"` + Sum(nil).String() + `","n":0,"u":0,"e":"raw"}]}`)
	if _, err := ParseKindManifest(plain); err != nil {
		t.Fatalf("plain JSON manifest: %v", err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"bomb", manifestEncoder().EncodeAll(bytes.Repeat([]byte(" "), MaxManifestSize+10), nil), "exceeds"},
		{"truncated frame", stored[:len(stored)-3], "compressed manifest"},
		{"frame of garbage", manifestEncoder().EncodeAll([]byte("not json"), nil), "invalid character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKindManifest(tc.b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
