package distgit

import (
	"path/filepath"
	"time"
)

// A refStamp is what the file system says about the files a repository's
// branches are read from (HEAD, packed-refs, the refs/heads folders and
// loose refs), taken before they are read. When a later stamp of the same
// files is equal, the branches did not move and the files need not be
// read again; Walk then serves the repository from the state folder with
// a few stat calls.
type refStamp []fileStamp

// fileStamp identifies one version of a file or folder: git replaces a ref
// file by renaming a lock file over it (a new inode, a new change time, a
// new modification time of the folder holding it), and a change in place
// moves the change time, which no tool can set back.
type fileStamp struct {
	Path    string // relative to the repository, slash-separated
	Present bool
	Ino     uint64
	Size    int64
	Mtime   int64 // nanoseconds since 1970
	Ctime   int64 // nanoseconds since 1970; 0 where the system has none
}

// stampSlack is how much older than the walk a stamp must be to be
// trusted. File times are coarse (a kernel tick, a second on some file
// systems): a file changed in the same tick as the stamp was taken can
// keep the same times, so a stamp taken within a tick of its files' last
// change proves nothing (git's "racy clean" problem). Such repositories
// have their refs read again on the next walk. Two seconds also absorb
// a small clock skew with a network file system.
const stampSlack = 2 * time.Second

// Paths every stamp starts with, in this order.
var stampFixed = [...]string{"HEAD", "packed-refs", "refs/heads"}

func statStamp(dir, rel string) (fileStamp, error) {
	return statPath(dir+string(filepath.Separator)+filepath.FromSlash(rel), rel)
}

// matches reports whether every file of the stamp is as it was. An error
// of stat (other than absence) is a mismatch: reading the refs will tell.
func (s refStamp) matches(dir string) bool {
	if len(s) < len(stampFixed) {
		return false
	}
	for _, f := range s {
		now, err := statStamp(dir, f.Path)
		if err != nil || now != f {
			return false
		}
	}
	return true
}

// trusted reports whether every file of the stamp last changed before
// limit: a later change will then show in the stamp.
func (s refStamp) trusted(limit time.Time) bool {
	if len(s) < len(stampFixed) {
		return false
	}
	l := limit.UnixNano()
	for _, f := range s {
		if f.Present && (f.Mtime >= l || f.Ctime >= l) {
			return false
		}
	}
	return true
}
