package modulemd

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
)

// FuzzRead reads arbitrary input: it must never panic, and every document
// it accepts must survive a write and a second read unchanged.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		d := NewDecoder(bytes.NewReader(in), "fuzz.yaml")
		for i := 0; i < 1000; i++ {
			doc, err := d.Next()
			if err == io.EOF {
				return
			}
			var de *DocumentError
			if errors.As(err, &de) {
				if de.Error() == "" {
					t.Fatal("empty error")
				}
				continue
			}
			if err != nil {
				return
			}
			out, err := Marshal(doc)
			if err != nil {
				t.Fatalf("writing document %d: %v", doc.Number, err)
			}
			back, err := ReadAll(bytes.NewReader(out), "written")
			if err != nil {
				t.Fatalf("reading back document %d: %v\n%s", doc.Number, err, out)
			}
			for _, s := range doc.Streams {
				if s.Name == "" || s.Stream == "" {
					return // the index names unnamed streams; skip the comparison
				}
				m := back.Modules[s.Name]
				if m == nil || len(m.Streams) == 0 {
					t.Fatalf("stream %s lost in a round trip\n%s", s.NSVCA(), out)
				}
				found := false
				for _, b := range m.Streams {
					found = found || reflect.DeepEqual(b, s)
				}
				if !found {
					t.Fatalf("stream %s changed in a round trip:\n%#v\n%s", s.NSVCA(), s, out)
				}
			}
		}
	})
}
