package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// firstObject returns the path of one answer object of the site.
func anObject(t *testing.T, dir string, ix *Index) string {
	t.Helper()
	root, _ := ParseRootManifest(must(readFile(dir, ix.Root.Digest.ManifestPath(), MaxManifestSize, &ix.Root)))
	kr := root.Kinds["binary"]
	km, _ := ParseKindManifest(must(readFile(dir, kr.Manifest.Digest.ManifestPath(), MaxManifestSize, &kr.Manifest)))
	pm, err := ParsePageManifest(must(readFile(dir, km.Pages[0].Digest.ManifestPath(), MaxManifestSize, &km.Pages[0])), km, 0)
	if err != nil {
		t.Fatal(err)
	}
	return pm.Objects[1].Digest.ObjectPath()
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestVerifyCatches(t *testing.T) {
	k := newTestKey(t, "test.example")
	other := newTestKey(t, "test.example") // same name, another key
	base := t.TempDir()
	res := publish(t, base, copyModel(small()), k, t0, PublishOptions{})
	obj := anObject(t, base, res.Index)
	writeTestTree(t, base, k.signer, res.Index)
	pages, _ := filepath.Glob(filepath.Join(base, "www.files.d", "*"))
	if len(pages) != 1 {
		t.Fatalf("listing pages %v", pages)
	}
	listingPage := "www.files.d/" + filepath.Base(pages[0])
	resign := func(t *testing.T, dir string, signer note.Signer, serial uint64) {
		files := map[string]Ref{}
		for _, p := range []string{"src/zsh.html", "src/bash.html"} {
			b := must(os.ReadFile(filepath.Join(dir, "www", p)))
			files[p] = Ref{Sum(b), int64(len(b))}
		}
		if err := WriteTree(dir, PagesTree, files, signer, res.Index.Origin, serial); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name    string
		damage  func(t *testing.T, dir string)
		path    string // the problem must name this path
		wantErr error
	}{
		{"tampered object", func(t *testing.T, dir string) {
			p := filepath.Join(dir, obj)
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 0x40
			os.WriteFile(p, b, 0o644)
		}, obj, ErrDigestMismatch},
		{"truncated object", func(t *testing.T, dir string) {
			p := filepath.Join(dir, obj)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-10], 0o644)
		}, obj, ErrSizeMismatch},
		{"missing object", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, obj))
		}, obj, ErrNotFound},
		{"missing manifest", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, res.Index.Root.Digest.ManifestPath()))
		}, res.Index.Root.Digest.ManifestPath(), ErrNotFound},
		{"tampered plain file", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "comps/Everything.xml"), []byte("<comps/>"), 0o644)
		}, "comps/Everything.xml", ErrSizeMismatch},
		{"tampered index", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "index")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "serial 1", "serial 9", 1)), 0o644)
		}, "index", ErrBadSignature},
		{"index re-signed with another key", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "index")
			ix, _ := ParseIndexUnverified(must(os.ReadFile(p)))
			msg, err := signIndex(ix, other.signer)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(p, msg, 0o644)
		}, "index", ErrBadSignature},
		{"missing index", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "index"))
		}, "index", ErrNotFound},
		{"tampered page", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "www/src/bash.html"), []byte("<h1>evil</h1>\n"), 0o644)
		}, "www/src/bash.html", ErrDigestMismatch},
		{"truncated page", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "www/src/bash.html"), []byte("<p>"), 0o644)
		}, "www/src/bash.html", ErrSizeMismatch},
		{"missing page", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "www/src/zsh.html"))
		}, "www/src/zsh.html", ErrNotFound},
		{"unlisted page", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "www/src/evil.html"), []byte("<script></script>"), 0o644)
		}, "www/src/evil.html", nil},
		{"pages listing re-signed with another key", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "www/src/bash.html"), []byte("<p>bash, but evil</p>\n"), 0o644)
			resign(t, dir, other.signer, res.Index.Serial)
		}, "www.index", ErrBadSignature},
		{"pages of another serial", func(t *testing.T, dir string) {
			resign(t, dir, k.signer, res.Index.Serial+1)
		}, "www.index", nil},
		{"tampered pages listing", func(t *testing.T, dir string) {
			p := filepath.Join(dir, filepath.FromSlash(listingPage))
			b := must(os.ReadFile(p))
			b[len(b)/2] ^= 0x40
			os.WriteFile(p, b, 0o644)
		}, listingPage, ErrDigestMismatch},
		{"missing pages listing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, filepath.FromSlash(listingPage)))
		}, listingPage, ErrNotFound},
		{"pages without a listing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "www.index"))
		}, "www", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, base, dir)
			mustVerify(t, dir, k.verifiers)
			tc.damage(t, dir)
			rep, err := Verify(context.Background(), dir, k.verifiers)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("Verify found nothing wrong")
			}
			found := false
			for _, p := range rep.Problems {
				if p.Path == tc.path && (tc.wantErr == nil || errors.Is(p.Err, tc.wantErr)) {
					found = true
				}
			}
			if !found {
				t.Fatalf("want a problem %v at %s, got %v", tc.wantErr, tc.path, rep.Problems)
			}
		})
	}
}

// writeTestTree writes two pages under dir/www and their signed listing.
func writeTestTree(t *testing.T, dir string, signer note.Signer, ix *Index) {
	t.Helper()
	files := map[string]Ref{}
	for p, content := range map[string]string{"src/zsh.html": "<h1>zsh</h1>\n", "src/bash.html": "<h1>bash</h1>\n"} {
		dst := filepath.Join(dir, "www", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		files[p] = Ref{Sum([]byte(content)), int64(len(content))}
	}
	if err := WriteTree(dir, PagesTree, files, signer, ix.Origin, ix.Serial); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyReportsEveryProblem(t *testing.T) {
	k := newTestKey(t, "test.example")
	dir := t.TempDir()
	publish(t, dir, copyModel(small()), k, t0, PublishOptions{})
	var removed []string
	filepath.WalkDir(filepath.Join(dir, "o"), func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() && len(removed) < 3 {
			removed = append(removed, p)
			os.Remove(p)
		}
		return nil
	})
	rep, err := Verify(context.Background(), dir, k.verifiers)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) < len(removed) {
		t.Fatalf("removed %d objects, Verify reported %d problems: %v", len(removed), len(rep.Problems), rep.Problems)
	}
}

func TestVerifyUnknownKey(t *testing.T) {
	k := newTestKey(t, "test.example")
	dir := t.TempDir()
	publish(t, dir, copyModel(small()), k, t0, PublishOptions{})
	other := newTestKey(t, "someone.else")
	rep, _ := Verify(context.Background(), dir, other.verifiers)
	if rep.OK() || !errors.Is(rep.Problems[0].Err, ErrBadSignature) {
		t.Fatalf("Verify with an unknown key: %v", rep.Problems)
	}
	var _ note.Verifiers = other.verifiers
}
