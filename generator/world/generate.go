package world

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

// Generate builds the model of a world of the given scale. It is pure:
// the same scale and seed give the same world.
func Generate(scale Scale, seed uint64) (*World, error) {
	if scale.Components < len(hubs)+10 {
		return nil, fmt.Errorf("world: scale %q: at least %d components are needed", scale.Name, len(hubs)+10)
	}
	g := &gen{
		r: rand.New(rand.NewPCG(seed, 0x64697374_6d657461)),
		w: &World{Seed: seed, Scale: scale, byName: map[string]*Component{}, binOwner: map[string]*Component{}},
	}
	reserved := make([]string, 0, len(hubs))
	for _, h := range hubs {
		reserved = append(reserved, strings.ToLower(h.name))
	}
	g.names = newNameGen(g.r, reserved)
	g.addHubs()
	g.addGenerated()
	g.assignDeps()
	g.addHistory()
	g.addModules()
	g.addComposes()
	return g.w, nil
}

type gen struct {
	r     *rand.Rand
	w     *World
	names *nameGen
	// capability pools by ecosystem, each a weighted list for preferential
	// attachment (power-law in-degree).
	libs, pys, perls, gos, crates, ghcs, npms, rs pool
	devel                                         pool // pkgconfig(...) of -devel packages, for BuildRequires
	compEpoch                                     map[string]string
	compVersion                                   map[string]string
}

// pool is a weighted list of capabilities; draws follow the weights.
type pool struct {
	caps  []string
	owner []*Component
	cum   []float64
}

func (p *pool) add(c string, owner *Component, weight float64) {
	p.caps = append(p.caps, c)
	p.owner = append(p.owner, owner)
	last := 0.0
	if n := len(p.cum); n > 0 {
		last = p.cum[n-1]
	}
	p.cum = append(p.cum, last+weight)
}

func (p *pool) draw(r *rand.Rand, not *Component) (string, *Component, bool) {
	if len(p.caps) == 0 {
		return "", nil, false
	}
	for try := 0; try < 8; try++ {
		x := r.Float64() * p.cum[len(p.cum)-1]
		i := sort.SearchFloat64s(p.cum, x)
		if i >= len(p.caps) {
			i = len(p.caps) - 1
		}
		if p.owner[i] != not {
			return p.caps[i], p.owner[i], true
		}
	}
	return "", nil, false
}

// geometric draws a count with the given mean (at least 0).
func (g *gen) geometric(mean float64) int {
	if mean <= 0 {
		return 0
	}
	p := 1 / (mean + 1)
	n := 0
	for g.r.Float64() > p && n < 200 {
		n++
	}
	return n
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) add(c *Component) {
	g.w.Components = append(g.w.Components, c)
	g.w.byName[c.Name] = c
	for _, b := range c.Binaries {
		g.w.binOwner[b.Name] = c
	}
}

func (g *gen) addHubs() {
	g.compEpoch = map[string]string{}
	g.compVersion = map[string]string{}
	for _, h := range hubs {
		c := &Component{Name: h.name, Eco: h.eco, Hub: true, Upstream: h.name, Summary: h.summary, License: "GPL-2.0-or-later", pop: 50}
		for _, hb := range h.bins {
			b := &Binary{Name: hb.name, Arch: hb.arch, Multilib: hb.multilib, Summary: h.summary,
				Provides: parseDeps(hb.provides), Requires: parseDeps(hb.requires),
				Conflicts: parseDeps(hb.conflicts), Obsoletes: parseDeps(hb.obsoletes), Files: hb.files}
			c.Binaries = append(c.Binaries, b)
		}
		c.BuildRequires = parseDeps(h.br)
		g.compEpoch[h.name] = h.epoch
		g.compVersion[h.name] = h.version
		g.add(c)
	}
}

var ecoShares = []struct {
	eco   Ecosystem
	share float64
}{
	{EcoC, 0.20}, {EcoLib, 0.12}, {EcoPython, 0.18}, {EcoPerl, 0.12}, {EcoGo, 0.10},
	{EcoRust, 0.14}, {EcoHaskell, 0.04}, {EcoNode, 0.05}, {EcoR, 0.05},
}

