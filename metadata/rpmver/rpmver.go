package rpmver

import (
	"fmt"
	"strconv"
	"strings"
)

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// Compare compares two version (or release) strings the way rpm's
// rpmvercmp does. It returns -1, 0 or 1.
func Compare(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isAlnum(a[i]) && a[i] != '~' && a[i] != '^' {
			i++
		}
		for j < len(b) && !isAlnum(b[j]) && b[j] != '~' && b[j] != '^' {
			j++
		}
		// Tilde sorts before everything, even the end of the string.
		if (i < len(a) && a[i] == '~') || (j < len(b) && b[j] == '~') {
			if i >= len(a) || a[i] != '~' {
				return 1
			}
			if j >= len(b) || b[j] != '~' {
				return -1
			}
			i++
			j++
			continue
		}
		// Caret sorts after the end of the string but before anything else.
		if (i < len(a) && a[i] == '^') || (j < len(b) && b[j] == '^') {
			if i >= len(a) {
				return -1
			}
			if j >= len(b) {
				return 1
			}
			if a[i] != '^' {
				return 1
			}
			if b[j] != '^' {
				return -1
			}
			i++
			j++
			continue
		}
		if i >= len(a) || j >= len(b) {
			break
		}
		si, sj := i, j
		isNum := isDigit(a[i])
		if isNum {
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
		} else {
			for i < len(a) && isAlpha(a[i]) {
				i++
			}
			for j < len(b) && isAlpha(b[j]) {
				j++
			}
		}
		s1, s2 := a[si:i], b[sj:j]
		if len(s1) == 0 {
			return -1 // cannot happen: a[si] is alnum
		}
		if len(s2) == 0 {
			if isNum {
				return 1
			}
			return -1
		}
		if isNum {
			s1 = strings.TrimLeft(s1, "0")
			s2 = strings.TrimLeft(s2, "0")
			if len(s1) != len(s2) {
				if len(s1) > len(s2) {
					return 1
				}
				return -1
			}
		}
		if c := strings.Compare(s1, s2); c != 0 {
			return c
		}
	}
	switch {
	case i >= len(a) && j >= len(b):
		return 0
	case i >= len(a):
		return -1
	default:
		return 1
	}
}

// EVR is an epoch:version-release triple. Epoch is kept as a string
// ("" when absent, which compares as 0); Release may be empty, meaning
// "any release" when the EVR is the bound of a range.
type EVR struct {
	Epoch   string `json:"epoch,omitempty"`
	Version string `json:"version"`
	Release string `json:"release,omitempty"`
}

// ParseEVR parses "[epoch:]version[-release]". The release is what follows
// the last hyphen, as rpm does.
func ParseEVR(s string) EVR {
	var e EVR
	if k := strings.IndexByte(s, ':'); k >= 0 {
		allDigits := k > 0
		for x := 0; x < k; x++ {
			if !isDigit(s[x]) {
				allDigits = false
				break
			}
		}
		if allDigits {
			e.Epoch, s = s[:k], s[k+1:]
		}
	}
	if k := strings.LastIndexByte(s, '-'); k >= 0 {
		e.Version, e.Release = s[:k], s[k+1:]
	} else {
		e.Version = s
	}
	return e
}

// String prints the EVR in rpm's form, omitting a zero or empty epoch.
func (e EVR) String() string {
	var b strings.Builder
	if e.Epoch != "" && strings.TrimLeft(e.Epoch, "0") != "" {
		b.WriteString(e.Epoch)
		b.WriteByte(':')
	}
	b.WriteString(e.Version)
	if e.Release != "" {
		b.WriteByte('-')
		b.WriteString(e.Release)
	}
	return b.String()
}

// IsZero reports whether the EVR is empty (an unversioned dependency).
func (e EVR) IsZero() bool { return e.Version == "" && e.Release == "" && e.Epoch == "" }

