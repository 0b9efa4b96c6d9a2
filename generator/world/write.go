package world

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"
)

// WriteOptions tune Write.
type WriteOptions struct {
	// Jobs bounds the concurrency (0: GOMAXPROCS).
	Jobs int
}

// Write lays the world out under dir, which must not exist or be empty:
// distgit/ (rpms/, modules/), composes/, builds.jsonl, results.jsonl,
// variants.yaml, comps.xml.in, mirrors.txt and distmeta.yaml. The same
// world always gives the same bytes.
func (w *World) Write(ctx context.Context, dir string, opts WriteOptions) error {
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("world: %s: not empty", dir)
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	for _, d := range []string{"distgit/rpms", "distgit/modules", "composes"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return fmt.Errorf("world: %w", err)
		}
	}
	hashes := make([]RepoHashes, len(w.Components))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for i, c := range w.Components {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			h, err := w.writeComponentRepo(filepath.Join(dir, "distgit"), c)
			hashes[i] = h
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	w.hashes = hashes
	if err := w.resolveModuleRefs(); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func(string) error
	}{
		{"modules", w.writeModuleRepos},
		{"composes", func(d string) error { return w.writeComposes(ctx, d, jobs) }},
		{"builds.jsonl", w.writeBuilds},
		{"results.jsonl", w.writeResults},
		{"variants", w.writeVariants},
		{"mirrors.txt", w.writeMirrors},
		{"distmeta.yaml", w.writeConfig},
	}
	for _, s := range steps {
		if err := s.fn(dir); err != nil {
			return fmt.Errorf("world: %s: %w", s.name, err)
		}
	}
	return nil
}

// resolveModuleRefs records, for every module component, the commit it
// was built from: the head of its branch when the module was built.
func (w *World) resolveModuleRefs() error {
	idx := map[*Component]int{}
	for i, c := range w.Components {
		idx[c] = i
	}
	for _, m := range w.Modules {
		for k := range m.Components {
			mc := &m.Components[k]
			c := w.byName[mc.Name]
			i, ok := c.headIndexAt(mc.Branch, m.Built)
			if !ok {
				return fmt.Errorf("world: module %s: component %s has no branch %s", m.NSVC(), mc.Name, mc.Branch)
			}
			mc.Built = w.hashes[idx[c]][i].String()
		}
	}
	return nil
}

// sourceURL is the dist-git URL of a repository, as builds name it.
func sourceURL(ns, name string) string {
	return "git+https://src.example.org/" + ns + "/" + name + ".git"
}

// BuildEvent is one line of builds.jsonl.
type BuildEvent struct {
	ID        int       `json:"id"`
	Kind      string    `json:"kind"` // rpm or module
	NVR       string    `json:"nvr,omitempty"`
	NSVC      string    `json:"nsvc,omitempty"`
	Component string    `json:"component"`
	Branch    string    `json:"branch"`
	Source    string    `json:"source"`
	State     string    `json:"state"`
	Started   time.Time `json:"started"`
	Finished  time.Time `json:"finished,omitzero"`
}

