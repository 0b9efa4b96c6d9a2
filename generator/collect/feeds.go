package collect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// MaxLine caps one line of a JSON Lines feed.
const MaxLine = 1 << 20

// BuildEvent is one line of the builds feed.
type BuildEvent struct {
	ID        int       `json:"id"`
	Kind      string    `json:"kind"` // rpm or module
	NVR       string    `json:"nvr,omitempty"`
	NSVC      string    `json:"nsvc,omitempty"`
	Component string    `json:"component"`
	Branch    string    `json:"branch"`
	Source    string    `json:"source"` // git URL#hash
	State     string    `json:"state"`  // building, complete, failed, canceled
	Started   time.Time `json:"started"`
	Finished  time.Time `json:"finished,omitzero"`
}

// Commit returns the commit hash after '#' in Source, or "".
func (b *BuildEvent) Commit() string {
	if i := strings.LastIndexByte(b.Source, '#'); i >= 0 {
		return b.Source[i+1:]
	}
	return ""
}

// Name is the NVR, or the NSVC of a module build.
func (b *BuildEvent) Name() string {
	if b.Kind == "module" {
		return b.NSVC
	}
	return b.NVR
}

// TestResult is one line of the test results feed.
type TestResult struct {
	Item     string    `json:"item"`
	Type     string    `json:"type"`
	TestCase string    `json:"testcase"`
	Outcome  string    `json:"outcome"`
	Time     time.Time `json:"time"`
}

var buildStates = map[string]bool{"building": true, "complete": true, "failed": true, "canceled": true}

// ReadBuilds reads a builds feed. A missing path ("") gives no builds.
// Later lines with the same build id replace earlier ones (a build's state
// moves on). The result is sorted by start time, then id.
func ReadBuilds(path string) ([]BuildEvent, error) {
	if path == "" {
		return nil, nil
	}
	byID := map[int]int{}
	var out []BuildEvent
	err := readLines(path, func(line int, b []byte) error {
		var ev BuildEvent
		if err := strictUnmarshal(b, &ev); err != nil {
			return err
		}
		switch {
		case ev.Kind != "rpm" && ev.Kind != "module":
			return fmt.Errorf("kind %q: want rpm or module", ev.Kind)
		case ev.Kind == "rpm" && ev.NVR == "":
			return fmt.Errorf("rpm build without nvr")
		case ev.Kind == "module" && ev.NSVC == "":
			return fmt.Errorf("module build without nsvc")
		case ev.Component == "":
			return fmt.Errorf("build without component")
		case !buildStates[ev.State]:
			return fmt.Errorf("state %q: want building, complete, failed or canceled", ev.State)
		case ev.Started.IsZero():
			return fmt.Errorf("build without started time")
		}
		if i, ok := byID[ev.ID]; ok && ev.ID != 0 {
			out[i] = ev
			return nil
		}
		byID[ev.ID] = len(out)
		out = append(out, ev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Started.Equal(out[j].Started) {
			return out[i].Started.Before(out[j].Started)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// ReadResults reads a test results feed ("" gives none).
func ReadResults(path string) ([]TestResult, error) {
	if path == "" {
		return nil, nil
	}
	var out []TestResult
	err := readLines(path, func(line int, b []byte) error {
		var r TestResult
		if err := strictUnmarshal(b, &r); err != nil {
			return err
		}
		if r.Item == "" || r.TestCase == "" || r.Outcome == "" {
			return fmt.Errorf("result needs item, testcase and outcome")
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value on the line")
	}
	return nil
}

// readLines calls fn for every non-blank line; errors name file:line.
func readLines(path string, fn func(line int, b []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return scanLines(f, path, fn)
}

func scanLines(r io.Reader, name string, fn func(line int, b []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := fn(n, b); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, n+1, err)
	}
	return nil
}