var licenses = []string{"MIT", "GPL-2.0-or-later", "LGPL-2.1-or-later", "Apache-2.0", "BSD-3-Clause", "GPL-3.0-or-later", "MPL-2.0", "ISC", "Artistic-1.0-Perl OR GPL-1.0-or-later"}

func (g *gen) pickEco() Ecosystem {
	x := g.r.Float64()
	for _, e := range ecoShares {
		if x < e.share {
			return e.eco
		}
		x -= e.share
	}
	return EcoC
}

func (g *gen) version() string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("%d.%d", g.r.IntN(3), 1+g.r.IntN(20))
	case 1:
		return fmt.Sprintf("%d.%d.%d", 1+g.r.IntN(5), g.r.IntN(30), g.r.IntN(12))
	case 2:
		return fmt.Sprintf("%d.%d.%d", g.r.IntN(2), g.r.IntN(12), g.r.IntN(40))
	default:
		return fmt.Sprintf("%d.%d", 1+g.r.IntN(9), g.r.IntN(12))
	}
}

// addGenerated adds the non-hub components up to the scale, with their
// binary sub-packages and what each provides.
func (g *gen) addGenerated() {
	n := g.w.Scale.Components - len(hubs)
	for i := 0; i < n; i++ {
		eco := g.pickEco()
		w := g.names.word()
		c := &Component{Eco: eco, Upstream: w, License: licenses[g.r.IntN(len(licenses))]}
		// Zipf-like popularity: a few components are wanted by many.
		c.pop = 1 / math.Pow(float64(1+g.r.IntN(n)), 1.1)
		g.compVersion[""] = ""
		bin := func(name, arch string) *Binary {
			b := &Binary{Name: name, Arch: arch, Summary: titleCase(w) + " " + summaryTail(name)}
			c.Binaries = append(c.Binaries, b)
			return b
		}
		switch eco {
		case EcoC:
			c.Name = w
			c.Summary = "The " + w + " utility"
			main := bin(w, "x86_64")
			main.Files = []string{"/usr/bin/" + w, "/usr/share/man/man1/" + w + ".1.gz"}
			main.Provides = append(main.Provides, dep("/usr/bin/"+w))
			if g.chance(0.7) {
				libs := bin(w+"-libs", "x86_64")
				libs.Multilib = g.chance(0.3)
				so := fmt.Sprintf("lib%s.so.%d()(64bit)", w, g.r.IntN(4))
				libs.Provides = append(libs.Provides, dep(so), self(w+"-libs(x86-64)"))
				libs.Files = []string{"/usr/lib64/lib" + w + ".so.1"}
				main.Requires = append(main.Requires, self(w+"-libs(x86-64)"), dep(so))
				if g.chance(0.7) {
					dv := bin(w+"-devel", "x86_64")
					dv.Provides = append(dv.Provides, vdep("pkgconfig("+w+")", rpmver.EQ, "@self"))
					dv.Requires = append(dv.Requires, self(w+"-libs(x86-64)"), dep("pkgconfig"))
					dv.Files = []string{"/usr/include/" + w + ".h", "/usr/lib64/pkgconfig/" + w + ".pc"}
				}
			}
			if g.chance(0.4) {
				bin(w+"-doc", "noarch").Files = []string{"/usr/share/doc/" + w + "/README"}
			}
			if g.chance(0.3) {
				d := bin(w+"-data", "noarch")
				main.Requires = append(main.Requires, self(w+"-data"))
				d.Files = []string{"/usr/share/" + w + "/data"}
			}
			if g.chance(0.2) {
				t := bin(w+"-tools", "x86_64")
				t.Requires = append(t.Requires, self(w))
			}
		case EcoLib:
			c.Name = "lib" + w
			c.Summary = "A library for " + w
			so := fmt.Sprintf("lib%s.so.%d()(64bit)", w, g.r.IntN(9))
			l := bin(c.Name, "x86_64")
			l.Multilib = g.chance(0.4)
			l.Provides = append(l.Provides, dep(so), self(c.Name+"(x86-64)"))
			l.Files = []string{"/usr/lib64/lib" + w + ".so.1"}
			dv := bin(c.Name+"-devel", "x86_64")
			dv.Provides = append(dv.Provides, vdep("pkgconfig("+c.Name+")", rpmver.EQ, "@self"))
			dv.Requires = append(dv.Requires, self(c.Name+"(x86-64)"), dep("pkgconfig"))
			dv.Files = []string{"/usr/include/" + w + ".h"}
			if g.chance(0.4) {
				t := bin(c.Name+"-tools", "x86_64")
				t.Requires = append(t.Requires, self(c.Name+"(x86-64)"))
			}
			if g.chance(0.2) {
				bin(c.Name+"-static", "x86_64").Requires = []repodata.Dep{self(c.Name + "-devel")}
			}
			if g.chance(0.3) {
				bin(c.Name+"-doc", "noarch")
			}
		case EcoPython:
			c.Name = "python-" + w
			c.Summary = "Python library for " + w
			arch := "noarch"
			if g.chance(0.2) {
				arch = "x86_64"
			}
			p := bin("python3-"+w, arch)
			p.Provides = append(p.Provides, vdep("python3.12dist("+w+")", rpmver.EQ, "@self"), vdep("python3dist("+w+")", rpmver.EQ, "@self"), self("python-"+w))
			p.Files = []string{"/usr/lib/python3.12/site-packages/" + w + "/__init__.py"}
			if g.chance(0.3) {
				bin("python-"+w+"-doc", "noarch")
			}
			for k := g.geometric(1); k > 0 && k < 4; k-- {
				ex := []string{"cli", "test", "async", "yaml", "crypto", "http"}[g.r.IntN(6)]
				if g.w.binOwner["python3-"+w+"+"+ex] != nil || hasBin(c, "python3-"+w+"+"+ex) {
					continue
				}
				e := bin("python3-"+w+"+"+ex, "noarch")
				e.Requires = append(e.Requires, self("python3-"+w))
				e.Provides = append(e.Provides, vdep("python3.12dist("+w+"["+ex+"])", rpmver.EQ, "@self"))
			}
		case EcoPerl:
			mod := titleCase(w) + "::" + titleCase(g.names.word())
			c.Name = "perl-" + strings.ReplaceAll(mod, "::", "-")
			c.Upstream = mod
			c.Summary = "Perl module " + mod
			p := bin(c.Name, "noarch")
			p.Provides = append(p.Provides, vdep("perl("+mod+")", rpmver.EQ, "@self"))
			p.Files = []string{"/usr/share/perl5/vendor_perl/" + strings.ReplaceAll(mod, "::", "/") + ".pm"}
			if g.chance(0.5) {
				t := bin(c.Name+"-tests", "noarch")
				t.Requires = append(t.Requires, self(c.Name), dep("perl-Test-Harness"))
			}
		case EcoGo:
			path := "github.com/" + w + "/" + g.names.word()
			c.Name = "golang-" + strings.ReplaceAll(path, "/", "-")
			c.Name = strings.Replace(c.Name, "github.com", "github", 1)
			c.Upstream = path
			c.Summary = "Go package " + path
			d := bin(c.Name+"-devel", "noarch")
			d.Provides = append(d.Provides, vdep("golang("+path+")", rpmver.EQ, "@self"))
			d.Files = []string{"/usr/share/gocode/src/" + path + "/go.mod"}
			if g.chance(0.3) {
				b := bin(w, "x86_64")
				b.Files = []string{"/usr/bin/" + w}
				b.Provides = append(b.Provides, dep("/usr/bin/"+w))
			}
		case EcoRust:
			c.Name = "rust-" + w
			c.Summary = "Rust crate " + w
			d := bin(c.Name+"-devel", "noarch")
			d.Provides = append(d.Provides, vdep("crate("+w+")", rpmver.EQ, "@self"))
			d.Files = []string{"/usr/share/cargo/registry/" + w + "/Cargo.toml"}
			feats := []string{"default", "std", "alloc", "serde", "derive", "async", "full", "nightly"}
			nf := 2 + g.r.IntN(5)
			for _, f := range feats[:nf] {
				fb := bin(c.Name+"+"+f+"-devel", "noarch")
				fb.Provides = append(fb.Provides, vdep("crate("+w+"/"+f+")", rpmver.EQ, "@self"))
				fb.Requires = append(fb.Requires, vdep("crate("+w+")", rpmver.EQ, "@self"), dep("cargo"))
			}
		case EcoHaskell:
			c.Name = "ghc-" + w
			c.Summary = "Haskell " + w + " library"
			l := bin(c.Name, "x86_64")
			l.Provides = append(l.Provides, dep("ghc("+w+"-1.0)"), dep("libHS"+w+"-ghc9.4.5.so()(64bit)"))
			dv := bin(c.Name+"-devel", "x86_64")
			dv.Requires = append(dv.Requires, self(c.Name), dep("ghc"))
			dv.Provides = append(dv.Provides, dep("ghc-devel("+w+"-1.0)"))
			bin(c.Name+"-prof", "x86_64").Requires = []repodata.Dep{self(c.Name + "-devel")}
		case EcoNode:
			c.Name = "nodejs-" + w
			c.Summary = "Node.js module " + w
			p := bin(c.Name, "noarch")
			p.Provides = append(p.Provides, vdep("npm("+w+")", rpmver.EQ, "@self"))
			if g.chance(0.2) {
				bin(c.Name+"-doc", "noarch")
			}
		case EcoR:
			name := titleCase(w)
			c.Name = "R-" + name
			c.Summary = "R package " + name
			arch := "noarch"
			if g.chance(0.4) {
				arch = "x86_64"
			}
			p := bin(c.Name, arch)
			p.Provides = append(p.Provides, vdep("R("+name+")", rpmver.EQ, "@self"))
			if g.chance(0.2) {
				bin(c.Name+"-devel", arch).Requires = []repodata.Dep{self(c.Name)}
			}
		}
		g.compVersion[c.Name] = g.version()
		g.add(c)
	}
	delete(g.compVersion, "")
}

