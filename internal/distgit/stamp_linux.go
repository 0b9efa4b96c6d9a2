package distgit

import (
	"io/fs"
	"syscall"
)

// statPath stamps one file with a bare stat call: a walk makes three or
// more per repository, and os.Stat's allocations showed.
func statPath(path, rel string) (fileStamp, error) {
	var st syscall.Stat_t
	err := syscall.Stat(path, &st)
	for err == syscall.EINTR {
		err = syscall.Stat(path, &st)
	}
	if err == syscall.ENOENT {
		return fileStamp{Path: rel}, nil
	}
	if err != nil {
		return fileStamp{}, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	return fileStamp{Path: rel, Present: true, Ino: st.Ino, Size: st.Size, Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano()}, nil
}
