package modulemd

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Encoder writes documents as a multi-document YAML stream, each between
// "---" and "...", in libmodulemd's field order with sorted keys.
type Encoder struct {
	w   io.Writer
	err error
}

// NewEncoder returns an encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// Encode writes one document: a *Stream (as modulemd v2), *Defaults,
// *Obsoletes, *Translations, or a *Document (its streams and the other
// parts it holds).
func (e *Encoder) Encode(v any) error {
	if e.err != nil {
		return e.err
	}
	switch v := v.(type) {
	case *Stream:
		e.err = e.write(KindStream, 2, streamNode(v))
	case *Defaults:
		e.err = e.write(KindDefaults, 1, defaultsNode(v))
	case *Obsoletes:
		e.err = e.write(KindObsoletes, 1, obsoletesNode(v))
	case *Translations:
		e.err = e.write(KindTranslations, 1, translationsNode(v))
	case *Document:
		if v.Defaults != nil {
			e.err = e.Encode(v.Defaults)
		}
		if v.Obsoletes != nil {
			e.err = e.Encode(v.Obsoletes)
		}
		if v.Translations != nil {
			e.err = e.Encode(v.Translations)
		}
		for _, s := range v.Streams {
			e.err = e.Encode(s)
		}
	default:
		e.err = fmt.Errorf("modulemd: cannot encode %T", v)
	}
	return e.err
}

