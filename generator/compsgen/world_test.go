package compsgen_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/distmeta/distmeta/generator/compsgen"
	"github.com/distmeta/distmeta/generator/world"
	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/productmd"
)

var (
	worldOnce sync.Once
	worldDir  string
	worldErr  error
)

// smallWorld returns the folder of a world of scale small, seed 1, written
// once for all the tests of the package.
func smallWorld(t *testing.T) string {
	t.Helper()
	worldOnce.Do(func() {
		var dir string
		if dir, worldErr = os.MkdirTemp("", "compsgen-world-"); worldErr != nil {
			return
		}
		var w *world.World
		if w, worldErr = world.Generate(world.Scales["small"], 1); worldErr != nil {
			return
		}
		worldErr = w.Write(context.Background(), dir, world.WriteOptions{})
		worldDir = dir
	})
	if worldErr != nil {
		t.Fatal(worldErr)
	}
	return worldDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if worldDir != "" {
		os.RemoveAll(worldDir)
	}
	os.Exit(code)
}

func runWorld(t *testing.T, variantsFile string) (*compsgen.Report, string) {
	t.Helper()
	out := t.TempDir()
	rep, err := compsgen.Run(context.Background(), compsgen.Options{
		Variants: variantsFile,
		Composes: filepath.Join(smallWorld(t), "composes"),
		Out:      out,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep, out
}

// TestWorldValidates runs the world's own variants file: every comps.xml
// validates against comps.rng, the .xml.gz holds the same bytes with no
// name or time, the answer matches the comps, and a second run gives
// identical files.
func TestWorldValidates(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	rng := testenv.Shared(t, "comps/comps.rng")
	vfile := filepath.Join(smallWorld(t), "variants.yaml")
	rep, out := runWorld(t, vfile)
	if len(rep.Variants) != 3 {
		t.Fatalf("%d variants, want 3", len(rep.Variants))
	}
	for _, a := range rep.Variants {
		xmlPath := filepath.Join(out, "comps", a.Variant+".xml")
		cmd := exec.Command(xmllint, "--noout", "--relaxng", rng, xmlPath)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s does not validate: %v\n%s", xmlPath, err, msg)
		}
		xml, _ := os.ReadFile(xmlPath)
		gz, err := os.ReadFile(filepath.Join(out, "comps", a.Variant+".xml.gz"))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		if zr.Name != "" || !zr.ModTime.IsZero() {
			t.Errorf("%s.xml.gz carries a name %q or time %v", a.Variant, zr.Name, zr.ModTime)
		}
		unz, _ := io.ReadAll(zr)
		if !bytes.Equal(unz, xml) {
			t.Errorf("%s.xml.gz differs from %s.xml", a.Variant, a.Variant)
		}
		// the answer on disk is the answer returned, and names every group
		c, err := comps.Read(bytes.NewReader(xml), xmlPath)
		if err != nil {
			t.Fatal(err)
		}
		var disk compsgen.Answer
		js, _ := os.ReadFile(filepath.Join(out, "comps", a.Variant+".json"))
		if err := json.Unmarshal(js, &disk); err != nil {
			t.Fatal(err)
		}
		if len(disk.Groups) != len(c.Groups) || disk.Variant != a.Variant || len(disk.Unresolved) != len(a.Unresolved) {
			t.Errorf("%s.json: %d groups, %d unresolved; comps has %d groups, report %d unresolved", a.Variant, len(disk.Groups), len(disk.Unresolved), len(c.Groups), len(a.Unresolved))
		}
		if !slices.Equal(disk.Packages, compsgen.Packages(c)) {
			t.Errorf("%s.json packages differ from the comps", a.Variant)
		}
	}
	// Server names modules, so it has module groups; the world's compose
	// for it is the newest complete one.
	srv := rep.Variants[1]
	if srv.Variant != "Server" || srv.Compose != newestComplete(t) {
		t.Errorf("Server checked against %q, want %q", srv.Compose, newestComplete(t))
	}
	sources := map[string]int{}
	for _, g := range srv.Groups {
		sources[g.Source]++
	}
	if sources["module"] != 2 || sources["package-set"] != 1 || sources["plain"] != 3 {
		t.Errorf("Server group sources = %v", sources)
	}

	_, out2 := runWorld(t, vfile)
	for _, a := range rep.Variants {
		for _, ext := range []string{".xml", ".xml.gz", ".json"} {
			b1, _ := os.ReadFile(filepath.Join(out, "comps", a.Variant+ext))
			b2, _ := os.ReadFile(filepath.Join(out2, "comps", a.Variant+ext))
			if !bytes.Equal(b1, b2) {
				t.Errorf("%s%s differs between two runs", a.Variant, ext)
			}
		}
	}
}

// newestComplete returns the id of the newest complete compose of the
// world, read independently of compsgen.
func newestComplete(t *testing.T) string {
	entries, err := productmd.ScanComposes(context.Background(), filepath.Join(smallWorld(t), "composes"), 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		if e.State == productmd.Complete {
			ids = append(ids, e.Compose.ID)
		}
	}
	sort.Strings(ids) // Fedora-40-YYYYMMDD.N sorts by date within one release
	return ids[len(ids)-1]
}

// writeVariants writes a variants file next to nothing: its comps path
// points into the world.
func writeVariants(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "variants.yaml")
	src := "comps: " + filepath.Join(smallWorld(t), "comps.xml.in") + "\n" + body
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckMissingPackage: a package missing from the compose is listed
// with its group, and the rest resolves.
func TestCheckMissingPackage(t *testing.T) {
	vfile := writeVariants(t, `variants:
  - id: Everything
    modules: ["nodejs:18/default"]
    package_sets:
      - id: tools
        packages: [bash, no-such-package]
    groups: [core]
`)
	rep, _ := runWorld(t, vfile)
	if n := rep.Unresolved(); n != 1 {
		t.Fatalf("%d unresolved, want 1: %+v", n, rep.Variants[0].Unresolved)
	}
	u := rep.Variants[0].Unresolved[0]
	if u.Group != "tools" || u.Package != "no-such-package" || u.Arch != "x86_64" || !strings.Contains(u.Reason, "no package of that name") {
		t.Errorf("unresolved = %+v", u)
	}
}

// TestDNF adds generated comps to copies of the world's repositories with
// modifyrepo_c and checks that dnf, offline, lists exactly the generated
// groups, environments and packages.
func TestDNF(t *testing.T) {
	dnf := testenv.Tool(t, "dnf")
	modifyrepo := testenv.Tool(t, "modifyrepo_c")
	vfile := writeVariants(t, `variants:
  - id: Everything
    modules: ["nodejs:18/default", "perl:5.32", "python312:9/default"]
    package_sets:
      - id: web-stack
        name: Web stack
        mandatory: [curl]
        packages: [openssl]
        optional: [postfix]
    groups: [core, standard, development-tools, python-science]
    environments:
      - developer-environment
      - id: web-environment
        name: Web Server
        groups: [core, web-stack]
        options: [module-nodejs-18, standard]
  - id: Server
    modules: ["nodejs:18"]
    package_sets:
      - id: server-product
        packages: [postfix, openssl]
    groups: [core, mail-server]
    environments: [minimal-environment]
`)
	rep, out := runWorld(t, vfile)
	composeDir := filepath.Join(smallWorld(t), "composes", rep.Variants[0].Compose)
	c, err := productmd.OpenCompose(composeDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rep.Variants {
		t.Run(a.Variant, func(t *testing.T) {
			src, err := c.RepoPath(a.Variant, "x86_64")
			if err != nil {
				t.Fatal(err)
			}
			repo := t.TempDir()
			copyDir(t, filepath.Join(src, "repodata"), filepath.Join(repo, "repodata"))
			repomd, _ := os.ReadFile(filepath.Join(repo, "repodata", "repomd.xml"))
			for _, typ := range []string{"group", "group_gz"} {
				if bytes.Contains(repomd, []byte(`type="`+typ+`"`)) {
					run(t, modifyrepo, "--remove", typ, filepath.Join(repo, "repodata"))
				}
			}
			run(t, modifyrepo, "--mdtype=group", filepath.Join(out, "comps", a.Variant+".xml"), filepath.Join(repo, "repodata"))
			checkDNF(t, dnf, repo, filepath.Join(out, "comps", a.Variant+".xml"))
		})
	}
}

// TestCreaterepoG builds a repository with createrepo_c -g from each
// generated comps.xml and checks that dnf, offline, lists its groups,
// environments and packages exactly as generated.
func TestCreaterepoG(t *testing.T) {
	dnf := testenv.Tool(t, "dnf")
	createrepo := testenv.Tool(t, "createrepo_c")
	rep, out := runWorld(t, filepath.Join(smallWorld(t), "variants.yaml"))
	for _, a := range rep.Variants {
		t.Run(a.Variant, func(t *testing.T) {
			repo := t.TempDir()
			xml := filepath.Join(out, "comps", a.Variant+".xml")
			run(t, createrepo, "-q", "--no-database", "-g", xml, repo)
			checkDNF(t, dnf, repo, xml)
		})
	}
}

// checkDNF runs dnf offline on repo and compares its groups, environments
// and their packages with the comps file at compsPath.
func checkDNF(t *testing.T, dnf, repo, compsPath string) {
	t.Helper()
	base := []string{"-q", "--releasever=40", "--setopt=reposdir=/dev/null", "--setopt=cachedir=" + t.TempDir(),
		"--setopt=module_platform_id=platform:f40", "--repofrompath=w," + repo, "--repo=w"}
	dnfRun := func(args ...string) string { return run(t, dnf, append(slices.Clone(base), args...)...) }

	gen := readComps(t, compsPath)
	// group list: ids of groups and environments
	groups, envs := parseGroupList(dnfRun("group", "list", "-v", "--hidden"))
	var wantGroups, wantEnvs []string
	for _, g := range gen.Groups {
		wantGroups = append(wantGroups, g.ID)
	}
	for _, e := range gen.Environments {
		wantEnvs = append(wantEnvs, e.ID)
	}
	if !slices.Equal(groups, wantGroups) {
		t.Errorf("dnf lists groups %v, generated %v", groups, wantGroups)
	}
	if !slices.Equal(envs, wantEnvs) {
		t.Errorf("dnf lists environments %v, generated %v", envs, wantEnvs)
	}
	if len(wantEnvs) == 0 {
		t.Fatal("the test variants must have environments")
	}
	// group info: packages by type
	info := parseInfo(dnfRun(append([]string{"group", "info"}, wantGroups...)...))
	byName := map[string]string{}
	for _, g := range gen.Groups {
		byName[g.Name] = g.ID
		want := map[string][]string{}
		for _, p := range g.Packages {
			want[string(p.Type)] = append(want[string(p.Type)], p.Name)
		}
		for k := range want {
			sort.Strings(want[k])
		}
		got := info["Group: "+g.Name]
		if got == nil {
			t.Errorf("dnf group info shows no group %q", g.Name)
			continue
		}
		for _, typ := range []string{"mandatory", "default", "optional", "conditional"} {
			if !slices.Equal(got[typ], want[typ]) {
				t.Errorf("group %s: dnf shows %s packages %v, generated %v", g.ID, typ, got[typ], want[typ])
			}
		}
	}
	// environment info: groups and options (dnf prints group names)
	info = parseInfo(dnfRun(append([]string{"group", "info"}, wantEnvs...)...))
	for _, e := range gen.Environments {
		got := info["Environment Group: "+e.Name]
		if got == nil {
			t.Errorf("dnf group info shows no environment %q", e.Name)
			continue
		}
		var mand, opt []string
		for _, g := range got["mandatory groups"] {
			mand = append(mand, byName[g])
		}
		for _, g := range got["optional groups"] {
			opt = append(opt, byName[g])
		}
		sort.Strings(mand)
		sort.Strings(opt)
		if !slices.Equal(mand, ids(e.Groups)) || !slices.Equal(opt, ids(e.Options)) {
			t.Errorf("environment %s: dnf shows groups %v options %v, generated %v %v", e.ID, mand, opt, ids(e.Groups), ids(e.Options))
		}
	}
}

func ids(g []comps.GroupID) []string {
	var out []string
	for _, id := range g {
		out = append(out, id.Name)
	}
	sort.Strings(out)
	return out
}

func readComps(t *testing.T, path string) *comps.Comps {
	t.Helper()
	c, err := comps.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var idRE = regexp.MustCompile(`^\s+.*\(([^()\s]+)\)$`)

// parseGroupList reads `dnf group list -v --hidden`: the sorted ids of the
// groups and of the environments.
func parseGroupList(s string) (groups, envs []string) {
	var cur *[]string
	for _, line := range strings.Split(s, "\n") {
		switch {
		case strings.HasSuffix(line, "Environment Groups:"):
			cur = &envs
		case strings.HasSuffix(line, "Groups:"):
			cur = &groups
		case cur != nil:
			if m := idRE.FindStringSubmatch(line); m != nil {
				*cur = append(*cur, m[1])
			}
		}
	}
	sort.Strings(groups)
	sort.Strings(envs)
	return groups, envs
}

// parseInfo reads `dnf group info`: for each "Group: Name" or
// "Environment Group: Name" header, the sorted items of each section
// ("Mandatory Packages:" -> "mandatory", "Optional Groups:" -> "optional
// groups").
func parseInfo(s string) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	var cur map[string][]string
	section := ""
	for _, line := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(line, "Group: ") || strings.HasPrefix(line, "Environment Group: "):
			cur = map[string][]string{}
			out[line] = cur
			section = ""
		case cur == nil:
		case strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "  ") && strings.HasSuffix(line, ":"):
			section = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(line), ":"))
			section = strings.TrimSuffix(section, " packages")
		case strings.HasPrefix(line, "   ") && section != "":
			cur[section] = append(cur[section], strings.TrimSpace(line))
		}
	}
	for _, m := range out {
		for k := range m {
			sort.Strings(m[k])
		}
	}
	return out
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.String()
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}
