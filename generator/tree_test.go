package generator

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteTree(t *testing.T) {
	dir := t.TempDir()
	w, r, err := writeTree(dir, map[string][]byte{"index.html": []byte("a"), "src/x.html": []byte("x")})
	if err != nil || w != 2 || r != 0 {
		t.Fatalf("first write: %d written, %d removed, %v", w, r, err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, "index.html"), old, old)
	w, r, err = writeTree(dir, map[string][]byte{"index.html": []byte("a"), "src/y.html": []byte("y")})
	if err != nil || w != 1 || r != 1 {
		t.Fatalf("second write: %d written, %d removed, %v", w, r, err)
	}
	fi, _ := os.Stat(filepath.Join(dir, "index.html"))
	if !fi.ModTime().Equal(old.Truncate(time.Microsecond)) && fi.ModTime().After(old.Add(time.Second)) {
		t.Errorf("an unchanged page was rewritten (mtime %v)", fi.ModTime())
	}
	if _, err := os.Stat(filepath.Join(dir, "src", "x.html")); !os.IsNotExist(err) {
		t.Errorf("a page no longer rendered is still there: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "src", "y.html")); string(b) != "y" {
		t.Errorf("src/y.html = %q", b)
	}
}
