package markdown_test

import (
	"fmt"

	"github.com/distmeta/distmeta/internal/markdown"
)

func ExampleToHTML() {
	html, err := markdown.ToHTML([]byte("The **bash** shell. <script>x()</script>"))
	if err != nil {
		panic(err)
	}
	fmt.Print(html)
	// Output:
	// <p>The <strong>bash</strong> shell. <!-- raw HTML omitted -->x()<!-- raw HTML omitted --></p>
}
