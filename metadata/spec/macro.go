package spec

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// Limits that keep hostile input from hanging or exhausting the reader.
const (
	maxDepth    = 64      // nested macro expansions, as rpm's max_macro_depth
	maxOutput   = 1 << 20 // bytes produced by one expansion
	maxWork     = 1 << 21 // macro expansions in one Parse
	maxNoteText = 60      // bytes of a construct kept in Unexpanded.Macro
)

// Reasons why something was not expanded (Unexpanded.Reason).
const (
	ReasonShell     = "shell"     // %(...) is never run
	ReasonLua       = "lua"       // %{lua:...} is never run
	ReasonUndefined = "undefined" // a macro no table defines
	ReasonBuiltin   = "builtin"   // a builtin this reader does not evaluate
	ReasonOptions   = "options"   // a parametric call with options the macro does not declare
	ReasonCondition = "condition" // value set or macro defined under an %if that could not be evaluated
)

var (
	errDepth = errors.New("too many levels of recursion in macro expansion")
	errSize  = errors.New("macro expansion too large")
)

// macro is one definition; prev is the definition it shadows (%undefine
// pops it).
type macro struct {
	name    string
	opts    string
	params  bool
	body    string
	tainted bool // defined under an %if that could not be evaluated
	goFunc  func(e *engine, fr *frame, args []string) (string, bool)
	prev    *macro
}

// frame holds the arguments of a parametric macro call.
type frame struct {
	name string
	args []string          // positional arguments after options
	all  []string          // every argument (%**)
	opts map[string]string // "-x" -> "-x" or "-x value"; "-x*" -> value
}

type engine struct {
	tab   map[string]*macro
	notes []Unexpanded
	line  int
	work  int
	taint bool // definitions made now are tainted
}

func newEngine() *engine {
	return &engine{tab: map[string]*macro{}}
}

func (e *engine) note(construct, reason string) {
	if len(construct) > maxNoteText {
		construct = construct[:maxNoteText] + "..."
	}
	e.notes = append(e.notes, Unexpanded{Macro: construct, Line: e.line, Reason: reason})
}

func (e *engine) takeNotes() []Unexpanded {
	n := e.notes
	e.notes = nil
	return n
}

func (e *engine) define(name, opts string, params bool, body string) {
	m := &macro{name: name, opts: opts, params: params, body: body, tainted: e.taint, prev: e.tab[name]}
	e.tab[name] = m
}

func (e *engine) undefine(name string) {
	if m := e.tab[name]; m != nil {
		if m.prev != nil {
			e.tab[name] = m.prev
		} else {
			delete(e.tab, name)
		}
	}
}

func (e *engine) defined(name string, fr *frame) bool {
	if isFrameName(name) {
		if fr == nil {
			return false
		}
		_, ok := fr.lookup(name)
		return ok
	}
	_, ok := e.tab[name]
	return ok
}

func isFrameName(name string) bool {
	if name == "" {
		return false
	}
	switch name[0] {
	case '-', '*', '#':
		return true
	}
	return isDigit(name[0])
}

