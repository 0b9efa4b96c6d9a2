package compsgen

import (
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/modulemd"
)

// modulesYAML is a modules.yaml with the cases the profile rules cover:
// a stream with a default profile, a non-default stream of the same
// module, a module whose defaults say "no default profile", a module
// without defaults, a stream without profiles, and two versions and two
// contexts of one stream.
const modulesYAML = `---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "20"
  version: 1
  context: aaaa
  summary: Javascript runtime
  description: Javascript runtime.
  license: {module: [MIT]}
  profiles:
    default: {rpms: [nodejs, npm]}
    development: {rpms: [nodejs, nodejs-devel, npm]}
    minimal: {rpms: [nodejs]}
...
---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "18"
  version: 1
  context: aaaa
  summary: Javascript runtime
  description: Javascript runtime.
  license: {module: [MIT]}
  profiles:
    default: {rpms: [nodejs]}
    development: {rpms: [nodejs-devel]}
...
---
document: modulemd-defaults
version: 1
data:
  module: nodejs
  stream: "20"
  profiles:
    "20": [default]
    "18": [default, development]
...
---
document: modulemd
version: 2
data:
  name: perl
  stream: "5.32"
  version: 1
  context: aaaa
  summary: Perl
  description: Perl.
  license: {module: [MIT]}
  profiles:
    common: {rpms: [perl]}
    minimal: {rpms: [perl-interpreter]}
...
---
document: modulemd-defaults
version: 1
data:
  module: perl
  stream: "5.32"
  profiles:
    "5.32": []
...
---
document: modulemd
version: 2
data:
  name: ruby
  stream: "3.1"
  version: 1
  context: aaaa
  summary: Ruby
  description: Ruby.
  license: {module: [MIT]}
  profiles:
    common: {rpms: [ruby, rubygems]}
...
---
document: modulemd
version: 2
data:
  name: noprof
  stream: "1.10"
  version: 1
  context: aaaa
  summary: No profiles
  description: No profiles.
  license: {module: [MIT]}
  api: {rpms: [np-lib, np-tool]}
...
---
document: modulemd
version: 2
data:
  name: multi
  stream: "1"
  version: 9
  context: aaaa
  summary: Old version
  description: Old version.
  license: {module: [MIT]}
  profiles:
    default: {rpms: [old]}
...
---
document: modulemd
version: 2
data:
  name: multi
  stream: "1"
  version: 10
  context: bbbb
  summary: New version, context b
  description: New version, context b.
  license: {module: [MIT]}
  profiles:
    default: {rpms: [new-b]}
...
---
document: modulemd
version: 2
data:
  name: multi
  stream: "1"
  version: 10
  context: cccc
  summary: New version, context c
  description: New version, context c.
  license: {module: [MIT]}
  profiles:
    default: {rpms: [new-c]}
    extra: {rpms: [extra-c]}
...
`

func testIndex(t *testing.T) *modulemd.Index {
	t.Helper()
	idx, err := modulemd.ReadAll(strings.NewReader(modulesYAML), "modules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func reqString(reqs []comps.PackageReq) string {
	var b []string
	for _, r := range reqs {
		b = append(b, r.Name+"="+string(r.Type))
	}
	return strings.Join(b, " ")
}

func TestModulePackages(t *testing.T) {
	idx := testIndex(t)
	tests := []struct {
		name, module, stream, profile string
		want, profiles, err           string
	}{
		{"profile given", "nodejs", "20", "development", "nodejs=default nodejs-devel=default npm=default", "development", ""},
		{"profile given, others optional", "nodejs", "20", "minimal", "nodejs=default nodejs-devel=optional npm=optional", "minimal", ""},
		{"no profile: default profile of the defaults", "nodejs", "20", "", "nodejs=default npm=default nodejs-devel=optional", "default", ""},
		{"no profile: defaults for a non-default stream", "nodejs", "18", "", "nodejs=default nodejs-devel=default", "default,development", ""},
		{"no profile: defaults say none", "perl", "5.32", "", "perl=optional perl-interpreter=optional", "", ""},
		{"no profile: no defaults document", "ruby", "3.1", "", "ruby=optional rubygems=optional", "", ""},
		{"no profiles: api rpms optional", "noprof", "1.10", "", "np-lib=optional np-tool=optional", "", ""},
		{"newest version, contexts merged", "multi", "1", "default", "new-b=default new-c=default extra-c=optional", "default", ""},
		{"unknown profile", "nodejs", "20", "server", "", "", `unknown profile "server" (profiles: default, development, minimal)`},
		{"unknown profile of a stream without profiles", "noprof", "1.10", "x", "", "", "the stream has no profiles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, d, err := lookupStream(idx, tt.module, tt.stream)
			if err != nil {
				t.Fatal(err)
			}
			reqs, profiles, err := ModulePackages(s, d, tt.profile)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := &comps.Comps{Groups: []comps.Group{{ID: "g", Packages: reqs}}}
			c.Sort()
			got := reqString(c.Groups[0].Packages)
			// compare as sorted by type then name, the order comps.xml uses
			want := tt.want
			sorted := &comps.Comps{Groups: []comps.Group{{ID: "g"}}}
			for _, f := range strings.Fields(want) {
				n, typ, _ := strings.Cut(f, "=")
				sorted.Groups[0].Packages = append(sorted.Groups[0].Packages, comps.PackageReq{Name: n, Type: comps.PackageType(typ)})
			}
			sorted.Sort()
			if got != reqString(sorted.Groups[0].Packages) {
				t.Errorf("packages = %s, want %s", got, want)
			}
			if strings.Join(profiles, ",") != tt.profiles {
				t.Errorf("profiles = %v, want %s", profiles, tt.profiles)
			}
		})
	}
}

func TestLookupStreamErrors(t *testing.T) {
	idx := testIndex(t)
	for _, tt := range []struct{ module, stream, want string }{
		{"nodejs", "22", `module "nodejs" has no stream "22" (known: 18, 20)`},
		{"nope", "1", `no module "nope"`},
		{"noprof", "1.1", `has no stream "1.1"`}, // "1.10" is not "1.1"
	} {
		if _, _, err := lookupStream(idx, tt.module, tt.stream); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("lookupStream(%s:%s) = %v, want %q", tt.module, tt.stream, err, tt.want)
		}
	}
	if _, _, err := lookupStream(nil, "nodejs", "20"); err == nil {
		t.Error("lookupStream on a nil index: no error")
	}
}

func TestCompareVersion(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"10", "9", 1}, {"9", "10", -1}, {"4020240901180349", "4020240901180349", 0}, {"010", "10", 0}, {"", "1", -1}} {
		got := compareVersion(tt.a, tt.b)
		if (got > 0) != (tt.want > 0) || (got < 0) != (tt.want < 0) {
			t.Errorf("compareVersion(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
	}
}
