package world

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/distmeta/distmeta/internal/distgit"
)

// RepoHashes are the commit hashes of one written repository: one per
// push (by index into Component.Pushes; branch cuts have the hash of the
// commit they point at).
type RepoHashes []distgit.Hash

// componentPush turns a component's pushes into the commits and final refs
// of its dist-git repository.
func (w *World) componentPush(c *Component) (distgit.Push, []string) {
	refs := map[string]string{}
	labels := make([]string, len(c.Pushes))
	var commits []distgit.CommitSpec
	lines := map[string][]Push{} // pushes per branch, for changelogs
	for i, p := range c.Pushes {
		if p.IsBranchCut() {
			labels[i] = refs["rawhide"]
			refs[p.Branch] = refs["rawhide"]
			lines[p.Branch] = append([]Push(nil), lines["rawhide"]...)
			continue
		}
		label := "p" + strconv.Itoa(i)
		labels[i] = label
		var parents []string
		if parent := refs[p.Branch]; parent != "" {
			parents = append(parents, parent)
		}
		if p.Merge && refs["rawhide"] != "" && refs["rawhide"] != refs[p.Branch] {
			parents = append(parents, refs["rawhide"])
		}
		files := map[string][]byte{}
		if p.Branch == "rawhide" && p.Version == "" {
			files["dead.package"] = []byte("Orphaned for 6+ weeks\n")
		} else {
			line := append(lines[p.Branch], p)
			files[c.Name+".spec"] = w.Spec(c, p, line[max(0, len(line)-5):])
			files["sources"] = Sources(c, p.Version)
			files[".gitignore"] = []byte("/" + c.Name + "-*.tar.gz\n/results_*\n")
		}
		who := packager(c.Name)
		sig := distgit.Signature{Name: who[:len(who)-len(emailOf(who))-3], Email: emailOf(who), When: commitTime(p)}
		commits = append(commits, distgit.CommitSpec{ID: label, Parents: parents, Author: sig, Message: p.Message, Files: files})
		if !p.Rewritten {
			line := append(lines[p.Branch], p)
			lines[p.Branch] = line
			for _, ff := range p.FF {
				lines[ff] = append([]Push(nil), line...)
			}
			refs[p.Branch] = label
			for _, ff := range p.FF {
				refs[ff] = label
			}
		}
	}
	return distgit.Push{Commits: commits, Refs: refs, Head: "rawhide"}, labels
}

func emailOf(who string) string {
	i := len(who) - 1
	for i >= 0 && who[i] != '<' {
		i--
	}
	return who[i+1 : len(who)-1]
}

// writeComponentRepo writes rpms/<name>.git and returns the hash of every
// push.
func (w *World) writeComponentRepo(root string, c *Component) (RepoHashes, error) {
	push, labels := w.componentPush(c)
	ids, err := distgit.WriteRepo(filepath.Join(root, "rpms", c.Name+".git"), push)
	if err != nil {
		return nil, fmt.Errorf("world: component %s: %w", c.Name, err)
	}
	out := make(RepoHashes, len(labels))
	for i, l := range labels {
		out[i] = ids[l]
	}
	return out, nil
}
