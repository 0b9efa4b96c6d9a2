package productmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Status is the content of a compose's STATUS file.
type Status string

// Statuses pungi writes.
const (
	StatusStarted            Status = "STARTED"
	StatusFinished           Status = "FINISHED"
	StatusFinishedIncomplete Status = "FINISHED_INCOMPLETE"
	StatusDoomed             Status = "DOOMED"
	StatusTerminated         Status = "TERMINATED"
)

// Complete reports whether a compose with this status counts.
func (s Status) Complete() bool {
	return s == StatusFinished || s == StatusFinishedIncomplete
}

// NotCompleteError is returned by OpenCompose for a compose that does not
// count yet (or ever): its STATUS is missing or not FINISHED*.
type NotCompleteError struct {
	Dir    string
	Status Status // "" when STATUS is missing
}

// Reason says why the compose is skipped.
func (e *NotCompleteError) Reason() string {
	if e.Status == "" {
		return "no STATUS file"
	}
	return "STATUS is " + string(e.Status)
}

func (e *NotCompleteError) Error() string {
	return fmt.Sprintf("%s: compose not complete: %s", e.Dir, e.Reason())
}

// Metadata is the content of a compose's compose/metadata folder.
type Metadata struct {
	Info    *ComposeInfo
	RPMs    *RPMs
	Modules *Modules // nil when modules.json is absent
	Images  *Images  // nil when images.json is absent
}

// Compose is a complete pungi compose folder.
type Compose struct {
	Dir    string // the compose folder (holding STATUS and compose/)
	ID     string // COMPOSE_ID
	Status Status
	Metadata
}

// Files of a pungi compose, relative to its folder.
const (
	StatusFile    = "STATUS"
	ComposeIDFile = "COMPOSE_ID"
	MetadataDir   = "compose/metadata"
)

// ReadStatus reads dir/STATUS. A missing file gives status "" and no error.
func ReadStatus(dir string) (Status, error) {
	s, err := readLine(filepath.Join(dir, StatusFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return Status(s), err
}

// readLine reads a one-line file such as STATUS or COMPOSE_ID.
func readLine(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	s := strings.TrimSpace(string(data))
	if s == "" || strings.ContainsAny(s, "\n\r") {
		return "", fmt.Errorf("%s: want one non-empty line", path)
	}
	return s, nil
}

// OpenCompose reads the pungi compose folder dir under the completeness
// rule: a compose whose STATUS is not FINISHED or FINISHED_INCOMPLETE gives
// a *NotCompleteError; a complete one must have COMPOSE_ID,
// compose/metadata/composeinfo.json and rpms.json (modules.json and
// images.json are optional), all parseable and naming the same compose,
// otherwise the error names the faulty file.
func OpenCompose(dir string) (*Compose, error) {
	st, err := ReadStatus(dir)
	if err != nil {
		return nil, err
	}
	if !st.Complete() {
		return nil, &NotCompleteError{Dir: dir, Status: st}
	}
	idPath := filepath.Join(dir, ComposeIDFile)
	id, err := readLine(idPath)
	if err != nil {
		return nil, err
	}
	md, err := ReadMetadata(filepath.Join(dir, MetadataDir))
	if err != nil {
		return nil, err
	}
	if md.Info.Compose.ID != id {
		return nil, fmt.Errorf("%s: compose id %q, but composeinfo.json says %q", idPath, id, md.Info.Compose.ID)
	}
	return &Compose{Dir: dir, ID: id, Status: st, Metadata: *md}, nil
}

// ReadMetadata reads a compose/metadata folder. composeinfo.json and
// rpms.json are required; modules.json and images.json are read when
// present. Every file must name the compose of composeinfo.json, and the
// variants of rpms.json, modules.json and images.json must be variants of
// composeinfo.json.
func ReadMetadata(dir string) (*Metadata, error) {
	md := &Metadata{}
	var err error
	ciPath := filepath.Join(dir, "composeinfo.json")
	if md.Info, err = readFile(ciPath, false, ReadComposeInfo); err != nil {
		return nil, err
	}
	id := md.Info.Compose.ID
	check := func(path string, ref ComposeRef, variants []string) error {
		if ref.ID != id {
			return fmt.Errorf("%s: compose id %q, but composeinfo.json says %q", path, ref.ID, id)
		}
		for _, v := range variants {
			if md.Info.Variants[v] == nil {
				return fmt.Errorf("%s: variant %q is not in composeinfo.json", path, v)
			}
		}
		return nil
	}
	p := filepath.Join(dir, "rpms.json")
	if md.RPMs, err = readFile(p, false, ReadRPMs); err != nil {
		return nil, err
	}
	if err := check(p, md.RPMs.Compose, sortedKeys(md.RPMs.RPMs)); err != nil {
		return nil, err
	}
	p = filepath.Join(dir, "modules.json")
	if md.Modules, err = readFile(p, true, ReadModules); err != nil {
		return nil, err
	}
	if md.Modules != nil {
		if err := check(p, md.Modules.Compose, sortedKeys(md.Modules.Modules)); err != nil {
			return nil, err
		}
	}
	p = filepath.Join(dir, "images.json")
	if md.Images, err = readFile(p, true, ReadImages); err != nil {
		return nil, err
	}
	if md.Images != nil {
		if err := check(p, md.Images.Compose, sortedKeys(md.Images.Images)); err != nil {
			return nil, err
		}
	}
	return md, nil
}

func readFile[T any](path string, optional bool, read func(io.Reader, string) (*T, error)) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err // *fs.PathError names the file
	}
	defer f.Close()
	return read(f, path)
}

