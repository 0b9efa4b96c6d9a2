package resolve

import (
	"fmt"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/metadata/depsolve"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/productmd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/site/answers"
)

// BuildGroup is the package list a module buildroot installs (Fedora's
// "build" group); names the compose does not have are left out.
var BuildGroup = []string{"bash", "bzip2", "coreutils", "cpio", "diffutils", "findutils", "gawk", "glibc-minimal-langpack",
	"grep", "gzip", "info", "patch", "redhat-rpm-config", "rpm-build", "sed", "tar", "unzip", "util-linux", "which", "xz"}

// modules renders mod/<name:stream> (without stale components, which need
// dist-git) for every module build of the main variant.
func modules(pool *depsolve.Pool, bins []*repodata.Package, mods []*depsolve.ModuleStream, streams []*modulemd.Stream,
	_ map[string][]string, c *productmd.Compose, res *Resolved, progress func(string, int)) error {
	if len(mods) == 0 {
		return nil
	}
	available := map[string][]string{}
	for _, m := range mods {
		available[m.Name] = append(available[m.Name], m.Stream)
	}
	platform := "f" + string(c.Info.Release.Version)
	available["platform"] = []string{platform}
	for n, l := range available {
		available[n] = uniqSorted(l)
	}
	var group []string
	for _, n := range BuildGroup {
		if len(pool.ByName(n)) > 0 {
			group = append(group, n)
		}
	}
	// Module variants from modules.json.
	modVariants := map[string][]string{}
	if c.Modules != nil {
		for v, arches := range c.Modules.Modules {
			for _, ms := range arches {
				for uid := range ms {
					modVariants[uid] = append(modVariants[uid], v)
				}
			}
		}
	}
	// Every buildroot is solved over the packages reachable from the
	// build group (every provider of every requirement, by name: a
	// superset of what a solver can pick), not the whole compose.
	reach := reachable(bins, group)
	mix := depsolve.NewModuleIndex(mods, available)
	latest := depsolve.Latest(mods)
	type rootResult struct {
		used, pkgs []string
		err        error
	}
	roots := map[string]rootResult{}
	docs := map[string]*answers.Module{}
	for i, m := range mods {
		s := streams[i]
		key := answers.ModuleKey(m.Name, m.Stream)
		doc := docs[key]
		if doc == nil {
			doc = &answers.Module{Header: answers.Header{Schema: answers.Schema(answers.KindModule), Compose: c.ID},
				Name: m.Name, Stream: m.Stream, Summary: s.Summary, Requires: mix.Dependents(key)}
			docs[key] = doc
		}
		mb := answers.ModuleBuild{NSVC: m.NSVC(), Version: m.Version, Context: m.Context, Variants: uniqSorted(modVariants[m.NSVC()]),
			Artifacts: m.Artifacts}
		refs := s.BuiltRefs()
		for _, k := range sortedKeys(s.Components.RPMs) {
			rc := s.Components.RPMs[k]
			mb.Components = append(mb.Components, answers.ModuleComponent{Name: rc.Name, Branch: rc.Ref, Ref: refs[rc.Name]})
		}
		if len(s.Profiles) > 0 {
			mb.Profiles = map[string][]string{}
			for n, p := range s.Profiles {
				mb.Profiles[n] = p.RPMs
			}
		}
		for _, d := range s.Dependencies {
			mb.Deps = append(mb.Deps, answers.ModuleDeps{BuildRequires: d.BuildRequires, Requires: d.Requires})
		}
		exps, err := depsolve.Expand(m, available, nil)
		if err != nil {
			mb.Buildroot = &answers.ModuleBuildroot{Error: err.Error()}
		}
		for _, e := range exps {
			mb.Expanded = append(mb.Expanded, answers.ModuleExpansion{BuildRequires: e.BuildRequires, Requires: e.Requires})
		}
		if len(exps) > 0 {
			// The buildroot of the first expansion; builds that need the
			// same module builds share one resolution.
			e := exps[0]
			var ids []string
			for _, n := range sortedKeys(e.BuildRequires) {
				if lm, ok := latest[n+":"+e.BuildRequires[n]]; ok {
					ids = append(ids, lm.NSVC())
				} else if n != "platform" {
					ids = append(ids, n+":"+e.BuildRequires[n]+":missing")
				}
			}
			rk := strings.Join(ids, ",")
			r, ok := roots[rk]
			if !ok {
				r.used, r.pkgs, r.err = depsolve.BuildRoot(reach, reach, mods, e, group, depsolve.Options{Arch: res.Arch})
				roots[rk] = r
			}
			br := &answers.ModuleBuildroot{Modules: r.used, Packages: r.pkgs}
			if r.err != nil {
				br.Error = r.err.Error()
			}
			mb.Buildroot = br
		}
		doc.Builds = append(doc.Builds, mb)
		progress("modules", 1)
	}
	for key, doc := range docs {
		sort.Slice(doc.Builds, func(i, j int) bool {
			a, b := doc.Builds[i], doc.Builds[j]
			if len(a.Version) != len(b.Version) {
				return len(a.Version) > len(b.Version)
			}
			if a.Version != b.Version {
				return a.Version > b.Version
			}
			return a.Context < b.Context
		})
		b, err := marshal(doc)
		if err != nil {
			return fmt.Errorf("mod/%s: %w", key, err)
		}
		res.Modules[key] = b
	}
	return nil
}

// reachable returns the packages reachable from the named roots (by name
// or by what they provide) through requirements, taking every provider of
// every capability named (atoms of rich dependencies included), in the
// order of pkgs.
func reachable(pkgs []*repodata.Package, roots []string) []*repodata.Package {
	return depsolve.Reachable(pkgs, roots, depsolve.ReachOptions{RootsByProvide: true})
}
