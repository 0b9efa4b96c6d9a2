package distgit

import (
	"bufio"
	"bytes"
	"encoding/hex"
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
	// stateIndexFile is the refs index: for each repository its HEAD,
	// branch tips, the stamp of its ref files and where its record lies
	// in the content file. Small, read whole by every walk.
	stateIndexFile = "distgit-refs.idx"
	// Content files hold one record per repository (what the last walk
	// read: spec contents, files, commits), appended as repositories
	// change. The name carries a digest of the content when it was last
	// compacted; the index names the one it belongs to.
	stateContentPrefix = "distgit-content-"
	stateContentSuffix = ".bin"
	stateLogFile       = "distgit-reflog.jsonl" // append-only ref log
	// stateLegacyFile is the version 2 state (one gob of every
	// repository), read once to migrate.
	stateLegacyFile = "distgit-repos.gob"
	stateVersion    = 2
	stateIndexMagic = "distmeta distgit refs index 3\n"
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
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &Log{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ref log %s: %w", p, err)
	}
	l, err := parseLog(data)
	if err != nil {
		return nil, fmt.Errorf("ref log %s: %w", p, err)
	}
	return l, nil
}

// ParseLog parses a ref log (JSON Lines of RefUpdate).
func ParseLog(r io.Reader) (*Log, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return parseLog(data)
}

func parseLog(data []byte) (*Log, error) {
	// The entries are counted first: one allocation.
	l := &Log{Updates: make([]RefUpdate, 0, bytes.Count(data, []byte("\n"))+1)}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		u, ok := parseLogLine(sc.Bytes())
		if !ok {
			u = RefUpdate{}
			if err := json.Unmarshal(sc.Bytes(), &u); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
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

// parseLogLine decodes a ref log line in the form appendLog writes (no
// spaces, known keys once each, strings without escapes, canonical times
// and hashes) as encoding/json would; ok is false for any other line,
// which is then left to encoding/json.
func parseLogLine(b []byte) (u RefUpdate, ok bool) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return u, false
	}
	b = b[1 : len(b)-1]
	var seen uint
	for len(b) > 0 {
		// "key":
		if b[0] != '"' {
			return u, false
		}
		end := bytes.IndexByte(b[1:], '"')
		if end < 0 || len(b) < end+3 || b[end+2] != ':' {
			return u, false
		}
		key := string(b[1 : end+1])
		b = b[end+3:]
		// The value: a string without escapes, or a bare word.
		var val []byte
		quoted := len(b) > 0 && b[0] == '"'
		if quoted {
			end := bytes.IndexByte(b[1:], '"')
			if end < 0 {
				return u, false
			}
			val, b = b[1:end+1], b[end+2:]
			for _, c := range val {
				if c == '\\' || c < 0x20 || c >= 0x80 {
					return u, false
				}
			}
		} else {
			end := bytes.IndexByte(b, ',')
			if end < 0 {
				end = len(b)
			}
			val, b = b[:end], b[end:]
		}
		if len(b) > 0 {
			if b[0] != ',' || len(b) == 1 {
				return u, false
			}
			b = b[1:]
		}
		var bit uint
		switch key {
		case "t":
			bit = 1
			if !quoted {
				return u, false
			}
			t, err := time.Parse(time.RFC3339Nano, string(val))
			if err != nil || t.Format(time.RFC3339Nano) != string(val) {
				return u, false
			}
			u.Time = t
		case "kind":
			bit = 2
			if !quoted {
				return u, false
			}
			u.Kind = UpdateKind(val)
		case "repo", "branch":
			bit = 4
			if key == "branch" {
				bit = 8
			}
			if !quoted {
				return u, false
			}
			if key == "repo" {
				u.Repo = string(val)
			} else {
				u.Branch = string(val)
			}
		case "old", "new":
			bit = 16
			if key == "new" {
				bit = 32
			}
			if !quoted || len(val) != 0 && !isHexHash(string(val)) {
				return u, false
			}
			var h Hash
			hex.Decode(h[:], val)
			if key == "old" {
				u.Old = h
			} else {
				u.New = h
			}
		case "repos":
			bit = 64
			if quoted || len(val) == 0 || len(val) > 9 || val[0] == '0' && len(val) > 1 {
				return u, false
			}
			n := 0
			for _, c := range val {
				if c < '0' || c > '9' {
					return u, false
				}
				n = n*10 + int(c-'0')
			}
			u.Repos = n
		case "derived":
			bit = 128
			if quoted {
				return u, false
			}
			switch string(val) {
			case "true":
				u.Derived = true
			case "false":
				u.Derived = false
			default:
				return u, false
			}
		default:
			return u, false
		}
		if seen&bit != 0 {
			return u, false
		}
		seen |= bit
	}
	return u, true
}
