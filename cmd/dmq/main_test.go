package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/distmeta/distmeta/client/mirrortest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"dmq": func() { main() },
	})
}

// TestScripts runs the CLI behaviour files in testdata/script against a
// generated world published by distmeta and served by real nginx:
// $MIRROR is its URL, $KEY its verifier key file, $SITE the folder;
// each script has its own cache and trusted state under $WORK.
func TestScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a world")
	}
	w := mirrortest.SmallWorld(t)
	ng := mirrortest.StartNginx(t, w.Site, false)
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(e *testscript.Env) error {
			e.Setenv("MIRROR", ng.URL)
			e.Setenv("KEY", w.KeyFile)
			e.Setenv("SITE", w.Site)
			// The world's index was published at a fixed time: answer as
			// of an hour later.
			e.Setenv("DMQ_NOW", w.Created.Add(time.Hour).UTC().Format(time.RFC3339))
			e.Setenv("DMQ_CACHE_DIR", filepath.Join(e.WorkDir, "cache"))
			e.Setenv("DMQ_STATE_DIR", filepath.Join(e.WorkDir, "state"))
			e.Setenv("CI", os.Getenv("CI"))
			return nil
		},
	})
}
