package depsolve

import (
	"slices"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/repodata"
)

func TestReachable(t *testing.T) {
	pkg := func(name string, provides []string, requires ...string) *repodata.Package {
		// Every package provides its own name, as rpm makes it.
		p := &repodata.Package{Name: name}
		for _, c := range append([]string{name}, provides...) {
			p.Provides = append(p.Provides, repodata.Dep{Name: c})
		}
		for _, c := range requires {
			p.Requires = append(p.Requires, repodata.Dep{Name: c})
		}
		return p
	}
	pkgs := []*repodata.Package{
		pkg("app", nil, "libfoo.so.1", "(tool or helper)"),
		pkg("foo", []string{"libfoo.so.1"}, "glibc"),
		pkg("glibc", []string{"libc.so.6"}),
		pkg("tool", nil),
		pkg("helper", nil),
		pkg("webserver", []string{"httpd-mpm"}),
		pkg("unrelated", nil, "glibc"),
	}
	names := func(ps []*repodata.Package) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name  string
		roots []string
		opts  ReachOptions
		want  string
	}{
		{"by name, rich atoms parsed", []string{"app"}, ReachOptions{}, "app foo glibc tool helper"},
		{"a provided name is no root by default", []string{"httpd-mpm"}, ReachOptions{}, ""},
		{"roots by what they provide", []string{"httpd-mpm"}, ReachOptions{RootsByProvide: true}, "webserver"},
		{"rich names split by the caller", []string{"app"}, ReachOptions{RichNames: func(string) []string { return []string{"helper"} }}, "app foo glibc helper"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(Reachable(pkgs, tc.roots, tc.opts)); got != tc.want {
				t.Errorf("Reachable(%v) = %q, want %q", tc.roots, got, tc.want)
			}
		})
	}
	if got := Reachable(pkgs, nil, ReachOptions{}); !slices.Equal(got, nil) {
		t.Errorf("no roots: %v", got)
	}
}
