package spec

import (
	"errors"
	"strings"
	"testing"
)

func testEngine(t *testing.T, defs string) *engine {
	t.Helper()
	e := newEngine()
	if err := e.loadMacroFile(MacroFile(Options{Fedora: "40"}) + defs); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestExpand(t *testing.T) {
	const defs = `
%name hello
%version 1.2
%empty %{nil}
%twice %{name}%{name}
%p(a:b) [%{-a*}|%{?-b:B}|%1|%{?2}|%*|%#|%0]
%q() <%1>
%greet(n:) %{?-n:Mr. %{-n*}}%{!?-n:anonymous}
`
	tests := []struct {
		in, want  string
		unexpText string // expected substring of the first note, "" for none
	}{
		{"plain text", "plain text", ""},
		{"%%{name}", "%{name}", ""},
		{"%{name}-%{version}", "hello-1.2", ""},
		{"%name-%version", "hello-1.2", ""},
		{"%{?name}", "hello", ""},
		{"%{?nosuch}", "", ""},
		{"%{!?nosuch:dflt}", "dflt", ""},
		{"%{!?name:dflt}", "", ""},
		{"%{?name:set}", "set", ""},
		{"%{?nosuch:set}", "", ""},
		{"%{?!nosuch:x}", "x", ""},
		{"%?name", "hello", ""},
		{"%!?nosuch", "", ""},
		{"x%{empty}y", "xy", ""},
		{"%{twice}", "hellohello", ""},
		{"%{expand:%%{name}}", "hello", ""},
		{"%{defined name} %{undefined name} %{defined nosuch}", "1 0 0", ""},
		{"%{p -a x -b y z}", "[x|B|y|z|y z|2|p]", ""},
		{"%{p:one two}", "[||one two||one two|1|p]", ""},
		{"%p -ax q\nnext", "[x||q||q|1|p]\nnext", ""},
		{"%{q}", "<%1>", "%1"},
		{"%{greet -n Smith}/%{greet}", "Mr. Smith/anonymous", ""},
		{"%{with foo}%{without foo}", "01", ""},
		{"%{basename:/a/b.tar.gz} %{dirname:/a/b} %{suffix:x.tar.gz}", "b.tar.gz /a gz", ""},
		{"%{shrink:  a   b }", "a b", ""},
		{"%{upper:ab}%{lower:CD}%{len:abc}", "ABcd3", ""},
		{"%{url2path:https://h/p/x.tgz}", "/p/x.tgz", ""},
		{"%[1+2*3]", "7", ""},
		{"%[\"a\" < \"b\"]", "1", ""},
		{"%[v\"1.10\" > v\"1.9\"]", "1", ""},
		{"%[0 ? \"y\" : \"n\"]", "n", ""},
		{"%[%{version} == \"1.2\" ? 1 : 2]", "1", ""},
		{"%{dist}", ".fc40", ""},
		{"%{_libdir}", "/usr/lib64", ""},
		{"%{_isa}", "(x86-64)", ""},
		{"%{python3_pkgversion}", "3", ""},
		{"%autorelease", "1.fc40", ""},
		{"%{autorelease -b 5 -e rc1}", "5.rc1.fc40", ""},
		{"%{autorelease -p -e rc1}", "0.1.rc1.fc40", ""},
		{"[%{autochangelog}]", "[]", ""},
		{"%{nosuch}", "%{nosuch}", "%{nosuch}"},
		{"%nosuch", "%nosuch", "%nosuch"},
		{"%(echo hi)", "%(echo hi)", "%(echo hi)"},
		{"%{lua: print(1)}", "%{lua: print(1)}", "%{lua: print(1)}"},
		{"%{p -z}", "%{p -z}", "%{p -z}"},
		{"100%", "100%", ""},
		{"%{?nosuch:%(date)}", "", ""},
		{"%{!?nosuch:%(date)}", "%(date)", "%(date)"},
		{"%{getenv:HOME}", "%{getenv:HOME}", "%{getenv:HOME}"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			e := testEngine(t, defs)
			got, err := e.expandTop(tc.in)
			if err != nil {
				t.Fatalf("expand(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
			}
			notes := e.takeNotes()
			switch {
			case tc.unexpText == "" && len(notes) > 0:
				t.Errorf("expand(%q): unexpected notes %v", tc.in, notes)
			case tc.unexpText != "" && (len(notes) == 0 || !strings.Contains(notes[0].Macro, tc.unexpText)):
				t.Errorf("expand(%q): notes %v, want one naming %q", tc.in, notes, tc.unexpText)
			}
		})
	}
}

func TestExpandDefinitions(t *testing.T) {
	e := testEngine(t, "")
	steps := []struct{ in, want string }{
		{"%global a 1", ""},
		{"%define b %{a}", ""},
		{"%global a 2", ""},
		{"%{b}", "2"}, // %define is expanded on use
		{"%global c %{a}", ""},
		{"%global a 3", ""},
		{"%{c}", "2"}, // %global is expanded at definition
		{"%undefine a", ""},
		{"%{a}", "2"}, // undefine pops to the shadowed definition
		{"%{!?x:%global x yes}%{x}", "yes"},
		{"%bcond_without tests", ""},
		{"%bcond_with docs", ""},
		{"%{with tests}%{with docs}", "10"},
		{"%define multi \\\nline1\\\nline2", ""},
		{"[%{multi}]", "[\nline1\nline2]"},
	}
	for _, s := range steps {
		got, err := e.expandTop(s.in)
		if err != nil {
			t.Fatalf("expand(%q): %v", s.in, err)
		}
		if got != s.want {
			t.Errorf("expand(%q) = %q, want %q", s.in, got, s.want)
		}
	}
}

func TestExpandLimits(t *testing.T) {
	tests := []struct {
		name, defs, in string
	}{
		{"self recursion", "%a %{a}\n", "%{a}"},
		{"mutual recursion", "%a %{b}\n%b %{a}\n", "%a"},
		{"exponential output", "%a0 xxxxxxxxxxxxxxxx\n%a1 %{a0}%{a0}%{a0}%{a0}\n%a2 %{a1}%{a1}%{a1}%{a1}\n%a3 %{a2}%{a2}%{a2}%{a2}\n%a4 %{a3}%{a3}%{a3}%{a3}\n%a5 %{a4}%{a4}%{a4}%{a4}\n%a6 %{a5}%{a5}%{a5}%{a5}\n%a7 %{a6}%{a6}%{a6}%{a6}\n%a8 %{a7}%{a7}%{a7}%{a7}\n%a9 %{a8}%{a8}%{a8}%{a8}\n%a10 %{a9}%{a9}%{a9}%{a9}\n", "%{a10}"},
		{"exponential work", "%z0 %{nil}\n%z1 %{z0}%{z0}%{z0}%{z0}\n%z2 %{z1}%{z1}%{z1}%{z1}\n%z3 %{z2}%{z2}%{z2}%{z2}\n%z4 %{z3}%{z3}%{z3}%{z3}\n%z5 %{z4}%{z4}%{z4}%{z4}\n%z6 %{z5}%{z5}%{z5}%{z5}\n%z7 %{z6}%{z6}%{z6}%{z6}\n%z8 %{z7}%{z7}%{z7}%{z7}\n%z9 %{z8}%{z8}%{z8}%{z8}\n%z10 %{z9}%{z9}%{z9}%{z9}\n%z11 %{z10}%{z10}%{z10}%{z10}\n", "%{z11}"},
		{"unterminated brace", "", "%{name"},
		{"unterminated shell", "", "%(echo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := testEngine(t, tc.defs)
			if out, err := e.expandTop(tc.in); err == nil {
				t.Errorf("expand(%q) = %.40q, want an error", tc.in, out)
			}
		})
	}
}

