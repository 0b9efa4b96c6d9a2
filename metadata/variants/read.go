package variants

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxSize is the largest variants file Read accepts.
const MaxSize = 16 << 20

// Open reads the variants file at path.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses a variants file from r. name identifies the input in errors
// and is the base that a relative comps path is resolved against.
func Read(r io.Reader, name string) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	if len(data) > MaxSize {
		return nil, &Error{File: name, Err: fmt.Errorf("larger than %d bytes", MaxSize)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Err: errors.New("empty file: want a mapping with a variants list")}
		}
		return nil, yamlError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{File: name, Line: extra.Line, Err: errors.New("more than one YAML document")}
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	p := &parser{file: &File{Name: name}}
	if err := p.top(&doc); err != nil {
		var le *lineError
		if errors.As(err, &le) {
			return nil, &Error{File: name, Line: le.line, Err: le.err}
		}
		return nil, &Error{File: name, Err: err}
	}
	return p.file, nil
}

// yamlError turns a yaml.v3 error into an *Error carrying its line.
func yamlError(name string, err error) error {
	line := yamlErrorLine(err)
	msg := err.Error()
	if line > 0 {
		msg = strings.TrimPrefix(msg, fmt.Sprintf("yaml: line %d: ", line))
	}
	return &Error{File: name, Line: line, Err: fmt.Errorf("bad YAML: %s", msg)}
}

// yamlErrorLine digs the line out of a yaml.v3 error message
// ("yaml: line 12: ..."), 0 when there is none.
func yamlErrorLine(err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	_, rest, ok := strings.Cut(msg, "line ")
	if !ok {
		return 0
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	n, _ := strconv.Atoi(rest[:end])
	return n
}

type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

func errAt(n *yaml.Node, format string, args ...any) error {
	return &lineError{line: n.Line, err: fmt.Errorf(format, args...)}
}

type parser struct {
	file *File
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "a scalar"
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	return "an unknown node"
}

// field is one key of a mapping with its value.
type field struct {
	key   *yaml.Node
	value *yaml.Node
}

// fields checks that n is a mapping with only the allowed keys, each at
// most once, and returns its fields by key.
func fields(n *yaml.Node, what string, allowed ...string) (map[string]field, error) {
	if n.Kind == yaml.AliasNode {
		return nil, errAt(n, "%s: YAML aliases are not supported", what)
	}
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n, "%s: want a mapping, found %s", what, kindName(n))
	}
	out := make(map[string]field, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, errAt(k, "%s: want a string key, found %s", what, kindName(k))
		}
		if v.Kind == yaml.AliasNode {
			return nil, errAt(v, "%s: %s: YAML aliases are not supported", what, k.Value)
		}
		known := false
		for _, a := range allowed {
			if k.Value == a {
				known = true
				break
			}
		}
		if !known {
			return nil, errAt(k, "%s: unknown key %q (want one of %s)", what, k.Value, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, errAt(k, "%s: key %q given twice", what, k.Value)
		}
		out[k.Value] = field{k, v}
	}
	return out, nil
}

// str returns a scalar's value; null and empty values are errors when
// required.
func str(f field, what string, required bool) (string, error) {
	v := f.value
	if v == nil {
		if required {
			return "", fmt.Errorf("%s: missing", what)
		}
		return "", nil
	}
	if v.Kind != yaml.ScalarNode {
		return "", errAt(v, "%s: want a string, found %s", what, kindName(v))
	}
	if v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
		if required {
			return "", errAt(v, "%s: empty", what)
		}
		return "", nil
	}
	return v.Value, nil
}

// name checks an identifier: non-empty and free of white space and
// control characters.
func name(v *yaml.Node, what string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", errAt(v, "%s: want a string, found %s", what, kindName(v))
	}
	if v.Tag == "!!null" || v.Value == "" {
		return "", errAt(v, "%s: empty", what)
	}
	if i := strings.IndexFunc(v.Value, func(r rune) bool { return r <= ' ' || r == 0x7f }); i >= 0 {
		return "", errAt(v, "%s %q contains white space or a control character", what, v.Value)
	}
	return v.Value, nil
}

// list returns the items of a sequence (a missing field is an empty list).
func list(f field, what string) ([]*yaml.Node, error) {
	if f.value == nil || (f.value.Kind == yaml.ScalarNode && f.value.Tag == "!!null") {
		return nil, nil
	}
	if f.value.Kind != yaml.SequenceNode {
		return nil, errAt(f.value, "%s: want a list, found %s", what, kindName(f.value))
	}
	for _, it := range f.value.Content {
		if it.Kind == yaml.AliasNode {
			return nil, errAt(it, "%s: YAML aliases are not supported", what)
		}
	}
	return f.value.Content, nil
}

