package site

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
)

func runSync(t *testing.T, src, dst, stage string) {
	t.Helper()
	script := filepath.Join(testenv.RepoRoot(t), "scripts", "mirror-sync.sh")
	cmd := exec.Command(script, src, dst)
	cmd.Env = append(os.Environ(), "STAGE="+stage)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mirror-sync.sh stage %s: %v\n%s", stage, err, out)
	}
}

// TestMirrorSyncSnapshots runs scripts/mirror-sync.sh for real between
// local folders and takes snapshots of the mirror between stages and in
// the middle of stage 1 (rsync paused with SIGSTOP): each is either the
// old site or the new one, and verifies.
func TestMirrorSyncSnapshots(t *testing.T) {
	testenv.Tool(t, "rsync")
	k := newTestKey(t, "test.example")
	sm := small()
	src, mirror := t.TempDir(), t.TempDir()
	m := copyModel(sm)
	old := publish(t, src, m, k, t0, PublishOptions{})
	runSync(t, src, mirror, "all")
	mustVerify(t, mirror, k.verifiers)

	// The new site changes many answers, so stage 1 has real work.
	for i, c := range sm.Components {
		if i%5 == 0 {
			m.Answers["component"][c] = []byte(fmt.Sprintf(`{"name":%q,"round":2}`, c))
		}
	}
	m.Files["comps/Everything.xml"] = []byte("<comps><group><id>new</id></group></comps>\n")
	newer := publish(t, src, m, k, t0.Add(time.Hour), PublishOptions{})

	check := func(what string, want ...*Index) {
		t.Helper()
		snap := t.TempDir()
		copyTree(t, mirror, snap)
		rep := mustVerify(t, snap, k.verifiers)
		for _, ix := range want {
			if rep.Index.Digest == ix.Digest {
				t.Logf("%s: serial %d verifies (%d files)", what, rep.Index.Serial, rep.Checked)
				return
			}
		}
		t.Fatalf("%s: mirror serves serial %d, neither old nor new", what, rep.Index.Serial)
	}

	// Within stage 1: pause rsync at a few points and snapshot.
	script := filepath.Join(testenv.RepoRoot(t), "scripts", "mirror-sync.sh")
	cmd := exec.Command(script, src, mirror)
	cmd.Env = append(os.Environ(), "STAGE=1", "RSYNC_OPTS=--bwlimit=40")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for i := 0; i < 3; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			done <- nil
		case <-time.After(time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGSTOP)
			check(fmt.Sprintf("within stage 1 (pause %d)", i), old.Index)
			syscall.Kill(-cmd.Process.Pid, syscall.SIGCONT)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("stage 1: %v", err)
	}
	check("after stage 1", old.Index)
	runSync(t, src, mirror, "2")
	check("after stage 2", newer.Index)
	runSync(t, src, mirror, "3")
	check("after stage 3", newer.Index)
	if treeHash(t, mirror) != treeHash(t, src) {
		t.Fatal("mirror differs from the source after all stages")
	}
}

// TestMirrorSyncLists checks stage 1's short path: a mirror two serials
// behind copies only the files that index.d/<n>.new lists name (an
// unreferenced file planted in the source's o/ stays behind, which a full
// comparison would copy), and ends up verifying at the newest serial. An
// index the source publishes between stages 1 and 2 is not installed:
// the mirror serves the index whose objects stage 1 copied.
func TestMirrorSyncLists(t *testing.T) {
	testenv.Tool(t, "rsync")
	k := newTestKey(t, "test.example")
	sm := small()
	src, mirror := t.TempDir(), t.TempDir()
	m := copyModel(sm)
	publish(t, src, m, k, t0, PublishOptions{})
	runSync(t, src, mirror, "all")

	planted := "o/00/" + strings.Repeat("0", 64)
	if err := os.MkdirAll(filepath.Join(src, "o", "00"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, filepath.FromSlash(planted)), []byte("unreferenced"), 0o644); err != nil {
		t.Fatal(err)
	}
	for round := 2; round <= 3; round++ {
		for i, c := range sm.Components {
			if i%7 == round {
				m.Answers["component"][c] = []byte(fmt.Sprintf(`{"name":%q,"round":%d}`, c, round))
			}
		}
		publish(t, src, m, k, t0.Add(time.Duration(round)*time.Hour), PublishOptions{})
	}
	list, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(AddedListPath(3))))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("index.d/3.new is empty")
	}
	runSync(t, src, mirror, "1")
	if _, err := os.Stat(filepath.Join(mirror, filepath.FromSlash(planted))); err == nil {
		t.Fatal("stage 1 compared all of o/ although the lists were there")
	}
	// The source publishes serial 4 between the stages.
	m.Answers["component"][sm.Components[0]] = []byte(`{"round":4}`)
	publish(t, src, m, k, t0.Add(4*time.Hour), PublishOptions{})
	runSync(t, src, mirror, "2")
	if rep := mustVerify(t, mirror, k.verifiers); rep.Index.Serial != 3 {
		t.Fatalf("after stage 2 the mirror serves serial %d, want 3 (the index stage 1 fetched)", rep.Index.Serial)
	}
	runSync(t, src, mirror, "all")
	if rep := mustVerify(t, mirror, k.verifiers); rep.Index.Serial != 4 {
		t.Fatalf("after the next sync the mirror serves serial %d, want 4", rep.Index.Serial)
	}
	if _, err := os.Stat(filepath.Join(mirror, filepath.FromSlash(planted))); err != nil {
		t.Fatal("stage 3 did not copy the source's remaining files")
	}
	// FULL=1 compares everything.
	os.Remove(filepath.Join(mirror, filepath.FromSlash(planted)))
	cmd := exec.Command(filepath.Join(testenv.RepoRoot(t), "scripts", "mirror-sync.sh"), src, mirror)
	cmd.Env = append(os.Environ(), "STAGE=1", "FULL=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("FULL=1: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(mirror, filepath.FromSlash(planted))); err != nil {
		t.Fatal("FULL=1 stage 1 did not compare all of o/")
	}
}

