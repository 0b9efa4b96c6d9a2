package site

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

var errInjected = errors.New("injected failure")

// TestPublishKilledAtEachStage stops a publish after each stage and checks
// that the site still verifies: the previous index with all it references
// before the index is renamed, the new one after.
func TestPublishKilledAtEachStage(t *testing.T) {
	k := newTestKey(t, "test.example")
	sm := small()
	base := t.TempDir()
	first := publish(t, base, copyModel(sm), k, t0, PublishOptions{})
	changed := copyModel(sm)
	changed.Answers["binary"]["zz-new"] = []byte(`{"name":"zz-new"}`)
	changed.Answers["component"]["zz-new"] = []byte(`{"name":"zz-new"}`)
	changed.Files["comps/Everything.xml"] = []byte("<comps><group><id>changed</id></group></comps>\n")
	for _, stage := range []Stage{StageObjects, StageManifests, StageHistory, StageIndex, StageFiles} {
		t.Run(stage.String(), func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, base, dir)
			_, err := Publish(context.Background(), dir, changed, k.signer, PublishOptions{Now: t0.Add(time.Hour), BucketSize: 16 << 10, PageSize: 8,
				AfterStage: func(s Stage) error {
					if s == stage {
						return errInjected
					}
					return nil
				}})
			if !errors.Is(err, errInjected) {
				t.Fatalf("Publish: %v", err)
			}
			rep, err := Verify(context.Background(), dir, k.verifiers)
			if err != nil {
				t.Fatal(err)
			}
			wantSerial := uint64(1)
			if stage >= StageIndex {
				wantSerial = 2
			}
			if rep.Index == nil || rep.Index.Serial != wantSerial {
				t.Fatalf("index after a failure in %s: %+v, want serial %d", stage, rep.Index, wantSerial)
			}
			for _, p := range rep.Problems {
				// Between the index and the copies, the copy at a well-known
				// path is still the old one: the only allowed problem.
				if stage == StageIndex && p.Path == "comps/Everything.xml" {
					continue
				}
				t.Errorf("problem after a failure in %s: %v", stage, p)
			}
			if stage < StageIndex && rep.Index.Digest != first.Index.Digest {
				t.Fatal("previous index changed")
			}
			// A rerun completes the site.
			publish(t, dir, changed, k, t0.Add(2*time.Hour), PublishOptions{})
			mustVerify(t, dir, k.verifiers)
		})
	}
}

// TestHelperPublisher is run as a subprocess by TestPublishSIGKILL.
func TestHelperPublisher(t *testing.T) {
	dir := os.Getenv("DISTMETA_TEST_PUBLISH_DIR")
	if dir == "" {
		return // only does something as TestPublishSIGKILL's subprocess
	}
	s, err := LoadSigner(os.Getenv("DISTMETA_TEST_PUBLISH_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	m := copyModel(small())
	m.Answers["binary"]["zz-gen"] = []byte(fmt.Sprintf(`{"gen":%q}`, os.Getenv("DISTMETA_TEST_PUBLISH_GEN")))
	for i := 0; i < 3; i++ {
		if _, err := Publish(context.Background(), dir, m, s, PublishOptions{Now: t0.Add(time.Duration(i) * time.Hour), BucketSize: 16 << 10, PageSize: 8}); err != nil {
			t.Fatal(err)
		}
		m.Answers["component"]["zz-gen"] = []byte(fmt.Sprintf(`{"round":%d}`, i))
	}
}

// TestPublishSIGKILL kills a publishing subprocess at random points; after
// each kill the site verifies (every object of the current index present).
func TestPublishSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	k := newTestKey(t, "test.example")
	keyFile := filepath.Join(t.TempDir(), "signer")
	os.WriteFile(keyFile, []byte(k.skey), 0o600)
	dir := t.TempDir()
	publish(t, dir, copyModel(small()), k, t0, PublishOptions{})
	exe, _ := os.Executable()
	r := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	kills := 0
	for i := 0; i < 6; i++ {
		cmd := exec.Command(exe, "-test.run=^TestHelperPublisher$", "-test.count=1")
		cmd.Env = append(os.Environ(), "DISTMETA_TEST_PUBLISH_DIR="+dir, "DISTMETA_TEST_PUBLISH_KEY="+keyFile, fmt.Sprintf("DISTMETA_TEST_PUBLISH_GEN=%d", i))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(500+r.IntN(12000)) * time.Millisecond
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
		case err := <-done:
			if err != nil {
				t.Fatalf("helper publisher: %v", err)
			}
		}
		rep, err := Verify(context.Background(), dir, k.verifiers)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range rep.Problems {
			if p.Path == "comps/Everything.xml" || p.Path == "www/index.html" {
				continue // see TestPublishKilledAtEachStage: copies follow the index
			}
			t.Errorf("after kill %d at %v: %v", i, delay, p)
		}
		t.Logf("run %d: killed after %v: serial %d verifies", i, delay, rep.Index.Serial)
	}
	if rep, _ := Verify(context.Background(), dir, k.verifiers); rep.Index.Serial == 1 {
		t.Log("no helper got as far as a new index: kills all landed before the rename")
	}
	if kills == 0 {
		t.Log("no run was killed (machine fast); the stage test covers the same points")
	}
}

func TestGC(t *testing.T) {
	k := newTestKey(t, "test.example")
	sm := small()
	dir := t.TempDir()
	m := copyModel(sm)
	var idx []*Index
	for i := 0; i < 4; i++ {
		m.Answers["binary"][sm.Components[i*50]] = []byte(fmt.Sprintf(`{"round":%d}`, i))
		m.Files["comps/Everything.xml"] = []byte(fmt.Sprintf("<comps round=\"%d\"/>\n", i))
		res := publish(t, dir, m, k, t0.Add(time.Duration(i)*time.Hour), PublishOptions{})
		idx = append(idx, res.Index)
	}
	count := func() int {
		n := 0
		filepath.WalkDir(filepath.Join(dir, "o"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return nil
		})
		return n
	}
	all := count()

	// Too young: nothing goes.
	res, err := GC(dir, GCOptions{Keep: 2, OlderThan: time.Hour, Now: time.Now()})
	if err != nil || len(res.Removed) != 0 {
		t.Fatalf("gc of young files removed %d: %v", len(res.Removed), err)
	}
	res, err = GC(dir, GCOptions{Keep: 2, OlderThan: 0, Now: time.Now().Add(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) == 0 || count() != all-countObjects(res.Removed) {
		t.Fatalf("gc removed %v", res.Removed)
	}
	if fmt.Sprint(res.KeptIndexes) != "[4 3]" {
		t.Fatalf("kept indexes %v", res.KeptIndexes)
	}
	// Every file that the two kept indexes reference is still there.
	for _, ix := range idx[2:] {
		refs := &siteRefs{manifests: map[Digest]bool{}, objects: map[Digest]bool{}}
		if err := collectRefs(dir, ix, refs); err != nil {
			t.Fatalf("kept index %d lost a manifest: %v", ix.Serial, err)
		}
		for d := range refs.objects {
			if _, err := os.Stat(filepath.Join(dir, d.ObjectPath())); err != nil {
				t.Fatalf("kept index %d lost object %s", ix.Serial, d)
			}
		}
	}
	for _, p := range res.Removed {
		if _, ok := digestFromHex(filepath.Base(p)); !ok {
			t.Fatalf("removed a non-addressed file %s", p)
		}
	}
	mustVerify(t, dir, k.verifiers)
}

func countObjects(paths []string) int {
	n := 0
	for _, p := range paths {
		if len(p) > 2 && p[:2] == "o/" {
			n++
		}
	}
	return n
}
