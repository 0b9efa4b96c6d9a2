package modulemd

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// streamFormat says which stream-like document is being read.
type streamFormat int

const (
	formatStreamV1 streamFormat = iota
	formatStreamV2
	formatPackagerV2
)

// parseStream reads the data mapping of a modulemd v1 or v2 or a
// modulemd-packager v2 document into the stream v2 model. Unknown keys are
// skipped, as libmodulemd does when not strict.
func parseStream(data *yaml.Node, format streamFormat) (*Stream, error) {
	s := &Stream{}
	var v1eol string
	err := eachKey(data, "data", func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "name":
			s.Name, err = str(v, key)
		case "stream":
			s.Stream, err = str(v, key)
		case "version":
			s.Version, err = digits(v, key)
		case "context":
			s.Context, err = str(v, key)
		case "arch":
			s.Arch, err = str(v, key)
		case "static_context":
			if format == formatStreamV1 {
				return nil
			}
			s.StaticContext, err = boolean(v, key)
		case "summary":
			s.Summary, err = str(v, key)
		case "description":
			s.Description, err = str(v, key)
		case "eol":
			if format == formatStreamV1 {
				v1eol, err = str(v, key)
			}
		case "servicelevels":
			s.ServiceLevels, err = parseServiceLevels(v)
		case "license":
			s.License, err = parseLicense(v)
		case "xmd":
			s.XMD, err = parseXMD(v)
		case "dependencies":
			if format == formatStreamV1 {
				s.Dependencies, err = parseDependenciesV1(v)
			} else {
				s.Dependencies, err = parseDependenciesV2(v)
			}
		case "references":
			s.References, err = parseReferences(v, false)
		case "profiles":
			s.Profiles, err = parseProfiles(v, false)
		case "api":
			s.API, err = rpmsSet(v, key, false)
		case "filter":
			s.Filter, err = rpmsSet(v, key, false)
		case "demodularized":
			if format == formatStreamV1 {
				return nil
			}
			s.Demodularized, err = rpmsSet(v, key, false)
		case "buildopts":
			s.BuildOpts, err = parseBuildOpts(v, false)
		case "components":
			s.Components, err = parseComponents(v, false)
		case "artifacts":
			s.Artifacts, err = parseArtifacts(v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if v1eol != "" {
		if _, ok := s.ServiceLevels["rawhide"]; !ok {
			if s.ServiceLevels == nil {
				s.ServiceLevels = map[string]ServiceLevel{}
			}
			s.ServiceLevels["rawhide"] = ServiceLevel{EOL: v1eol}
		}
	}
	if err := s.validate(data); err != nil {
		return nil, err
	}
	return s, nil
}

// validate applies libmodulemd's stream checks.
func (s *Stream) validate(at *yaml.Node) error {
	if s.Summary == "" {
		return errAt(at, "summary is missing")
	}
	if s.Description == "" {
		return errAt(at, "description is missing")
	}
	if len(s.License.Module) == 0 {
		return errAt(at, "module license is missing")
	}
	if s.StaticContext && s.Context != "" {
		if err := checkContext(s.Context, 13, true); err != nil {
			return errAt(at, "static context: %v", err)
		}
	}
	hasOrder, hasAfter := false, false
	for key, c := range s.Components.RPMs {
		hasOrder = hasOrder || c.Buildorder != 0
		hasAfter = hasAfter || len(c.Buildafter) > 0
		for _, a := range c.Buildafter {
			if _, ok := s.Components.RPMs[a]; !ok {
				return errAt(at, "component %q: buildafter %q is not a component", key, a)
			}
		}
		if len(s.BuildOpts.Arches) > 0 {
			for _, a := range c.Arches {
				if !contains(s.BuildOpts.Arches, a) {
					return errAt(at, "component %q: arch %q not in buildopts.arches", key, a)
				}
			}
		}
	}
	if hasOrder && hasAfter {
		return errAt(at, "components mix buildorder and buildafter")
	}
	for _, nevra := range s.Artifacts.RPMs {
		if !validNEVRA(nevra) {
			return errAt(at, "artifact %q is not in N-E:V-R.A form", nevra)
		}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// checkContext checks a context of at most max characters from
// [a-zA-Z0-9] (plus '_' when underscore is set).
func checkContext(ctx string, max int, underscore bool) error {
	if ctx == "" {
		return fmt.Errorf("empty context")
	}
	if len(ctx) > max {
		return fmt.Errorf("context %q is longer than %d characters", ctx, max)
	}
	for _, r := range ctx {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || underscore && r == '_'
		if !ok {
			return fmt.Errorf("context %q has character %q", ctx, r)
		}
	}
	return nil
}

// validNEVRA checks the N-E:V-R.A shape libmodulemd requires of artifacts.
func validNEVRA(s string) bool {
	dot := strings.LastIndexByte(s, '.')
	if dot <= 0 || dot == len(s)-1 {
		return false
	}
	nevr := s[:dot]
	rel := strings.LastIndexByte(nevr, '-')
	if rel <= 0 || rel == len(nevr)-1 {
		return false
	}
	nev := nevr[:rel]
	ver := strings.LastIndexByte(nev, '-')
	if ver <= 0 || ver == len(nev)-1 {
		return false
	}
	ev := nev[ver+1:]
	colon := strings.IndexByte(ev, ':')
	if colon <= 0 || colon == len(ev)-1 {
		return false
	}
	for _, r := range ev[:colon] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func parseServiceLevels(n *yaml.Node) (map[string]ServiceLevel, error) {
	out := map[string]ServiceLevel{}
	err := eachKey(n, "servicelevels", func(name string, _, v *yaml.Node) error {
		var sl ServiceLevel
		err := eachKey(v, "servicelevels."+name, func(key string, _, v *yaml.Node) error {
			if key != "eol" {
				return nil
			}
			var err error
			sl.EOL, err = str(v, "servicelevels."+name+".eol")
			return err
		})
		out[name] = sl
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

func parseLicense(n *yaml.Node) (License, error) {
	var l License
	err := eachKey(n, "license", func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "module":
			l.Module, err = set(v, "license.module")
		case "content":
			l.Content, err = set(v, "license.content")
		}
		return err
	})
	return l, err
}

func parseXMD(n *yaml.Node) (map[string]any, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n, "xmd: want a mapping, got %s", kindName(n))
	}
	budget := maxFreeFormNodes
	v, err := freeForm(n, 0, &budget)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// parseDependenciesV1 reads a v1 dependencies mapping (module: stream)
// and returns it as one v2 entry whose lists hold that single stream.
func parseDependenciesV1(n *yaml.Node) ([]Dependencies, error) {
	var d Dependencies
	read := func(v *yaml.Node, what string) (map[string][]string, error) {
		m := map[string][]string{}
		err := eachKey(v, what, func(mod string, _, v *yaml.Node) error {
			s, err := str(v, what+"."+mod)
			m[mod] = []string{s}
			return err
		})
		if len(m) == 0 {
			m = nil
		}
		return m, err
	}
	err := eachKey(n, "dependencies", func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "buildrequires":
			d.BuildRequires, err = read(v, "dependencies.buildrequires")
		case "requires":
			d.Requires, err = read(v, "dependencies.requires")
		}
		return err
	})
	if err != nil || d.BuildRequires == nil && d.Requires == nil {
		return nil, err
	}
	return []Dependencies{d}, nil
}

func parseDependenciesV2(n *yaml.Node) ([]Dependencies, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(n, "dependencies: want a list, got %s", kindName(n))
	}
	var out []Dependencies
	for _, e := range n.Content {
		var d Dependencies
		err := eachKey(e, "dependencies", func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "buildrequires":
				d.BuildRequires, err = streamMap(v, "dependencies.buildrequires")
			case "requires":
				d.Requires, err = streamMap(v, "dependencies.requires")
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// streamMap reads module: [streams] (nil when empty).
func streamMap(n *yaml.Node, what string) (map[string][]string, error) {
	m := map[string][]string{}
	err := eachKey(n, what, func(mod string, _, v *yaml.Node) error {
		l, err := list(v, what+"."+mod)
		m[mod] = normStreams(l)
		return err
	})
	if len(m) == 0 {
		m = nil
	}
	return m, err
}

func parseReferences(n *yaml.Node, strict bool) (References, error) {
	var r References
	err := eachKey(n, "references", func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "community":
			r.Community, err = str(v, "references.community")
		case "documentation":
			r.Documentation, err = str(v, "references.documentation")
		case "tracker":
			r.Tracker, err = str(v, "references.tracker")
		default:
			return unknownKey(strict, k, "references")
		}
		return err
	})
	return r, err
}

func parseProfiles(n *yaml.Node, packagerV3 bool) (map[string]Profile, error) {
	out := map[string]Profile{}
	err := eachKey(n, "profiles", func(name string, _, v *yaml.Node) error {
		var p Profile
		what := "profiles." + name
		err := eachKey(v, what, func(key string, k, v *yaml.Node) error {
			var err error
			switch key {
			case "description":
				p.Description, err = str(v, what+".description")
			case "rpms":
				p.RPMs, err = set(v, what+".rpms")
			case "default":
				if !packagerV3 {
					return nil
				}
				p.Default, err = boolean(v, what+".default")
			default:
				return unknownKey(packagerV3, k, what)
			}
			return err
		})
		out[name] = p
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

func parseBuildOpts(n *yaml.Node, strict bool) (BuildOpts, error) {
	var b BuildOpts
	err := eachKey(n, "buildopts", func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "rpms":
			err = eachKey(v, "buildopts.rpms", func(key string, k, v *yaml.Node) error {
				var err error
				switch key {
				case "macros":
					b.RPMs.Macros, err = str(v, "buildopts.rpms.macros")
				case "whitelist":
					b.RPMs.Whitelist, err = set(v, "buildopts.rpms.whitelist")
				default:
					return unknownKey(strict, k, "buildopts.rpms")
				}
				return err
			})
		case "arches":
			b.Arches, err = set(v, "buildopts.arches")
		default:
			return unknownKey(strict, k, "buildopts")
		}
		return err
	})
	return b, err
}

func parseComponents(n *yaml.Node, strict bool) (Components, error) {
	var c Components
	err := eachKey(n, "components", func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "rpms":
			c.RPMs, err = parseRPMComponents(v, strict)
		case "modules":
			c.Modules, err = parseModuleComponents(v, strict)
		default:
			return unknownKey(strict, k, "components")
		}
		return err
	})
	return c, err
}

func parseRPMComponents(n *yaml.Node, strict bool) (map[string]RPMComponent, error) {
	out := map[string]RPMComponent{}
	err := eachKey(n, "components.rpms", func(name string, _, v *yaml.Node) error {
		c := RPMComponent{Name: name}
		what := "components.rpms." + name
		err := eachKey(v, what, func(key string, k, v *yaml.Node) error {
			var err error
			w := what + "." + key
			switch key {
			case "name":
				c.Name, err = str(v, w)
				if c.Name == "" {
					c.Name = name
				}
			case "rationale":
				c.Rationale, err = str(v, w)
			case "repository":
				c.Repository, err = str(v, w)
			case "cache":
				c.Cache, err = str(v, w)
			case "ref":
				c.Ref, err = str(v, w)
			case "buildorder":
				c.Buildorder, err = int64Value(v, w)
			case "buildafter":
				c.Buildafter, err = set(v, w)
			case "buildonly":
				c.Buildonly, err = boolean(v, w)
			case "arches":
				c.Arches, err = set(v, w)
			case "multilib":
				c.Multilib, err = set(v, w)
			case "buildroot":
				c.Buildroot, err = boolean(v, w)
			case "srpm-buildroot":
				c.SRPMBuildroot, err = boolean(v, w)
			default:
				return unknownKey(strict, k, what)
			}
			return err
		})
		out[name] = c
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

func parseModuleComponents(n *yaml.Node, strict bool) (map[string]ModuleComponent, error) {
	out := map[string]ModuleComponent{}
	err := eachKey(n, "components.modules", func(name string, _, v *yaml.Node) error {
		c := ModuleComponent{Name: name}
		what := "components.modules." + name
		err := eachKey(v, what, func(key string, k, v *yaml.Node) error {
			var err error
			w := what + "." + key
			switch key {
			case "rationale":
				c.Rationale, err = str(v, w)
			case "repository":
				c.Repository, err = str(v, w)
			case "ref":
				c.Ref, err = str(v, w)
			case "buildorder":
				c.Buildorder, err = int64Value(v, w)
			case "buildafter":
				c.Buildafter, err = set(v, w)
			case "buildonly":
				c.Buildonly, err = boolean(v, w)
			default:
				return unknownKey(strict, k, what)
			}
			return err
		})
		out[name] = c
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

func parseArtifacts(n *yaml.Node) (Artifacts, error) {
	var a Artifacts
	err := eachKey(n, "artifacts", func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "rpms":
			a.RPMs, err = set(v, "artifacts.rpms")
		case "rpm-map":
			a.RPMMap, err = parseRPMMap(v)
		}
		return err
	})
	return a, err
}

func parseRPMMap(n *yaml.Node) (map[string]map[string]RPMMapEntry, error) {
	out := map[string]map[string]RPMMapEntry{}
	err := eachKey(n, "artifacts.rpm-map", func(digest string, _, v *yaml.Node) error {
		sums := map[string]RPMMapEntry{}
		out[digest] = sums
		return eachKey(v, "artifacts.rpm-map."+digest, func(sum string, _, v *yaml.Node) error {
			var e RPMMapEntry
			what := "artifacts.rpm-map." + digest + "." + sum
			err := eachKey(v, what, func(key string, _, v *yaml.Node) error {
				var err error
				w := what + "." + key
				switch key {
				case "name":
					e.Name, err = str(v, w)
				case "epoch":
					e.Epoch, err = uint64Value(v, w)
				case "version":
					e.Version, err = str(v, w)
				case "release":
					e.Release, err = str(v, w)
				case "arch":
					e.Arch, err = str(v, w)
				case "nevra":
					e.NEVRA, err = str(v, w)
				}
				return err
			})
			sums[sum] = e
			return err
		})
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}
