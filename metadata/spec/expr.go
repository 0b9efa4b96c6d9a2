package spec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// value is the result of an rpm expression: an integer, a string or a
// version (v"1.2").
type value struct {
	kind byte // 'n', 's' or 'v'
	n    int64
	s    string
}

func (v value) String() string {
	if v.kind == 'n' {
		return strconv.FormatInt(v.n, 10)
	}
	return v.s
}

func (v value) truth() bool {
	if v.kind == 'n' {
		return v.n != 0
	}
	return v.s != ""
}

func num(n int64) value { return value{kind: 'n', n: n} }

func boolean(b bool) value {
	if b {
		return num(1)
	}
	return num(0)
}

// exprParser evaluates rpm's expression language (%if, %[...]): integers,
// "strings", v"versions", ! - * / + < > <= >= == != && || and ?:.
// With lazy set, macros and strings are expanded as they are evaluated,
// and branches that short-circuit away are not expanded at all.
type exprParser struct {
	s    string
	pos  int
	skip int // >0 while parsing a branch that is not evaluated
	lazy func(string) (string, error)
}

var errExpr = errors.New("parse error in expression")

// evalExpr evaluates s; expand, when non-nil, expands macros lazily.
func evalExpr(s string, expand func(string) (string, error)) (value, error) {
	p := &exprParser{s: s, lazy: expand}
	v, err := p.ternary()
	if err != nil {
		return value{}, err
	}
	p.space()
	if p.pos < len(p.s) {
		return value{}, fmt.Errorf("%w: unexpected %q", errExpr, clip(p.s[p.pos:]))
	}
	return v, nil
}

func (p *exprParser) space() {
	for p.pos < len(p.s) && isSpaceC(p.s[p.pos]) {
		p.pos++
	}
}

func (p *exprParser) peek(tok string) bool {
	p.space()
	return strings.HasPrefix(p.s[p.pos:], tok)
}