// names reads a list of identifiers, rejecting duplicates.
func names(f field, what string) ([]Ref, error) {
	items, err := list(f, what)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Ref
	for _, it := range items {
		id, err := name(it, what+" entry")
		if err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, errAt(it, "%s: %q listed twice", what, id)
		}
		seen[id] = true
		out = append(out, Ref{ID: id, Line: it.Line})
	}
	return out, nil
}

func displayOrder(f field, what string) (int, error) {
	if f.value == nil {
		return 0, nil
	}
	v := f.value
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || n < 1 {
		return 0, errAt(v, "%s: display_order must be a positive integer, found %q", what, v.Value)
	}
	return n, nil
}

func (p *parser) top(doc *yaml.Node) error {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return errAt(doc, "want a mapping with a variants list")
	}
	fs, err := fields(doc.Content[0], "top level", "comps", "variants")
	if err != nil {
		return err
	}
	if f, ok := fs["comps"]; ok {
		if p.file.Comps, err = str(f, "comps", true); err != nil {
			return err
		}
		p.file.CompsLine = f.value.Line
	}
	vf, ok := fs["variants"]
	if !ok {
		return errAt(doc.Content[0], "no variants list")
	}
	items, err := list(vf, "variants")
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return errAt(vf.value, "variants: empty list")
	}
	seen := map[string]int{}
	for _, it := range items {
		v, err := p.variant(it)
		if err != nil {
			return err
		}
		if prev, dup := seen[strings.ToLower(v.ID)]; dup {
			return errAt(it, "variant %q defined twice (first at line %d; ids are compared ignoring case, as they name files)", v.ID, prev)
		}
		seen[strings.ToLower(v.ID)] = v.Line
		p.file.Variants = append(p.file.Variants, *v)
	}
	return nil
}

