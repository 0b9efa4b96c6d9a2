package collect

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/site"
	"github.com/distmeta/distmeta/site/answers"
)

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadBuilds(t *testing.T) {
	good := `{"id":1,"kind":"rpm","nvr":"a-1-1.fc40","component":"a","branch":"f40","source":"git+https://x/rpms/a.git#0123","state":"building","started":"2024-01-02T00:00:00Z"}

{"id":2,"kind":"module","nsvc":"m:1:2:c","component":"m","branch":"1","source":"","state":"complete","started":"2024-01-01T00:00:00Z","finished":"2024-01-01T01:00:00Z"}
{"id":1,"kind":"rpm","nvr":"a-1-1.fc40","component":"a","branch":"f40","source":"git+https://x/rpms/a.git#0123","state":"complete","started":"2024-01-02T00:00:00Z","finished":"2024-01-02T00:30:00Z"}
`
	bs, err := ReadBuilds(write(t, "b.jsonl", good))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].Name() != "m:1:2:c" || bs[1].State != "complete" || bs[1].Commit() != "0123" {
		t.Fatalf("builds = %+v", bs)
	}
	bad := []struct{ line, err string }{
		{`{"id":1`, "b.jsonl:2: unexpected EOF"},
		{`{"id":1,"kind":"srpm","component":"a","state":"complete","started":"2024-01-02T00:00:00Z"}`, `b.jsonl:2: kind "srpm"`},
		{`{"id":1,"kind":"rpm","nvr":"a","component":"a","state":"done","started":"2024-01-02T00:00:00Z"}`, `b.jsonl:2: state "done"`},
		{`{"id":1,"kind":"rpm","nvr":"a","component":"a","state":"complete"}`, "b.jsonl:2: build without started time"},
		{`{"id":1,"kind":"rpm","nvr":"a","component":"a","state":"complete","started":"2024-01-02T00:00:00Z","color":"red"}`, `b.jsonl:2: json: unknown field "color"`},
		{`{"id":1,"kind":"rpm","component":"a","state":"complete","started":"2024-01-02T00:00:00Z"}`, "b.jsonl:2: rpm build without nvr"},
		{`{} {}`, "b.jsonl:2: more than one JSON value"},
	}
	for _, b := range bad {
		_, err := ReadBuilds(write(t, "b.jsonl", "\n"+b.line+"\n"))
		if err == nil || !strings.Contains(err.Error(), b.err) {
			t.Errorf("%s: err = %v, want %q", b.line, err, b.err)
		}
	}
	if bs, err := ReadBuilds(""); err != nil || bs != nil {
		t.Errorf("no feed: %v %v", bs, err)
	}
}

func TestReadResults(t *testing.T) {
	rs, err := ReadResults(write(t, "r.jsonl", `{"item":"a-1-1","type":"koji_build","testcase":"t","outcome":"PASSED","time":"2024-01-01T00:00:00Z"}`+"\n"))
	if err != nil || len(rs) != 1 || rs[0].Outcome != "PASSED" {
		t.Fatalf("%v %v", rs, err)
	}
	if _, err := ReadResults(write(t, "r.jsonl", "\n\n{\"item\":\"a\"}\n")); err == nil || !strings.Contains(err.Error(), "r.jsonl:3:") {
		t.Errorf("err = %v", err)
	}
}

func TestReadMirrorList(t *testing.T) {
	ms, err := ReadMirrorList(write(t, "m.txt", "# comment\nhttps://a.example.org/dm\n\n  mirrors/b  \n"))
	if err != nil || len(ms) != 2 || ms[1] != "mirrors/b" {
		t.Fatalf("%v %v", ms, err)
	}
	if _, err := ReadMirrorList(write(t, "m.txt", "a b\n")); err == nil || !strings.Contains(err.Error(), "m.txt:1:") {
		t.Errorf("err = %v", err)
	}
}

