package client

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Each result prints itself for people with WriteText: short, aligned,
// one item a line; tools use the JSON encoding of the same value.

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// WriteText prints the sync outcome.
func (r *SyncResult) WriteText(w io.Writer) error {
	from := "first use"
	if r.Previous != 0 {
		from = fmt.Sprintf("serial %d", r.Previous)
	}
	_, err := fmt.Fprintf(w, "%s serial %d (was %s) from %s\ncreated %s, expires %s\nfetched %d files (%d bytes), %d already cached\n",
		r.Index.Origin, r.Index.Serial, from, r.Index.Mirror, day(r.Index.Created), day(r.Index.Expires), r.Fetched, r.Bytes, r.Cached)
	if err == nil && r.Walked > 0 {
		_, err = fmt.Fprintf(w, "checked the history chain over %d skipped indexes\n", r.Walked)
	}
	if err == nil && r.ChainUnchecked {
		_, err = fmt.Fprintf(w, "note: more indexes were skipped than the chain check covers; the signature alone vouches for serial %d\n", r.Index.Serial)
	}
	for _, m := range r.Index.Rejected {
		if err == nil {
			_, err = fmt.Fprintf(w, "passed over %s: %s\n", m.Mirror, m.Reason)
		}
	}
	return err
}

// WriteText prints one provider a line: NEVRA and what it provides.
func (r *ProvidesResult) WriteText(w io.Writer) error {
	if len(r.Providers) == 0 {
		_, err := fmt.Fprintf(w, "nothing provides %s\n", r.Capability)
		return err
	}
	tw := table(w)
	for _, p := range r.Providers {
		fmt.Fprintf(tw, "%s\t%s\n", p.NEVRA, p.Provide)
	}
	return tw.Flush()
}

// WriteText prints one requirer a line, with the requirement that matched
// when known.
func (r *RequirersResult) WriteText(w io.Writer) error {
	if len(r.Requirers) == 0 {
		what := "requires"
		if r.Build {
			what = "build-requires"
		}
		_, err := fmt.Fprintf(w, "nothing %s %s %s\n", what, r.As, r.Name)
		return err
	}
	if !slices.ContainsFunc(r.Requirers, func(q Requirer) bool { return q.Dep != "" }) {
		// One column: no table to align (glibc has 30,000 requirers).
		bw := bufio.NewWriter(w)
		for _, q := range r.Requirers {
			bw.WriteString(q.Name)
			bw.WriteByte('\n')
		}
		return bw.Flush()
	}
	tw := table(w)
	for _, q := range r.Requirers {
		if q.Dep != "" {
			fmt.Fprintf(tw, "%s\t%s\n", q.Name, q.Dep)
		} else {
			fmt.Fprintf(tw, "%s\n", q.Name)
		}
	}
	return tw.Flush()
}

