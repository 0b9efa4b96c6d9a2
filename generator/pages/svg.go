package pages

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// The charts are inline SVG written here (no script, no library). Colours
// come from the style sheet's classes, so they follow dark mode; every bar
// carries its number as text too.

func esc(s string) string { return html.EscapeString(s) }

// tierChart draws one horizontal bar per tier: counts[i] items in tier i.
func tierChart(counts []int, label, unit string) template.HTML {
	if len(counts) == 0 {
		return ""
	}
	peak := 1
	for _, n := range counts {
		peak = max(peak, n)
	}
	const rowH, labelW, barW, numW = 18, 64, 420, 70
	h := rowH*len(counts) + 4
	w := labelW + barW + numW
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" role="img" aria-label="%s">`, w, h, w, esc(fmt.Sprintf("%s per %s", unit, label)))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(fmt.Sprintf("%s per %s", unit, label)))
	for i, n := range counts {
		y := 2 + i*rowH
		bw := int(math.Round(float64(barW) * float64(n) / float64(peak)))
		if n > 0 {
			bw = max(bw, 2)
		}
		fmt.Fprintf(&b, `<text class="lbl" x="%d" y="%d" text-anchor="end">%s %d</text>`, labelW-8, y+13, esc(label), i)
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%d" height="%d" rx="2"><title>%s</title></rect>`, labelW, y+2, bw, rowH-5,
			esc(fmt.Sprintf("%s %d: %d %s", label, i, n, unit)))
		fmt.Fprintf(&b, `<text class="num" x="%d" y="%d">%s</text>`, labelW+bw+6, y+13, esc(num(n)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// degreeBins groups degrees into 0, 1, 2–3, 4–7, ... (powers of two).
func degreeBins(degrees []int) (labels []string, counts []int) {
	peak := 0
	for _, d := range degrees {
		peak = max(peak, d)
	}
	labels = []string{"0", "1"}
	for lo := 2; lo <= peak; lo *= 2 {
		hi := lo*2 - 1
		labels = append(labels, fmt.Sprintf("%d–%d", lo, hi))
	}
	counts = make([]int, len(labels))
	for _, d := range degrees {
		switch {
		case d <= 0:
			counts[0]++
		case d == 1:
			counts[1]++
		default:
			counts[1+int(math.Floor(math.Log2(float64(d))))]++
		}
	}
	return labels, counts
}

// histogram draws vertical bars with a label under each and the count
// above; the height is on a square-root scale so small bins stay visible.
func histogram(labels []string, counts []int, title string) template.HTML {
	if len(counts) == 0 {
		return ""
	}
	peak := 1
	for _, n := range counts {
		peak = max(peak, n)
	}
	const colW, plotH, top, bottom = 52, 150, 20, 34
	w := colW*len(counts) + 8
	h := top + plotH + bottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" role="img" aria-label="%s"><title>%s</title>`, w, h, w, esc(title), esc(title))
	fmt.Fprintf(&b, `<line class="axis" x1="4" y1="%d" x2="%d" y2="%d"/>`, top+plotH, w-4, top+plotH)
	for i, n := range counts {
		x := 4 + i*colW
		bh := int(math.Round(float64(plotH) * math.Sqrt(float64(n)/float64(peak))))
		if n > 0 {
			bh = max(bh, 2)
		}
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%d" height="%d" rx="2"><title>%s</title></rect>`, x+6, top+plotH-bh, colW-12, bh,
			esc(fmt.Sprintf("%s: %d", labels[i], n)))
		fmt.Fprintf(&b, `<text class="num" x="%d" y="%d" text-anchor="middle">%s</text>`, x+colW/2, top+plotH-bh-5, esc(num(n)))
		fmt.Fprintf(&b, `<text class="lbl" x="%d" y="%d" text-anchor="middle">%s</text>`, x+colW/2, top+plotH+16, esc(labels[i]))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// stageSegment is one part of the pipeline bar.
type stageSegment struct {
	Stage string
	Badge badge
	Count int
	Pct   string
}

// stageBar draws the share of each pipeline stage as one stacked bar.
func stageBar(segs []stageSegment) template.HTML {
	total := 0
	for _, s := range segs {
		total += s.Count
	}
	if total == 0 {
		return ""
	}
	const w, h = 720, 28
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart stages" viewBox="0 0 %d %d" width="%d" preserveAspectRatio="none" role="img" aria-label="components per pipeline stage"><title>components per pipeline stage</title>`, w, h, w)
	x := 0.0
	for _, s := range segs {
		if s.Count == 0 {
			continue
		}
		sw := float64(w) * float64(s.Count) / float64(total)
		fmt.Fprintf(&b, `<rect class="seg %s" x="%.1f" y="0" width="%.1f" height="%d"><title>%s</title></rect>`, esc(s.Badge.Class), x, sw, h,
			esc(fmt.Sprintf("%s %s: %d", s.Badge.Icon, s.Badge.Text, s.Count)))
		if sw >= 28 {
			fmt.Fprintf(&b, `<text class="segtxt" x="%.1f" y="19" text-anchor="middle">%s</text>`, x+sw/2, esc(s.Badge.Icon))
		}
		x += sw
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
