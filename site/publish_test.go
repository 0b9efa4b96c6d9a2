package site

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestPublishVerifyRead(t *testing.T) {
	k := newTestKey(t, "test.example")
	m := copyModel(small())
	dir := t.TempDir()
	res := publish(t, dir, m, k, t0, PublishOptions{})
	if res.Index.Serial != 1 || !res.Index.Prev.IsZero() {
		t.Fatalf("first index: serial %d prev %v", res.Index.Serial, res.Index.Prev)
	}
	rep := mustVerify(t, dir, k.verifiers)
	if rep.Checked < 10 {
		t.Fatalf("checked only %d files", rep.Checked)
	}
	// Every answer reads back byte-equal (modulo JSON compaction, which
	// the synthetic answers already are).
	f := DirFetcher(dir)
	for kind, as := range m.Answers {
		keys := make([]string, 0, len(as))
		for key := range as {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for i, key := range keys {
			if i%37 != 0 {
				continue
			}
			got, ok, err := ReadAnswer(context.Background(), f, res.Index, kind, key)
			if err != nil || !ok {
				t.Fatalf("ReadAnswer(%s, %s): %v %v", kind, key, ok, err)
			}
			if string(got) != string(as[key]) {
				t.Fatalf("ReadAnswer(%s, %s) = %.80s, want %.80s", kind, key, got, as[key])
			}
		}
		if _, ok, err := ReadAnswer(context.Background(), f, res.Index, kind, "no-such-key"); ok || err != nil {
			t.Fatalf("missing key: found=%v err=%v", ok, err)
		}
	}
	for p, want := range m.Files {
		got, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || string(got) != string(want) {
			t.Fatalf("file %s: %q %v", p, got, err)
		}
	}

	// A second publish of a changed model follows the first.
	m.Answers["binary"]["extra-pkg"] = []byte(`{"name":"extra-pkg"}`)
	res2 := publish(t, dir, m, k, t0.Add(1e9*3600), PublishOptions{})
	if res2.Index.Serial != 2 || res2.Index.Prev != res.Index.Digest {
		t.Fatalf("second index: serial %d prev %v, want 2 %v", res2.Index.Serial, res2.Index.Prev, res.Index.Digest)
	}
	if res2.ObjectsKept == 0 || res2.ObjectsWritten > 6 {
		t.Fatalf("incremental publish wrote %d objects, kept %d", res2.ObjectsWritten, res2.ObjectsKept)
	}
	mustVerify(t, dir, k.verifiers)
	got, ok, err := ReadAnswer(context.Background(), f, res2.Index, "binary", "extra-pkg")
	if err != nil || !ok {
		t.Fatalf("new answer: %v %v", ok, err)
	}
	var v map[string]string
	if json.Unmarshal(got, &v); v["name"] != "extra-pkg" {
		t.Fatalf("new answer = %s", got)
	}
}

func TestPublishRejectsBadInput(t *testing.T) {
	k := newTestKey(t, "test.example")
	for name, m := range map[string]Model{
		"not json":  {Answers: map[string]map[string][]byte{"binary": {"a": []byte("{")}}},
		"bad kind":  {Answers: map[string]map[string][]byte{"Bad Kind": {"a": []byte("{}")}}},
		"bad path":  {Files: map[string][]byte{"../etc/passwd": []byte("x")}},
		"store dir": {Files: map[string][]byte{"o/aa/bb": []byte("x")}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Publish(context.Background(), t.TempDir(), m, k.signer, PublishOptions{Now: t0})
			if err == nil {
				t.Fatal("Publish accepted bad input")
			}
		})
	}
	if _, err := Publish(context.Background(), t.TempDir(), Model{}, k.signer, PublishOptions{}); err == nil {
		t.Fatal("Publish without Now succeeded")
	}
}

