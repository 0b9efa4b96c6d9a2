package pages

import (
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/site/answers"
)

type srcView struct {
	Name      string
	Repo      string
	Status    *statusView
	SRPM      string
	Compose   link
	Tier      string
	Error     string
	Branches  []branchView
	Builds    []buildRow
	Binaries  []link
	Modules   []link
	BuildReqs []link
	Runtime   capped
	BuildDeps capped
	Rebuild   []rebuildView
	Stale     []staleView
}

type statusView struct {
	Badge    badge
	Sentence string
	Branch   string
	Composes []link
	Mirrors  []mirrorCarry
	Others   []branchStatus // the component's other branches with builds
}

type branchStatus struct {
	Branch   string
	Badge    badge
	Sentence string
}

type mirrorCarry struct {
	Mirror  string
	Badge   badge
	Serial  uint64
	Compose link
}

type branchView struct {
	Name     string
	Default  bool
	Head     string
	HeadFull string
	Time     string
	Subject  string
	Version  string
	Badge    badge
	Sentence string
	Recent   []commitView
}

type commitView struct {
	Hash, Full, Time, Subject string
}

type buildRow struct {
	Component link
	NVR       string
	Branch    string
	Commit    string
	Badge     badge
	Started   string
	Took      string
	Tests     []testView
	Passed    int
	Failed    int
}

type testView struct {
	Case  string
	Badge badge
	Time  string
}

type rebuildView struct {
	Strategy   string
	Components int
	Tiers      int
	Cycles     int
	Chart      template.HTML
}

type staleView struct {
	Build  link
	Kind   string
	Branch string
	Commit string
	Head   string
	Reason string
	After  []commitView
}

func commitViews(cs []answers.Commit) []commitView {
	out := make([]commitView, 0, len(cs))
	for _, c := range cs {
		out = append(out, commitView{Hash: shortHash(c.Hash), Full: c.Hash, Time: fmtTime(c.Time), Subject: c.Subject})
	}
	return out
}

func (c ctx) buildRow(b *answers.Build, component string) buildRow {
	r := buildRow{NVR: b.NVR, Branch: b.Branch, Commit: shortHash(b.Commit), Badge: buildBadge(b.State),
		Started: fmtTime(b.Started), Took: fmtDuration(b.Started, b.Finished)}
	if component != "" {
		r.Component = c.src(component)
	}
	for _, t := range b.Tests {
		tb := testBadge(t.Outcome)
		switch tb.Class {
		case "ok":
			r.Passed++
		case "bad":
			r.Failed++
		}
		r.Tests = append(r.Tests, testView{Case: t.Case, Badge: tb, Time: fmtTime(t.Time)})
	}
	return r
}

func (c ctx) status(st *answers.Status) *statusView {
	if st == nil {
		return nil
	}
	v := &statusView{Badge: stageBadge(st.Stage), Sentence: st.Sentence, Branch: st.Branch}
	for _, cr := range st.Composes {
		v.Composes = append(v.Composes, c.compose(cr.ID))
	}
	for _, m := range st.Mirrors {
		mc := mirrorCarry{Mirror: m.Mirror, Serial: m.Serial, Compose: c.compose(m.Compose)}
		switch {
		case m.Unknown:
			mc.Badge = badge{Class: "muted", Icon: "?", Text: "unknown"}
		case m.Carries:
			mc.Badge = badge{Class: "ok", Icon: "✓", Text: "carries it"}
		default:
			mc.Badge = badge{Class: "warn", Icon: "…", Text: "not yet"}
		}
		v.Mirrors = append(v.Mirrors, mc)
	}
	for _, b := range st.Branches {
		v.Others = append(v.Others, branchStatus{Branch: b.Branch, Badge: stageBadge(b.Stage), Sentence: b.Sentence})
	}
	return v
}

// capList caps names (already sorted) to the inline cap; the full list is
// paginated into more pages of kind/name/list.
func (r *renderer) capList(c ctx, names []string, mk func(string) link, kind, name, list, hint string) (capped, []outPage) {
	cp := capped{Total: len(names), Hint: hint}
	for i, n := range names {
		if i == r.opts.InlineCap {
			break
		}
		cp.Items = append(cp.Items, mk(n))
	}
	if len(names) <= r.opts.InlineCap {
		return cp, nil
	}
	cp.More = c.to(morePath(kind, name, list, 1))
	return cp, r.morePages(c.d, kind, name, list, names)
}

// srpmVR returns version-release of name-epoch:version-release.src.
func srpmVR(srpm string) string {
	s := strings.TrimSuffix(srpm, ".src")
	i := strings.LastIndexByte(s, '-')
	if i < 0 {
		return ""
	}
	j := strings.LastIndexByte(s[:i], '-')
	if j < 0 {
		return ""
	}
	vr := s[j+1:]
	if k := strings.IndexByte(vr, ':'); k >= 0 {
		vr = vr[k+1:]
	}
	return vr
}