// validVariantID reports whether id can name a file: letters, digits, '.',
// '_' and '-', not starting with '.'.
func validVariantID(id string) bool {
	if id == "" || id[0] == '.' {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (p *parser) variant(n *yaml.Node) (*Variant, error) {
	fs, err := fields(n, "variant", "id", "name", "description", "modules", "package_sets", "groups", "environments", "categories")
	if err != nil {
		return nil, err
	}
	idf, ok := fs["id"]
	if !ok {
		return nil, errAt(n, "variant: no id")
	}
	id, err := name(idf.value, "variant id")
	if err != nil {
		return nil, err
	}
	if !validVariantID(id) {
		return nil, errAt(idf.value, "variant id %q: use letters, digits, '.', '_' and '-' only, not starting with '.'", id)
	}
	v := &Variant{ID: id, Line: n.Line}
	what := fmt.Sprintf("variant %q", id)
	if v.Name, err = str(fs["name"], what+": name", false); err != nil {
		return nil, err
	}
	if v.Name == "" {
		v.Name = id
	}
	if v.Description, err = str(fs["description"], what+": description", false); err != nil {
		return nil, err
	}

	mods, err := list(fs["modules"], what+": modules")
	if err != nil {
		return nil, err
	}
	seenNS := map[string]int{}
	for _, it := range mods {
		if it.Kind != yaml.ScalarNode || it.Tag == "!!null" {
			return nil, errAt(it, "%s: modules: want a name:stream[/profile] string, found %s", what, kindName(it))
		}
		m, err := ParseModuleRef(it.Value)
		if err != nil {
			return nil, errAt(it, "%s: %v", what, err)
		}
		m.Line = it.Line
		if prev, dup := seenNS[m.NS()]; dup {
			return nil, errAt(it, "%s: module stream %s listed twice (first at line %d)", what, m.NS(), prev)
		}
		seenNS[m.NS()] = it.Line
		v.Modules = append(v.Modules, m)
	}

	sets, err := list(fs["package_sets"], what+": package_sets")
	if err != nil {
		return nil, err
	}
	seenSet := map[string]int{}
	for _, it := range sets {
		s, err := packageSet(it, what)
		if err != nil {
			return nil, err
		}
		if prev, dup := seenSet[s.ID]; dup {
			return nil, errAt(it, "%s: package set %q defined twice (first at line %d)", what, s.ID, prev)
		}
		seenSet[s.ID] = s.Line
		v.PackageSets = append(v.PackageSets, *s)
	}

	if v.Groups, err = names(fs["groups"], what+": groups"); err != nil {
		return nil, err
	}
	for _, g := range v.Groups {
		if prev, dup := seenSet[g.ID]; dup {
			return nil, &lineError{line: g.Line, err: fmt.Errorf("%s: group %q is also the id of the package set at line %d", what, g.ID, prev)}
		}
	}

	envs, err := list(fs["environments"], what+": environments")
	if err != nil {
		return nil, err
	}
	seenEnv := map[string]int{}
	for _, it := range envs {
		e, err := environment(it, what)
		if err != nil {
			return nil, err
		}
		if prev, dup := seenEnv[e.ID]; dup {
			return nil, errAt(it, "%s: environment %q listed twice (first at line %d)", what, e.ID, prev)
		}
		seenEnv[e.ID] = e.Line
		v.Environments = append(v.Environments, *e)
	}

	cats, err := list(fs["categories"], what+": categories")
	if err != nil {
		return nil, err
	}
	seenCat := map[string]int{}
	for _, it := range cats {
		c, err := category(it, what)
		if err != nil {
			return nil, err
		}
		if prev, dup := seenCat[c.ID]; dup {
			return nil, errAt(it, "%s: category %q listed twice (first at line %d)", what, c.ID, prev)
		}
		seenCat[c.ID] = c.Line
		v.Categories = append(v.Categories, *c)
	}
	return v, nil
}

func packageSet(n *yaml.Node, variant string) (*PackageSet, error) {
	fs, err := fields(n, variant+": package set", "id", "name", "description", "mandatory", "packages", "optional")
	if err != nil {
		return nil, err
	}
	idf, ok := fs["id"]
	if !ok {
		return nil, errAt(n, "%s: package set: no id", variant)
	}
	id, err := name(idf.value, variant+": package set id")
	if err != nil {
		return nil, err
	}
	s := &PackageSet{ID: id, Line: n.Line}
	what := fmt.Sprintf("%s: package set %q", variant, id)
	if s.Name, err = str(fs["name"], what+": name", false); err != nil {
		return nil, err
	}
	if s.Name == "" {
		s.Name = id
	}
	if s.Description, err = str(fs["description"], what+": description", false); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, kt := range []struct{ key, typ string }{{"mandatory", Mandatory}, {"packages", Default}, {"optional", Optional}} {
		refs, err := names(fs[kt.key], what+": "+kt.key)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			if prev, dup := seen[r.ID]; dup {
				return nil, &lineError{line: r.Line, err: fmt.Errorf("%s: package %q listed twice (first at line %d)", what, r.ID, prev)}
			}
			seen[r.ID] = r.Line
			s.Packages = append(s.Packages, Package{Name: r.ID, Type: kt.typ, Line: r.Line})
		}
	}
	if len(s.Packages) == 0 {
		return nil, errAt(n, "%s: no packages (give packages, mandatory or optional)", what)
	}
	return s, nil
}

func environment(n *yaml.Node, variant string) (*Environment, error) {
	if n.Kind == yaml.ScalarNode {
		id, err := name(n, variant+": environment")
		if err != nil {
			return nil, err
		}
		return &Environment{Ref: true, ID: id, Line: n.Line}, nil
	}
	fs, err := fields(n, variant+": environment", "id", "name", "description", "display_order", "groups", "options")
	if err != nil {
		return nil, err
	}
	idf, ok := fs["id"]
	if !ok {
		return nil, errAt(n, "%s: environment: no id", variant)
	}
	id, err := name(idf.value, variant+": environment id")
	if err != nil {
		return nil, err
	}
	e := &Environment{ID: id, Line: n.Line}
	what := fmt.Sprintf("%s: environment %q", variant, id)
	if e.Name, err = str(fs["name"], what+": name", false); err != nil {
		return nil, err
	}
	if e.Name == "" {
		e.Name = id
	}
	if e.Description, err = str(fs["description"], what+": description", false); err != nil {
		return nil, err
	}
	if e.DisplayOrder, err = displayOrder(fs["display_order"], what); err != nil {
		return nil, err
	}
	if e.Groups, err = names(fs["groups"], what+": groups"); err != nil {
		return nil, err
	}
	if len(e.Groups) == 0 {
		return nil, errAt(n, "%s: no groups", what)
	}
	if e.Options, err = names(fs["options"], what+": options"); err != nil {
		return nil, err
	}
	return e, nil
}

func category(n *yaml.Node, variant string) (*Category, error) {
	if n.Kind == yaml.ScalarNode {
		id, err := name(n, variant+": category")
		if err != nil {
			return nil, err
		}
		return &Category{Ref: true, ID: id, Line: n.Line}, nil
	}
	fs, err := fields(n, variant+": category", "id", "name", "description", "display_order", "groups")
	if err != nil {
		return nil, err
	}
	idf, ok := fs["id"]
	if !ok {
		return nil, errAt(n, "%s: category: no id", variant)
	}
	id, err := name(idf.value, variant+": category id")
	if err != nil {
		return nil, err
	}
	c := &Category{ID: id, Line: n.Line}
	what := fmt.Sprintf("%s: category %q", variant, id)
	if c.Name, err = str(fs["name"], what+": name", false); err != nil {
		return nil, err
	}
	if c.Name == "" {
		c.Name = id
	}
	if c.Description, err = str(fs["description"], what+": description", false); err != nil {
		return nil, err
	}
	if c.DisplayOrder, err = displayOrder(fs["display_order"], what); err != nil {
		return nil, err
	}
	if c.Groups, err = names(fs["groups"], what+": groups"); err != nil {
		return nil, err
	}
	if len(c.Groups) == 0 {
		return nil, errAt(n, "%s: no groups", what)
	}
	return c, nil
}
