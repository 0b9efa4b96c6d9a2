package depsolve

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

func TestParseDep(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"foo", "foo"},
		{"foo >= 1.2-3", "foo >= 1.2-3"},
		{"python3.9dist(urllib3) < 1.27", "python3.9dist(urllib3) < 1.27"},
		{"(A and B)", "(A and B)"},
		{"(A and B and C)", "(A and B and C)"},
		{"(A or B or C)", "(A or B or C)"},
		{"(A if B)", "(A if B)"},
		{"(A if B else C)", "(A if B else C)"},
		{"(A unless B)", "(A unless B)"},
		{"(A unless B else C)", "(A unless B else C)"},
		{"(A with B)", "(A with B)"},
		{"(A without B)", "(A without B)"},
		{"(glibc and (langpacks-core-zu or langpacks-core-zu_ZA))", "(glibc and (langpacks-core-zu or langpacks-core-zu_ZA))"},
		{"(python3.9dist(idna) < 3 with python3.9dist(idna) >= 2.5)", "(python3.9dist(idna) < 3 with python3.9dist(idna) >= 2.5)"},
		{"(selinux-policy >= 34.1.8-1 if selinux-policy-targeted)", "(selinux-policy >= 34.1.8-1 if selinux-policy-targeted)"},
		{"((A or B) and (C if D else E))", "((A or B) and (C if D else E))"},
		{"(  A   and\tB )", "(A and B)"},
		{"(foo = 1:2.0)", "foo = 1:2.0"},
	}
	for _, tt := range tests {
		e, err := ParseDep(tt.in)
		if err != nil {
			t.Errorf("ParseDep(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("ParseDep(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDepErrors(t *testing.T) {
	for _, in := range []string{
		"", "(", "()", "(A", "(A and)", "(and B)", "(A B)", "(A and B or C)",
		"(A if B if C)", "(A or B else C)", "(A if B else)", "(A if B else C else D)",
		"(A >=)", "foo bar", "(A and B))", strings.Repeat("(", 100) + "A" + strings.Repeat(")", 100),
	} {
		if e, err := ParseDep(in); err == nil {
			t.Errorf("ParseDep(%q) = %v, want an error", in, e)
		} else if !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseDep(%q): error %v is not ErrSyntax", in, err)
		}
	}
}

// evalWith evaluates a dependency against an installed set given as
// "name" or "name=evr" strings, one package each (with/without need the
// same package: "A+B" is one package providing both A and B).
func evalWith(t *testing.T, dep string, installed []string) bool {
	t.Helper()
	var pkgs []*repodata.Package
	for i, spec := range installed {
		pk := &repodata.Package{Name: "pkg" + string(rune('a'+i)), Arch: "noarch", EVR: rpmver.EVR{Version: "1", Release: "1"}}
		for _, c := range strings.Split(spec, "+") {
			d := repodata.Dep{Name: c}
			if k := strings.IndexByte(c, '='); k >= 0 {
				d = repodata.Dep{Name: c[:k], Flags: rpmver.EQ, EVR: rpmver.ParseEVR(c[k+1:])}
			}
			pk.Provides = append(pk.Provides, d)
		}
		pkgs = append(pkgs, pk)
	}
	p := NewPool(pkgs, Options{})
	return MustParseDep(dep).Eval(p.atomProviders)
}

// TestRichEval covers each operator with rpm's documented semantics
// (rpm.org "Boolean Dependencies").
func TestRichEval(t *testing.T) {
	tests := []struct {
		dep       string
		installed []string
		want      bool
	}{
		{"(A and B)", []string{"A", "B"}, true},
		{"(A and B)", []string{"A"}, false},
		{"(A and B and C)", []string{"A", "B"}, false},
		{"(A or B)", []string{"B"}, true},
		{"(A or B)", nil, false},
		{"(A or B or C)", []string{"C"}, true},
		// if: A is required only when B is installed
		{"(A if B)", nil, true},
		{"(A if B)", []string{"B"}, false},
		{"(A if B)", []string{"A", "B"}, true},
		{"(A if B else C)", []string{"C"}, true},
		{"(A if B else C)", nil, false},
		{"(A if B else C)", []string{"B", "C"}, false},
		// unless: A is required when B is not installed
		{"(A unless B)", nil, false},
		{"(A unless B)", []string{"B"}, true},
		{"(A unless B)", []string{"A"}, true},
		{"(A unless B else C)", []string{"B"}, false},
		{"(A unless B else C)", []string{"B", "C"}, true},
		{"(A unless B else C)", []string{"A"}, true},
		// with: one package provides both
		{"(A with B)", []string{"A", "B"}, false},
		{"(A with B)", []string{"A+B"}, true},
		{"(foo >= 2 with foo < 3)", []string{"foo=2.5"}, true},
		{"(foo >= 2 with foo < 3)", []string{"foo=3.1", "foo=1"}, false},
		// without: a package provides A but not B
		{"(A without B)", []string{"A+B"}, false},
		{"(A without B)", []string{"A+B", "A"}, true},
		// versions
		{"(A >= 2 or B)", []string{"A=1"}, false},
		{"(A >= 2 or B)", []string{"A=2"}, true},
		// nesting
		{"((A or B) and (C if D))", []string{"B", "D"}, false},
		{"((A or B) and (C if D))", []string{"B", "D", "C"}, true},
		{"(A and (B or (C with D)))", []string{"A", "C+D"}, true},
	}
	for _, tt := range tests {
		if got := evalWith(t, tt.dep, tt.installed); got != tt.want {
			t.Errorf("%s with %v installed = %v, want %v", tt.dep, tt.installed, got, tt.want)
		}
	}
}

// TestRichMatch covers libsolv's "potential" matching used by
// whatrequires: which capability queries a rich requirement answers.
func TestRichMatch(t *testing.T) {
	tests := []struct {
		dep, query string
		want       bool
	}{
		{"(A and B)", "B", true},
		{"(A or B)", "A", true},
		{"(A if B)", "A", true},
		{"(A if B)", "B", false},
		{"(A if B else C)", "C", true},
		{"(A unless B else C)", "C", true},
		{"(A unless B)", "B", false},
		{"(A with B)", "B", true},
		{"(A without B)", "B", false},
		{"(A without B)", "A", true},
		{"(foo >= 2 with foo < 3)", "foo = 2.5", true},
		{"(foo >= 2 with foo < 3)", "foo = 3.5", false},
		{"(foo >= 2 or bar)", "foo = 1", false},
		{"((A or B) and C)", "B", true},
	}
	for _, tt := range tests {
		if got := matchExpr(MustParseDep(tt.dep), MustParseDep(tt.query)); got != tt.want {
			t.Errorf("match(%s, %s) = %v, want %v", tt.dep, tt.query, got, tt.want)
		}
	}
}

func FuzzRichDep(f *testing.F) {
	for _, s := range []string{"(A and B)", "(A if B else C)", "(python3dist(x) >= 1 with python3dist(x) < 2)", "foo >= 1:2-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseDep(s)
		if err != nil {
			return
		}
		// The printed form must parse back to the same print.
		out := e.String()
		e2, err := ParseDep(out)
		if err != nil {
			t.Fatalf("reparse %q (from %q): %v", out, s, err)
		}
		if e2.String() != out {
			t.Fatalf("round trip %q -> %q -> %q", s, out, e2.String())
		}
		e.Eval(func(*Expr) []PkgID { return nil })
	})
}

// TestFuzzCorpusCommitted makes sure the seed corpus is in the tree.
func TestFuzzCorpusCommitted(t *testing.T) {
	m, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzRichDep", "*"))
	if len(m) < 5 {
		t.Fatalf("seed corpus testdata/fuzz/FuzzRichDep has %d files", len(m))
	}
	for _, f := range m {
		b, err := os.ReadFile(f)
		if err != nil || !strings.HasPrefix(string(b), "go test fuzz v1\n") {
			t.Errorf("%s is not a corpus file", f)
		}
	}
}
