// Package serve is a small static file server for a published site, with
// the caching headers a mirror should send: objects and manifests are
// content-addressed and immutable, the signed index changes on every
// publish and is cached briefly.
package serve

import (
	"net/http"
	"path"
	"strings"
)

// Handler serves the site folder dir.
func Handler(dir string) http.Handler {
	fs := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		h := w.Header()
		switch {
		case strings.HasPrefix(p, "/o/") || strings.HasPrefix(p, "/m/"):
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
			h.Set("Content-Type", "application/octet-stream")
		case p == "/index" || strings.HasPrefix(p, "/index.d/"):
			h.Set("Cache-Control", "public, max-age=60")
			h.Set("Content-Type", "text/plain; charset=utf-8")
		case strings.HasSuffix(p, ".xml.gz"):
			h.Set("Content-Type", "application/gzip")
			h.Set("Cache-Control", "public, max-age=300")
		default:
			h.Set("Cache-Control", "public, max-age=300")
		}
		fs.ServeHTTP(w, r)
	})
}
