package templates

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
)

//go:embed html/*.html
var htmlFS embed.FS

//go:embed assets
var assetFS embed.FS

// Parse parses every page template with funcs available to them. Each
// page kind is a template named after it ("index", "src", "pkg", "mod",
// "compose", "variant", "list"); they share "head" and "foot".
func Parse(funcs template.FuncMap) (*template.Template, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(htmlFS, "html/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	return t, nil
}

// Assets returns the static files of the site (style sheet, scripts) by
// their path under the site root ("assets/style.css").
func Assets() (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("templates: assets: %w", err)
	}
	return out, nil
}

// Names lists the page templates, sorted.
func Names() []string {
	ents, _ := fs.ReadDir(htmlFS, "html")
	var out []string
	for _, e := range ents {
		n := strings.TrimSuffix(e.Name(), ".html")
		if n != "layout" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
