package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "f")
	for _, tc := range []struct {
		content string
		perm    os.FileMode
	}{{"one", 0o644}, {"two, longer", 0o600}, {"", 0o644}} {
		if err := Write(p, []byte(tc.content), tc.perm); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != tc.content {
			t.Fatalf("read %q, %v; want %q", b, err, tc.content)
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != tc.perm {
			t.Fatalf("mode %v, want %v", st.Mode().Perm(), tc.perm)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Fatalf("folder holds %d files, want only the target (no temporary left)", len(ents))
	}
	// A failed write (the target is a folder) leaves no temporary file.
	if err := Write(dir+"/sub", []byte("x"), 0o644); err == nil {
		t.Fatal("writing over a folder succeeded")
	}
	ents, _ = os.ReadDir(dir)
	for _, e := range ents {
		if IsTemp(e.Name()) {
			t.Fatalf("temporary file %s left after a failed write", e.Name())
		}
	}
}
