// Package synth builds a synthetic but realistically shaped answer model
// (binary package and component answers as JSON) for the store's tests and
// benchmarks. It is deterministic: the same seed gives the same bytes.
package synth

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Sizes of a Fedora-like release.
const (
	Binaries   = 70000
	Components = 25000
)

var (
	prefixes = []string{"", "", "", "python3-", "python3-", "perl-", "golang-github-", "rust-", "ghc-", "texlive-", "nodejs-", "php-", "R-", "lib"}
	suffixes = []string{"", "", "", "", "-devel", "-devel", "-libs", "-doc", "-common", "-tests", "-debuginfo", "-static", "+default-devel", "-data"}
	syll     = []string{"ba", "co", "de", "fi", "gu", "ha", "jo", "ka", "lu", "mo", "ni", "po", "qu", "ra", "si", "tu", "ve", "wy", "xo", "ze", "str", "gl", "ib", "x", "on", "ia", "er", "ng", "th", "io"}
	licenses = []string{"MIT", "GPL-2.0-or-later", "LGPL-2.1-or-later", "Apache-2.0", "BSD-3-Clause", "MIT AND Apache-2.0", "GPL-3.0-only", "Artistic-1.0-Perl OR GPL-1.0-or-later"}
	arches   = []string{"x86_64", "x86_64", "x86_64", "noarch", "noarch", "i686"}
	libs     = []string{"libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", "libm.so.6()(64bit)", "libgcc_s.so.1()(64bit)", "libstdc++.so.6()(64bit)", "libz.so.1()(64bit)", "libssl.so.3()(64bit)", "rtld(GNU_HASH)", "python(abi) = 3.12", "/usr/bin/sh", "perl(:MODULE_COMPAT_5.38.2)", "glibc", "bash", "coreutils", "systemd"}
)

// Model is the synthetic model: kind -> key -> JSON answer.
type Model struct {
	Answers map[string]map[string][]byte
	// Components lists the component names, sorted; Binaries[c] the
	// binary packages each one builds.
	Components []string
	Binaries   map[string][]string
	rng        *rand.Rand
}

func name(r *rand.Rand) string {
	n := 2 + r.IntN(3)
	s := ""
	for i := 0; i < n; i++ {
		s += syll[r.IntN(len(syll))]
	}
	return s
}

// powerLaw returns a count with a heavy tail: most packages need a few
// things, some need hundreds.
func powerLaw(r *rand.Rand, min, max int) int {
	u := r.Float64()
	v := float64(min) / math.Pow(1-u, 1/1.3)
	if v > float64(max) {
		v = float64(max)
	}
	return int(v)
}

// zipf picks an index skewed towards the front: a few popular packages
// are required by many, as in a real distribution.
func zipf(r *rand.Rand, n int) int {
	u := r.Float64()
	return int(float64(n) * u * u * u)
}

func hex40(r *rand.Rand) string {
	const h = "0123456789abcdef"
	b := make([]byte, 40)
	for i := range b {
		b[i] = h[r.IntN(16)]
	}
	return string(b)
}

func evr(r *rand.Rand) (string, string, string) {
	e := "0"
	if r.IntN(20) == 0 {
		e = fmt.Sprint(1 + r.IntN(3))
	}
	v := fmt.Sprintf("%d.%d.%d", r.IntN(12), r.IntN(40), r.IntN(20))
	rel := fmt.Sprintf("%d.fc40", 1+r.IntN(9))
	return e, v, rel
}

type binary struct {
	Name       string   `json:"name"`
	Epoch      string   `json:"epoch"`
	Version    string   `json:"version"`
	Release    string   `json:"release"`
	Arch       string   `json:"arch"`
	Source     string   `json:"source"`
	Summary    string   `json:"summary"`
	License    string   `json:"license"`
	Provides   []string `json:"provides"`
	Requires   []string `json:"requires"`
	RequiredBy []string `json:"required_by,omitempty"`
	Composes   []string `json:"composes"`
}

type build struct {
	NVR   string `json:"nvr"`
	State string `json:"state"`
	Task  int    `json:"task"`
	Time  string `json:"completed"`
}

type component struct {
	Name          string            `json:"name"`
	Branches      map[string]string `json:"branches"`
	Binaries      []string          `json:"binaries"`
	BuildRequires []string          `json:"build_requires"`
	Modules       []string          `json:"modules,omitempty"`
	Builds        []build           `json:"builds"`
}

