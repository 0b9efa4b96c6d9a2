package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is one build's settings. Paths are absolute once Load or Resolve
// has run (relative ones resolve against the config file's folder, or the
// working folder for flags).
type Config struct {
	DistGit  string        `yaml:"distgit"`  // dist-git root (rpms/, modules/)
	Composes string        `yaml:"composes"` // composes root
	Builds   string        `yaml:"builds"`   // builds feed (JSON Lines), optional
	Results  string        `yaml:"results"`  // test results (JSON Lines), optional
	Variants string        `yaml:"variants"` // variants file, optional
	Mirrors  string        `yaml:"mirrors"`  // mirror list (one URL or folder a line), optional
	State    string        `yaml:"state"`    // state folder kept between runs
	Out      string        `yaml:"out"`      // the published site
	Key      string        `yaml:"key"`      // signer key file
	Origin   string        `yaml:"origin"`   // origin named in the index
	Expires  time.Duration `yaml:"expires"`  // index validity
	Keep     int           `yaml:"keep"`     // indexes whose objects GC keeps
	Jobs     int           `yaml:"jobs"`     // concurrent workers (0: GOMAXPROCS)
}

// Keys are the settings' names, in the order the example lists them; each
// is both a YAML key and a flag of `distmeta build`.
var Keys = []string{"distgit", "composes", "builds", "results", "variants", "mirrors", "state", "out", "key", "origin", "expires", "keep", "jobs"}

// Defaults.
const (
	DefaultExpires = 7 * 24 * time.Hour
	DefaultKeep    = 5
)

// ErrInvalid is wrapped by every configuration error, so that the command
// can exit with the "bad configuration" code.
var ErrInvalid = errors.New("invalid configuration")

// Load reads a configuration file; relative paths in it resolve against
// its folder.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	c, err := Parse(bytes.NewReader(b), path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	c.resolve(abs)
	return c, nil
}

// Parse reads a configuration; name identifies it in errors. Paths are
// left as written.
func Parse(r io.Reader, name string) (*Config, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Config{}, nil
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, name, err)
	}
	c := &Config{}
	if len(doc.Content) == 0 {
		return c, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%w: %s: line %d: want a mapping of settings", ErrInvalid, name, m.Line)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if prev, ok := seen[k.Value]; ok {
			return nil, fmt.Errorf("%w: %s: line %d: %q repeated (first on line %d)", ErrInvalid, name, k.Line, k.Value, prev)
		}
		seen[k.Value] = k.Line
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%w: %s: line %d: %s: want a single value", ErrInvalid, name, v.Line, k.Value)
		}
		if err := c.Set(k.Value, v.Value); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, k.Line, err)
		}
	}
	return c, nil
}

// Set changes one setting from its printed form, as a flag gives it.
func (c *Config) Set(key, value string) error {
	switch key {
	case "distgit":
		c.DistGit = value
	case "composes":
		c.Composes = value
	case "builds":
		c.Builds = value
	case "results":
		c.Results = value
	case "variants":
		c.Variants = value
	case "mirrors":
		c.Mirrors = value
	case "state":
		c.State = value
	case "out":
		c.Out = value
	case "key":
		c.Key = value
	case "origin":
		c.Origin = value
	case "expires":
		d, err := parseDuration(value)
		if err != nil {
			return fmt.Errorf("%w: expires: %v", ErrInvalid, err)
		}
		c.Expires = d
	case "keep":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return fmt.Errorf("%w: keep: %q is not a positive number", ErrInvalid, value)
		}
		c.Keep = n
	case "jobs":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: jobs: %q is not a number >= 0", ErrInvalid, value)
		}
		c.Jobs = n
	default:
		return fmt.Errorf("%w: unknown setting %q (known: %s)", ErrInvalid, key, strings.Join(Keys, ", "))
	}
	return nil
}

// parseDuration accepts Go durations plus a "d" (day) suffix.
func parseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return 0, fmt.Errorf("%q is not a duration", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration (e.g. 168h or 7d)", s)
	}
	return d, nil
}

// Resolve makes relative paths absolute against dir (used for flags, with
// the working folder).
func (c *Config) Resolve(dir string) { c.resolve(dir) }

func (c *Config) resolve(dir string) {
	for _, p := range []*string{&c.DistGit, &c.Composes, &c.Builds, &c.Results, &c.Variants, &c.Mirrors, &c.State, &c.Out, &c.Key} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}

// Validate fills defaults and checks that the required settings are there.
func (c *Config) Validate() error {
	if c.Expires == 0 {
		c.Expires = DefaultExpires
	}
	if c.Keep == 0 {
		c.Keep = DefaultKeep
	}
	var missing []string
	for _, s := range []struct{ name, v string }{{"composes", c.Composes}, {"state", c.State}, {"out", c.Out}, {"key", c.Key}} {
		if s.v == "" {
			missing = append(missing, s.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing %s", ErrInvalid, strings.Join(missing, ", "))
	}
	if c.Out == c.State {
		return fmt.Errorf("%w: out and state must be different folders", ErrInvalid)
	}
	return nil
}

// Example is the commented configuration `distmeta init` writes.
const Example = `# distmeta build configuration.
# Relative paths are resolved against this file's folder. Every setting can
# be overridden by the flag of the same name: distmeta build --out DIR ...

# Dist-git root holding rpms/<name>.git and modules/<name>.git (bare repos).
# Optional: without it, source answers only say what the composes hold.
distgit: distgit

# Composes root: one pungi compose folder per compose. Only composes whose
# STATUS is FINISHED or FINISHED_INCOMPLETE count; a broken one fails the build.
composes: composes

# Builds feed (JSON Lines, one build event a line) and test results
# (JSON Lines). Optional.
builds: builds.jsonl
results: results.jsonl

# Variants file: each variant as module streams, package sets and groups;
# comps/<variant>.xml is generated from it. Optional.
variants: variants.yaml

# Mirror list: one URL (http, https) or local folder a line, # comments.
# Each mirror's published index tells which serial it carries. Optional.
mirrors: mirrors.txt

# State kept between runs (ref log, parsed composes, answer digests).
state: state

# The published site (objects, manifests, signed index).
out: site

# Signer key (distmeta keygen writes one), the origin named in the index,
# how long an index stays valid, and how many indexes keep their objects.
key: keys/signer.key
origin: distmeta.example.org
expires: 168h
keep: 5

# Concurrent workers; 0 means one per CPU.
jobs: 0
`
