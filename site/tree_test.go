package site

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestTreeListingLarge writes and reads back the listing of 100,000 pages
// (more than a Fedora-sized site has, and more than a manifest may hold).
func TestTreeListingLarge(t *testing.T) {
	k := newTestKey(t, "test.example")
	dir := t.TempDir()
	files := map[string]Ref{}
	for i := range 100_000 {
		p := fmt.Sprintf("src/component-%06d.html", i)
		files[p] = Ref{Sum([]byte(p)), int64(1000 + i)}
	}
	if err := WriteTree(dir, PagesTree, files, k.signer, "test.example", 7); err != nil {
		t.Fatal(err)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "www.index"))
	if err != nil {
		t.Fatal(err)
	}
	ti, err := ParseTreeIndex(msg, k.verifiers)
	if err != nil {
		t.Fatal(err)
	}
	if ti.Serial != 7 || ti.Origin != "test.example" {
		t.Fatalf("tree index %+v", ti)
	}
	if len(ti.Pages) != 67 {
		t.Fatalf("%d listing pages for %d files, want 67", len(ti.Pages), len(files))
	}
	got := map[string]Ref{}
	stored := 0
	for i, ref := range ti.Pages {
		b, err := readFile(dir, treePagePath(PagesTree, ref.Digest), MaxTreeListing, &ref)
		if err != nil {
			t.Fatal(err)
		}
		stored += len(b)
		pg, err := parseTreeListing(b)
		if err != nil {
			t.Fatal(err)
		}
		for p, r := range pg {
			if BucketOf(p, len(ti.Pages)) != i {
				t.Errorf("%s on page %d", p, i)
			}
			got[p] = r
		}
	}
	if len(got) != len(files) || got["src/component-099999.html"] != files["src/component-099999.html"] {
		t.Fatalf("listing of %d files read back as %d", len(files), len(got))
	}

	// One file changed: one page rewritten, the old one removed.
	before, _ := filepath.Glob(filepath.Join(dir, "www.files.d", "*"))
	files["src/component-000042.html"] = Ref{Sum([]byte("changed")), 7}
	if err := WriteTree(dir, PagesTree, files, k.signer, "test.example", 8); err != nil {
		t.Fatal(err)
	}
	after, _ := filepath.Glob(filepath.Join(dir, "www.files.d", "*"))
	if len(after) != len(before) {
		t.Errorf("%d pages before, %d after", len(before), len(after))
	}
	changed := 0
	for _, p := range after {
		if !slices.Contains(before, p) {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d pages rewritten for one changed file, want 1", changed)
	}
	t.Logf("listing of %d files: %d pages, %d bytes stored", len(files), len(ti.Pages), stored)
}

// BenchmarkWriteTree signs the listing of a Fedora-sized page tree
// (87,825 files) that did not change since the last run: what every
// incremental build pays.
func BenchmarkWriteTree(b *testing.B) {
	k := newTestKey(b, "test.example")
	dir := b.TempDir()
	files := map[string]Ref{}
	for i := range 87_825 {
		p := fmt.Sprintf("src/component-%06d.html", i)
		files[p] = Ref{Sum([]byte(p)), int64(1000 + i)}
	}
	if err := WriteTree(dir, PagesTree, files, k.signer, "test.example", 1); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := WriteTree(dir, PagesTree, files, k.signer, "test.example", uint64(i+2)); err != nil {
			b.Fatal(err)
		}
	}
}