func (fr *frame) lookup(name string) (string, bool) {
	switch {
	case name == "0":
		return fr.name, true
	case name == "*":
		return strings.Join(fr.args, " "), true
	case name == "**":
		return strings.Join(fr.all, " "), true
	case name == "#":
		return strconv.Itoa(len(fr.args)), true
	case name[0] == '-':
		v, ok := fr.opts[name]
		return v, ok
	}
	n, err := strconv.Atoi(name)
	if err != nil || n < 1 || n > len(fr.args) {
		return "", false
	}
	return fr.args[n-1], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isNameC(c byte) bool { return isAlpha(c) || isDigit(c) || c == '_' }
func isBlank(c byte) bool { return c == ' ' || c == '\t' }
func isSpaceC(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// matchClose returns the index of the bracket closing the one at s[i], or
// -1. A backslash escapes the next character, as in rpm's matchchar.
func matchClose(s string, i int, open, closeC byte) int {
	lvl := 0
	for k := i; k < len(s); k++ {
		c := s[k]
		if c == '\\' {
			k++
			continue
		}
		if c == closeC {
			lvl--
			if lvl <= 0 {
				return k
			}
		} else if c == open {
			lvl++
		}
	}
	return -1
}

// Expand expands s at depth 0 with no call frame.
func (e *engine) expandTop(s string) (string, error) { return e.expand(s, nil, 0) }

func (e *engine) expand(s string, fr *frame, depth int) (string, error) {
	if depth > maxDepth {
		return "", errDepth
	}
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if b.Len() > maxOutput {
			return "", errSize
		}
		c := s[i]
		if c != '%' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		switch n := s[i+1]; {
		case n == '%':
			b.WriteByte('%')
			i += 2
		case n == '{':
			j := matchClose(s, i+1, '{', '}')
			if j < 0 {
				return "", fmt.Errorf("unterminated %%{ in %q", clip(s[i:]))
			}
			out, err := e.braced(s[i:j+1], s[i+2:j], fr, depth)
			if err != nil {
				return "", err
			}
			b.WriteString(out)
			i = j + 1
		case n == '(':
			j := matchClose(s, i+1, '(', ')')
			if j < 0 {
				return "", fmt.Errorf("unterminated %%( in %q", clip(s[i:]))
			}
			e.note(s[i:j+1], ReasonShell)
			b.WriteString(s[i : j+1])
			i = j + 1
		case n == '[':
			j := matchClose(s, i+1, '[', ']')
			if j < 0 {
				b.WriteByte('%')
				i++
				continue
			}
			out, err := e.exprMacro(s[i:j+1], s[i+2:j], fr, depth)
			if err != nil {
				return "", err
			}
			b.WriteString(out)
			i = j + 1
		default:
			out, used, err := e.bare(s, i, fr, depth)
			if err != nil {
				return "", err
			}
			if used == 0 {
				b.WriteByte('%')
				i++
				continue
			}
			b.WriteString(out)
			i += used
		}
	}
	if b.Len() > maxOutput {
		return "", errSize
	}
	return b.String(), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// scanName reads a macro name at s[i:]: an identifier, digits, "*", "**",
// "#", "-x" or "-x*".
func scanName(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '*':
		if i+1 < len(s) && s[i+1] == '*' {
			return i + 2
		}
		return i + 1
	case c == '#':
		return i + 1
	case c == '-':
		if i+1 < len(s) && isNameC(s[i+1]) {
			if i+2 < len(s) && s[i+2] == '*' {
				return i + 3
			}
			return i + 2
		}
		return i
	}
	j := i
	for j < len(s) && isNameC(s[j]) {
		j++
	}
	return j
}

// bare expands "%name" (and %?name, %!?name) starting at s[i] == '%'. It
// returns the bytes consumed, 0 when s[i:] is not a macro reference.
func (e *engine) bare(s string, i int, fr *frame, depth int) (string, int, error) {
	k := i + 1
	neg, cond := false, false
	for k < len(s) && (s[k] == '!' || s[k] == '?') {
		if s[k] == '!' {
			neg = !neg
		} else {
			cond = true
		}
		k++
	}
	j := scanName(s, k)
	if j == k {
		return "", 0, nil
	}
	name := s[k:j]
	if cond {
		if e.defined(name, fr) == neg {
			return "", j - i, nil
		}
		if neg {
			return "", j - i, nil
		}
	}
	// Builtins that take the rest of the line.
	switch name {
	case "define", "global", "undefine":
		rest := s[j:]
		n, err := e.defineCmd(name, rest, fr, depth)
		return "", j - i + n, err
	}
	if isFrameName(name) {
		if fr == nil {
			if name[0] == '-' || name == "#" || name == "*" || name == "**" {
				return "", 0, nil
			}
			e.note("%"+name, ReasonUndefined)
			return s[i:j], j - i, nil
		}
		v, ok := fr.lookup(name)
		if !ok {
			if name[0] == '-' {
				return "", j - i, nil
			}
			e.note("%"+name, ReasonUndefined)
			return s[i:j], j - i, nil
		}
		return v, j - i, nil
	}
	m := e.tab[name]
	if m == nil && (sections[name] || specBuiltins[name]) {
		return s[i:j], j - i, nil // spec syntax, not a macro
	}
	if m == nil {
		if e.isBuiltinFunc(name) {
			e.note("%"+name, ReasonBuiltin)
		} else {
			e.note("%"+name, ReasonUndefined)
		}
		return s[i:j], j - i, nil
	}
	if m.params {
		// The arguments are the rest of the line.
		end := strings.IndexByte(s[j:], '\n')
		if end < 0 {
			end = len(s) - j
		}
		argText, err := e.expand(s[j:j+end], fr, depth+1)
		if err != nil {
			return "", 0, err
		}
		out, err := e.call(m, s[i:j+end], strings.Fields(argText), fr, depth)
		return out, j - i + end, err
	}
	out, err := e.call(m, s[i:j], nil, fr, depth)
	return out, j - i, err
}

// braced expands whole == "%{" + c + "}".
func (e *engine) braced(whole, c string, fr *frame, depth int) (string, error) {
	k := 0
	neg, cond := false, false
	for k < len(c) && (c[k] == '!' || c[k] == '?') {
		if c[k] == '!' {
			neg = !neg
		} else {
			cond = true
		}
		k++
	}
	j := scanName(c, k)
	name := c[k:j]
	rest := c[j:]
	hasColon, hasSpace := false, false
	var arg string
	switch {
	case rest == "":
	case rest[0] == ':':
		hasColon, arg = true, rest[1:]
	case isSpaceC(rest[0]):
		hasSpace, arg = true, strings.TrimLeft(rest, " \t\n")
	default:
		name = "" // not a macro reference: keep it verbatim
	}
	if name == "" {
		return whole, nil
	}
	if cond {
		def := e.defined(name, fr)
		if def == neg {
			return "", nil
		}
		if hasColon {
			return e.expand(arg, fr, depth+1)
		}
		if neg {
			return "", nil
		}
	}
	if !isFrameName(name) {
		if out, ok, err := e.builtinFunc(whole, name, arg, hasColon || hasSpace, fr, depth); ok || err != nil {
			return out, err
		}
	}
	if isFrameName(name) {
		if fr == nil {
			if name[0] == '-' {
				return "", nil
			}
			e.note(whole, ReasonUndefined)
			return whole, nil
		}
		v, ok := fr.lookup(name)
		if !ok {
			if name[0] == '-' {
				return "", nil
			}
			e.note(whole, ReasonUndefined)
			return whole, nil
		}
		return v, nil
	}
	m := e.tab[name]
	if m == nil {
		e.note("%{"+name+"}", ReasonUndefined)
		return whole, nil
	}
	var args []string
	if m.params {
		switch {
		case hasColon:
			a, err := e.expand(arg, fr, depth+1)
			if err != nil {
				return "", err
			}
			args = []string{a}
		case hasSpace:
			a, err := e.expand(arg, fr, depth+1)
			if err != nil {
				return "", err
			}
			args = strings.Fields(a)
		}
	}
	return e.call(m, whole, args, fr, depth)
}

// call expands macro m; args are the call's arguments (parametric only).
func (e *engine) call(m *macro, whole string, args []string, fr *frame, depth int) (string, error) {
	e.work++
	if e.work > maxWork {
		return "", errSize
	}
	if m.tainted {
		e.note("%"+m.name, ReasonCondition)
	}
	if m.goFunc != nil {
		out, ok := m.goFunc(e, fr, args)
		if !ok {
			e.note(whole, ReasonBuiltin)
			return whole, nil
		}
		return e.expand(out, fr, depth+1)
	}
	if !m.params {
		return e.expand(m.body, fr, depth+1)
	}
	nf, ok := getopt(m.name, m.opts, args)
	if !ok {
		e.note(whole, ReasonOptions)
		return whole, nil
	}
	return e.expand(m.body, nf, depth+1)
}

// getopt splits a parametric call's arguments as rpm does: leading
// options declared in opts ("ab:" = -a, -b value), then positionals.
func getopt(name, opts string, args []string) (*frame, bool) {
	fr := &frame{name: name, all: args, opts: map[string]string{}}
	i := 0
	for i < len(args) {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for k := 1; k < len(a); k++ {
			o := a[k]
			p := strings.IndexByte(opts, o)
			if p < 0 || o == ':' {
				return nil, false
			}
			if p+1 < len(opts) && opts[p+1] == ':' {
				v := a[k+1:]
				if v == "" {
					i++
					if i >= len(args) {
						return nil, false
					}
					v = args[i]
				}
				fr.opts["-"+string(o)] = "-" + string(o) + " " + v
				fr.opts["-"+string(o)+"*"] = v
				break
			}
			fr.opts["-"+string(o)] = "-" + string(o)
			fr.opts["-"+string(o)+"*"] = ""
		}
		i++
	}
	fr.args = args[i:]
	return fr, true
}

// defineCmd runs %define, %global or %undefine on text (what follows the
// keyword) and returns how many bytes of text it consumed.
func (e *engine) defineCmd(kw, text string, fr *frame, depth int) (int, error) {
	if kw == "undefine" {
		end := strings.IndexByte(text, '\n')
		if end < 0 {
			end = len(text)
		}
		f := strings.Fields(text[:end])
		if len(f) > 0 {
			e.undefine(f[0])
		}
		return end, nil
	}
	d, n, err := parseDefinition(text)
	if err != nil {
		return 0, err
	}
	body := d.body
	if kw == "global" {
		saved := e.notes
		body, err = e.expand(body, fr, depth+1)
		e.notes = saved
		if err != nil {
			return 0, err
		}
	}
	e.define(d.name, d.opts, d.params, body)
	return n, nil
}

type definition struct {
	name, opts string
	params     bool
	body       string
}

// parseDefinition reads "name[(opts)] body" from s as rpm's doDefine
// does: the body runs to the end of the line, or further while a %{, %(
// or %[ is open or the newline is escaped; a backslash escapes the next
// character; trailing blanks are trimmed.
func parseDefinition(s string) (definition, int, error) {
	var d definition
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	j := i
	for j < len(s) && isNameC(s[j]) {
		j++
	}
	if j == i {
		return d, 0, fmt.Errorf("macro definition without a name: %q", clip(s))
	}
	d.name = s[i:j]
	if j < len(s) && s[j] == '(' {
		k := strings.IndexByte(s[j:], ')')
		if k < 0 || strings.ContainsAny(s[j:j+k], "\n") {
			return d, 0, fmt.Errorf("macro %%%s: unterminated options", d.name)
		}
		d.params, d.opts = true, s[j+1:j+k]
		j += k + 1
	}
	for j < len(s) && isBlank(s[j]) {
		j++
	}
	var b strings.Builder
	bc, pc, xc := 0, 0, 0
	k := j
	for k < len(s) && (bc > 0 || pc > 0 || xc > 0 || s[k] != '\n') {
		c := s[k]
		switch c {
		case '\\':
			if k+1 < len(s) {
				k++
				c = s[k]
			}
		case '%':
			if k+1 < len(s) {
				switch s[k+1] {
				case '{':
					bc++
					b.WriteByte('%')
					k++
					c = '{'
				case '(':
					pc++
					b.WriteByte('%')
					k++
					c = '('
				case '[':
					xc++
					b.WriteByte('%')
					k++
					c = '['
				case '%':
					b.WriteByte('%')
					k++
				}
			}
		case '{':
			if bc > 0 {
				bc++
			}
		case '}':
			if bc > 0 {
				bc--
			}
		case '(':
			if pc > 0 {
				pc++
			}
		case ')':
			if pc > 0 {
				pc--
			}
		case '[':
			if xc > 0 {
				xc++
			}
		case ']':
			if xc > 0 {
				xc--
			}
		}
		b.WriteByte(c)
		k++
	}
	if bc > 0 || pc > 0 {
		return d, 0, fmt.Errorf("macro %%%s: unterminated body", d.name)
	}
	d.body = strings.TrimRight(b.String(), " \t\n\r")
	return d, k, nil
}

// specBuiltins are spec directives rpm handles itself, left verbatim.
var specBuiltins = map[string]bool{
	"setup": true, "patch": true, "autosetup": true, "autopatch": true, "doc": true,
	"license": true, "dir": true, "config": true, "attr": true, "defattr": true, "ghost": true,
	"verify": true, "docdir": true, "exclude": true, "lang": true, "caps": true, "artifact": true,
	"missingok": true, "noreplace": true, "readme": true, "pubkey": true, "dev": true,
}

var builtinNames = map[string]bool{
	"expand": true, "lua": true, "defined": true, "undefined": true, "quote": true,
	"basename": true, "dirname": true, "suffix": true, "shrink": true, "upper": true,
	"lower": true, "len": true, "echo": true, "warn": true, "error": true, "verbose": true,
	"expr": true, "getenv": true, "uncompress": true, "url2path": true, "u2p": true,
	"load": true, "trace": true, "dump": true, "getncpus": true, "S": true, "P": true,
	"F": true, "rpmversion": true, "sub": true, "rep": true, "gsub": true, "macrobody": true,
	"exists": true, "reverse": true,
}

func (e *engine) isBuiltinFunc(name string) bool { return builtinNames[name] }

// builtinFunc evaluates rpm's builtin macros. ok is false when name is
// not a builtin (or a table macro shadows it).
func (e *engine) builtinFunc(whole, name, arg string, hasArg bool, fr *frame, depth int) (string, bool, error) {
	switch name {
	case "define", "global", "undefine":
		_, err := e.defineCmd(name, arg, fr, depth)
		return "", true, err
	}
	if !builtinNames[name] || e.tab[name] != nil {
		return "", false, nil
	}
	switch name {
	case "lua":
		e.note(whole, ReasonLua)
		return whole, true, nil
	case "expand":
		a, err := e.expand(arg, fr, depth+1)
		if err != nil {
			return "", true, err
		}
		out, err := e.expand(a, fr, depth+1)
		return out, true, err
	case "defined", "undefined":
		a, err := e.expand(strings.TrimSpace(arg), fr, depth+1)
		if err != nil {
			return "", true, err
		}
		if e.defined(strings.TrimSpace(a), fr) == (name == "defined") {
			return "1", true, nil
		}
		return "0", true, nil
	case "expr":
		out, err := e.exprMacro(whole, arg, fr, depth)
		return out, true, err
	case "macrobody":
		m := e.tab[strings.TrimSpace(arg)]
		if m == nil {
			e.note(whole, ReasonUndefined)
			return whole, true, nil
		}
		return m.body, true, nil
	}
	a, err := e.expand(arg, fr, depth+1)
	if err != nil {
		return "", true, err
	}
	switch name {
	case "quote":
		return a, true, nil
	case "basename":
		return path.Base(strings.TrimSpace(a)), true, nil
	case "dirname":
		return path.Dir(strings.TrimSpace(a)), true, nil
	case "suffix":
		s := strings.TrimSpace(a)
		if k := strings.LastIndexByte(s, '.'); k >= 0 {
			return s[k+1:], true, nil
		}
		return "", true, nil
	case "shrink":
		return strings.Join(strings.Fields(a), " "), true, nil
	case "upper":
		return strings.ToUpper(a), true, nil
	case "lower":
		return strings.ToLower(a), true, nil
	case "len":
		return strconv.Itoa(len(a)), true, nil
	case "reverse":
		r := []rune(a)
		for x, y := 0, len(r)-1; x < y; x, y = x+1, y-1 {
			r[x], r[y] = r[y], r[x]
		}
		return string(r), true, nil
	case "url2path", "u2p":
		s := strings.TrimSpace(a)
		if k := strings.Index(s, "://"); k >= 0 {
			s = s[k+3:]
			if p := strings.IndexByte(s, '/'); p >= 0 {
				return s[p:], true, nil
			}
			return "", true, nil
		}
		return s, true, nil
	case "echo", "warn", "verbose", "trace", "dump":
		return "", true, nil
	case "error":
		return "", true, fmt.Errorf("%%{error:%s}", strings.TrimSpace(a))
	}
	_ = hasArg
	e.note(whole, ReasonBuiltin)
	return whole, true, nil
}

// exprMacro evaluates %[expr] (or %{expr:...}) lazily, as rpm does.
func (e *engine) exprMacro(whole, expr string, fr *frame, depth int) (string, error) {
	mark := len(e.notes)
	v, err := evalExpr(expr, func(s string) (string, error) { return e.expand(s, fr, depth+1) })
	if len(e.notes) > mark {
		return whole, nil
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", clip(whole), err)
	}
	return v.String(), nil
}
