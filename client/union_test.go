package client

import (
	"slices"
	"testing"
)

func TestUnionSorted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lists [][]string
		want  []string
	}{
		{"none", nil, []string{}},
		{"one", [][]string{{"a", "b"}}, []string{"a", "b"}},
		{"overlap", [][]string{{"a", "c", "e"}, {"b", "c", "f"}}, []string{"a", "b", "c", "e", "f"}},
		{"unsorted input", [][]string{{"c", "a", "a"}, {"b"}}, []string{"a", "b", "c"}},
		{"empty member", [][]string{{}, {"x"}, nil}, []string{"x"}},
		{"three", [][]string{{"b"}, {"a", "b"}, {"a", "z"}}, []string{"a", "b", "z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := make([][]string, len(tc.lists))
			for i, l := range tc.lists {
				in[i] = slices.Clone(l)
			}
			got := unionSorted(in)
			if !slices.Equal(got, tc.want) {
				t.Errorf("unionSorted(%q) = %q, want %q", tc.lists, got, tc.want)
			}
			for i := range in {
				if !slices.Equal(in[i], tc.lists[i]) {
					t.Errorf("input %d changed to %q", i, in[i])
				}
			}
		})
	}
}
