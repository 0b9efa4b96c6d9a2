package site

import (
	"fmt"
	"os"
	"path/filepath"
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
	stored, err := readFile(dir, "www.files", MaxTreeListing, &ti.Files)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseTreeListing(stored)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(files) || got["src/component-099999.html"] != files["src/component-099999.html"] {
		t.Fatalf("listing of %d files read back as %d", len(files), len(got))
	}
	t.Logf("listing of %d files: %d bytes stored", len(files), len(stored))
}
