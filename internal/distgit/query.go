package distgit

import (
	"fmt"
	"sort"
	"time"
)

// Log is the ref log of a state folder: what the walks observed.
type Log struct {
	Runs    []time.Time // walk times, ascending
	Updates []RefUpdate // ref moves, by time
}

// Sources of a Position.
const (
	Observed = "observed" // from the ref log
	Derived  = "derived"  // from the first-parent history (before the first observation)
)

// Position is where a branch pointed at a time.
type Position struct {
	Repo   string    `json:"repo"`
	Branch string    `json:"branch"`
	At     time.Time `json:"at"`
	Hash   Hash      `json:"hash,omitzero"` // zero: the branch did not exist
	Source string    `json:"source"`        // Observed or Derived
	// ObservedAt is the latest walk at or before At that saw this
	// position (Observed only).
	ObservedAt time.Time `json:"observed_at,omitzero"`
	Commit     *Commit   `json:"commit,omitempty"` // the commit, when known
}

func (l *Log) forRepo(repo string) []RefUpdate {
	if l == nil {
		return nil
	}
	var out []RefUpdate
	for _, u := range l.Updates {
		if u.Repo == repo {
			out = append(out, u)
		}
	}
	return out
}

// At answers "which hash was branch of repo at t". From the first
// observation of the repository on, the answer comes from the ref log
// (Observed); before it, from the first-parent chain of the head first
// observed (or of the current head when nothing was observed): the newest
// commit on it whose committer time is not after t, as
// `git rev-list --first-parent -1 --before=t` gives (Derived). A branch
// that did not exist gives an error wrapping ErrNoBranch.
func (l *Log) At(repo *Repo, branch string, t time.Time) (Position, error) {
	pos := Position{Repo: repo.Name, Branch: branch, At: t}
	ups := l.forRepo(repo.Name)
	if len(ups) > 0 && !t.Before(ups[0].Time) {
		pos.Source = Observed
		var last *RefUpdate
		for i := range ups {
			if ups[i].Branch == branch && !ups[i].Time.After(t) {
				last = &ups[i]
			}
		}
		pos.ObservedAt = ups[0].Time
		for _, r := range l.Runs {
			if !r.After(t) {
				pos.ObservedAt = r
			}
		}
		if last == nil || last.Kind == Deleted {
			return pos, fmt.Errorf("%s: %w: %s at %s (observed)", repo.Name, ErrNoBranch, branch, t.Format(time.RFC3339))
		}
		pos.Hash = last.New
		if c, ok := repo.Commit(pos.Hash); ok {
			pos.Commit = &c
		}
		return pos, nil
	}
	pos.Source = Derived
	var head Hash
	if len(ups) > 0 {
		for _, u := range ups {
			if u.Branch == branch {
				if u.Kind == Seen {
					head = u.New
				}
				break
			}
		}
	} else if b := repo.Branch(branch); b != nil {
		head = b.Head
	}
	if head.IsZero() {
		return pos, fmt.Errorf("%s: %w: %s at %s (derived)", repo.Name, ErrNoBranch, branch, t.Format(time.RFC3339))
	}
	for _, c := range repo.Chain(head) {
		if !c.Time.After(t) {
			pos.Hash = c.Hash
			pos.Commit = &c
			return pos, nil
		}
	}
	return pos, fmt.Errorf("%s: %w: %s has no commit at or before %s (derived)", repo.Name, ErrNoBranch, branch, t.Format(time.RFC3339))
}

// Pushes returns the ref moves with from < time <= to: observed ones from
// the log, and, for the repositories given whose first observation is
// later than from (or that were never observed), one derived push per
// first-parent commit with a committer time in range and before that
// observation. A commit shared by two branches is derived for both.
func (l *Log) Pushes(repos []Repo, from, to time.Time) []RefUpdate {
	var out []RefUpdate
	first := map[string]time.Time{}
	heads := map[[2]string]Hash{}
	if l != nil {
		for _, u := range l.Updates {
			if _, ok := first[u.Repo]; !ok {
				first[u.Repo] = u.Time
			}
			if u.Kind == Seen {
				heads[[2]string{u.Repo, u.Branch}] = u.New
			}
			if u.Kind != Seen && u.Time.After(from) && !u.Time.After(to) {
				out = append(out, u)
			}
		}
	}
	for i := range repos {
		r := &repos[i]
		limit := to
		obs, observed := first[r.Name]
		if observed {
			if !obs.After(from) {
				continue
			}
			if obs.Before(limit) {
				limit = obs
			}
		}
		for _, b := range r.Branches {
			head := b.Head
			if observed {
				if head = heads[[2]string{r.Name, b.Name}]; head.IsZero() {
					continue
				}
			}
			for _, c := range r.Chain(head) {
				if c.Time.After(from) && !c.Time.After(limit) {
					out = append(out, RefUpdate{Time: c.Time.UTC(), Kind: Pushed, Repo: r.Name, Branch: b.Name, Old: c.Parent, New: c.Hash, Derived: true})
				}
			}
		}
	}
	sortUpdates(out)
	return out
}

// Events returns the branches created, deleted or force-pushed with
// from < time <= to, as observed.
func (l *Log) Events(from, to time.Time) []RefUpdate {
	var out []RefUpdate
	if l == nil {
		return nil
	}
	for _, u := range l.Updates {
		if (u.Kind == Created || u.Kind == Deleted || u.Kind == Forced) && u.Time.After(from) && !u.Time.After(to) {
			out = append(out, u)
		}
	}
	sortUpdates(out)
	return out
}

func sortUpdates(us []RefUpdate) {
	sort.SliceStable(us, func(i, j int) bool {
		a, b := us[i], us[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		if a.Repo != b.Repo {
			return a.Repo < b.Repo
		}
		return a.Branch < b.Branch
	})
}
