package pages

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestPathName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bash", "bash"},
		{"gcc-c++", "gcc-c++"},
		{"python3.12", "python3.12"},
		{"perl_Foo-Bar", "perl_Foo-Bar"},
		{"nodejs:18", "nodejs~3a18"},
		{"a/b", "a~2fb"},
		{"~x", "~7ex"},
		{".hidden", "~2ehidden"},
		{"..", "~2e."},
		{".", "~2e"},
		{"", "~"},
		{"a b", "a~20b"},
		{"R(ABI)", "R~28ABI~29"},
		{"é", "~c3~a9"},
		{"<script>", "~3cscript~3e"},
	}
	for _, tt := range tests {
		if got := PathName(tt.in); got != tt.want {
			t.Errorf("PathName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// unPathName inverts PathName for names it did not cut.
func unPathName(s string) (string, bool) {
	if s == "~" {
		return "", true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '~' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), true
}

func checkSegment(t *testing.T, name, seg string) {
	t.Helper()
	if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".") || strings.ContainsAny(seg, "/\\\x00:") {
		t.Fatalf("PathName(%q) = %q: not a safe file name", name, seg)
	}
	if len(seg) > maxSegment {
		t.Fatalf("PathName(%q) = %q: %d bytes, over %d", name, seg, len(seg), maxSegment)
	}
	for i := 0; i < len(seg); i++ {
		if c := seg[i]; !keep(c) && c != '~' {
			t.Fatalf("PathName(%q) = %q: byte %q", name, seg, c)
		}
	}
}

func TestPathNameLong(t *testing.T) {
	a := strings.Repeat("x", 300)
	b := strings.Repeat("x", 299) + "y"
	pa, pb := PathName(a), PathName(b)
	checkSegment(t, a, pa)
	checkSegment(t, b, pb)
	if pa == pb {
		t.Fatalf("two long names share %q", pa)
	}
	if !strings.Contains(pa, "~~") {
		t.Fatalf("cut name %q lacks the ~~ marker", pa)
	}
	// Escapes are not cut in half.
	c := strings.Repeat("x", 161) + strings.Repeat(":", 40)
	checkSegment(t, c, PathName(c))
}

func FuzzPathName(f *testing.F) {
	for _, s := range []string{"bash", "gcc-c++", "nodejs:18", ".x", "~", "", strings.Repeat("é", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		seg := PathName(name)
		checkSegment(t, name, seg)
		if strings.Contains(seg, "~~") {
			return
		}
		back, ok := unPathName(seg)
		if !ok || back != name {
			t.Fatalf("PathName(%q) = %q does not map back (%q)", name, seg, back)
		}
	})
}

func TestHref(t *testing.T) {
	tests := []struct{ in, want string }{
		{"../pkg/gcc-c++.html", "../pkg/gcc-c%2B%2B.html"},
		{"mod/nodejs/18.html", "mod/nodejs/18.html"},
		{"src/a~3ab.html", "src/a~3ab.html"},
		{"x y", "x%20y"},
	}
	for _, tt := range tests {
		got := href(tt.in)
		if got != tt.want {
			t.Errorf("href(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if u, err := url.PathUnescape(got); err != nil || u != tt.in {
			t.Errorf("href(%q) = %q unescapes to %q, %v", tt.in, got, u, err)
		}
	}
}

func TestPagePaths(t *testing.T) {
	tests := []struct{ got, want string }{
		{SrcPath("gcc"), "src/gcc.html"},
		{PkgPath("libstdc++"), "pkg/libstdc++.html"},
		{ModPath("perl", "5.38"), "mod/perl/5.38.html"},
		{ModPath("x", "a:b"), "mod/x/a~3ab.html"},
		{ComposePath("Fedora-40-20241229.0"), "compose/Fedora-40-20241229.0.html"},
		{VariantPath("Server"), "variant/Server.html"},
		{morePath("pkg", "glibc", "whatrequires", 2), "more/pkg/glibc/whatrequires-2.html"},
		{rootOf("index.html"), ""},
		{rootOf("mod/a/b.html"), "../../"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
