package distgit

import (
	"bytes"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"golang.org/x/sync/errgroup"
)

// Namespaces are the top-level folders of a dist-git root that Walk reads,
// with the file each repository's branches are expected to hold.
var Namespaces = []string{"modules", "rpms"}

// MaxFileSize caps the spec or module YAML read from a branch head.
const MaxFileSize = 16 << 20

// Repo is what a walk read from one repository.
type Repo struct {
	Name     string   `json:"name"`           // "rpms/acpid", "modules/nodejs"
	Head     string   `json:"head,omitempty"` // the branch HEAD points at
	Branches []Branch `json:"branches"`       // sorted by name
	// Commits holds every commit on the first-parent chain of a branch
	// head seen now or by an earlier walk, each once, sorted by hash.
	// History and Chain follow it.
	Commits []Commit `json:"commits"`
}

// Branch is one branch of a repository at its head.
type Branch struct {
	Name string `json:"name"`
	Head Hash   `json:"head"`
	// File is the spec (<name>.spec) or module YAML (<name>.yaml) found
	// at the head, "" when the head has none (a retired package).
	File    string   `json:"file,omitempty"`
	Content []byte   `json:"content,omitempty"`
	Files   []string `json:"files"` // top-level entries; folders end with "/"
}

// Commit is one commit of a first-parent history.
type Commit struct {
	Hash    Hash      `json:"hash"`
	Parent  Hash      `json:"parent,omitzero"` // first parent; zero for a root commit
	Time    time.Time `json:"time"`            // committer time
	Subject string    `json:"subject"`
}

// Namespace returns "rpms" or "modules"; Component the name after it.
func (r *Repo) Namespace() string { ns, _, _ := strings.Cut(r.Name, "/"); return ns }

// Component returns the package or module name.
func (r *Repo) Component() string { _, c, _ := strings.Cut(r.Name, "/"); return c }

// Branch returns the named branch, or nil.
func (r *Repo) Branch(name string) *Branch {
	i := sort.Search(len(r.Branches), func(i int) bool { return r.Branches[i].Name >= name })
	if i < len(r.Branches) && r.Branches[i].Name == name {
		return &r.Branches[i]
	}
	return nil
}

// Commit returns the commit with hash h if it is on a first-parent chain.
func (r *Repo) Commit(h Hash) (Commit, bool) {
	i := sort.Search(len(r.Commits), func(i int) bool { return bytes.Compare(r.Commits[i].Hash[:], h[:]) >= 0 })
	if i < len(r.Commits) && r.Commits[i].Hash == h {
		return r.Commits[i], true
	}
	return Commit{}, false
}

// History returns the first-parent history of a branch, newest first.
func (r *Repo) History(branch string) ([]Commit, error) {
	b := r.Branch(branch)
	if b == nil {
		return nil, fmt.Errorf("%s: %w: %s", r.Name, ErrNoBranch, branch)
	}
	return r.Chain(b.Head), nil
}

// Chain returns the first-parent chain from h, newest first, as far as
// Commits knows it.
func (r *Repo) Chain(h Hash) []Commit {
	var out []Commit
	for !h.IsZero() {
		c, ok := r.Commit(h)
		if !ok {
			break
		}
		out = append(out, c)
		h = c.Parent
	}
	return out
}

// ErrNoBranch is returned for a branch a repository does not have.
var ErrNoBranch = errors.New("no such branch")

// RepoError is a repository the walk could not read; the walk skips it.
type RepoError struct {
	Repo string // "rpms/acpid"
	Path string // the bare repository's folder
	Err  error
}

func (e *RepoError) Error() string { return fmt.Sprintf("%s (%s): %v", e.Repo, e.Path, e.Err) }
func (e *RepoError) Unwrap() error { return e.Err }

// ErrEmptyRepo is the error of a repository without any branch.
var ErrEmptyRepo = errors.New("empty repository: no branches")

