package pages_test

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
)

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// Elements whose end tag HTML lets one omit; our templates always close
// them, so they are checked like any other.
var tagName = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*`)

// checkHTML is a strict well-formedness check of our own output: every
// element is closed in order (void elements excepted, "/>" allowed inside
// <svg>), attribute values are quoted, '<' and '&' in text are escaped,
// and there is exactly one <html>, <head>, <body> and <h1>.
func checkHTML(doc string) error {
	if !strings.HasPrefix(doc, "<!DOCTYPE html>\n") {
		return fmt.Errorf("no <!DOCTYPE html> first")
	}
	var stack []string
	counts := map[string]int{}
	i := len("<!DOCTYPE html>")
	line := func(at int) int { return strings.Count(doc[:at], "\n") + 1 }
	for i < len(doc) {
		c := doc[i]
		if c == '&' {
			j := i + 1
			for j < len(doc) && j-i < 12 && (doc[j] == '#' || doc[j] >= 'a' && doc[j] <= 'z' || doc[j] >= 'A' && doc[j] <= 'Z' || doc[j] >= '0' && doc[j] <= '9') {
				j++
			}
			if j == i+1 || j >= len(doc) || doc[j] != ';' {
				return fmt.Errorf("line %d: bare '&'", line(i))
			}
			i = j + 1
			continue
		}
		if c != '<' {
			if c == '>' {
				return fmt.Errorf("line %d: bare '>' in text", line(i))
			}
			i++
			continue
		}
		if strings.HasPrefix(doc[i:], "<!--") {
			end := strings.Index(doc[i:], "-->")
			if end < 0 {
				return fmt.Errorf("line %d: unclosed comment", line(i))
			}
			i += end + 3
			continue
		}
		closing := strings.HasPrefix(doc[i:], "</")
		j := i + 1
		if closing {
			j++
		}
		name := tagName.FindString(doc[j:])
		if name == "" {
			return fmt.Errorf("line %d: '<' not starting a tag", line(i))
		}
		name = strings.ToLower(name)
		j += len(name)
		// Attributes.
		selfClose := false
		for {
			for j < len(doc) && strings.IndexByte(" \t\n", doc[j]) >= 0 {
				j++
			}
			if j >= len(doc) {
				return fmt.Errorf("line %d: unterminated tag <%s", line(i), name)
			}
			if doc[j] == '>' {
				j++
				break
			}
			if strings.HasPrefix(doc[j:], "/>") {
				selfClose = true
				j += 2
				break
			}
			if closing {
				return fmt.Errorf("line %d: attributes in </%s>", line(i), name)
			}
			an := regexp.MustCompile(`^[a-zA-Z_:][-a-zA-Z0-9_:.]*`).FindString(doc[j:])
			if an == "" {
				return fmt.Errorf("line %d: bad attribute in <%s> at %q", line(i), name, doc[j:min(j+20, len(doc))])
			}
			j += len(an)
			if j < len(doc) && doc[j] == '=' {
				j++
				if j >= len(doc) || doc[j] != '"' {
					return fmt.Errorf("line %d: unquoted value of %s in <%s>", line(i), an, name)
				}
				end := strings.IndexByte(doc[j+1:], '"')
				if end < 0 {
					return fmt.Errorf("line %d: unterminated value of %s", line(i), an)
				}
				if v := doc[j+1 : j+1+end]; strings.ContainsAny(v, "<>") {
					return fmt.Errorf("line %d: unescaped <> in %s=%q", line(i), an, v)
				}
				j += end + 2
			}
		}
		switch {
		case closing:
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return fmt.Errorf("line %d: </%s> closes %v", line(i), name, stack)
			}
			stack = stack[:len(stack)-1]
		case voidElements[name]:
			counts[name]++
		case selfClose:
			inSVG := false
			for _, s := range stack {
				inSVG = inSVG || s == "svg"
			}
			if !inSVG {
				return fmt.Errorf("line %d: self-closing <%s/> outside svg", line(i), name)
			}
		default:
			inSVG := false
			for _, s := range stack {
				inSVG = inSVG || s == "svg"
			}
			if !inSVG {
				counts[name]++
			}
			stack = append(stack, name)
			if name == "script" || name == "style" {
				end := strings.Index(doc[j:], "</"+name+">")
				if end < 0 {
					return fmt.Errorf("line %d: unclosed <%s>", line(i), name)
				}
				j += end
			}
		}
		i = j
	}
	if len(stack) != 0 {
		return fmt.Errorf("unclosed at the end: %v", stack)
	}
	for _, n := range []string{"html", "head", "body", "h1", "main", "title"} {
		if counts[n] != 1 {
			return fmt.Errorf("%d <%s> elements, want 1", counts[n], n)
		}
	}
	return nil
}

var hrefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// checkLinks checks that every relative link of page p (path under www/)
// names a file of the site (files), and that links outside www/ go only
// to the well-known comps paths.
func checkLinks(p, doc string, files map[string][]byte) error {
	for _, m := range hrefRE.FindAllStringSubmatch(doc, -1) {
		raw := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.HasPrefix(raw, "#") || strings.Contains(raw, "://") {
			if strings.Contains(raw, "://") {
				return fmt.Errorf("%s: absolute link %q (the site must not load or link outside resources)", p, raw)
			}
			continue
		}
		u, err := url.PathUnescape(strings.SplitN(raw, "#", 2)[0])
		if err != nil {
			return fmt.Errorf("%s: link %q: %v", p, raw, err)
		}
		target := path.Clean(path.Join(path.Dir(p), u))
		if strings.HasPrefix(target, "../") {
			if !strings.HasPrefix(target, "../comps/") {
				return fmt.Errorf("%s: link %q leaves the site", p, raw)
			}
			continue
		}
		if _, ok := files[target]; !ok {
			return fmt.Errorf("%s: link %q: no file %s", p, raw, target)
		}
	}
	return nil
}
