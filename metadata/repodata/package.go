package repodata

import "github.com/distmeta/distmeta/metadata/rpmver"

// Dep is one dependency entry of a package (provides, requires, ...). A
// rich (boolean) dependency has its whole expression in Name, starting
// with "(", and no Flags.
type Dep struct {
	Name  string       `json:"name"`
	Flags rpmver.Flags `json:"flags,omitempty"`
	EVR   rpmver.EVR   `json:"evr,omitzero"`
	Pre   bool         `json:"pre,omitempty"`
}

// Range returns the version range of the dependency.
func (d Dep) Range() rpmver.Range { return rpmver.Range{Flags: d.Flags, EVR: d.EVR} }

// String prints the dependency as rpm does: "name OP evr".
func (d Dep) String() string {
	if d.Flags == 0 {
		return d.Name
	}
	return d.Name + " " + d.Flags.String() + " " + d.EVR.String()
}

// File is one file a package owns. Type is "" for a regular file, "dir"
// or "ghost".
type File struct {
	Path string `json:"path"`
	Type string `json:"type,omitempty"`
}

// Checksum is a digest as repodata names it: type ("sha256", ...) and hex.
type Checksum struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Package is one binary or source package of an rpm-md repository, as
// primary.xml (and filelists.xml for Files) describe it.
type Package struct {
	Name        string     `json:"name"`
	Arch        string     `json:"arch"`
	EVR         rpmver.EVR `json:"evr"`
	Checksum    Checksum   `json:"checksum"`
	Summary     string     `json:"summary,omitempty"`
	Description string     `json:"description,omitempty"`
	Packager    string     `json:"packager,omitempty"`
	URL         string     `json:"url,omitempty"`
	FileTime    int64      `json:"file_time,omitempty"`
	BuildTime   int64      `json:"build_time,omitempty"`
	PackageSize int64      `json:"package_size,omitempty"`
	Installed   int64      `json:"installed_size,omitempty"`
	ArchiveSize int64      `json:"archive_size,omitempty"`
	Location    string     `json:"location"`
	// LocationBase is the xml:base of <location>, when the package lives
	// under another URL.
	LocationBase string `json:"location_base,omitempty"`
	License      string `json:"license,omitempty"`
	Vendor       string `json:"vendor,omitempty"`
	Group        string `json:"group,omitempty"`
	BuildHost    string `json:"buildhost,omitempty"`
	SourceRPM    string `json:"sourcerpm,omitempty"`
	HeaderStart  int64  `json:"header_start,omitempty"`
	HeaderEnd    int64  `json:"header_end,omitempty"`

	Provides    []Dep `json:"provides,omitempty"`
	Requires    []Dep `json:"requires,omitempty"`
	Conflicts   []Dep `json:"conflicts,omitempty"`
	Obsoletes   []Dep `json:"obsoletes,omitempty"`
	Recommends  []Dep `json:"recommends,omitempty"`
	Suggests    []Dep `json:"suggests,omitempty"`
	Supplements []Dep `json:"supplements,omitempty"`
	Enhances    []Dep `json:"enhances,omitempty"`

	// Files holds the files listed in primary.xml, replaced by the full
	// list when filelists.xml is read.
	Files []File `json:"files,omitempty"`

	// Changelogs are other.xml's entries for the package. Readers of
	// primary.xml leave them empty (see Repo.ReadChangelogs); WriteRepo
	// writes them to other.xml.
	Changelogs []Changelog `json:"changelogs,omitempty"`
}

// NEVRA prints name-[epoch:]version-release.arch.
func (p *Package) NEVRA() string {
	return p.Name + "-" + p.EVR.String() + "." + p.Arch
}

// IsSource reports whether the package is a source rpm.
func (p *Package) IsSource() bool { return p.Arch == "src" || p.Arch == "nosrc" }
