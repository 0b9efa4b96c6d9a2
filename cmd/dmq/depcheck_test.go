package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDepcheck: dmq must link neither go-git nor goldmark (nor the
// generator that uses them).
func TestDepcheck(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list -deps gave %d packages: %q", len(deps), out)
	}
	for _, d := range deps {
		for _, banned := range []string{"github.com/go-git/", "github.com/yuin/goldmark", "github.com/distmeta/distmeta/generator", "github.com/distmeta/distmeta/internal/distgit", "github.com/distmeta/distmeta/internal/markdown", "github.com/distmeta/distmeta/metadata/depsolve", "github.com/distmeta/distmeta/metadata/repodata"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("dmq links %s", d)
			}
		}
	}
}
