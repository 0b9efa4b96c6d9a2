//go:build !linux

package distgit

import (
	"errors"
	"io/fs"
	"os"
)

// statPath without inode and change time: the modification time and size
// alone (the refs are read again whenever they differ).
func statPath(path, rel string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileStamp{Path: rel}, nil
	}
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{Path: rel, Present: true, Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}, nil
}
