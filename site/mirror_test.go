package site

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
