package client_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/distmeta/distmeta/client"
)

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "keys")
	os.WriteFile(keyFile, []byte("# rotation\nold.example+00000001+AAAA\nnew.example+00000002+BBBB\n"), 0o644)
	cfgFile := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgFile, []byte("mirrors: [https://file.example]\nkeys: ["+keyFile+"]\ntimeout: 3s\nrefresh: 5m\ncache: /c\nstate: /s\n"), 0o644)
	cfg, err := client.LoadConfig(cfgFile, true)
	if err != nil {
		t.Fatal(err)
	}
	env := client.FromEnv(func(k string) string {
		return map[string]string{client.EnvMirrors: "https://env1.example, https://env2.example"}[k]
	})
	zero := time.Duration(0)
	o, err := cfg.Options(env, client.Overrides{Cache: "/flag-cache", Refresh: &zero})
	if err != nil {
		t.Fatal(err)
	}
	want := client.Options{Mirrors: []string{"https://env1.example", "https://env2.example"}, Keys: []string{"old.example+00000001+AAAA", "new.example+00000002+BBBB"},
		CacheDir: "/flag-cache", StateDir: "/s", Timeout: 3 * time.Second, Refresh: 0}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("got %+v\nwant %+v", o, want)
	}
	if _, err := client.LoadConfig(filepath.Join(dir, "missing.yaml"), true); !errors.Is(err, client.ErrConfig) {
		t.Fatalf("missing explicit config: %v", err)
	}
	if c, err := client.LoadConfig(filepath.Join(dir, "missing.yaml"), false); err != nil || c == nil {
		t.Fatalf("missing default config: %v", err)
	}
	os.WriteFile(cfgFile, []byte("mirror: x\n"), 0o644)
	if _, err := client.LoadConfig(cfgFile, true); !errors.Is(err, client.ErrConfig) {
		t.Fatalf("unknown field: %v", err)
	}
}

func FuzzLoadConfig(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(p, b, 0o644)
		cfg, err := client.LoadConfig(p, true)
		if err != nil {
			if !errors.Is(err, client.ErrConfig) {
				t.Fatalf("error outside ErrConfig: %v", err)
			}
			return
		}
		cfg.Keys = nil // keys name files; not the parser's concern
		cfg.Options()
	})
}
