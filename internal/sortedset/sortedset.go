// Package sortedset holds the operations on sorted, duplicate-free slices
// that the dependency engine and the client both need (the client may not
// link the engine).
package sortedset

import "cmp"

// Union merges two ascending, duplicate-free slices into one. It returns a
// or b itself when the other is empty.
func Union[T cmp.Ordered](a, b []T) []T {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make([]T, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// IsSet reports whether s is strictly ascending (sorted, no duplicates).
func IsSet[T cmp.Ordered](s []T) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= s[i] {
			return false
		}
	}
	return true
}