func hasBin(c *Component, name string) bool {
	for _, b := range c.Binaries {
		if b.Name == name {
			return true
		}
	}
	return false
}

func summaryTail(name string) string {
	switch {
	case strings.HasSuffix(name, "-devel"):
		return "development files"
	case strings.HasSuffix(name, "-libs"):
		return "libraries"
	case strings.HasSuffix(name, "-doc"):
		return "documentation"
	case strings.HasSuffix(name, "-tests"):
		return "tests"
	case strings.HasSuffix(name, "-data"):
		return "data files"
	}
	return "package"
}

// buildPools indexes what each package provides, weighted by the
// component's popularity, so that dependencies follow a power law.
func (g *gen) buildPools() {
	hubWeight := map[string]float64{
		"libz.so.1()(64bit)": 400, "libssl.so.3()(64bit)": 250, "libcrypto.so.3()(64bit)": 300,
		"libglib-2.0.so.0()(64bit)": 300, "libgobject-2.0.so.0()(64bit)": 150, "libsystemd.so.0()(64bit)": 120,
		"libstdc++.so.6()(64bit)": 500, "libgcc_s.so.1()(64bit)": 450, "libm.so.6()(64bit)": 350,
		"libtinfo.so.6()(64bit)": 60, "liblzma.so.5()(64bit)": 60, "libffi.so.8()(64bit)": 40,
		"libcurl.so.4()(64bit)": 80, "libcrypt.so.2()(64bit)": 30, "libpython3.12.so.1.0()(64bit)": 40,
	}
	for _, c := range g.w.Components {
		for _, b := range c.Binaries {
			for _, p := range b.Provides {
				n := p.Name
				switch {
				case c.Hub && hubWeight[n] > 0:
					g.libs.add(n, c, hubWeight[n]*c.pop/50*g.scaleW())
				case strings.HasPrefix(n, "lib") && strings.Contains(n, ".so."):
					if !c.Hub {
						g.libs.add(n, c, c.pop*3)
					}
				case strings.HasPrefix(n, "python3.12dist(") && !strings.Contains(n, "["):
					g.pys.add(n, c, c.pop)
				case strings.HasPrefix(n, "perl(") && !strings.HasPrefix(n, "perl(:"):
					g.perls.add(n, c, c.pop)
				case strings.HasPrefix(n, "golang("):
					g.gos.add(n, c, c.pop)
				case strings.HasPrefix(n, "crate(") && strings.HasSuffix(n, "/default)"):
					g.crates.add(n, c, c.pop)
				case strings.HasPrefix(n, "ghc-devel("):
					g.ghcs.add(n, c, c.pop)
				case strings.HasPrefix(n, "npm("):
					g.npms.add(n, c, c.pop)
				case strings.HasPrefix(n, "R(") && n != "R(ABI)":
					g.rs.add(n, c, c.pop)
				case strings.HasPrefix(n, "pkgconfig("):
					g.devel.add(n, c, c.pop*2+hubWeight[strings.TrimSuffix(n, "")])
				}
			}
		}
	}
}

