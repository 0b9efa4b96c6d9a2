package serve

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestHeaders(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "o", "ab"), 0o755)
	os.WriteFile(filepath.Join(dir, "o", "ab", "abcd"), []byte("obj"), 0o644)
	os.WriteFile(filepath.Join(dir, "index"), []byte("idx"), 0o644)
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	cases := []struct {
		path, cache string
		status      int
	}{
		{"/o/ab/abcd", "public, max-age=31536000, immutable", 200},
		{"/index", "public, max-age=60", 200},
		{"/o/ab/missing", "", 404}, // a 404 must not be cached as immutable
	}
	for _, c := range cases {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("Cache-Control") != c.cache {
			t.Errorf("%s: %d %q, want %d %q", c.path, resp.StatusCode, resp.Header.Get("Cache-Control"), c.status, c.cache)
		}
	}
	resp, err := http.Post(srv.URL+"/index", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}
