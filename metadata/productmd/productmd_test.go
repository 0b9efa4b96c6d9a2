package productmd_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/productmd"
)

func open(t *testing.T, rel string) *os.File {
	t.Helper()
	f, err := os.Open(testenv.Shared(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Expected figures below were counted with /usr/bin/python3 (json,
// configparser with optionxform=str) on the same files.

func TestComposeInfoSamples(t *testing.T) {
	tests := []struct {
		path, version, id, short string
		variants                 int
		layered                  bool
	}{
		{"compose/productmd-tests/compose-legacy-1.0/metadata/composeinfo.json", "0.2", "MYPRODUCT-2.1-RHEL-7-20161110.t.0", "MYPRODUCT", 2, true},
		{"compose/productmd-tests/compose/metadata/composeinfo.json", "0.3", "MYPRODUCT-2.1-RHEL-7-20161110.t.0", "MYPRODUCT", 2, true},
		{"compose/pungi-fixtures/DP-1.0-20181001.n.0/compose/metadata/composeinfo.json", "1.2", "DP-1.0-20181001.n.0", "DP", 1, false},
		{"compose/pungi-fixtures/basic-metadata/compose/metadata/composeinfo.json", "1.2", "Mixed-1.0-20181001.n.0", "Mixed", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			ci, err := productmd.ReadComposeInfo(open(t, tt.path), tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if ci.Header.Version != tt.version || ci.Compose.ID != tt.id || ci.Release.Short != tt.short ||
				len(ci.Variants) != tt.variants || ci.Release.IsLayered != tt.layered {
				t.Errorf("got version %s id %s short %s variants %d layered %v",
					ci.Header.Version, ci.Compose.ID, ci.Release.Short, len(ci.Variants), ci.Release.IsLayered)
			}
			var buf bytes.Buffer
			if err := productmd.WriteComposeInfo(&buf, ci); err != nil {
				t.Fatal(err)
			}
			ci2, err := productmd.ReadComposeInfo(&buf, "written")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ci, ci2) {
				t.Errorf("write -> read differs:\n%+v\n%+v", ci, ci2)
			}
		})
	}
	ci, err := productmd.ReadComposeInfo(open(t, tests[1].path), "")
	if err != nil {
		t.Fatal(err)
	}
	bar := ci.Variants["Foo-Bar"]
	if bar == nil || bar.ID != "Bar" || bar.Type != "addon" || !reflect.DeepEqual(bar.Arches, []string{"x86_64"}) {
		t.Errorf("Foo-Bar = %+v", bar)
	}
	if ci.BaseProduct == nil || ci.BaseProduct.Short != "RHEL" || ci.BaseProduct.Version != "7" {
		t.Errorf("base product = %+v", ci.BaseProduct)
	}
}

func TestImagesSamples(t *testing.T) {
	tests := []struct {
		path, version string
		images        int
	}{
		{"compose/productmd-tests/images/f20.json", "1.0", 2},
		{"compose/productmd-tests/images/f23.json", "1.1", 3},
		{"compose/pungi-fixtures/DP-1.0-20181001.n.0/compose/metadata/images.json", "1.2", 0},
		{"compose/pungi-fixtures/basic-metadata/compose/metadata/images.json", "1.2", 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			im, err := productmd.ReadImages(open(t, tt.path), tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if im.Header.Version != tt.version || im.Count() != tt.images {
				t.Errorf("version %s images %d, want %s %d", im.Header.Version, im.Count(), tt.version, tt.images)
			}
			var buf bytes.Buffer
			if err := productmd.WriteImages(&buf, im); err != nil {
				t.Fatal(err)
			}
			im2, err := productmd.ReadImages(&buf, "written")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(im, im2) {
				t.Errorf("write -> read differs")
			}
		})
	}
	im, err := productmd.ReadImages(open(t, tests[1].path), "")
	if err != nil {
		t.Fatal(err)
	}
	live := im.Images["Live"]["x86_64"][0]
	if live.Subvariant != "KDE" || live.Size != 1291845632 || live.ImplantMD5 != "8bc179ecdd48e0b019365104f081a83e" ||
		live.Type != "live" || live.Checksums["sha256"] != "ef7e5ed9eee6dbcde1e0a4d69c76ce6fb552f75ccad879fa0f93031ceb950f27" {
		t.Errorf("Live image = %+v", live)
	}
}

func TestRPMsAndModulesSamples(t *testing.T) {
	for _, dir := range []string{"DP-1.0-20181001.n.0", "basic-metadata"} {
		base := "compose/pungi-fixtures/" + dir + "/compose/metadata/"
		r, err := productmd.ReadRPMs(open(t, base+"rpms.json"), base+"rpms.json")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.RPMs) != 1 || len(r.List()) != 0 {
			t.Errorf("%s: variants %d rpms %d, want 1 and 0", dir, len(r.RPMs), len(r.List()))
		}
		m, err := productmd.ReadModules(open(t, base+"modules.json"), base+"modules.json")
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Modules) != 1 {
			t.Errorf("%s: module variants %d, want 1", dir, len(m.Modules))
		}
	}
}

// TestRPMsSpecExample reads the rpms.json example of the productmd
// specification (bash in Fedora 21: 2 variants x 3 arches x 2 rpms).
func TestRPMsSpecExample(t *testing.T) {
	doc, err := os.ReadFile(testenv.Shared(t, "compose/productmd-docs/rpms-1.1.rst"))
	if err != nil {
		t.Fatal(err)
	}
	_, example, ok := strings.Cut(string(doc), "Bash in Fedora 21::")
	if !ok {
		t.Fatal("example not found in rpms-1.1.rst")
	}
	r, err := productmd.ReadRPMs(strings.NewReader(example), "rpms-1.1.rst")
	if err != nil {
		t.Fatal(err)
	}
	list := r.List()
	if len(list) != 12 || len(r.RPMs) != 2 {
		t.Fatalf("rpms %d variants %d, want 12 and 2", len(list), len(r.RPMs))
	}
	want := productmd.RPM{Variant: "Server", Arch: "armhfp", SRPM: "bash-0:4.3.30-2.fc21.src", NEVRA: "bash-0:4.3.30-2.fc21.armv7hl",
		RPMInfo: productmd.RPMInfo{Path: "Server/armhfp/os/Packages/b/bash-4.3.30-2.fc21.armv7hl.rpm", Sigkey: "95a43f54", Category: "binary"}}
	if list[0] != want {
		t.Errorf("first rpm = %+v, want %+v", list[0], want)
	}
	var buf bytes.Buffer
	if err := productmd.WriteRPMs(&buf, r); err != nil {
		t.Fatal(err)
	}
	r2, err := productmd.ReadRPMs(&buf, "written")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, r2) {
		t.Error("write -> read differs")
	}
}

