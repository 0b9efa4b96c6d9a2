// Package mirrortest serves distmeta sites to dmq's tests, the way
// net/http/httptest serves handlers: an in-memory mirror with fault
// injection, a real nginx on 127.0.0.1 running docs/nginx.conf.example, a
// server that accepts and never answers, a forger that re-signs a
// tampered site (a compromised publisher), and a generated world published
// by the distmeta binary.
package mirrortest

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/site"
)

// Mem is an in-memory mirror: a map from site path to bytes, with hooks
// to break it.
type Mem struct {
	mu    sync.Mutex
	files map[string][]byte
	// Fault, when set, may replace what a fetch returns (b is the stored
	// content, nil when missing).
	Fault func(p string, b []byte) ([]byte, error)
	gets  map[string]int
}

// NewMem returns an empty in-memory mirror.
func NewMem() *Mem { return &Mem{files: map[string][]byte{}, gets: map[string]int{}} }

// LoadDir returns an in-memory copy of the site in dir.
func LoadDir(t testing.TB, dir string) *Mem {
	t.Helper()
	m := NewMem()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(filepath.Base(rel), ".") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m.files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Put sets a file.
func (m *Mem) Put(p string, b []byte) {
	m.mu.Lock()
	m.files[p] = b
	m.mu.Unlock()
}

// Get returns a file.
func (m *Mem) Get(p string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[p]
	return b, ok
}

// Delete removes a file.
func (m *Mem) Delete(p string) {
	m.mu.Lock()
	delete(m.files, p)
	m.mu.Unlock()
}

// Clone returns a copy (without hooks).
func (m *Mem) Clone() *Mem {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := NewMem()
	for k, v := range m.files {
		c.files[k] = v
	}
	return c
}

// Gets returns how many times p was fetched.
func (m *Mem) Gets(p string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gets[p]
}

// Fetch implements site.Fetcher.
func (m *Mem) Fetch(ctx context.Context, p string, maxSize int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	b, ok := m.files[p]
	m.gets[p]++
	fault := m.Fault
	m.mu.Unlock()
	if fault != nil {
		var err error
		if b, err = fault(p, b); err != nil {
			return nil, err
		}
		ok = b != nil
	}
	if !ok {
		return nil, fmt.Errorf("%s: %w", p, site.ErrNotFound)
	}
	if int64(len(b)) > maxSize {
		return b[:maxSize+1], &site.IntegrityError{Path: p, WantSize: maxSize, GotSize: int64(len(b)), Err: site.ErrTooLarge}
	}
	return append([]byte(nil), b...), nil
}

// WriteDir writes the mirror's files under dir.
func (m *Mem) WriteDir(t testing.TB, dir string) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for p, b := range m.files {
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Nginx is a running nginx serving one folder.
type Nginx struct {
	URL       string
	AccessLog string
}

// StartNginx runs nginx as the current user on 127.0.0.1 with the server
// block of docs/nginx.conf.example serving root, until the test ends.
// With plain, root is served as plain static files instead (for an rpm-md
// repository). The access log records body bytes sent.
func StartNginx(t testing.TB, root string, plain bool) *Nginx {
	t.Helper()
	nginx := testenv.Tool(t, "nginx")
	port := freePort(t)
	var server string
	if plain {
		server = fmt.Sprintf("server {\n listen 127.0.0.1:%d;\n root %s;\n}\n", port, root)
	} else {
		example, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "docs", "nginx.conf.example"))
		if err != nil {
			t.Fatal(err)
		}
		server = strings.Replace(string(example), "listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", port), 1)
		server = strings.Replace(server, "root /srv/distmeta;", "root "+root+";", 1)
		if server == string(example) {
			t.Fatal("docs/nginx.conf.example: listen/root lines not found")
		}
	}
	prefix := t.TempDir()
	conf := fmt.Sprintf(`daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 256; }
http {
    log_format bytes '$request_uri $status $body_bytes_sent $bytes_sent';
    access_log %[1]s/access.log bytes;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    default_type application/octet-stream;
    types { text/html html; text/css css; application/json json; application/xml xml; }
%[2]s
}
`, prefix, server)
	cf := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
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
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return &Nginx{URL: fmt.Sprintf("http://127.0.0.1:%d", port), AccessLog: filepath.Join(prefix, "access.log")}
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
	t.Fatalf("nginx did not start:\n%s", log)
	return nil
}

// BytesSent sums the body bytes of the access log's lines whose request
// starts with prefix ("" for all), and counts them.
func (n *Nginx) BytesSent(t testing.TB, prefix string) (requests int, bytes int64) {
	t.Helper()
	b, err := os.ReadFile(n.AccessLog)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || !strings.HasPrefix(f[0], prefix) {
			continue
		}
		var sent int64
		fmt.Sscan(f[2], &sent)
		requests++
		bytes += sent
	}
	return requests, bytes
}

// Stall starts a TCP server on 127.0.0.1 that accepts connections and
// never answers; it returns its http:// URL.
func Stall(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "http://" + l.Addr().String()
}

// Handler serves a Mem over HTTP (for tests that need a mirror to
// misbehave on the wire, e.g. a truncated body).
func Handler(m *Mem) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := m.Fetch(r.Context(), strings.TrimPrefix(r.URL.Path, "/"), site.MaxObjectSize)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	})
}
