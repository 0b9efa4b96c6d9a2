// Package testenv decides what a test does when a peer tool or a sample it
// needs is absent: under CI=true it fails, elsewhere it skips, and either
// way it names what is missing and how to get it.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// InCI reports whether the tests run under CI (CI=true), where nothing may
// skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing fails the test under CI and skips it elsewhere.
func Missing(t testing.TB, what string) {
	t.Helper()
	if InCI() {
		t.Fatalf("missing under CI: %s (scripts/install-test-deps.sh installs it)", what)
	}
	t.Skipf("skipping: %s is missing (run scripts/install-test-deps.sh as root)", what)
}

// Tool returns the absolute path of an executable, or fails/skips.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "tool "+name)
	}
	return p
}

// SystemPython returns Debian's /usr/bin/python3, the one that has the
// dnf and solv modules, after checking that it can import them.
func SystemPython(t testing.TB, modules ...string) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		Missing(t, py)
	}
	for _, m := range modules {
		if err := exec.Command(py, "-c", "import "+m).Run(); err != nil {
			Missing(t, "python module "+m+" for "+py)
		}
	}
	return py
}

// RepoRoot returns the root of the distmeta checkout.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testenv: cannot locate source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Shared returns the path of a sample under ../shared/testdata (or under
// $DISTMETA_SHARED/testdata), failing under CI and skipping elsewhere
// when it is absent.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	root := os.Getenv("DISTMETA_SHARED")
	if root == "" {
		root = filepath.Join(RepoRoot(t), "..", "shared")
	}
	p := filepath.Join(root, "testdata", rel)
	if _, err := os.Stat(p); err != nil {
		Missing(t, "shared sample "+p)
	}
	return p
}