func TestTreeInfoSamples(t *testing.T) {
	tests := []struct {
		name                       string
		version                    string
		sections, checksums, image int
		variants                   []string
		arch                       string
	}{
		{"RHEL-7-Server-optional.x86_64", "1.2", 5, 0, 0, []string{"Server-optional"}, "x86_64"},
		{"fedora-20-Fedora.x86_64", "", 5, 7, 7, nil, "x86_64"},
		{"fedora-21-Server.x86_64", "", 5, 8, 7, nil, "x86_64"},
		{"fedora-8-Everything.x86_64", "", 4, 0, 6, nil, "x86_64"},
		{"multivariants_treeinfo", "1.2", 6, 0, 0, []string{"AppStream", "BaseOS"}, "x86_64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "compose/productmd-tests/treeinfo/" + tt.name
			ti, err := productmd.ReadTreeInfo(open(t, path), path)
			if err != nil {
				t.Fatal(err)
			}
			images := 0
			for _, m := range ti.Images {
				images += len(m)
			}
			var variants []string
			for uid := range ti.Variants {
				variants = append(variants, uid)
			}
			if len(variants) > 1 && variants[0] > variants[1] {
				variants[0], variants[1] = variants[1], variants[0]
			}
			if ti.Header.Version != tt.version || len(ti.Checksums) != tt.checksums || images != tt.image ||
				!reflect.DeepEqual(variants, tt.variants) || ti.Arch() != tt.arch {
				t.Errorf("version %q checksums %d images %d variants %v arch %s",
					ti.Header.Version, len(ti.Checksums), images, variants, ti.Arch())
			}
			var buf bytes.Buffer
			if err := productmd.WriteTreeInfo(&buf, ti); err != nil {
				t.Fatal(err)
			}
			ti2, err := productmd.ReadTreeInfo(bytes.NewReader(buf.Bytes()), "written")
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.Bytes())
			}
			if !reflect.DeepEqual(ti, ti2) {
				t.Errorf("write -> read differs\n%+v\n%+v", ti, ti2)
			}
			if n := strings.Count(buf.String(), "\n["); n+1 != tt.sections {
				t.Errorf("written sections = %d, want %d", n+1, tt.sections)
			}
		})
	}
	path := "compose/productmd-tests/treeinfo/multivariants_treeinfo"
	ti, err := productmd.ReadTreeInfo(open(t, path), path)
	if err != nil {
		t.Fatal(err)
	}
	b := ti.Variants["BaseOS"]
	if b.Paths["repository"] != "repo_2" || b.Paths["debug_packages"] != "debug pkgs 2" || b.Type != "variant" {
		t.Errorf("BaseOS = %+v", b)
	}
	if ti.Tree.BuildTimestamp != "123456" || !reflect.DeepEqual(ti.Tree.Variants, []string{"AppStream", "BaseOS"}) {
		t.Errorf("tree = %+v", ti.Tree)
	}
}

