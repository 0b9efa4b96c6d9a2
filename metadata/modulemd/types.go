package modulemd

import (
	"sort"
	"strings"
)

// Document kinds, the value of a document's top-level "document" key.
const (
	KindStream       = "modulemd"
	KindPackager     = "modulemd-packager"
	KindDefaults     = "modulemd-defaults"
	KindObsoletes    = "modulemd-obsoletes"
	KindTranslations = "modulemd-translations"
)

// Stream is one module stream in the stream v2 model. Documents of other
// versions (stream v1, packager v2 and v3) are converted to it on reading.
type Stream struct {
	Name    string
	Stream  string
	Version string // digits (a uint64), "" when unset
	Context string
	Arch    string
	// StaticContext is data.static_context: the context names a build
	// configuration rather than a hash of the dependencies.
	StaticContext bool
	Summary       string
	Description   string
	// ServiceLevels by name (rawhide, stable_api, ...). A v1 document's
	// obsolete "eol" becomes the "rawhide" service level when that level
	// is not given.
	ServiceLevels map[string]ServiceLevel
	License       License
	// XMD is the free-form extensible metadata block: values are string,
	// bool, nil, []any and map[string]any. Scalars other than unquoted
	// booleans stay strings, as in libmodulemd. nil when absent.
	XMD          map[string]any
	Dependencies []Dependencies
	References   References
	Profiles     map[string]Profile
	// API, Filter and Demodularized are the rpms lists of data.api,
	// data.filter and data.demodularized: sorted sets.
	API           []string
	Filter        []string
	Demodularized []string
	BuildOpts     BuildOpts
	Components    Components
	Artifacts     Artifacts
}

// ServiceLevel is one entry of data.servicelevels.
type ServiceLevel struct {
	EOL string // ISO 8601 date (YYYY-MM-DD), "" when unset
}

// License lists module and content licenses (sorted sets).
type License struct {
	Module  []string
	Content []string
}

// References are the upstream links of a stream.
type References struct {
	Community, Documentation, Tracker string
}

// Dependencies is one entry of data.dependencies: module name to the
// streams it may be built (BuildRequires) or run (Requires) against. An
// empty list means every stream; a stream prefixed "-" is excluded. Lists
// are sorted; an empty list is non-nil.
type Dependencies struct {
	BuildRequires map[string][]string
	Requires      map[string][]string
}

// Profile is one installation profile.
type Profile struct {
	Description string
	RPMs        []string // sorted set
	// Default is only used by packager v3 documents (profiles.<name>.default);
	// converted streams carry it as a modulemd-defaults document instead.
	Default bool
}

// BuildOpts holds data.buildopts.
type BuildOpts struct {
	RPMs   RPMBuildOpts
	Arches []string // sorted set
}

// RPMBuildOpts holds data.buildopts.rpms.
type RPMBuildOpts struct {
	Macros    string
	Whitelist []string // sorted set
}

func (b BuildOpts) empty() bool {
	return b.RPMs.Macros == "" && len(b.RPMs.Whitelist) == 0 && len(b.Arches) == 0
}

// Components holds data.components, keyed by component key.
type Components struct {
	RPMs    map[string]RPMComponent
	Modules map[string]ModuleComponent
}

// RPMComponent is one entry of data.components.rpms. Name is the package's
// real name: the "name" key when given, otherwise the component's key.
type RPMComponent struct {
	Name          string
	Rationale     string
	Repository    string
	Cache         string
	Ref           string
	Buildorder    int64
	Buildafter    []string // sorted set
	Buildonly     bool
	Arches        []string // sorted set
	Multilib      []string // sorted set
	Buildroot     bool
	SRPMBuildroot bool
}

// ModuleComponent is one entry of data.components.modules.
type ModuleComponent struct {
	Name       string // the component's key
	Rationale  string
	Repository string
	Ref        string
	Buildorder int64
	Buildafter []string // sorted set
	Buildonly  bool
}

// Artifacts holds data.artifacts.
type Artifacts struct {
	RPMs []string // N-E:V-R.A strings, sorted set
	// RPMMap is data.artifacts.rpm-map: digest type (sha256) to checksum
	// to the rpm it identifies.
	RPMMap map[string]map[string]RPMMapEntry
}

// RPMMapEntry is one rpm of the rpm-map.
type RPMMapEntry struct {
	Name    string
	Epoch   uint64
	Version string
	Release string
	Arch    string
	NEVRA   string
}

// Defaults is a modulemd-defaults v1 document.
type Defaults struct {
	Module   string
	Modified uint64 // YYYYMMDDHHMM, 0 when unset
	Stream   string // default stream, "" when none
	// Profiles maps a stream to its default profiles. An empty, non-nil
	// list means "no default profile" explicitly.
	Profiles map[string][]string
	// Intents are the deprecated per-system-intent overrides.
	Intents map[string]Intent
}

// Intent is one entry of a defaults document's intents.
type Intent struct {
	Stream   string
	Profiles map[string][]string
}

// Obsoletes is a modulemd-obsoletes v1 document.
type Obsoletes struct {
	Modified    string // YYYY-MM-DDTHH:MMZ
	Reset       bool
	Module      string
	Stream      string
	Context     string
	EOLDate     string // YYYY-MM-DDTHH:MMZ, "" when unset
	Message     string
	ObsoletedBy *ObsoletedBy
}

// ObsoletedBy names the stream that replaces an obsoleted one.
type ObsoletedBy struct {
	Module, Stream string
}

// Translations is a modulemd-translations v1 document.
type Translations struct {
	Module   string
	Stream   string
	Modified uint64
	// Entries by locale (en_GB, ja, ...).
	Entries map[string]TranslationEntry
}

// TranslationEntry is one locale's translated strings.
type TranslationEntry struct {
	Summary     string
	Description string
	Profiles    map[string]string // profile name to description
}

// NSVCA returns name:stream:version:context:arch, leaving out empty
// trailing parts (an empty part in the middle stays as an empty field).
func (s *Stream) NSVCA() string {
	parts := []string{s.Name, s.Stream, s.Version, s.Context, s.Arch}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ":")
}

// BuiltRefs returns, for each rpm component, the commit it was built from:
// xmd.mbs.rpms.<name>.ref as recorded by the module build service, falling
// back to components.rpms.<name>.ref. Components whose ref is unknown are
// left out.
func (s *Stream) BuiltRefs() map[string]string {
	refs := make(map[string]string)
	for key, c := range s.Components.RPMs {
		if c.Ref != "" {
			refs[key] = c.Ref
		}
	}
	mbs, _ := s.XMD["mbs"].(map[string]any)
	rpms, _ := mbs["rpms"].(map[string]any)
	for key, v := range rpms {
		entry, _ := v.(map[string]any)
		if ref, ok := entry["ref"].(string); ok && ref != "" {
			refs[key] = ref
		}
	}
	return refs
}

// sortedKeys returns the keys of a string-keyed map in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// normSet sorts and de-duplicates a list; an empty list becomes nil.
func normSet(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := append([]string(nil), in...)
	sort.Strings(out)
	j := 0
	for i, v := range out {
		if i > 0 && v == out[j-1] {
			continue
		}
		out[j] = v
		j++
	}
	return out[:j]
}

// normStreams is normSet for dependency stream lists, where an empty list
// is meaningful (every stream) and so stays non-nil.
func normStreams(in []string) []string {
	out := normSet(in)
	if out == nil {
		out = []string{}
	}
	return out
}
