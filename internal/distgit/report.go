package distgit

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// HistoryOptions name what BranchHistory reads.
type HistoryOptions struct {
	DistGit string    // dist-git root
	State   string    // state folder ("" for none: history is derived)
	Repo    string    // "rpms/acpid", "modules/nodejs", or a bare name for rpms/
	Branch  string    // branch name
	At      time.Time // zero: the whole history
}

// HistoryReport answers a history question about one branch.
type HistoryReport struct {
	Repo     string      `json:"repo"`
	Branch   string      `json:"branch"`
	Position *Position   `json:"position,omitempty"` // with At
	History  []Commit    `json:"history,omitempty"`  // without At: first-parent, newest first
	Observed []RefUpdate `json:"observed,omitempty"` // without At: the ref log of the branch
}

// BranchHistory reads one repository of a dist-git root (and the ref log
// of the state folder, which it does not change) and answers where a
// branch was at a time, or its whole history.
func BranchHistory(o HistoryOptions) (*HistoryReport, error) {
	name := o.Repo
	if !strings.Contains(name, "/") {
		name = "rpms/" + name
	}
	rep := &HistoryReport{Repo: name, Branch: o.Branch}
	var prev *Repo
	log := &Log{}
	if o.State != "" {
		st, err := OpenState(o.State)
		if err != nil {
			return nil, err
		}
		if prev, err = st.Load(name); err != nil {
			return nil, err
		}
		if log, err = ReadLog(o.State); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(o.DistGit, filepath.FromSlash(name)+".git")
	repo, _, err := newReader(0).readRepo(name, path, prev)
	if err != nil {
		return nil, &RepoError{Repo: name, Path: path, Err: err}
	}
	if !o.At.IsZero() {
		pos, err := log.At(repo, o.Branch, o.At)
		if err != nil {
			return nil, err
		}
		rep.Position = &pos
		return rep, nil
	}
	if rep.History, err = repo.History(o.Branch); err != nil {
		return nil, err
	}
	for _, u := range log.Updates {
		if u.Repo == name && u.Branch == o.Branch {
			rep.Observed = append(rep.Observed, u)
		}
	}
	return rep, nil
}

// String formats a position for people.
func (p *Position) String() string {
	s := fmt.Sprintf("%s %s at %s: %s (%s", p.Repo, p.Branch, p.At.UTC().Format(time.RFC3339), p.Hash, p.Source)
	if p.Source == Observed {
		s += " at " + p.ObservedAt.UTC().Format(time.RFC3339)
	}
	s += ")"
	if p.Commit != nil {
		s += fmt.Sprintf(" %s %q", p.Commit.Time.UTC().Format(time.RFC3339), p.Commit.Subject)
	}
	return s
}