func TestDiscInfoSamples(t *testing.T) {
	tests := []struct {
		name string
		want productmd.DiscInfo
	}{
		{"fedora-20-Fedora.x86_64", productmd.DiscInfo{Timestamp: "1386856788.124593", Release: "Fedora 20", Arch: "x86_64"}},
		{"fedora-21-Server.x86_64", productmd.DiscInfo{Timestamp: "1417653453.026288", Release: "Fedora-Server 21", Arch: "x86_64"}},
	}
	for _, tt := range tests {
		path := "compose/productmd-tests/discinfo/" + tt.name
		d, err := productmd.ReadDiscInfo(open(t, path), path)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*d, tt.want) {
			t.Errorf("%s = %+v, want %+v", tt.name, *d, tt.want)
		}
		for _, d := range []productmd.DiscInfo{*d, {Timestamp: "1", Release: "R", Arch: "a", AllDiscs: true},
			{Timestamp: "1.5", Release: "R 2", Arch: "b", DiscNumbers: []int{1, 2, 3}}} {
			var buf bytes.Buffer
			if err := productmd.WriteDiscInfo(&buf, &d); err != nil {
				t.Fatal(err)
			}
			d2, err := productmd.ReadDiscInfo(&buf, "written")
			if err != nil || !reflect.DeepEqual(&d, d2) {
				t.Errorf("round trip of %+v: %+v, %v", d, d2, err)
			}
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		read func(io.Reader, string) error
		in   string
		msg  string
	}{
		{"truncated json", readCI, "{\n\"header\": {\"version\": \"1.2\"},\n\"payload\": {", "f: line 3: unexpected end of JSON input"},
		{"wrong type", readCI, `{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {}}`, `metadata type is "productmd.rpms"`},
		{"bad version", readCI, `{"header": {"version": "one"}, "payload": {}}`, `invalid metadata version "one"`},
		{"future version", readCI, `{"header": {"version": "2.0"}, "payload": {}}`, `unsupported metadata version "2.0"`},
		{"no payload", readCI, `{"header": {"version": "1.2"}}`, "no payload"},
		{"no release", readCI, `{"header": {"version": "1.2"}, "payload": {"compose": {"id": "x"}, "variants": {}}}`, "no release"},
		{"bad field type", readRPMs, "{\"header\": {\"version\": \"1.2\"},\n\"payload\": {\"rpms\":\n {\"V\": 3}}}", "f: line 3: json: cannot unmarshal number"},
		{"ini no section", readTI, "a = b\n", "f: line 1: key outside of a section"},
		{"ini dup section", readTI, "[a]\nx=1\n[a]\n", "f: line 3: duplicate section [a]"},
		{"ini dup key", readTI, "[a]\nx=1\nx=2\n", `f: line 3: [a]: duplicate key "x"`},
		{"ini no value", readTI, "[a]\nx\n", "f: line 2: [a]: expected key = value"},
		{"ini bad checksum", readTI, "[checksums]\nimages/boot.iso = deadbeef\n", "f: line 1: [checksums]: checksum of images/boot.iso"},
		{"ini bad header", readTI, "[header]\ntype = productmd.treeinfo\nversion = x\n", `f: line 1: [header]: invalid metadata version "x"`},
		{"ini empty", readTI, "; nothing\n", "f: no treeinfo content"},
		{"discinfo short", readDI, "123\nFedora\n", "f: 2 lines"},
		{"discinfo bad time", readDI, "now\nFedora\nx86_64\n", "f: line 1: timestamp"},
		{"discinfo bad discs", readDI, "1\nFedora\nx86_64\n1,x\n", "f: line 4: bad disc number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(strings.NewReader(tt.in), "f")
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want one containing %q", err, tt.msg)
			}
		})
	}
}

