package modulemd

import (
	"reflect"
	"strings"
	"testing"
)

func onlyDoc(t *testing.T, rel string) *Document {
	t.Helper()
	docs, failures := readDocs(t, sharedPath(t, rel))
	if len(failures) > 0 || len(docs) != 1 {
		t.Fatalf("%s: %d documents, failures %v", rel, len(docs), failures)
	}
	return docs[0]
}

// TestPackagerV3Streams checks, field by field, the per-configuration
// conversion of the packager v3 specification.
func TestPackagerV3Streams(t *testing.T) {
	doc := onlyDoc(t, "specs/modulemd_packager_v3.yaml")
	if doc.Packager == nil || len(doc.Packager.Configurations) != 2 {
		t.Fatalf("packager = %+v", doc.Packager)
	}
	if len(doc.Streams) != 2 {
		t.Fatalf("%d streams, want one per configuration (2)", len(doc.Streams))
	}
	ctx1, ctx2 := doc.Streams[0], doc.Streams[1]
	for _, s := range doc.Streams {
		if s.Name != "foo" || s.Stream != "latest" || s.Version != "" || s.Arch != "" || s.StaticContext {
			t.Errorf("NSVCA fields: %q", s.NSVCA())
		}
		if s.Summary != "An example module" || !strings.HasPrefix(s.Description, "A module for the demonstration") || strings.HasSuffix(s.Description, "\n") {
			t.Errorf("summary/description: %q / %q", s.Summary, s.Description)
		}
		eq(t, "license", s.License, License{Module: []string{"MIT"}})
		eq(t, "xmd", s.XMD, map[string]any{"some_key": "some_data"})
		eq(t, "references", s.References, References{"http://www.example.com/", "http://www.example.com/", "http://www.example.com/"})
		eq(t, "profiles", s.Profiles, map[string]Profile{
			"container":      {RPMs: []string{"bar", "bar-devel"}},
			"minimal":        {Description: "Minimal profile installing only the bar package.", RPMs: []string{"bar"}},
			"buildroot":      {RPMs: []string{"bar-devel"}},
			"srpm-buildroot": {RPMs: []string{"bar-extras"}},
		})
		eq(t, "api", s.API, []string{"bar", "bar-devel", "bar-extras", "baz", "xxx"})
		eq(t, "filter", s.Filter, []string{"baz-nonfoo"})
		eq(t, "demodularized", s.Demodularized, []string{"bar-old"})
		eq(t, "components", s.Components, Components{
			RPMs: map[string]RPMComponent{
				"bar": {Name: "bar-real", Rationale: "We need this to demonstrate stuff.", Repository: "https://pagure.io/bar.git", Cache: "https://example.com/cache", Ref: "26ca0c0"},
				"baz": {Name: "baz", Rationale: "Demonstrate updating the buildroot contents.", Buildroot: true, SRPMBuildroot: true},
				"xxx": {Name: "xxx", Rationale: "xxx demonstrates arches and multilib.", Arches: []string{"i686", "x86_64"}, Multilib: []string{"x86_64"}, Buildorder: 10},
			},
			Modules: map[string]ModuleComponent{
				"includedmodule": {Name: "includedmodule", Rationale: "Included in the stack, just because.", Repository: "https://pagure.io/includedmodule.git", Ref: "somecoolbranchname", Buildorder: 100},
			},
		})
		if len(s.Artifacts.RPMs) != 0 {
			t.Errorf("artifacts: %v", s.Artifacts)
		}
	}
	if ctx1.Context != "CTX1" || ctx2.Context != "CTX2" {
		t.Errorf("contexts %q, %q; want CTX1, CTX2", ctx1.Context, ctx2.Context)
	}
	eq(t, "CTX1 dependencies", ctx1.Dependencies, []Dependencies{{
		BuildRequires: map[string][]string{"platform": {"f32"}, "appframework": {"v1"}},
		Requires:      map[string][]string{"platform": {"f32"}, "appframework": {"v1"}},
	}})
	eq(t, "CTX2 dependencies", ctx2.Dependencies, []Dependencies{{
		BuildRequires: map[string][]string{"platform": {"f33"}},
		Requires:      map[string][]string{"platform": {"f33"}},
	}})
	eq(t, "CTX1 buildopts", ctx1.BuildOpts, BuildOpts{
		RPMs:   RPMBuildOpts{Macros: "%demomacro 1\n%demomacro2 %{demomacro}23\n", Whitelist: []string{"fooscl-1-bar", "fooscl-1-baz", "xxx", "xyz"}},
		Arches: []string{"i686", "x86_64"},
	})
	eq(t, "CTX2 buildopts", ctx2.BuildOpts, BuildOpts{})
	eq(t, "defaults", doc.Defaults, &Defaults{Module: "foo", Profiles: map[string][]string{"latest": {"minimal"}}})
}

