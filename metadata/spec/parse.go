package spec

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/distmeta/distmeta/metadata/rpmver"
)

// logLine is one logical line: physical lines joined while a %{ or %( is
// open or the newline is escaped, as rpm reads them.
type logLine struct {
	text string
	line int // first physical line, 1-based
}

func splitLogical(src string) ([]logLine, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	phys := strings.Split(src, "\n")
	if len(phys) > 0 && phys[len(phys)-1] == "" {
		phys = phys[:len(phys)-1]
	}
	var out []logLine
	var cur strings.Builder
	start, bc, pc := 0, 0, 0
	for n, l := range phys {
		isDir := false
		if bc == 0 && pc == 0 {
			// A conditional is always a line of its own, even right
			// after a line ending in a backslash (a configure call
			// with an %ifarch between its options).
			if kw, _ := directive(strings.TrimLeft(l, " \t")); kw != "" {
				isDir = true
				if cur.Len() > 0 {
					out = append(out, logLine{cur.String(), start})
					cur.Reset()
				}
			}
		}
		if cur.Len() == 0 {
			start = n + 1
		} else {
			cur.WriteByte('\n')
		}
		cur.WriteString(l)
		nc := false
		for k := 0; k < len(l); k++ {
			switch l[k] {
			case '\\':
				if k+1 == len(l) {
					nc = true
				}
				k++
			case '%':
				if k+1 < len(l) {
					switch l[k+1] {
					case '{':
						bc++
						k++
					case '(':
						pc++
						k++
					case '%':
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
			}
		}
		if bc > 0 || pc > 0 || (nc && !isDir) {
			continue
		}
		out = append(out, logLine{cur.String(), start})
		cur.Reset()
	}
	if cur.Len() > 0 || bc > 0 || pc > 0 {
		if bc > 0 || pc > 0 {
			return nil, fmt.Errorf("line %d: unclosed macro or bad line continuation", start)
		}
		out = append(out, logLine{cur.String(), start})
	}
	return out, nil
}

// cond is one open %if.
type cond struct {
	line         int
	parentActive bool
	active       bool // this branch is being read
	taken        bool // an earlier branch was true
	uncertain    bool // the condition could not be evaluated: read every branch
	sawElse      bool
	text         string
}

type parser struct {
	e        *engine
	opts     Options
	s        *Spec
	section  string
	pkg      *Package
	conds    []cond
	nsrc     int
	npatch   int
	clogDone bool
}

var sections = map[string]bool{
	"package": true, "description": true, "prep": true, "build": true, "install": true,
	"check": true, "clean": true, "files": true, "changelog": true, "pre": true, "post": true,
	"preun": true, "postun": true, "pretrans": true, "posttrans": true, "preuntrans": true,
	"postuntrans": true, "verifyscript": true, "triggerprein": true, "triggerin": true,
	"triggerun": true, "triggerpostun": true, "filetriggerin": true, "filetriggerun": true,
	"filetriggerpostun": true, "transfiletriggerin": true, "transfiletriggerun": true,
	"transfiletriggerpostun": true, "sepolicy": true, "generate_buildrequires": true,
	"conf": true, "patchlist": true, "sourcelist": true,
}

// Parse reads a spec file for the target described by opts.
func Parse(data []byte, opts Options) (*Spec, error) {
	e := newEngine()
	if !opts.NoDefaultMacros {
		e.define("pypi_source", "", true, "")
		e.tab["pypi_source"].goFunc = pypiSource
	}
	if err := e.loadMacroFile(MacroFile(opts)); err != nil {
		return nil, err
	}
	lines, err := splitLogical(string(data))
	if err != nil {
		return nil, err
	}
	p := &parser{e: e, opts: opts, s: &Spec{}, section: "preamble"}
	p.s.Packages = []Package{{Line: 1}}
	p.pkg = &p.s.Packages[0]
	for _, l := range lines {
		if err := p.line(l); err != nil {
			return nil, fmt.Errorf("line %d: %w", l.line, err)
		}
	}
	if len(p.conds) > 0 {
		c := p.conds[len(p.conds)-1]
		return nil, fmt.Errorf("line %d: unterminated %%if (no %%endif)", c.line)
	}
	if p.s.Name == "" {
		return nil, fmt.Errorf("no Name tag")
	}
	p.s.Packages[0].Name = p.s.Name
	p.s.Unexpanded = dedupe(p.s.Unexpanded)
	return p.s, nil
}

func dedupe(us []Unexpanded) []Unexpanded {
	seen := map[Unexpanded]bool{}
	out := us[:0]
	for _, u := range us {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (p *parser) active() bool {
	return len(p.conds) == 0 || p.conds[len(p.conds)-1].active
}

func (p *parser) uncertain() bool {
	for _, c := range p.conds {
		if c.uncertain {
			return true
		}
	}
	return false
}

// directive returns the conditional keyword of a line ("if", "ifarch",
// ...) and its argument text.
func directive(t string) (string, string) {
	if !strings.HasPrefix(t, "%") {
		return "", ""
	}
	j := 1
	for j < len(t) && isNameC(t[j]) {
		j++
	}
	kw := t[1:j]
	switch kw {
	case "if", "ifarch", "ifnarch", "ifos", "ifnos", "elif", "elifarch", "elifos", "else", "endif":
		if j < len(t) && !isSpaceC(t[j]) {
			return "", ""
		}
		return kw, t[j:]
	}
	return "", ""
}

func (p *parser) line(l logLine) error {
	p.e.line = l.line
	t := strings.TrimLeft(l.text, " \t")
	if kw, arg := directive(t); kw != "" {
		return p.conditional(kw, arg, l)
	}
	if !p.active() {
		return nil
	}
	if p.section == "changelog" && p.clogDone {
		// Only section headers matter after the first entry.
		if !strings.HasPrefix(t, "%") {
			return nil
		}
	}
	p.e.taint = p.uncertain()
	out, err := p.e.expandTop(l.text)
	p.e.taint = false
	if err != nil {
		return err
	}
	notes := p.e.takeNotes()
	if strings.HasPrefix(t, "#") && p.section != "changelog" {
		return nil
	}
	for i, sub := range strings.Split(out, "\n") {
		if err := p.handle(sub, l.line+i, notes); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) conditional(kw, arg string, l logLine) error {
	arg = strings.TrimSpace(arg)
	switch kw {
	case "else":
		if len(p.conds) == 0 {
			return fmt.Errorf("%%else without %%if")
		}
		c := &p.conds[len(p.conds)-1]
		if c.sawElse {
			return fmt.Errorf("%%else after %%else (the %%if is on line %d)", c.line)
		}
		c.sawElse = true
		c.active = c.parentActive && (c.uncertain || !c.taken)
		c.taken = true
		return nil
	case "endif":
		if len(p.conds) == 0 {
			return fmt.Errorf("%%endif without %%if")
		}
		p.conds = p.conds[:len(p.conds)-1]
		return nil
	case "elif", "elifarch", "elifos":
		if len(p.conds) == 0 {
			return fmt.Errorf("%%%s without %%if", kw)
		}
		c := &p.conds[len(p.conds)-1]
		if c.sawElse {
			return fmt.Errorf("%%%s after %%else (the %%if is on line %d)", kw, c.line)
		}
		if !c.parentActive || (c.taken && !c.uncertain) {
			c.active = false
			return nil
		}
		v, known, err := p.evalCond(strings.TrimPrefix(kw, "el"), arg, l)
		if err != nil {
			return err
		}
		if !known {
			c.uncertain = true
			c.active = true
			return nil
		}
		c.active = v && !c.taken
		c.taken = c.taken || v
		if c.uncertain {
			c.active = v
		}
		return nil
	}
	parentActive := p.active()
	c := cond{line: l.line, parentActive: parentActive, text: "%" + kw + " " + arg}
	if parentActive {
		v, known, err := p.evalCond(kw, arg, l)
		if err != nil {
			return err
		}
		if known {
			c.active, c.taken = v, v
		} else {
			c.active, c.uncertain = true, true
		}
	}
	p.conds = append(p.conds, c)
	return nil
}

// evalCond evaluates an %if-family condition; known is false when it
// holds something unexpandable.
func (p *parser) evalCond(kw, arg string, l logLine) (v, known bool, err error) {
	out, err := p.e.expandTop(arg)
	if err != nil {
		return false, false, err
	}
	notes := p.e.takeNotes()
	if len(notes) > 0 {
		if p.inPreamble() {
			for _, n := range notes {
				n.Field = "%if"
				p.s.Unexpanded = append(p.s.Unexpanded, n)
			}
		}
		return false, false, nil
	}
	switch kw {
	case "ifarch", "ifnarch", "ifos", "ifnos", "arch", "os":
		target := p.opts.arch()
		if strings.HasSuffix(kw, "os") {
			target = p.opts.os()
		}
		match := false
		for _, a := range strings.FieldsFunc(out, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\n' }) {
			if a == target {
				match = true
			}
		}
		if strings.HasPrefix(kw, "ifn") {
			match = !match
		}
		return match, true, nil
	}
	if strings.TrimSpace(out) == "" {
		return false, false, fmt.Errorf("%%%s: empty condition", kw)
	}
	val, err := evalExpr(out, nil)
	if err != nil {
		return false, false, fmt.Errorf("%%%s %s: %w", kw, strings.TrimSpace(out), err)
	}
	return val.truth(), true, nil
}

func (p *parser) inPreamble() bool { return p.section == "preamble" }

var tagRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$`)

func (p *parser) handle(line string, ln int, notes []Unexpanded) error {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, "%") {
		j := 1
		for j < len(t) && isNameC(t[j]) {
			j++
		}
		if kw := t[1:j]; sections[kw] && (j == len(t) || isSpaceC(t[j])) {
			return p.startSection(kw, t[j:], ln, notes)
		}
	}
	switch p.section {
	case "preamble":
		if t == "" || t[0] == '#' {
			return nil
		}
		m := tagRE.FindStringSubmatch(t)
		if m == nil {
			return nil
		}
		return p.tag(m[1], m[2], strings.TrimSpace(m[3]), ln, notes)
	case "changelog":
		return p.changelog(line, ln, notes)
	case "sourcelist", "patchlist":
		if t == "" || t[0] == '#' {
			return nil
		}
		if p.section == "sourcelist" {
			return p.addSource("Source", "", t, ln, notes)
		}
		return p.addSource("Patch", "", t, ln, notes)
	}
	return nil
}

func (p *parser) record(notes []Unexpanded, field string) {
	for _, n := range notes {
		n.Field = field
		p.s.Unexpanded = append(p.s.Unexpanded, n)
	}
	if u := p.uncertain(); u && p.e.line > 0 {
		for _, c := range p.conds {
			if c.uncertain {
				p.s.Unexpanded = append(p.s.Unexpanded, Unexpanded{Macro: c.text, Line: p.e.line, Reason: ReasonCondition, Field: field})
			}
		}
	}
}

func (p *parser) startSection(kw, rest string, ln int, notes []Unexpanded) error {
	p.section = kw
	if kw != "package" {
		return nil
	}
	args := strings.Fields(rest)
	var name string
	switch {
	case len(args) >= 2 && args[0] == "-n":
		name = args[1]
	case len(args) >= 1 && args[0] != "-n":
		if p.s.Name == "" {
			return fmt.Errorf("%%package %s before the Name tag", args[0])
		}
		name = p.s.Name + "-" + args[0]
	default:
		return fmt.Errorf("%%package without a name")
	}
	for _, q := range p.s.Packages[1:] {
		if q.Name == name {
			return fmt.Errorf("%%package %s: package already exists (line %d)", name, q.Line)
		}
	}
	p.record(notes, "%package")
	p.s.Packages = append(p.s.Packages, Package{Name: name, Line: ln})
	p.pkg = &p.s.Packages[len(p.s.Packages)-1]
	p.section = "preamble"
	return nil
}

// tagMacros are the tags whose value rpm also defines as a macro.
var tagMacros = map[string]bool{
	"name": true, "version": true, "release": true, "epoch": true, "summary": true,
	"license": true, "url": true, "group": true, "vendor": true, "packager": true,
	"distribution": true, "disturl": true, "bugurl": true, "vcs": true, "modularitylabel": true,
}

var numSuffix = regexp.MustCompile(`^(source|patch)(\d*)$`)

func (p *parser) tag(name, qual, val string, ln int, notes []Unexpanded) error {
	lower := strings.ToLower(name)
	main := p.pkg == &p.s.Packages[0]
	if tagMacros[lower] && (main || (lower != "name" && lower != "version" && lower != "release" && lower != "epoch")) {
		p.e.define(lower, "", false, val)
	}
	switch lower {
	case "name", "version", "release", "epoch":
		if !main {
			return nil
		}
		field := strings.ToUpper(lower[:1]) + lower[1:]
		p.record(notes, field)
		switch lower {
		case "name":
			p.s.Name = val
			p.s.Packages[0].Line = ln
		case "version":
			p.s.Version = val
		case "release":
			p.s.Release = val
		default:
			p.s.Epoch = val
		}
		return nil
	case "buildrequires", "buildprereq", "buildconflicts", "requires", "prereq", "provides",
		"conflicts", "obsoletes", "recommends", "suggests", "supplements", "enhances":
		field := map[string]string{"buildprereq": "BuildRequires", "buildrequires": "BuildRequires",
			"buildconflicts": "BuildConflicts", "requires": "Requires", "prereq": "Requires",
			"provides": "Provides", "conflicts": "Conflicts", "obsoletes": "Obsoletes",
			"recommends": "Recommends", "suggests": "Suggests", "supplements": "Supplements",
			"enhances": "Enhances"}[lower]
		deps, err := parseDeps(val)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		p.record(notes, field)
		unc := p.uncertain()
		for i := range deps {
			deps[i].Line = ln
			deps[i].Uncertain = unc
			deps[i].Qualifiers = strings.TrimSpace(qual)
			if len(notes) > 0 && (strings.Contains(deps[i].Name, "%") || strings.Contains(deps[i].EVR.String(), "%") || !anyPercent(deps)) {
				deps[i].Incomplete = true
			}
		}
		switch field {
		case "BuildRequires":
			p.s.BuildRequires = append(p.s.BuildRequires, deps...)
		case "BuildConflicts":
			p.s.BuildConflicts = append(p.s.BuildConflicts, deps...)
		case "Requires":
			p.pkg.Requires = append(p.pkg.Requires, deps...)
		case "Provides":
			p.pkg.Provides = append(p.pkg.Provides, deps...)
		case "Conflicts":
			p.pkg.Conflicts = append(p.pkg.Conflicts, deps...)
		case "Obsoletes":
			p.pkg.Obsoletes = append(p.pkg.Obsoletes, deps...)
		case "Recommends":
			p.pkg.Recommends = append(p.pkg.Recommends, deps...)
		case "Suggests":
			p.pkg.Suggests = append(p.pkg.Suggests, deps...)
		case "Supplements":
			p.pkg.Supplements = append(p.pkg.Supplements, deps...)
		case "Enhances":
			p.pkg.Enhances = append(p.pkg.Enhances, deps...)
		}
		return nil
	}
	if m := numSuffix.FindStringSubmatch(lower); m != nil {
		kind := "Source"
		if m[1] == "patch" {
			kind = "Patch"
		}
		return p.addSource(kind, m[2], val, ln, notes)
	}
	return nil
}

func anyPercent(deps []Dep) bool {
	for _, d := range deps {
		if strings.Contains(d.Name, "%") || strings.Contains(d.EVR.String(), "%") {
			return true
		}
	}
	return false
}

func (p *parser) addSource(kind, num, val string, ln int, notes []Unexpanded) error {
	var n int
	if num != "" {
		v, err := strconv.Atoi(num)
		if err != nil {
			return fmt.Errorf("%s%s: bad number", kind, num)
		}
		n = v
	} else if kind == "Source" {
		n = p.nsrc
	} else {
		n = p.npatch
	}
	if kind == "Source" {
		p.nsrc = n + 1
	} else {
		p.npatch = n + 1
	}
	p.record(notes, kind)
	p.s.Sources = append(p.s.Sources, Source{Kind: kind, Number: n, Value: val, Line: ln})
	file := val
	if k := strings.LastIndexByte(file, '#'); k >= 0 && strings.Contains(file[k:], "/") {
		file = file[k+1:]
	}
	p.e.define(strings.ToUpper(kind)+strconv.Itoa(n), "", false, "%{_sourcedir}/"+strings.ReplaceAll(path.Base(file), "%", "%%"))
	return nil
}

func (p *parser) changelog(line string, ln int, notes []Unexpanded) error {
	if p.clogDone {
		return nil
	}
	t := strings.TrimRight(line, " \t")
	if strings.HasPrefix(t, "*") {
		if p.s.Changelog != nil {
			p.clogDone = true
			c := p.s.Changelog
			for len(c.Lines) > 0 && strings.TrimSpace(c.Lines[len(c.Lines)-1]) == "" {
				c.Lines = c.Lines[:len(c.Lines)-1]
			}
			return nil
		}
		p.record(notes, "%changelog")
		p.s.Changelog = &ChangelogEntry{Header: strings.TrimSpace(strings.TrimPrefix(t, "*")), Line: ln}
		return nil
	}
	if p.s.Changelog != nil {
		p.record(notes, "%changelog")
		p.s.Changelog.Lines = append(p.s.Changelog.Lines, t)
	}
	return nil
}

// parseDeps splits a dependency field ("a, b >= 1.0, (c or d)") as rpm
// does: names end at blanks or commas (blanks inside parentheses do not
// count), an operator and an EVR may follow, and a token that starts with
// "(" is a rich dependency kept verbatim.
func parseDeps(s string) ([]Dep, error) {
	var deps []Dep
	i := 0
	skip := func() {
		for i < len(s) && (isSpaceC(s[i]) || s[i] == ',') {
			i++
		}
	}
	for {
		skip()
		if i >= len(s) {
			return deps, nil
		}
		if s[i] == '(' {
			j := matchClose(s, i, '(', ')')
			if j < 0 {
				return nil, fmt.Errorf("unterminated rich dependency %q", clip(s[i:]))
			}
			deps = append(deps, Dep{Name: s[i : j+1], Rich: true})
			i = j + 1
			continue
		}
		start, depth := i, 0
		for i < len(s) {
			c := s[i]
			if c == '(' {
				depth++
			} else if c == ')' && depth > 0 {
				depth--
			} else if depth == 0 && (isSpaceC(c) || c == ',') {
				break
			}
			i++
		}
		d := Dep{Name: s[start:i]}
		if strings.ContainsAny(d.Name[:1], "<>=") {
			return nil, fmt.Errorf("dependency starts with an operator: %q", clip(s[start:]))
		}
		k := i
		for k < len(s) && isBlank(s[k]) {
			k++
		}
		if k < len(s) && strings.IndexByte("<>=", s[k]) >= 0 {
			o := k
			for k < len(s) && strings.IndexByte("<>=", s[k]) >= 0 {
				k++
			}
			f, err := rpmver.ParseFlags(s[o:k])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", d.Name, err)
			}
			for k < len(s) && isBlank(s[k]) {
				k++
			}
			e := k
			for e < len(s) && !isSpaceC(s[e]) && s[e] != ',' {
				e++
			}
			if e == k {
				return nil, fmt.Errorf("%s %s: version required", d.Name, s[o:k])
			}
			d.Flags, d.EVR = f, rpmver.ParseEVR(s[k:e])
			i = e
		}
		deps = append(deps, d)
	}
}
