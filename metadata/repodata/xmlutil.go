package repodata

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// xmlNS is the namespace of xml:base.
const xmlNS = "http://www.w3.org/XML/1998/namespace"

// tokens wraps an xml.Decoder with the name of the file for errors. It
// reads repomd.xml; primary, filelists and other.xml go through the
// scanner (xmlscan.go), and legacy_test.go keeps their old readers on
// tokens as the scanner's reference.
type tokens struct {
	d    *xml.Decoder
	name string
}

func newTokens(r io.Reader, name string) *tokens {
	d := xml.NewDecoder(r)
	d.Strict = true
	// Repodata is UTF-8; accept the other labels libxml2 would only if
	// they are ASCII-compatible aliases.
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	return &tokens{d: d, name: name}
}

func (t *tokens) line() int {
	l, _ := t.d.InputPos()
	return l
}

// errorf returns an error naming the file and the current line.
func (t *tokens) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: line %d: %s", t.name, t.line(), fmt.Sprintf(format, args...))
}

// wrap names the file and line in a decoder error.
func (t *tokens) wrap(err error) error {
	if err == io.EOF {
		return fmt.Errorf("%s: line %d: %w", t.name, t.line(), io.ErrUnexpectedEOF)
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	return fmt.Errorf("%s: line %d: %w", t.name, t.line(), err)
}

// next returns the next token that is a start or end element, copying
// nothing.
func (t *tokens) next() (xml.Token, error) {
	for {
		tok, err := t.d.Token()
		if err != nil {
			return nil, err
		}
		switch tok.(type) {
		case xml.StartElement, xml.EndElement:
			return tok, nil
		}
	}
}

// root reads up to the root element and checks its name.
func (t *tokens) root(want string) (xml.StartElement, error) {
	for {
		tok, err := t.d.Token()
		if err == io.EOF {
			return xml.StartElement{}, fmt.Errorf("%s: no <%s> element: empty document", t.name, want)
		}
		if err != nil {
			return xml.StartElement{}, t.wrap(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != want {
				return se, t.errorf("root element is <%s>, want <%s>", se.Name.Local, want)
			}
			return se, nil
		}
	}
}

// text reads the character data of the current element up to its end,
// skipping nested elements.
func (t *tokens) text() (string, error) {
	var b []byte
	var s string
	n := 0
	for {
		tok, err := t.d.Token()
		if err != nil {
			return "", t.wrap(err)
		}
		switch tok := tok.(type) {
		case xml.CharData:
			// The common case is one chunk: avoid the extra copy.
			switch n {
			case 0:
				s = string(tok)
			case 1:
				b = append([]byte(s), tok...)
			default:
				b = append(b, tok...)
			}
			n++
		case xml.StartElement:
			if err := t.d.Skip(); err != nil {
				return "", t.wrap(err)
			}
		case xml.EndElement:
			if n > 1 {
				return string(b), nil
			}
			return s, nil
		}
	}
}

// skip skips the rest of the current element.
func (t *tokens) skip() error {
	if err := t.d.Skip(); err != nil {
		return t.wrap(err)
	}
	return nil
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space != xmlNS {
			return a.Value
		}
	}
	return ""
}

func hasAttr(se xml.StartElement, local string) bool {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space != xmlNS {
			return true
		}
	}
	return false
}

func xmlBase(se xml.StartElement) string {
	for _, a := range se.Attr {
		if a.Name.Local == "base" && (a.Name.Space == xmlNS || a.Name.Space == "xml") {
			return a.Value
		}
	}
	return ""
}

// intAttr parses an integer attribute; absent is 0.
func (t *tokens) intAttr(se xml.StartElement, local string) (int64, error) {
	v := attr(se, local)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, t.errorf("<%s %s=%q>: not an integer", se.Name.Local, local, v)
	}
	return n, nil
}

func (t *tokens) intText(se xml.StartElement) (int64, error) {
	v, err := t.text()
	if err != nil {
		return 0, err
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, t.errorf("<%s>%s</%s>: not an integer", se.Name.Local, v, se.Name.Local)
	}
	return n, nil
}

// lineErrorf returns an error naming the file and a given line.
func (t *tokens) lineErrorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s: line %d: %s", t.name, line, fmt.Sprintf(format, args...))
}