// TestPackagerV3ToStreamV2 compares the single-stream conversion with
// libmodulemd's own output for the specification (the upgrades fixture).
func TestPackagerV3ToStreamV2(t *testing.T) {
	doc := onlyDoc(t, "specs/modulemd_packager_v3.yaml")
	docs, failures := readDocs(t, sharedPath(t, "libmodulemd-fixtures/upgrades_packager_v3_to_stream_v2.yaml"))
	if len(failures) > 0 || len(docs) != 2 {
		t.Fatalf("fixture: %d documents, %v", len(docs), failures)
	}
	wantDefaults, wantStream := docs[0].Defaults, docs[1].Streams[0]
	got := doc.Packager.ToStreamV2()
	eq(t, "stream", got, wantStream)
	eq(t, "defaults", doc.Packager.DefaultsDocument(), wantDefaults)
	if got.Context != "" {
		t.Errorf("context %q with two configurations, want none", got.Context)
	}
}

// TestPackagerV2 checks that a packager v2 document reads as the stream v2
// specification without the build system's fields.
func TestPackagerV2(t *testing.T) {
	p := onlyDoc(t, "specs/modulemd_packager_v2.yaml").Streams[0]
	s := onlyDoc(t, "specs/modulemd_stream_v2.yaml").Streams[0]
	if p.Name != "" || p.Stream != "" || p.Version != "" || p.Context != "" {
		t.Errorf("packager v2 has NSVC %q", p.NSVCA())
	}
	eq(t, "dependencies", p.Dependencies, s.Dependencies)
	eq(t, "profiles", p.Profiles, s.Profiles)
	eq(t, "api", p.API, s.API)
	eq(t, "filter", p.Filter, s.Filter)
	eq(t, "demodularized", p.Demodularized, s.Demodularized)
	eq(t, "references", p.References, s.References)
	eq(t, "module license", p.License.Module, s.License.Module)
	eq(t, "summary", p.Summary, s.Summary)
	eq(t, "includedmodule", p.Components.Modules, s.Components.Modules)
	eq(t, "bar", p.Components.RPMs["bar"], s.Components.RPMs["bar"])
	eq(t, "xxx buildorder", p.Components.RPMs["xxx"].Buildorder, int64(10))
}

// TestStreamV1Upgrade checks the v1 specification against its v2 form.
func TestStreamV1Upgrade(t *testing.T) {
	s := onlyDoc(t, "specs/modulemd_stream_v1.yaml").Streams[0]
	if got := s.NSVCA(); got != "foo:stream-name:20160927144203:c0ffee43:x86_64" {
		t.Errorf("NSVCA = %q", got)
	}
	eq(t, "dependencies", s.Dependencies, []Dependencies{{
		BuildRequires: map[string][]string{"platform": {"and-its-stream-name"}, "extra-build-env": {"and-its-stream-name-too"}},
		Requires:      map[string][]string{"platform": {"and-its-stream-name"}},
	}})
	eq(t, "servicelevels", s.ServiceLevels["rawhide"], ServiceLevel{EOL: "2077-10-23"})
	eq(t, "profiles", len(s.Profiles), 5)
	eq(t, "macros", s.BuildOpts.RPMs.Macros, "%demomacro 1\n%demomacro2 %{demomacro}23\n")
	eq(t, "artifacts", len(s.Artifacts.RPMs), 7)
}

