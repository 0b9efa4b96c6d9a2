package depsolve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/repodata"
)

// peerRequest is the JSON the scripts in scripts/peers read.
type peerRequest struct {
	Repos          []string `json:"repos"`
	Arch           string   `json:"arch,omitempty"`
	CacheDir       string   `json:"cachedir,omitempty"`
	WhatProvides   []string `json:"whatprovides"`
	WhatRequires   []string `json:"whatrequires"`
	WhatRequiresPk []string `json:"whatrequires_pkg,omitempty"`
	Closure        []string `json:"closure,omitempty"`
}

type peerAnswer struct {
	WhatProvides   map[string][]string        `json:"whatprovides"`
	WhatRequires   map[string][]string        `json:"whatrequires"`
	WhatRequiresPk map[string][]string        `json:"whatrequires_pkg"`
	Closure        map[string]json.RawMessage `json:"closure"`
}

func runPeer(t *testing.T, py, script string, req peerRequest) peerAnswer {
	t.Helper()
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join(testenv.RepoRoot(t), "scripts", "peers", script))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	var ans peerAnswer
	if err := json.Unmarshal(out, &ans); err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return ans
}

func loadRepo(t testing.TB, rel string) []*repodata.Package {
	t.Helper()
	dir := testenv.Shared(t, rel)
	pkgs, err := repodata.LoadPackages(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// queriesFor returns every package name plus, for every package, its
// first provide that is not its own name: a deterministic set of
// capabilities both peers are asked about.
func queriesFor(pkgs []*repodata.Package) (names, caps []string) {
	seen := map[string]bool{}
	for _, pk := range pkgs {
		if !seen[pk.Name] {
			seen[pk.Name] = true
			names = append(names, pk.Name)
		}
	}
	for _, pk := range pkgs {
		for _, pr := range pk.Provides {
			if pr.Name != pk.Name && !strings.HasPrefix(pr.Name, "(") && !seen[pr.Name] {
				seen[pr.Name] = true
				caps = append(caps, pr.Name)
				break
			}
		}
		for _, f := range pk.Files {
			if strings.Contains(f.Path, "/bin/") && !seen[f.Path] {
				seen[f.Path] = true
				caps = append(caps, f.Path)
				break
			}
		}
	}
	sort.Strings(names)
	sort.Strings(caps)
	return names, caps
}

// diffLists compares our answer with a peer's and describes differences.
func diffLists(query string, ours, theirs []string) string {
	o, th := map[string]bool{}, map[string]bool{}
	for _, x := range ours {
		o[x] = true
	}
	for _, x := range theirs {
		th[x] = true
	}
	var missing, extra []string
	for _, x := range theirs {
		if !o[x] {
			missing = append(missing, x)
		}
	}
	for _, x := range ours {
		if !th[x] {
			extra = append(extra, x)
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: missing %v, extra %v", query, missing, extra)
}

type agreement struct {
	compared, differing int
	diffs               []string
}

func (a *agreement) check(query string, ours, theirs []string) {
	a.compared++
	if d := diffLists(query, ours, theirs); d != "" {
		a.differing++
		if len(a.diffs) < 25 {
			a.diffs = append(a.diffs, d)
		}
	}
}

func (a *agreement) report(t *testing.T, what string) {
	t.Helper()
	t.Logf("%s: %d queries compared, %d differ", what, a.compared, a.differing)
	if a.differing > 0 {
		t.Errorf("%s: %d of %d queries differ:\n%s", what, a.differing, a.compared, strings.Join(a.diffs, "\n"))
	}
}

var peerRepos = []string{
	"repodata/centos-stream-9-baseos-x86_64",
	"repodata/pungi-dummy-repo",
}

// TestPeerWhatProvidesWhatRequires compares whatprovides and whatrequires
// for every package name and a capability of every package with dnf
// repoquery (through the dnf API, one process) and libsolv.
func TestPeerWhatProvidesWhatRequires(t *testing.T) {
	if testing.Short() {
		t.Skip("peer agreement is slow")
	}
	solvPy := testenv.SystemPython(t, "solv")
	dnfPy := testenv.SystemPython(t, "dnf")
	total := 0
	for _, rel := range peerRepos {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			pkgs := loadRepo(t, rel)
			pool := NewPool(pkgs, Options{Arch: "x86_64"})
			names, caps := queriesFor(pkgs)
			queries := append(append([]string(nil), names...), caps...)
			dir := testenv.Shared(t, rel)
			var inst []PkgID
			for i := range pkgs {
				if pool.Installable(PkgID(i)) {
					inst = append(inst, PkgID(i))
				}
			}
			solvAns := runPeer(t, solvPy, "solvquery.py", peerRequest{Repos: []string{dir}, Arch: "x86_64", WhatProvides: queries, WhatRequires: queries, WhatRequiresPk: pool.NEVRAs(inst)})
			dnfAns := runPeer(t, dnfPy, "dnfquery.py", peerRequest{Repos: []string{dir}, CacheDir: t.TempDir(), WhatProvides: queries, WhatRequires: queries})

			var provSolv, provDnf, reqSolv, reqDnf, reqPkg agreement
			for _, id := range inst {
				q := pool.NEVRA(id)
				reqPkg.check("whatmatchessolvable requires "+q, pool.NEVRAs(pool.WhatRequiresPackage(id)), solvAns.WhatRequiresPk[q])
			}
			for _, q := range queries {
				ids, err := pool.WhatProvides(q)
				if err != nil {
					t.Fatal(err)
				}
				ours := pool.NEVRAs(ids)
				provSolv.check("whatprovides "+q, ours, solvAns.WhatProvides[q])
				provDnf.check("whatprovides "+q, ours, dnfAns.WhatProvides[q])
				// libsolv's whatmatchesdep: capability matching only
				qe := MustParseDep(q)
				var capOnly []PkgID
				for i := range pool.pkgs {
					if !pool.Installable(PkgID(i)) {
						continue
					}
					for _, d := range pool.requires[i] {
						if pool.matchDep(d, qe) {
							capOnly = append(capOnly, PkgID(i))
							break
						}
					}
				}
				reqSolv.check("whatmatchesdep requires "+q, pool.NEVRAs(capOnly), solvAns.WhatRequires[q])
			}
			for _, q := range queries {
				ids, err := pool.WhatRequires(q)
				if err != nil {
					t.Fatal(err)
				}
				reqDnf.check("whatrequires "+q, pool.NEVRAs(ids), dnfAns.WhatRequires[q])
			}
			provSolv.report(t, "whatprovides vs libsolv")
			provDnf.report(t, "whatprovides vs dnf repoquery")
			reqSolv.report(t, "whatrequires (capability) vs libsolv whatmatchesdep")
			reqDnf.report(t, "whatrequires vs dnf repoquery")
			reqPkg.report(t, "whatrequires (package) vs libsolv whatmatchessolvable")
			total += provSolv.compared + provDnf.compared + reqSolv.compared + reqDnf.compared + reqPkg.compared
		})
	}
	t.Logf("total peer comparisons: %d", total)
}

// TestPeerClosure compares the install closures of every installable
// package (1,125 on CentOS Stream 9 BaseOS) with
// libsolv's solver (install job, empty system, weak deps ignored).
func TestPeerClosure(t *testing.T) {
	if testing.Short() {
		t.Skip("peer agreement is slow")
	}
	solvPy := testenv.SystemPython(t, "solv")
	rel := peerRepos[0]
	pkgs := loadRepo(t, rel)
	pool := NewPool(pkgs, Options{Arch: "x86_64"})
	var sample []PkgID
	var inst []PkgID
	for i := range pkgs {
		if pool.Installable(PkgID(i)) {
			inst = append(inst, PkgID(i))
		}
	}
	// Every installable package: well over the 200 the issue asks for.
	sample = inst
	ans := runPeer(t, solvPy, "solvquery.py", peerRequest{Repos: []string{testenv.Shared(t, rel)}, Arch: "x86_64", Closure: pool.NEVRAs(sample)})
	var agr agreement
	unsolvable := 0
	for _, id := range sample {
		q := pool.NEVRA(id)
		var theirs []string
		ours, err := pool.Closure(id)
		if json.Unmarshal(ans.Closure[q], &theirs) != nil {
			// libsolv reports the job unsolvable: so must we.
			agr.compared++
			unsolvable++
			if err == nil {
				agr.differing++
				agr.diffs = append(agr.diffs, fmt.Sprintf("closure %s: libsolv: %s; ours solved with %d packages", q, ans.Closure[q], len(ours)))
			}
			continue
		}
		if err != nil {
			t.Errorf("closure %s: %v (libsolv installs %d packages)", q, err, len(theirs))
			continue
		}
		agr.check("closure "+q, pool.NEVRAs(ours), theirs)
	}
	t.Logf("%d closures solved, %d unsolvable for libsolv", len(sample)-unsolvable, unsolvable)
	agr.report(t, "install closures vs libsolv")
}
