package world

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Stats are the counts and the reverse-dependency degree distribution of a
// world, computed on its newest complete compose.
type Stats struct {
	Scale            string         `json:"scale"`
	Seed             uint64         `json:"seed"`
	Components       int            `json:"components"`
	Retired          int            `json:"retired"`
	Pushes           int            `json:"pushes"`
	ModuleStreams    int            `json:"module_streams"`
	StaleComponents  int            `json:"stale_module_components"`
	Composes         map[string]int `json:"composes_by_status"`
	Compose          string         `json:"compose"`
	BinaryPackages   int            `json:"binary_packages"`
	SourcePackages   int            `json:"source_packages"`
	RichDeps         int            `json:"rich_deps"`
	FileDeps         int            `json:"file_deps"`
	VersionedDeps    int            `json:"versioned_deps"`
	Unresolved       int            `json:"unresolved_requirements"`
	DegreeHistogram  []DegreeBucket `json:"reverse_dependency_degree"`
	TopHubs          []Hub          `json:"top_hubs"`
	MultiProviderCap int            `json:"capabilities_with_several_providers"`
}

// DegreeBucket counts packages whose reverse-dependency in-degree lies in
// [Min, Max].
type DegreeBucket struct {
	Min      int `json:"min"`
	Max      int `json:"max"`
	Packages int `json:"packages"`
}

// Hub is a package and its reverse-dependency in-degree.
type Hub struct {
	Name     string `json:"name"`
	InDegree int    `json:"in_degree"`
}

// NewestComplete returns the newest compose that counts (FINISHED or
// FINISHED_INCOMPLETE), or nil.
func (w *World) NewestComplete() *Compose {
	var best *Compose
	for _, c := range w.Composes {
		if c.Status == "FINISHED" || c.Status == "FINISHED_INCOMPLETE" {
			if best == nil || c.Date.After(best.Date) {
				best = c
			}
		}
	}
	return best
}

// ComputeStats counts the world. The in-degree of a package is the number
// of distinct packages with a requirement (plain or inside a rich
// dependency) that the package provides by name or file, ignoring
// versions: the shape, not a solver's answer.
func (w *World) ComputeStats() Stats {
	st := Stats{Scale: w.Scale.Name, Seed: w.Seed, Components: len(w.Components), ModuleStreams: len(w.Modules), Composes: map[string]int{}}
	for _, c := range w.Components {
		if c.Retired {
			st.Retired++
		}
		for _, p := range c.Pushes {
			if !p.IsBranchCut() {
				st.Pushes++
			}
		}
	}
	for _, m := range w.Modules {
		for _, mc := range m.Components {
			if mc.Stale {
				st.StaleComponents++
			}
		}
	}
	for _, c := range w.Composes {
		st.Composes[c.Status]++
	}
	cp := w.NewestComplete()
	if cp == nil {
		return st
	}
	st.Compose = cp.ID
	bins, srcs := w.ComposePackages(cp)
	st.BinaryPackages, st.SourcePackages = len(bins), len(srcs)
	providers := map[string][]int{}
	for i, p := range bins {
		for _, d := range p.Provides {
			providers[d.Name] = appendInt(providers[d.Name], i)
		}
		for _, f := range p.Files {
			providers[f.Path] = appendInt(providers[f.Path], i)
		}
	}
	for _, ps := range providers {
		if len(ps) > 1 {
			st.MultiProviderCap++
		}
	}
	in := make([]map[int]bool, len(bins))
	for i, p := range bins {
		for _, d := range p.Requires {
			names := []string{d.Name}
			switch {
			case strings.HasPrefix(d.Name, "("):
				st.RichDeps++
				names = richNames(d.Name)
			case strings.HasPrefix(d.Name, "/"):
				st.FileDeps++
			case d.Flags != 0:
				st.VersionedDeps++
			}
			found := false
			for _, n := range names {
				for _, j := range providers[n] {
					found = true
					if j == i {
						continue
					}
					if in[j] == nil {
						in[j] = map[int]bool{}
					}
					in[j][i] = true
				}
			}
			if !found {
				st.Unresolved++
			}
		}
	}
	deg := make([]int, len(bins))
	for j := range bins {
		deg[j] = len(in[j])
	}
	for lo := 0; ; {
		hi := lo
		if lo > 0 {
			hi = lo*2 - 1
		}
		b := DegreeBucket{Min: lo, Max: hi}
		any := false
		for _, d := range deg {
			if d >= lo && d <= hi {
				b.Packages++
			}
			if d > hi {
				any = true
			}
		}
		st.DegreeHistogram = append(st.DegreeHistogram, b)
		if !any {
			break
		}
		if lo == 0 {
			lo = 1
		} else {
			lo *= 2
		}
	}
	idx := make([]int, len(bins))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if deg[idx[a]] != deg[idx[b]] {
			return deg[idx[a]] > deg[idx[b]]
		}
		return bins[idx[a]].NEVRA() < bins[idx[b]].NEVRA()
	})
	for _, i := range idx[:min(10, len(idx))] {
		st.TopHubs = append(st.TopHubs, Hub{Name: bins[i].Name + "." + bins[i].Arch, InDegree: deg[i]})
	}
	return st
}

func appendInt(s []int, v int) []int {
	if n := len(s); n > 0 && s[n-1] == v {
		return s
	}
	return append(s, v)
}

// richNames returns the capability names inside a rich dependency:
// tokens that are neither operators nor versions, with the group
// parentheses stripped (names like crate(x/default) keep their own).
func richNames(s string) []string {
	var out []string
	for _, tok := range strings.Fields(s) {
		for strings.HasPrefix(tok, "(") && strings.Count(tok, "(") > strings.Count(tok, ")") {
			tok = tok[1:]
		}
		for strings.HasSuffix(tok, ")") && strings.Count(tok, ")") > strings.Count(tok, "(") {
			tok = tok[:len(tok)-1]
		}
		switch tok {
		case "", "and", "or", "if", "else", "unless", "with", "without", ">=", "<=", "=", "<", ">":
			continue
		}
		if tok[0] >= '0' && tok[0] <= '9' {
			continue
		}
		out = append(out, tok)
	}
	return out
}

// Print writes the stats as a readable report.
func (st Stats) Print(out io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "world %s (seed %d)\n", st.Scale, st.Seed)
	fmt.Fprintf(&b, "  source components   %d (%d retired), %d pushes\n", st.Components, st.Retired, st.Pushes)
	fmt.Fprintf(&b, "  module streams      %d (%d stale component refs)\n", st.ModuleStreams, st.StaleComponents)
	keys := make([]string, 0, len(st.Composes))
	for k := range st.Composes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(&b, "  composes           ")
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, st.Composes[k])
	}
	fmt.Fprintf(&b, "\n  newest compose      %s: %d binary, %d source packages\n", st.Compose, st.BinaryPackages, st.SourcePackages)
	fmt.Fprintf(&b, "  requirements        %d rich, %d file, %d versioned, %d unresolved; %d capabilities with several providers\n",
		st.RichDeps, st.FileDeps, st.VersionedDeps, st.Unresolved, st.MultiProviderCap)
	fmt.Fprintf(&b, "  reverse-dependency in-degree:\n")
	for _, h := range st.DegreeHistogram {
		fmt.Fprintf(&b, "    %6d..%-6d %7d\n", h.Min, h.Max, h.Packages)
	}
	fmt.Fprintf(&b, "  top hubs:\n")
	for _, h := range st.TopHubs {
		fmt.Fprintf(&b, "    %-30s %d\n", h.Name, h.InDegree)
	}
	_, err := io.WriteString(out, b.String())
	return err
}
