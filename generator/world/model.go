package world

import (
	"fmt"
	"time"

	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

// Scale sets the size of a generated world.
type Scale struct {
	Name       string `json:"name"`
	Components int    `json:"components"` // source components in rpms/
	Streams    int    `json:"module_streams"`
	Composes   int    `json:"composes"`
	Pushes     int    `json:"pushes_per_component"` // mean pushes per component
}

// Scales are the named sizes of `distmeta world --scale`.
var Scales = map[string]Scale{
	"small":  {Name: "small", Components: 200, Streams: 12, Composes: 4, Pushes: 5},
	"medium": {Name: "medium", Components: 2500, Streams: 60, Composes: 4, Pushes: 5},
	"fedora": {Name: "fedora", Components: 25000, Streams: 600, Composes: 5, Pushes: 5},
}

// The generated history spans two years, fixed so that worlds never
// depend on the wall clock.
var (
	Start = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	End   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Branching is when a stable branch is cut from rawhide.
type Branching struct {
	Branch string
	At     time.Time
}

// Branchings are the Fedora branch points inside the window; f38 exists
// from the start.
var Branchings = []Branching{
	{"f38", Start},
	{"f39", time.Date(2023, 8, 8, 12, 0, 0, 0, time.UTC)},
	{"f40", time.Date(2024, 2, 13, 12, 0, 0, 0, time.UTC)},
	{"f41", time.Date(2024, 8, 13, 12, 0, 0, 0, time.UTC)},
}

// Ecosystem is the kind of a source component; it shapes names,
// sub-packages and dependencies.
type Ecosystem int

// The ecosystems, in the proportions Fedora has them.
const (
	EcoC Ecosystem = iota
	EcoLib
	EcoPython
	EcoPerl
	EcoGo
	EcoRust
	EcoHaskell
	EcoNode
	EcoR
)

// Component is one source package (rpms/<name>.git).
type Component struct {
	Name     string
	Eco      Ecosystem
	Hub      bool   // one of the hand-written core components
	Upstream string // upstream project name
	Summary  string
	License  string
	// Binaries are the sub-packages as built; their EVR is filled per
	// compose from the branch state.
	Binaries []*Binary
	// BuildRequires of the spec file.
	BuildRequires []repodata.Dep
	// Pushes is the commit history (see history.go).
	Pushes []Push
	// Retired components have only dead.package on rawhide.
	Retired bool
	// ForcePushed components had rawhide rewritten once.
	ForcePushed bool
	pop         float64 // popularity weight (power law)
}

// Binary is one binary sub-package, without a version: versions come from
// the branch state at build time.
type Binary struct {
	Name      string
	Arch      string // noarch or x86_64
	Multilib  bool   // also shipped as i686 in the x86_64 compose
	Summary   string
	Provides  []repodata.Dep // versioned "= EVR" entries use evrSelf
	Requires  []repodata.Dep
	Conflicts []repodata.Dep
	Obsoletes []repodata.Dep
	Recommend []repodata.Dep
	Files     []string
	Pre       bool // needs /bin/sh for scriptlets
}

// evrSelf marks a dependency whose EVR is the package's own EVR, filled in
// when the package is instantiated.
var evrSelf = rpmver.EVR{Version: "@self"}

// Push is one commit of a component's dist-git history.
type Push struct {
	Branch  string
	Time    time.Time
	Version string
	Release int
	Message string
	// FF lists other branches fast-forwarded to this same commit.
	FF []string
	// Merge is set when the commit merges rawhide into Branch.
	Merge bool
	// Rewritten pushes were force-pushed away (not in the final history).
	Rewritten bool
	// Build is the outcome of the Koji build of this push.
	Build BuildState
}

// BuildState is the outcome of a build.
type BuildState string

// Build states, as the builds feed spells them.
const (
	BuildComplete BuildState = "complete"
	BuildFailed   BuildState = "failed"
	BuildBuilding BuildState = "building"
	BuildCanceled BuildState = "canceled"
	BuildNone     BuildState = ""
)

// ModuleStream is one module stream (modules/<name>.git, branch <stream>).
type ModuleStream struct {
	Name       string
	Stream     string
	Summary    string
	Platform   []string // buildrequires platform, e.g. ["f40"] or ["-f39"]
	Requires   map[string][]string
	BuildReqs  map[string][]string // other modules
	Components []ModuleComponent
	Profiles   map[string][]string
	Built      time.Time // when the module build ran
	Version    string    // module version (digits)
	Context    string
	hash       string // commit of modules/<name>.git the build was made from
}

// ModuleComponent is an rpm component of a module, pinned to the branch
// it is built from; Built is the commit hash it was built from.
type ModuleComponent struct {
	Name      string
	Branch    string
	Rationale string
	Built     string // commit hash, filled when the repos are written
	Stale     bool   // the branch moved after the module build
}

// Compose is one pungi compose.
type Compose struct {
	ID     string
	Date   time.Time
	Status string // FINISHED, FINISHED_INCOMPLETE, STARTED, DOOMED
	Branch string
	Respin int
}

// World is the whole generated distribution.
type World struct {
	Seed       uint64
	Scale      Scale
	Components []*Component
	Modules    []*ModuleStream
	Composes   []*Compose
	byName     map[string]*Component
	binOwner   map[string]*Component
	hashes     []RepoHashes // per component, filled by Write
}

// Component returns the component of that name, or nil.
func (w *World) Component(name string) *Component { return w.byName[name] }

// Binaries returns the number of binary sub-packages (before multilib).
func (w *World) Binaries() int {
	n := 0
	for _, c := range w.Components {
		n += len(c.Binaries)
	}
	return n
}

func self(name string) repodata.Dep {
	return repodata.Dep{Name: name, Flags: rpmver.EQ, EVR: evrSelf}
}

func dep(name string) repodata.Dep { return repodata.Dep{Name: name} }

func vdep(name string, f rpmver.Flags, evr string) repodata.Dep {
	return repodata.Dep{Name: name, Flags: f, EVR: rpmver.ParseEVR(evr)}
}

func (c *Component) String() string { return fmt.Sprintf("%s(%d binaries)", c.Name, len(c.Binaries)) }
