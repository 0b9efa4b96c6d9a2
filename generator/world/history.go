package world

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// BranchState is what a branch holds at some point: the version and
// release of its newest commit.
type BranchState struct {
	Version string
	Release int
	Push    int // index into Component.Pushes
}

func (g *gen) randTime(from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= 0 {
		return from
	}
	return from.Add(time.Duration(g.r.Int64N(int64(d)/int64(time.Second))) * time.Second)
}

func bumpVersion(v string, minor bool) string {
	parts := strings.Split(v, ".")
	i := len(parts) - 1
	if minor && len(parts) >= 2 {
		i = 1
	}
	n, err := strconv.Atoi(parts[i])
	if err != nil {
		return v + ".1"
	}
	parts[i] = strconv.Itoa(n + 1)
	for j := i + 1; j < len(parts); j++ {
		parts[j] = "0"
	}
	return strings.Join(parts, ".")
}

var pushMessages = []string{
	"Rebuilt for https://fedoraproject.org/wiki/Fedora_%s_Mass_Rebuild",
	"Update to %s",
	"Fix FTBFS with gcc 14",
	"Add missing BuildRequires",
	"Backport upstream fix for %s",
	"Convert license to SPDX",
	"Use %%autosetup",
	"Rebuild for new soname",
}

// addHistory gives every component its pushes: an import before the
// window, then about Scale.Pushes commits over two years on rawhide and the
// stable branches, with fast-forwards, merges, a few force-pushes and
// retirements, and the build outcome of each push.
func (g *gen) addHistory() {
	for _, c := range g.w.Components {
		v := g.compVersion[c.Name]
		imported := g.randTime(Start.AddDate(-3, 0, 0), Start.Add(-24*time.Hour))
		if !c.Hub && g.chance(0.1) {
			// A newer package, added during the window.
			imported = g.randTime(Start, End.AddDate(0, -2, 0))
		}
		c.Pushes = append(c.Pushes, Push{Branch: "rawhide", Time: imported, Version: v, Release: 1,
			Message: "Initial import (#" + strconv.Itoa(1000000+g.r.IntN(9000000)) + ")", Build: BuildComplete})
		n := 1 + g.geometric(float64(g.w.Scale.Pushes-2))
		if c.Hub {
			n += 6
		}
		type event struct {
			t   time.Time
			cut string
		}
		var events []event
		for k := 0; k < n; k++ {
			events = append(events, event{t: g.randTime(imported.Add(time.Hour), End.Add(-time.Hour))})
		}
		for _, b := range Branchings {
			switch {
			case b.Branch == "f38" && !imported.After(Start):
				events = append(events, event{t: imported.Add(time.Minute), cut: b.Branch})
			case b.At.After(imported):
				events = append(events, event{t: b.At, cut: b.Branch})
			}
		}
		sort.SliceStable(events, func(i, j int) bool { return events[i].t.Before(events[j].t) })
		heads := map[string]BranchState{"rawhide": {v, 1, 0}}
		var open []string // stable branches, oldest first
		for _, ev := range events {
			t := ev.t
			if ev.cut != "" {
				rh := heads["rawhide"]
				heads[ev.cut] = rh
				open = append(open, ev.cut)
				c.Pushes = append(c.Pushes, Push{Branch: ev.cut, Time: t, Version: rh.Version, Release: rh.Release, Message: branchCutMarker})
				continue
			}
			var br string
			x := g.r.Float64()
			switch {
			case x < 0.55 || len(open) == 0:
				br = "rawhide"
			case x < 0.85:
				br = open[len(open)-1]
			default:
				br = open[g.r.IntN(len(open))]
			}
			st := heads[br]
			p := Push{Branch: br, Time: t, Build: BuildComplete}
			if br == "rawhide" && g.chance(0.3) {
				p.Version, p.Release = bumpVersion(st.Version, g.chance(0.3)), 1
				p.Message = fmt.Sprintf(pushMessages[1], p.Version)
			} else {
				p.Version, p.Release = st.Version, st.Release+1
				m := pushMessages[g.r.IntN(len(pushMessages))]
				if strings.Contains(m, "%s") {
					m = fmt.Sprintf(m, strings.TrimPrefix(dist(br, t), ".fc"))
				}
				p.Message = strings.ReplaceAll(m, "%%", "%")
			}
			if br != "rawhide" && heads[br] != heads["rawhide"] && g.chance(0.15) {
				p.Merge = true
				p.Message = "Merge branch 'rawhide' into " + br
				rv := heads["rawhide"]
				p.Version, p.Release = rv.Version, max(rv.Release, st.Release)+1
			}
			idx := len(c.Pushes)
			heads[br] = BranchState{p.Version, p.Release, idx}
			if br == "rawhide" && len(open) > 0 && g.chance(0.3) {
				// Fast-forward the newest stable branch when it has not diverged.
				nb := open[len(open)-1]
				if heads[nb].Push == st.Push {
					p.FF = []string{nb}
					heads[nb] = heads[br]
				}
			}
			switch y := g.r.Float64(); {
			case y < 0.04:
				p.Build = BuildFailed
			case y < 0.05:
				p.Build = BuildCanceled
			}
			if End.Sub(t) < 72*time.Hour && g.chance(0.6) {
				p.Build = BuildBuilding
			}
			c.Pushes = append(c.Pushes, p)
		}
		if !c.Hub && g.chance(0.005) && len(c.Pushes) > 2 {
			// A force-push: the last rawhide commit was replaced.
			for i := len(c.Pushes) - 1; i > 0; i-- {
				if c.Pushes[i].Branch == "rawhide" && !c.Pushes[i].Merge && len(c.Pushes[i].FF) == 0 && c.Pushes[i].Message != branchCutMarker {
					old := c.Pushes[i]
					old.Rewritten = true
					old.Build = BuildFailed
					c.Pushes[i].Message = old.Message + " (fixed)"
					c.Pushes[i].Time = old.Time.Add(20 * time.Minute)
					c.Pushes = append(c.Pushes[:i], append([]Push{old}, c.Pushes[i:]...)...)
					c.ForcePushed = true
					break
				}
			}
		}
		if !c.Hub && g.chance(0.01) {
			c.Retired = true
			last := c.Pushes[len(c.Pushes)-1].Time
			c.Pushes = append(c.Pushes, Push{Branch: "rawhide", Time: last.Add(48 * time.Hour), Message: "Orphaned for 6+ weeks", Build: BuildNone})
		}
		sort.SliceStable(c.Pushes, func(i, j int) bool { return c.Pushes[i].Time.Before(c.Pushes[j].Time) })
	}
}

