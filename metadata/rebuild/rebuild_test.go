package rebuild

import (
	"fmt"
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
		got, err := Tiers(needs, tt.changed, tt.strategy)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, *got, tt.want)
		}
	}
	if _, err := Tiers(needs, []string{"nope"}, All); err == nil {
		t.Error("unknown component accepted")
	}
	if _, err := Tiers(needs, nil, "bogus"); err == nil {
		t.Error("unknown strategy accepted")
	}
}

func ExampleTiers() {
	needs := map[string][]string{"glibc": {"gcc"}, "gcc": {"glibc"}, "bash": {"gcc"}, "python": {"bash"}}
	p, _ := Tiers(needs, []string{"bash"}, Dependents)
	fmt.Println(p.Tiers)
	// Output: [[bash] [python]]
}