// New builds a model with nComp components and about nBin binary packages.
func New(seed uint64, nComp, nBin int) *Model {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	m := &Model{Answers: map[string]map[string][]byte{"binary": {}, "component": {}}, Binaries: map[string][]string{}, rng: r}
	seen := map[string]bool{}
	var bins []string
	for len(m.Components) < nComp {
		c := prefixes[r.IntN(len(prefixes))] + name(r)
		if seen[c] {
			continue
		}
		seen[c] = true
		m.Components = append(m.Components, c)
	}
	sort.Strings(m.Components)
	per := float64(nBin) / float64(nComp)
	for i, c := range m.Components {
		k := 1
		// distribute the remaining binaries so the total is about nBin
		want := int(per*float64(i+1)) - len(bins)
		if want > 1 {
			k = want
		}
		used := map[string]bool{}
		for j := 0; j < k; j++ {
			b := c + suffixes[j%len(suffixes)]
			if used[b] || seen[b] && b != c {
				b = fmt.Sprintf("%s-sub%d", c, j)
			}
			used[b] = true
			m.Binaries[c] = append(m.Binaries[c], b)
			bins = append(bins, b)
		}
	}
	for _, c := range m.Components {
		m.setComponent(c, 0)
		for _, b := range m.Binaries[c] {
			m.setBinary(b, c, bins, 0)
		}
	}
	return m
}

func (m *Model) setBinary(b, c string, all []string, gen int) {
	r := m.rng
	e, v, rel := evr(r)
	if gen > 0 {
		rel = fmt.Sprintf("%d.fc40", 10+gen)
	}
	nreq := powerLaw(r, 2, 300)
	req := make([]string, 0, nreq)
	for i := 0; i < nreq; i++ {
		if r.IntN(3) == 0 {
			req = append(req, libs[r.IntN(len(libs))])
		} else {
			d := all[zipf(r, len(all))]
			if r.IntN(4) == 0 {
				_, dv, _ := evr(r)
				d += " >= " + dv
			}
			req = append(req, d)
		}
	}
	sort.Strings(req)
	var rby []string
	for i, n := 0, powerLaw(r, 1, 500)-1; i < n; i++ {
		rby = append(rby, all[zipf(r, len(all))])
	}
	sort.Strings(rby)
	doc := binary{Name: b, Epoch: e, Version: v, Release: rel, Arch: arches[r.IntN(len(arches))], Source: c,
		Summary:  "The " + b + " package for " + name(r) + " " + name(r),
		License:  licenses[r.IntN(len(licenses))],
		Provides: []string{b + " = " + e + ":" + v + "-" + rel, b + "(x86-64) = " + e + ":" + v + "-" + rel},
		Requires: req, RequiredBy: rby, Composes: []string{"Fedora-40-20240416.0", "Fedora-40-updates-20240501.0"}}
	m.Answers["binary"][b] = mustJSON(doc)
}

func (m *Model) setComponent(c string, gen int) {
	r := m.rng
	br := make([]string, 0)
	for i, n := 0, powerLaw(r, 1, 200); i < n; i++ {
		br = append(br, m.Components[r.IntN(len(m.Components))]+"-devel")
	}
	sort.Strings(br)
	doc := component{Name: c, Branches: map[string]string{"rawhide": hex40(r), "f40": hex40(r), "f39": hex40(r)},
		Binaries: m.Binaries[c], BuildRequires: br}
	if r.IntN(10) == 0 {
		doc.Modules = []string{name(r) + ":" + fmt.Sprint(r.IntN(5))}
	}
	for i := 0; i < 1+r.IntN(4); i++ {
		_, v, rel := evr(r)
		doc.Builds = append(doc.Builds, build{NVR: c + "-" + v + "-" + rel, State: "complete", Task: 100000000 + r.IntN(9000000),
			Time: fmt.Sprintf("2024-%02d-%02dT%02d:%02d:00Z", 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60))})
	}
	if gen > 0 {
		doc.Builds = append(doc.Builds, build{NVR: fmt.Sprintf("%s-push-%d", c, gen), State: "complete", Task: 200000000 + gen, Time: "2024-06-01T00:00:00Z"})
	}
	m.Answers["component"][c] = mustJSON(doc)
}

// Push simulates one upstream change: component c is rebuilt, so its own
// answer and the answers of the binary packages it builds change.
func (m *Model) Push(c string, gen int) {
	m.setComponent(c, gen)
	var all []string
	for _, bs := range m.Binaries {
		all = append(all, bs...)
	}
	sort.Strings(all)
	for _, b := range m.Binaries[c] {
		m.setBinary(b, c, all, gen)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