// TestReadMirror publishes a tiny site into a folder and reads it back as
// a mirror: serial, creation time and the compose it carries; a missing
// mirror and one signed by another key are unknown, not errors.
func TestReadMirror(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "key")
	vkey, err := site.GenerateKey(rand.Reader, "test.example.org", keyPath)
	if err != nil {
		t.Fatal(err)
	}
	skey, _ := os.ReadFile(keyPath)
	derived, err := VerifierKey(string(skey))
	if err != nil || derived != vkey {
		t.Fatalf("VerifierKey = %q, %v; want %q", derived, err, vkey)
	}
	signer, err := site.LoadSigner(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	m := site.Model{Answers: map[string]map[string][]byte{
		answers.KindCompose: {answers.LatestCompose: []byte(`{"schema":"distmeta.compose/1","id":"Fedora-40-20241229.0"}`)},
	}}
	mirror := filepath.Join(dir, "mirror")
	if _, err := site.Publish(context.Background(), mirror, m, signer, site.PublishOptions{Now: now}); err != nil {
		t.Fatal(err)
	}
	vs, err := site.NewVerifiers(vkey)
	if err != nil {
		t.Fatal(err)
	}
	got := ReadMirrors(context.Background(), []string{"mirror", "absent"}, dir, vs, 5*time.Second)
	if got[0].Err != nil || got[0].Index.Serial != 1 || got[0].Compose != "Fedora-40-20241229.0" || !got[0].Index.Created.Equal(now) {
		t.Errorf("mirror = %+v", got[0])
	}
	if got[1].Err == nil || got[1].Index != nil {
		t.Errorf("absent mirror = %+v", got[1])
	}
	other, err := site.GenerateKey(rand.Reader, "test.example.org", filepath.Join(dir, "key2"))
	if err != nil {
		t.Fatal(err)
	}
	vs2, _ := site.NewVerifiers(other)
	if st := ReadMirror(context.Background(), site.DirFetcher(mirror), "mirror", vs2); st.Err == nil {
		t.Errorf("index signed by another key accepted: %+v", st)
	}
}

func TestVerifierKeyMalformed(t *testing.T) {
	for _, k := range []string{"", "PRIVATE+KEY+x", "PUBLIC+KEY+a+b+c", "PRIVATE+KEY+a+b+!!!"} {
		if _, err := VerifierKey(k); err == nil {
			t.Errorf("VerifierKey(%q) accepted", k)
		}
	}
}

func FuzzReadBuilds(f *testing.F) {
	f.Add(`{"id":1,"kind":"rpm","nvr":"a-1-1","component":"a","branch":"f40","source":"x#1","state":"complete","started":"2024-01-02T00:00:00Z"}`)
	f.Fuzz(func(t *testing.T, line string) {
		p := filepath.Join(t.TempDir(), "b.jsonl")
		if err := os.WriteFile(p, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		bs, err := ReadBuilds(p)
		if err == nil {
			for _, b := range bs {
				if b.Component == "" || b.Name() == "" {
					t.Fatalf("accepted a build without component or name: %+v", b)
				}
			}
		}
	})
}

func TestReadFeedsCache(t *testing.T) {
	state := t.TempDir()
	b := write(t, "b.jsonl", `{"id":1,"kind":"rpm","nvr":"a-1-1","component":"a","branch":"f40","source":"x#1","state":"complete","started":"2024-01-02T00:00:00Z"}`+"\n")
	f, cached, err := ReadFeeds(b, "", state)
	if err != nil || cached || len(f.Builds) != 1 {
		t.Fatalf("first: %+v %v %v", f, cached, err)
	}
	f, cached, err = ReadFeeds(b, "", state)
	if err != nil || !cached || len(f.Builds) != 1 || f.Builds[0].NVR != "a-1-1" {
		t.Fatalf("second: %+v %v %v", f, cached, err)
	}
	if err := os.WriteFile(b, []byte("{\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadFeeds(b, "", state); err == nil || !strings.Contains(err.Error(), "b.jsonl:1") {
		t.Fatalf("changed feed not re-read: %v", err)
	}
}
