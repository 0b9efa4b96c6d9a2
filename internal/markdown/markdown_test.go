package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestConvert(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		in     string
		want   []string // substrings of the output
		absent []string // substrings the output must not hold
	}{
		{name: "paragraph", in: "Hello *world*", want: []string{"<p>Hello <em>world</em></p>"}},
		{name: "heading offset", opts: Options{HeadingOffset: 1}, in: "# Title\n\n###### deep", want: []string{"<h2>Title</h2>", "<h6>deep</h6>"}, absent: []string{"<h1>", "<h7>"}},
		{name: "list and code", in: "- a\n- `b<c`\n", want: []string{"<li>a</li>", "<code>b&lt;c</code>"}},
		{name: "table", in: "| a | b |\n|---|---|\n| 1 | 2 |\n", want: []string{"<table>", "<td>1</td>"}},
		{name: "autolink", in: "see https://example.org/x", want: []string{`<a href="https://example.org/x">`}},
		{name: "raw html dropped", in: "<script>alert(1)</script>\n\nok <b onclick=x>bold</b>", want: []string{"raw HTML omitted", "ok"}, absent: []string{"<script", "onclick", "<b "}},
		{name: "javascript link dropped", in: "[x](javascript:alert(1)) [y](vbscript:z)", absent: []string{"javascript:", "vbscript:"}},
		{name: "attributes syntax not honoured", in: "# T {onclick=alert(1)}", absent: []string{"onclick=\""}},
		{name: "escaped text", in: `a & b < c "q"`, want: []string{"a &amp; b &lt; c &quot;q&quot;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := New(tt.opts).Convert([]byte(tt.in), &b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out, a) {
					t.Errorf("output holds %q:\n%s", a, out)
				}
			}
		})
	}
}

func TestConvertTooLarge(t *testing.T) {
	if _, err := ToHTML(bytes.Repeat([]byte("a"), MaxInput+1)); err == nil {
		t.Fatal("no error for an input over MaxInput")
	}
}

func TestConvertDeterministic(t *testing.T) {
	in := []byte("# a\n\n* b\n* c\n\n| x |\n|---|\n| y |\n")
	a, err := ToHTML(in)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, _ := ToHTML(in)
		if a != b {
			t.Fatalf("two conversions differ:\n%s\n%s", a, b)
		}
	}
}

// unsafeHTML matches what the output must never hold: a script, frame or
// object element, an event handler attribute inside a tag, a link or
// source with a script scheme.
var unsafeHTML = regexp.MustCompile(`<(script|iframe|object|embed|style)|<[a-z][^>]*\son[a-z]+\s*=|(href|src)\s*=\s*"\s*(javascript|vbscript):`)

func FuzzConvert(f *testing.F) {
	f.Add([]byte("# h\n\n*e* `c` [l](http://x)"))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := ToHTML(in)
		if err != nil {
			if len(in) > MaxInput {
				return
			}
			t.Fatal(err)
		}
		if m := unsafeHTML.FindString(strings.ToLower(out)); m != "" {
			t.Fatalf("output of %q holds %q: %s", in, m, out)
		}
	})
}