// WriteText prints one requirement a line; resolved, with the chosen
// provider and the number of providers.
func (r *RequiresResult) WriteText(w io.Writer) error {
	tw := table(w)
	for _, q := range r.Needs {
		if !r.Resolve {
			fmt.Fprintf(tw, "%s\n", q.Dep)
			continue
		}
		chosen := q.Chosen
		if chosen == "" {
			chosen = "(nothing provides it)"
		}
		alt := ""
		if len(q.Providers) > 1 {
			alt = fmt.Sprintf("(%d providers)", len(q.Providers))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", q.Dep, chosen, alt)
	}
	return tw.Flush()
}

// WriteText prints one NEVRA a line.
func (r *ClosureResult) WriteText(w io.Writer) error {
	for _, p := range r.Packages {
		if _, err := fmt.Fprintln(w, p); err != nil {
			return err
		}
	}
	return nil
}

// WriteText prints the chain, one step a line.
func (r *WhyResult) WriteText(w io.Writer) error {
	if len(r.Chain) == 0 {
		_, err := fmt.Fprintf(w, "%s does not pull in %s\n", r.From, r.To)
		return err
	}
	tw := table(w)
	for _, s := range r.Chain {
		fmt.Fprintf(tw, "%s\trequires %s\tprovided by %s\n", s.From, s.Dep, s.To)
	}
	return tw.Flush()
}

// WriteText prints one tier a line and the cycles after.
func (r *RebuildResult) WriteText(w io.Writer) error {
	tw := table(w)
	for i, t := range r.Plan.Tiers {
		fmt.Fprintf(tw, "tier %d\t%s\n", i, strings.Join(t, " "))
	}
	for _, c := range r.Plan.Cycles {
		fmt.Fprintf(tw, "cycle\t%s\n", strings.Join(c, " "))
	}
	return tw.Flush()
}

// WriteText prints each build of the stream; with Buildroot, its resolved
// buildroot.
func (r *ModuleResult) WriteText(w io.Writer) error {
	m := &r.Module
	fmt.Fprintf(w, "%s:%s", m.Name, m.Stream)
	if m.Summary != "" {
		fmt.Fprintf(w, "  %s", m.Summary)
	}
	fmt.Fprintln(w)
	tw := table(w)
	for _, b := range m.Builds {
		fmt.Fprintf(tw, "%s\tversion %s\tcontext %s\t%s\n", b.NSVC, b.Version, b.Context, strings.Join(b.Variants, ","))
		if r.Buildroot {
			switch br := b.Buildroot; {
			case br == nil:
				fmt.Fprintf(tw, "  buildroot\t(not resolved)\n")
			case br.Error != "":
				fmt.Fprintf(tw, "  buildroot\terror: %s\n", br.Error)
			default:
				if len(br.Modules) > 0 {
					fmt.Fprintf(tw, "  modules\t%s\n", strings.Join(br.Modules, " "))
				}
				for _, p := range br.Packages {
					fmt.Fprintf(tw, "  package\t%s\n", p)
				}
			}
			continue
		}
		for _, c := range b.Components {
			stale := ""
			if c.Stale {
				stale = "stale"
			}
			fmt.Fprintf(tw, "  component\t%s\t%s\t%s\t%s\n", c.Name, c.Branch, short(c.Ref), stale)
		}
	}
	for _, s := range m.Stale {
		fmt.Fprintf(tw, "stale\t%s\t%s\n", s.Build, s.Reason)
	}
	return tw.Flush()
}

// WriteText prints the pipeline line: subject, stage and the sentence,
// then the details.
func (r *StatusResult) WriteText(w io.Writer) error {
	s := &r.Status
	fmt.Fprintf(w, "%s %s: %s: %s\n", s.Subject, s.Name, s.Stage, s.Sentence)
	tw := table(w)
	if s.Branch != "" || s.Head != "" {
		fmt.Fprintf(tw, "  head\t%s %s\t%s\n", s.Branch, short(s.Head), day(s.HeadTime))
	}
	if b := s.Build; b != nil {
		fmt.Fprintf(tw, "  build\t%s %s\t%s\n", b.NVR, b.State, day(b.Started))
		for _, t := range b.Tests {
			fmt.Fprintf(tw, "  test\t%s %s\n", t.Case, t.Outcome)
		}
	}
	for _, c := range s.Composes {
		fmt.Fprintf(tw, "  compose\t%s\n", c.ID)
	}
	for _, m := range s.Mirrors {
		state := "no"
		switch {
		case m.Unknown:
			state = "unknown"
		case m.Carries:
			state = "yes"
		}
		if m.Serial != 0 {
			// What the mirror served when the site was built.
			state += fmt.Sprintf("\tserial %d, %s", m.Serial, day(m.Created))
			if m.Compose != "" {
				state += ", compose " + m.Compose
			}
		}
		fmt.Fprintf(tw, "  mirror\t%s\t%s\n", m.Mirror, state)
	}
	for _, b := range s.Branches {
		what := ""
		if b.Build != nil {
			what = b.Build.NVR
		}
		fmt.Fprintf(tw, "  branch\t%s %s\t%s: %s\n", b.Branch, what, b.Stage, b.Sentence)
	}
	return tw.Flush()
}

// WriteText prints the position at a time, or the observed moves and the
// first-parent history.
func (r *HistoryResult) WriteText(w io.Writer) error {
	if r.Position != nil {
		p := r.Position
		if p.Hash == "" {
			_, err := fmt.Fprintf(w, "%s %s did not exist at %s\n", r.Repo, r.Branch, r.At.Format(time.RFC3339))
			return err
		}
		_, err := fmt.Fprintf(w, "%s %s at %s: %s (%s, since %s)\n", r.Repo, r.Branch, r.At.Format(time.RFC3339), p.Hash, p.Source, p.Since.UTC().Format(time.RFC3339))
		return err
	}
	h := r.History
	tw := table(w)
	fmt.Fprintf(tw, "%s %s head %s\n", h.Repo, h.Branch, h.Head)
	for _, m := range h.Observed {
		fmt.Fprintf(tw, "observed\t%s\t%s\t%s..%s\n", m.Time.UTC().Format(time.RFC3339), m.Kind, short(m.Old), short(m.New))
	}
	for _, c := range h.Commits {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", short(c.Hash), c.Time.UTC().Format(time.RFC3339), c.Subject)
	}
	return tw.Flush()
}

// WriteText prints the generated comps.xml when there is one, otherwise
// the variant's definition.
func (r *CompsResult) WriteText(w io.Writer) error {
	if r.Comps != "" {
		_, err := io.WriteString(w, r.Comps)
		return err
	}
	v := &r.Variant
	tw := table(w)
	fmt.Fprintf(tw, "variant\t%s\t%s\n", v.ID, v.Name)
	for _, m := range v.Modules {
		fmt.Fprintf(tw, "module\t%s\n", m)
	}
	for _, g := range v.Groups {
		fmt.Fprintf(tw, "group\t%s\n", g)
	}
	for _, p := range v.PackageSets {
		fmt.Fprintf(tw, "package set\t%s\n", p)
	}
	for _, p := range v.Problems {
		fmt.Fprintf(tw, "problem\t%s\n", p)
	}
	fmt.Fprintf(tw, "comps\t(none published)\n")
	return tw.Flush()
}

// WriteText prints the compose, a line per variant and image.
func (r *ComposeResult) WriteText(w io.Writer) error {
	c := &r.Compose
	fmt.Fprintf(w, "%s  %s  date %s respin %d", c.ID, c.Status, c.Date, c.Respin)
	if c.Type != "" {
		fmt.Fprintf(w, "  %s", c.Type)
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintf(tw, "variant\tarches\tbinary\tsource\tmodules\timages\tbroken\n")
	for _, v := range c.Variants {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", v.ID, strings.Join(v.Arches, ","), v.Binary, v.Source, v.Modules, v.Images, v.Broken)
	}
	tw.Flush()
	for _, im := range c.Images {
		fmt.Fprintf(w, "image %s  %s\n", im.Key, im.Path)
	}
	if len(c.Older) > 0 {
		fmt.Fprintf(w, "older: %s\n", strings.Join(c.Older, " "))
	}
	for _, s := range c.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", s.Name, s.Reason)
	}
	return nil
}

// WriteText prints the configured mirrors as this client sees them, then
// what the publisher saw.
func (r *MirrorsResult) WriteText(w io.Writer) error {
	tw := table(w)
	fmt.Fprintf(tw, "configured\tstate\tserial\tcreated\n")
	for _, m := range r.Configured {
		serial := "-"
		if m.Serial > 0 {
			serial = fmt.Sprint(m.Serial)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.URL, m.State, serial, day(m.Created))
	}
	tw.Flush()
	tw = table(w)
	fmt.Fprintf(tw, "published by the site\tstate\tserial\tcompose\n")
	for _, m := range r.Published.Mirrors {
		serial := "-"
		if m.Serial > 0 {
			serial = fmt.Sprint(m.Serial)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.URL, m.State, serial, m.Compose)
	}
	return tw.Flush()
}
