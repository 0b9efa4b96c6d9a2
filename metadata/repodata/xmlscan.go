package repodata

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner is the XML tokenizer behind the primary, filelists and other
// readers. It accepts and rejects exactly what encoding/xml's
// Decoder.Token accepts and rejects in strict mode (the old reader,
// kept in legacy_test.go, and FuzzDifferential hold it to that), but it
// works on a window of the input instead of a byte at a time, returns
// names and values as slices of that window, and keeps only what the
// readers need of namespaces: which attribute prefixes mean the xml
// namespace. Memory is one token plus the open elements.
type scanner struct {
	name string // file name for errors
	src  io.Reader

	buf          []byte // window of the input: buf[pos:end] is unread
	pos, end     int
	eof          bool  // src has no more bytes
	rerr         error // read error other than io.EOF, reported when needed
	line, lineAt int   // line is the line number at buf[lineAt]
	err          error // sticky error

	// The current token.
	prefix, local []byte     // element name of tokStart and tokEnd
	attrs         []scanAttr // attributes of tokStart
	chars         []byte     // character data of tokText
	vbuf          []byte     // decoded values that differ from the input
	pendingEnd    bool       // the last start element was <x/>

	// Open elements: their names as prefix "\x00" local, one after
	// the other, and the offset where each starts.
	stk    []byte
	stkOff []int
	ns     []nsBinding

	tb    []byte // text collected by textBytes
	cache *[internSize]string
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText  // character data, CDATA included
	tokOther // comment, processing instruction or directive
)

type scanAttr struct {
	prefix, local, value []byte
}

// nsBinding is an xmlns:prefix="url" declaration in scope: depth is the
// number of open elements once the declaring element is open.
type nsBinding struct {
	prefix, url string
	depth       int
}

// errShort says the token goes on past the bytes read so far.
var errShort = errors.New("short buffer")

const (
	minScanBuf = 64 << 10
	internSize = 1 << 12
	maxIntern  = 96
)

func newScanner(r io.Reader, name string) *scanner {
	return &scanner{name: name, src: r, line: 1}
}

// The modes of text.
const (
	modeText  = 0
	modeCDATA = 1
	// a quote character: an attribute value in those quotes
)

// byteClass: 0 for bytes that need no attention in character data.
var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c == '\t' || c == '\n':
		case c < 0x20 || c >= 0x80:
			t[c] = 1
		case c == '<' || c == '&' || c == ']' || c == '"' || c == '\'' || c == '\r':
			t[c] = 1
		}
	}
	return t
}()

// nameClass sorts the bytes readName takes into a name (encoding/xml:
// ASCII letters, digits, "_:.-", and every byte of a multi-byte
// character): 0 not in a name, 1 ASCII, 2 ':', 3 part of a multi-byte
// character.
var nameClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c == ':':
			t[c] = 2
		case c >= 0x80:
			t[c] = 3
		case 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '_' || c == '.' || c == '-':
			t[c] = 1
		}
	}
	return t
}()

func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// lineOf returns the line of buf[p].
func (s *scanner) lineOf(p int) int {
	if p >= s.lineAt {
		s.line += bytes.Count(s.buf[s.lineAt:p], []byte{'\n'})
	} else {
		s.line -= bytes.Count(s.buf[p:s.lineAt], []byte{'\n'})
	}
	s.lineAt = p
	return s.line
}

// curLine is the line of the end of the last token, as
// xml.Decoder.InputPos reports it.
func (s *scanner) curLine() int { return s.lineOf(s.pos) }

// errAt returns an error naming the file and the line of buf[p].
func (s *scanner) errAt(p int, format string, args ...any) error {
	return fmt.Errorf("%s: line %d: %s", s.name, s.lineOf(p), fmt.Sprintf(format, args...))
}

func (s *scanner) errorf(format string, args ...any) error {
	return s.errAt(s.pos, format, args...)
}

// lineErrorf returns an error naming the file and a given line.
func (s *scanner) lineErrorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s: line %d: %s", s.name, line, fmt.Sprintf(format, args...))
}

