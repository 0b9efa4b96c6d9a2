package depsolve

import (
	"errors"
	"fmt"
	"strings"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// Op is the operator of a rich (boolean) dependency node.
type Op uint8

// The operators of rpm's boolean dependencies. OpAtom is a plain
// capability ("name" or "name OP evr").
const (
	OpAtom Op = iota
	OpAnd
	OpOr
	OpIf
	OpUnless
	OpWith
	OpWithout
)

var opNames = [...]string{"", "and", "or", "if", "unless", "with", "without"}

func (o Op) String() string { return opNames[o] }

// Expr is a parsed dependency. An atom has Name and Range; an operator
// node has Args (two or more for and/or/with, chained as rpm allows; two
// for if/unless/without) and, for if/unless, an optional Else.
type Expr struct {
	Op    Op
	Name  string
	Range rpmver.Range
	Args  []*Expr
	Else  *Expr
}

// ErrSyntax is wrapped by every rich dependency parse error.
var ErrSyntax = errors.New("rich dependency syntax")

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

// ParseDep parses a dependency as rpm spells it in a spec file or in
// repodata's flattened form: "name", "name OP evr" or a rich expression
// "(A and (B or C >= 2))".
func ParseDep(s string) (*Expr, error) {
	p := &parser{s: s}
	p.skip()
	if p.peek() != '(' {
		e, err := p.atom(true)
		if err != nil {
			return nil, err
		}
		p.skip()
		if p.i != len(p.s) {
			return nil, p.errf("trailing text %q", p.s[p.i:])
		}
		return e, nil
	}
	e, err := p.group(0)
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.i != len(p.s) {
		return nil, p.errf("trailing text %q", p.s[p.i:])
	}
	return e, nil
}

// MustParseDep is ParseDep for literals in tests and examples.
func MustParseDep(s string) *Expr {
	e, err := ParseDep(s)
	if err != nil {
		panic(err)
	}
	return e
}

type parser struct {
	s string
	i int
}

func (p *parser) errf(format string, a ...any) error {
	return fmt.Errorf("%w: %q at offset %d: %s", ErrSyntax, p.s, p.i, fmt.Sprintf(format, a...))
}

func (p *parser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// word reads a token up to whitespace or an unbalanced ')'. Parentheses
// inside a name ("python3dist(foo)") are balanced as rpm does.
func (p *parser) word() string {
	start, level := p.i, 0
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == ' ' || c == '\t' || c == '\n' {
			break
		}
		if c == '(' {
			level++
		} else if c == ')' {
			if level == 0 {
				break
			}
			level--
		}
		p.i++
	}
	return p.s[start:p.i]
}

var keywords = map[string]Op{"and": OpAnd, "or": OpOr, "if": OpIf, "unless": OpUnless, "with": OpWith, "without": OpWithout}

// atom reads "name [OP evr]". top is true outside parentheses, where the
// name may not be followed by an operator keyword.
func (p *parser) atom(top bool) (*Expr, error) {
	p.skip()
	name := p.word()
	if name == "" {
		return nil, p.errf("missing name")
	}
	if _, kw := keywords[name]; kw || name == "else" {
		return nil, p.errf("operator %q where a name was expected", name)
	}
	e := &Expr{Op: OpAtom, Name: name}
	save := p.i
	p.skip()
	opStart := p.i
	op := p.word()
	if f, err := rpmver.ParseFlags(op); err == nil && f != 0 {
		p.skip()
		evr := p.word()
		if evr == "" || strings.ContainsAny(evr, "()") {
			p.i = opStart
			return nil, p.errf("missing version after %q", op)
		}
		e.Range = rpmver.Range{Flags: f, EVR: rpmver.ParseEVR(evr)}
		if e.Range.EVR.Version == "" {
			p.i = opStart
			return nil, p.errf("empty version in %q", evr)
		}
		return e, nil
	}
	p.i = save
	return e, nil
}

// operand reads an atom or a parenthesised group.
func (p *parser) operand(depth int) (*Expr, error) {
	p.skip()
	if p.peek() == '(' {
		return p.group(depth + 1)
	}
	return p.atom(false)
}

// group reads "( operand [op operand ...] )".
func (p *parser) group(depth int) (*Expr, error) {
	if depth > maxDepth {
		return nil, p.errf("nested deeper than %d", maxDepth)
	}
	p.i++ // '('
	first, err := p.operand(depth)
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.peek() == ')' {
		p.i++
		return first, nil
	}
	kwStart := p.i
	kw := p.word()
	op, ok := keywords[kw]
	if !ok {
		p.i = kwStart
		return nil, p.errf("expected an operator, got %q", kw)
	}
	e := &Expr{Op: op, Args: []*Expr{first}}
	for {
		arg, err := p.operand(depth)
		if err != nil {
			return nil, err
		}
		e.Args = append(e.Args, arg)
		p.skip()
		if p.peek() == ')' {
			p.i++
			return e, nil
		}
		at := p.i
		kw = p.word()
		if kw == "else" && (op == OpIf || op == OpUnless) && e.Else == nil && len(e.Args) == 2 {
			if e.Else, err = p.operand(depth); err != nil {
				return nil, err
			}
			p.skip()
			if p.peek() != ')' {
				return nil, p.errf("expected ')' after else branch")
			}
			p.i++
			return e, nil
		}
		next, ok := keywords[kw]
		if !ok {
			p.i = at
			if p.i >= len(p.s) {
				return nil, p.errf("missing ')'")
			}
			return nil, p.errf("expected an operator or ')', got %q", kw)
		}
		if next != op || (op != OpAnd && op != OpOr && op != OpWith) {
			p.i = at
			return nil, p.errf("cannot chain %q after %q without parentheses", kw, op)
		}
	}
}

// IsRich reports whether the expression is a boolean one.
func (e *Expr) IsRich() bool { return e.Op != OpAtom }

// String prints the expression in rpm's canonical form.
func (e *Expr) String() string {
	var b strings.Builder
	e.write(&b)
	return b.String()
}

func (e *Expr) write(b *strings.Builder) {
	if e.Op == OpAtom {
		b.WriteString(e.Name)
		if !e.Range.Any() {
			b.WriteByte(' ')
			b.WriteString(e.Range.String())
		}
		return
	}
	b.WriteByte('(')
	for i, a := range e.Args {
		if i > 0 {
			b.WriteByte(' ')
			b.WriteString(e.Op.String())
			b.WriteByte(' ')
		}
		a.write(b)
	}
	if e.Else != nil {
		b.WriteString(" else ")
		e.Else.write(b)
	}
	b.WriteByte(')')
}

// Eval decides whether the dependency is met, with providers telling which
// packages (by any integer id) of the installed set provide an atom. With
// and without need the same package on both sides, as rpm defines them:
// (A with B) is met by one package providing both.
func (e *Expr) Eval(providers func(atom *Expr) []PkgID) bool {
	switch e.Op {
	case OpAtom:
		return len(providers(e)) > 0
	case OpAnd:
		for _, a := range e.Args {
			if !a.Eval(providers) {
				return false
			}
		}
		return true
	case OpOr:
		for _, a := range e.Args {
			if a.Eval(providers) {
				return true
			}
		}
		return false
	case OpIf, OpUnless:
		cond := e.Args[1].Eval(providers)
		if e.Op == OpUnless {
			cond = !cond
		}
		if cond {
			return e.Args[0].Eval(providers)
		}
		if e.Else != nil {
			return e.Else.Eval(providers)
		}
		return true
	case OpWith, OpWithout:
		return len(e.sameProvider(providers)) > 0
	}
	return false
}

// sameProvider returns the packages that satisfy a with/without node on
// their own.
func (e *Expr) sameProvider(providers func(atom *Expr) []PkgID) []PkgID {
	set := e.Args[0].providerSet(providers)
	for _, a := range e.Args[1:] {
		other := a.providerSet(providers)
		var keep []PkgID
		for _, p := range set {
			if contains(other, p) == (e.Op == OpWith) {
				keep = append(keep, p)
			}
		}
		set = keep
	}
	return set
}

// providerSet returns the packages that provide an operand of with/without
// (an atom, or a nested with/without/or/and evaluated per package).
func (e *Expr) providerSet(providers func(atom *Expr) []PkgID) []PkgID {
	switch e.Op {
	case OpAtom:
		return providers(e)
	case OpWith, OpWithout:
		return e.sameProvider(providers)
	case OpOr:
		var u []PkgID
		for _, a := range e.Args {
			u = union(u, a.providerSet(providers))
		}
		return u
	case OpAnd:
		var s []PkgID
		for i, a := range e.Args {
			if i == 0 {
				s = a.providerSet(providers)
			} else {
				s = intersect(s, a.providerSet(providers))
			}
		}
		return s
	}
	return nil
}

// Atoms calls f for every atom of the expression, left to right.
func (e *Expr) Atoms(f func(*Expr)) {
	if e.Op == OpAtom {
		f(e)
		return
	}
	for _, a := range e.Args {
		a.Atoms(f)
	}
	if e.Else != nil {
		e.Else.Atoms(f)
	}
}
