package pages

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/distmeta/distmeta/site/answers"
)

// link is an anchor; Href "" renders as plain text (no page to go to).
type link struct {
	Text  string
	Href  string
	Title string
}

// badge is a status shown with a colour class, an icon and a word, so it
// reads without colour too.
type badge struct {
	Class string // ok, warn, bad, run, info, muted
	Icon  string
	Text  string
	Title string
}

// page is what every template receives.
type page struct {
	Kind      string // template name
	Title     string
	Subtitle  string
	Root      string // relative path to the www/ root
	Crumbs    []link
	SiteTitle string
	Search    bool // the page carries the search box
	Body      any
}

// ctx builds links relative to one page.
type ctx struct {
	w    *world
	d    *deps
	root string
}

func (c ctx) to(p string) string { return href(c.root + p) }

func (c ctx) src(name string) link {
	l := link{Text: name}
	if c.w.has(c.d, answers.KindSource, name) {
		l.Href = c.to(SrcPath(name))
	}
	return l
}

func (c ctx) pkg(name string) link {
	l := link{Text: name}
	if c.w.has(c.d, answers.KindPackage, name) {
		l.Href = c.to(PkgPath(name))
	}
	return l
}

// pkgNEVRA links a NEVRA to its package name's page.
func (c ctx) pkgNEVRA(nevra string) link {
	l := c.pkg(answers.NEVRAName(nevra))
	l.Text, l.Title = nevra, ""
	return l
}

func (c ctx) mod(key string) link {
	l := link{Text: key}
	if c.w.has(c.d, answers.KindModule, key) {
		n, s, _ := strings.Cut(key, ":")
		l.Href = c.to(ModPath(n, s))
	}
	return l
}

// nsvc links a module build to its stream's page.
func (c ctx) nsvc(nsvc string) link {
	n, s := nsvcKey(nsvc)
	l := c.mod(n + ":" + s)
	l.Text = nsvc
	return l
}

func (c ctx) compose(id string) link {
	l := link{Text: id}
	if c.w.has(c.d, answers.KindCompose, id) {
		l.Href = c.to(ComposePath(id))
	}
	return l
}

func (c ctx) variant(id string) link {
	l := link{Text: id}
	if c.w.has(c.d, answers.KindVariant, id) {
		l.Href = c.to(VariantPath(id))
	}
	return l
}

// --- badges

var stageBadges = map[string]badge{
	"building":        {Class: "run", Icon: "↻", Text: "building"},
	"failed":          {Class: "bad", Icon: "✗", Text: "failed"},
	"not-built":       {Class: "muted", Icon: "○", Text: "not built"},
	"built":           {Class: "warn", Icon: "●", Text: "built"},
	"composed":        {Class: "info", Icon: "◆", Text: "composed"},
	"mirrored-partly": {Class: "info", Icon: "◐", Text: "partly mirrored"},
	"mirrored":        {Class: "ok", Icon: "✓", Text: "on mirrors"},
}

// stageOrder is the pipeline's order, for legends and counts.
var stageOrder = []string{"building", "failed", "not-built", "built", "composed", "mirrored-partly", "mirrored"}

func stageBadge(stage string) badge {
	if b, ok := stageBadges[stage]; ok {
		return b
	}
	return badge{Class: "muted", Icon: "?", Text: stage}
}

func buildBadge(state string) badge {
	switch state {
	case "complete":
		return badge{Class: "ok", Icon: "✓", Text: "complete"}
	case "building":
		return badge{Class: "run", Icon: "↻", Text: "building"}
	case "failed":
		return badge{Class: "bad", Icon: "✗", Text: "failed"}
	case "canceled":
		return badge{Class: "muted", Icon: "⊘", Text: "canceled"}
	}
	return badge{Class: "muted", Icon: "?", Text: state}
}

func testBadge(outcome string) badge {
	switch strings.ToUpper(outcome) {
	case "PASSED", "PASS", "OK":
		return badge{Class: "ok", Icon: "✓", Text: strings.ToLower(outcome)}
	case "FAILED", "FAIL":
		return badge{Class: "bad", Icon: "✗", Text: strings.ToLower(outcome)}
	case "ERROR":
		return badge{Class: "bad", Icon: "!", Text: "error"}
	case "RUNNING", "QUEUED":
		return badge{Class: "run", Icon: "↻", Text: strings.ToLower(outcome)}
	}
	return badge{Class: "warn", Icon: "?", Text: strings.ToLower(outcome)}
}

func composeBadge(status string) badge {
	switch status {
	case "FINISHED":
		return badge{Class: "ok", Icon: "✓", Text: "finished"}
	case "FINISHED_INCOMPLETE":
		return badge{Class: "warn", Icon: "◐", Text: "finished incomplete"}
	}
	return badge{Class: "muted", Icon: "?", Text: strings.ToLower(status)}
}

// --- formatting

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func fmtDuration(from, to time.Time) string {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return ""
	}
	d := to.Sub(from).Round(time.Minute)
	if d < time.Hour {
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02d", int(d.Hours()), int(d.Minutes())%60)
}

func shortHash(h string) string {
	if len(h) > 10 {
		return h[:10]
	}
	return h
}

// HumanSize prints a byte count in B, KiB, MiB or GiB (one decimal).
func HumanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// num formats an integer with thin grouping ("25 000").
func num(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 4 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// funcs are the template functions.
var funcs = template.FuncMap{
	"num":     num,
	"plural":  plural,
	"okBadge": func(text string) badge { return badge{Class: "ok", Icon: "✓", Text: text} },
	"rows":    func(rows []buildRow, comp bool) buildTable { return buildTable{rows, comp} },
}

// buildTable is the data of the "buildrows" template.
type buildTable struct {
	Rows []buildRow
	Comp bool // show the component column
}

// --- capped lists

// capped is a list shown inline up to a cap, with the total and a link to
// the full, paginated list.
type capped struct {
	Items []link
	Total int
	More  string // href of the first page of the full list; "" when all are shown
	Hint  string // the dmq command that answers the same question
}

func (c capped) Rest() int { return c.Total - len(c.Items) }

// HTML renders the link as an anchor (or a span without Href). Links are
// the bulk of every page, so they are written here instead of through a
// template: Href holds only URL-safe bytes (see href), and Text and Title
// are escaped.
func (l link) HTML() template.HTML {
	var b strings.Builder
	if l.Href != "" {
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(l.Href))
		b.WriteByte('"')
	} else {
		b.WriteString(`<span`)
	}
	if l.Title != "" {
		b.WriteString(` title="`)
		b.WriteString(html.EscapeString(l.Title))
		b.WriteByte('"')
	}
	b.WriteByte('>')
	b.WriteString(html.EscapeString(l.Text))
	if l.Href != "" {
		b.WriteString(`</a>`)
	} else {
		b.WriteString(`</span>`)
	}
	return template.HTML(b.String())
}
