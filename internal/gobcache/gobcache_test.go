package gobcache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStoreLoad(t *testing.T) {
	type entry struct{ Names []string }
	p := filepath.Join(t.TempDir(), "sub", "e.gob.zst")
	if Load(p, "k1", &entry{}) {
		t.Fatal("a missing entry loaded")
	}
	if err := Store(p, "k1", &entry{Names: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	var got entry
	if !Load(p, "k1", &got) || len(got.Names) != 2 || got.Names[1] != "b" {
		t.Fatalf("Load = %+v", got)
	}
	if Load(p, "k2", &got) {
		t.Error("an entry stored for another key loaded")
	}
	os.WriteFile(p, []byte("garbage"), 0o644)
	if Load(p, "k1", &got) {
		t.Error("a damaged entry loaded")
	}
}
