package pages_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator/pages"
)

// BenchmarkRenderPublishedSite renders the answers of a published site
// folder ($DISTMETA_PAGES_SITE) into $DISTMETA_PAGES_OUT (when set) and
// reports the time and size: a measurement on real answers, for example
// the Fedora-sized world's site.
func BenchmarkRenderPublishedSite(b *testing.B) {
	t := b
	dir := os.Getenv("DISTMETA_PAGES_SITE")
	if dir == "" {
		b.Skip("set DISTMETA_PAGES_SITE to a published site")
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

// BenchmarkUpdatePublishedSite renders the answers of a published site
// folder ($DISTMETA_PAGES_SITE) once, then measures an update after a
// change to one source answer (what a push changes), the common
// incremental case.
func BenchmarkUpdatePublishedSite(b *testing.B) {
	dir := os.Getenv("DISTMETA_PAGES_SITE")
	if dir == "" {
		b.Skip("set DISTMETA_PAGES_SITE to a published site")
	}
	docs, err := loadSite(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range pages.Paths(map[string][]byte{"src": nil, "status": nil, "pkg": nil}) {
		n := 0
		for _, d := range docs[k] {
			n += len(d)
		}
		b.Logf("%s: %d answers, %d bytes", k, len(docs[k]), n)
	}
	ctx := context.Background()
	full, err := pages.Update(ctx, docs, pages.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var name string
	for n := range docs["src"] {
		name = n
		break
	}
	orig := docs["src"][name]
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Another (still valid) document each time: a trailing space.
		docs["src"][name] = append(append([]byte(nil), orig...), make([]byte, i%2+1)...)
		for j := len(orig); j < len(docs["src"][name]); j++ {
			docs["src"][name][j] = ' '
		}
		res, err := pages.Update(ctx, docs, pages.Options{}, full.State)
		if err != nil {
			b.Fatal(err)
		}
		if res.Rendered != 2 {
			b.Fatalf("rendered %v", res.Updated)
		}
	}
}
