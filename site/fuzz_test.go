package site

import (
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// fuzzVerifiers accepts the key used for the committed seeds.
const fuzzVkey = "fuzz.example+16e84832+AQT06hmLyY5hWfAUyWhnWc6IO2T4jX2kDbOE8ejZGPgS"

func FuzzParseIndex(f *testing.F) {
	f.Add([]byte("distmeta index v1\norigin a\nserial 1\ncreated 2024-01-01T00:00:00Z\nexpires 2024-01-02T00:00:00Z\nroot sha256:" +
		"0000000000000000000000000000000000000000000000000000000000000000 1\nprev none\n\n— a AAAA\n"))
	v, err := note.NewVerifier(fuzzVkey)
	if err != nil {
		f.Fatal(err)
	}
	vs := note.VerifierList(v)
	f.Fuzz(func(t *testing.T, b []byte) {
		if ix, err := ParseIndexUnverified(b); err == nil {
			if ix.Expires.Before(ix.Created) || ix.Serial == 0 {
				t.Fatalf("accepted inconsistent index %+v", ix)
			}
		}
		if ix, err := ParseIndex(b, vs); err == nil && ix.Digest != Sum(b) {
			t.Fatal("digest not of the bytes")
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"format":"distmeta-root/1","kinds":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if m, err := ParseRootManifest(b); err == nil {
			for p := range m.Files {
				if !ValidFilePath(p) {
					t.Fatalf("accepted path %q", p)
				}
			}
		}
		if km, err := ParseKindManifest(b); err == nil {
			for _, key := range []string{"", "a", "python3-foo"} {
				bucket, _, page := km.Locate(key)
				if bucket < 0 || bucket >= km.Buckets || page >= len(km.Pages) {
					t.Fatalf("Locate(%q) = %d, page %d", key, bucket, page)
				}
			}
			ParsePageManifest(b, km, 0)
		}
	})
}

// FuzzParseTree feeds the tree index text and listing parsers: what they
// accept is consistent (paths clean, references valid).
func FuzzParseTree(f *testing.F) {
	f.Add([]byte("distmeta tree v1\norigin a\nserial 1\npage sha256:0000000000000000000000000000000000000000000000000000000000000001 10\n"))
	f.Add([]byte(`{"format":"distmeta-tree/1","files":{"src/bash.html":{"d":"sha256:0000000000000000000000000000000000000000000000000000000000000001","n":2}}}`))
	f.Add([]byte("distmeta-tree/1\n0000000000000000000000000000000000000000000000000000000000000001 2 src/bash.html\n" +
		"0000000000000000000000000000000000000000000000000000000000000002 10 src/my page.html\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if ti, err := parseTreeText(string(b)); err == nil {
			if ti.Serial == 0 || !validOrigin(ti.Origin) || len(ti.Pages) == 0 || len(ti.Pages) > maxTreePages {
				t.Fatalf("accepted inconsistent tree index %+v", ti)
			}
			for _, p := range ti.Pages {
				if p.Digest.IsZero() || p.Size < 0 || p.Size > MaxTreeListing {
					t.Fatalf("accepted page %+v", p)
				}
			}
		}
		if files, err := parseTreeListing(b); err == nil {
			for p, r := range files {
				if !validTreePath(p) || r.Digest.IsZero() || r.Size < 0 {
					t.Fatalf("accepted %q %+v", p, r)
				}
			}
		}
	})
}
