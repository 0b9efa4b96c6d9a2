package site

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func TestMember(t *testing.T) {
	for _, tc := range []struct {
		doc, name string
		want      string
		ok        bool
		err       bool
	}{
		{`{"a":1,"b":[1,{"c":2}],"d":"x"}`, "b", `[1,{"c":2}]`, true, false},
		{`{"a":1}`, "z", "", false, false},
		{`{}`, "a", "", false, false},
		{` { "a" : "v" } `, "a", `"v"`, true, false},
		{`{"a\u0062":true}`, "ab", "true", true, false},
		{`{"a":1,"a":2}`, "a", "", false, true},
		{`{"a":1`, "a", "", false, true},
		{`{"a":1} x`, "a", "", false, true},
		{`[1]`, "a", "", false, true},
	} {
		got, ok, err := Member([]byte(tc.doc), tc.name)
		if (err != nil) != tc.err || (err != nil && !errors.Is(err, ErrJSONSyntax)) {
			t.Errorf("Member(%q, %q) error %v, want error %v", tc.doc, tc.name, err, tc.err)
			continue
		}
		if string(got) != tc.want || ok != tc.ok {
			t.Errorf("Member(%q, %q) = %q, %v; want %q, %v", tc.doc, tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestElementsAndStrings(t *testing.T) {
	els, err := Elements([]byte(` [ {"a":1} , "x", [2] ] `))
	if err != nil || len(els) != 3 || string(els[0]) != `{"a":1}` || string(els[1]) != `"x"` || string(els[2]) != `[2]` {
		t.Fatalf("Elements = %q, %v", els, err)
	}
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{`["a","b c","\u00e9\n"]`, []string{"a", "b c", "é\n"}, false},
		{`[]`, []string{}, false},
		{`null`, nil, false},
		{`["a",1]`, nil, true},
		{`["a"`, nil, true},
		{`["a"]]`, nil, true},
		{`{"a":"b"}`, nil, true},
	} {
		got, err := Strings([]byte(tc.in))
		if (err != nil) != tc.err || (err != nil && !errors.Is(err, ErrJSONSyntax)) {
			t.Errorf("Strings(%q) error %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if !tc.err && !slices.Equal(got, tc.want) {
			t.Errorf("Strings(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzStrings checks Strings against encoding/json on arrays of strings.
func FuzzStrings(f *testing.F) {
	for _, s := range []string{`["a","b"]`, `[]`, `["\u00e9","\"",  "x\\y"]`, `[1]`, `["a"`, `null`, "[\"\xff\"]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Strings(b)
		var want []string
		werr := json.Unmarshal(b, &want)
		if err == nil && werr != nil {
			t.Fatalf("Strings accepted %q, encoding/json: %v", b, werr)
		}
		if err != nil {
			if !errors.Is(err, ErrJSONSyntax) {
				t.Fatalf("%q: error %v is not ErrJSONSyntax", b, err)
			}
			return
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Strings(%q) = %q, encoding/json %q", b, got, want)
		}
	})
}