// scaleW keeps hub weights proportional to the number of components, so
// that hubs stay hubs at every scale.
func (g *gen) scaleW() float64 { return float64(g.w.Scale.Components) / 2000 }

// assignDeps gives every generated binary its runtime requirements and
// every component its BuildRequires.
func (g *gen) assignDeps() {
	g.buildPools()
	var pyPkgs []*Component
	for _, c := range g.w.Components {
		if c.Eco == EcoPython && !c.Hub {
			pyPkgs = append(pyPkgs, c)
		}
	}
	brokenN := 0
	for ci, c := range g.w.Components {
		if c.Hub {
			continue
		}
		for bi, b := range c.Binaries {
			if b.Arch == "x86_64" {
				b.Requires = append(b.Requires, dep("libc.so.6()(64bit)"))
				if g.chance(0.5) {
					b.Requires = append(b.Requires, dep("libc.so.6(GLIBC_2.34)(64bit)"))
				}
			}
			primary := bi == 0 || (c.Eco == EcoRust && bi == 0)
			if primary {
				g.ecoRequires(c, b)
			}
			if b.Arch == "x86_64" && primary {
				for k := g.geometric(1.8); k > 0; k-- {
					if cp, _, ok := g.libs.draw(g.r, c); ok {
						b.Requires = appendUnique(b.Requires, dep(cp))
					}
				}
			}
			if g.chance(0.12) {
				b.Pre = true
				b.Requires = appendUnique(b.Requires, repodata.Dep{Name: "/bin/sh", Pre: true})
			}
			if g.chance(0.04) && c.Eco != EcoPython {
				b.Requires = appendUnique(b.Requires, dep("/usr/bin/python3"))
			}
			if g.chance(0.02) {
				b.Requires = appendUnique(b.Requires, dep("/usr/bin/perl"))
			}
			if primary && g.chance(0.01) {
				b.Requires = appendUnique(b.Requires, dep("webclient"))
			}
			if primary && g.chance(0.004) {
				b.Requires = appendUnique(b.Requires, dep("MTA"))
			}
			if primary && g.chance(0.01) {
				b.Requires = appendUnique(b.Requires, dep("(pipewire-pulseaudio or pulseaudio)"))
			}
			if primary && g.chance(0.01) && len(pyPkgs) > 0 {
				p := pyPkgs[g.r.IntN(len(pyPkgs))]
				if p != c {
					b.Requires = appendUnique(b.Requires, dep("("+p.Binaries[0].Name+" if python3)"))
				}
			}
			if primary && g.chance(0.01) {
				old := c.Upstream + "-compat"
				if strings.ContainsAny(old, ":") {
					old = strings.ReplaceAll(old, "::", "-")
				}
				b.Obsoletes = append(b.Obsoletes, vdep(strings.ToLower(old), rpmver.LT, "1.0-1"))
				b.Provides = append(b.Provides, vdep(strings.ToLower(old), rpmver.EQ, "1.0-1"))
			}
			if primary && g.chance(0.005) {
				if cp, owner, ok := g.libs.draw(g.r, c); ok && owner != nil && !owner.Hub {
					b.Conflicts = append(b.Conflicts, vdep(owner.Binaries[0].Name, rpmver.LT, "0.1"))
					_ = cp
				}
			}
			if primary && g.chance(0.003) {
				brokenN++
				b.Requires = append(b.Requires, dep(fmt.Sprintf("libgone%d.so.1()(64bit)", brokenN)))
			}
		}
		g.buildReqs(c, ci)
	}
	g.addCycles()
	// A chain three levels deep above a missing capability, so the broken
	// deps report has a root cause to find.
	g.brokenChain()
}