// Options tune a walk.
type Options struct {
	// Workers bounds the repositories read at once; 0 means GOMAXPROCS.
	Workers int
	// State is the state folder. When set, repositories whose refs did
	// not move since the last walk are not opened, and the ref positions
	// observed are appended to the ref log at Now.
	State string
	// Now is the observation time recorded in the ref log (required with
	// State).
	Now time.Time
	// CacheBytes sizes the one object cache shared by all repositories;
	// 0 means 32 MiB.
	CacheBytes int64
}

// Result is what a walk found.
type Result struct {
	Repos     []Repo       // readable repositories, sorted by name
	Errors    []*RepoError // unreadable ones, sorted by name
	Updates   []RefUpdate  // ref moves observed (and logged) by this walk
	Opened    int          // repositories opened with go-git
	Unchanged int          // repositories served from the state folder
	// RefsRead counts the repositories whose ref files were read; with a
	// state folder, the others matched the stamp of the last walk.
	RefsRead int
}

type repoDir struct{ name, path string }

// listRepos returns the bare repositories under a dist-git root, sorted
// by name ("rpms/acpid").
func listRepos(root string) ([]repoDir, error) {
	var out []repoDir
	for _, ns := range Namespaces {
		ents, err := os.ReadDir(filepath.Join(root, ns))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("dist-git root %s: %w", root, err)
		}
		for _, e := range ents {
			n, ok := strings.CutSuffix(e.Name(), ".git")
			if !ok || n == "" || !(e.IsDir() || e.Type()&os.ModeSymlink != 0) {
				continue
			}
			out = append(out, repoDir{ns + "/" + n, filepath.Join(root, ns, e.Name())})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// Walk reads every repository under a dist-git root.
//
// With a state folder, a repository whose ref files (HEAD, packed-refs,
// refs/heads) have the same stamp as at the last walk is served from the
// state without reading them; one whose ref files changed has them read,
// and is opened only when HEAD or a branch tip moved.
func Walk(ctx context.Context, root string, opts Options) (*Result, error) {
	// The clock of the file system, for stamps: not an observation time.
	scanStart := stampClock()
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("dist-git root: %w", err)
	}
	dirs, err := listRepos(root)
	if err != nil {
		return nil, err
	}
	var st *State
	if opts.State != "" {
		if opts.Now.IsZero() {
			return nil, errors.New("walk: a state folder needs an observation time")
		}
		if st, err = OpenState(opts.State); err != nil {
			return nil, err
		}
		// Unchanged repositories are served from their records: most
		// of them on most walks, so the content file is read in one go.
		if err := st.loadContent(); err != nil {
			return nil, err
		}
	}
	w := newReader(opts.CacheBytes)
	n := opts.Workers
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	trustBefore := scanStart.Add(-stampSlack)
	type slot struct {
		repo    *Repo
		err     *RepoError
		opened  bool
		updates []RefUpdate
		// entry is what the state keeps for the repository (nil: none);
		// restamped when it differs from the last walk's only by its stamp.
		entry     *stateEntry
		restamped bool
		refsRead  bool
	}
	slots := make([]slot, len(dirs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(n)
	for i, d := range dirs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			s := &slots[i]
			s.refsRead = true
			if st == nil {
				repo, _, err := w.readRepo(d.name, d.path, nil)
				if err != nil {
					s.err = &RepoError{Repo: d.name, Path: d.path, Err: err}
					return nil
				}
				s.repo, s.opened = repo, true
				return nil
			}
			e := st.entries[d.name]
			s.entry = e
			if e != nil && e.Trusted && e.Stamp.matches(d.path) {
				repo, err := st.load(e)
				if err != nil {
					return err
				}
				s.repo, s.refsRead = repo, false
				return nil
			}
			var stamp refStamp
			head, branches, err := branchRefs(d.path, &stamp)
			if err != nil {
				s.err = &RepoError{Repo: d.name, Path: d.path, Err: err}
				return nil
			}
			trusted := stamp.trusted(trustBefore)
			var prev *Repo
			if e != nil {
				if prev, err = st.load(e); err != nil {
					return err
				}
				if e.sameRefs(head, branches) {
					s.repo = prev
					if e.Trusted != trusted || !slices.Equal(e.Stamp, stamp) {
						c := *e
						c.Stamp, c.Trusted = stamp, trusted
						s.entry, s.restamped = &c, true
					}
					return nil
				}
			}
			repo, err := w.openRepo(d.name, d.path, head, branches, prev)
			if err != nil {
				s.err = &RepoError{Repo: d.name, Path: d.path, Err: err}
				return nil
			}
			s.repo, s.opened = repo, true
			s.updates = diffRefs(prev, repo, opts.Now, w.forced(d.path, prev, repo))
			s.entry = newEntry(repo, stamp, trusted)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := &Result{}
	restamped := false
	for i := range slots {
		s := &slots[i]
		switch {
		case s.err != nil:
			res.Errors = append(res.Errors, s.err)
		case s.opened:
			res.Opened++
		default:
			res.Unchanged++
		}
		if s.repo != nil {
			res.Repos = append(res.Repos, *s.repo)
		}
		res.Updates = append(res.Updates, s.updates...)
		restamped = restamped || s.restamped
		if s.refsRead {
			res.RefsRead++
		}
	}
	if st == nil {
		return res, nil
	}
	// What the state keeps: every repository present (an unreadable one
	// keeps its last walk); one that disappeared from the root is
	// dropped, and its branches are gone.
	present := make(map[string]bool, len(dirs))
	entries := make([]*stateEntry, 0, len(dirs))
	for i, d := range dirs {
		present[d.name] = true
		if slots[i].entry != nil {
			entries = append(entries, slots[i].entry)
		}
	}
	gone := 0
	for _, name := range st.Names() {
		if present[name] {
			continue
		}
		prev, err := st.Load(name)
		if err != nil {
			return nil, err
		}
		res.Updates = append(res.Updates, diffRefs(prev, &Repo{Name: name}, opts.Now, nil)...)
		gone++
	}
	// The ref log first: a crash before the state is saved makes the next
	// walk see (and log) the same moves again, rather than miss them.
	if err := appendLog(st.dir, res.Updates, opts.Now, len(res.Repos)); err != nil {
		return nil, err
	}
	recordsChanged := res.Opened > 0 || gone > 0
	if recordsChanged || restamped || st.content == "" {
		if err := st.save(entries, recordsChanged); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// stampClock is the file system's clock, read at the start of a walk to
// tell trusted stamps (a test moves it).
var stampClock = time.Now

// reader reads repositories through one shared object cache.
type reader struct {
	cache cache.Object
}

func newReader(cacheBytes int64) *reader {
	if cacheBytes <= 0 {
		cacheBytes = 32 << 20
	}
	return &reader{cache: cache.NewObjectLRU(cache.FileSize(cacheBytes))}
}

// open returns a go-git object store for a bare repository; the caller
// closes it.
func (w *reader) open(path string) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(idxInMemory{osfs.New(path)}, w.cache, filesystem.Options{
		ExclusiveAccess:      true,
		KeepDescriptors:      true,
		LargeObjectThreshold: MaxFileSize,
	})
}

// branchRefs reads where HEAD and the branches of a bare repository
// point, stamping the files it reads when stamp is not nil.
func branchRefs(path string, stamp *refStamp) (head string, branches map[string]Hash, err error) {
	rs, err := readRefs(path, "refs/heads", stamp)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", nil, fmt.Errorf("not a git repository: %w", err)
		}
		return "", nil, err
	}
	branches = rs.Branches()
	if len(branches) == 0 {
		// A folder named like a repository that is none (no objects
		// store) says so rather than "empty".
		if st, err := os.Stat(filepath.Join(path, "objects")); err != nil || !st.IsDir() {
			return "", nil, fmt.Errorf("not a git repository: no objects folder")
		}
		return "", nil, ErrEmptyRepo
	}
	head, _ = strings.CutPrefix(rs.Head, "refs/heads/")
	return head, branches, nil
}

// readRepo reads one repository, or returns prev untouched (opened false)
// when its refs are those prev was read at.
func (w *reader) readRepo(name, path string, prev *Repo) (repo *Repo, opened bool, err error) {
	head, branches, err := branchRefs(path, nil)
	if err != nil {
		return nil, false, err
	}
	if prev != nil && prev.Head == head && sameTips(prev, branches) {
		return prev, false, nil
	}
	repo, err = w.openRepo(name, path, head, branches, prev)
	return repo, true, err
}

// openRepo reads a repository's branches with go-git.
func (w *reader) openRepo(name, path, head string, branches map[string]Hash, prev *Repo) (repo *Repo, err error) {
	defer func() {
		// go-git decoders are not hardened against every corrupt input.
		if r := recover(); r != nil {
			repo, err = nil, fmt.Errorf("corrupt repository: %v", r)
		}
	}()
	st := w.open(path)
	defer st.Close()
	return readBranches(st, name, head, branches, prev)
}

func sameTips(prev *Repo, branches map[string]Hash) bool {
	if len(prev.Branches) != len(branches) {
		return false
	}
	for _, b := range prev.Branches {
		if h, ok := branches[b.Name]; !ok || h != b.Head {
			return false
		}
	}
	return true
}

func readBranches(st *filesystem.Storage, name, head string, branches map[string]Hash, prev *Repo) (*Repo, error) {
	repo := &Repo{Name: name, Head: head}
	file := repo.Component() + ".spec"
	if repo.Namespace() == "modules" {
		file = repo.Component() + ".yaml"
	}
	known := map[Hash]Commit{}
	if prev != nil {
		for _, c := range prev.Commits {
			known[c.Hash] = c
		}
	}
	names := make([]string, 0, len(branches))
	for b := range branches {
		names = append(names, b)
	}
	sort.Strings(names)
	for _, bn := range names {
		h := branches[bn]
		c, err := getCommit(st, h)
		if err != nil {
			return nil, fmt.Errorf("branch %s: head %s: %w", bn, h, err)
		}
		br, err := readHead(st, c, file)
		if err != nil {
			return nil, fmt.Errorf("branch %s: head %s: %w", bn, h, err)
		}
		br.Name, br.Head = bn, h
		repo.Branches = append(repo.Branches, br)
		if err := walkFirstParent(st, c, known); err != nil {
			return nil, fmt.Errorf("branch %s: history: %w", bn, err)
		}
	}
	// Commits of earlier walks stay: the history of a head that was
	// force-pushed away or deleted still answers questions about the past.
	repo.Commits = make([]Commit, 0, len(known))
	for _, c := range known {
		repo.Commits = append(repo.Commits, c)
	}
	sort.Slice(repo.Commits, func(i, j int) bool {
		return bytes.Compare(repo.Commits[i].Hash[:], repo.Commits[j].Hash[:]) < 0
	})
	return repo, nil
}

// walkFirstParent adds the first-parent chain from c to known, stopping
// at the first commit already there (its chain is known too).
func walkFirstParent(st *filesystem.Storage, c *object.Commit, known map[Hash]Commit) error {
	for {
		h := Hash(c.Hash)
		if _, ok := known[h]; ok {
			return nil
		}
		e := Commit{Hash: h, Time: c.Committer.When, Subject: subject(c.Message)}
		if len(c.ParentHashes) > 0 {
			e.Parent = Hash(c.ParentHashes[0])
		}
		known[h] = e
		if e.Parent.IsZero() {
			return nil
		}
		if _, ok := known[e.Parent]; ok {
			return nil
		}
		p, err := getCommit(st, e.Parent)
		if err != nil {
			return fmt.Errorf("parent %s of %s: %w", e.Parent, h, err)
		}
		c = p
	}
}

// subject is git's %s: the first paragraph of the message, its lines
// stripped of trailing white space and joined with spaces.
func subject(msg string) string {
	var b strings.Builder
	started := false
	for line := range strings.Lines(msg) {
		line = strings.TrimRight(line, " \t\n\r\v\f")
		if line == "" {
			if started {
				break
			}
			continue
		}
		if started {
			b.WriteByte(' ')
		}
		b.WriteString(line)
		started = true
	}
	return b.String()
}

func readHead(st *filesystem.Storage, c *object.Commit, file string) (Branch, error) {
	var b Branch
	to, err := getObject(st, plumbing.TreeObject, Hash(c.TreeHash))
	if err != nil {
		return b, fmt.Errorf("tree %s: %w", c.TreeHash, err)
	}
	tree, err := object.DecodeTree(st, to)
	if err != nil {
		return b, fmt.Errorf("tree %s: %w", c.TreeHash, err)
	}
	b.Files = make([]string, 0, len(tree.Entries))
	for _, e := range tree.Entries {
		if e.Mode == filemode.Dir {
			b.Files = append(b.Files, e.Name+"/")
		} else {
			b.Files = append(b.Files, e.Name)
		}
	}
	ent, err := tree.FindEntry(file)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return b, nil
	}
	if err != nil {
		return b, fmt.Errorf("%s: %w", file, err)
	}
	if !ent.Mode.IsFile() {
		return b, nil
	}
	bo, err := getObject(st, plumbing.BlobObject, Hash(ent.Hash))
	if err != nil {
		return b, fmt.Errorf("%s: blob %s: %w", file, ent.Hash, err)
	}
	if bo.Size() > MaxFileSize {
		return b, fmt.Errorf("%s: blob %s: %d bytes, more than %d", file, ent.Hash, bo.Size(), MaxFileSize)
	}
	blob, err := object.DecodeBlob(bo)
	if err != nil {
		return b, fmt.Errorf("%s: blob %s: %w", file, ent.Hash, err)
	}
	b.Content, err = readAll(blob)
	if err != nil {
		return b, fmt.Errorf("%s: blob %s: %w", file, ent.Hash, err)
	}
	b.File = file
	return b, nil
}

func readAll(b *object.Blob) ([]byte, error) {
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, MaxFileSize))
}

