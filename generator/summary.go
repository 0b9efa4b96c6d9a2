package generator

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/distmeta/distmeta/generator/answer"
	"github.com/distmeta/distmeta/generator/pages"
	"github.com/distmeta/distmeta/generator/resolve"
)

// Summary says what a Build did.
type Summary struct {
	DryRun bool
	Stages []StageSummary

	ComposesRead     int      // summaries read from compose metadata
	ComposesCached   int      // summaries taken from the state
	ComposesResolved int      // composes whose repodata was read and resolved (0 or 1)
	ComposesSkipped  []string // "name: reason"
	Resolve          resolve.Stats

	ReposRead      int // repositories opened
	ReposUnchanged int // repositories whose refs did not move
	RepoErrors     int

	Answers  map[string]int // per kind
	Rendered int
	Reused   int
	Changes  *answer.Changes

	Serial         uint64
	ObjectsWritten int
	ObjectsKept    int
	BytesWritten   int64
	GCRemoved      int

	Duration time.Duration
}

// StageSummary is one stage of the run.
type StageSummary struct {
	Name     string
	Items    int
	Note     string
	Duration time.Duration
}

// Print writes the summary for people.
func (s *Summary) Print(w io.Writer) error {
	var b strings.Builder
	for _, st := range s.Stages {
		fmt.Fprintf(&b, "%-9s %8d  %8s  %s\n", st.Name, st.Items, st.Duration.Round(time.Millisecond), st.Note)
	}
	fmt.Fprintf(&b, "composes: %d read, %d cached, %d resolved, %d skipped\n", s.ComposesRead, s.ComposesCached, s.ComposesResolved, len(s.ComposesSkipped))
	fmt.Fprintf(&b, "repos: %d re-read, %d unchanged, %d unreadable\n", s.ReposRead, s.ReposUnchanged, s.RepoErrors)
	var kinds []string
	for _, k := range sortedKinds(s.Answers) {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, s.Answers[k]))
	}
	fmt.Fprintf(&b, "answers: %s\n", strings.Join(kinds, ", "))
	fmt.Fprintf(&b, "rendered: %d, reused: %d\n", s.Rendered, s.Reused)
	if ch := s.Changes; ch != nil {
		fmt.Fprintf(&b, "changes: %d added, %d changed, %d removed\n", sum(ch.Added), sum(ch.Changed), sum(ch.Removed))
	}
	if s.DryRun {
		fmt.Fprintf(&b, "dry run: nothing published\n")
		if ch := s.Changes; ch != nil {
			for _, k := range ch.Keys {
				fmt.Fprintf(&b, "  %s\n", k)
			}
		}
	} else {
		fmt.Fprintf(&b, "published: serial %d, objects %d written, %d reused, %s written\n", s.Serial, s.ObjectsWritten, s.ObjectsKept, pages.HumanSize(s.BytesWritten))
	}
	fmt.Fprintf(&b, "time: %s\n", s.Duration.Round(time.Millisecond))
	_, err := io.WriteString(w, b.String())
	return err
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// progress draws one status line per stage on a terminal.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	stage string
	t0    time.Time
	count int
	sub   string
	done  chan struct{}
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if w != nil {
		p.done = make(chan struct{})
		go p.tick()
	}
	return p
}

func (p *progress) tick() {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

func (p *progress) draw() {
	if p.stage == "" {
		return
	}
	el := time.Since(p.t0)
	rate := float64(p.count) / max(el.Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r\x1b[K%-9s %s %d (%.0f/s) %s", p.stage, p.sub, p.count, rate, el.Round(100*time.Millisecond))
}

func (p *progress) begin(stage string) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	p.stage, p.t0, p.count, p.sub = stage, time.Now(), 0, ""
	p.mu.Unlock()
}

// add adds n items done in a sub-stage.
func (p *progress) add(sub string, n int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	if sub != p.sub {
		p.sub, p.count = sub, 0
	}
	p.count += n
	p.mu.Unlock()
}

func (p *progress) end(stage string, st StageSummary) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	fmt.Fprintf(p.w, "\r\x1b[K%-9s %8d  %8s  %s\n", stage, st.Items, st.Duration.Round(time.Millisecond), st.Note)
	p.stage = ""
	p.mu.Unlock()
}

func (p *progress) close() {
	if p.done != nil {
		close(p.done)
		p.done = nil
	}
}
