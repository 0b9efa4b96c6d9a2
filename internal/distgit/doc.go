// Package distgit owns everything distmeta knows about dist-git: it is the
// only package that imports go-git.
//
// It writes bare repositories deterministically (WriteRepo, AppendPush) for
// tests, benchmarks and generated worlds; walks a dist-git root
// (rpms/<name>.git, modules/<name>.git) with a bounded pool of workers
// (Walk), reading each branch's head, its spec or module YAML, its top-level
// files and its first-parent history straight from the object store; keeps
// the ref positions it observed in a state folder so that unchanged
// repositories are not opened again; answers branch-history questions
// (Log.At, Log.Pushes, Log.Events); and finds builds made from a commit that
// is no longer its branch head (FindStale).
//
// The state folder holds three files: distgit-refs.idx, a small binary
// index (per repository: HEAD, branch tips, the stamp of its ref files —
// inode, size, modification and change times of HEAD, packed-refs and
// refs/heads — and where its record lies), read whole by every walk;
// distgit-content-<digest>.bin, one record per repository (spec or module
// YAML contents, files, first-parent commits), read whole by Walk or one
// record at a time by State.Load; and distgit-reflog.jsonl, the
// append-only ref log. A walk stats the ref files of each repository and
// reads them only when the stamp changed (or is too recent to prove
// anything), and opens the repository only when a tip moved. Index and
// content are replaced by synced temporary files and renames, the content
// first: a crash leaves a consistent pair.
package distgit