func (g *gen) ecoRequires(c *Component, b *Binary) {
	drawN := func(p *pool, mean float64, versioned bool) {
		for k := g.geometric(mean); k > 0; k-- {
			cp, owner, ok := p.draw(g.r, c)
			if !ok {
				continue
			}
			if versioned && g.chance(0.15) {
				b.Requires = appendUnique(b.Requires, vdep(cp, rpmver.GE, g.compVersion[owner.Name]))
			} else {
				b.Requires = appendUnique(b.Requires, dep(cp))
			}
		}
	}
	switch c.Eco {
	case EcoPython:
		b.Requires = append(b.Requires, vdep("python(abi)", rpmver.EQ, "3.12"))
		drawN(&g.pys, 2, true)
	case EcoPerl:
		b.Requires = append(b.Requires, dep("perl(:MODULE_COMPAT_5.38.2)"), dep("perl(strict)"), dep("perl(warnings)"))
		drawN(&g.perls, 2, true)
	case EcoGo:
		drawN(&g.gos, 3, false)
	case EcoRust:
		for k := g.geometric(2.5); k > 0; k-- {
			cp, owner, ok := g.crates.draw(g.r, c)
			if !ok {
				continue
			}
			v := g.compVersion[owner.Name]
			maj := strings.SplitN(v, ".", 2)[0]
			n, _ := strconv.Atoi(maj)
			rich := fmt.Sprintf("(%s >= %s with %s < %d.0.0~)", cp, v, cp, n+1)
			b.Requires = appendUnique(b.Requires, dep(rich))
		}
		b.Requires = append(b.Requires, dep("cargo"))
	case EcoHaskell:
		b.Requires = append(b.Requires, dep("ghc(base-4.17.1.0)"))
		drawN(&g.ghcs, 1.5, false)
	case EcoNode:
		b.Requires = append(b.Requires, vdep("nodejs(engine)", rpmver.GE, "18"))
		drawN(&g.npms, 2, false)
	case EcoR:
		b.Requires = append(b.Requires, vdep("R(ABI)", rpmver.EQ, "4.3"))
		drawN(&g.rs, 1.5, false)
	}
}

