package site

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
)

// httpFetcher is a minimal Fetcher over HTTP (the client has the real one).
type httpFetcher struct {
	base string
	hdr  map[string]http.Header
}

func (h *httpFetcher) Fetch(ctx context.Context, p string, max int64) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", h.base+"/"+p, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == 404 {
		return nil, fmt.Errorf("%s: %w", p, ErrNotFound)
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s: %s", p, resp.Status)
	}
	h.hdr[p] = resp.Header
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &IntegrityError{Path: p, WantSize: max, GotSize: int64(len(b)), Err: ErrTooLarge}
	}
	return b, nil
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startNginx runs nginx as the current user on 127.0.0.1 with the server
// block of docs/nginx.conf.example serving root.
func startNginx(t *testing.T, root string) string {
	nginx := testenv.Tool(t, "nginx")
	example, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "docs", "nginx.conf.example"))
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	server := strings.Replace(string(example), "listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", port), 1)
	server = strings.Replace(server, "root /srv/distmeta;", "root "+root+";", 1)
	if server == string(example) {
		t.Fatal("docs/nginx.conf.example: listen/root lines not found")
	}
	prefix := t.TempDir()
	conf := fmt.Sprintf(`daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 64; }
http {
    access_log %[1]s/access.log;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    default_type application/octet-stream;
    types { text/html html; text/css css; application/json json; }
%[2]s
}
`, prefix, server)
	cf := filepath.Join(prefix, "nginx.conf")
	os.WriteFile(cf, []byte(conf), 0o644)
	cmd := exec.Command(nginx, "-p", prefix, "-c", cf, "-e", filepath.Join(prefix, "error.log"))
	out, _ := os.Create(filepath.Join(prefix, "stdout"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return base
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
	t.Fatalf("nginx did not start:\n%s", log)
	return ""
}

func TestNginxServesSite(t *testing.T) {
	k := newTestKey(t, "test.example")
	dir := t.TempDir()
	m := copyModel(small())
	m.Files["comps/Everything.xml.gz"] = []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	res := publish(t, dir, m, k, t0, PublishOptions{})
	base := startNginx(t, dir)
	f := &httpFetcher{base: base, hdr: map[string]http.Header{}}
	ctx := context.Background()

	msg, err := f.Fetch(ctx, "index", MaxIndexSize)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := VerifyIndex(msg, k.verifiers, TrustedIndex{}, t0.Add(time.Minute), Policy{Origin: "test.example"})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Digest != res.Index.Digest {
		t.Fatal("served index differs")
	}
	key := small().Components[3]
	got, ok, err := ReadAnswer(ctx, f, ix, "component", key)
	if err != nil || !ok || string(got) != string(m.Answers["component"][key]) {
		t.Fatalf("answer over HTTP: %v %v %.60s", ok, err, got)
	}
	if cc := f.hdr["index"].Get("Cache-Control"); !strings.Contains(cc, "max-age=60") || strings.Contains(cc, "immutable") {
		t.Errorf("index Cache-Control %q", cc)
	}
	var sawObject, sawManifest bool
	for p, h := range f.hdr {
		cc := h.Get("Cache-Control")
		switch {
		case strings.HasPrefix(p, "o/"):
			sawObject = true
			if cc != "public, max-age=31536000, immutable" || h.Get("Content-Type") != "application/octet-stream" {
				t.Errorf("%s: Cache-Control %q, Content-Type %q", p, cc, h.Get("Content-Type"))
			}
		case strings.HasPrefix(p, "m/"):
			sawManifest = true
			if cc != "public, max-age=31536000, immutable" || h.Get("Content-Type") != "application/octet-stream" {
				t.Errorf("%s: Cache-Control %q, Content-Type %q", p, cc, h.Get("Content-Type"))
			}
		}
	}
	if !sawObject || !sawManifest {
		t.Fatal("no object or manifest fetched")
	}
	// A .xml.gz is served as a gzip file, not as a content encoding.
	req, _ := http.NewRequest("GET", base+"/comps/Everything.xml.gz", nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "application/gzip" || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf(".xml.gz: Content-Type %q Content-Encoding %q", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"))
	}
	// The lock file is not served.
	if _, err := f.Fetch(ctx, ".lock", 10); err == nil {
		t.Error(".lock is served")
	}
}
