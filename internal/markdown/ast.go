package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

func textReader(src []byte) text.Reader { return text.NewReader(src) }

// shiftHeadings moves every heading of doc offset levels down.
func shiftHeadings(doc ast.Node, offset int) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			h.Level = min(h.Level+offset, 6)
		}
		return ast.WalkContinue, nil
	})
}
