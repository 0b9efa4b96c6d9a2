package pages

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// maxSegment caps the length of a file name made by PathName, well under
// the 255 bytes file systems allow (".html" and ".gz" are added).
const maxSegment = 180

// PathName maps a name (package, component, stream, compose or variant)
// to one file name segment. Letters, digits, '.', '_', '-' and '+' are
// kept; every other byte, '~' itself and a leading '.' become "~xx" (hex),
// so the mapping is injective and never yields "", ".", ".." or a hidden
// file. A result longer than 180 bytes is cut and ends with "~~" and 16
// hex digits of the name's SHA-256.
func PathName(name string) string {
	if name == "" {
		return "~"
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if keep(c) && !(i == 0 && c == '.') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('~')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	s := b.String()
	if len(s) > maxSegment {
		sum := sha256.Sum256([]byte(name))
		cut := maxSegment - 18
		// Do not cut an escape in half.
		for i := cut - 1; i >= cut-2 && i >= 0; i-- {
			if s[i] == '~' {
				cut = i
				break
			}
		}
		s = s[:cut] + "~~" + hex.EncodeToString(sum[:8])
	}
	return s
}

const hexDigits = "0123456789abcdef"

func keep(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+'
}

// Paths of the pages, relative to the site's www/ folder.

// SrcPath is the page of a source component.
func SrcPath(name string) string { return "src/" + PathName(name) + ".html" }

// PkgPath is the page of a binary package name.
func PkgPath(name string) string { return "pkg/" + PathName(name) + ".html" }

// ModPath is the page of a module stream.
func ModPath(name, stream string) string {
	return "mod/" + PathName(name) + "/" + PathName(stream) + ".html"
}

// ComposePath is the page of a compose.
func ComposePath(id string) string { return "compose/" + PathName(id) + ".html" }

// VariantPath is the page of a variant.
func VariantPath(id string) string { return "variant/" + PathName(id) + ".html" }

// listPath is page n (from 1) of the list of every item of a kind.
func listPath(kind string, n int) string { return "list/" + kind + "-" + strconv.Itoa(n) + ".html" }

// morePath is page n (from 1) of a long list that the page of (kind, name)
// caps ("whatrequires", "runtime", "build").
func morePath(kind, name, list string, n int) string {
	return "more/" + kind + "/" + PathName(name) + "/" + list + "-" + strconv.Itoa(n) + ".html"
}

// rootOf returns the relative path from the folder of page p up to the
// www/ root ("" for index.html, "../" for src/x.html).
func rootOf(p string) string {
	return strings.Repeat("../", strings.Count(p, "/"))
}

// href escapes a slash-separated relative path for an href: every byte
// outside letters, digits and "-._~/" is percent-encoded ('+' included,
// which some servers read as a space).
func href(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}
