package pages_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator"
	"github.com/distmeta/distmeta/generator/config"
	"github.com/distmeta/distmeta/generator/pages"
	"github.com/distmeta/distmeta/generator/world"
	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/site"
)

var (
	worldOnce  sync.Once
	worldFiles map[string][]byte
	worldErr   error
)

// smallWorld generates a world of scale small (seed 1), builds and
// publishes its answers, reads them back from the published site and
// renders the pages: once for all the tests of the package.
func smallWorld(t *testing.T) map[string][]byte {
	t.Helper()
	if testing.Short() {
		t.Skip("generating a world takes a while; skipped with -short")
	}
	worldOnce.Do(func() {
		worldFiles, worldErr = buildWorld()
	})
	if worldErr != nil {
		t.Fatal(worldErr)
	}
	return worldFiles
}

func buildWorld() (map[string][]byte, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "pages-world-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	w, err := world.Generate(world.Scales["small"], 1)
	if err != nil {
		return nil, err
	}
	if err := w.Write(ctx, filepath.Join(dir, "w"), world.WriteOptions{}); err != nil {
		return nil, err
	}
	key := filepath.Join(dir, "signer.key")
	if _, err := site.GenerateKey(rand.Reader, "pages.test", key); err != nil {
		return nil, err
	}
	cfg, err := config.Load(filepath.Join(dir, "w", "distmeta.yaml"))
	if err != nil {
		return nil, err
	}
	cfg.Key, cfg.Mirrors = key, ""
	if _, err := generator.Build(ctx, cfg, generator.Options{Now: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
		return nil, err
	}
	docs, err := loadSite(cfg.Out)
	if err != nil {
		return nil, err
	}
	return pages.Render(ctx, docs, pages.Options{})
}

// TestWorldPages checks every page of a generated world: well-formed and
// every link resolves.
func TestWorldPages(t *testing.T) {
	files := smallWorld(t)
	n := 0
	for _, p := range pages.Paths(files) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		n++
		if err := checkHTML(string(files[p])); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if err := checkLinks(p, string(files[p]), files); err != nil {
			t.Error(err)
		}
	}
	if n < 600 {
		t.Errorf("%d pages, want the 200 components, 480 packages and more of a small world", n)
	}
}

// TestXmllint runs libxml2's HTML parser over a sample of pages; it knows
// no HTML5 element names, so only other complaints count.
func TestXmllint(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	files := render(t, fixture(t), pages.Options{})
	dir := t.TempDir()
	var args []string
	for _, p := range pages.Paths(files) {
		if strings.HasSuffix(p, ".html") {
			fp := filepath.Join(dir, strings.ReplaceAll(p, "/", "_"))
			if err := os.WriteFile(fp, files[p], 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, fp)
		}
	}
	out, _ := exec.Command(xmllint, append([]string{"--html", "--noout"}, args...)...).CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.Contains(line, "error") || strings.Contains(line, "invalid") && strings.Contains(line, "Tag ") {
			continue
		}
		t.Error(line)
	}
}

// chromium runs headless Chromium on url with extra flags and returns its
// standard output.
func chromium(t *testing.T, url string, extra ...string) []byte {
	t.Helper()
	bin := testenv.Tool(t, "chromium")
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + t.TempDir(),
		"--window-size=1280,1600"}, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v", url, err)
	}
	return out
}

func serve(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		if strings.HasPrefix(r.URL.Path, "/") && p == "" {
			p = "index.html"
		}
		b, ok := files[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, p, time.Time{}, strings.NewReader(string(b)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestChromium loads pages of the generated world in headless Chromium:
// the screenshots are produced and not blank, and the search box fills its
// result list for a query passed in the address. Set
// DISTMETA_SCREENSHOTS to a folder to keep the screenshots.
func TestChromium(t *testing.T) {
	testenv.Tool(t, "chromium")
	files := smallWorld(t)
	srv := serve(t, files)
	shots := os.Getenv("DISTMETA_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	for _, p := range []string{"index.html", "src/glibc.html"} {
		png := filepath.Join(shots, strings.ReplaceAll(strings.TrimSuffix(p, ".html"), "/", "_")+".png")
		chromium(t, srv.URL+"/"+p, "--screenshot="+png)
		if err := checkNotBlank(png); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	dom := string(chromium(t, srv.URL+"/src/bash.html#q=glib", "--virtual-time-budget=5000", "--dump-dom"))
	if !strings.Contains(dom, `href="../src/glibc.html"`) || !strings.Contains(dom, `href="../pkg/glibc-common.html"`) {
		t.Errorf("the search for glib did not list glibc and glibc-common:\n%s", excerpt(dom, `id="results"`))
	}
}

func excerpt(s, at string) string {
	i := strings.Index(s, at)
	if i < 0 {
		return s[:min(len(s), 2000)]
	}
	return s[i:min(len(s), i+2000)]
}