func (p *exprParser) accept(tok string) bool {
	if p.peek(tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *exprParser) ternary() (value, error) {
	c, err := p.or()
	if err != nil {
		return c, err
	}
	if !p.accept("?") {
		return c, nil
	}
	t := c.truth()
	if !t {
		p.skip++
	}
	a, err := p.ternary()
	if !t {
		p.skip--
	}
	if err != nil {
		return a, err
	}
	if !p.accept(":") {
		return a, fmt.Errorf("%w: missing : after ?", errExpr)
	}
	if t {
		p.skip++
	}
	b, err := p.ternary()
	if t {
		p.skip--
	}
	if err != nil {
		return b, err
	}
	if t {
		return a, nil
	}
	return b, nil
}

func (p *exprParser) or() (value, error) {
	v, err := p.and()
	for err == nil && p.accept("||") {
		short := v.truth()
		if short {
			p.skip++
		}
		var w value
		w, err = p.and()
		if short {
			p.skip--
		} else {
			v = w
		}
	}
	return v, err
}

func (p *exprParser) and() (value, error) {
	v, err := p.eq()
	for err == nil && p.accept("&&") {
		short := !v.truth()
		if short {
			p.skip++
		}
		var w value
		w, err = p.eq()
		if short {
			p.skip--
		} else {
			v = w
		}
	}
	return v, err
}

func (p *exprParser) eq() (value, error) {
	v, err := p.rel()
	for err == nil {
		var op string
		switch {
		case p.accept("=="):
			op = "=="
		case p.accept("!="):
			op = "!="
		default:
			return v, nil
		}
		var w value
		if w, err = p.rel(); err != nil {
			break
		}
		var c int
		if c, err = p.compare(v, w); err != nil {
			break
		}
		v = boolean((c == 0) == (op == "=="))
	}
	return v, err
}

func (p *exprParser) rel() (value, error) {
	v, err := p.add()
	for err == nil {
		var op string
		for _, o := range []string{"<=", ">=", "<", ">"} {
			if p.accept(o) {
				op = o
				break
			}
		}
		if op == "" {
			return v, nil
		}
		var w value
		if w, err = p.add(); err != nil {
			break
		}
		var c int
		if c, err = p.compare(v, w); err != nil {
			break
		}
		switch op {
		case "<":
			v = boolean(c < 0)
		case ">":
			v = boolean(c > 0)
		case "<=":
			v = boolean(c <= 0)
		default:
			v = boolean(c >= 0)
		}
	}
	return v, err
}

func (p *exprParser) compare(a, b value) (int, error) {
	if p.skip > 0 {
		return 0, nil
	}
	if a.kind != b.kind {
		return 0, fmt.Errorf("%w: types must match", errExpr)
	}
	switch a.kind {
	case 'n':
		switch {
		case a.n < b.n:
			return -1, nil
		case a.n > b.n:
			return 1, nil
		}
		return 0, nil
	case 'v':
		return rpmver.CompareEVR(rpmver.ParseEVR(a.s), rpmver.ParseEVR(b.s)), nil
	}
	return strings.Compare(a.s, b.s), nil
}

func (p *exprParser) add() (value, error) {
	v, err := p.mul()
	for err == nil {
		var op byte
		switch {
		case p.accept("+"):
			op = '+'
		case p.peek("-"):
			p.pos++
			op = '-'
		default:
			return v, nil
		}
		var w value
		if w, err = p.mul(); err != nil {
			break
		}
		if p.skip > 0 {
			continue
		}
		switch {
		case v.kind == 'n' && w.kind == 'n':
			if op == '+' {
				v = num(v.n + w.n)
			} else {
				v = num(v.n - w.n)
			}
		case v.kind == 's' && w.kind == 's' && op == '+':
			v = value{kind: 's', s: v.s + w.s}
		default:
			err = fmt.Errorf("%w: invalid operands for %c", errExpr, op)
		}
	}
	return v, err
}

func (p *exprParser) mul() (value, error) {
	v, err := p.unary()
	for err == nil {
		var op byte
		switch {
		case p.accept("*"):
			op = '*'
		case p.accept("/"):
			op = '/'
		default:
			return v, nil
		}
		var w value
		if w, err = p.unary(); err != nil {
			break
		}
		if p.skip > 0 {
			continue
		}
		if v.kind != 'n' || w.kind != 'n' {
			err = fmt.Errorf("%w: invalid operands for %c", errExpr, op)
			break
		}
		if op == '*' {
			v = num(v.n * w.n)
		} else if w.n == 0 {
			err = fmt.Errorf("%w: division by zero", errExpr)
		} else {
			v = num(v.n / w.n)
		}
	}
	return v, err
}

func (p *exprParser) unary() (value, error) {
	switch {
	case p.accept("!"):
		v, err := p.unary()
		if err != nil || p.skip > 0 {
			return num(0), err
		}
		return boolean(!v.truth()), nil
	case p.peek("-"):
		p.pos++
		v, err := p.unary()
		if err != nil || p.skip > 0 {
			return num(0), err
		}
		if v.kind != 'n' {
			return v, fmt.Errorf("%w: - on a string", errExpr)
		}
		return num(-v.n), nil
	}
	return p.primary()
}

func (p *exprParser) primary() (value, error) {
	p.space()
	if p.pos >= len(p.s) {
		return value{}, fmt.Errorf("%w: unexpected end", errExpr)
	}
	c := p.s[p.pos]
	switch {
	case c == '(':
		p.pos++
		v, err := p.ternary()
		if err != nil {
			return v, err
		}
		if !p.accept(")") {
			return v, fmt.Errorf("%w: missing )", errExpr)
		}
		return v, nil
	case isDigit(c):
		j := p.pos
		for j < len(p.s) && isDigit(p.s[j]) {
			j++
		}
		n, err := strconv.ParseInt(p.s[p.pos:j], 10, 64)
		p.pos = j
		if err != nil {
			return value{}, fmt.Errorf("%w: %v", errExpr, err)
		}
		return num(n), nil
	case c == '"' || (c == 'v' && p.pos+1 < len(p.s) && p.s[p.pos+1] == '"'):
		kind := byte('s')
		if c == 'v' {
			kind = 'v'
			p.pos++
		}
		j := strings.IndexByte(p.s[p.pos+1:], '"')
		if j < 0 {
			return value{}, fmt.Errorf("%w: unterminated string", errExpr)
		}
		s := p.s[p.pos+1 : p.pos+1+j]
		p.pos += j + 2
		if p.lazy != nil && p.skip == 0 {
			var err error
			if s, err = p.lazy(s); err != nil {
				return value{}, err
			}
		}
		return value{kind: kind, s: s}, nil
	case c == '%' && p.lazy != nil:
		j := p.pos + 1
		if j < len(p.s) {
			switch p.s[j] {
			case '{', '(', '[':
				closeC := map[byte]byte{'{': '}', '(': ')', '[': ']'}[p.s[j]]
				k := matchClose(p.s, j, p.s[j], closeC)
				if k < 0 {
					return value{}, fmt.Errorf("%w: unterminated macro", errExpr)
				}
				j = k + 1
			default:
				for j < len(p.s) && (p.s[j] == '?' || p.s[j] == '!') {
					j++
				}
				j = scanName(p.s, j)
			}
		}
		tok := p.s[p.pos:j]
		p.pos = j
		if p.skip > 0 {
			return num(0), nil
		}
		out, err := p.lazy(tok)
		if err != nil {
			return value{}, err
		}
		out = strings.TrimSpace(out)
		if n, err := strconv.ParseInt(out, 10, 64); err == nil {
			return num(n), nil
		}
		return value{kind: 's', s: out}, nil
	}
	return value{}, fmt.Errorf("%w: bare words are not supported: %q", errExpr, clip(p.s[p.pos:]))
}
