package modulemd

import (
	"sort"
	"time"

	"go.yaml.in/yaml/v3"
)

func parseDefaults(data *yaml.Node) (*Defaults, error) {
	d := &Defaults{}
	err := eachKey(data, "data", func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "module":
			d.Module, err = str(v, key)
		case "modified":
			d.Modified, err = uint64Value(v, key)
		case "stream":
			d.Stream, err = str(v, key)
		case "profiles":
			d.Profiles, err = profileDefaults(v, "profiles")
		case "intents":
			d.Intents, err = parseIntents(v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if d.Module == "" {
		return nil, errAt(data, "module is missing")
	}
	return d, nil
}

// profileDefaults reads stream: [profiles]; an empty list stays non-nil.
func profileDefaults(n *yaml.Node, what string) (map[string][]string, error) {
	m, err := streamMap(n, what)
	return m, err
}

func parseIntents(n *yaml.Node) (map[string]Intent, error) {
	out := map[string]Intent{}
	err := eachKey(n, "intents", func(name string, _, v *yaml.Node) error {
		var in Intent
		what := "intents." + name
		err := eachKey(v, what, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "stream":
				in.Stream, err = str(v, what+".stream")
			case "profiles":
				in.Profiles, err = profileDefaults(v, what+".profiles")
			}
			return err
		})
		out[name] = in
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

// obsoletesTime is the layout of obsoletes dates: YYYY-MM-DDTHH:MMZ.
const obsoletesTime = "2006-01-02T15:04Z"

func obsoletesDate(n *yaml.Node, what string) (string, error) {
	s, err := str(n, what)
	if err != nil {
		return "", err
	}
	if _, err := time.Parse(obsoletesTime, s); err != nil {
		return "", errAt(n, "%s: want a UTC time YYYY-MM-DDTHH:MMZ, got %q", what, s)
	}
	return s, nil
}

func parseObsoletes(data *yaml.Node) (*Obsoletes, error) {
	o := &Obsoletes{}
	err := eachKey(data, "data", func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "modified":
			o.Modified, err = obsoletesDate(v, key)
		case "reset":
			o.Reset, err = boolean(v, key)
		case "module":
			o.Module, err = str(v, key)
		case "stream":
			o.Stream, err = str(v, key)
		case "context":
			o.Context, err = str(v, key)
		case "eol_date":
			o.EOLDate, err = obsoletesDate(v, key)
		case "message":
			o.Message, err = str(v, key)
		case "obsoleted_by":
			by := &ObsoletedBy{}
			err = eachKey(v, key, func(key string, _, v *yaml.Node) error {
				var err error
				switch key {
				case "module":
					by.Module, err = str(v, "obsoleted_by.module")
				case "stream":
					by.Stream, err = str(v, "obsoleted_by.stream")
				}
				return err
			})
			if err == nil && (by.Module == "" || by.Stream == "") {
				err = errAt(v, "obsoleted_by needs both module and stream")
			}
			o.ObsoletedBy = by
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, req := range []struct{ name, v string }{
		{"modified", o.Modified}, {"module", o.Module}, {"stream", o.Stream}, {"message", o.Message},
	} {
		if req.v == "" {
			return nil, errAt(data, "%s is missing", req.name)
		}
	}
	return o, nil
}

func parseTranslations(data *yaml.Node) (*Translations, error) {
	t := &Translations{}
	err := eachKey(data, "data", func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "module":
			t.Module, err = str(v, key)
		case "stream":
			t.Stream, err = str(v, key)
		case "modified":
			t.Modified, err = uint64Value(v, key)
		case "translations":
			t.Entries, err = parseTranslationEntries(v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	switch {
	case t.Module == "":
		return nil, errAt(data, "module is missing")
	case t.Stream == "":
		return nil, errAt(data, "stream is missing")
	case t.Modified == 0:
		return nil, errAt(data, "modified is missing")
	}
	return t, nil
}

func parseTranslationEntries(n *yaml.Node) (map[string]TranslationEntry, error) {
	out := map[string]TranslationEntry{}
	err := eachKey(n, "translations", func(locale string, _, v *yaml.Node) error {
		var e TranslationEntry
		what := "translations." + locale
		err := eachKey(v, what, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "summary":
				e.Summary, err = str(v, what+".summary")
			case "description":
				e.Description, err = str(v, what+".description")
			case "profiles":
				e.Profiles = map[string]string{}
				err = eachKey(v, what+".profiles", func(p string, _, v *yaml.Node) error {
					var err error
					e.Profiles[p], err = str(v, what+".profiles."+p)
					return err
				})
				if len(e.Profiles) == 0 {
					e.Profiles = nil
				}
			}
			return err
		})
		out[locale] = e
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

// PackagerV3 is a modulemd-packager v3 document as written. Read converts
// it to streams (see Streams); it is kept for callers that need the
// build configurations themselves.
type PackagerV3 struct {
	Name           string
	Stream         string
	Summary        string
	Description    string
	License        []string // module licenses, sorted set
	XMD            map[string]any
	Configurations []BuildConfig // sorted by context
	References     References
	Profiles       map[string]Profile
	API            []string
	Filter         []string
	Demodularized  []string
	Components     Components
}

// BuildConfig is one entry of a packager v3 document's configurations.
type BuildConfig struct {
	Context  string
	Platform string
	// BuildRequires and Requires map a module to the single stream this
	// configuration depends on.
	BuildRequires map[string]string
	Requires      map[string]string
	BuildOpts     BuildOpts
}

// parsePackagerV3 reads a packager v3 data mapping strictly: unknown keys
// are errors, as in libmodulemd.
func parsePackagerV3(data *yaml.Node) (*PackagerV3, error) {
	p := &PackagerV3{}
	contexts := map[string]bool{}
	err := eachKey(data, "data", func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "name":
			p.Name, err = str(v, key)
		case "stream":
			p.Stream, err = str(v, key)
		case "summary":
			p.Summary, err = str(v, key)
		case "description":
			p.Description, err = str(v, key)
		case "license":
			p.License, err = set(v, key)
		case "xmd":
			p.XMD, err = parseXMD(v)
		case "configurations":
			if v.Kind != yaml.SequenceNode {
				return errAt(v, "configurations: want a list, got %s", kindName(v))
			}
			for _, c := range v.Content {
				bc, err := parseBuildConfig(c)
				if err != nil {
					return err
				}
				if contexts[bc.Context] {
					return errAt(c, "configurations: context %q appears twice", bc.Context)
				}
				contexts[bc.Context] = true
				p.Configurations = append(p.Configurations, bc)
			}
		case "references":
			p.References, err = parseReferences(v, true)
		case "profiles":
			p.Profiles, err = parseProfiles(v, true)
		case "api":
			p.API, err = rpmsSet(v, key, true)
		case "filter":
			p.Filter, err = rpmsSet(v, key, true)
		case "demodularized":
			p.Demodularized, err = rpmsSet(v, key, true)
		case "components":
			p.Components, err = parseComponents(v, true)
		default:
			return errAt(k, "unexpected key %q in a packager v3 document", key)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sortConfigs(p.Configurations)
	if p.Summary == "" {
		return nil, errAt(data, "summary is missing")
	}
	if p.Description == "" {
		return nil, errAt(data, "description is missing")
	}
	return p, nil
}

func parseBuildConfig(n *yaml.Node) (BuildConfig, error) {
	var bc BuildConfig
	single := func(v *yaml.Node, what string) (map[string]string, error) {
		m := map[string]string{}
		err := eachKey(v, what, func(mod string, _, v *yaml.Node) error {
			l, err := list(v, what+"."+mod)
			if err != nil {
				return err
			}
			if len(l) != 1 {
				return errAt(v, "%s.%s: want exactly one stream, got %d", what, mod, len(l))
			}
			m[mod] = l[0]
			return nil
		})
		if len(m) == 0 {
			m = nil
		}
		return m, err
	}
	n = deref(n)
	err := eachKey(n, "configurations", func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "context":
			bc.Context, err = str(v, "configurations.context")
		case "platform":
			bc.Platform, err = str(v, "configurations.platform")
		case "buildrequires":
			bc.BuildRequires, err = single(v, "configurations.buildrequires")
		case "requires":
			bc.Requires, err = single(v, "configurations.requires")
		case "buildopts":
			bc.BuildOpts, err = parseBuildOpts(v, true)
		default:
			return errAt(k, "configurations: unexpected key %q", key)
		}
		return err
	})
	if err != nil {
		return bc, err
	}
	if err := checkContext(bc.Context, 10, false); err != nil {
		return bc, errAt(n, "configurations: %v", err)
	}
	if bc.Platform == "" {
		return bc, errAt(n, "configurations: context %s: platform is missing", bc.Context)
	}
	return bc, nil
}

func sortConfigs(c []BuildConfig) {
	sort.Slice(c, func(i, j int) bool { return c[i].Context < c[j].Context })
}
