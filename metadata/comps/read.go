package comps

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Error is a problem found while reading a comps document.
type Error struct {
	File    string // as given to Read
	Line    int    // 1-based; 0 when unknown
	Element string // element being read, "" when none
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Element != "" {
		fmt.Fprintf(&b, ": <%s>", e.Element)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Open reads the comps file at path. Gzip, zstd and xz compressed files
// (comps.xml.gz as found in repodata) are recognised by their magic bytes.
func Open(path string) (*Comps, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("comps: %w", err)
	}
	defer f.Close()
	r, closer, err := decompress(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("comps: %s: %w", path, err)
	}
	defer closer()
	return Read(r, path)
}

func decompress(br *bufio.Reader) (io.Reader, func(), error) {
	magic, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, zr.Close, nil
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		zr, err := xz.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("xz: %w", err)
		}
		return zr, func() {}, nil
	}
	return br, func() {}, nil
}

// Read parses a comps document from r. name identifies the input in errors.
func Read(r io.Reader, name string) (*Comps, error) {
	p := &parser{d: xml.NewDecoder(r), file: name, c: &Comps{}}
	if err := p.document(); err != nil {
		return nil, err
	}
	return p.c, nil
}

type parser struct {
	d    *xml.Decoder
	file string
	c    *Comps
}

func (p *parser) line() int {
	l, _ := p.d.InputPos()
	return l
}

func (p *parser) errorf(elem, format string, args ...any) error {
	return p.errorAt(p.line(), elem, format, args...)
}

func (p *parser) errorAt(line int, elem, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Element: elem, Err: fmt.Errorf(format, args...)}
}

// token returns the next token, turning decoder errors into *Error.
func (p *parser) token(elem string) (xml.Token, error) {
	tok, err := p.d.Token()
	if err == nil {
		return tok, nil
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return nil, &Error{File: p.file, Line: se.Line, Element: elem, Err: errors.New(se.Msg)}
	}
	if err == io.EOF {
		return nil, p.errorf(elem, "unexpected end of file")
	}
	return nil, &Error{File: p.file, Line: p.line(), Element: elem, Err: err}
}

func (p *parser) document() error {
	for {
		tok, err := p.token("")
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Err.Error() == "unexpected end of file" {
				e.Err = errors.New("no <comps> element")
			}
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "comps" {
				return p.errorf(se.Name.Local, "root element is not <comps>")
			}
			return p.comps()
		}
	}
}

// children calls fn for every child element of the element named parent,
// until its end tag. fn must consume the child through its end tag; it
// may call p.skip for elements it does not know.
func (p *parser) children(parent string, fn func(xml.StartElement) error) error {
	for {
		tok, err := p.token(parent)
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func (p *parser) skip(se xml.StartElement) error {
	return p.children(se.Name.Local, p.skip)
}

// text returns the character data of the current element, skipping any
// nested elements.
func (p *parser) text(elem string) (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := p.token(elem)
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				b.Write(t)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

func (p *parser) trimmed(elem string) (string, error) {
	s, err := p.text(elem)
	return strings.TrimSpace(s), err
}

func (p *parser) boolean(elem string) (bool, error) {
	s, err := p.trimmed(elem)
	if err != nil {
		return false, err
	}
	return p.parseBool(elem, s)
}

func (p *parser) parseBool(elem, s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "1":
		return true, nil
	case "false", "no", "0":
		return false, nil
	}
	return false, p.errorf(elem, "invalid boolean %q", s)
}

func (p *parser) displayOrder(elem string) (int, error) {
	s, err := p.trimmed(elem)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, p.errorf(elem, "invalid display_order %q", s)
	}
	return n, nil
}

func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name && (a.Name.Space == "" || name == "lang") {
			return a.Value, true
		}
	}
	return "", false
}

func lang(se xml.StartElement) string {
	for _, a := range se.Attr {
		if a.Name.Local == "lang" && (a.Name.Space == "xml" || a.Name.Space == "http://www.w3.org/XML/1998/namespace") {
			return a.Value
		}
	}
	return ""
}

