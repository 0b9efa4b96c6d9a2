package config

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(Example)
	f.Add("out: [\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := Parse(strings.NewReader(in), "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if c.Keep < 0 || c.Jobs < 0 || c.Expires < 0 {
			t.Fatalf("accepted out-of-range values: %+v", c)
		}
	})
}
