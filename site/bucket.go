package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrBucketSyntax is returned for a decoded bucket that is not a JSON
// object of key -> answer document.
var ErrBucketSyntax = errors.New("malformed bucket")

// SplitBucket splits a decoded bucket (a JSON object of key -> answer
// document) into its answers without copying them: each value is a slice
// of bucket. It checks the object's structure (strings, nesting, one
// value per key, nothing after the object) in one pass but not the
// numbers and literals inside a document; those are checked when the
// document is decoded. A key given twice is an error.
//
// A bucket can hold one answer of a megabyte next to small ones;
// json.Unmarshal into a map would validate, then copy, every one of them
// for a query that reads one.
func SplitBucket(bucket []byte) (map[string][]byte, error) {
	s := jsonScanner{b: bucket}
	s.space()
	if !s.eat('{') {
		return nil, s.errorf("want '{'")
	}
	m := map[string][]byte{}
	s.space()
	if s.eat('}') {
		return m, s.end()
	}
	for {
		s.space()
		key, err := s.key()
		if err != nil {
			return nil, err
		}
		s.space()
		if !s.eat(':') {
			return nil, s.errorf("want ':' after key %q", key)
		}
		s.space()
		start := s.i
		if err := s.value(0); err != nil {
			return nil, err
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("%w: key %q given twice", ErrBucketSyntax, key)
		}
		m[key] = bucket[start:s.i:s.i]
		s.space()
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			return m, s.end()
		}
		return nil, s.errorf("want ',' or '}'")
	}
}

// maxBucketDepth bounds nesting so a hostile bucket cannot exhaust the stack.
const maxBucketDepth = 256

// jsonScanner walks JSON text; its errors wrap kind (ErrBucketSyntax
// when nil).
type jsonScanner struct {
	b    []byte
	i    int
	kind error
}

func (s *jsonScanner) errorf(format string, args ...any) error {
	kind := s.kind
	if kind == nil {
		kind = ErrBucketSyntax
	}
	return fmt.Errorf("%w: offset %d: %s", kind, s.i, fmt.Sprintf(format, args...))
}

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *jsonScanner) end() error {
	s.space()
	if s.i != len(s.b) {
		return s.errorf("data after the bucket's object")
	}
	return nil
}

// key reads a string and returns it unquoted.
func (s *jsonScanner) key() (string, error) {
	start := s.i
	escaped, err := s.str()
	if err != nil {
		return "", err
	}
	if raw := s.b[start+1 : s.i-1]; !escaped && utf8.Valid(raw) {
		return string(raw), nil
	}
	var k string
	if err := json.Unmarshal(s.b[start:s.i], &k); err != nil {
		s.i = start
		return "", s.errorf("key: %v", err)
	}
	return k, nil
}

// str skips a string, reporting whether it holds an escape.
func (s *jsonScanner) str() (escaped bool, err error) {
	if !s.eat('"') {
		return false, s.errorf("want a string")
	}
	for s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		switch {
		case c == '"':
			return escaped, nil
		case c == '\\':
			escaped = true
			if s.i >= len(s.b) {
				return false, s.errorf("unterminated escape")
			}
			s.i++
		case c < 0x20:
			return false, s.errorf("control character in a string")
		}
	}
	return false, s.errorf("unterminated string")
}

// value skips one JSON value.
func (s *jsonScanner) value(depth int) error {
	if depth > maxBucketDepth {
		return s.errorf("nested deeper than %d", maxBucketDepth)
	}
	if s.i >= len(s.b) {
		return s.errorf("want a value")
	}
	switch c := s.b[s.i]; c {
	case '"':
		_, err := s.str()
		return err
	case '{', '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		s.i++
		s.space()
		if s.eat(closer) {
			return nil
		}
		for {
			s.space()
			if c == '{' {
				if _, err := s.str(); err != nil {
					return err
				}
				s.space()
				if !s.eat(':') {
					return s.errorf("want ':'")
				}
				s.space()
			}
			if err := s.value(depth + 1); err != nil {
				return err
			}
			s.space()
			if s.eat(',') {
				continue
			}
			if s.eat(closer) {
				return nil
			}
			return s.errorf("want ',' or %q", closer)
		}
	default:
		// A number or a literal: everything up to the next delimiter.
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r', ':', '"', '{', '[':
				if s.i == start {
					return s.errorf("want a value")
				}
				return nil
			}
			s.i++
		}
		if s.i == start {
			return s.errorf("want a value")
		}
		return nil
	}
}
