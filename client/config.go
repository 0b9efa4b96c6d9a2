package client

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is dmq's configuration as the file holds it. Flags override the
// environment, which overrides the file.
//
//	# ~/.config/dmq/config.yaml
//	mirrors:
//	  - https://mirror.example.org/distmeta
//	  - file:///srv/distmeta
//	keys:
//	  - example.org+1234abcd+AbCd...        # or a path to a file of keys
//	origin: example.org
//	timeout: 10s
//	refresh: 1m
type Config struct {
	Mirrors []string `yaml:"mirrors"`
	Keys    []string `yaml:"keys"`
	Origin  string   `yaml:"origin"`
	Cache   string   `yaml:"cache"`
	State   string   `yaml:"state"`
	Timeout string   `yaml:"timeout"`
	Refresh string   `yaml:"refresh"`
}

// Environment variables dmq reads.
const (
	EnvMirrors = "DMQ_MIRRORS"   // mirror URLs, separated by spaces, commas or newlines
	EnvKey     = "DMQ_KEY"       // verifier keys (or key files), same separators
	EnvConfig  = "DMQ_CONFIG"    // the configuration file
	EnvCache   = "DMQ_CACHE_DIR" // the cache folder
	EnvState   = "DMQ_STATE_DIR" // the trusted state folder
	EnvNow     = "DMQ_NOW"       // reference time (RFC 3339), for tests and reproducible output
)

// DefaultConfigPath is os.UserConfigDir()/dmq/config.yaml.
func DefaultConfigPath() string {
	d, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "dmq", "config.yaml")
}

// LoadConfig reads a configuration file; a missing file at the default
// path is an empty configuration, a missing file named explicitly an
// error.
func LoadConfig(path string, explicit bool) (*Config, error) {
	cfg := &Config{}
	if path == "" {
		return cfg, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return cfg, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %s: %v", ErrConfig, path, err)
	}
	return cfg, nil
}

// Overrides are the flag and environment values laid over a Config; empty
// fields leave the file's value.
type Overrides struct {
	Mirrors []string
	Keys    []string
	Origin  string
	Cache   string
	State   string
	Timeout time.Duration
	Refresh *time.Duration
}

// FromEnv returns the overrides the environment sets (getenv is os.Getenv
// outside tests).
func FromEnv(getenv func(string) string) Overrides {
	return Overrides{Mirrors: splitList(getenv(EnvMirrors)), Keys: splitList(getenv(EnvKey)), Cache: getenv(EnvCache), State: getenv(EnvState)}
}

// splitList splits on spaces, commas and newlines.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
}

// Options merges the file with overrides (later ones win) into client
// options. Keys given as file paths are read (one key a line, # comments).
func (cfg *Config) Options(over ...Overrides) (Options, error) {
	o := Options{Mirrors: cfg.Mirrors, Origin: cfg.Origin, CacheDir: cfg.Cache, StateDir: cfg.State}
	keys := cfg.Keys
	var err error
	if cfg.Timeout != "" {
		if o.Timeout, err = time.ParseDuration(cfg.Timeout); err != nil {
			return o, fmt.Errorf("%w: timeout: %v", ErrConfig, err)
		}
	}
	o.Refresh = time.Minute
	if cfg.Refresh != "" {
		if o.Refresh, err = time.ParseDuration(cfg.Refresh); err != nil {
			return o, fmt.Errorf("%w: refresh: %v", ErrConfig, err)
		}
	}
	for _, ov := range over {
		if len(ov.Mirrors) > 0 {
			o.Mirrors = ov.Mirrors
		}
		if len(ov.Keys) > 0 {
			keys = ov.Keys
		}
		if ov.Origin != "" {
			o.Origin = ov.Origin
		}
		if ov.Cache != "" {
			o.CacheDir = ov.Cache
		}
		if ov.State != "" {
			o.StateDir = ov.State
		}
		if ov.Timeout > 0 {
			o.Timeout = ov.Timeout
		}
		if ov.Refresh != nil {
			o.Refresh = *ov.Refresh
		}
	}
	if o.Keys, err = readKeys(keys); err != nil {
		return o, err
	}
	if o.CacheDir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return o, fmt.Errorf("%w: no cache folder: %v (use --cache or %s)", ErrConfig, err, EnvCache)
		}
		o.CacheDir = filepath.Join(d, "dmq")
	}
	if o.StateDir == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			return o, fmt.Errorf("%w: no state folder: %v (use --state or %s)", ErrConfig, err, EnvState)
		}
		o.StateDir = filepath.Join(d, "dmq", "trust")
	}
	return o, nil
}

// readKeys turns each entry into verifier keys: a key itself
// (name+hash+base64), or a file holding keys one a line.
func readKeys(entries []string) ([]string, error) {
	var out []string
	for _, e := range entries {
		if strings.Count(e, "+") >= 2 && !fileExists(e) {
			out = append(out, e)
			continue
		}
		b, err := os.ReadFile(e)
		if err != nil {
			return nil, fmt.Errorf("%w: key %q is neither a verifier key nor a readable file: %v", ErrConfig, e, err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "#") {
				out = append(out, line)
			}
		}
	}
	return out, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
