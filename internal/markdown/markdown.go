package markdown

import (
	"bytes"
	"fmt"
	"io"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Converter turns Markdown into HTML.
type Converter interface {
	// Convert writes the HTML of src to w.
	Convert(src []byte, w io.Writer) error
}

// Options tune a converter.
type Options struct {
	// HeadingOffset shifts heading levels down (1: "# x" becomes <h2>),
	// so that text embedded in a page keeps the page's own <h1> first.
	// Levels are capped at 6.
	HeadingOffset int
}

// MaxInput caps the size of a document Convert accepts.
const MaxInput = 1 << 20

type converter struct {
	md     goldmark.Markdown
	offset int
}

// New returns a converter for GitHub-flavoured Markdown (tables,
// strikethrough, autolinks, task lists) that drops raw HTML. It is safe
// for concurrent use.
func New(opts Options) Converter {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
	)
	return &converter{md: md, offset: max(0, min(opts.HeadingOffset, 5))}
}

func (c *converter) Convert(src []byte, w io.Writer) error {
	if len(src) > MaxInput {
		return fmt.Errorf("markdown: %d bytes exceed the %d byte limit", len(src), MaxInput)
	}
	ctx := parser.NewContext()
	doc := c.md.Parser().Parse(textReader(src), parser.WithContext(ctx))
	if c.offset > 0 {
		shiftHeadings(doc, c.offset)
	}
	if err := c.md.Renderer().Render(w, src, doc); err != nil {
		return fmt.Errorf("markdown: %w", err)
	}
	return nil
}

var std = New(Options{})

// ToHTML converts src with the default converter.
func ToHTML(src []byte) (string, error) {
	var b bytes.Buffer
	if err := std.Convert(src, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}