// TestMirrorSyncPages checks stage 2's short path for the HTML pages: a
// mirror holding the previous listing copies only the pages whose listing
// line changed (an unlisted file planted in the source stays behind), the
// new listing pages and the listing, and verifies; FULL=1 compares all.
func TestMirrorSyncPages(t *testing.T) {
	testenv.Tool(t, "rsync")
	k := newTestKey(t, "test.example")
	src, mirror := t.TempDir(), t.TempDir()
	m := copyModel(small())
	pages := map[string]string{}
	for i := range 3500 {
		pages[fmt.Sprintf("src/p%04d.html", i)] = fmt.Sprintf("<h1>page %d</h1>\n", i)
	}
	pages["src/with space.html"] = "<p>a page whose name has a space</p>\n"
	write := func(serial uint64) {
		t.Helper()
		files := map[string]Ref{}
		for p, c := range pages {
			dst := filepath.Join(src, "www", filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if old, err := os.ReadFile(dst); err != nil || string(old) != c {
				if err := os.WriteFile(dst, []byte(c), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			files[p] = Ref{Sum([]byte(c)), int64(len(c))}
		}
		if err := WriteTree(src, PagesTree, files, k.signer, "test.example", serial); err != nil {
			t.Fatal(err)
		}
	}
	publish(t, src, m, k, t0, PublishOptions{})
	write(1)
	runSync(t, src, mirror, "all")
	mustVerify(t, mirror, k.verifiers)

	planted := filepath.Join(src, "www", "planted.html")
	if err := os.WriteFile(planted, []byte("not in any listing"), 0o644); err != nil {
		t.Fatal(err)
	}
	pages["src/p0042.html"] = "<h1>page 42, changed</h1>\n"
	pages["src/with space.html"] = "<p>changed too</p>\n"
	pages["src/new.html"] = "<h1>new</h1>\n"
	m.Answers["component"][small().Components[0]] = []byte(`{"round":2}`)
	publish(t, src, m, k, t0.Add(time.Hour), PublishOptions{})
	write(2)
	os.Remove(planted) // verify of the source must pass
	mustVerify(t, src, k.verifiers)
	if err := os.WriteFile(planted, []byte("not in any listing"), 0o644); err != nil {
		t.Fatal(err)
	}
	runSync(t, src, mirror, "1")
	runSync(t, src, mirror, "2")
	if _, err := os.Stat(filepath.Join(mirror, "www", "planted.html")); err == nil {
		t.Fatal("stage 2 compared every page although the listings were there")
	}
	if rep := mustVerify(t, mirror, k.verifiers); rep.Index.Serial != 2 {
		t.Fatalf("mirror at serial %d, want 2", rep.Index.Serial)
	}
	for _, p := range []string{"src/p0042.html", "src/with space.html", "src/new.html"} {
		b, err := os.ReadFile(filepath.Join(mirror, "www", filepath.FromSlash(p)))
		if err != nil || string(b) != pages[p] {
			t.Errorf("mirror's %s: %q %v", p, b, err)
		}
	}
	cmd := exec.Command(filepath.Join(testenv.RepoRoot(t), "scripts", "mirror-sync.sh"), src, mirror)
	cmd.Env = append(os.Environ(), "STAGE=2", "FULL=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("FULL=1: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(mirror, "www", "planted.html")); err != nil {
		t.Fatal("FULL=1 stage 2 did not compare every page")
	}
}