func appendUnique(ds []repodata.Dep, d repodata.Dep) []repodata.Dep {
	for _, x := range ds {
		if x.Name == d.Name {
			return ds
		}
	}
	return append(ds, d)
}

func (g *gen) buildReqs(c *Component, _ int) {
	br := func(s string) { c.BuildRequires = appendUnique(c.BuildRequires, dep(s)) }
	switch c.Eco {
	case EcoC, EcoLib:
		br("gcc")
		switch g.r.IntN(3) {
		case 0:
			br("meson")
		case 1:
			br("cmake")
		default:
			br("make")
		}
		for k := g.geometric(2); k > 0; k-- {
			if cp, _, ok := g.devel.draw(g.r, c); ok {
				br(cp)
			}
		}
		if g.chance(0.3) {
			br("pkgconfig(openssl)")
		}
		if g.chance(0.3) {
			br("pkgconfig(zlib)")
		}
	case EcoPython:
		br("python3-devel")
		br("pyproject-rpm-macros")
		br("python3dist(setuptools)")
		for _, d := range c.Binaries[0].Requires {
			if strings.HasPrefix(d.Name, "python3.12dist(") {
				br("python3dist(" + strings.TrimPrefix(d.Name, "python3.12dist("))
			}
		}
	case EcoPerl:
		br("perl-generators")
		br("perl-interpreter")
		br("perl(ExtUtils::MakeMaker)")
		for _, d := range c.Binaries[0].Requires {
			if strings.HasPrefix(d.Name, "perl(") && !strings.HasPrefix(d.Name, "perl(:") {
				br(d.Name)
			}
		}
	case EcoGo:
		br("go-rpm-macros")
		for _, d := range c.Binaries[0].Requires {
			if strings.HasPrefix(d.Name, "golang(") {
				br(d.Name)
			}
		}
	case EcoRust:
		c.BuildRequires = appendUnique(c.BuildRequires, vdep("cargo-rpm-macros", rpmver.GE, "24"))
		for _, d := range c.Binaries[0].Requires {
			if strings.HasPrefix(d.Name, "(crate(") {
				br(d.Name)
			}
		}
	case EcoHaskell:
		br("ghc-rpm-macros")
		for _, d := range c.Binaries[0].Requires {
			if strings.HasPrefix(d.Name, "ghc-devel(") {
				br(d.Name)
			}
		}
	case EcoNode:
		br("nodejs-packaging")
	case EcoR:
		br("R-core-devel")
		for _, d := range c.Binaries[0].Requires {
			if strings.HasPrefix(d.Name, "R(") && d.Name != "R(ABI)" {
				br(d.Name)
			}
		}
	}
}