func TestDependenciesV1(t *testing.T) {
	tests := []struct {
		name string
		deps string
		want []Dependencies
	}{
		{"none", "", nil},
		{"empty maps", "dependencies: {buildrequires: {}, requires: {}}", nil},
		{"build only", "dependencies:\n    buildrequires: {platform: f28}", []Dependencies{{BuildRequires: map[string][]string{"platform": {"f28"}}}}},
		{"run only", "dependencies:\n    requires: {platform: f28}", []Dependencies{{Requires: map[string][]string{"platform": {"f28"}}}}},
		{"both, numeric streams stay strings", "dependencies:\n    buildrequires: {platform: f29, python: 3.10, perl: 5.30}\n    requires: {python: 3.10}",
			[]Dependencies{{
				BuildRequires: map[string][]string{"platform": {"f29"}, "python": {"3.10"}, "perl": {"5.30"}},
				Requires:      map[string][]string{"python": {"3.10"}},
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "document: modulemd\nversion: 1\ndata:\n  name: m\n  stream: s\n  summary: S\n  description: D\n  license: {module: [MIT]}\n  " + strings.ReplaceAll(tt.deps, "\n", "\n  ") + "\n"
			x, err := ReadAll(strings.NewReader(in), "v1.yaml")
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "dependencies", x.Modules["m"].Streams[0].Dependencies, tt.want)
		})
	}
	_, err := ReadAll(strings.NewReader("document: modulemd\nversion: 1\ndata:\n  summary: S\n  description: D\n  license: {module: [MIT]}\n  dependencies:\n    requires: {platform: [f28]}\n"), "v1.yaml")
	if err == nil || !strings.Contains(err.Error(), "line 8: dependencies.requires.platform: want a scalar, got a list") {
		t.Errorf("v1 list stream: error %v", err)
	}
}

// TestStringsStayStrings checks that numeric-looking streams, versions,
// contexts and refs keep their text, and are written so they read back.
func TestStringsStayStrings(t *testing.T) {
	in := `---
document: modulemd
version: 2
data:
  name: python
  stream: 1.10
  version: 0020181217165704
  context: 00000000
  arch: x86_64
  summary: "1.0"
  description: yes
  license: {module: [MIT]}
  xmd: {n: 1.10, b: true, q: "true", z: ~}
  dependencies:
  - buildrequires: {platform: [1.10, 010, 1e3]}
  components:
    rpms:
      python: {rationale: r, ref: 1.10}
...
`
	x, err := ReadAll(strings.NewReader(in), "strings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := x.Modules["python"].Streams[0]
	eq(t, "NSVCA", s.NSVCA(), "python:1.10:20181217165704:00000000:x86_64")
	eq(t, "summary", s.Summary, "1.0")
	eq(t, "description", s.Description, "yes")
	eq(t, "xmd", s.XMD, map[string]any{"n": "1.10", "b": true, "q": "true", "z": nil})
	eq(t, "platform", s.Dependencies[0].BuildRequires["platform"], []string{"010", "1.10", "1e3"})
	eq(t, "ref", s.BuiltRefs(), map[string]string{"python": "1.10"})
	out, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`stream: "1.10"`, `context: "00000000"`, `description: "yes"`, `ref: "1.10"`, `"n": "1.10"`, `q: "true"`, "b: true"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("written YAML lacks %s:\n%s", want, out)
		}
	}
	back, failures := readBytes(t, out)
	if len(failures) > 0 {
		t.Fatal(failures)
	}
	eq(t, "round trip", back[0].Streams[0], s)
}

func TestNSVCA(t *testing.T) {
	tests := []struct {
		s    Stream
		want string
	}{
		{Stream{Name: "n", Stream: "s", Version: "1", Context: "c", Arch: "a"}, "n:s:1:c:a"},
		{Stream{Name: "n", Stream: "s", Version: "1"}, "n:s:1"},
		{Stream{Name: "n", Stream: "s", Context: "c"}, "n:s::c"},
		{Stream{Name: "n"}, "n"},
		{Stream{}, ""},
	}
	for _, tt := range tests {
		eq(t, tt.want, tt.s.NSVCA(), tt.want)
	}
}

