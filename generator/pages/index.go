package pages

import (
	"fmt"
	"html/template"
	"sort"

	"github.com/distmeta/distmeta/site/answers"
)

type indexView struct {
	Intro      template.HTML
	Latest     *composeView
	Counts     []countCard
	Composes   []composeRow
	Mirrors    []mirrorRow
	Stages     []stageSegment
	StageBar   template.HTML
	Underway   []buildRow
	Failed     []buildRow
	Recent     []buildRow
	Degree     template.HTML
	Tiers      template.HTML
	TierCount  int
	TopDeps    []topDep
	Modules    []link
	ModulesAll int
	Variants   []link
	Lists      []link
}

type countCard struct {
	N     string
	What  string
	Href  string
	Class string
}

type composeRow struct {
	ID     link
	Date   string
	Badge  badge
	Latest bool
	Binary int
	Source int
}

type topDep struct {
	Name  link
	Count int
	Width int // percent of the largest
}

// recentCap caps each build list of the index page.
const recentCap = 12

func (r *renderer) indexPage() ([]outPage, error) {
	p := "index.html"
	c := ctx{w: r.w, root: ""}
	v := &indexView{Intro: r.intro}
	latestID := r.latestID()
	if lt := r.w.latest; lt != nil {
		v.Latest = c.composeView(lt, latestID)
		v.Latest.Skipped = lt.Skipped
		bin, srcs, broken := 0, 0, 0
		for _, cv := range lt.Variants {
			bin, srcs = max(bin, cv.Binary), max(srcs, cv.Source)
			broken += cv.Broken
		}
		_ = bin
		cls := "ok"
		if broken > 0 {
			cls = "bad"
		}
		v.Counts = append(v.Counts, countCard{N: num(broken), What: "broken dependencies", Class: cls})
	}
	v.Counts = append([]countCard{
		{N: num(len(r.w.srcNames)), What: "source components", Href: c.to(listPath("src", 1))},
		{N: num(len(r.w.pkgNames)), What: "binary packages", Href: c.to(listPath("pkg", 1))},
		{N: num(len(r.w.modKeys)), What: "module streams", Href: c.to(listPath("mod", 1))},
		{N: num(len(r.w.composes)), What: "complete composes"},
	}, v.Counts...)
	for _, d := range r.w.composes {
		row := composeRow{ID: c.compose(d.ID), Date: d.Date, Badge: composeBadge(d.Status), Latest: d.ID == latestID}
		for _, cv := range d.Variants {
			row.Binary, row.Source = max(row.Binary, cv.Binary), max(row.Source, cv.Source)
		}
		v.Composes = append(v.Composes, row)
	}
	v.Mirrors = c.mirrorRows(latestID, latestID)

	// Pipeline stages of every component.
	counts := map[string]int{}
	for _, n := range r.w.srcNames {
		if st := r.w.rpmStatus[n]; st != nil {
			counts[st.Stage]++
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	order := append([]string(nil), stageOrder...)
	for _, s := range sortedKeys(counts) {
		if _, ok := stageBadges[s]; !ok {
			order = append(order, s)
		}
	}
	for _, s := range order {
		if counts[s] == 0 {
			continue
		}
		v.Stages = append(v.Stages, stageSegment{Stage: s, Badge: stageBadge(s), Count: counts[s],
			Pct: fmt.Sprintf("%.0f%%", 100*float64(counts[s])/float64(total))})
	}
	v.StageBar = stageBar(v.Stages)

	// Builds: underway, failed (newest of its branch), recent.
	type rec struct {
		comp string
		b    *answers.Build
	}
	var all []rec
	for _, n := range r.w.srcNames {
		s := r.w.srcs[n]
		newestOfBranch := map[string]bool{}
		for i := range s.Builds {
			b := &s.Builds[i]
			all = append(all, rec{n, b})
			first := !newestOfBranch[b.Branch]
			newestOfBranch[b.Branch] = true
			if first && (b.State == "failed" || b.State == "canceled") {
				v.Failed = append(v.Failed, c.buildRow(b, n))
			}
			if b.State == "building" {
				v.Underway = append(v.Underway, c.buildRow(b, n))
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i].b, all[j].b
		if !a.Started.Equal(b.Started) {
			return a.Started.After(b.Started)
		}
		return a.NVR < b.NVR
	})
	for _, x := range all[:min(recentCap, len(all))] {
		v.Recent = append(v.Recent, c.buildRow(x.b, x.comp))
	}
	byStarted := func(rows []buildRow) {
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i].Started != rows[j].Started {
				return rows[i].Started > rows[j].Started
			}
			return rows[i].NVR < rows[j].NVR
		})
	}
	byStarted(v.Underway)
	byStarted(v.Failed)
	v.Underway = v.Underway[:min(recentCap, len(v.Underway))]
	v.Failed = v.Failed[:min(recentCap, len(v.Failed))]

	// Reverse-dependency degrees of components, and the most depended on.
	degrees := make([]int, 0, len(r.w.srcNames))
	type nd struct {
		n string
		d int
	}
	var top []nd
	for _, n := range r.w.srcNames {
		d := len(r.w.srcs[n].RuntimeDependents)
		degrees = append(degrees, d)
		top = append(top, nd{n, d})
	}
	if len(degrees) > 0 {
		labels, cnt := degreeBins(degrees)
		v.Degree = histogram(labels, cnt, "source components by number of runtime dependents")
	}
	sort.SliceStable(top, func(i, j int) bool { return top[i].d > top[j].d })
	for _, t := range top[:min(10, len(top))] {
		if t.d == 0 {
			break
		}
		v.TopDeps = append(v.TopDeps, topDep{Name: c.src(t.n), Count: t.d, Width: max(1, 100*t.d/max(1, top[0].d))})
	}

	// Rebuild tiers of the whole build graph.
	if g := r.w.graph; g != nil && len(g.Tiers) > 0 {
		peak := 0
		for _, t := range g.Tiers {
			peak = max(peak, t)
		}
		cnt := make([]int, peak+1)
		for _, t := range g.Tiers {
			if t >= 0 {
				cnt[t]++
			}
		}
		v.TierCount = len(cnt)
		v.Tiers = tierChart(cnt, "tier", "components")
	}

	const modCap = 60
	for _, k := range r.w.modKeys[:min(modCap, len(r.w.modKeys))] {
		v.Modules = append(v.Modules, c.mod(k))
	}
	v.ModulesAll = len(r.w.modKeys)
	for _, vr := range r.w.variants {
		l := c.variant(vr.ID)
		l.Title = vr.Name
		v.Variants = append(v.Variants, l)
	}
	title := r.opts.Title
	sub := "build pipeline overview"
	if latestID != "" {
		sub += " · " + latestID
	}
	pg := &page{Kind: "index", Title: title, Subtitle: sub, Root: "", Body: v}
	return []outPage{{p, pg}}, nil
}