func (p *parser) comps() error {
	return p.children("comps", func(se xml.StartElement) error {
		switch se.Name.Local {
		case "group":
			return p.group(se)
		case "category":
			return p.category(se)
		case "environment":
			return p.environment(se)
		case "langpacks":
			return p.children("langpacks", func(se xml.StartElement) error {
				if se.Name.Local != "match" {
					return p.skip(se)
				}
				n, _ := attr(se, "name")
				i, _ := attr(se, "install")
				p.c.Langpacks = append(p.c.Langpacks, Langpack{Name: n, Install: i})
				return p.skip(se)
			})
		case "blacklist":
			return p.children("blacklist", func(se xml.StartElement) error {
				if se.Name.Local != "package" {
					return p.skip(se)
				}
				n, _ := attr(se, "name")
				a, _ := attr(se, "arch")
				p.c.Blacklist = append(p.c.Blacklist, BlacklistPackage{Name: n, Arch: a})
				return p.skip(se)
			})
		case "whiteout":
			return p.children("whiteout", func(se xml.StartElement) error {
				if se.Name.Local != "ignoredep" {
					return p.skip(se)
				}
				pk, _ := attr(se, "package")
				rq, _ := attr(se, "requires")
				p.c.Whiteout = append(p.c.Whiteout, IgnoreDep{Package: pk, Requires: rq})
				return p.skip(se)
			})
		}
		return p.skip(se)
	})
}

// texts holds the id, names and descriptions shared by groups, categories
// and environments.
type texts struct {
	id, name, desc string
	names, descs   map[string]string
	hasID          bool
}

// common reads the elements shared by groups, categories and environments.
// It reports whether se was one of them.
func (p *parser) common(se xml.StartElement, t *texts) (bool, error) {
	elem := se.Name.Local
	var err error
	switch elem {
	case "id":
		t.id, err = p.trimmed(elem)
		t.hasID = true
	case "name", "_name", "description", "_description":
		var s string
		if s, err = p.text(elem); err != nil {
			return true, err
		}
		if strings.HasPrefix(elem, "_") {
			p.c.Intltool = true
		}
		l := lang(se)
		isName := strings.HasSuffix(elem, "name")
		switch {
		case l == "" && isName:
			t.name = s
		case l == "":
			t.desc = s
		case isName:
			if t.names == nil {
				t.names = map[string]string{}
			}
			t.names[l] = s
		default:
			if t.descs == nil {
				t.descs = map[string]string{}
			}
			t.descs[l] = s
		}
	default:
		return false, nil
	}
	return true, err
}

func (p *parser) group(start xml.StartElement) error {
	line := p.line()
	g := Group{UserVisible: true}
	g.Arch, _ = attr(start, "arch")
	g.Variant, _ = attr(start, "variant")
	var t texts
	err := p.children("group", func(se xml.StartElement) error {
		if ok, err := p.common(se, &t); ok {
			return err
		}
		elem := se.Name.Local
		var err error
		switch elem {
		case "default":
			g.Default, err = p.boolean(elem)
		case "uservisible":
			g.UserVisible, err = p.boolean(elem)
		case "biarchonly":
			g.BiarchOnly, err = p.boolean(elem)
		case "display_order":
			g.DisplayOrder, err = p.displayOrder(elem)
		case "langonly":
			g.LangOnly, err = p.trimmed(elem)
		case "packagelist":
			err = p.children(elem, func(se xml.StartElement) error {
				if se.Name.Local != "packagereq" {
					return p.skip(se)
				}
				pr, err := p.packageReq(se)
				if err != nil {
					return err
				}
				g.Packages = append(g.Packages, pr)
				return nil
			})
		default:
			err = p.skip(se)
		}
		return err
	})
	if err != nil {
		return err
	}
	if !t.hasID || t.id == "" {
		return p.errorAt(line, "group", "group without <id>")
	}
	g.ID, g.Name, g.Names, g.Description, g.Descriptions = t.id, t.name, t.names, t.desc, t.descs
	p.c.Groups = append(p.c.Groups, g)
	return nil
}