func getCommit(st *filesystem.Storage, h Hash) (*object.Commit, error) {
	o, err := getObject(st, plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	return object.DecodeCommit(st, o)
}

// getObject reads an object and checks that its content hashes to h.
func getObject(st *filesystem.Storage, t plumbing.ObjectType, h Hash) (plumbing.EncodedObject, error) {
	o, err := st.EncodedObject(t, plumbing.Hash(h))
	if err != nil {
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, fmt.Errorf("%s %s: missing object", t, h)
		}
		return nil, fmt.Errorf("%s %s: %w", t, h, err)
	}
	if o.Size() > MaxFileSize {
		// Large blobs are checked when read; the limit keeps them out
		// of memory here.
		return o, nil
	}
	r, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", t, h, err)
	}
	defer r.Close()
	sum := sha1.New()
	sum.Write([]byte(o.Type().String() + " " + strconv.FormatInt(o.Size(), 10) + "\x00"))
	if _, err := io.Copy(sum, r); err != nil {
		return nil, fmt.Errorf("%s %s: %w", t, h, err)
	}
	if got := Hash(sum.Sum(nil)); got != h {
		return nil, fmt.Errorf("%s %s: corrupt object: content hashes to %s", t, h, got)
	}
	return o, nil
}

// forced returns, for each branch of repo that moved since prev, whether
// the move was a force-push (the new head does not descend from the old).
func (w *reader) forced(path string, prev, repo *Repo) map[string]bool {
	if prev == nil {
		return nil
	}
	out := map[string]bool{}
	var st *filesystem.Storage
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	for _, b := range repo.Branches {
		old := prev.Branch(b.Name)
		if old == nil || old.Head == b.Head {
			continue
		}
		// The common case: the old head is on the new first-parent chain.
		onChain := false
		for _, c := range repo.Chain(b.Head) {
			if c.Hash == old.Head {
				onChain = true
				break
			}
		}
		if onChain {
			continue
		}
		if st == nil {
			st = w.open(path)
		}
		out[b.Name] = !isAncestor(st, old.Head, b.Head)
	}
	return out
}

// isAncestor reports whether a is reachable from b through any parents.
func isAncestor(st *filesystem.Storage, a, b Hash) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	seen := map[Hash]bool{b: true}
	queue := []Hash{b}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		if h == a {
			return true
		}
		c, err := getCommit(st, h)
		if err != nil {
			continue
		}
		for _, p := range c.ParentHashes {
			if !seen[Hash(p)] {
				seen[Hash(p)] = true
				queue = append(queue, Hash(p))
			}
		}
	}
	return false
}