func readCI(r io.Reader, n string) error   { _, err := productmd.ReadComposeInfo(r, n); return err }
func readRPMs(r io.Reader, n string) error { _, err := productmd.ReadRPMs(r, n); return err }
func readTI(r io.Reader, n string) error   { _, err := productmd.ReadTreeInfo(r, n); return err }
func readDI(r io.Reader, n string) error   { _, err := productmd.ReadDiscInfo(r, n); return err }

// testCompose builds a small compose with two variants, rpms, a module and
// an image.
func testCompose(dir, id string, status productmd.Status) *productmd.Compose {
	ref := productmd.ComposeRef{Date: "20240501", ID: id, Respin: 0, Type: "nightly"}
	c := &productmd.Compose{Dir: dir, ID: id, Status: status}
	c.Info = &productmd.ComposeInfo{
		Header:  productmd.Header{Type: productmd.TypeComposeInfo, Version: "1.2"},
		Compose: ref,
		Release: productmd.Release{Name: "Fedora", Short: "Fedora", Version: "40", Type: "ga"},
		Variants: map[string]*productmd.Variant{
			"Everything": {ID: "Everything", UID: "Everything", Name: "Everything", Type: "variant", Arches: []string{"aarch64", "x86_64"},
				Paths: map[string]map[string]string{"repository": {"x86_64": "Everything/x86_64/os", "aarch64": "Everything/aarch64/os"}}},
			"Server": {ID: "Server", UID: "Server", Name: "Server", Type: "variant", Arches: []string{"x86_64"},
				Paths: map[string]map[string]string{"repository": {"x86_64": "Server/x86_64/os"}}},
		},
	}
	c.RPMs = &productmd.RPMs{Header: productmd.Header{Type: productmd.TypeRPMs, Version: "1.2"}, Compose: ref}
	c.RPMs.Add("Everything", "x86_64", "bash-0:5.2.26-3.fc40.src", "bash-0:5.2.26-3.fc40.x86_64",
		productmd.RPMInfo{Path: "Everything/x86_64/os/Packages/b/bash-5.2.26-3.fc40.x86_64.rpm", Sigkey: "a15b79cc", Category: "binary"})
	c.RPMs.Add("Everything", "x86_64", "bash-0:5.2.26-3.fc40.src", "bash-0:5.2.26-3.fc40.src",
		productmd.RPMInfo{Path: "Everything/source/tree/Packages/b/bash-5.2.26-3.fc40.src.rpm", Category: "source"})
	c.RPMs.Add("Server", "x86_64", "bash-0:5.2.26-3.fc40.src", "bash-0:5.2.26-3.fc40.x86_64",
		productmd.RPMInfo{Path: "Server/x86_64/os/Packages/b/bash-5.2.26-3.fc40.x86_64.rpm", Sigkey: "a15b79cc", Category: "binary"})
	c.Modules = &productmd.Modules{Header: productmd.Header{Type: productmd.TypeModules, Version: "1.2"}, Compose: ref, Modules: map[string]map[string]map[string]productmd.Module{
		"Everything": {"x86_64": {"nodejs:20:4020240501:abcd1234": {
			Metadata:     productmd.ModuleMetadata{UID: "nodejs:20:4020240501:abcd1234", Name: "nodejs", Stream: "20", Version: "4020240501", Context: "abcd1234", KojiTag: "module-nodejs-20"},
			ModulemdPath: map[string]string{"binary": "Everything/x86_64/os/repodata/modules.yaml"},
			RPMs:         []string{"nodejs-1:20.12.2-1.module_f40.x86_64"},
		}}}}}
	c.Images = &productmd.Images{Header: productmd.Header{Type: productmd.TypeImages, Version: "1.2"}, Compose: ref, Images: map[string]map[string][]productmd.Image{
		"Server": {"x86_64": {{Arch: "x86_64", Bootable: true, Checksums: map[string]string{"sha256": "00"}, DiscCount: 1, DiscNumber: 1,
			Format: "iso", Mtime: 1714521600, Path: "Server/x86_64/iso/Fedora-Server-dvd-x86_64-40.iso", Size: 2 << 30,
			Subvariant: "Server", Type: "dvd", VolumeID: "Fedora-S-dvd-x86_64-40"}}}}}
	return c
}