// addCycles makes a few build-time dependency cycles, as real
// distributions have (a tool and its test framework, bootstrap pairs).
func (g *gen) addCycles() {
	var cand []*Component
	for _, c := range g.w.Components {
		if !c.Hub && (c.Eco == EcoPython || c.Eco == EcoC || c.Eco == EcoLib) {
			cand = append(cand, c)
		}
	}
	n := max(2, g.w.Scale.Components/500)
	for i := 0; i < n && len(cand) > 3; i++ {
		a := cand[g.r.IntN(len(cand))]
		b := cand[g.r.IntN(len(cand))]
		if a == b {
			continue
		}
		a.BuildRequires = appendUnique(a.BuildRequires, dep(b.Binaries[0].Name))
		b.BuildRequires = appendUnique(b.BuildRequires, dep(a.Binaries[0].Name))
		if i%2 == 0 { // a three-member cycle too
			c := cand[g.r.IntN(len(cand))]
			if c != a && c != b {
				b.BuildRequires = appendUnique(b.BuildRequires, dep(c.Binaries[0].Name))
				c.BuildRequires = appendUnique(c.BuildRequires, dep(a.Binaries[0].Name))
			}
		}
	}
}

func (g *gen) brokenChain() {
	var cs []*Component
	for _, c := range g.w.Components {
		if !c.Hub && len(c.Binaries) > 0 {
			cs = append(cs, c)
		}
	}
	a, b, c := cs[len(cs)-1], cs[len(cs)-2], cs[len(cs)-3]
	a.Binaries[0].Requires = append(a.Binaries[0].Requires, dep(b.Binaries[0].Name))
	b.Binaries[0].Requires = append(b.Binaries[0].Requires, dep(c.Binaries[0].Name))
	c.Binaries[0].Requires = append(c.Binaries[0].Requires, dep("libretired-codec.so.3()(64bit)"))
}

// dist returns the dist tag of a branch at a time (rawhide is one above
// the newest stable branch).
func dist(branch string, at time.Time) string {
	if branch == "rawhide" {
		n := 38
		for _, b := range Branchings {
			if !b.At.After(at) {
				k, _ := strconv.Atoi(strings.TrimPrefix(b.Branch, "f"))
				n = max(n, k)
			}
		}
		return fmt.Sprintf(".fc%d", n+1)
	}
	return ".fc" + strings.TrimPrefix(branch, "f")
}
