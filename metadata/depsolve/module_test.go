package depsolve

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
)

func TestExpandStreamList(t *testing.T) {
	avail := []string{"epel7", "f27", "f28", "f29"}
	tests := []struct {
		streams []string
		def     string
		want    []string
	}{
		{[]string{"-f27", "-f28", "-epel7"}, "", []string{"f29"}}, // spec: exclusions
		{[]string{"f27"}, "", []string{"f27"}},
		{[]string{}, "", avail},                          // empty list = all
		{[]string{"f27", "-f28"}, "", []string{"f27"}},   // mixed: "-" ignored
		{[]string{"f27", "f28"}, "f28", []string{"f28"}}, // default decides
		{[]string{"-f29"}, "f29", nil},                   // default excluded
		{[]string{"v1", "v2"}, "", []string{"v1", "v2"}}, // plain streams need not be known
	}
	for _, tt := range tests {
		if got := ExpandStreamList(tt.streams, avail, tt.def); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("ExpandStreamList(%v, def %q) = %v, want %v", tt.streams, tt.def, got, tt.want)
		}
	}
}

// TestExpandSpec expands the dependencies of the example in libmodulemd's
// modulemd_stream_v2.yaml specification, entry by entry.
func TestExpandSpec(t *testing.T) {
	spec := testenv.Shared(t, "modulemd/specs/modulemd_stream_v2.yaml")
	b, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"platform: [-f27, -f28, -epel7]", "buildtools: [v1, v2]", "compatible: [v3]",
		"compatible: [v3, v4]", "runtime: [a, b]", "extras: []", "moreextras: [foo, bar]",
	} {
		if !strings.Contains(string(b), line) {
			t.Fatalf("spec no longer contains %q", line)
		}
	}
	m := &ModuleStream{Name: "foo", Stream: "latest", Version: "20160927144203", Context: "c0ffee43", Deps: []ModuleDeps{
		{BuildRequires: map[string][]string{"platform": {"-f27", "-f28", "-epel7"}}, Requires: map[string][]string{"platform": {"-f27", "-f28", "-epel7"}}},
		{BuildRequires: map[string][]string{"platform": {"f27"}, "buildtools": {"v1", "v2"}, "compatible": {"v3"}},
			Requires: map[string][]string{"platform": {"f27"}, "compatible": {"v3", "v4"}}},
		{BuildRequires: map[string][]string{"platform": {"f28"}}, Requires: map[string][]string{"platform": {"f28"}, "runtime": {"a", "b"}}},
		{BuildRequires: map[string][]string{"platform": {"epel7"}, "extras": {}, "moreextras": {"foo", "bar"}},
			Requires: map[string][]string{"platform": {"epel7"}, "extras": {}, "moreextras": {"foo", "bar"}}},
	}}
	available := map[string][]string{
		"platform": {"epel7", "f27", "f28", "f29", "f30"},
		"extras":   {"e1", "e2"},
	}
	got, err := Expand(m, available, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		dep int
		br  string
		req string
	}
	var rows []row
	for _, e := range got {
		var br, req []string
		for _, k := range sortedKeys(e.BuildRequires) {
			br = append(br, k+":"+e.BuildRequires[k])
		}
		for _, k := range sortedKeys(e.Requires) {
			req = append(req, k+":"+strings.Join(e.Requires[k], ","))
		}
		rows = append(rows, row{e.DepIndex, strings.Join(br, " "), strings.Join(req, " ")})
	}
	want := []row{
		{0, "platform:f29", "platform:f29"},
		{0, "platform:f30", "platform:f30"},
		{1, "buildtools:v1 compatible:v3 platform:f27", "compatible:v3,v4 platform:f27"},
		{1, "buildtools:v2 compatible:v3 platform:f27", "compatible:v3,v4 platform:f27"},
		{2, "platform:f28", "platform:f28 runtime:a,b"},
		{3, "extras:e1 moreextras:bar platform:epel7", "extras:e1 moreextras:bar platform:epel7"},
		{3, "extras:e1 moreextras:foo platform:epel7", "extras:e1 moreextras:foo platform:epel7"},
		{3, "extras:e2 moreextras:bar platform:epel7", "extras:e2 moreextras:bar platform:epel7"},
		{3, "extras:e2 moreextras:foo platform:epel7", "extras:e2 moreextras:foo platform:epel7"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("expansions:\n got %v\nwant %v", rows, want)
	}
	if _, err := Expand(&ModuleStream{Name: "x", Deps: []ModuleDeps{{BuildRequires: map[string][]string{"nope": {"-a"}}}}}, nil, nil); err == nil {
		t.Error("expansion to no stream accepted")
	}
}

func TestModuleIndex(t *testing.T) {
	mods := []*ModuleStream{
		{Name: "perl", Stream: "5.30", Version: "1", Context: "a", Components: []string{"perl", "perl-Foo"},
			Deps: []ModuleDeps{{BuildRequires: map[string][]string{"platform": {"el8"}}, Requires: map[string][]string{"platform": {"el8"}}}}},
		{Name: "perl-DBI", Stream: "1.641", Version: "2", Context: "b", Components: []string{"perl-DBI"},
			Deps: []ModuleDeps{{BuildRequires: map[string][]string{"perl": {"5.30"}}, Requires: map[string][]string{"perl": {}}}}},
		{Name: "perl", Stream: "5.30", Version: "3", Context: "c", Components: []string{"perl"}},
	}
	ix := NewModuleIndex(mods, map[string][]string{"perl": {"5.26", "5.30"}})
	if got := ix.ModulesContaining("perl"); !reflect.DeepEqual(got, []string{"perl:5.30:1:a", "perl:5.30:3:c"}) {
		t.Errorf("ModulesContaining(perl) = %v", got)
	}
	if got := ix.Dependents("perl:5.26"); !reflect.DeepEqual(got, []string{"perl-DBI:1.641:2:b"}) {
		t.Errorf("Dependents(perl:5.26) = %v", got)
	}
	if got := Latest(mods)["perl:5.30"].NSVC(); got != "perl:5.30:3:c" {
		t.Errorf("Latest = %s", got)
	}
}
