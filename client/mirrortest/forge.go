package mirrortest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distmeta/distmeta/site"
	"golang.org/x/mod/sumdb/note"
)

// SignIndex signs ix in the index format of docs/site-format.md, as a
// publisher holding signer would, and returns the file's bytes.
func SignIndex(t testing.TB, signer note.Signer, ix site.Index) []byte {
	t.Helper()
	prev := "none"
	if !ix.Prev.IsZero() {
		prev = ix.Prev.String()
	}
	text := fmt.Sprintf("distmeta index v1\norigin %s\nserial %d\ncreated %s\nexpires %s\nroot %s %d\nprev %s\n",
		ix.Origin, ix.Serial, ix.Created.UTC().Format(time.RFC3339), ix.Expires.UTC().Format(time.RFC3339), ix.Root.Digest, ix.Root.Size, prev)
	b, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Index returns the mirror's current index, parsed without checking its
// signature.
func (m *Mem) Index(t testing.TB) *site.Index {
	t.Helper()
	b, ok := m.Get("index")
	if !ok {
		t.Fatal("mirror has no index")
	}
	ix, err := site.ParseIndexUnverified(b)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// Publish signs ix as the mirror's new index (index and index.d/<serial>)
// and returns its bytes.
func (m *Mem) Publish(t testing.TB, signer note.Signer, ix site.Index) []byte {
	t.Helper()
	b := SignIndex(t, signer, ix)
	m.Put("index", b)
	m.Put("index.d/"+strconv.FormatUint(ix.Serial, 10), b)
	return b
}

// Root returns the root manifest the mirror's index names.
func (m *Mem) Root(t testing.TB) *site.RootManifest {
	t.Helper()
	ix := m.Index(t)
	b, ok := m.Get(ix.Root.Digest.ManifestPath())
	if !ok {
		t.Fatal("root manifest missing")
	}
	r, err := site.ParseRootManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (m *Mem) putManifest(v any) site.Ref {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	b = append(b, '\n')
	d := site.Sum(b)
	m.Put(d.ManifestPath(), b)
	return site.Ref{Digest: d, Size: int64(len(b))}
}

// ReplaceBucket is a compromised publisher: it stores stored as the object
// of the bucket holding key in kind, declaring entry e (its digest and
// size are filled in from stored), rewrites the kind and root manifests
// and signs a new index (serial+1, created at now) with signer. It
// returns the entry it published.
func (m *Mem) ReplaceBucket(t testing.TB, signer note.Signer, kind, key string, stored []byte, e site.Entry, now time.Time) site.Entry {
	t.Helper()
	ix := m.Index(t)
	root := m.Root(t)
	kr, ok := root.Kinds[kind]
	if !ok {
		t.Fatalf("kind %s not published", kind)
	}
	b, _ := m.Get(kr.Manifest.Digest.ManifestPath())
	km, err := site.ParseKindManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	bucket, _, page := km.Locate(key)
	e.Digest, e.Size = site.Sum(stored), int64(len(stored))
	m.Put(e.Digest.ObjectPath(), stored)
	if page < 0 {
		km.Objects[bucket] = e
	} else {
		pb, _ := m.Get(km.Pages[page].Digest.ManifestPath())
		pm, err := site.ParsePageManifest(pb, km, page)
		if err != nil {
			t.Fatal(err)
		}
		pm.Objects[bucket-pm.First] = e
		km.Pages[page] = m.putManifest(pm)
	}
	kr.Manifest = m.putManifest(km)
	root.Kinds[kind] = kr
	next := site.Index{Origin: ix.Origin, Serial: ix.Serial + 1, Created: now, Expires: now.Add(7 * 24 * time.Hour),
		Root: m.putManifest(root), Prev: ix.Digest}
	m.Publish(t, signer, next)
	return e
}

// World is a generated world published by the distmeta binary.
type World struct {
	Dir      string // the world folder (distmeta.yaml, composes/, ...)
	Site     string // the published site
	KeyFile  string // verifier key file
	Signer   note.Signer
	Distmeta string // the distmeta binary
	// Created is when the site's index was published (SOURCE_DATE_EPOCH
	// 2025-01-01 when built here): clients must be given a reference time
	// within its validity.
	Created time.Time
}

var (
	worldOnce sync.Once
	world     *World
	worldErr  error
)

// SmallWorld returns a small generated world (seed 1) published once per
// test process: the distmeta binary is built, `distmeta world --scale
// small`, `keygen` and `build` are run. DMQ_TEST_WORLD names an existing
// world folder to reuse instead (with keys/signer.key, keys/verifier.key
// and site/). Tests must not modify it: copy it first.
func SmallWorld(t testing.TB) *World {
	t.Helper()
	worldOnce.Do(func() { world, worldErr = buildWorld() })
	if worldErr != nil {
		t.Fatal(worldErr)
	}
	return world
}

func buildWorld() (*World, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, fmt.Errorf("no repository root")
	}
	root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	if d := os.Getenv("DMQ_TEST_WORLD"); d != "" {
		return openWorld(d, "")
	}
	tmp, err := os.MkdirTemp("", "dmq-world-")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(tmp, "distmeta")
	run := func(name string, args ...string) ([]byte, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1735689600") // 2025-01-01
		out, err := cmd.Output()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				return nil, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, ee.Stderr)
			}
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return out, nil
	}
	if _, err := run("go", "build", "-o", bin, "./cmd/distmeta"); err != nil {
		return nil, err
	}
	w := filepath.Join(tmp, "world")
	if _, err := run(bin, "world", "--scale", "small", "--seed", "1", "--out", w); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(w, "keys"), 0o755); err != nil {
		return nil, err
	}
	vkey, err := run(bin, "keygen", "--out", filepath.Join(w, "keys", "signer.key"))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(w, "keys", "verifier.key"), vkey, 0o644); err != nil {
		return nil, err
	}
	if _, err := run(bin, "build", "--config", filepath.Join(w, "distmeta.yaml")); err != nil {
		return nil, err
	}
	return openWorld(w, bin)
}

func openWorld(dir, bin string) (*World, error) {
	w := &World{Dir: dir, Site: filepath.Join(dir, "site"), KeyFile: filepath.Join(dir, "keys", "verifier.key"), Distmeta: bin}
	s, err := site.LoadSigner(filepath.Join(dir, "keys", "signer.key"))
	if err != nil {
		return nil, err
	}
	w.Signer = s
	msg, err := os.ReadFile(filepath.Join(w.Site, "index"))
	if err != nil {
		return nil, fmt.Errorf("world %s: no published site: %v", dir, err)
	}
	ix, err := site.ParseIndexUnverified(msg)
	if err != nil {
		return nil, fmt.Errorf("world %s: %v", dir, err)
	}
	w.Created = ix.Created
	return w, nil
}

// VerifierKey returns the world's verifier key.
func (w *World) VerifierKey(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(w.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// RemoveWorld deletes the world SmallWorld built (not one named by
// DMQ_TEST_WORLD). Call it from TestMain after m.Run.
func RemoveWorld() {
	if world != nil && world.Distmeta != "" {
		os.RemoveAll(filepath.Dir(world.Dir))
	}
}
