package variants_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/distmeta/distmeta/metadata/variants"
)

// FuzzVariants checks that Read never panics, that every error is a
// *variants.Error naming the file, and that what it accepts is valid:
// well-formed module entries, non-empty ids and package sets.
func FuzzVariants(f *testing.F) {
	f.Add([]byte("variants:\n  - id: a\n    modules: [\"m:1/p\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		vf, err := variants.Read(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			var ve *variants.Error
			if !errors.As(err, &ve) || ve.File != "fuzz.yaml" {
				t.Fatalf("error %v is not a *variants.Error for fuzz.yaml", err)
			}
			return
		}
		if len(vf.Variants) == 0 {
			t.Fatal("accepted a file without variants")
		}
		for _, v := range vf.Variants {
			if v.ID == "" || v.Name == "" {
				t.Fatalf("variant without id or name: %+v", v)
			}
			for _, m := range v.Modules {
				again, err := variants.ParseModuleRef(m.String())
				if err != nil || again.Name != m.Name || again.Stream != m.Stream || again.Profile != m.Profile {
					t.Fatalf("module entry %q does not parse back: %+v, %v", m, again, err)
				}
			}
			for _, s := range v.PackageSets {
				if s.ID == "" || len(s.Packages) == 0 {
					t.Fatalf("bad package set %+v", s)
				}
			}
		}
	})
}
