package modulemd

// DefaultPackagerLicense is the module license a packager v3 document has
// when it names none.
const DefaultPackagerLicense = "MIT"

// Streams converts a packager v3 document the way libmodulemd's
// modulemd_packager_v3_convert_to_index does: one stream v2 per build
// configuration, carrying that configuration's context, its buildopts and
// a single dependencies entry (platform plus the configuration's
// buildrequires and requires). A document without configurations gives
// the single stream of ToStreamV2, so that its module is not lost.
func (p *PackagerV3) Streams() []*Stream {
	if len(p.Configurations) == 0 {
		return []*Stream{p.ToStreamV2()}
	}
	out := make([]*Stream, 0, len(p.Configurations))
	for _, bc := range p.Configurations {
		s := p.common()
		s.Context = bc.Context
		s.BuildOpts = cloneBuildOpts(bc.BuildOpts)
		s.Dependencies = []Dependencies{bc.dependencies()}
		out = append(out, s)
	}
	return out
}

// ToStreamV2 converts a packager v3 document the way libmodulemd's
// modulemd_packager_v3_to_stream_v2 does: a single stream v2 with one
// dependencies entry per build configuration, the buildopts of the first
// configuration (by context), and the context set only when there is
// exactly one configuration.
func (p *PackagerV3) ToStreamV2() *Stream {
	s := p.common()
	if len(p.Configurations) == 1 {
		s.Context = p.Configurations[0].Context
	}
	for i, bc := range p.Configurations {
		if i == 0 {
			s.BuildOpts = cloneBuildOpts(bc.BuildOpts)
		}
		s.Dependencies = append(s.Dependencies, bc.dependencies())
	}
	return s
}

// DefaultsDocument returns the modulemd-defaults document that the
// profiles marked "default: true" stand for, or nil when none is marked.
func (p *PackagerV3) DefaultsDocument() *Defaults {
	var profiles []string
	for name, prof := range p.Profiles {
		if prof.Default {
			profiles = append(profiles, name)
		}
	}
	if len(profiles) == 0 {
		return nil
	}
	return &Defaults{
		Module:   p.Name,
		Profiles: map[string][]string{p.Stream: normStreams(profiles)},
	}
}

// common fills the fields every converted stream shares.
func (p *PackagerV3) common() *Stream {
	s := &Stream{
		Name:          p.Name,
		Stream:        p.Stream,
		Summary:       p.Summary,
		Description:   p.Description,
		License:       License{Module: append([]string(nil), p.License...)},
		XMD:           cloneXMD(p.XMD),
		References:    p.References,
		API:           append([]string(nil), p.API...),
		Filter:        append([]string(nil), p.Filter...),
		Demodularized: append([]string(nil), p.Demodularized...),
		Components:    cloneComponents(p.Components),
	}
	if len(s.License.Module) == 0 {
		s.License.Module = []string{DefaultPackagerLicense}
	}
	s.API, s.Filter, s.Demodularized = normSet(s.API), normSet(s.Filter), normSet(s.Demodularized)
	if p.Profiles != nil {
		s.Profiles = make(map[string]Profile, len(p.Profiles))
		for name, prof := range p.Profiles {
			prof.Default = false
			prof.RPMs = append([]string(nil), prof.RPMs...)
			s.Profiles[name] = prof
		}
	}
	return s
}

func (bc BuildConfig) dependencies() Dependencies {
	d := Dependencies{
		BuildRequires: map[string][]string{"platform": {bc.Platform}},
		Requires:      map[string][]string{"platform": {bc.Platform}},
	}
	for mod, stream := range bc.BuildRequires {
		d.BuildRequires[mod] = normStreams(append(d.BuildRequires[mod], stream))
	}
	for mod, stream := range bc.Requires {
		d.Requires[mod] = normStreams(append(d.Requires[mod], stream))
	}
	return d
}

func cloneBuildOpts(b BuildOpts) BuildOpts {
	b.Arches = append([]string(nil), b.Arches...)
	b.RPMs.Whitelist = append([]string(nil), b.RPMs.Whitelist...)
	b.Arches, b.RPMs.Whitelist = normSet(b.Arches), normSet(b.RPMs.Whitelist)
	return b
}

func cloneComponents(c Components) Components {
	var out Components
	if c.RPMs != nil {
		out.RPMs = make(map[string]RPMComponent, len(c.RPMs))
		for k, v := range c.RPMs {
			v.Arches = normSet(v.Arches)
			v.Multilib = normSet(v.Multilib)
			v.Buildafter = normSet(v.Buildafter)
			out.RPMs[k] = v
		}
	}
	if c.Modules != nil {
		out.Modules = make(map[string]ModuleComponent, len(c.Modules))
		for k, v := range c.Modules {
			v.Buildafter = normSet(v.Buildafter)
			out.Modules[k] = v
		}
	}
	return out
}

func cloneXMD(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return cloneValue(m).(map[string]any)
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = cloneValue(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = cloneValue(x)
		}
		return out
	}
	return v
}
