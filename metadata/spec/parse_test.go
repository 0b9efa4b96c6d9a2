package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func brNames(s *Spec) string {
	var out []string
	for _, d := range s.BuildRequires {
		n := d.String()
		if d.Uncertain {
			n += "?"
		}
		out = append(out, n)
	}
	return strings.Join(out, ",")
}

func TestConditionals(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		body string
		want string // BuildRequires, "?" marks Uncertain
	}{
		{"if true", fedora40, "%if 1\nBuildRequires: a\n%endif", "a"},
		{"if false else", fedora40, "%if 0\nBuildRequires: a\n%else\nBuildRequires: b\n%endif", "b"},
		{"fedora version", fedora40, "%if 0%{?fedora} >= 37\nBuildRequires: new\n%else\nBuildRequires: old\n%endif", "new"},
		{"fedora old", Options{Fedora: "36"}, "%if 0%{?fedora} >= 37\nBuildRequires: new\n%else\nBuildRequires: old\n%endif", "old"},
		{"rhel unset", fedora40, "%if 0%{?rhel}\nBuildRequires: el\n%endif\n%if ! 0%{?rhel}\nBuildRequires: notel\n%endif", "notel"},
		{"rhel set", Options{RHEL: "9"}, "%if 0%{?rhel} && 0%{?rhel} < 10\nBuildRequires: el9\n%endif", "el9"},
		{"elif", fedora40, "%if 0%{?rhel}\nBuildRequires: a\n%elif 0%{?fedora} > 39\nBuildRequires: b\n%elif 1\nBuildRequires: c\n%else\nBuildRequires: d\n%endif", "b"},
		{"nested false", fedora40, "%if 0\n%if 1\nBuildRequires: a\n%else\nBuildRequires: b\n%endif\n%endif\nBuildRequires: c", "c"},
		{"nested true", fedora40, "%if 1\n%if 0\nBuildRequires: a\n%else\nBuildRequires: b\n%endif\n%endif", "b"},
		{"ifarch", fedora40, "%ifarch x86_64 %{ix86}\nBuildRequires: x86\n%endif\n%ifnarch s390 s390x\nBuildRequires: nots390\n%endif", "x86,nots390"},
		{"ifarch other", Options{Arch: "s390x"}, "%ifarch %{ix86} x86_64\nBuildRequires: x86\n%endif\n%ifnarch s390 s390x\nBuildRequires: nots390\n%endif", ""},
		{"ifarch commas", Options{Arch: "aarch64"}, "%ifarch x86_64, %{arm64}\nBuildRequires: a\n%endif", "a"},
		{"ifos", fedora40, "%ifos linux\nBuildRequires: l\n%endif\n%ifnos linux\nBuildRequires: n\n%endif", "l"},
		{"defined", fedora40, "%global with_x 1\n%if %{defined with_x} && %{undefined with_y}\nBuildRequires: a\n%endif", "a"},
		{"bcond", fedora40, "%bcond_without tests\n%bcond_with docs\n%if %{with tests}\nBuildRequires: t\n%endif\n%if %{with docs}\nBuildRequires: d\n%endif", "t"},
		{"bcond caller", Options{Defines: map[string]string{"_without_tests": "1"}}, "%bcond_without tests\n%if %{with tests}\nBuildRequires: t\n%endif", ""},
		{"string compare", fedora40, "%if \"%{_vendor}\" == \"redhat\"\nBuildRequires: rh\n%endif", "rh"},
		{"version literal", fedora40, "%if v\"%{version}\" >= v\"1.10\"\nBuildRequires: a\n%endif", ""},
		{"hardened idiom", fedora40, "%if %{?_hardened_build}%{!?_hardened_build:0}\nBuildRequires: h\n%endif", "h"},
		{"shell condition", fedora40, "%if 0%(perl -e 1)\nBuildRequires: a\n%else\nBuildRequires: b\n%endif\nBuildRequires: c", "a?,b?,c"},
		{"undefined condition", fedora40, "%if %{nosuch}\nBuildRequires: a\n%endif", "a?"},
		{"continuation then ifarch", fedora40, "%build\n./configure \\\n  --a \\\n%ifarch s390x\n  --b\n%endif\n\n%package x\nSummary: x\nBuildRequires: z", "z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "Name: t\nVersion: 1.2\nRelease: 1\n" + tc.body + "\n"
			s, err := Parse([]byte(src), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := brNames(s); got != tc.want {
				t.Errorf("BuildRequires = %q, want %q\nspec:\n%s", got, tc.want, src)
			}
			uncertain := strings.Contains(tc.want, "?")
			if uncertain == s.Complete("BuildRequires") {
				t.Errorf("Complete(BuildRequires) = %v with uncertain deps %v (%v)", s.Complete("BuildRequires"), uncertain, s.Unexpanded)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unterminated if", "Name: a\n%if 1\nVersion: 1\n", "line 2: unterminated %if"},
		{"else without if", "Name: a\n%else\n", "line 2: %else without %if"},
		{"endif without if", "Name: a\n%endif\n", "line 2: %endif without %if"},
		{"double else", "Name: a\n%if 1\n%else\n%else\n%endif\n", "line 4: %else after %else"},
		{"unbalanced brace", "Name: a\nVersion: %{foo\nRelease: 1\n", "line 2: unclosed macro"},
		{"recursion", "%global a %{a}\nName: %{a}\n", "line 2: too many levels of recursion"},
		{"define recursion", "%define a x%{a}\nName: n\nVersion: %a\n", "line 3: too many levels of recursion"},
		{"bad expression", "Name: a\n%if 1 +\n%endif\n", "line 2: %if 1 +: parse error"},
		{"bare word", "Name: a\n%if foo == bar\n%endif\n", "line 2: %if foo == bar: parse error"},
		{"empty if", "Name: a\n%if\n%endif\n", "line 2: %if: empty condition"},
		{"no name", "Version: 1\n", "no Name tag"},
		{"package before name", "%package x\n", "line 1: %package x before the Name tag"},
		{"duplicate package", "Name: a\n%package x\n%package -n a-x\n", "line 3: %package a-x: package already exists"},
		{"bad dep", "Name: a\nBuildRequires: (x or y\n", "line 2: BuildRequires: unterminated rich dependency"},
		{"error macro", "Name: a\n%{error:stop here}\n", "line 2: %{error:stop here}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse: error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestGolden parses the specs under testdata/golden and compares the
// JSON of the result with the .json file next to each (-update rewrites).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.spec"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden specs (%v)", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Parse(data, fedora40)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(f, ".spec") + ".json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", f, golden, got)
			}
		})
	}
}

func TestParseDeterministic(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "tricky.spec"))
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for i := 0; i < 3; i++ {
		s, err := Parse(data, fedora40)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(s)
		if i == 0 {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatal("two parses of the same spec differ")
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Name: a\nVersion: 1\nRelease: 1%{?dist}\n",
		"%global a %{a}\nName: %{a}\n",
		"Name: a\n%if 0%{?fedora} > 3\nBuildRequires: b >= 1\n%endif\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tm := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("Parse took over 20s on %q", data)) })
		s, err := Parse(data, Options{})
		tm.Stop()
		if err != nil {
			return
		}
		if s.Name == "" || len(s.Packages) == 0 || s.Packages[0].Name != s.Name {
			t.Fatalf("parsed without a main package name: %+v", s)
		}
		_ = fmt.Sprint(s.EVR())
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "tricky.spec"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, fedora40); err != nil {
			b.Fatal(err)
		}
	}
}
