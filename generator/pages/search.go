package pages

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/distmeta/distmeta/site/answers"
)

// The search index is a script (so that it loads from file://, where a
// fetch of a JSON file is refused) that assigns one compact JSON object:
//
//	{"v":1,"kinds":[["src","src/","component"],...],
//	 "src":["bash",...], "mod":[["nodejs:18","mod/nodejs/18.html"],...]}
//
// An entry is a name whose page is <prefix><name>.html, or [name, path]
// when PathName changes the name.
const searchIndexPath = "search-index.js"

func (r *renderer) searchIndex(d *deps) ([]byte, error) {
	type kind struct {
		key, prefix, label string
		names              []string
		path               func(string) string
	}
	kinds := []kind{
		{"src", "src/", "component", r.w.keys(d, answers.KindSource), SrcPath},
		{"pkg", "pkg/", "package", r.w.keys(d, answers.KindPackage), PkgPath},
		{"mod", "mod/", "module", r.w.keys(d, answers.KindModule), func(k string) string { n, s, _ := strings.Cut(k, ":"); return ModPath(n, s) }},
	}
	var composes, variants []string
	composeList, _ := r.w.composeList(d)
	for _, c := range composeList {
		composes = append(composes, c.ID)
	}
	for _, v := range r.w.variantList(d) {
		variants = append(variants, v.ID)
	}
	kinds = append(kinds, kind{"compose", "compose/", "compose", composes, ComposePath}, kind{"variant", "variant/", "variant", variants, VariantPath})
	var b bytes.Buffer
	b.WriteString("window.distmetaIndex={\"v\":1,\"kinds\":[")
	for i, k := range kinds {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeJSON(&b, []string{k.key, k.prefix, k.label}); err != nil {
			return nil, err
		}
	}
	b.WriteString("]")
	for _, k := range kinds {
		b.WriteString(",\n")
		if err := writeJSON(&b, k.key); err != nil {
			return nil, err
		}
		b.WriteString(":[")
		for i, n := range k.names {
			if i > 0 {
				b.WriteByte(',')
			}
			var v any = n
			if p := k.path(n); p != k.prefix+n+".html" {
				v = []string{n, p}
			}
			if err := writeJSON(&b, v); err != nil {
				return nil, err
			}
		}
		b.WriteString("]")
	}
	b.WriteString("};\n")
	return b.Bytes(), nil
}

// writeJSON writes v with HTML-significant characters escaped (<, >, &
// as \u00XX), so that no name can close the script.
func writeJSON(b *bytes.Buffer, v any) error {
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(j)
	return nil
}
