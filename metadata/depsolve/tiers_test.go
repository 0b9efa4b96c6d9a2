package depsolve

import (
	"reflect"
	"testing"
)

func TestRebuildTiers(t *testing.T) {
	// glibc <- gcc <- {bash, make}; make <-> automake cycle; python needs make
	needs := map[string][]string{
		"glibc":    {"gcc"},
		"gcc":      {"glibc"},
		"bash":     {"gcc"},
		"make":     {"gcc", "automake"},
		"automake": {"make"},
		"python":   {"make", "bash"},
		"zlib":     {},
		"other":    {"zlib"},
	}
	tests := []struct {
		name     string
		changed  []string
		strategy Strategy
		want     Plan
	}{
		{"dependents of bash", []string{"bash"}, Dependents, Plan{Tiers: [][]string{{"bash"}, {"python"}}}},
		{"dependents of make (cycle)", []string{"make"}, Dependents, Plan{Tiers: [][]string{{"automake", "make"}, {"python"}}, Cycles: [][]string{{"automake", "make"}}}},
		{"dependents of gcc", []string{"gcc"}, Dependents, Plan{
			Tiers:  [][]string{{"gcc", "glibc"}, {"automake", "bash", "make"}, {"python"}},
			Cycles: [][]string{{"automake", "make"}, {"gcc", "glibc"}}}},
		{"only changed", []string{"python", "zlib"}, OnlyChanged, Plan{Tiers: [][]string{{"python", "zlib"}}}},
		{"changed and after", []string{"make"}, ChangedAndAfter, Plan{Tiers: [][]string{{"automake", "bash", "make", "other"}, {"python"}}, Cycles: [][]string{{"automake", "make"}}}},
		{"all", nil, All, Plan{
			Tiers:  [][]string{{"gcc", "glibc", "zlib"}, {"automake", "bash", "make", "other"}, {"python"}},
			Cycles: [][]string{{"automake", "make"}, {"gcc", "glibc"}}}},
	}
	for _, tt := range tests {
		got, err := RebuildTiers(needs, tt.changed, tt.strategy)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, *got, tt.want)
		}
	}
	if _, err := RebuildTiers(needs, []string{"nope"}, All); err == nil {
		t.Error("unknown component accepted")
	}
	if _, err := RebuildTiers(needs, nil, "bogus"); err == nil {
		t.Error("unknown strategy accepted")
	}
}

func TestSourceName(t *testing.T) {
	for in, want := range map[string]string{
		"bash-5.1.8-2.el9.src.rpm":           "bash",
		"perl-Net-SSLeay-1.92-2.el9.src.rpm": "perl-Net-SSLeay",
		"x":                                  "",
	} {
		if got := SourceName(in); got != want {
			t.Errorf("SourceName(%q) = %q, want %q", in, got, want)
		}
	}
}