// distFor is the dist tag of the build of this push that a branch
// carries: a push built on (or fast-forwarded to) the branch has the
// branch's own tag; a build the branch inherited at its cut keeps the tag
// rawhide had then.
func (p Push) distFor(branch string) string {
	if p.Branch == branch || contains(p.FF, branch) {
		return dist(branch, p.Time)
	}
	return dist(p.Branch, p.Time)
}

// branchCutMarker marks a pseudo-push that only creates a branch ref.
const branchCutMarker = "\x00branch"

// IsBranchCut reports whether the push only created a branch.
func (p Push) IsBranchCut() bool { return p.Message == branchCutMarker }

// HeadAt returns the newest non-rewritten push of branch at time t, and
// whether there is one. Fast-forwards count for the branches they moved.
func (c *Component) HeadAt(branch string, t time.Time) (Push, bool) {
	var best Push
	ok := false
	for _, p := range c.Pushes {
		if p.Time.After(t) || p.Rewritten {
			continue
		}
		if p.Branch == branch || contains(p.FF, branch) {
			best, ok = p, true
		}
	}
	return best, ok
}

// headIndexAt is HeadAt returning the index of the push.
func (c *Component) headIndexAt(branch string, t time.Time) (int, bool) {
	best, ok := -1, false
	for i, p := range c.Pushes {
		if p.Time.After(t) || p.Rewritten {
			continue
		}
		if p.Branch == branch || contains(p.FF, branch) {
			best, ok = i, true
		}
	}
	return best, ok
}

