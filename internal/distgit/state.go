package distgit

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// State file names inside the state folder.
const (
	stateReposFile = "distgit-repos.gob"    // last walk of every repository (ref tips included)
	stateLogFile   = "distgit-reflog.jsonl" // append-only ref log
	stateVersion   = 2
)

// UpdateKind says what a ref log entry observed.
type UpdateKind string

// Kinds of ref log entries.
const (
	Seen    UpdateKind = "seen"    // first observation of the repository
	Created UpdateKind = "created" // a new branch
	Pushed  UpdateKind = "pushed"  // a fast-forward (the new head descends from the old)
	Forced  UpdateKind = "forced"  // a force-push (it does not)
	Deleted UpdateKind = "deleted" // the branch is gone
	Run     UpdateKind = "run"     // a walk happened (Repo and Branch empty)
)

// RefUpdate is one entry of the ref log, or one push derived from history.
type RefUpdate struct {
	Time    time.Time  `json:"t"`
	Kind    UpdateKind `json:"kind"`
	Repo    string     `json:"repo,omitempty"`
	Branch  string     `json:"branch,omitempty"`
	Old     Hash       `json:"old,omitzero"`
	New     Hash       `json:"new,omitzero"`
	Repos   int        `json:"repos,omitempty"`   // Run: repositories read
	Derived bool       `json:"derived,omitempty"` // from first-parent history, not observed
}

// State is the state folder of incremental walks.
type State struct {
	dir   string
	repos map[string]*Repo
}

type stateHeader struct {
	Version int
	Repos   int
}

// OpenState loads the state folder dir (created when missing).
func OpenState(dir string) (*State, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state %s: %w", dir, err)
	}
	s := &State{dir: dir, repos: map[string]*Repo{}}
	p := filepath.Join(dir, stateReposFile)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", p, err)
	}
	defer f.Close()
	// A header, then one message per repository: small messages decode
	// without growing one huge buffer.
	dec := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	var hdr stateHeader
	if err := dec.Decode(&hdr); err != nil {
		return nil, fmt.Errorf("state %s: %w", p, err)
	}
	if hdr.Version != stateVersion {
		return nil, fmt.Errorf("state %s: version %d, want %d", p, hdr.Version, stateVersion)
	}
	repos := make([]Repo, hdr.Repos)
	for i := range repos {
		if err := dec.Decode(&repos[i]); err != nil {
			return nil, fmt.Errorf("state %s: repository %d: %w", p, i, err)
		}
		s.repos[repos[i].Name] = &repos[i]
	}
	return s, nil
}

// Repo returns the last walk of a repository, or nil.
func (s *State) Repo(name string) *Repo { return s.repos[name] }

// record stores a walk's result: the repositories file when something
// moved, and the ref log entries plus a run entry.
func (s *State) record(res *Result, now time.Time, removed bool) error {
	changed := res.Opened > 0 || removed
	for i := range res.Repos {
		s.repos[res.Repos[i].Name] = &res.Repos[i]
	}
	if changed {
		names := make([]string, 0, len(s.repos))
		for n := range s.repos {
			names = append(names, n)
		}
		sort.Strings(names)
		var b bytes.Buffer
		enc := gob.NewEncoder(&b)
		if err := enc.Encode(stateHeader{Version: stateVersion, Repos: len(names)}); err != nil {
			return fmt.Errorf("state %s: %w", s.dir, err)
		}
		for _, n := range names {
			if err := enc.Encode(s.repos[n]); err != nil {
				return fmt.Errorf("state %s: %s: %w", s.dir, n, err)
			}
		}
		if err := writeFileAtomic(filepath.Join(s.dir, stateReposFile), b.Bytes()); err != nil {
			return fmt.Errorf("state %s: %w", s.dir, err)
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, u := range res.Updates {
		if err := enc.Encode(u); err != nil {
			return err
		}
	}
	enc.Encode(RefUpdate{Time: now.UTC(), Kind: Run, Repos: len(res.Repos)})
	p := filepath.Join(s.dir, stateLogFile)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("ref log %s: %w", p, err)
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("ref log %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("ref log %s: %w", p, err)
	}
	return nil
}

// diffRefs returns the ref log entries that take prev to repo.
func diffRefs(prev, repo *Repo, now time.Time, forced map[string]bool) []RefUpdate {
	now = now.UTC()
	var out []RefUpdate
	if prev == nil {
		for _, b := range repo.Branches {
			out = append(out, RefUpdate{Time: now, Kind: Seen, Repo: repo.Name, Branch: b.Name, New: b.Head})
		}
		return out
	}
	for _, b := range repo.Branches {
		old := prev.Branch(b.Name)
		switch {
		case old == nil:
			out = append(out, RefUpdate{Time: now, Kind: Created, Repo: repo.Name, Branch: b.Name, New: b.Head})
		case old.Head != b.Head:
			k := Pushed
			if forced[b.Name] {
				k = Forced
			}
			out = append(out, RefUpdate{Time: now, Kind: k, Repo: repo.Name, Branch: b.Name, Old: old.Head, New: b.Head})
		}
	}
	for _, b := range prev.Branches {
		if repo.Branch(b.Name) == nil {
			out = append(out, RefUpdate{Time: now, Kind: Deleted, Repo: repo.Name, Branch: b.Name, Old: b.Head})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Branch < out[j].Branch })
	return out
}

// ReadLog reads the ref log of a state folder; a missing log is empty.
func ReadLog(stateDir string) (*Log, error) {
	p := filepath.Join(stateDir, stateLogFile)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &Log{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ref log %s: %w", p, err)
	}
	defer f.Close()
	l, err := ParseLog(f)
	if err != nil {
		return nil, fmt.Errorf("ref log %s: %w", p, err)
	}
	return l, nil
}

// ParseLog parses a ref log (JSON Lines of RefUpdate).
func ParseLog(r io.Reader) (*Log, error) {
	l := &Log{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var u RefUpdate
		if err := json.Unmarshal(sc.Bytes(), &u); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if u.Time.IsZero() {
			return nil, fmt.Errorf("line %d: no time", line)
		}
		switch u.Kind {
		case Run:
			l.Runs = append(l.Runs, u.Time)
			continue
		case Seen, Created, Pushed, Forced:
			if u.New.IsZero() {
				return nil, fmt.Errorf("line %d: %s entry without a new hash", line, u.Kind)
			}
		case Deleted:
		default:
			return nil, fmt.Errorf("line %d: unknown kind %q", line, u.Kind)
		}
		if u.Repo == "" || u.Branch == "" {
			return nil, fmt.Errorf("line %d: entry without repo or branch", line)
		}
		l.Updates = append(l.Updates, u)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	sort.SliceStable(l.Updates, func(i, j int) bool { return l.Updates[i].Time.Before(l.Updates[j].Time) })
	sort.Slice(l.Runs, func(i, j int) bool { return l.Runs[i].Before(l.Runs[j]) })
	return l, nil
}