func TestPublishDeterministic(t *testing.T) {
	k := newTestKey(t, "test.example")
	m := copyModel(small())
	a, b := t.TempDir(), t.TempDir()
	publish(t, a, m, k, t0, PublishOptions{Concurrency: 1})
	publish(t, b, m, k, t0, PublishOptions{Concurrency: 4})
	ha, hb := treeHash(t, a), treeHash(t, b)
	if ha != hb {
		t.Fatalf("two publishes of one model differ: %s vs %s", ha, hb)
	}
	// And the second publish over the same model only adds index files.
	before := treeHash(t, a)
	res := publish(t, a, m, k, t0, PublishOptions{})
	if res.ObjectsWritten != 0 {
		t.Fatalf("republishing an unchanged model wrote %d objects", res.ObjectsWritten)
	}
	if treeHash(t, a) == before {
		t.Fatal("republish did not add a new index")
	}
}

func TestPublishLock(t *testing.T) {
	k := newTestKey(t, "test.example")
	dir := t.TempDir()
	unlock, err := lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Publish(context.Background(), dir, copyModel(small()), k.signer, PublishOptions{Now: t0})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second publisher: got %v, want ErrLocked", err)
	}
	if _, err := GC(dir, GCOptions{Now: t0}); !errors.Is(err, ErrLocked) {
		t.Fatalf("gc during publish: got %v, want ErrLocked", err)
	}
	unlock()
	publish(t, dir, copyModel(small()), k, t0, PublishOptions{})
}

// TestPublishGroupsKeys checks the key grouping: a kind whose keys are
// the branches of repositories is published with GroupDir, so each
// repository's answers share one bucket, and every answer reads back; a
// kind whose keys share one huge directory is hashed whole.
func TestPublishGroupsKeys(t *testing.T) {
	k := newTestKey(t, "test.example")
	m := Model{Answers: map[string]map[string][]byte{"history": {}, "cap": {}}}
	for i := 0; i < 300; i++ {
		for _, br := range []string{"f39", "f40", "rawhide"} {
			key := fmt.Sprintf("rpms/pkg%03d/%s", i, br)
			m.Answers["history"][key] = []byte(fmt.Sprintf(`{"repo":"rpms/pkg%03d","branch":%q}`, i, br))
		}
		key := fmt.Sprintf("/usr/bin/tool%03d", i)
		m.Answers["cap"][key] = []byte(fmt.Sprintf(`{"name":%q}`, key))
	}
	dir := t.TempDir()
	res := publish(t, dir, m, k, t0, PublishOptions{BucketSize: 4 << 10})
	mustVerify(t, dir, k.verifiers)
	for kind, want := range map[string]string{"history": GroupDir, "cap": GroupNone} {
		root, err := ParseRootManifest(must(os.ReadFile(filepath.Join(dir, filepath.FromSlash(res.Index.Root.Digest.ManifestPath())))))
		if err != nil {
			t.Fatal(err)
		}
		kr := root.Kinds[kind]
		km, err := ParseKindManifest(must(os.ReadFile(filepath.Join(dir, filepath.FromSlash(kr.Manifest.Digest.ManifestPath())))))
		if err != nil {
			t.Fatal(err)
		}
		if km.Group != want {
			t.Errorf("kind %s: group %q, want %q", kind, km.Group, want)
		}
		if km.Buckets < 4 {
			t.Errorf("kind %s: %d buckets, want several", kind, km.Buckets)
		}
	}
	km := &KindManifest{Buckets: 17, Group: GroupDir}
	if km.Bucket("rpms/pkg007/f39") != km.Bucket("rpms/pkg007/rawhide") {
		t.Error("the branches of one repository are in different buckets")
	}
	for _, key := range []string{"rpms/pkg007/f40", "rpms/pkg299/rawhide", "/usr/bin/tool123"} {
		kind := "history"
		if key[0] == '/' {
			kind = "cap"
		}
		a, found, err := ReadAnswer(context.Background(), DirFetcher(dir), res.Index, kind, key)
		if err != nil || !found || !bytes.Equal(a, m.Answers[kind][key]) {
			t.Errorf("ReadAnswer(%s, %s) = %s, %v, %v", kind, key, a, found, err)
		}
	}
	if _, err := ParseKindManifest([]byte(`{"format":"distmeta-kind/1","kind":"x","buckets":1,"keys":0,"group":"prefix","objects":[{"d":"sha256:` + strings.Repeat("0", 64) + `","n":3,"u":3,"e":"raw"}]}`)); err == nil {
		t.Error("ParseKindManifest accepted an unknown grouping")
	}
}
