package distgit

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// contentOf returns the content file a state's index names, and its size.
func contentOf(t *testing.T, state string) (string, int64, *State) {
	t.Helper()
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(state, st.content))
	if err != nil {
		t.Fatal(err)
	}
	return st.content, fi.Size(), st
}

// TestAppendedState: a walk that reads a changed repository appends its
// record to the content file instead of rewriting it, and every way an
// append can be cut short leaves a state that loads and walks to what a
// full walk reads, or fails naming the file.
func TestAppendedState(t *testing.T) {
	// Four small repositories: one record is a quarter of the content.
	old := compactRatio
	compactRatio = 1
	t.Cleanup(func() { compactRatio = old })
	tests := []struct {
		name string
		// damage runs after the walk that saw the push; prev is a copy
		// of the index from before that walk.
		damage  func(t *testing.T, state string, prevIndex []byte)
		wantErr string // of the next walk
		// opened is what the next walk opens.
		opened int
	}{
		{name: "intact", opened: 0},
		{name: "torn append", opened: 0, damage: func(t *testing.T, state string, _ []byte) {
			// An append of a later walk cut short: bytes past the last
			// record the index names.
			name, _, _ := contentOf(t, state)
			f, err := os.OpenFile(filepath.Join(state, name), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(bytes.Repeat([]byte("half a record "), 300))
			f.Close()
		}},
		{name: "crash before the index", opened: 1, damage: func(t *testing.T, state string, prev []byte) {
			// The record was appended, the new index never renamed.
			if err := os.WriteFile(filepath.Join(state, stateIndexFile), prev, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "content cut short", wantErr: "past the end of the file", damage: func(t *testing.T, state string, _ []byte) {
			name, size, _ := contentOf(t, state)
			if err := os.Truncate(filepath.Join(state, name), size-5); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			trustStamps(t)
			root, ids := stateRoot(t)
			state := t.TempDir()
			walkAt(t, root, state, t0)
			name0, size0, _ := contentOf(t, state)
			prevIndex, err := os.ReadFile(filepath.Join(state, stateIndexFile))
			if err != nil {
				t.Fatal(err)
			}
			acpid := filepath.Join(root, "rpms", "acpid.git")
			if _, err := AppendPush(acpid, Push{Refs: map[string]string{"f40": ids["a"].String()}}); err != nil {
				t.Fatal(err)
			}
			res := walkAt(t, root, state, t0.Add(time.Hour))
			if res.Opened != 1 {
				t.Fatalf("opened %d after a push", res.Opened)
			}
			name1, size1, st := contentOf(t, state)
			if name1 != name0 || size1 <= size0 || st.end() != size1 {
				t.Fatalf("content after one push: %s %d bytes (end %d), was %s %d bytes", name1, size1, st.end(), name0, size0)
			}
			if e := st.entries["rpms/acpid"]; e.off != size0 {
				t.Errorf("record of the pushed repository at %d, want %d (appended)", e.off, size0)
			}
			if tc.damage != nil {
				tc.damage(t, state, prevIndex)
			}
			// What the walk that saw the push read is what the next
			// walks must give (a full walk would not keep the commit
			// the forced push left behind).
			full := res
			got, err := Walk(context.Background(), root, Options{Workers: 2, State: state, Now: t0.Add(2 * time.Hour)})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), name0) {
					t.Fatalf("walk over a damaged state: %v, want %q naming %s", err, tc.wantErr, name0)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Opened != tc.opened || !reflect.DeepEqual(full.Repos, got.Repos) {
				t.Fatalf("walk after %s: opened %d (want %d), same as a full walk: %v", tc.name, got.Opened, tc.opened, reflect.DeepEqual(full.Repos, got.Repos))
			}
			// And once more from what that walk saved: no tail left
			// past the records (a walk that saved nothing keeps it, cut
			// by the next append).
			again := walkAt(t, root, state, t0.Add(3*time.Hour))
			if again.Opened != 0 || !reflect.DeepEqual(full.Repos, again.Repos) {
				t.Fatalf("second walk after %s: opened %d", tc.name, again.Opened)
			}
			// Another push: its record is appended after the last
			// record, any tail cut.
			if _, err := AppendPush(acpid, Push{Refs: map[string]string{"f40": ids["b"].String()}}); err != nil {
				t.Fatal(err)
			}
			walkAt(t, root, state, t0.Add(4*time.Hour))
			name2, size2, st2 := contentOf(t, state)
			if name2 != name0 || st2.end() != size2 {
				t.Errorf("content file %s of %d bytes, records end at %d", name2, size2, st2.end())
			}
			if r, err := st2.Load("rpms/acpid"); err != nil || r.Branch("f40").Head != ids["b"] {
				t.Errorf("record of the pushed repository: %v", err)
			}
		})
	}
}

// TestCompaction: pushes append until the dead records pass a quarter of
// the live ones; the content file is then rewritten with the live records
// only, byte for byte what a fresh state of the same repositories holds.
func TestCompaction(t *testing.T) {
	trustStamps(t)
	root, ids := stateRoot(t)
	state := t.TempDir()
	walkAt(t, root, state, t0)
	first, _, _ := contentOf(t, state)
	acpid := filepath.Join(root, "rpms", "acpid.git")
	now := t0
	compacted := false
	for i, id := range []string{"a", "b", "c", "d", "a", "b"} {
		if _, err := AppendPush(acpid, Push{Refs: map[string]string{"f40": ids[id].String()}}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		if res := walkAt(t, root, state, now); res.Opened != 1 {
			t.Fatalf("push %d: opened %d", i, res.Opened)
		}
		name, size, st := contentOf(t, state)
		live := int64(0)
		for _, e := range st.entries {
			live += e.n
		}
		if dead := size - live; dead*int64(compactRatio) > live {
			t.Fatalf("push %d: %d dead bytes for %d live", i, dead, live)
		}
		if name != first {
			compacted = true
			if size != live {
				t.Fatalf("push %d: compacted content of %d bytes, %d live", i, size, live)
			}
			// The live records, in name order, and nothing else.
			var want []byte
			for _, n := range st.Names() {
				r, err := st.Load(n)
				if err != nil {
					t.Fatal(err)
				}
				want = appendRepo(want, r)
			}
			got, _ := os.ReadFile(filepath.Join(state, name))
			if !bytes.Equal(got, want) {
				t.Fatalf("push %d: compacted content is not the live records", i)
			}
			ents, _ := os.ReadDir(state)
			if len(ents) != 3 {
				t.Fatalf("push %d: state files %v", i, ents)
			}
			break
		}
	}
	if !compacted {
		t.Fatal("the content file was never compacted")
	}
}
