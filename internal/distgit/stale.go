package distgit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/distmeta/distmeta/metadata/modulemd"
)

// Build is one build made from a dist-git commit: an rpm build, or one
// component of a module build.
type Build struct {
	ID     string    `json:"id"`               // NVR, or the module's NSVC(A)
	Kind   string    `json:"kind"`             // "rpm" or "module"
	Repo   string    `json:"repo"`             // "rpms/acpid"
	Branch string    `json:"branch,omitempty"` // when the build says which
	Commit Hash      `json:"commit"`
	Time   time.Time `json:"time,omitzero"`
}

// StaleBuild is a build made from a commit that is no longer the head of
// its branch: a rebuild candidate.
type StaleBuild struct {
	Build
	Branch string   `json:"on_branch,omitempty"` // the branch it was matched to
	Head   Hash     `json:"branch_head,omitzero"`
	After  []Commit `json:"after,omitempty"` // commits after it on the branch, newest first
	Reason string   `json:"reason"`
}

// Reasons of a StaleBuild.
const (
	Behind      = "behind"            // the commit is on the branch's first-parent chain, below the head
	OffBranch   = "not on any branch" // no branch reaches it on its first-parent chain (force-pushed away)
	UnknownRepo = "unknown repository"
)

// FindStale returns the builds whose commit is not the head of their
// branch, sorted by repository, build and commit. A build that names its
// branch is checked against it; otherwise against the branch whose
// first-parent chain holds the commit closest to the head (and a build at
// the head of any branch is current).
func FindStale(repos []Repo, builds []Build) []StaleBuild {
	byName := make(map[string]*Repo, len(repos))
	for i := range repos {
		byName[repos[i].Name] = &repos[i]
	}
	var out []StaleBuild
	for _, b := range builds {
		r := byName[b.Repo]
		if r == nil {
			out = append(out, StaleBuild{Build: b, Reason: UnknownRepo})
			continue
		}
		branches := r.Branches
		if b.Branch != "" {
			br := r.Branch(b.Branch)
			if br == nil {
				out = append(out, StaleBuild{Build: b, Reason: OffBranch})
				continue
			}
			branches = []Branch{*br}
		}
		var best *StaleBuild
		current := false
		for _, br := range branches {
			if br.Head == b.Commit {
				current = true
				break
			}
			chain := r.Chain(br.Head)
			for i, c := range chain {
				if c.Hash == b.Commit {
					if best == nil || i < len(best.After) {
						best = &StaleBuild{Build: b, Branch: br.Name, Head: br.Head, After: chain[:i], Reason: Behind}
					}
					break
				}
			}
		}
		switch {
		case current:
		case best != nil:
			out = append(out, *best)
		default:
			out = append(out, StaleBuild{Build: b, Reason: OffBranch})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Repo != b.Repo {
			return a.Repo < b.Repo
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Commit.String() < b.Commit.String()
	})
	return out
}

// feedRecord is one line of a builds feed.
type feedRecord struct {
	Kind   string    `json:"kind"`
	NVR    string    `json:"nvr"`
	NSVC   string    `json:"nsvc"`
	Source string    `json:"source"`
	State  string    `json:"state"`
	Time   time.Time `json:"time"`
}

// ParseBuildsFeed reads a builds feed (JSON Lines: kind rpm|module, nvr or
// nsvc, source "git+https://host/rpms/NAME.git#HASH", state, time) and
// returns the builds whose latest state is complete.
func ParseBuildsFeed(r io.Reader) ([]Build, error) {
	type key struct{ kind, id string }
	latest := map[key]Build{}
	state := map[key]string{}
	var order []key
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var rec feedRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		id := rec.NVR
		switch rec.Kind {
		case "rpm":
		case "module":
			id = rec.NSVC
		default:
			return nil, fmt.Errorf("line %d: kind %q, want rpm or module", line, rec.Kind)
		}
		if id == "" {
			return nil, fmt.Errorf("line %d: %s build without nvr/nsvc", line, rec.Kind)
		}
		switch rec.State {
		case "building", "complete", "failed", "canceled":
		default:
			return nil, fmt.Errorf("line %d: state %q", line, rec.State)
		}
		repo, h, err := ParseSource(rec.Source)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		k := key{rec.Kind, id}
		if _, ok := latest[k]; !ok {
			order = append(order, k)
		}
		latest[k] = Build{ID: id, Kind: rec.Kind, Repo: repo, Commit: h, Time: rec.Time}
		state[k] = rec.State
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	var out []Build
	for _, k := range order {
		if state[k] == "complete" {
			out = append(out, latest[k])
		}
	}
	return out, nil
}

// ParseSource splits a build source "git+https://host/rpms/NAME.git#HASH"
// (or "…/rpms/NAME#HASH", "…?#HASH") into the repository ("rpms/NAME") and
// the commit.
func ParseSource(src string) (string, Hash, error) {
	u, frag, ok := strings.Cut(src, "#")
	if !ok {
		return "", Hash{}, fmt.Errorf("source %q: no #commit", src)
	}
	h, err := ParseHash(frag)
	if err != nil {
		return "", Hash{}, fmt.Errorf("source %q: %w", src, err)
	}
	u, _, _ = strings.Cut(u, "?")
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	name := path.Base(u)
	ns := path.Base(path.Dir(u))
	if name == "" || name == "." || name == "/" || (ns != "rpms" && ns != "modules") {
		return "", Hash{}, fmt.Errorf("source %q: want …/rpms/NAME.git or …/modules/NAME.git", src)
	}
	return ns + "/" + name, h, nil
}

// ComposeBuilds returns the module builds recorded in the complete
// composes under root (a compose folder counts when its STATUS says
// FINISHED or FINISHED_INCOMPLETE): one Build per rpm component of each
// module stream in a variant's repodata modules.yaml whose built ref is a
// commit hash. Skipped composes are returned as notes.
func ComposeBuilds(root string) ([]Build, []string, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, nil, fmt.Errorf("composes %s: %w", root, err)
	}
	seen := map[string]bool{}
	var out []Build
	var notes []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		st, err := os.ReadFile(filepath.Join(dir, "STATUS"))
		status := strings.TrimSpace(string(st))
		if err != nil || (status != "FINISHED" && status != "FINISHED_INCOMPLETE") {
			if status == "" {
				status = "no STATUS"
			}
			notes = append(notes, fmt.Sprintf("compose %s skipped: %s", e.Name(), status))
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "compose", "*", "*", "os", "repodata", "*modules.yaml*"))
		sort.Strings(files)
		for _, f := range files {
			idx, err := modulemd.ReadFile(f)
			if err != nil {
				return nil, notes, fmt.Errorf("compose %s: %w", e.Name(), err)
			}
			for _, s := range idx.Streams() {
				id := s.NSVCA()
				refs := s.BuiltRefs()
				names := make([]string, 0, len(refs))
				for n := range refs {
					names = append(names, n)
				}
				sort.Strings(names)
				for _, n := range names {
					h, err := ParseHash(refs[n])
					if err != nil || seen[id+"\x00"+n] {
						continue // a branch name, not a built commit
					}
					seen[id+"\x00"+n] = true
					out = append(out, Build{ID: id, Kind: "module", Repo: "rpms/" + n, Commit: h})
				}
			}
		}
	}
	return out, notes, nil
}