func TestWriteOpenCompose(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Fedora-40-20240501.n.0")
	want := testCompose(dir, "Fedora-40-20240501.n.0", productmd.StatusFinished)
	if err := productmd.WriteCompose(want); err != nil {
		t.Fatal(err)
	}
	got, err := productmd.OpenCompose(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OpenCompose(WriteCompose(c)) differs:\n%+v\n%+v", got, want)
	}
	if n := len(got.RPMs.List()); n != 3 {
		t.Errorf("rpms = %d, want 3", n)
	}
	repo, err := got.RepoPath("Server", "x86_64")
	if err != nil || repo != filepath.Join(dir, "compose", "Server/x86_64/os") {
		t.Errorf("RepoPath = %q, %v", repo, err)
	}
	if _, err := got.RepoPath("Server", "s390x"); err == nil {
		t.Error("RepoPath for a missing arch gave no error")
	}
	got.Info.Variants["Server"].Paths["repository"]["x86_64"] = "../../etc"
	if _, err := got.RepoPath("Server", "x86_64"); err == nil {
		t.Error("RepoPath accepted a path leaving the compose")
	}
}

// TestPungiFixtures opens pungi's fixture metadata as composes: the fixture
// folders have no STATUS, so a temporary compose links to them.
func TestPungiFixtures(t *testing.T) {
	for _, name := range []string{"DP-1.0-20181001.n.0", "basic-metadata"} {
		src := testenv.Shared(t, "compose/pungi-fixtures/"+name+"/compose")
		md, err := productmd.ReadMetadata(filepath.Join(src, "metadata"))
		if err != nil {
			t.Fatal(err)
		}
		if md.Modules == nil || md.Images == nil || len(md.Info.Variants) != 1 {
			t.Errorf("%s: metadata %+v", name, md)
		}
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(src, filepath.Join(dir, "compose")); err != nil {
			t.Fatal(err)
		}
		if _, err := productmd.OpenCompose(dir); !errors.As(err, new(*productmd.NotCompleteError)) {
			t.Errorf("%s without STATUS: err = %v, want NotCompleteError", name, err)
		}
		writeFile(t, filepath.Join(dir, "STATUS"), "FINISHED\n")
		writeFile(t, filepath.Join(dir, "COMPOSE_ID"), md.Info.Compose.ID+"\n")
		c, err := productmd.OpenCompose(dir)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != md.Info.Compose.ID || c.Status != productmd.StatusFinished {
			t.Errorf("%s: id %s status %s", name, c.ID, c.Status)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCompletenessRule covers DESIGN.md's rule and half-written composes.
func TestCompletenessRule(t *testing.T) {
	tests := []struct {
		name   string
		status string // "" leaves STATUS out
		breakc func(t *testing.T, dir string)
		state  productmd.State
		reason string // Skipped: the reason; Broken: text the error must contain
	}{
		{name: "finished", status: "FINISHED\n", state: productmd.Complete},
		{name: "finished-incomplete", status: "FINISHED_INCOMPLETE\n", state: productmd.Complete},
		{name: "started", status: "STARTED\n", state: productmd.Skipped, reason: "STATUS is STARTED"},
		{name: "doomed", status: "DOOMED\n", state: productmd.Skipped, reason: "STATUS is DOOMED"},
		{name: "terminated", status: "TERMINATED", state: productmd.Skipped, reason: "STATUS is TERMINATED"},
		{name: "no-status", status: "", state: productmd.Skipped, reason: "no STATUS file"},
		{name: "empty-status", status: "\n", state: productmd.Broken, reason: "STATUS: want one non-empty line"},
		{name: "no-rpms", status: "FINISHED\n", state: productmd.Broken, reason: "compose/metadata/rpms.json",
			breakc: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "compose/metadata/rpms.json")) }},
		{name: "truncated-images", status: "FINISHED\n", state: productmd.Broken, reason: "compose/metadata/images.json: line ",
			breakc: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "compose/metadata/images.json")
				data, _ := os.ReadFile(p)
				writeFile(t, p, string(data[:len(data)/2]))
			}},
		{name: "empty-composeinfo", status: "FINISHED\n", state: productmd.Broken, reason: "compose/metadata/composeinfo.json",
			breakc: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "compose/metadata/composeinfo.json"), "")
			}},
		{name: "no-compose-id", status: "FINISHED\n", state: productmd.Broken, reason: "COMPOSE_ID",
			breakc: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "COMPOSE_ID")) }},
		{name: "other-compose-id", status: "FINISHED\n", state: productmd.Broken, reason: `COMPOSE_ID: compose id "other"`,
			breakc: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "COMPOSE_ID"), "other\n") }},
		{name: "mixed-rpms", status: "FINISHED\n", state: productmd.Broken, reason: `rpms.json: compose id "Fedora-40-20240430.n.0"`,
			breakc: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "compose/metadata/rpms.json")
				data, _ := os.ReadFile(p)
				writeFile(t, p, strings.ReplaceAll(string(data), "20240501", "20240430"))
			}},
		{name: "unknown-variant", status: "FINISHED\n", state: productmd.Broken, reason: `modules.json: variant "Everything" is not in composeinfo.json`,
			breakc: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "compose/metadata/composeinfo.json")
				data, _ := os.ReadFile(p)
				writeFile(t, p, strings.ReplaceAll(string(data), "Everything", "Other"))
				p = filepath.Join(dir, "compose/metadata/rpms.json")
				data, _ = os.ReadFile(p)
				writeFile(t, p, strings.ReplaceAll(string(data), "Everything", "Other"))
			}},
	}
	root := t.TempDir()
	for _, tt := range tests {
		dir := filepath.Join(root, tt.name)
		c := testCompose(dir, "Fedora-40-20240501.n.0", "")
		if err := productmd.WriteCompose(c); err != nil {
			t.Fatal(err)
		}
		if tt.status != "" {
			writeFile(t, filepath.Join(dir, "STATUS"), tt.status)
		}
		if tt.breakc != nil {
			tt.breakc(t, dir)
		}
	}
	if err := os.Symlink("finished", filepath.Join(root, "latest-Fedora-40")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "README"), "not a compose\n")

	entries, err := productmd.ScanComposes(context.Background(), root, 2)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]productmd.ScanEntry{}
	var names []string
	for _, e := range entries {
		byName[e.Name] = e
		names = append(names, e.Name)
	}
	if len(entries) != len(tests)+1 {
		t.Errorf("entries = %v, want the %d composes and the symlink", names, len(tests))
	}
	if e := byName["latest-Fedora-40"]; e.State != productmd.Skipped || e.Reason != "symbolic link" {
		t.Errorf("symlink: %+v", e)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := byName[tt.name]
			if !ok {
				t.Fatal("not scanned")
			}
			if e.State != tt.state {
				t.Fatalf("state = %v (reason %q, err %v), want %v", e.State, e.Reason, e.Err, tt.state)
			}
			switch tt.state {
			case productmd.Complete:
				if e.Compose == nil || len(e.Compose.RPMs.List()) != 3 {
					t.Errorf("compose = %+v", e.Compose)
				}
			case productmd.Skipped:
				if e.Reason != tt.reason {
					t.Errorf("reason = %q, want %q", e.Reason, tt.reason)
				}
			case productmd.Broken:
				if e.Err == nil || !strings.Contains(e.Err.Error(), tt.reason) {
					t.Errorf("err = %v, want one containing %q", e.Err, tt.reason)
				}
			}
		})
	}
}

