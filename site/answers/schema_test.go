package answers

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite docs/schemas from the Go types")

// schemaDir holds the published JSON schemas, one per kind.
const schemaDir = "../../docs/schemas"

// documents maps every kind to the Go type of its document.
var documents = map[string]any{
	KindPackage: Package{}, KindCapability: Capability{}, KindSource: Source{}, KindModule: Module{},
	KindCompose: Compose{}, KindVariant: Variant{}, KindImage: Image{}, KindHistory: History{},
	KindStatus: Status{}, KindMirrors: Mirrors{}, KindRebuild: RebuildGraph{},
}

// comments reads the doc comments of the types and fields of this package.
func comments(t *testing.T) map[string]string {
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, f := range []string{"types.go"} {
		file, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range gd.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok {
					continue
				}
				doc := gd.Doc
				if ts.Doc != nil {
					doc = ts.Doc
				}
				if doc != nil {
					out[ts.Name.Name] = clean(doc.Text())
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, fl := range st.Fields.List {
					text := ""
					if fl.Doc != nil {
						text = fl.Doc.Text()
					}
					if fl.Comment != nil {
						text = strings.TrimSpace(text + " " + fl.Comment.Text())
					}
					for _, n := range fl.Names {
						out[ts.Name.Name+"."+n.Name] = clean(text)
					}
				}
			}
		}
	}
	return out
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

type schemaGen struct {
	docs map[string]string
	defs map[string]any
}

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case reflect.TypeOf(time.Time{}):
		return map[string]any{"type": "string", "format": "date-time"}
	case reflect.TypeOf(json.RawMessage{}):
		return map[string]any{"description": "an embedded JSON document"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		if _, ok := g.defs[t.Name()]; !ok {
			g.defs[t.Name()] = nil // break cycles
			g.defs[t.Name()] = g.object(t)
		}
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	}
	panic("schema: unsupported type " + t.String())
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			s := g.schema(f.Type)
			if d := g.docs[t.Name()+"."+f.Name]; d != "" {
				s = merge(s, map[string]any{"description": d})
			}
			if t.Name() == "Header" && f.Name == "Schema" {
				s = merge(s, map[string]any{"pattern": `^distmeta\.[a-z]+/[0-9]+$`})
			}
			props[name] = s
			if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	o := map[string]any{"type": "object", "properties": props}
	if d := g.docs[t.Name()]; d != "" {
		o["description"] = d
	}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v // siblings of $ref are allowed in 2020-12
	}
	return out
}

// TestSchemas checks that docs/schemas holds, for every kind, the JSON
// schema derived from the Go type and its doc comments (go test -update
// rewrites them).
func TestSchemas(t *testing.T) {
	docs := comments(t)
	for kind, v := range documents {
		g := &schemaGen{docs: docs, defs: map[string]any{}}
		typ := reflect.TypeOf(v)
		root := g.object(typ)
		delete(g.defs, typ.Name())
		root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
		root["$id"] = "https://distmeta.example.org/schemas/" + kind + ".v1.json"
		root["title"] = Schema(kind)
		props := root["properties"].(map[string]any)
		props["schema"] = map[string]any{"const": Schema(kind), "description": "the kind and version of the document"}
		if len(g.defs) > 0 {
			root["$defs"] = g.defs
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(root); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(schemaDir, kind+".v1.schema.json")
		if *update {
			if err := os.MkdirAll(schemaDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(old, b.Bytes()) {
			t.Errorf("%s is out of date with the Go types: run go test ./site/answers -update", path)
		}
	}
}

// TestEveryKindHasSchema keeps Kinds and the schema list in step.
func TestEveryKindHasSchema(t *testing.T) {
	for _, k := range Kinds {
		if _, ok := documents[k]; !ok {
			t.Errorf("kind %s has no document type", k)
		}
	}
	if len(documents) != len(Kinds) {
		t.Errorf("%d documents, %d kinds", len(documents), len(Kinds))
	}
}