// fill keeps buf[s.pos:s.end], moved to the front, and reads more.
func (s *scanner) fill() {
	if s.pos > 0 {
		s.lineOf(s.pos)
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.lineAt -= s.pos
		s.end = n
		s.pos = 0
	}
	// Start small for small documents; grow to minScanBuf as the input
	// goes on, and beyond only for a token that does not fit.
	if s.end == len(s.buf) || len(s.buf) < minScanBuf {
		nb := make([]byte, max(4<<10, 2*len(s.buf)))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	// Fill the window: a token cut short is scanned again from its
	// start, so reads must not come in small pieces (quadratic in the
	// token's size).
	for empty := 0; s.end < len(s.buf); {
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			return
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty == 100 {
			s.eof, s.rerr = true, io.ErrNoProgress
			return
		}
	}
}

// eofError is the error for input that ends inside a token or an
// element.
func (s *scanner) eofError() error {
	if s.rerr != nil {
		return fmt.Errorf("%s: line %d: %w", s.name, s.lineOf(s.end), s.rerr)
	}
	return fmt.Errorf("%s: line %d: %w", s.name, s.lineOf(s.end), io.ErrUnexpectedEOF)
}

// next returns the next token. At the end of the input it returns io.EOF
// when no element is open, an error otherwise.
func (s *scanner) next() (tokKind, error) {
	if s.err != nil {
		return tokEOF, s.err
	}
	if s.pendingEnd {
		s.pendingEnd = false
		s.pop()
		return tokEnd, nil
	}
	for {
		if s.pos >= s.end && !s.eof {
			s.fill()
		}
		if s.pos >= s.end {
			if len(s.stkOff) > 0 || s.rerr != nil {
				s.err = s.eofError()
				return tokEOF, s.err
			}
			return tokEOF, io.EOF
		}
		s.attrs = s.attrs[:0]
		s.vbuf = s.vbuf[:0]
		k, n, err := s.scan(s.pos)
		if err == errShort {
			if s.eof {
				s.err = s.eofError()
				return tokEOF, s.err
			}
			s.fill()
			continue
		}
		if err != nil {
			s.err = err
			return tokEOF, err
		}
		switch k {
		case tokStart:
			s.push()
		case tokEnd:
			if err := s.popMatch(n); err != nil {
				s.err = err
				return tokEOF, err
			}
		}
		s.pos = n
		return k, nil
	}
}

func (s *scanner) push() {
	s.stkOff = append(s.stkOff, len(s.stk))
	s.stk = append(s.stk, s.prefix...)
	s.stk = append(s.stk, 0)
	s.stk = append(s.stk, s.local...)
	depth := len(s.stkOff)
	for _, a := range s.attrs {
		if string(a.prefix) == "xmlns" {
			s.ns = append(s.ns, nsBinding{string(a.local), string(a.value), depth})
		}
	}
}

func (s *scanner) pop() {
	n := len(s.stkOff) - 1
	s.stk = s.stk[:s.stkOff[n]]
	s.stkOff = s.stkOff[:n]
	for len(s.ns) > 0 && s.ns[len(s.ns)-1].depth > n {
		s.ns = s.ns[:len(s.ns)-1]
	}
}

// popMatch closes the innermost open element, which must be the one the
// end element names.
func (s *scanner) popMatch(at int) error {
	n := len(s.stkOff)
	if n == 0 {
		return s.errAt(at, "unexpected end element </%s>", s.local)
	}
	top := s.stk[s.stkOff[n-1]:]
	i := bytes.IndexByte(top, 0)
	if string(top[i+1:]) != string(s.local) {
		return s.errAt(at, "element <%s> closed by </%s>", top[i+1:], s.local)
	}
	if string(top[:i]) != string(s.prefix) {
		return s.errAt(at, "element <%s> in space %q closed by </%s> in space %q", top[i+1:], top[:i], s.local, s.prefix)
	}
	s.pop()
	return nil
}

// space skips white space.
func space(buf []byte, i int) int {
	for i < len(buf) {
		switch buf[i] {
		case ' ', '\r', '\n', '\t':
			i++
		default:
			return i
		}
	}
	return i
}

// rawName reads a name at buf[i:] as encoding/xml's readName and isName
// do; name is nil when there is none. colon is the index in name of its
// first ':' (-1 for none), colons their count.
func (s *scanner) rawName(buf []byte, i int) (name []byte, colon, colons int, j int, err error) {
	j = i
	colon = -1
	ascii := true
	for ; j < len(buf); j++ {
		switch nameClass[buf[j]] {
		case 0:
			goto end
		case 2:
			if colons == 0 {
				colon = j - i
			}
			colons++
		case 3:
			ascii = false
		}
	}
end:
	if j >= len(buf) {
		return nil, 0, 0, 0, errShort
	}
	if j == i {
		return nil, 0, 0, j, nil
	}
	name = buf[i:j]
	c := name[0]
	if ascii && !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') || !ascii && !isNameSlow(name) {
		return nil, 0, 0, 0, s.errAt(i, "invalid XML name: %s", name)
	}
	return name, colon, colons, j, nil
}