// RepoPath returns the folder of the variant's yum repository for arch
// (paths.repository of composeinfo.json).
func (c *Compose) RepoPath(variant, arch string) (string, error) {
	return c.variantPath(variant, "repository", arch)
}

func (c *Compose) variantPath(variant, category, arch string) (string, error) {
	v := c.Info.Variants[variant]
	if v == nil {
		return "", fmt.Errorf("%s: no variant %q", c.Dir, variant)
	}
	rel, ok := v.Paths[category][arch]
	if !ok {
		return "", fmt.Errorf("%s: variant %s has no %s path for %s", c.Dir, variant, category, arch)
	}
	if !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%s: variant %s: %s path %q leaves the compose", c.Dir, variant, category, rel)
	}
	return filepath.Join(c.Dir, "compose", rel), nil
}

// State classifies a compose found by ScanComposes.
type State int

// The states of a scanned compose.
const (
	Complete State = iota // counts; Compose is set
	Skipped               // not complete (yet); Reason says why
	Broken                // complete by STATUS but unreadable; Err says why
)

func (s State) String() string {
	switch s {
	case Complete:
		return "complete"
	case Skipped:
		return "skipped"
	case Broken:
		return "broken"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// ScanEntry is one folder of a composes root.
type ScanEntry struct {
	Name    string // folder name
	State   State
	Reason  string   // for Skipped
	Err     error    // for Broken
	Compose *Compose // for Complete
}

// ScanComposes classifies every folder of root, reading at most limit
// composes at a time (limit <= 0 means 1). Symbolic links (pungi's
// latest-* links) are skipped so that no compose is counted twice. The
// result is sorted by name.
func ScanComposes(ctx context.Context, root string, limit int) ([]ScanEntry, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	out := make([]ScanEntry, 0, len(entries))
	for _, e := range entries {
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			out = append(out, ScanEntry{Name: e.Name(), State: Skipped, Reason: "symbolic link"})
		case e.IsDir():
			out = append(out, ScanEntry{Name: e.Name()})
		}
	}
	if limit <= 0 {
		limit = 1
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i := range out {
		if out[i].Reason != "" {
			continue
		}
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			e := &out[i]
			c, err := OpenCompose(filepath.Join(root, e.Name))
			var nc *NotCompleteError
			switch {
			case errors.As(err, &nc):
				e.State, e.Reason = Skipped, nc.Reason()
			case err != nil:
				e.State, e.Err = Broken, err
			default:
				e.State, e.Compose = Complete, c
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// WriteCompose writes c as a pungi compose folder at c.Dir: the metadata
// JSON files first, COMPOSE_ID next and STATUS last, each through a
// temporary file and a rename, so that a reader never sees a FINISHED
// compose with metadata missing. Modules and Images are written when set.
func WriteCompose(c *Compose) error {
	if c.Info == nil || c.RPMs == nil {
		return fmt.Errorf("%s: compose needs composeinfo and rpms metadata", c.Dir)
	}
	md := filepath.Join(c.Dir, MetadataDir)
	if err := os.MkdirAll(md, 0o755); err != nil {
		return err
	}
	files := []fileWriter{
		{filepath.Join(md, "composeinfo.json"), func(w io.Writer) error { return WriteComposeInfo(w, c.Info) }},
		{filepath.Join(md, "rpms.json"), func(w io.Writer) error { return WriteRPMs(w, c.RPMs) }},
	}
	if c.Modules != nil {
		files = append(files, fileWriter{filepath.Join(md, "modules.json"), func(w io.Writer) error { return WriteModules(w, c.Modules) }})
	}
	if c.Images != nil {
		files = append(files, fileWriter{filepath.Join(md, "images.json"), func(w io.Writer) error { return WriteImages(w, c.Images) }})
	}
	id := c.ID
	if id == "" {
		id = c.Info.Compose.ID
	}
	files = append(files, fileWriter{filepath.Join(c.Dir, ComposeIDFile), func(w io.Writer) error { _, err := io.WriteString(w, id+"\n"); return err }})
	if c.Status != "" {
		files = append(files, fileWriter{filepath.Join(c.Dir, StatusFile), func(w io.Writer) error { _, err := io.WriteString(w, string(c.Status)+"\n"); return err }})
	}
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return fmt.Errorf("%s: %w", f.path, err)
		}
		if err := writeFileAtomic(f.path, buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

type fileWriter struct {
	path  string
	write func(io.Writer) error
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