func (e *Encoder) write(kind string, version int, data *yaml.Node) error {
	doc := newMap()
	doc.add("document", plain(kind))
	doc.add("version", intNode(strconv.Itoa(version)))
	doc.add("data", data)
	var buf bytes.Buffer
	buf.WriteString("---\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc.node()); err != nil {
		return fmt.Errorf("modulemd: encoding %s: %w", kind, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("modulemd: encoding %s: %w", kind, err)
	}
	buf.WriteString("...\n")
	_, err := e.w.Write(buf.Bytes())
	return err
}

// Encode writes the whole index the way libmodulemd dumps one: modules by
// name, and for each its defaults, obsoletes, translations and streams
// (ordered by NSVCA).
func (x *Index) Encode(w io.Writer) error {
	e := NewEncoder(w)
	for _, name := range x.ModuleNames() {
		m := x.Modules[name]
		if m.Defaults != nil {
			if err := e.Encode(m.Defaults); err != nil {
				return err
			}
		}
		obs := append([]*Obsoletes(nil), m.Obsoletes...)
		sort.SliceStable(obs, func(i, j int) bool {
			a, b := obs[i], obs[j]
			if a.Stream != b.Stream {
				return a.Stream < b.Stream
			}
			if a.Context != b.Context {
				return a.Context < b.Context
			}
			return a.Modified < b.Modified
		})
		for _, o := range obs {
			if err := e.Encode(o); err != nil {
				return err
			}
		}
		tr := append([]*Translations(nil), m.Translations...)
		sort.SliceStable(tr, func(i, j int) bool { return tr[i].Stream < tr[j].Stream })
		for _, t := range tr {
			if err := e.Encode(t); err != nil {
				return err
			}
		}
		for _, s := range sortedStreams(m.Streams) {
			if err := e.Encode(s); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedStreams(in []*Stream) []*Stream {
	out := append([]*Stream(nil), in...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].NSVCA() < out[j].NSVCA() })
	return out
}

// mapNode builds a mapping node in insertion order.
type mapNode struct{ n *yaml.Node }

func newMap() mapNode { return mapNode{&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}} }

func (m mapNode) add(key string, v *yaml.Node) {
	m.n.Content = append(m.n.Content, strNode(key), v)
}

func (m mapNode) addStr(key, v string) {
	if v != "" {
		m.add(key, strNode(v))
	}
}

func (m mapNode) addSet(key string, v []string) {
	if len(v) > 0 {
		m.add(key, seqNode(v, false))
	}
}

func (m mapNode) addTrue(key string, v bool) {
	if v {
		m.add(key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
}

func (m mapNode) empty() bool      { return len(m.n.Content) == 0 }
func (m mapNode) node() *yaml.Node { return m.n }

func plain(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

func intNode(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: v} }

// yaml11Special matches plain scalars that YAML 1.1 readers (PyYAML,
// older tools) would not read as strings although YAML 1.2 does:
// yes/no/on/off/y/n, sexagesimal numbers, numbers with underscores.
var yaml11Number = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$|^[-+]?(0b[01_]+|0[0-7_]+|[0-9][0-9_]*_[0-9_]*|0x[0-9a-fA-F_]+)$|^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+][0-9]+)?$`)

func yaml11Special(v string) bool {
	if len(v) == 0 || len(v) > 64 {
		return false
	}
	switch c := v[0]; {
	case c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 'o' || c == 'O':
		switch strings.ToLower(v) {
		case "y", "n", "yes", "no", "on", "off":
			return true
		}
		return false
	case c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.':
		return yaml11Number.MatchString(v)
	}
	return false
}

// strNode is a string scalar that always reads back as the same string:
// yaml.v3 quotes values that YAML 1.2 would read otherwise ("1.10",
// "true", "00000000", ""); values YAML 1.1 would misread are quoted too.
func strNode(v string) *yaml.Node {
	n := plain(v)
	if yaml11Special(v) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func quoted(v string) *yaml.Node {
	n := plain(v)
	n.Style = yaml.DoubleQuotedStyle
	return n
}

func seqNode(v []string, flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	for _, s := range v {
		n.Content = append(n.Content, strNode(s))
	}
	return n
}

// isDigits reports whether a version can be written as a plain integer.
func isDigits(v string) bool {
	_, err := strconv.ParseUint(v, 10, 64)
	return err == nil
}

func streamNode(s *Stream) *yaml.Node {
	m := newMap()
	m.addStr("name", s.Name)
	if s.Stream != "" {
		m.add("stream", quoted(s.Stream))
	}
	if s.Version != "" {
		if isDigits(s.Version) {
			m.add("version", intNode(s.Version))
		} else {
			m.add("version", strNode(s.Version))
		}
	}
	m.addStr("context", s.Context)
	m.addTrue("static_context", s.StaticContext)
	m.addStr("arch", s.Arch)
	m.add("summary", strNode(s.Summary))
	m.add("description", strNode(s.Description))
	if len(s.ServiceLevels) > 0 {
		sl := newMap()
		for _, name := range sortedKeys(s.ServiceLevels) {
			e := newMap()
			e.addStr("eol", s.ServiceLevels[name].EOL)
			sl.add(name, e.node())
		}
		m.add("servicelevels", sl.node())
	}
	lic := newMap()
	lic.add("module", seqNode(s.License.Module, false))
	lic.addSet("content", s.License.Content)
	m.add("license", lic.node())
	if s.XMD != nil {
		m.add("xmd", anyNode(s.XMD, 0))
	}
	if len(s.Dependencies) > 0 {
		deps := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, d := range s.Dependencies {
			e := newMap()
			if len(d.BuildRequires) > 0 {
				e.add("buildrequires", streamsNode(d.BuildRequires))
			}
			if len(d.Requires) > 0 {
				e.add("requires", streamsNode(d.Requires))
			}
			deps.Content = append(deps.Content, e.node())
		}
		m.add("dependencies", deps)
	}
	ref := newMap()
	ref.addStr("community", s.References.Community)
	ref.addStr("documentation", s.References.Documentation)
	ref.addStr("tracker", s.References.Tracker)
	if !ref.empty() {
		m.add("references", ref.node())
	}
	if len(s.Profiles) > 0 {
		pm := newMap()
		for _, name := range sortedKeys(s.Profiles) {
			p := s.Profiles[name]
			e := newMap()
			e.addStr("description", p.Description)
			e.addSet("rpms", p.RPMs)
			pm.add(name, e.node())
		}
		m.add("profiles", pm.node())
	}
	for _, l := range []struct {
		key  string
		rpms []string
	}{{"api", s.API}, {"filter", s.Filter}, {"demodularized", s.Demodularized}} {
		if len(l.rpms) > 0 {
			e := newMap()
			e.addSet("rpms", l.rpms)
			m.add(l.key, e.node())
		}
	}
	if bo := buildOptsNode(s.BuildOpts); bo != nil {
		m.add("buildopts", bo)
	}
	if comps := componentsNode(s.Components); comps != nil {
		m.add("components", comps)
	}
	if len(s.Artifacts.RPMs) > 0 || len(s.Artifacts.RPMMap) > 0 {
		a := newMap()
		a.addSet("rpms", s.Artifacts.RPMs)
		if len(s.Artifacts.RPMMap) > 0 {
			rm := newMap()
			for _, digest := range sortedKeys(s.Artifacts.RPMMap) {
				sums := s.Artifacts.RPMMap[digest]
				dm := newMap()
				for _, sum := range sortedKeys(sums) {
					r := sums[sum]
					e := newMap()
					e.addStr("name", r.Name)
					e.add("epoch", intNode(strconv.FormatUint(r.Epoch, 10)))
					e.addStr("version", r.Version)
					e.addStr("release", r.Release)
					e.addStr("arch", r.Arch)
					e.addStr("nevra", r.NEVRA)
					dm.add(sum, e.node())
				}
				rm.add(digest, dm.node())
			}
			a.add("rpm-map", rm.node())
		}
		m.add("artifacts", a.node())
	}
	return m.node()
}

func streamsNode(deps map[string][]string) *yaml.Node {
	m := newMap()
	for _, mod := range sortedKeys(deps) {
		m.add(mod, seqNode(deps[mod], true))
	}
	return m.node()
}

func buildOptsNode(b BuildOpts) *yaml.Node {
	if b.empty() {
		return nil
	}
	m := newMap()
	if b.RPMs.Macros != "" || len(b.RPMs.Whitelist) > 0 {
		r := newMap()
		r.addStr("macros", b.RPMs.Macros)
		r.addSet("whitelist", b.RPMs.Whitelist)
		m.add("rpms", r.node())
	}
	if len(b.Arches) > 0 {
		m.add("arches", seqNode(b.Arches, true))
	}
	return m.node()
}

func componentsNode(c Components) *yaml.Node {
	if len(c.RPMs) == 0 && len(c.Modules) == 0 {
		return nil
	}
	m := newMap()
	if len(c.RPMs) > 0 {
		rm := newMap()
		for _, key := range sortedKeys(c.RPMs) {
			r := c.RPMs[key]
			e := newMap()
			e.addStr("rationale", r.Rationale)
			if r.Name != key {
				e.addStr("name", r.Name)
			}
			e.addStr("repository", r.Repository)
			e.addStr("cache", r.Cache)
			e.addStr("ref", r.Ref)
			e.addTrue("buildonly", r.Buildonly)
			e.addTrue("buildroot", r.Buildroot)
			e.addTrue("srpm-buildroot", r.SRPMBuildroot)
			if r.Buildorder != 0 {
				e.add("buildorder", intNode(strconv.FormatInt(r.Buildorder, 10)))
			}
			if len(r.Buildafter) > 0 {
				e.add("buildafter", seqNode(r.Buildafter, false))
			}
			if len(r.Arches) > 0 {
				e.add("arches", seqNode(r.Arches, true))
			}
			if len(r.Multilib) > 0 {
				e.add("multilib", seqNode(r.Multilib, true))
			}
			rm.add(key, e.node())
		}
		m.add("rpms", rm.node())
	}
	if len(c.Modules) > 0 {
		mm := newMap()
		for _, key := range sortedKeys(c.Modules) {
			r := c.Modules[key]
			e := newMap()
			e.addStr("rationale", r.Rationale)
			e.addStr("repository", r.Repository)
			e.addStr("ref", r.Ref)
			if r.Buildorder != 0 {
				e.add("buildorder", intNode(strconv.FormatInt(r.Buildorder, 10)))
			}
			if len(r.Buildafter) > 0 {
				e.add("buildafter", seqNode(r.Buildafter, false))
			}
			e.addTrue("buildonly", r.Buildonly)
			mm.add(key, e.node())
		}
		m.add("modules", mm.node())
	}
	return m.node()
}

// anyNode converts an xmd value back to YAML.
func anyNode(v any, depth int) *yaml.Node {
	if depth > maxAliasDepth {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	switch v := v.(type) {
	case map[string]any:
		m := newMap()
		for _, k := range sortedKeys(v) {
			m.add(k, anyNode(v[k], depth+1))
		}
		return m.node()
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, x := range v {
			n.Content = append(n.Content, anyNode(x, depth+1))
		}
		return n
	case string:
		return strNode(v)
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case int:
		return intNode(strconv.Itoa(v))
	case int64:
		return intNode(strconv.FormatInt(v, 10))
	case uint64:
		return intNode(strconv.FormatUint(v, 10))
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return strNode(strconv.FormatFloat(v, 'g', -1, 64))
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(v, 'g', -1, 64)}
	}
	return strNode(fmt.Sprint(v))
}

func profilesMapNode(p map[string][]string) *yaml.Node {
	m := newMap()
	for _, stream := range sortedKeys(p) {
		m.add(stream, seqNode(p[stream], true))
	}
	return m.node()
}

func defaultsNode(d *Defaults) *yaml.Node {
	m := newMap()
	m.add("module", strNode(d.Module))
	if d.Modified != 0 {
		m.add("modified", intNode(strconv.FormatUint(d.Modified, 10)))
	}
	if d.Stream != "" {
		m.add("stream", quoted(d.Stream))
	}
	if len(d.Profiles) > 0 {
		m.add("profiles", profilesMapNode(d.Profiles))
	}
	if len(d.Intents) > 0 {
		im := newMap()
		for _, name := range sortedKeys(d.Intents) {
			in := d.Intents[name]
			e := newMap()
			if in.Stream != "" {
				e.add("stream", quoted(in.Stream))
			}
			if len(in.Profiles) > 0 {
				e.add("profiles", profilesMapNode(in.Profiles))
			}
			im.add(name, e.node())
		}
		m.add("intents", im.node())
	}
	return m.node()
}

func obsoletesNode(o *Obsoletes) *yaml.Node {
	m := newMap()
	m.addStr("modified", o.Modified)
	m.addTrue("reset", o.Reset)
	m.add("module", strNode(o.Module))
	m.add("stream", quoted(o.Stream))
	m.addStr("context", o.Context)
	m.addStr("eol_date", o.EOLDate)
	m.add("message", strNode(o.Message))
	if o.ObsoletedBy != nil {
		b := newMap()
		b.add("module", strNode(o.ObsoletedBy.Module))
		b.add("stream", quoted(o.ObsoletedBy.Stream))
		m.add("obsoleted_by", b.node())
	}
	return m.node()
}

func translationsNode(t *Translations) *yaml.Node {
	m := newMap()
	m.add("module", strNode(t.Module))
	m.add("stream", quoted(t.Stream))
	m.add("modified", intNode(strconv.FormatUint(t.Modified, 10)))
	tm := newMap()
	for _, locale := range sortedKeys(t.Entries) {
		e := t.Entries[locale]
		em := newMap()
		em.add("summary", strNode(e.Summary))
		em.add("description", strNode(e.Description))
		if len(e.Profiles) > 0 {
			pm := newMap()
			for _, p := range sortedKeys(e.Profiles) {
				pm.add(p, strNode(e.Profiles[p]))
			}
			em.add("profiles", pm.node())
		}
		tm.add(locale, em.node())
	}
	m.add("translations", tm.node())
	return m.node()
}

// Marshal returns the YAML of the given documents (see Encoder.Encode).
func Marshal(docs ...any) ([]byte, error) {
	var buf bytes.Buffer
	e := NewEncoder(&buf)
	for _, d := range docs {
		if err := e.Encode(d); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
