package repodata

import (
	"bufio"
	"bytes"
	"reflect"
	"testing"
)

// FuzzPrimary: any input gives packages or an error, never a panic; and a
// package read back after writing it is the same package.
func FuzzPrimary(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		pkgs, err := readAllPrimary(bytes.NewReader(doc), "fuzz.xml")
		if err != nil {
			return
		}
		var ok []*Package
		for i, p := range pkgs {
			if checkPackage(i, p) == nil {
				ok = append(ok, p)
			}
		}
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		if err := writePrimary(w, ok); err != nil {
			t.Fatal(err)
		}
		back, err := readAllPrimary(&b, "rewritten.xml")
		if err != nil {
			t.Fatalf("reading our own output: %v\n%s", err, b.Bytes())
		}
		if len(back) != len(ok) {
			t.Fatalf("wrote %d packages, read %d", len(ok), len(back))
		}
		for i, p := range ok {
			want := *p
			if want.EVR.Epoch == "" {
				want.EVR.Epoch = "0"
			}
			want.Files = nil
			for _, fl := range p.Files {
				if primaryFile(fl.Path) {
					want.Files = append(want.Files, fl)
				}
			}
			if !reflect.DeepEqual(normDeps(back[i]), normDeps(&want)) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", *back[i], want)
			}
		}
	})
}

// normDeps makes nil and empty slices compare equal.
func normDeps(p *Package) Package {
	q := *p
	for _, s := range []*[]Dep{&q.Provides, &q.Requires, &q.Conflicts, &q.Obsoletes, &q.Recommends, &q.Suggests, &q.Supplements, &q.Enhances} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	if len(q.Files) == 0 {
		q.Files = nil
	}
	return q
}

// FuzzRepomd: any input parses or fails without panicking, and what
// parses survives Marshal unchanged.
func FuzzRepomd(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		m, err := ParseRepomd(bytes.NewReader(doc), "fuzz.xml")
		if err != nil {
			return
		}
		out := m.Marshal()
		m2, err := ParseRepomd(bytes.NewReader(out), "marshalled.xml")
		if err != nil {
			t.Fatalf("reading our own output: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", m2, m)
		}
	})
}

// FuzzFilelists and FuzzOther: no panics.
func FuzzFilelists(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		_ = ReadFilelists(bytes.NewReader(doc), "fuzz.xml", func(*FileList) error { return nil })
	})
}

func FuzzOther(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		_ = ReadOther(bytes.NewReader(doc), "fuzz.xml", func(*PackageChangelogs) error { return nil })
	})
}
