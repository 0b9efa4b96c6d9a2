package pages_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator/pages"
)

// TestRenderPublishedSite renders the answers of a published site folder
// ($DISTMETA_PAGES_SITE) into $DISTMETA_PAGES_OUT (when set) and reports
// the time and size: a development and measurement aid, skipped without
// the variable.
func TestRenderPublishedSite(t *testing.T) {
	dir := os.Getenv("DISTMETA_PAGES_SITE")
	if dir == "" {
		t.Skip("DISTMETA_PAGES_SITE is not set")
	}
	t0 := time.Now()
	docs, err := loadSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d kinds in %v", len(docs), time.Since(t0))
	t1 := time.Now()
	files, err := pages.Render(context.Background(), docs, pages.Options{Gzip: os.Getenv("DISTMETA_PAGES_GZIP") != ""})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(t1)
	var total int64
	for _, b := range files {
		total += int64(len(b))
	}
	t.Logf("rendered %d files, %d bytes, in %v", len(files), total, took)
	out := os.Getenv("DISTMETA_PAGES_OUT")
	if out == "" {
		return
	}
	for p, b := range files {
		fp := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fp, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
