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
package distgit