// nsname reads a name and splits it at its colon as encoding/xml's
// nsname does; local is nil when there is no acceptable name.
func (s *scanner) nsname(buf []byte, i int) (prefix, local []byte, j int, err error) {
	name, c, colons, j, err := s.rawName(buf, i)
	if name == nil || err != nil {
		return nil, nil, j, err
	}
	switch {
	case colons == 0:
		return nil, name, j, nil
	case colons > 1:
		return nil, nil, j, nil
	case c == 0 || c == len(name)-1:
		return nil, name, j, nil
	}
	return name[:c], name[c+1:], j, nil
}

// isNameSlow decides names with non-ASCII characters by asking
// encoding/xml itself (the tables of name characters are unexported).
func isNameSlow(s []byte) bool {
	d := xml.NewDecoder(strings.NewReader("<?" + string(s) + "?>"))
	tok, err := d.RawToken()
	pi, ok := tok.(xml.ProcInst)
	return err == nil && ok && pi.Target == string(s)
}

// scan reads the token at buf[i:] into s and returns its kind and the
// offset after it, or errShort.
func (s *scanner) scan(i int) (tokKind, int, error) {
	buf := s.buf[:s.end]
	if buf[i] != '<' {
		t, j, err := s.text(buf, i, modeText)
		if err != nil {
			return 0, 0, err
		}
		s.chars = t
		return tokText, j, nil
	}
	start := i
	i++
	if i >= len(buf) {
		return 0, 0, errShort
	}
	switch buf[i] {
	case '/':
		p, l, j, err := s.nsname(buf, i+1)
		if err != nil {
			return 0, 0, err
		}
		if l == nil {
			return 0, 0, s.errAt(j, "expected element name after </")
		}
		j = space(buf, j)
		if j >= len(buf) {
			return 0, 0, errShort
		}
		if buf[j] != '>' {
			return 0, 0, s.errAt(j, "invalid characters between </%s and >", l)
		}
		s.prefix, s.local = p, l
		return tokEnd, j + 1, nil
	case '?':
		target, _, _, j, err := s.rawName(buf, i+1)
		if err != nil {
			return 0, 0, err
		}
		if target == nil {
			return 0, 0, s.errAt(j, "expected target name after <?")
		}
		j = space(buf, j)
		k := bytes.Index(buf[j:], []byte("?>"))
		if k < 0 {
			return 0, 0, errShort
		}
		if string(target) == "xml" {
			if err := s.xmlDecl(j, string(buf[j:j+k])); err != nil {
				return 0, 0, err
			}
		}
		return tokOther, j + k + 2, nil
	case '!':
		i++
		if i >= len(buf) {
			return 0, 0, errShort
		}
		switch buf[i] {
		case '-':
			i++
			if i >= len(buf) {
				return 0, 0, errShort
			}
			if buf[i] != '-' {
				return 0, 0, s.errAt(i, "invalid sequence <!- not part of <!--")
			}
			i++
			k := bytes.Index(buf[i:], []byte("--"))
			if k < 0 || i+k+2 >= len(buf) {
				return 0, 0, errShort
			}
			if buf[i+k+2] != '>' {
				return 0, 0, s.errAt(i+k, `invalid sequence "--" not allowed in comments`)
			}
			return tokOther, i + k + 3, nil
		case '[':
			for n := range 6 {
				if i+1+n >= len(buf) {
					return 0, 0, errShort
				}
				if buf[i+1+n] != "CDATA["[n] {
					return 0, 0, s.errAt(i, "invalid <![ sequence")
				}
			}
			t, j, err := s.text(buf, i+7, modeCDATA)
			if err != nil {
				return 0, 0, err
			}
			s.chars = t
			return tokText, j, nil
		}
		return s.directive(buf, i)
	}

	p, l, j, err := s.nsname(buf, i)
	if err != nil {
		return 0, 0, err
	}
	if l == nil {
		return 0, 0, s.errAt(start, "expected element name after <")
	}
	s.prefix, s.local = p, l
	for {
		j = space(buf, j)
		if j >= len(buf) {
			return 0, 0, errShort
		}
		switch buf[j] {
		case '/':
			if j+1 >= len(buf) {
				return 0, 0, errShort
			}
			if buf[j+1] != '>' {
				return 0, 0, s.errAt(j, "expected /> in element")
			}
			s.pendingEnd = true
			return tokStart, j + 2, nil
		case '>':
			return tokStart, j + 1, nil
		}
		ap, al, k, err := s.nsname(buf, j)
		if err != nil {
			return 0, 0, err
		}
		if al == nil {
			return 0, 0, s.errAt(j, "expected attribute name in element")
		}
		k = space(buf, k)
		if k >= len(buf) {
			return 0, 0, errShort
		}
		if buf[k] != '=' {
			return 0, 0, s.errAt(k, "attribute name without = in element")
		}
		k = space(buf, k+1)
		if k >= len(buf) {
			return 0, 0, errShort
		}
		q := buf[k]
		if q != '"' && q != '\'' {
			return 0, 0, s.errAt(k, "unquoted or missing attribute value in element")
		}
		v, k, err := s.text(buf, k+1, q)
		if err != nil {
			return 0, 0, err
		}
		s.attrs = append(s.attrs, scanAttr{ap, al, v})
		j = k
	}
}

