package modulemd

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// ErrUnsupported is wrapped by errors for a document whose kind or version
// this package does not know (for example "modulemd" version 3000).
var ErrUnsupported = errors.New("unsupported document")

// Document is one document of a YAML stream, converted to this package's
// model. Exactly one group of fields is set, according to Kind.
type Document struct {
	Kind    string // KindStream, KindPackager, ...
	Version int    // the document's metadata version as written
	Number  int    // 1-based position in the YAML stream
	Line    int    // line where the document starts

	// Streams holds the stream of a modulemd v1/v2 or packager v2
	// document, or the streams a packager v3 document converts to.
	Streams []*Stream
	// Packager is the packager v3 document as written.
	Packager *PackagerV3
	// Defaults is a modulemd-defaults document, or the defaults that a
	// packager v3 document's default profiles stand for.
	Defaults     *Defaults
	Obsoletes    *Obsoletes
	Translations *Translations
}

// DocumentError reports a document that could not be read. The reader can
// go on with the next document.
type DocumentError struct {
	File    string // name given to the decoder
	Number  int    // 1-based document number
	Line    int    // line of the problem (or of the document start)
	Kind    string // document kind, when known
	Version int    // document version, when known
	Err     error
}

func (e *DocumentError) Error() string {
	what := ""
	if e.Kind != "" {
		what = fmt.Sprintf(" (%s v%d)", e.Kind, e.Version)
	}
	return fmt.Sprintf("%s: document %d%s: line %d: %v", e.File, e.Number, what, e.Line, e.Err)
}

func (e *DocumentError) Unwrap() error { return e.Err }

// Decoder reads the documents of a YAML stream one by one.
type Decoder struct {
	dec   *yaml.Decoder
	name  string
	n     int
	fatal error
}

// NewDecoder returns a decoder reading r; name (a file name) is used in
// errors.
func NewDecoder(r io.Reader, name string) *Decoder {
	return &Decoder{dec: yaml.NewDecoder(r), name: name}
}

// Next returns the next document, or io.EOF after the last one. A
// *DocumentError means that one document was bad and Next may be called
// again; any other error (broken YAML) ends the stream and is returned
// again by later calls.
func (d *Decoder) Next() (*Document, error) {
	if d.fatal != nil {
		return nil, d.fatal
	}
	var root yaml.Node
	if err := d.dec.Decode(&root); err != nil {
		if err == io.EOF {
			d.fatal = io.EOF
			return nil, io.EOF
		}
		d.fatal = fmt.Errorf("%s: document %d: %w", d.name, d.n+1, err)
		return nil, d.fatal
	}
	d.n++
	doc, err := decodeDocument(&root)
	if err != nil {
		de := &DocumentError{File: d.name, Number: d.n, Line: root.Line, Err: err}
		if doc != nil {
			de.Kind, de.Version = doc.Kind, doc.Version
		}
		var le *lineError
		if errors.As(err, &le) {
			de.Line, de.Err = le.Line, le.Err
		}
		return nil, de
	}
	doc.Number = d.n
	return doc, nil
}

// decodeDocument converts one YAML document. On error it may still return
// a Document with Kind and Version set, for the error message.
func decodeDocument(root *yaml.Node) (*Document, error) {
	n := root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) != 1 {
			return nil, errAt(n, "empty document")
		}
		n = deref(n.Content[0])
	}
	if n == nil || n.Kind != yaml.MappingNode {
		if n == nil {
			n = root
		}
		return nil, errAt(n, "document is %s, not a mapping", kindName(n))
	}
	doc := &Document{Line: n.Line}
	var data *yaml.Node
	var versionNode *yaml.Node
	err := eachKey(n, "document", func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "document":
			doc.Kind, err = str(v, "document")
		case "version":
			versionNode = v
			s, err := str(v, "version")
			if err != nil {
				return err
			}
			ver, err := strconv.Atoi(s)
			if err != nil || ver < 0 {
				return errAt(v, "version: want a number, got %q", s)
			}
			doc.Version = ver
		case "data":
			data = v
		}
		return err
	})
	if err != nil {
		return doc, err
	}
	if doc.Kind == "" {
		return doc, errAt(n, "no \"document\" key")
	}
	if versionNode == nil {
		return doc, errAt(n, "no \"version\" key")
	}
	supported := map[string][]int{
		KindStream:       {1, 2},
		KindPackager:     {2, 3},
		KindDefaults:     {1},
		KindObsoletes:    {1},
		KindTranslations: {1},
	}
	versions, ok := supported[doc.Kind]
	if !ok {
		return doc, errAt(n, "unknown document kind %q: %w", doc.Kind, ErrUnsupported)
	}
	known := false
	for _, v := range versions {
		known = known || v == doc.Version
	}
	if !known {
		return doc, errAt(versionNode, "%s version %d: %w", doc.Kind, doc.Version, ErrUnsupported)
	}
	if data == nil || isNull(data) {
		return doc, errAt(n, "no \"data\" mapping")
	}
	if data.Kind != yaml.MappingNode {
		return doc, errAt(data, "data: want a mapping, got %s", kindName(data))
	}
	switch doc.Kind {
	case KindStream, KindPackager:
		if doc.Kind == KindPackager && doc.Version == 3 {
			p, err := parsePackagerV3(data)
			if err != nil {
				return doc, err
			}
			doc.Packager = p
			doc.Streams = p.Streams()
			doc.Defaults = p.DefaultsDocument()
			return doc, nil
		}
		format := formatStreamV2
		switch {
		case doc.Kind == KindPackager:
			format = formatPackagerV2
		case doc.Version == 1:
			format = formatStreamV1
		}
		s, err := parseStream(data, format)
		if err != nil {
			return doc, err
		}
		doc.Streams = []*Stream{s}
	case KindDefaults:
		doc.Defaults, err = parseDefaults(data)
	case KindObsoletes:
		doc.Obsoletes, err = parseObsoletes(data)
	case KindTranslations:
		doc.Translations, err = parseTranslations(data)
	}
	return doc, err
}

