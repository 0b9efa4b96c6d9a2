package site

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distmeta/distmeta/site/internal/synth"
	"golang.org/x/mod/sumdb/note"
)

var t0 = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

type testKey struct {
	signer    note.Signer
	verifiers note.Verifiers
	skey      string
	vkey      string
}

func newTestKey(t testing.TB, name string) testKey {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifiers(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{s, v, skey, vkey}
}

var (
	smallOnce  sync.Once
	smallModel *synth.Model
)

// small returns a shared synthetic model of 600 components, 1,700 binaries.
func small() *synth.Model {
	smallOnce.Do(func() { smallModel = synth.New(7, 600, 1700) })
	return smallModel
}

func copyModel(m *synth.Model) Model {
	out := Model{Answers: map[string]map[string][]byte{}, Files: map[string][]byte{
		"comps/Everything.xml": []byte("<comps>\n  <group><id>core</id></group>\n</comps>\n"),
		"www/index.html":       []byte("<!doctype html><title>distmeta</title>\n"),
	}}
	for k, as := range m.Answers {
		out.Answers[k] = map[string][]byte{}
		for key, a := range as {
			out.Answers[k][key] = a
		}
	}
	return out
}

func publish(t testing.TB, dir string, m Model, k testKey, now time.Time, opts PublishOptions) *PublishResult {
	t.Helper()
	opts.Now = now
	if opts.BucketSize == 0 {
		opts.BucketSize = 16 << 10
	}
	if opts.PageSize == 0 {
		opts.PageSize = 8
	}
	res, err := Publish(context.Background(), dir, m, k.signer, opts)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return res
}

func mustVerify(t testing.TB, dir string, v note.Verifiers) *Report {
	t.Helper()
	rep, err := Verify(context.Background(), dir, v)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		for _, p := range rep.Problems {
			t.Errorf("problem: %v", p)
		}
		t.FailNow()
	}
	return rep
}

// treeHash hashes every path and content under dir except dot files.
func treeHash(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		s := sha256.Sum256(b)
		lines = append(lines, filepath.ToSlash(rel)+" "+hex.EncodeToString(s[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	s := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(s[:])
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		q := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(q, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(q, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