// xmlDecl checks <?xml ...?> as encoding/xml does, accepting the
// encodings newTokens accepts.
func (s *scanner) xmlDecl(at int, content string) error {
	if ver := procInst("version", content); ver != "" && ver != "1.0" {
		return s.errAt(at, "xml: unsupported version %q; only version 1.0 is supported", ver)
	}
	enc := procInst("encoding", content)
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return nil
	}
	switch strings.ToLower(enc) {
	case "utf8", "us-ascii", "ascii":
		return nil
	}
	return s.errAt(at, "xml: opening charset %q: unsupported encoding %q", enc, enc)
}

// procInst is encoding/xml's: the value of param="..." in s, or "".
func procInst(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// directive skips <!DOCTYPE ...> and the like as encoding/xml does:
// buf[i] is the byte after "<!".
func (s *scanner) directive(buf []byte, i int) (tokKind, int, error) {
	j := i + 1
	var inquote byte
	depth := 0
	for {
		if j >= len(buf) {
			return 0, 0, errShort
		}
		b := buf[j]
		j++
		if inquote == 0 && b == '>' && depth == 0 {
			return tokOther, j, nil
		}
	handle:
		for {
			switch {
			case b == inquote:
				inquote = 0
			case inquote != 0:
			case b == '\'' || b == '"':
				inquote = b
			case b == '>':
				depth--
			case b == '<':
				for n := range 3 {
					if j >= len(buf) {
						return 0, 0, errShort
					}
					b = buf[j]
					j++
					if b != "!--"[n] {
						depth++
						continue handle
					}
				}
				k := bytes.Index(buf[j:], []byte("-->"))
				if k < 0 {
					return 0, 0, errShort
				}
				j += k + 3
			}
			break
		}
	}
}

// text reads character data at buf[i:] up to '<' (modeText), "]]>"
// (modeCDATA) or the closing quote (a quote character), decoding
// entities and line ends and checking characters as encoding/xml does.
// It returns the data, a slice of buf when nothing was decoded, and the
// offset after it.
func (s *scanner) text(buf []byte, i int, mode byte) ([]byte, int, error) {
	run := i   // start of the bytes not yet copied to vbuf
	base := -1 // where the decoded data starts in vbuf, once there is some
	for {
		for i < len(buf) && byteClass[buf[i]] == 0 {
			i++
		}
		if i >= len(buf) {
			return nil, 0, errShort
		}
		c := buf[i]
		switch {
		case c == '<':
			if mode == modeText {
				return s.textResult(buf, run, i, base), i, nil
			}
			if mode != modeCDATA {
				return nil, 0, s.errAt(i, "unescaped < inside quoted string")
			}
			i++
		case c == '"' || c == '\'':
			if c == mode {
				return s.textResult(buf, run, i, base), i + 1, nil
			}
			i++
		case c == ']':
			if mode == modeText || mode == modeCDATA {
				if i+2 >= len(buf) {
					return nil, 0, errShort
				}
				if buf[i+1] == ']' && buf[i+2] == '>' {
					if mode == modeText {
						return nil, 0, s.errAt(i, "unescaped ]]> not in CDATA section")
					}
					return s.textResult(buf, run, i, base), i + 3, nil
				}
			}
			i++
		case c == '&' && mode != modeCDATA:
			r, n, err := s.entity(buf, i)
			if err != nil {
				return nil, 0, err
			}
			if base < 0 {
				base = len(s.vbuf)
			}
			s.vbuf = append(s.vbuf, buf[run:i]...)
			s.vbuf = utf8.AppendRune(s.vbuf, r)
			i += n
			run = i
		case c == '\r':
			if i+1 >= len(buf) {
				return nil, 0, errShort
			}
			if base < 0 {
				base = len(s.vbuf)
			}
			s.vbuf = append(s.vbuf, buf[run:i]...)
			s.vbuf = append(s.vbuf, '\n')
			i++
			if buf[i] == '\n' {
				i++
			}
			run = i
		case c >= utf8.RuneSelf:
			if !utf8.FullRune(buf[i:]) {
				if !s.eof {
					return nil, 0, errShort
				}
				return nil, 0, s.errAt(i, "invalid UTF-8")
			}
			r, size := utf8.DecodeRune(buf[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, 0, s.errAt(i, "invalid UTF-8")
			}
			if !isInCharacterRange(r) {
				return nil, 0, s.errAt(i, "illegal character code %U", r)
			}
			i += size
		case c < 0x20:
			return nil, 0, s.errAt(i, "illegal character code %U", rune(c))
		default: // '&' in CDATA
			i++
		}
	}
}

func (s *scanner) textResult(buf []byte, run, i, base int) []byte {
	if base < 0 {
		return buf[run:i]
	}
	s.vbuf = append(s.vbuf, buf[run:i]...)
	return s.vbuf[base:]
}

// entity decodes the reference at buf[i] ('&') and returns its
// character and length.
func (s *scanner) entity(buf []byte, i int) (rune, int, error) {
	j := i + 1
	if j >= len(buf) {
		return 0, 0, errShort
	}
	if buf[j] == '#' {
		j++
		if j >= len(buf) {
			return 0, 0, errShort
		}
		base := uint64(10)
		if buf[j] == 'x' {
			base = 16
			j++
		}
		digits := j
		var v uint64
		for ; j < len(buf); j++ {
			c := buf[j]
			var d uint64
			switch {
			case '0' <= c && c <= '9':
				d = uint64(c - '0')
			case base == 16 && 'a' <= c && c <= 'f':
				d = uint64(c-'a') + 10
			case base == 16 && 'A' <= c && c <= 'F':
				d = uint64(c-'A') + 10
			default:
				goto end
			}
			if v <= utf8.MaxRune {
				v = v*base + d
			}
		}
	end:
		if j >= len(buf) {
			return 0, 0, errShort
		}
		if buf[j] != ';' || j == digits || v > utf8.MaxRune {
			return 0, 0, s.errAt(i, "invalid character entity %s", entityText(buf[i:j+1]))
		}
		r := rune(v)
		if !utf8.ValidRune(r) {
			r = utf8.RuneError // string(rune(v)), as encoding/xml converts it
		}
		if !isInCharacterRange(r) {
			return 0, 0, s.errAt(i, "illegal character code %U", r)
		}
		return r, j + 1 - i, nil
	}
	k := j
	for k < len(buf) && nameClass[buf[k]] != 0 {
		k++
	}
	if k >= len(buf) {
		return 0, 0, errShort
	}
	if buf[k] == ';' {
		switch string(buf[j:k]) {
		case "lt":
			return '<', k + 1 - i, nil
		case "gt":
			return '>', k + 1 - i, nil
		case "amp":
			return '&', k + 1 - i, nil
		case "apos":
			return '\'', k + 1 - i, nil
		case "quot":
			return '"', k + 1 - i, nil
		}
	}
	return 0, 0, s.errAt(i, "invalid character entity %s", entityText(buf[i:k+1]))
}

func entityText(b []byte) string {
	if b[len(b)-1] != ';' {
		return string(b[:len(b)-1]) + " (no semicolon)"
	}
	return string(b)
}

// The readers' view of the tokens.

// root reads up to the root element and checks its name.
func (s *scanner) root(want string) error {
	for {
		k, err := s.next()
		if err == io.EOF {
			return fmt.Errorf("%s: no <%s> element: empty document", s.name, want)
		}
		if err != nil {
			return err
		}
		if k == tokStart {
			if string(s.local) != want {
				return s.errorf("root element is <%s>, want <%s>", s.local, want)
			}
			return nil
		}
	}
}

// tag returns the next start or end element (true for a start),
// skipping character data, comments, processing instructions and
// directives.
func (s *scanner) tag() (bool, error) {
	for {
		k, err := s.next()
		if err != nil {
			if err == io.EOF {
				err = s.eofError()
			}
			return false, err
		}
		switch k {
		case tokStart:
			return true, nil
		case tokEnd:
			return false, nil
		}
	}
}

// skip skips the rest of the current element.
func (s *scanner) skip() error {
	depth := 0
	for {
		start, err := s.tag()
		if err != nil {
			return err
		}
		if start {
			depth++
		} else if depth == 0 {
			return nil
		} else {
			depth--
		}
	}
}

// textBytes reads the character data of the current element up to its
// end, skipping nested elements. The bytes are valid until the next
// call.
func (s *scanner) textBytes() ([]byte, error) {
	var err error
	s.tb, err = s.appendText(s.tb[:0])
	return s.tb, err
}

// appendText appends the character data of the current element up to
// its end to dst, skipping nested elements.
func (s *scanner) appendText(dst []byte) ([]byte, error) {
	for {
		k, err := s.next()
		if err != nil {
			if err == io.EOF {
				err = s.eofError()
			}
			return dst, err
		}
		switch k {
		case tokText:
			dst = append(dst, s.chars...)
		case tokStart:
			if err := s.skip(); err != nil {
				return dst, err
			}
		case tokEnd:
			return dst, nil
		}
	}
}

// strArena gathers the strings of one package that are not interned,
// to make them out of a single allocation.
type strArena struct {
	b    []byte
	refs []strRef
}

type strRef struct {
	dst    *string
	off, n int
}

// text reads the character data of the current element into the arena;
// *dst is set by flush.
func (a *strArena) text(s *scanner, dst *string) error {
	off := len(a.b)
	var err error
	a.b, err = s.appendText(a.b)
	a.refs = append(a.refs, strRef{dst, off, len(a.b) - off})
	return err
}

// add puts b in the arena; *dst is set by flush.
func (a *strArena) add(b []byte, dst *string) {
	a.refs = append(a.refs, strRef{dst, len(a.b), len(b)})
	a.b = append(a.b, b...)
}

// flush makes one string of the arena, sets the strings the arena was
// given and returns that string.
func (a *strArena) flush() string {
	str := string(a.b)
	for _, r := range a.refs {
		*r.dst = str[r.off : r.off+r.n]
	}
	a.b = a.b[:0]
	a.refs = a.refs[:0]
	return str
}

func (s *scanner) text1() (string, error) {
	b, err := s.textBytes()
	return string(b), err
}

func (s *scanner) internText() (string, error) {
	b, err := s.textBytes()
	return s.intern(b), err
}

// intern returns b as a string, shared with earlier equal strings when
// a small cache still holds one: dependency names, versions, arches and
// the like repeat across packages.
func (s *scanner) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxIntern {
		return string(b)
	}
	if s.cache == nil {
		s.cache = new([internSize]string)
	}
	h := internHash(b) & (internSize - 1)
	if c := s.cache[h]; c == string(b) {
		return c
	}
	str := string(b)
	s.cache[h] = str
	return str
}

// internHash mixes the length and the first and last (up to) eight
// bytes: enough to spread the cache's entries, cheap for short strings.
// A collision only costs a miss.
func internHash(b []byte) uint64 {
	var x, y uint64
	if len(b) >= 8 {
		x = binary.LittleEndian.Uint64(b)
		y = binary.LittleEndian.Uint64(b[len(b)-8:])
	} else {
		for i, c := range b {
			x |= uint64(c) << (8 * i)
		}
	}
	h := (x ^ uint64(len(b))*0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9
	h ^= y * 0x94D049BB133111EB
	return h ^ h>>29 ^ h>>47
}

// xmlSpace reports whether an attribute prefix names the xml namespace
// (the prefix "xml", or one bound to its URL), as Token translates it.
func (s *scanner) xmlSpace(prefix []byte) bool {
	switch string(prefix) {
	case "":
		return false
	case "xml":
		return true
	case "xmlns":
		return false
	}
	url, ok := s.lookupNS(prefix)
	return ok && url == xmlNS
}

func (s *scanner) lookupNS(prefix []byte) (string, bool) {
	for i := len(s.ns) - 1; i >= 0; i-- {
		if s.ns[i].prefix == string(prefix) {
			return s.ns[i].url, true
		}
	}
	return "", false
}

// attr returns the value of the current start element's attribute
// named local outside the xml namespace, nil when there is none.
func (s *scanner) attr(local string) []byte {
	for i := range s.attrs {
		a := &s.attrs[i]
		if string(a.local) == local && !s.xmlSpace(a.prefix) {
			return a.value
		}
	}
	return nil
}

// xmlBase returns the xml:base attribute of the current start element.
func (s *scanner) xmlBase() []byte {
	for i := range s.attrs {
		a := &s.attrs[i]
		if string(a.local) != "base" {
			continue
		}
		switch string(a.prefix) {
		case "xml":
			return a.value
		case "", "xmlns":
			continue
		}
		if url, ok := s.lookupNS(a.prefix); ok && (url == xmlNS || url == "xml") {
			return a.value
		}
	}
	return nil
}

// intAttr parses an integer attribute; absent or empty is 0.
func (s *scanner) intAttr(local string) (int64, error) {
	v := s.attr(local)
	if len(v) == 0 {
		return 0, nil
	}
	if n, ok := atoi(v); ok {
		return n, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
	if err != nil {
		return 0, s.errorf("<%s %s=%q>: not an integer", s.local, local, v)
	}
	return n, nil
}

// atoi parses plain decimal digits that cannot overflow.
func atoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
