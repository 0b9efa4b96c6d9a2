// Package inspect recognises the input formats distmeta reads (rpm-md
// repodata, modulemd YAML, comps, productmd metadata, .treeinfo and
// .discinfo, pungi compose folders, spec files) and summarises a file or
// folder: its format, its documents counted by kind, and the first problem
// found.
package inspect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/distmeta/distmeta/metadata/comps"
	"github.com/distmeta/distmeta/metadata/modulemd"
	"github.com/distmeta/distmeta/metadata/productmd"
	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/spec"
)

// Report is what Inspect found in one file or folder.
type Report struct {
	Path    string         `json:"path"`
	Format  string         `json:"format"`
	Counts  map[string]int `json:"counts,omitempty"`
	Problem string         `json:"problem,omitempty"`
}

// OK reports whether no problem was found.
func (r *Report) OK() bool { return r.Problem == "" }

// Formats, as reports name them.
const (
	FormatRepo        = "rpm-md repository"
	FormatRepomd      = "repomd.xml"
	FormatPrimary     = "primary.xml"
	FormatFilelists   = "filelists.xml"
	FormatOther       = "other.xml"
	FormatComps       = "comps"
	FormatCompsIn     = "comps (.xml.in)"
	FormatModulemd    = "modulemd"
	FormatComposeInfo = "productmd composeinfo"
	FormatRPMs        = "productmd rpms"
	FormatModules     = "productmd modules"
	FormatImages      = "productmd images"
	FormatTreeInfo    = "treeinfo"
	FormatDiscInfo    = "discinfo"
	FormatCompose     = "pungi compose"
	FormatSpec        = "spec"
	FormatUnknown     = "unknown"
)

// sniffLimit is how much of a file is read to recognise its format.
const sniffLimit = 4096

// Inspect summarises the file or folder at path. It never returns an
// error: a problem (unreadable, malformed, unknown format) is in the
// report.
func Inspect(path string) Report {
	r := Report{Path: path, Format: FormatUnknown, Counts: map[string]int{}}
	fi, err := os.Stat(path)
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	if fi.IsDir() {
		inspectDir(&r, path)
	} else {
		inspectFile(&r, path)
	}
	if len(r.Counts) == 0 {
		r.Counts = nil
	}
	return r
}