func TestBuiltRefs(t *testing.T) {
	docs, _ := readDocs(t, sharedPath(t, "libmodulemd-fixtures/good_and_bad.yaml"))
	eq(t, "nodejs:11", docs[1].Streams[0].BuiltRefs(), map[string]string{
		"nodejs":  "01611e2acd156d4004d04922e4f39c6b482902d6",
		"nghttp2": "54e2c4375502dc21ef4ac60ee571658a22f55c29",
		"libuv":   "fb955db1107c02298b4f7e453ae211b3c0673cda",
	})
	// Without an mbs record, the components' refs are used.
	s := &Stream{Components: Components{RPMs: map[string]RPMComponent{"a": {Ref: "main"}, "b": {}}}}
	eq(t, "fallback", s.BuiltRefs(), map[string]string{"a": "main"})
	s.XMD = map[string]any{"mbs": map[string]any{"rpms": map[string]any{"a": map[string]any{"ref": "abc123"}, "c": map[string]any{"ref": "def456"}}}}
	eq(t, "mbs first", s.BuiltRefs(), map[string]string{"a": "abc123", "c": "def456"})
}

func TestDocumentErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown kind", "document: modulemd-stream\nversion: 3\ndata: {}\n", `x.yaml: document 1 (modulemd-stream v3): line 1: unknown document kind "modulemd-stream"`},
		{"no data", "document: modulemd\nversion: 2\n", `no "data" mapping`},
		{"not a mapping", "- a\n- b\n", "document is a list, not a mapping"},
		{"bad version", "document: modulemd\nversion: two\ndata: {}\n", `line 2: version: want a number, got "two"`},
		{"bad buildorder", "document: modulemd\nversion: 2\ndata:\n  summary: s\n  description: d\n  license: {module: [MIT]}\n  components: {rpms: {a: {buildorder: soon}}}\n", `line 7: components.rpms.a.buildorder: want an integer, got "soon"`},
		{"no license", "document: modulemd\nversion: 2\ndata: {summary: s, description: d}\n", "module license is missing"},
		{"bad nevra", "document: modulemd\nversion: 2\ndata: {summary: s, description: d, license: {module: [MIT]}, artifacts: {rpms: [foo]}}\n", `artifact "foo"`},
		{"packager v3 unknown key", "document: modulemd-packager\nversion: 3\ndata: {summary: s, description: d, arch: x86_64}\n", `line 3: unexpected key "arch" in a packager v3 document`},
		{"packager v3 two streams", "document: modulemd-packager\nversion: 3\ndata:\n  summary: s\n  description: d\n  configurations:\n  - {context: A, platform: f40, requires: {x: [a, b]}}\n", "line 7: configurations.requires.x: want exactly one stream, got 2"},
		{"bad obsoletes date", "document: modulemd-obsoletes\nversion: 1\ndata: {module: m, stream: s, message: x, modified: yesterday}\n", `modified: want a UTC time YYYY-MM-DDTHH:MMZ, got "yesterday"`},
		{"defaults without module", "document: modulemd-defaults\nversion: 1\ndata: {stream: x}\n", "module is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadAll(strings.NewReader(tt.in), "x.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

// TestAliasBomb checks that aliases cannot blow an xmd block up.
func TestAliasBomb(t *testing.T) {
	in := "document: modulemd\nversion: 2\ndata:\n  summary: s\n  description: d\n  license: {module: [MIT]}\n  xmd:\n    a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		name := string(rune('b' + i))
		in += "    " + name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	_, err := ReadAll(strings.NewReader(in), "bomb.yaml")
	if err == nil || !strings.Contains(err.Error(), "alias expansion") {
		t.Errorf("error %v, want an alias expansion error", err)
	}
}