// Builds returns the builds feed: one event per build of a push (and per
// module build), ordered by start time.
func (w *World) Builds() []BuildEvent {
	var out []BuildEvent
	for ci, c := range w.Components {
		for i, p := range c.Pushes {
			if p.IsBranchCut() || p.Build == BuildNone || p.Version == "" {
				continue
			}
			var src string
			if w.hashes != nil {
				src = sourceURL("rpms", c.Name) + "#" + w.hashes[ci][i].String()
			}
			// Koji builds the commit once per branch that carries it.
			for _, br := range append([]string{p.Branch}, p.FF...) {
				ev := BuildEvent{Kind: "rpm", Component: c.Name, Branch: br, Source: src, State: string(p.Build),
					NVR:     fmt.Sprintf("%s-%s-%d%s", c.Name, p.Version, p.Release, p.distFor(br)),
					Started: p.Time.Add(3 * time.Minute).Truncate(time.Second)}
				if p.Build != BuildBuilding {
					ev.Finished = ev.Started.Add(time.Duration(10+len(c.Name)%50) * time.Minute)
				}
				out = append(out, ev)
			}
		}
	}
	for _, m := range w.Modules {
		src := ""
		if m.hash != "" {
			src = sourceURL("modules", m.Name) + "#" + m.hash
		}
		out = append(out, BuildEvent{Kind: "module", NSVC: m.NSVC(), Component: m.Name, Branch: m.Stream, Source: src, State: "complete",
			Started: m.Built.Add(-2 * time.Hour).Truncate(time.Second), Finished: m.Built.Truncate(time.Second)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Started.Equal(out[j].Started) {
			return out[i].Started.Before(out[j].Started)
		}
		return out[i].NVR+out[i].NSVC < out[j].NVR+out[j].NSVC
	})
	for i := range out {
		out[i].ID = 2000000 + i
	}
	return out
}

// NSVC is name:stream:version:context of the module build.
func (m *ModuleStream) NSVC() string {
	return m.Name + ":" + m.Stream + ":" + m.Version + ":" + m.Context
}

func writeJSONLines[T any](path string, items []T) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func (w *World) writeBuilds(dir string) error {
	return writeJSONLines(filepath.Join(dir, "builds.jsonl"), w.Builds())
}

// TestResult is one line of results.jsonl (ResultsDB-like).
type TestResult struct {
	Item     string    `json:"item"`
	Type     string    `json:"type"`
	TestCase string    `json:"testcase"`
	Outcome  string    `json:"outcome"`
	Time     time.Time `json:"time"`
}

var testCases = []string{"dist.rpmdeplint", "dist.abicheck", "dist.rpminspect", "fedora-ci.koji-build.tier0.functional"}

// Results returns the test results of every finished build.
func (w *World) Results() []TestResult {
	var out []TestResult
	for _, b := range w.Builds() {
		if b.Kind != "rpm" || b.State != "complete" {
			continue
		}
		h := 0
		for i := 0; i < len(b.NVR); i++ {
			h = h*33 + int(b.NVR[i])
		}
		if h < 0 {
			h = -h
		}
		for k, tc := range testCases {
			outcome := "PASSED"
			switch (h >> (k * 3)) % 23 {
			case 0:
				outcome = "FAILED"
			case 1:
				outcome = "NEEDS_INSPECTION"
			case 2:
				outcome = "INFO"
			}
			out = append(out, TestResult{Item: b.NVR, Type: "koji_build", TestCase: tc, Outcome: outcome,
				Time: b.Finished.Add(time.Duration(5+k*7) * time.Minute)})
		}
	}
	return out
}

func (w *World) writeResults(dir string) error {
	return writeJSONLines(filepath.Join(dir, "results.jsonl"), w.Results())
}

func (w *World) writeMirrors(dir string) error {
	const text = `# Mirrors whose published index distmeta reads to tell which serial
# (and so which compose) each one carries. Relative paths are folders next
# to this file; the demo fills them with scripts/mirror-sync.sh.
mirrors/primary
mirrors/eu-west
mirrors/lagging
`
	return os.WriteFile(filepath.Join(dir, "mirrors.txt"), []byte(text), 0o644)
}

func (w *World) writeConfig(dir string) error {
	text := fmt.Sprintf(`# distmeta build configuration for a generated world (scale %s, seed %d).
# Relative paths are resolved against this file's folder.
distgit: distgit
composes: composes
builds: builds.jsonl
results: results.jsonl
variants: variants.yaml
mirrors: mirrors.txt
state: state
out: site
key: keys/signer.key
origin: %s.world.example.org
expires: 168h
keep: 5
`, w.Scale.Name, w.Seed, w.Scale.Name)
	return os.WriteFile(filepath.Join(dir, "distmeta.yaml"), []byte(text), 0o644)
}