func inspectDir(r *Report, dir string) {
	switch {
	case exists(filepath.Join(dir, "repodata", "repomd.xml")):
		r.Format = FormatRepo
		inspectRepo(r, dir)
	case exists(filepath.Join(dir, productmd.StatusFile)) || exists(filepath.Join(dir, productmd.MetadataDir)):
		r.Format = FormatCompose
		inspectCompose(r, dir)
	default:
		r.Problem = fmt.Sprintf("%s: a folder that is neither an rpm-md repository (repodata/repomd.xml) nor a pungi compose (STATUS, compose/metadata)", dir)
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func inspectRepo(r *Report, dir string) {
	repo, err := repodata.Open(dir)
	if err != nil {
		r.Problem = err.Error()
		return
	}
	r.Counts["repomd entries"] = len(repo.Repomd.Data)
	err = repo.ReadPackages(func(p *repodata.Package) error {
		if p.IsSource() {
			r.Counts["source packages"]++
		} else {
			r.Counts["packages"]++
		}
		return nil
	})
	if err != nil {
		r.Problem = err.Error()
		return
	}
	if _, lerr := repo.Lookup("filelists"); lerr == nil {
		err = repo.ReadFilelists(func(fl *repodata.FileList) error {
			r.Counts["files"] += len(fl.Files)
			return nil
		})
		if err != nil {
			r.Problem = err.Error()
			return
		}
	}
	if b, err := repo.Modules(); err == nil {
		idx, err := modulemd.ReadAll(bytes.NewReader(b), filepath.Join(dir, "repodata", "modules.yaml"))
		if err != nil {
			r.Problem = err.Error()
			return
		}
		countModules(r, idx)
	} else if !errors.Is(err, repodata.ErrNoData) {
		r.Problem = err.Error()
		return
	}
	if b, err := readGroup(repo); err == nil {
		c, err := comps.Read(bytes.NewReader(b), filepath.Join(dir, "repodata", "comps.xml"))
		if err != nil {
			r.Problem = err.Error()
			return
		}
		countComps(r, c)
	}
}

// readGroup reads the repository's comps, plain or compressed.
func readGroup(repo *repodata.Repo) ([]byte, error) {
	b, err := repo.ReadAll("group")
	if err != nil {
		b, err = repo.ReadAll("group_gz")
	}
	return b, err
}

func inspectCompose(r *Report, dir string) {
	c, err := productmd.OpenCompose(dir)
	var nc *productmd.NotCompleteError
	if errors.As(err, &nc) {
		r.Problem = fmt.Sprintf("%s: compose skipped: %s", dir, nc.Reason())
		return
	}
	if err != nil {
		r.Problem = err.Error()
		return
	}
	r.Counts["variants"] = len(c.Info.Variants)
	for _, rpm := range c.RPMs.List() {
		if rpm.Category == "source" {
			r.Counts["source rpms"]++
		} else {
			r.Counts["rpms"]++
		}
	}
	if c.Modules != nil {
		for _, arches := range c.Modules.Modules {
			for _, ms := range arches {
				r.Counts["module builds"] += len(ms)
			}
		}
	}
	if c.Images != nil {
		r.Counts["images"] = c.Images.Count()
	}
}

func countModules(r *Report, idx *modulemd.Index) {
	for k, n := range idx.Documents {
		r.Counts[k] += n
	}
	for _, m := range idx.Modules {
		r.Counts["module streams"] += len(m.Streams)
		if m.Defaults != nil {
			r.Counts["defaults"]++
		}
		r.Counts["obsoletes"] += len(m.Obsoletes)
		r.Counts["translations"] += len(m.Translations)
	}
	r.Counts["modules"] = len(idx.Modules)
}

func countComps(r *Report, c *comps.Comps) {
	r.Counts["groups"] = len(c.Groups)
	r.Counts["categories"] = len(c.Categories)
	r.Counts["environments"] = len(c.Environments)
	r.Counts["langpack matches"] = len(c.Langpacks)
	n := 0
	for _, g := range c.Groups {
		n += len(g.Packages)
	}
	r.Counts["packagereqs"] = n
}

// head returns the first bytes of the (decompressed) file.
func head(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rc, err := modulemd.Decompress(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, sniffLimit))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// openData opens the file decompressed.
func openData(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rc, err := modulemd.Decompress(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{rc, closers{rc, f}}, nil
}

type closers []io.Closer

func (cs closers) Close() error {
	var err error
	for _, c := range cs {
		err = errors.Join(err, c.Close())
	}
	return err
}

// xmlRoot returns the name of the first element of an XML document.
func xmlRoot(b []byte) string {
	s := string(b)
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+1 >= len(s) {
			return ""
		}
		s = s[i+1:]
		if s[0] == '?' || s[0] == '!' {
			continue
		}
		end := strings.IndexAny(s, " \t\r\n/>")
		if end < 0 {
			return s
		}
		return s[:end]
	}
}

func inspectFile(r *Report, path string) {
	b, err := head(path)
	if err != nil {
		r.Problem = err.Error()
		return
	}
	base := filepath.Base(path)
	trimmed := bytes.TrimSpace(b)
	switch {
	case strings.HasSuffix(base, ".spec"):
		r.Format = FormatSpec
		inspectSpec(r, path)
	case base == ".treeinfo" || bytes.HasPrefix(trimmed, []byte("[header]")) || bytes.HasPrefix(trimmed, []byte("[general]")):
		r.Format = FormatTreeInfo
		withData(r, path, func(rd io.Reader) error {
			ti, err := productmd.ReadTreeInfo(rd, path)
			if err == nil {
				r.Counts["variants"] = len(ti.Variants)
				r.Counts["checksums"] = len(ti.Checksums)
			}
			return err
		})
	case bytes.HasPrefix(b, []byte("\x00ZCK1")):
		r.Format = "zchunk"
		r.Problem = fmt.Sprintf("%s: zchunk-compressed metadata is not supported; read the .gz/.xz/.zst entry of the same type that repomd.xml lists", path)
	case base == ".discinfo" || looksLikeDiscInfo(trimmed):
		r.Format = FormatDiscInfo
		withData(r, path, func(rd io.Reader) error { _, err := productmd.ReadDiscInfo(rd, path); return err })
	case len(trimmed) > 0 && trimmed[0] == '<':
		inspectXML(r, path, xmlRoot(trimmed), bytes.Contains(b, []byte("<_name>")) || strings.HasSuffix(base, ".xml.in"))
	case len(trimmed) > 0 && trimmed[0] == '{':
		inspectJSON(r, path)
	case bytes.HasPrefix(trimmed, []byte("---")) || bytes.Contains(b, []byte("document:")):
		r.Format = FormatModulemd
		withData(r, path, func(rd io.Reader) error {
			idx, err := modulemd.ReadAll(rd, path)
			if idx != nil {
				countModules(r, idx)
			}
			return err
		})
	default:
		r.Problem = fmt.Sprintf("%s: format not recognised", path)
	}
}

// looksLikeDiscInfo reports whether the text starts like a .discinfo: a
// Unix timestamp on the first line, then release and arch lines.
func looksLikeDiscInfo(b []byte) bool {
	lines := strings.Split(string(b), "\n")
	if len(lines) < 3 {
		return false
	}
	ts := strings.TrimSpace(lines[0])
	if ts == "" {
		return false
	}
	for _, c := range ts {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

func withData(r *Report, path string, fn func(io.Reader) error) {
	rc, err := openData(path)
	if err != nil {
		r.Problem = err.Error()
		return
	}
	defer rc.Close()
	if err := fn(bufio.NewReader(rc)); err != nil {
		r.Problem = err.Error()
	}
}

func inspectXML(r *Report, path, root string, intltool bool) {
	switch root {
	case "repomd":
		r.Format = FormatRepomd
		withData(r, path, func(rd io.Reader) error {
			md, err := repodata.ParseRepomd(rd, path)
			if err == nil {
				r.Counts["repomd entries"] = len(md.Data)
			}
			return err
		})
	case "metadata":
		r.Format = FormatPrimary
		withData(r, path, func(rd io.Reader) error {
			return repodata.ReadPrimary(rd, path, func(p *repodata.Package) error {
				r.Counts["packages"]++
				return nil
			})
		})
	case "filelists":
		r.Format = FormatFilelists
		withData(r, path, func(rd io.Reader) error {
			return repodata.ReadFilelists(rd, path, func(fl *repodata.FileList) error {
				r.Counts["packages"]++
				r.Counts["files"] += len(fl.Files)
				return nil
			})
		})
	case "otherdata":
		r.Format = FormatOther
		withData(r, path, func(rd io.Reader) error {
			return repodata.ReadOther(rd, path, func(pc *repodata.PackageChangelogs) error {
				r.Counts["packages"]++
				r.Counts["changelogs"] += len(pc.Changelogs)
				return nil
			})
		})
	case "comps":
		r.Format = FormatComps
		if intltool {
			r.Format = FormatCompsIn
		}
		withData(r, path, func(rd io.Reader) error {
			c, err := comps.Read(rd, path)
			if err == nil {
				countComps(r, c)
			}
			return err
		})
	default:
		r.Problem = fmt.Sprintf("%s: XML with root element <%s> is not a format distmeta reads", path, root)
	}
}

func inspectJSON(r *Report, path string) {
	var hdr struct {
		Header struct {
			Type string `json:"type"`
		} `json:"header"`
		Payload map[string]json.RawMessage `json:"payload"`
	}
	rc, err := openData(path)
	if err != nil {
		r.Problem = err.Error()
		return
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		r.Problem = fmt.Sprintf("%s: %v", path, err)
		return
	}
	if err := json.Unmarshal(data, &hdr); err != nil {
		r.Problem = fmt.Sprintf("%s: %v", path, err)
		return
	}
	typ := hdr.Header.Type
	if typ == "" { // productmd 1.0 has no type: tell by the payload
		switch {
		case hdr.Payload["variants"] != nil:
			typ = productmd.TypeComposeInfo
		case hdr.Payload["rpms"] != nil:
			typ = productmd.TypeRPMs
		case hdr.Payload["modules"] != nil:
			typ = productmd.TypeModules
		case hdr.Payload["images"] != nil:
			typ = productmd.TypeImages
		}
	}
	rd := bytes.NewReader(data)
	switch typ {
	case productmd.TypeComposeInfo:
		r.Format = FormatComposeInfo
		ci, err := productmd.ReadComposeInfo(rd, path)
		if err != nil {
			r.Problem = err.Error()
			return
		}
		r.Counts["variants"] = len(ci.Variants)
	case productmd.TypeRPMs:
		r.Format = FormatRPMs
		rp, err := productmd.ReadRPMs(rd, path)
		if err != nil {
			r.Problem = err.Error()
			return
		}
		r.Counts["rpms"] = len(rp.List())
	case productmd.TypeModules:
		r.Format = FormatModules
		m, err := productmd.ReadModules(rd, path)
		if err != nil {
			r.Problem = err.Error()
			return
		}
		r.Counts["module builds"] = 0
		for _, arches := range m.Modules {
			for _, ms := range arches {
				r.Counts["module builds"] += len(ms)
			}
		}
	case productmd.TypeImages:
		r.Format = FormatImages
		im, err := productmd.ReadImages(rd, path)
		if err != nil {
			r.Problem = err.Error()
			return
		}
		r.Counts["images"] = im.Count()
	default:
		r.Problem = fmt.Sprintf("%s: JSON that is not productmd metadata (header.type %q)", path, hdr.Header.Type)
	}
}

func inspectSpec(r *Report, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		r.Problem = err.Error()
		return
	}
	s, err := spec.Parse(data, spec.Options{})
	if err != nil {
		r.Problem = fmt.Sprintf("%s: %v", path, err)
		return
	}
	r.Counts["packages"] = len(s.Packages)
	r.Counts["buildrequires"] = len(s.BuildRequires)
	r.Counts["unexpanded"] = len(s.Unexpanded)
}
