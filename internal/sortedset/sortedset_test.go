package sortedset

import (
	"slices"
	"testing"
)

func TestUnion(t *testing.T) {
	tests := []struct{ a, b, want []int }{
		{nil, nil, nil},
		{[]int{1, 3}, nil, []int{1, 3}},
		{nil, []int{2}, []int{2}},
		{[]int{1, 3, 5}, []int{2, 3, 6}, []int{1, 2, 3, 5, 6}},
		{[]int{1, 2}, []int{1, 2}, []int{1, 2}},
		{[]int{5}, []int{1, 2, 3}, []int{1, 2, 3, 5}},
	}
	for _, tc := range tests {
		got := Union(tc.a, tc.b)
		if !slices.Equal(got, tc.want) || !IsSet(got) {
			t.Errorf("Union(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if IsSet([]string{"a", "a"}) || IsSet([]string{"b", "a"}) || !IsSet([]string{"a", "b"}) {
		t.Error("IsSet")
	}
}

// FuzzUnion checks Union against sorting the concatenation.
func FuzzUnion(f *testing.F) {
	f.Add([]byte{1, 3, 5}, []byte{2, 3})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		a, b = slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b)))
		want := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(a), b...))))
		if got := Union(a, b); !slices.Equal(got, want) {
			t.Fatalf("Union(%v, %v) = %v, want %v", a, b, got, want)
		}
	})
}