func TestWriteDefaults(t *testing.T) {
	var buf bytes.Buffer
	if err := productmd.WriteRPMs(&buf, &productmd.RPMs{Compose: productmd.ComposeRef{ID: "X"}}); err != nil {
		t.Fatal(err)
	}
	r, err := productmd.ReadRPMs(&buf, "written")
	if err != nil {
		t.Fatal(err)
	}
	if r.Header != (productmd.Header{Type: productmd.TypeRPMs, Version: productmd.CurrentVersion}) || r.RPMs == nil {
		t.Errorf("defaults: %+v", r)
	}
	// Keys are sorted and indented by four spaces, as productmd recommends.
	buf.Reset()
	ci := &productmd.ComposeInfo{Compose: productmd.ComposeRef{ID: "X"}, Release: productmd.Release{Name: "N", Short: "S", Version: "1.10"}}
	if err := productmd.WriteComposeInfo(&buf, ci); err != nil {
		t.Fatal(err)
	}
	const want = `{
    "header": {
        "type": "productmd.composeinfo",
        "version": "1.2"
    },
    "payload": {
        "compose": {
            "date": "",
            "id": "X",
            "respin": 0,
            "type": ""
        },
        "release": {
            "name": "N",
            "short": "S",
            "version": "1.10"
        },
        "variants": {}
    }
}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