func TestEvalExpr(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"0", "0", false},
		{"1", "1", false},
		{"040", "40", false},
		{"40 >= 37", "1", false},
		{"0 < 23", "1", false},
		{"1 && 0", "0", false},
		{"0 || 2", "2", false},
		{"!0 && !0", "1", false},
		{"! 1", "0", false},
		{"(1 || 0) && 3 == 3", "1", false},
		{"2 != 2", "0", false},
		{"-3 + 5 * 2", "7", false},
		{"8 / 2 - 1", "3", false},
		{`"debbuild" == "redhat"`, "0", false},
		{`"" == ""`, "1", false},
		{`"a" + "b"`, "ab", false},
		{`v"1.2.10" > v"1.2.9"`, "1", false},
		{`v"1.0~rc1" < v"1.0"`, "1", false},
		{`v"1:1.0" > v"2.0"`, "1", false},
		{"1 ? 2 : 3", "2", false},
		{"0 ? 2 : 0 ? 4 : 5", "5", false},
		{"", "", true},
		{"1 +", "", true},
		{"(1", "", true},
		{"redhat == redhat", "", true},
		{`1 == "1"`, "", true},
		{"1 / 0", "", true},
		{`"unterminated`, "", true},
		{"1 2", "", true},
	}
	for _, tc := range tests {
		v, err := evalExpr(tc.in, nil)
		if (err != nil) != tc.wantErr {
			t.Errorf("evalExpr(%q): err %v, wantErr %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil && v.String() != tc.want {
			t.Errorf("evalExpr(%q) = %q, want %q", tc.in, v.String(), tc.want)
		}
	}
}

