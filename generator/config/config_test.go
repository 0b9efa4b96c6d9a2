package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     Config
		err      string
	}{
		{name: "empty", in: ""},
		{name: "all", in: "distgit: d\ncomposes: c\nbuilds: b.jsonl\nresults: r.jsonl\nvariants: v.yaml\nmirrors: m.txt\nstate: s\nout: o\nkey: k\norigin: x.org\nexpires: 7d\nkeep: 3\njobs: 2\n",
			want: Config{DistGit: "d", Composes: "c", Builds: "b.jsonl", Results: "r.jsonl", Variants: "v.yaml", Mirrors: "m.txt", State: "s", Out: "o", Key: "k", Origin: "x.org", Expires: 168 * time.Hour, Keep: 3, Jobs: 2}},
		{name: "unknown key", in: "out: o\nouts: x\n", err: `line 2: invalid configuration: unknown setting "outs"`},
		{name: "duplicate", in: "out: o\nout: p\n", err: `line 2: "out" repeated (first on line 1)`},
		{name: "bad duration", in: "expires: soon\n", err: `line 1: invalid configuration: expires`},
		{name: "bad keep", in: "keep: 0\n", err: `keep: "0" is not a positive number`},
		{name: "list", in: "out: [a, b]\n", err: "line 1: out: want a single value"},
		{name: "not a mapping", in: "- a\n", err: "line 1: want a mapping"},
		{name: "syntax", in: "out: [\n", err: "invalid configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(strings.NewReader(tt.in), "x.yaml")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("err %v does not wrap ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *c != tt.want {
				t.Errorf("got %+v\nwant %+v", *c, tt.want)
			}
		})
	}
}

func TestLoadResolvesAndExampleLoads(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "distmeta.yaml")
	if err := os.WriteFile(p, []byte(Example), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Out != filepath.Join(dir, "site") || c.Key != filepath.Join(dir, "keys/signer.key") {
		t.Errorf("paths not resolved: %+v", c)
	}
	if c.Expires != 168*time.Hour || c.Keep != 5 || c.Origin != "distmeta.example.org" {
		t.Errorf("values: %+v", c)
	}
	// Every key of Keys is documented in the example.
	for _, k := range Keys {
		if !strings.Contains(Example, "\n"+k+":") {
			t.Errorf("example lacks %s", k)
		}
	}
}

func TestValidate(t *testing.T) {
	c := &Config{Out: "o"}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "missing composes, state, key") {
		t.Fatalf("err = %v", err)
	}
	c = &Config{Composes: "c", State: "s", Out: "s", Key: "k"}
	if err := c.Validate(); err == nil {
		t.Fatal("same out and state accepted")
	}
}