// BuiltAt returns the newest push of branch at or before t whose build
// completed: what a compose at t contains.
func (c *Component) BuiltAt(branch string, t time.Time) (Push, bool) {
	var best Push
	ok := false
	for _, p := range c.Pushes {
		if p.Time.After(t) || p.Rewritten || p.IsBranchCut() {
			continue
		}
		if (p.Branch == branch || contains(p.FF, branch)) && p.Build == BuildComplete {
			best, ok = p, true
		}
	}
	if !ok {
		// A branch cut carries the builds of rawhide at that point.
		for _, p := range c.Pushes {
			if p.Branch == branch && p.IsBranchCut() && !p.Time.After(t) {
				return c.BuiltAt("rawhide", p.Time)
			}
		}
	}
	return best, ok
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// moduleNames are well-known module names used before generated ones.
var moduleNames = []struct{ name, comp string }{
	{"nodejs", "nodejs"}, {"perl", "perl"}, {"python312", "python3.12"}, {"ruby", ""}, {"php", ""},
	{"postgresql", ""}, {"mariadb", ""}, {"nginx", ""}, {"httpd", ""}, {"maven", ""}, {"scala", ""},
	{"subversion", ""}, {"mercurial", ""}, {"varnish", ""}, {"redis", ""}, {"django", ""},
}

// addModules makes the module streams: a module per well-known or
// generated name, with two to four streams (some of them like "1.10"
// beside "1.1", to keep streams strings), components pinned to branches
// and built at a time, platform and module build requirements.
func (g *gen) addModules() {
	if g.w.Scale.Streams == 0 {
		return
	}
	var pool []*Component
	for _, c := range g.w.Components {
		if !c.Hub && !c.Retired && (c.Eco == EcoC || c.Eco == EcoLib || c.Eco == EcoPython || c.Eco == EcoPerl || c.Eco == EcoNode) {
			pool = append(pool, c)
		}
	}
	f40 := Branchings[2].At
	var made []*ModuleStream
	for mi := 0; len(made) < g.w.Scale.Streams; mi++ {
		var name string
		if mi < len(moduleNames) {
			name = moduleNames[mi].name
		} else {
			name = g.names.word()
		}
		nStreams := 2 + g.r.IntN(3)
		var streams []string
		switch {
		case name == "nodejs":
			streams = []string{"18", "20", "22"}
		case name == "perl":
			streams = []string{"5.32", "5.36", "5.38"}
		case mi%5 == 1:
			streams = []string{"1.1", "1.10", "2.0"}[:min(3, nStreams)]
		default:
			base := 1 + g.r.IntN(12)
			for s := 0; s < nStreams; s++ {
				streams = append(streams, strconv.Itoa(base+s))
			}
		}
		for _, st := range streams {
			if len(made) >= g.w.Scale.Streams {
				break
			}
			m := &ModuleStream{Name: name, Stream: st, Summary: titleCase(name) + " " + st + " module",
				Requires: map[string][]string{"platform": {}}, BuildReqs: map[string][]string{}}
			switch x := g.r.Float64(); {
			case x < 0.6:
				m.Platform = []string{"f40"}
			case x < 0.8:
				m.Platform = []string{"f39", "f40"}
			default:
				m.Platform = []string{"-f39"}
			}
			if len(made) > 3 && g.chance(0.25) {
				dep := made[g.r.IntN(len(made))]
				if dep.Name != name {
					if g.chance(0.5) {
						m.BuildReqs[dep.Name] = []string{dep.Stream}
					} else {
						m.BuildReqs[dep.Name] = []string{} // any stream
					}
				}
			}
			m.Built = g.randTime(f40.Add(24*time.Hour), End.Add(-5*24*time.Hour))
			m.Version = "40" + m.Built.Format("20060102150405")
			m.Context = fmt.Sprintf("%08x", g.r.Uint32())
			nc := 1 + g.geometric(5)
			seen := map[string]bool{}
			var lead *Component
			if mi < len(moduleNames) && moduleNames[mi].comp != "" {
				lead = g.w.byName[moduleNames[mi].comp]
			}
			for k := 0; k < nc && len(pool) > 0; k++ {
				c := pool[g.r.IntN(len(pool))]
				if k == 0 && lead != nil {
					c = lead // the module's own component comes first
				}
				if seen[c.Name] {
					continue
				}
				seen[c.Name] = true
				branch := "f40"
				if _, ok := c.HeadAt(branch, m.Built); !ok {
					branch = "rawhide"
				}
				head, ok := c.HeadAt(branch, m.Built)
				if !ok {
					continue
				}
				later, _ := c.HeadAt(branch, End)
				mc := ModuleComponent{Name: c.Name, Branch: branch, Rationale: "Part of the " + name + " stack.",
					Stale: !later.Time.Equal(head.Time)}
				m.Components = append(m.Components, mc)
			}
			if len(m.Components) == 0 {
				continue
			}
			m.Profiles = map[string][]string{"default": {g.w.byName[m.Components[0].Name].Binaries[0].Name}}
			if len(m.Components) > 1 {
				var all []string
				for _, mc := range m.Components {
					all = append(all, g.w.byName[mc.Name].Binaries[0].Name)
				}
				sort.Strings(all)
				m.Profiles["full"] = all
			}
			made = append(made, m)
		}
	}
	g.w.Modules = made
}

// addComposes places the composes of the f40 branch at the end of the
// window: finished ones, one that finished incomplete, one DOOMED and the
// newest still in progress.
func (g *gen) addComposes() {
	plan := []struct {
		back   time.Duration
		status string
	}{
		{40 * 24 * time.Hour, "FINISHED"},
		{25 * 24 * time.Hour, "DOOMED"},
		{10 * 24 * time.Hour, "FINISHED_INCOMPLETE"},
		{3 * 24 * time.Hour, "FINISHED"},
		{12 * time.Hour, "STARTED"},
	}
	if g.w.Scale.Composes < len(plan) {
		plan = append(plan[:0:0], plan[len(plan)-g.w.Scale.Composes:]...)
	}
	byDay := map[string]int{}
	for _, p := range plan {
		d := End.Add(-p.back).Truncate(time.Hour)
		day := d.Format("20060102")
		id := fmt.Sprintf("Fedora-40-%s.%d", day, byDay[day])
		byDay[day]++
		g.w.Composes = append(g.w.Composes, &Compose{ID: id, Date: d, Status: p.status, Branch: "f40", Respin: byDay[day] - 1})
	}
}
