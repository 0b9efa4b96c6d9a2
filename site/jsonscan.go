package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrJSONSyntax is returned by Member, Elements and Strings for input
// that is not the JSON they expect.
var ErrJSONSyntax = errors.New("malformed JSON")

// The functions below read one path of a large answer without decoding
// the rest: glibc's package answer is a megabyte of requirer names, and
// encoding/json spends most of a query validating, reflecting and growing
// slices for it. They check the structure of what they pass over the way
// SplitBucket does.

// Member returns the raw value of the member name of the JSON object doc,
// and false when the object has no such member.
func Member(doc []byte, name string) ([]byte, bool, error) {
	s := jsonScanner{b: doc, kind: ErrJSONSyntax}
	s.space()
	if !s.eat('{') {
		return nil, false, s.errorf("want '{'")
	}
	s.space()
	if s.eat('}') {
		return nil, false, s.end()
	}
	var found []byte
	ok := false
	for {
		s.space()
		key, err := s.key()
		if err != nil {
			return nil, false, err
		}
		s.space()
		if !s.eat(':') {
			return nil, false, s.errorf("want ':' after key %q", key)
		}
		s.space()
		start := s.i
		if err := s.value(0); err != nil {
			return nil, false, err
		}
		if key == name {
			if ok {
				return nil, false, fmt.Errorf("%w: member %q given twice", ErrJSONSyntax, name)
			}
			found, ok = doc[start:s.i:s.i], true
		}
		s.space()
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			if err := s.end(); err != nil {
				return nil, false, err
			}
			return found, ok, nil
		}
		return nil, false, s.errorf("want ',' or '}'")
	}
}

// Elements splits a JSON array into the raw values of its elements.
func Elements(arr []byte) ([][]byte, error) {
	var out [][]byte
	err := eachElement(arr, func(s *jsonScanner, start int) error {
		if err := s.value(0); err != nil {
			return err
		}
		out = append(out, arr[start:s.i:s.i])
		return nil
	})
	return out, err
}

// Strings decodes a JSON array of strings; null is an empty list. The
// strings share one copy of arr (one allocation, not one per string).
func Strings(arr []byte) ([]string, error) {
	if string(arr) == "null" {
		return nil, nil
	}
	n := 0
	if err := eachElement(arr, func(s *jsonScanner, _ int) error {
		n++
		_, err := s.str()
		return err
	}); err != nil {
		return nil, err
	}
	all := string(arr)
	out := make([]string, 0, n)
	err := eachElement(arr, func(s *jsonScanner, start int) error {
		escaped, err := s.str()
		if err != nil {
			return err
		}
		if raw := arr[start+1 : s.i-1]; !escaped && utf8.Valid(raw) {
			out = append(out, all[start+1:s.i-1])
			return nil
		}
		var v string
		if err := json.Unmarshal(arr[start:s.i], &v); err != nil {
			return s.errorf("string: %v", err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// eachElement calls fn at the start of each element of the array arr; fn
// must consume the element.
func eachElement(arr []byte, fn func(s *jsonScanner, start int) error) error {
	s := jsonScanner{b: arr, kind: ErrJSONSyntax}
	s.space()
	if !s.eat('[') {
		return s.errorf("want '['")
	}
	s.space()
	if s.eat(']') {
		return s.end()
	}
	for {
		s.space()
		if err := fn(&s, s.i); err != nil {
			return err
		}
		s.space()
		if s.eat(',') {
			continue
		}
		if s.eat(']') {
			return s.end()
		}
		return s.errorf("want ',' or ']'")
	}
}