func TestParseDeps(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a", []string{"a"}},
		{"a, b c", []string{"a", "b", "c"}},
		{"a >= 1.0, b = 2:3-4 c<5", []string{"a >= 1.0", "b = 2:3-4", "c<5"}},
		{"a >= 1.0-1.fc40", []string{"a >= 1.0-1.fc40"}},
		{"perl(Foo::Bar) >= 0.5", []string{"perl(Foo::Bar) >= 0.5"}},
		{"(a or b) c", []string{"(a or b)", "c"}},
		{"(a if (b >= 2) else c)", []string{"(a if (b >= 2) else c)"}},
		{"/usr/bin/env", []string{"/usr/bin/env"}},
		{`perl(:MODULE_COMPAT_%(eval "x y"; echo $v))`, []string{`perl(:MODULE_COMPAT_%(eval "x y"; echo $v))`}},
		{"python3dist(setuptools) < 70~~", []string{"python3dist(setuptools) < 70~~"}},
	}
	for _, tc := range tests {
		deps, err := parseDeps(tc.in)
		if err != nil {
			t.Errorf("parseDeps(%q): %v", tc.in, err)
			continue
		}
		var got []string
		for _, d := range deps {
			got = append(got, d.String())
		}
		// "c<5" is written without blanks; rpm reads it as one name.
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("parseDeps(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"(a or b", ">= 1.0", "a >=", "a =>> 1"} {
		if _, err := parseDeps(bad); err == nil {
			t.Errorf("parseDeps(%q): want an error", bad)
		}
	}
}

func TestFindSpec(t *testing.T) {
	tests := []struct {
		files   []string
		want    string
		noSpec  bool
		wantErr bool
	}{
		{[]string{".gitignore", "foo.spec", "sources"}, "foo.spec", false, false},
		{[]string{"other.spec"}, "other.spec", false, false},
		{[]string{"a.spec", "foo.spec"}, "foo.spec", false, false},
		{[]string{"a.spec", "b.spec"}, "", false, true},
		{[]string{"dead.package"}, "", true, true},
		{[]string{"README.md"}, "", true, true},
		{nil, "", true, true},
	}
	for _, tc := range tests {
		got, err := FindSpec(tc.files, "foo")
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("FindSpec(%q) = %q, %v", tc.files, got, err)
		}
		if tc.noSpec != errors.Is(err, ErrNoSpec) {
			t.Errorf("FindSpec(%q): error %v, want ErrNoSpec %v", tc.files, err, tc.noSpec)
		}
	}
}