// pipelineLine says where the newest build of one branch stands; version
// is the branch head's version-release from its spec ("" if unknown).
func (r *renderer) pipelineLine(d *deps, src *answers.Source, st *answers.Status, branch, head, version string) (badge, string) {
	var b *answers.Build
	for i := range src.Builds {
		if src.Builds[i].Branch == branch {
			b = &src.Builds[i]
			break
		}
	}
	if st != nil && st.Branch == branch && (b == nil || st.Build == nil || st.Build.NVR == b.NVR) && st.Stage != "" {
		return stageBadge(st.Stage), st.Sentence
	}
	if b == nil {
		if vr := srpmVR(src.SRPM); version != "" && vr != "" && (vr == version || strings.HasPrefix(vr, version+".")) {
			return stageBadge("composed"), src.SRPM + " is in compose " + src.Compose + " (no build of this branch in the feed)"
		}
		return stageBadge("not-built"), "no build of this branch is known"
	}
	var stage, sentence string
	switch b.State {
	case "building":
		return stageBadge("building"), "a fresh build is underway (" + b.NVR + ")"
	case "failed", "canceled":
		stage, sentence = "failed", "the newest build ("+b.NVR+") "+b.State
	default:
		inLatest := src.SRPM != "" && stripEpoch(strings.TrimSuffix(src.SRPM, ".src")) == b.NVR
		mirrors := r.w.mirrorsDoc(d)
		switch {
		case !inLatest:
			stage, sentence = "built", "built ("+b.NVR+") but not yet in a compose"
		case mirrors == nil || len(mirrors.Mirrors) == 0:
			stage, sentence = "composed", "in compose "+src.Compose+" (no mirrors configured)"
		default:
			carrying := 0
			for _, m := range mirrors.Mirrors {
				if m.Compose == src.Compose {
					carrying++
				}
			}
			switch {
			case carrying == 0:
				stage, sentence = "composed", "in compose "+src.Compose+" but not yet on the mirrors"
			case carrying == len(mirrors.Mirrors):
				stage, sentence = "mirrored", "on all mirrors"
			default:
				stage, sentence = "mirrored-partly", fmt.Sprintf("in compose %s, on %d of %d mirrors", src.Compose, carrying, len(mirrors.Mirrors))
			}
		}
	}
	if head != "" && b.Commit != "" && head != b.Commit {
		sentence += "; the head commit " + shortHash(head) + " is newer than this build"
	}
	return stageBadge(stage), sentence
}

// stripEpoch turns name-epoch:version-release into name-version-release.
func stripEpoch(nevr string) string {
	i := strings.LastIndexByte(nevr, ':')
	if i < 0 {
		return nevr
	}
	j := strings.LastIndexByte(nevr[:i], '-')
	if j < 0 {
		return nevr
	}
	return nevr[:j+1] + nevr[i+1:]
}

func (r *renderer) srcPage(d *deps, name string) ([]outPage, error) {
	s, err := r.w.src(d, name)
	if err != nil {
		return nil, err
	}
	p := SrcPath(name)
	c := ctx{w: r.w, d: d, root: rootOf(p)}
	st, err := r.w.status(d, answers.SubjectComponent, name)
	if err != nil {
		return nil, err
	}
	v := &srcView{Name: name, Repo: s.Repo, SRPM: s.SRPM, Error: s.Error, Status: c.status(st)}
	if s.Compose != "" {
		v.Compose = c.compose(s.Compose)
	}
	if s.Tier != nil {
		v.Tier = fmt.Sprint(*s.Tier)
	}
	for _, b := range s.Branches {
		bv := branchView{Name: b.Name, Default: b.Name == s.Head, Head: shortHash(b.Head), HeadFull: b.Head, Recent: commitViews(b.Recent)}
		if b.Version != "" {
			bv.Version = b.Version
			if b.Release != "" {
				bv.Version += "-" + b.Release
			}
		}
		if len(b.Recent) > 0 && b.Recent[0].Hash == b.Head {
			bv.Time, bv.Subject = fmtTime(b.Recent[0].Time), b.Recent[0].Subject
		}
		bv.Badge, bv.Sentence = r.pipelineLine(d, s, st, b.Name, b.Head, bv.Version)
		v.Branches = append(v.Branches, bv)
	}
	// The default branch first, then the others newest-named first
	// (rawhide, f41, f40, ...).
	sort.SliceStable(v.Branches, func(i, j int) bool {
		if v.Branches[i].Default != v.Branches[j].Default {
			return v.Branches[i].Default
		}
		return v.Branches[i].Name > v.Branches[j].Name
	})
	for i := range s.Builds {
		v.Builds = append(v.Builds, c.buildRow(&s.Builds[i], ""))
	}
	for _, b := range s.Binaries {
		v.Binaries = append(v.Binaries, c.pkg(b))
	}
	for _, m := range s.Modules {
		v.Modules = append(v.Modules, c.nsvc(m))
	}
	for _, b := range s.BuildRequires {
		v.BuildReqs = append(v.BuildReqs, c.src(b))
	}
	var more []outPage
	var m []outPage
	v.Runtime, m = r.capList(c, s.RuntimeDependents, c.src, "src", name, "runtime", "")
	more = append(more, m...)
	v.BuildDeps, m = r.capList(c, s.BuildDependents, c.src, "src", name, "build", "")
	more = append(more, m...)
	for _, strategy := range sortedKeys(s.Rebuild) {
		plan := s.Rebuild[strategy]
		rv := rebuildView{Strategy: strategy, Tiers: len(plan.Tiers), Cycles: len(plan.Cycles)}
		counts := make([]int, len(plan.Tiers))
		for i, t := range plan.Tiers {
			rv.Components += len(t)
			counts[i] = len(t)
		}
		rv.Chart = tierChart(counts, "tier", "components")
		v.Rebuild = append(v.Rebuild, rv)
	}
	for _, sb := range s.Stale {
		v.Stale = append(v.Stale, staleView{Build: link{Text: sb.Build}, Kind: sb.Kind, Branch: sb.Branch, Commit: shortHash(sb.Commit),
			Head: shortHash(sb.Head), Reason: sb.Reason, After: commitViews(sb.After)})
	}
	pg := &page{Kind: "src", Title: name, Subtitle: "source component", Root: c.root, Body: v,
		Crumbs: []link{{Text: "components", Href: c.to(listPath("src", 1))}}}
	return append([]outPage{{p, pg}}, more...), nil
}
