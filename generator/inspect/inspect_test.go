package inspect

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
)

// failing lists the samples that are broken on purpose (see SOURCES.md)
// or in a format distmeta does not read: each must give a problem.
var failing = []string{
	"bad_", "invalid_", "_garbage", "good_and_bad.yaml", "error_00-primary.xml", "missing_type-repomd.xml",
	"updateinfo_ampersand.xml", "osbs.json", "variants/", ".zck",
}

func wantProblem(rel string) bool {
	for _, f := range failing {
		if strings.Contains(rel, f) {
			return true
		}
	}
	return false
}

// TestEverySample inspects every input sample in ../shared/testdata: the
// valid ones are recognised without a problem, the broken ones report one
// naming the file.
func TestEverySample(t *testing.T) {
	root := testenv.Shared(t, ".")
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".rst", ".md", ".dtd", ".rng", ".bundle", ".py":
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		n++
		r := Inspect(p)
		switch {
		case wantProblem(rel) && r.OK():
			t.Errorf("%s: want a problem, got %s %v", rel, r.Format, r.Counts)
		case wantProblem(rel) && !strings.Contains(r.Problem, filepath.Base(p)):
			t.Errorf("%s: problem does not name the file: %s", rel, r.Problem)
		case !wantProblem(rel) && !r.OK():
			t.Errorf("%s: %s", rel, r.Problem)
		case !wantProblem(rel) && r.Format == FormatUnknown:
			t.Errorf("%s: format not recognised", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 80 {
		t.Errorf("only %d samples inspected", n)
	}
}

// TestCounts checks counts against SOURCES.md.
func TestCounts(t *testing.T) {
	cases := []struct {
		rel    string
		format string
		counts map[string]int
	}{
		{"repodata/centos-stream-9-baseos-x86_64", FormatRepo, map[string]int{"packages": 1125, "groups": 34, "categories": 4, "environments": 3, "packagereqs": 454}},
		{"repodata/pungi-dummy-repo", FormatRepo, map[string]int{"packages": 398, "source packages": 34, "groups": 8, "environments": 4, "langpack matches": 22}},
		{"repodata/createrepo_c-repo_03", FormatRepo, map[string]int{"packages": 0, "modulemd v2": 1, "modulemd-defaults v1": 1}},
		{"modulemd/repos/fedora-29-modules.yaml", FormatModulemd, map[string]int{"modulemd v2": 48, "modulemd-defaults v1": 7, "modules": 33}},
		{"modulemd/repos/eurolinux-8-x86_64-powertools-modules.yaml", FormatModulemd, map[string]int{"modulemd v2": 9, "modules": 5}},
		{"repodata/pungi-dummy-repo/repodata/dummy-comps.xml", FormatComps, map[string]int{"groups": 8, "categories": 0, "environments": 4, "langpack matches": 22, "packagereqs": 13}},
		{"compose/productmd-tests/discinfo/fedora-20-Fedora.x86_64", FormatDiscInfo, nil},
	}
	for _, c := range cases {
		r := Inspect(testenv.Shared(t, c.rel))
		if !r.OK() || r.Format != c.format {
			t.Errorf("%s: format %q problem %q, want %q", c.rel, r.Format, r.Problem, c.format)
			continue
		}
		for k, v := range c.counts {
			if r.Counts[k] != v {
				t.Errorf("%s: %s = %d, want %d", c.rel, k, r.Counts[k], v)
			}
		}
	}
}

func TestMissingAndFolders(t *testing.T) {
	dir := t.TempDir()
	if r := Inspect(filepath.Join(dir, "nope.xml")); r.OK() {
		t.Error("a missing file gave no problem")
	}
	if r := Inspect(dir); r.OK() || !strings.Contains(r.Problem, dir) {
		t.Errorf("an empty folder: %+v", r)
	}
	// A compose whose STATUS says DOOMED is skipped with the reason.
	os.WriteFile(filepath.Join(dir, "STATUS"), []byte("DOOMED\n"), 0o644)
	if r := Inspect(dir); r.Format != FormatCompose || !strings.Contains(r.Problem, "DOOMED") {
		t.Errorf("a doomed compose: %+v", r)
	}
	// Malformed XML names the file and the line.
	bad := filepath.Join(dir, "comps.xml")
	os.WriteFile(bad, []byte("<comps>\n<group>\n<id>x</id>\n</comps>\n"), 0o644)
	if r := Inspect(bad); r.OK() || !strings.Contains(r.Problem, "comps.xml") || !strings.Contains(r.Problem, "line") {
		t.Errorf("malformed comps: %+v", r)
	}
}
