package rpmver

import "testing"

// Cases from rpm's own test suite (tests/rpmvercmp.at) and its
// documentation of the tilde and caret operators.
func TestCompare(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.0", "1.0", 0}, {"1.0", "2.0", -1}, {"2.0", "1.0", 1},
		{"2.0.1", "2.0.1", 0}, {"2.0", "2.0.1", -1}, {"2.0.1", "2.0", 1},
		{"2.0.1a", "2.0.1a", 0}, {"2.0.1a", "2.0.1", 1}, {"2.0.1", "2.0.1a", -1},
		{"5.5p1", "5.5p1", 0}, {"5.5p1", "5.5p2", -1}, {"5.5p2", "5.5p1", 1},
		{"5.5p10", "5.5p10", 0}, {"5.5p1", "5.5p10", -1}, {"5.5p10", "5.5p1", 1},
		{"10xyz", "10.1xyz", -1}, {"10.1xyz", "10xyz", 1},
		{"xyz10", "xyz10", 0}, {"xyz10", "xyz10.1", -1}, {"xyz10.1", "xyz10", 1},
		{"xyz.4", "xyz.4", 0}, {"xyz.4", "8", -1}, {"8", "xyz.4", 1},
		{"xyz.4", "2", -1}, {"2", "xyz.4", 1},
		{"5.5p2", "5.6p1", -1}, {"5.6p1", "5.5p2", 1},
		{"5.6p1", "6.5p1", -1}, {"6.5p1", "5.6p1", 1},
		{"6.0.rc1", "6.0", 1}, {"6.0", "6.0.rc1", -1},
		{"10b2", "10a1", 1}, {"10a2", "10b2", -1},
		{"1.0aa", "1.0aa", 0}, {"1.0a", "1.0aa", -1}, {"1.0aa", "1.0a", 1},
		{"10.0001", "10.0001", 0}, {"10.0001", "10.1", 0}, {"10.1", "10.0001", 0},
		{"10.0001", "10.0039", -1}, {"10.0039", "10.0001", 1},
		{"4.999.9", "5.0", -1}, {"5.0", "4.999.9", 1},
		{"20101121", "20101121", 0}, {"20101121", "20101122", -1}, {"20101122", "20101121", 1},
		{"2_0", "2_0", 0}, {"2.0", "2_0", 0}, {"2_0", "2.0", 0},
		{"a", "a", 0}, {"a+", "a+", 0}, {"a+", "a_", 0}, {"a_", "a+", 0},
		{"+a", "+a", 0}, {"+a", "_a", 0}, {"_a", "+a", 0},
		{"+_", "+_", 0}, {"_+", "+_", 0}, {"_+", "_+", 0},
		{"+", "_", 0}, {"_", "+", 0},
		{"1.0~rc1", "1.0~rc1", 0}, {"1.0~rc1", "1.0", -1}, {"1.0", "1.0~rc1", 1},
		{"1.0~rc1", "1.0~rc2", -1}, {"1.0~rc2", "1.0~rc1", 1},
		{"1.0~rc1~git123", "1.0~rc1~git123", 0}, {"1.0~rc1~git123", "1.0~rc1", -1}, {"1.0~rc1", "1.0~rc1~git123", 1},
		{"1.0^", "1.0^", 0}, {"1.0^", "1.0", 1}, {"1.0", "1.0^", -1},
		{"1.0^git1", "1.0^git1", 0}, {"1.0^git1", "1.0", 1}, {"1.0", "1.0^git1", -1},
		{"1.0^git1", "1.0^git2", -1}, {"1.0^git2", "1.0^git1", 1},
		{"1.0^git1", "1.01", -1}, {"1.01", "1.0^git1", 1},
		{"1.0^20160101", "1.0^20160101", 0}, {"1.0^20160101", "1.0.1", -1}, {"1.0.1", "1.0^20160101", 1},
		{"1.0^20160101^git1", "1.0^20160101^git1", 0}, {"1.0^20160102", "1.0^20160101^git1", 1}, {"1.0^20160101^git1", "1.0^20160102", -1},
		{"1.0~rc1^git1", "1.0~rc1^git1", 0}, {"1.0~rc1^git1", "1.0~rc1", 1}, {"1.0~rc1", "1.0~rc1^git1", -1},
		{"1.0^git1~pre", "1.0^git1~pre", 0}, {"1.0^git1", "1.0^git1~pre", 1}, {"1.0^git1~pre", "1.0^git1", -1},
	}
	for _, c := range cases {
		if got := Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestParseEVR(t *testing.T) {
	cases := []struct {
		in   string
		want EVR
		str  string
	}{
		{"1.0", EVR{Version: "1.0"}, "1.0"},
		{"1.0-1.fc40", EVR{Version: "1.0", Release: "1.fc40"}, "1.0-1.fc40"},
		{"2:1.0-1", EVR{Epoch: "2", Version: "1.0", Release: "1"}, "2:1.0-1"},
		{"0:1.0-1", EVR{Epoch: "0", Version: "1.0", Release: "1"}, "1.0-1"},
		{"1.2-3-4", EVR{Version: "1.2-3", Release: "4"}, "1.2-3-4"},
	}
	for _, c := range cases {
		got := ParseEVR(c.in)
		if got != c.want {
			t.Errorf("ParseEVR(%q) = %+v, want %+v", c.in, got, c.want)
		}
		if got.String() != c.str {
			t.Errorf("ParseEVR(%q).String() = %q, want %q", c.in, got.String(), c.str)
		}
	}
}

func TestCompareEVR(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1:1.0-1", "2.0-1", 1},
		{"0:1.0-1", "1.0-1", 0},
		{"1.0-1", "1.0-2", -1},
		{"1.0-1.fc40", "1.0-1.fc39", 1},
		{"1.0", "1.0-1", -1},
	}
	for _, c := range cases {
		if got := CompareEVR(ParseEVR(c.a), ParseEVR(c.b)); got != c.want {
			t.Errorf("CompareEVR(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func rng(f, evr string) Range {
	fl, err := ParseFlags(f)
	if err != nil {
		panic(err)
	}
	return Range{Flags: fl, EVR: ParseEVR(evr)}
}

func TestOverlaps(t *testing.T) {
	cases := []struct {
		pf, pe, rf, re string
		want           bool
	}{
		{"", "", ">=", "1.0", true},          // unversioned provide
		{"=", "1.0-1", "", "", true},         // unversioned require
		{"=", "1.0-1", ">=", "1.0", true},    // release ignored when absent
		{"=", "1.0-1", ">", "1.0", false},    // 1.0-1 is not > 1.0 (release not compared)
		{"=", "1.0-1", "=", "1.0-2", false},  // both releases compared
		{"=", "1.0-1", "<", "1.0-2", true},   //
		{"=", "2.0", "<", "1.0", false},      //
		{"=", "1:0.5", ">=", "1.0", true},    // epoch wins
		{"=", "0.5", ">=", "0:1.0", false},   // missing epoch is 0
		{">=", "2.0", "<", "3.0", true},      // two ranges overlap
		{">=", "3.0", "<", "3.0", false},     //
		{"<=", "3.0", ">=", "3.0", true},     //
		{"<", "1.0", ">", "0.5", true},       //
		{"=", "1.0~rc1", ">=", "1.0", false}, // tilde before release
		{"=", "1.0^git1", ">", "1.0", true},  // caret after release
		{"=", "1.0-1", "=", "1.0", true},     // require without release
		{">", "1.0", "=", "1.0", false},      //
		{"<", "1.0", "<=", "0.1", true},      //
		{"=", "1.10", ">", "1.9", true},      // numeric not lexical
		{"=", "1.10", "=", "1.1", false},     // 1.10 is not 1.1
	}
	for _, c := range cases {
		p, r := rng(c.pf, c.pe), rng(c.rf, c.re)
		if got := Overlaps(p, r); got != c.want {
			t.Errorf("Overlaps(%s %s, %s %s) = %v, want %v", c.pf, c.pe, c.rf, c.re, got, c.want)
		}
	}
}

func FuzzCompare(f *testing.F) {
	for _, s := range [][2]string{{"1.0~rc1", "1.0"}, {"1.0^git1", "1.01"}, {"5.5p10", "5.5p1"}, {"", "a"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		x, y := Compare(a, b), Compare(b, a)
		if x != -y {
			t.Fatalf("Compare(%q,%q)=%d but Compare(%q,%q)=%d", a, b, x, b, a, y)
		}
		if Compare(a, a) != 0 {
			t.Fatalf("Compare(%q,%q) != 0", a, a)
		}
		_ = ParseEVR(a).String()
	})
}

func TestFlagsText(t *testing.T) {
	for _, f := range []Flags{0, LT, GT, EQ, LE, GE} {
		b, err := f.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var g Flags
		if err := g.UnmarshalText(b); err != nil || g != f {
			t.Errorf("flag %d: marshalled %q, read back %d (%v)", f, b, g, err)
		}
	}
	var g Flags
	if err := g.UnmarshalText([]byte("XX")); err == nil {
		t.Error("UnmarshalText(XX) succeeded")
	}
}