func (p *parser) packageReq(se xml.StartElement) (PackageReq, error) {
	var pr PackageReq
	const elem = "packagereq"
	if s, ok := attr(se, "type"); ok {
		pr.Type = PackageType(strings.TrimSpace(s))
		if !pr.Type.valid() || pr.Type == "" {
			return pr, p.errorf(elem, "unknown type %q", s)
		}
	}
	pr.Requires, _ = attr(se, "requires")
	pr.Arch, _ = attr(se, "arch")
	pr.Variant, _ = attr(se, "variant")
	if s, ok := attr(se, "basearchonly"); ok {
		b, err := p.parseBool(elem, s)
		if err != nil {
			return pr, err
		}
		pr.BasearchOnly = b
	}
	name, err := p.trimmed(elem)
	if err != nil {
		return pr, err
	}
	if name == "" {
		return pr, p.errorf(elem, "empty package name")
	}
	pr.Name = name
	return pr, nil
}

func (p *parser) groupList(parent string, alias string, dst *[]GroupID) error {
	return p.children(parent, func(se xml.StartElement) error {
		elem := se.Name.Local
		if elem != "groupid" && elem != alias {
			return p.skip(se)
		}
		var id GroupID
		id.Arch, _ = attr(se, "arch")
		if s, ok := attr(se, "default"); ok {
			b, err := p.parseBool(elem, s)
			if err != nil {
				return err
			}
			id.Default = b
		}
		name, err := p.trimmed(elem)
		if err != nil {
			return err
		}
		if name == "" {
			return p.errorf(elem, "empty group id")
		}
		id.Name = name
		*dst = append(*dst, id)
		return nil
	})
}

func (p *parser) category(start xml.StartElement) error {
	line := p.line()
	var k Category
	k.Arch, _ = attr(start, "arch")
	k.Variant, _ = attr(start, "variant")
	var t texts
	err := p.children("category", func(se xml.StartElement) error {
		if ok, err := p.common(se, &t); ok {
			return err
		}
		var err error
		switch se.Name.Local {
		case "display_order":
			k.DisplayOrder, err = p.displayOrder("display_order")
		case "grouplist":
			err = p.groupList("grouplist", "", &k.Groups)
		default:
			err = p.skip(se)
		}
		return err
	})
	if err != nil {
		return err
	}
	if !t.hasID || t.id == "" {
		return p.errorAt(line, "category", "category without <id>")
	}
	k.ID, k.Name, k.Names, k.Description, k.Descriptions = t.id, t.name, t.names, t.desc, t.descs
	p.c.Categories = append(p.c.Categories, k)
	return nil
}

func (p *parser) environment(start xml.StartElement) error {
	line := p.line()
	var e Environment
	e.Arch, _ = attr(start, "arch")
	e.Variant, _ = attr(start, "variant")
	var t texts
	err := p.children("environment", func(se xml.StartElement) error {
		if ok, err := p.common(se, &t); ok {
			return err
		}
		var err error
		switch se.Name.Local {
		case "display_order":
			e.DisplayOrder, err = p.displayOrder("display_order")
		case "grouplist":
			err = p.groupList("grouplist", "", &e.Groups)
		case "optionlist":
			// libcomps' test data spells some options <optionid>.
			err = p.groupList("optionlist", "optionid", &e.Options)
		default:
			err = p.skip(se)
		}
		return err
	})
	if err != nil {
		return err
	}
	if !t.hasID || t.id == "" {
		return p.errorAt(line, "environment", "environment without <id>")
	}
	e.ID, e.Name, e.Names, e.Description, e.Descriptions = t.id, t.name, t.names, t.desc, t.descs
	p.c.Environments = append(p.c.Environments, e)
	return nil
}
