package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"distmeta": func() { main() },
	})
}

// TestScripts runs the CLI behaviour files in testdata/script. $SHARED
// points at ../shared/testdata.
func TestScripts(t *testing.T) {
	shared, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "testdata"))
	if v := os.Getenv("DISTMETA_SHARED"); v != "" {
		shared = filepath.Join(v, "testdata")
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(e *testscript.Env) error {
			e.Setenv("SHARED", shared)
			e.Setenv("CI", os.Getenv("CI"))
			return nil
		},
	})
}
