package distgit

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// trustStamps moves the file-system clock of walks an hour ahead, so that
// stamps of files written by the test are trusted at once (in real use a
// stamp is trusted once its files are stampSlack old).
func trustStamps(t *testing.T) {
	t.Helper()
	old := stampClock
	stampClock = func() time.Time { return time.Now().Add(time.Hour) }
	t.Cleanup(func() { stampClock = old })
}

func stateRoot(t *testing.T) (root string, ids map[string]Hash) {
	t.Helper()
	root = t.TempDir()
	ids, err := WriteRepo(filepath.Join(root, "rpms", "acpid.git"), samplePush("acpid"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"other", "third"} {
		if _, err := WriteRepo(filepath.Join(root, "rpms", n+".git"), samplePush(n)); err != nil {
			t.Fatal(err)
		}
	}
	mod := Push{Commits: []CommitSpec{
		{ID: "m1", Author: sig(t0.In(time.FixedZone("", -7*3600))), Message: "Module", Files: map[string][]byte{"nodejs.yaml": []byte("document: modulemd-packager\n")}},
	}, Refs: map[string]string{"20": "m1", "22": "m1"}}
	if _, err := WriteRepo(filepath.Join(root, "modules", "nodejs.git"), mod); err != nil {
		t.Fatal(err)
	}
	return root, ids
}

// TestStampedWalks: a walk serves a repository whose ref files kept their
// stamp without reading them, and sees every kind of ref change.
func TestStampedWalks(t *testing.T) {
	trustStamps(t)
	root, ids := stateRoot(t)
	state := t.TempDir()
	acpid := filepath.Join(root, "rpms", "acpid.git")
	now := t0.Add(24 * time.Hour)
	walk := func(wantOpened, wantRefsRead int) *Result {
		t.Helper()
		now = now.Add(time.Hour)
		res := walkAt(t, root, state, now)
		if res.Opened != wantOpened || res.RefsRead != wantRefsRead || res.Opened+res.Unchanged != 4 || len(res.Errors) > 0 {
			t.Fatalf("walk at %s: opened %d (want %d), refs read %d (want %d), unchanged %d, errors %v",
				now, res.Opened, wantOpened, res.RefsRead, wantRefsRead, res.Unchanged, res.Errors)
		}
		return res
	}
	full, err := Walk(context.Background(), root, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	first := walk(4, 4)
	same := walk(0, 0)
	// Served from the state, the walk gives what a full walk reads.
	if !reflect.DeepEqual(full.Repos, first.Repos) || !reflect.DeepEqual(full.Repos, same.Repos) {
		t.Fatalf("repositories served from the state differ from a full walk")
	}

	// A push: packed-refs is renamed over.
	if _, err := AppendPush(acpid, Push{Refs: map[string]string{"f40": ids["a"].String()}}); err != nil {
		t.Fatal(err)
	}
	res := walk(1, 1)
	if len(res.Updates) != 1 || res.Updates[0].Kind != Forced || res.Updates[0].Branch != "f40" {
		t.Errorf("updates: %+v", res.Updates)
	}

	// packed-refs rewritten in place with the same size and its old
	// modification time: only the change time (and on other systems
	// nothing) shows it.
	if runtime.GOOS == "linux" {
		// Past the kernel's clock tick of the last change: stamps are
		// trusted here, so a change in the same tick would go unseen
		// (what stampSlack guards against in real walks).
		time.Sleep(20 * time.Millisecond)
		p := filepath.Join(acpid, "packed-refs")
		fi, _ := os.Stat(p)
		b, _ := os.ReadFile(p)
		b = bytes.Replace(b, []byte(ids["a"].String()+" refs/heads/f40"), []byte(ids["c"].String()+" refs/heads/f40"), 1)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, fi.ModTime(), fi.ModTime())
		walk(1, 1)
	}

	// A new loose branch, then a loose branch in a new subfolder, moved
	// by a rename inside that subfolder (refs/heads itself does not
	// change).
	looseRef := func(rel string, h Hash) {
		t.Helper()
		p := filepath.Join(acpid, "refs", "heads", filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := writeFileAtomic(p, []byte(h.String()+"\n")); err != nil {
			t.Fatal(err)
		}
	}
	looseRef("epel9", ids["a"])
	walk(1, 1)
	looseRef("private/jdoe", ids["b"])
	walk(1, 1)
	looseRef("private/jdoe", ids["d"])
	res = walk(1, 1)
	if len(res.Updates) != 1 || res.Updates[0].Branch != "private/jdoe" || res.Updates[0].New != ids["d"] {
		t.Errorf("updates: %+v", res.Updates)
	}
	// The same tips in other files (git pack-refs): the refs are read,
	// the repository is not opened, and the new stamp is kept.
	testenvGit(t)
	git(t, acpid, "pack-refs", "--all")
	walk(0, 1)
	walk(0, 0)
	// HEAD moves to another branch.
	git(t, acpid, "symbolic-ref", "HEAD", "refs/heads/f40")
	res = walk(1, 1)
	if r := repoNamed(t, res, "rpms/acpid"); r.Head != "f40" {
		t.Errorf("HEAD: %s", r.Head)
	}
	walk(0, 0)
}

func testenvGit(t *testing.T) {
	t.Helper()
	if _, err := execGit(".", "--version").Output(); err != nil {
		t.Skip("git not installed")
	}
}

// TestRacyStamps: stamps taken within stampSlack of their files' last
// change are not trusted: the next walk reads the refs again.
func TestRacyStamps(t *testing.T) {
	// The walks' clock stands at the time the repositories were written:
	// every stamp is within stampSlack of its files' last change.
	start := time.Now()
	old := stampClock
	stampClock = func() time.Time { return start }
	t.Cleanup(func() { stampClock = old })
	root, _ := stateRoot(t)
	state := t.TempDir()
	now := t0.Add(24 * time.Hour)
	res := walkAt(t, root, state, now)
	res2 := walkAt(t, root, state, now.Add(time.Hour))
	if res.RefsRead != 4 || res2.RefsRead != 4 || res2.Opened != 0 {
		t.Errorf("refs read %d then %d, opened %d: fresh stamps must not be trusted", res.RefsRead, res2.RefsRead, res2.Opened)
	}
	idx, _ := os.ReadFile(filepath.Join(state, stateIndexFile))
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range st.Names() {
		if e := st.entries[n]; e.Trusted || len(e.Stamp) < 3 {
			t.Errorf("%s: trusted %v, stamp %+v", n, e.Trusted, e.Stamp)
		}
	}
	// A walk that changes nothing, not even stamps, leaves the index alone.
	walkAt(t, root, state, now.Add(2*time.Hour))
	if idx2, _ := os.ReadFile(filepath.Join(state, stateIndexFile)); !bytes.Equal(idx, idx2) {
		t.Errorf("index rewritten by a walk that changed nothing")
	}
}

// TestStateFiles: the content file is named by its digest and is the same
// for the same repositories; leftovers are removed; corrupt files give
// errors naming them; Load reads one record.
func TestStateFiles(t *testing.T) {
	trustStamps(t)
	root, _ := stateRoot(t)
	s1, s2 := t.TempDir(), t.TempDir()
	walkAt(t, root, s1, t0)
	// Leftovers of an interrupted save in s2.
	os.WriteFile(filepath.Join(s2, stateContentPrefix+strings.Repeat("0", 32)+stateContentSuffix), []byte("old"), 0o644)
	os.WriteFile(filepath.Join(s2, stateIndexFile+".tmp"), []byte("partial"), 0o644)
	walkAt(t, root, s2, t0.Add(time.Hour))
	names := func(dir string) []string {
		ents, _ := os.ReadDir(dir)
		var out []string
		for _, e := range ents {
			out = append(out, e.Name())
		}
		return out
	}
	n1, n2 := names(s1), names(s2)
	if len(n1) != 3 || strings.Join(n1, " ") != strings.Join(n2, " ") {
		t.Fatalf("state files: %v and %v", n1, n2)
	}
	content := n1[0]
	if !isContentName(content) {
		t.Fatalf("content file %s", content)
	}
	c1, _ := os.ReadFile(filepath.Join(s1, content))
	c2, _ := os.ReadFile(filepath.Join(s2, content))
	if !bytes.Equal(c1, c2) {
		t.Errorf("content files differ for the same repositories")
	}

	st, err := OpenState(s1)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(st.Names(), " "); got != "modules/nodejs rpms/acpid rpms/other rpms/third" {
		t.Errorf("names: %s", got)
	}
	r, err := st.Load("rpms/other")
	if err != nil || r == nil || r.Name != "rpms/other" || len(r.Branches) != 2 || len(r.Commits) != 4 {
		t.Fatalf("load: %+v %v", r, err)
	}
	if r, err := st.Load("rpms/nope"); r != nil || err != nil {
		t.Errorf("load of an unknown repository: %v %v", r, err)
	}

	// One flipped byte in a record: loading it fails, naming the file.
	bad := append([]byte(nil), c1...)
	bad[st.entries["rpms/other"].off+3] ^= 0xff
	os.WriteFile(filepath.Join(s1, content), bad, 0o644)
	if _, err := st.Load("rpms/other"); err == nil || !strings.Contains(err.Error(), content) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("corrupt record: %v", err)
	}
	if r, err := st.Load("rpms/acpid"); err != nil || r.Name != "rpms/acpid" {
		t.Errorf("intact record next to a corrupt one: %v", err)
	}
	if _, err := Walk(context.Background(), root, Options{State: s1, Now: t0.Add(time.Hour)}); err == nil || !strings.Contains(err.Error(), content) {
		t.Errorf("walk over a corrupt record: %v", err)
	}
	// A truncated index.
	idx, _ := os.ReadFile(filepath.Join(s2, stateIndexFile))
	os.WriteFile(filepath.Join(s2, stateIndexFile), idx[:len(idx)-9], 0o644)
	if _, err := OpenState(s2); err == nil || !strings.Contains(err.Error(), stateIndexFile) {
		t.Errorf("truncated index: %v", err)
	}
}

// TestLegacyState: a version 2 state (one gob) is migrated: its
// repositories are known (no "seen" entries again), and it is removed.
func TestLegacyState(t *testing.T) {
	root, _ := stateRoot(t)
	state := t.TempDir()
	res, err := Walk(context.Background(), root, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := gob.NewEncoder(&b)
	enc.Encode(struct{ Version, Repos int }{stateVersion, len(res.Repos)})
	for i := range res.Repos {
		if err := enc.Encode(&res.Repos[i]); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(state, stateLegacyFile), b.Bytes(), 0o644)
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Names()) != 4 {
		t.Fatalf("migrated names: %v", st.Names())
	}
	got := walkAt(t, root, state, t0.Add(48*time.Hour))
	if got.Opened != 0 || got.Unchanged != 4 || len(got.Updates) != 0 {
		t.Errorf("walk after migration: opened %d unchanged %d updates %v", got.Opened, got.Unchanged, got.Updates)
	}
	if _, err := os.Stat(filepath.Join(state, stateLegacyFile)); !os.IsNotExist(err) {
		t.Errorf("legacy state still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(state, stateIndexFile)); err != nil {
		t.Error(err)
	}
}

// TestRepoCodec: every repository read from the real bundles and the
// generated world encodes and decodes to itself, zones included.
func TestRepoCodec(t *testing.T) {
	root, _ := world(t)
	res, err := Walk(context.Background(), root, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	repos := res.Repos
	if testing.Short() {
		repos = append(repos, Repo{Name: "rpms/x", Branches: []Branch{{Name: "a", Content: []byte{}, Files: []string{}}, {Name: "b", Content: []byte("s"), Files: []string{"s"}}, {Name: "c", Content: []byte("s"), Files: []string{}}}})
	} else {
		br := t.TempDir()
		cloneBundles(t, br, bundles...)
		real, err := Walk(context.Background(), br, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		repos = append(repos, real.Repos...)
	}
	for i := range repos {
		r := &repos[i]
		b := appendRepo(nil, r)
		got, err := decodeRepo(b, strTable{})
		if err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: decoded record differs", r.Name)
		}
		for n := range len(b) {
			if _, err := decodeRepo(b[:n], nil); err == nil {
				t.Fatalf("%s: truncated at %d of %d: no error", r.Name, n, len(b))
			}
		}
	}
}

func FuzzDecodeRepo(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRepo(b, strTable{})
		if err != nil {
			return
		}
		if again := appendRepo(nil, r); !bytes.Equal(again, b) {
			// Not every encoding is canonical (varints), but decoding
			// what appendRepo wrote must give the same repository.
			r2, err := decodeRepo(again, nil)
			if err != nil || !reflect.DeepEqual(r, r2) {
				t.Fatalf("re-encoded record: %v", err)
			}
		}
	})
}

func FuzzDecodeIndex(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(b []byte) {
			s := &State{entries: map[string]*stateEntry{}}
			if err := s.decodeIndex(b); err != nil {
				return
			}
			var entries []*stateEntry
			for _, n := range s.Names() {
				entries = append(entries, s.entries[n])
			}
			s2 := &State{entries: map[string]*stateEntry{}}
			if err := s2.decodeIndex(encodeIndex(s.content, entries)); err != nil {
				t.Fatalf("re-encoded index: %v", err)
			}
			if !reflect.DeepEqual(s.entries, s2.entries) {
				t.Fatal("re-encoded index differs")
			}
		}
		check(b)
		// The input as a body with a valid checksum, so that mutations
		// reach the decoder past the checksum.
		body := append([]byte(stateIndexMagic), b...)
		check(binary.LittleEndian.AppendUint32(body, crc(body)))
	})
}
