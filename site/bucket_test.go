package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSplitBucket(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want map[string]string // nil: an error
	}{
		{"empty", `{}`, map[string]string{}},
		{"spaces", " { } \n", map[string]string{}},
		{"two", `{"a":{"schema":"x","n":[1,2,{"b":null}]},"b":"s"}`, map[string]string{
			"a": `{"schema":"x","n":[1,2,{"b":null}]}`, "b": `"s"`}},
		{"escaped key", `{"a\/b\u0041":1}`, map[string]string{"a/bA": "1"}},
		{"braces in strings", `{"k":"}{][\"\\"}`, map[string]string{"k": `"}{][\"\\"`}},
		{"nested spaces", `{"k" : [ 1 , { "x" : true } ] }`, map[string]string{"k": `[ 1 , { "x" : true } ]`}},
		{"not an object", `[1]`, nil},
		{"trailing data", `{"a":1} x`, nil},
		{"duplicate key", `{"a":1,"a":2}`, nil},
		{"unterminated", `{"a":{"b":1}`, nil},
		{"unterminated string", `{"a":"x`, nil},
		{"missing value", `{"a":}`, nil},
		{"missing colon", `{"a" 1}`, nil},
		{"control in string", "{\"a\":\"x\ny\"}", nil},
		{"mismatched", `{"a":[1}}`, nil},
		{"too deep", `{"a":` + string(bytes.Repeat([]byte("["), 300)) + string(bytes.Repeat([]byte("]"), 300)) + `}`, nil},
		{"empty input", ``, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SplitBucket([]byte(tc.in))
			if tc.want == nil {
				if err == nil || !errors.Is(err, ErrBucketSyntax) {
					t.Fatalf("SplitBucket(%q) = %q, %v; want an ErrBucketSyntax", tc.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("SplitBucket(%q): %v", tc.in, err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("SplitBucket(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for k, v := range tc.want {
				if string(got[k]) != v {
					t.Errorf("SplitBucket(%q)[%q] = %q, want %q", tc.in, k, got[k], v)
				}
			}
		})
	}
}

// FuzzSplitBucket checks SplitBucket against encoding/json: whatever
// encoding/json accepts as an object without repeated keys, SplitBucket
// splits into the same members; and every value it returns is valid JSON
// whenever the whole input is.
func FuzzSplitBucket(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a":{"b":[1,"x",null]},"c":"\u00e9"}`, `{"a":1,"a":2}`, `[1]`, `{"a":"}"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := SplitBucket(b)
		var want map[string]json.RawMessage
		werr := json.Unmarshal(b, &want)
		if err == nil {
			if !json.Valid(b) {
				// SplitBucket skips numbers and literals unchecked; the
				// documents are checked when decoded. Structure must hold.
				return
			}
			if werr != nil {
				t.Fatalf("SplitBucket accepted %q, encoding/json: %v", b, werr)
			}
			if len(got) != len(want) {
				t.Fatalf("%q: %d members, encoding/json %d", b, len(got), len(want))
			}
			for k, v := range want {
				var a, c any
				if json.Unmarshal(v, &a) != nil || json.Unmarshal(got[k], &c) != nil {
					t.Fatalf("%q: member %q not valid", b, k)
				}
			}
			return
		}
		if werr == nil && !errors.Is(err, ErrBucketSyntax) {
			t.Fatalf("%q: error %v is not ErrBucketSyntax", b, err)
		}
	})
}

func TestValidKind(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"pkg", true}, {"a", true}, {"0x_y.z-w", true}, {strings.Repeat("a", 64), true},
		{"", false}, {strings.Repeat("a", 65), false}, {"_pkg", false}, {"-x", false}, {".x", false},
		{"Pkg", false}, {"p/k", false}, {"p k", false}, {"pké", false},
	} {
		if got := ValidKind(tc.s); got != tc.want {
			t.Errorf("ValidKind(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
