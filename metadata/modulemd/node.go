package modulemd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// lineError is a problem found at a line of the input.
type lineError struct {
	Line int
	Err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *lineError) Unwrap() error { return e.Err }

// errAt returns an error located at node n.
func errAt(n *yaml.Node, format string, args ...any) error {
	return &lineError{Line: n.Line, Err: fmt.Errorf(format, args...)}
}

// maxAliasDepth bounds alias chains and nesting of free-form blocks, so a
// hostile document cannot make the reader loop or recurse without end.
const maxAliasDepth = 64

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return "a scalar"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	return "an empty node"
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// eachKey calls f for each key of mapping n; what names the mapping in
// errors. A null value stands for an empty mapping.
func eachKey(n *yaml.Node, what string, f func(key string, k, v *yaml.Node) error) error {
	n = deref(n)
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return errAt(n, "%s: want a mapping, got %s", what, kindName(n))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k == nil || v == nil {
			return errAt(n, "%s: bad alias", what)
		}
		if k.Kind != yaml.ScalarNode {
			return errAt(k, "%s: want a scalar key, got %s", what, kindName(k))
		}
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// str reads a scalar as a string, exactly as written (1.10 stays "1.10").
// A null value reads as "".
func str(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", errAt(n, "%s: want a scalar, got %s", what, kindName(n))
	}
	if isNull(n) {
		return "", nil
	}
	return n.Value, nil
}

// list reads a list of scalars. A null value reads as an empty list.
func list(n *yaml.Node, what string) ([]string, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(n, "%s: want a list, got %s", what, kindName(n))
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		c = deref(c)
		if c == nil {
			return nil, errAt(n, "%s: bad alias", what)
		}
		s, err := str(c, what)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// set reads a list of scalars as a sorted set (nil when empty).
func set(n *yaml.Node, what string) ([]string, error) {
	l, err := list(n, what)
	return normSet(l), err
}

// rpmsSet reads a mapping whose "rpms" key holds a set (api, filter,
// demodularized). Other keys are skipped unless strict.
func rpmsSet(n *yaml.Node, what string, strict bool) ([]string, error) {
	var out []string
	err := eachKey(n, what, func(key string, k, v *yaml.Node) error {
		if key != "rpms" {
			return unknownKey(strict, k, what)
		}
		var err error
		out, err = set(v, what+".rpms")
		return err
	})
	return out, err
}

func unknownKey(strict bool, k *yaml.Node, what string) error {
	if strict {
		return errAt(k, "%s: unexpected key %q", what, k.Value)
	}
	return nil
}

func boolean(n *yaml.Node, what string) (bool, error) {
	s, err := str(n, what)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errAt(n, "%s: want true or false, got %q", what, s)
}

// digits reads an unsigned 64-bit integer and returns it as written, with
// leading zeros dropped ("" stays "").
func digits(n *yaml.Node, what string) (string, error) {
	u, err := uint64Value(n, what)
	if err != nil {
		return "", err
	}
	return strconv.FormatUint(u, 10), nil
}

func uint64Value(n *yaml.Node, what string) (uint64, error) {
	s, err := str(n, what)
	if err != nil {
		return 0, err
	}
	u, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, errAt(n, "%s: want an unsigned integer, got %q", what, s)
	}
	return u, nil
}

func int64Value(n *yaml.Node, what string) (int64, error) {
	s, err := str(n, what)
	if err != nil {
		return 0, err
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errAt(n, "%s: want an integer, got %q", what, s)
	}
	return i, nil
}

// errNesting is returned for free-form blocks nested too deeply.
var errNesting = errors.New("nested too deeply")

// maxFreeFormNodes bounds the values an xmd block may expand to, so that
// aliases cannot multiply a small document into a huge one.
const maxFreeFormNodes = 1 << 20

// freeForm converts an xmd block to Go values: map[string]any, []any,
// bool for unquoted booleans, nil for null, and string for every other
// scalar (libmodulemd keeps numbers in xmd as strings). budget counts the
// nodes still allowed.
func freeForm(n *yaml.Node, depth int, budget *int) (any, error) {
	n = deref(n)
	if n == nil {
		return nil, errNesting
	}
	if depth > maxAliasDepth {
		return nil, errAt(n, "xmd: %w", errNesting)
	}
	if *budget--; *budget < 0 {
		return nil, errAt(n, "xmd: more than %d values (alias expansion?)", maxFreeFormNodes)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			switch n.Tag {
			case "!!bool":
				return strings.EqualFold(n.Value, "true"), nil
			case "!!null":
				return nil, nil
			}
		}
		return n.Value, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := freeForm(c, depth+1, budget)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		err := eachKey(n, "xmd", func(key string, _, v *yaml.Node) error {
			val, err := freeForm(v, depth+1, budget)
			out[key] = val
			return err
		})
		return out, err
	}
	return nil, errAt(n, "xmd: unexpected %s", kindName(n))
}
