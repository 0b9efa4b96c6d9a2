package pages

import (
	"context"
	"fmt"
	"html/template"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

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

func (r *renderer) indexPage(d *deps) ([]outPage, error) {
	p := "index.html"
	c := ctx{w: r.w, d: d, root: ""}
	v := &indexView{Intro: r.intro}
	latestID := r.latestID(d)
	composes, lt := r.w.composeList(d)
	srcNames := r.w.keys(d, answers.KindSource)
	summaries, err := r.w.indexSources(d)
	if err != nil {
		return nil, err
	}
	modKeys := r.w.keys(d, answers.KindModule)
	if lt != nil {
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
		{N: num(len(srcNames)), What: "source components", Href: c.to(listPath("src", 1))},
		{N: num(len(r.w.keys(d, answers.KindPackage))), What: "binary packages", Href: c.to(listPath("pkg", 1))},
		{N: num(len(modKeys)), What: "module streams", Href: c.to(listPath("mod", 1))},
		{N: num(len(composes)), What: "complete composes"},
	}, v.Counts...)
	for _, cd := range composes {
		row := composeRow{ID: c.compose(cd.ID), Date: cd.Date, Badge: composeBadge(cd.Status), Latest: cd.ID == latestID}
		for _, cv := range cd.Variants {
			row.Binary, row.Source = max(row.Binary, cv.Binary), max(row.Source, cv.Source)
		}
		v.Composes = append(v.Composes, row)
	}
	v.Mirrors = c.mirrorRows(latestID, latestID)

	// Pipeline stages of every component.
	counts := map[string]int{}
	for _, is := range summaries {
		if is.HasStatus {
			counts[is.Stage]++
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

	// Builds: underway, failed (newest of its branch), recent. They are
	// chosen from the summaries; only the answers of the builds shown are
	// decoded.
	type rec struct {
		src, build int // indexes in summaries and in its builds
		started    string
		b          *IndexBuild
	}
	var all, failed, underway []rec
	for i, is := range summaries {
		newestOfBranch := map[string]bool{}
		for j := range is.Builds {
			b := &is.Builds[j]
			x := rec{i, j, fmtTime(b.Started), b}
			all = append(all, x)
			first := !newestOfBranch[b.Branch]
			newestOfBranch[b.Branch] = true
			if first && (b.State == "failed" || b.State == "canceled") {
				failed = append(failed, x)
			}
			if b.State == "building" {
				underway = append(underway, x)
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
	byStarted := func(rows []rec) []rec {
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i].started != rows[j].started {
				return rows[i].started > rows[j].started
			}
			return rows[i].b.NVR < rows[j].b.NVR
		})
		return rows[:min(recentCap, len(rows))]
	}
	rows := func(xs []rec) ([]buildRow, error) {
		var out []buildRow
		for _, x := range xs {
			n := srcNames[x.src]
			s, err := r.w.decodeSrc(n)
			if err != nil {
				return nil, err
			}
			if x.build >= len(s.Builds) || s.Builds[x.build].NVR != x.b.NVR {
				return nil, fmt.Errorf("pages: index: the summary of %s does not match its answer", n)
			}
			out = append(out, c.buildRow(&s.Builds[x.build], n))
		}
		return out, nil
	}
	if v.Recent, err = rows(all[:min(recentCap, len(all))]); err != nil {
		return nil, err
	}
	if v.Underway, err = rows(byStarted(underway)); err != nil {
		return nil, err
	}
	if v.Failed, err = rows(byStarted(failed)); err != nil {
		return nil, err
	}

	// Reverse-dependency degrees of components, and the most depended on.
	degrees := make([]int, 0, len(srcNames))
	type nd struct {
		n string
		d int
	}
	var top []nd
	for i, n := range srcNames {
		dg := summaries[i].Degree
		degrees = append(degrees, dg)
		top = append(top, nd{n, dg})
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
	if g := r.w.graphDoc(d); g != nil && len(g.Tiers) > 0 {
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
	for _, k := range modKeys[:min(modCap, len(modKeys))] {
		v.Modules = append(v.Modules, c.mod(k))
	}
	v.ModulesAll = len(modKeys)
	for _, vr := range r.w.variantList(d) {
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

// IndexSource is what the index page reads of the answers of one source
// component (its source and status answers), with their digests: a State
// keeps them, so that an update decodes only the answers that changed.
type IndexSource struct {
	Name      string
	SrcSum    [32]byte
	StatusSum [32]byte // zero without a status answer
	HasStatus bool
	Stage     string // of the status answer
	Degree    int    // number of runtime dependents
	Builds    []IndexBuild
}

// IndexBuild is a build of an IndexSource, in the order of its answer.
type IndexBuild struct {
	NVR, Branch, State string
	Started            time.Time
}

func summarize(name string, srcSum, statusSum [32]byte, s *answers.Source, st *answers.Status) *IndexSource {
	is := &IndexSource{Name: name, SrcSum: srcSum, StatusSum: statusSum, Degree: len(s.RuntimeDependents)}
	if st != nil {
		is.HasStatus, is.Stage = true, st.Stage
	}
	for _, b := range s.Builds {
		is.Builds = append(is.Builds, IndexBuild{NVR: b.NVR, Branch: b.Branch, State: b.State, Started: b.Started})
	}
	return is
}

// prepareIndex makes the summaries of every source component for the
// index page: those of prev whose answers did not change, the others
// decoded (concurrently).
func (r *renderer) prepareIndex(ctx context.Context, prev []IndexSource, dg *digester) error {
	w := r.w
	old := make(map[string]*IndexSource, len(prev))
	for i := range prev {
		old[prev[i].Name] = &prev[i]
	}
	names := w.names[answers.KindSource]
	out := make([]*IndexSource, len(names))
	type sums struct{ src, status [32]byte }
	var todo []int
	todoSums := map[int]sums{}
	for i, n := range names {
		var sm sums
		sm.src = dg.digest(answers.KindSource, n)
		key := answers.SubjectComponent + "/" + n
		_, hasStatus := w.docs[answers.KindStatus][key]
		if hasStatus {
			sm.status = dg.digest(answers.KindStatus, key)
		}
		if p := old[n]; p != nil && p.SrcSum == sm.src && p.StatusSum == sm.status && p.HasStatus == hasStatus {
			out[i] = p
			continue
		}
		todo = append(todo, i)
		todoSums[i] = sm
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opts.Jobs)
	const chunk = 128
	for lo := 0; lo < len(todo); lo += chunk {
		idx := todo[lo:min(lo+chunk, len(todo))]
		sm := make([]sums, len(idx))
		for k, i := range idx {
			sm[k] = todoSums[i]
		}
		g.Go(func() error {
			for k, i := range idx {
				if err := gctx.Err(); err != nil {
					return err
				}
				s, err := w.decodeSrc(names[i])
				if err != nil {
					return err
				}
				st, err := w.decodeStatus(answers.SubjectComponent + "/" + names[i])
				if err != nil {
					return err
				}
				out[i] = summarize(names[i], sm[k].src, sm[k].status, s, st)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	w.index = out
	return nil
}