// Index groups the documents of one or more YAML streams by module, like
// libmodulemd's ModuleIndex.
type Index struct {
	Modules map[string]*Module
	// Documents counts the documents read by kind and version as written,
	// e.g. "modulemd v2" or "modulemd-packager v3".
	Documents map[string]int
}

// Module is everything an index holds about one module name.
type Module struct {
	Name         string
	Streams      []*Stream
	Defaults     *Defaults
	Obsoletes    []*Obsoletes
	Translations []*Translations
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{Modules: map[string]*Module{}, Documents: map[string]int{}}
}

func (x *Index) module(name string) *Module {
	m := x.Modules[name]
	if m == nil {
		m = &Module{Name: name}
		x.Modules[name] = m
	}
	return m
}

// Add files a document under its module. A stream without a module or
// stream name gets libmodulemd's generated one (__unnamed_module_N,
// __unnamed_stream_N). A later stream with the same NSVCA, or later
// defaults for the same module, replace earlier ones.
func (x *Index) Add(doc *Document) {
	x.Documents[fmt.Sprintf("%s v%d", doc.Kind, doc.Version)]++
	for _, s := range doc.Streams {
		if s.Name == "" {
			s.Name = fmt.Sprintf("__unnamed_module_%d", len(x.Modules)+1)
		}
		if s.Stream == "" {
			s.Stream = fmt.Sprintf("__unnamed_stream_%d", len(x.Modules)+1)
		}
		m := x.module(s.Name)
		replaced := false
		for i, old := range m.Streams {
			if old.NSVCA() == s.NSVCA() {
				m.Streams[i], replaced = s, true
			}
		}
		if !replaced {
			m.Streams = append(m.Streams, s)
		}
	}
	if doc.Defaults != nil {
		x.module(doc.Defaults.Module).Defaults = doc.Defaults
	}
	if doc.Obsoletes != nil {
		m := x.module(doc.Obsoletes.Module)
		m.Obsoletes = append(m.Obsoletes, doc.Obsoletes)
	}
	if doc.Translations != nil {
		m := x.module(doc.Translations.Module)
		m.Translations = append(m.Translations, doc.Translations)
	}
}

// ModuleNames returns the module names in order.
func (x *Index) ModuleNames() []string { return sortedKeys(x.Modules) }

// Streams returns every stream, ordered by module name and NSVCA.
func (x *Index) Streams() []*Stream {
	var out []*Stream
	for _, name := range x.ModuleNames() {
		out = append(out, sortedStreams(x.Modules[name].Streams)...)
	}
	return out
}

// ReadAll reads every document of r into an index and stops at the first
// bad one. name (a file name) is used in errors.
func ReadAll(r io.Reader, name string) (*Index, error) {
	x := NewIndex()
	d := NewDecoder(r, name)
	for {
		doc, err := d.Next()
		if err == io.EOF {
			return x, nil
		}
		if err != nil {
			return nil, err
		}
		x.Add(doc)
	}
}

// ReadAllLenient reads every document of r it can, as libmodulemd does
// with a repository's modules.yaml: bad documents are skipped and returned
// as failures. The error is non-nil only when the YAML itself is broken;
// the index then holds the documents read before the break.
func ReadAllLenient(r io.Reader, name string) (*Index, []*DocumentError, error) {
	x := NewIndex()
	d := NewDecoder(r, name)
	var failures []*DocumentError
	for {
		doc, err := d.Next()
		if err == io.EOF {
			return x, failures, nil
		}
		var de *DocumentError
		if errors.As(err, &de) {
			failures = append(failures, de)
			continue
		}
		if err != nil {
			return x, failures, err
		}
		x.Add(doc)
	}
}