func epochNum(s string) uint64 {
	if s == "" {
		return 0
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// CompareEVR compares two EVRs fully: epoch, then version, then release.
func CompareEVR(a, b EVR) int {
	if ea, eb := epochNum(a.Epoch), epochNum(b.Epoch); ea != eb {
		if ea < eb {
			return -1
		}
		return 1
	}
	if c := Compare(a.Version, b.Version); c != 0 {
		return c
	}
	return Compare(a.Release, b.Release)
}

// compareMatch compares two EVRs for range matching: a release missing on
// either side is not compared (">= 1.0" is met by "1.0-3").
func compareMatch(a, b EVR) int {
	if ea, eb := epochNum(a.Epoch), epochNum(b.Epoch); ea != eb {
		if ea < eb {
			return -1
		}
		return 1
	}
	if c := Compare(a.Version, b.Version); c != 0 {
		return c
	}
	if a.Release == "" || b.Release == "" {
		return 0
	}
	return Compare(a.Release, b.Release)
}

// Flags is the comparison of a versioned dependency, as a bit set.
type Flags uint8

// The comparison bits; LE is LT|EQ and GE is GT|EQ.
const (
	LT Flags = 1 << iota
	GT
	EQ
	LE = LT | EQ
	GE = GT | EQ
)

// ParseFlags reads the comparison as repodata spells it (LT, GT, EQ, LE,
// GE) or as spec files do (<, >, =, ==, <=, >=). The empty string is 0
// (unversioned).
func ParseFlags(s string) (Flags, error) {
	switch s {
	case "":
		return 0, nil
	case "LT", "<":
		return LT, nil
	case "GT", ">":
		return GT, nil
	case "EQ", "=", "==":
		return EQ, nil
	case "LE", "<=", "=<":
		return LE, nil
	case "GE", ">=", "=>":
		return GE, nil
	}
	return 0, fmt.Errorf("rpmver: unknown comparison %q", s)
}

// Repodata returns the flag as repodata spells it ("" for none).
func (f Flags) Repodata() string {
	switch f {
	case LT:
		return "LT"
	case GT:
		return "GT"
	case EQ:
		return "EQ"
	case LE:
		return "LE"
	case GE:
		return "GE"
	}
	return ""
}

// MarshalText writes the flag as repodata spells it (LT, GT, EQ, LE, GE),
// so JSON answers read like repodata rather than bit sets.
func (f Flags) MarshalText() ([]byte, error) { return []byte(f.Repodata()), nil }

// UnmarshalText reads the repodata or spec spelling of a flag.
func (f *Flags) UnmarshalText(b []byte) error {
	v, err := ParseFlags(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// String returns the flag as a spec file spells it ("" for none).
func (f Flags) String() string {
	switch f {
	case LT:
		return "<"
	case GT:
		return ">"
	case EQ:
		return "="
	case LE:
		return "<="
	case GE:
		return ">="
	}
	return ""
}

// Range is a version range: Flags applied to EVR. The zero Range
// (Flags == 0) means any version.
type Range struct {
	Flags Flags
	EVR   EVR
}

// Any reports whether the range is unversioned.
func (r Range) Any() bool { return r.Flags == 0 }

// String prints the range as "OP EVR", or "" when unversioned.
func (r Range) String() string {
	if r.Any() {
		return ""
	}
	return r.Flags.String() + " " + r.EVR.String()
}

// Overlaps reports whether two ranges have a version in common: whether a
// provide with range p satisfies a requirement with range r. An
// unversioned range on either side overlaps everything, as in rpm.
func Overlaps(p, r Range) bool {
	if p.Any() || r.Any() {
		return true
	}
	c := compareMatch(p.EVR, r.EVR)
	switch {
	case c < 0:
		return p.Flags&GT != 0 || r.Flags&LT != 0
	case c > 0:
		return p.Flags&LT != 0 || r.Flags&GT != 0
	default:
		return (p.Flags&EQ != 0 && r.Flags&EQ != 0) ||
			(p.Flags&LT != 0 && r.Flags&LT != 0) ||
			(p.Flags&GT != 0 && r.Flags&GT != 0)
	}
}

// Contains reports whether the concrete version v lies in range r.
func (r Range) Contains(v EVR) bool {
	return Overlaps(Range{Flags: EQ, EVR: v}, r)
}