// StaleOptions name the inputs of Stale.
type StaleOptions struct {
	DistGit  string // dist-git root
	Composes string // composes root ("" for none)
	Builds   string // builds feed file ("" for none)
	Walk     Options
}

// StaleReport is what Stale found.
type StaleReport struct {
	Stale  []StaleBuild `json:"stale"`
	Builds int          `json:"builds_checked"`
	Errors []string     `json:"errors,omitempty"` // unreadable repositories
	Notes  []string     `json:"notes,omitempty"`  // skipped composes
}

// Stale walks a dist-git root, gathers builds from the composes' module
// metadata and from a builds feed, and reports the stale ones.
func Stale(ctx context.Context, o StaleOptions) (*StaleReport, error) {
	var builds []Build
	rep := &StaleReport{}
	if o.Composes != "" {
		bs, notes, err := ComposeBuilds(o.Composes)
		if err != nil {
			return nil, err
		}
		builds = append(builds, bs...)
		rep.Notes = notes
	}
	if o.Builds != "" {
		f, err := os.Open(o.Builds)
		if err != nil {
			return nil, fmt.Errorf("builds feed: %w", err)
		}
		bs, err := ParseBuildsFeed(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("builds feed %s: %w", o.Builds, err)
		}
		builds = append(builds, bs...)
	}
	res, err := Walk(ctx, o.DistGit, o.Walk)
	if err != nil {
		return nil, err
	}
	for _, e := range res.Errors {
		rep.Errors = append(rep.Errors, e.Error())
	}
	rep.Builds = len(builds)
	rep.Stale = FindStale(res.Repos, builds)
	return rep, nil
}
