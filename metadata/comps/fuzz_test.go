package comps_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/distmeta/distmeta/metadata/comps"
)

// FuzzRead checks that Read never panics and that whatever it accepts
// survives write -> read unchanged.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`<comps><group><id>g</id><name>G</name><packagelist><packagereq>p</packagereq></packagelist></group></comps>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := comps.Read(bytes.NewReader(data), "fuzz")
		if err != nil {
			var e *comps.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *comps.Error", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := comps.Write(&buf, c, comps.WriteOptions{KeepOrder: true}); err != nil {
			if errors.Is(err, comps.ErrIntltoolTranslations) {
				return
			}
			t.Fatal(err)
		}
		c2, err := comps.Read(bytes.NewReader(buf.Bytes()), "written")
		if err != nil {
			t.Fatalf("reading written output: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip differs:\n%#v\n%#v\n%s", c, c2, buf.Bytes())
		}
	})
}
