package productmd

import (
	"bufio"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// ini is a parsed INI file with Python configparser's rules as productmd
// uses them: "key = value" or "key: value", keys keep their case,
// full-line comments start with ';' or '#', indented lines continue the
// previous value, duplicate sections and keys are errors.
type ini struct {
	order    []string
	sections map[string]map[string]string
	lines    map[string]int // section -> line of its header
}

func parseINI(r io.Reader, name string) (*ini, error) {
	f := &ini{sections: map[string]map[string]string{}, lines: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var cur map[string]string
	var curName, lastKey string
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			lastKey = ""
			continue
		case trimmed[0] == ';' || trimmed[0] == '#':
			continue
		case line[0] == ' ' || line[0] == '\t':
			if cur == nil || lastKey == "" {
				return nil, fmt.Errorf("%s: line %d: unexpected indented line", name, n)
			}
			cur[lastKey] += "\n" + trimmed
			continue
		case line[0] == '[':
			if !strings.HasSuffix(trimmed, "]") || len(trimmed) < 3 {
				return nil, fmt.Errorf("%s: line %d: bad section header %q", name, n, trimmed)
			}
			curName = trimmed[1 : len(trimmed)-1]
			if _, dup := f.sections[curName]; dup {
				return nil, fmt.Errorf("%s: line %d: duplicate section [%s]", name, n, curName)
			}
			cur = map[string]string{}
			f.sections[curName] = cur
			f.lines[curName] = n
			f.order = append(f.order, curName)
			lastKey = ""
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("%s: line %d: key outside of a section", name, n)
		}
		i := strings.IndexAny(line, "=:")
		if i < 0 {
			return nil, fmt.Errorf("%s: line %d: [%s]: expected key = value", name, n, curName)
		}
		key, value := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		if key == "" {
			return nil, fmt.Errorf("%s: line %d: [%s]: empty key", name, n, curName)
		}
		if _, dup := cur[key]; dup {
			return nil, fmt.Errorf("%s: line %d: [%s]: duplicate key %q", name, n, curName, key)
		}
		cur[key] = value
		lastKey = key
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", name, n+1, err)
	}
	return f, nil
}

// writeINI writes sections and keys sorted, as productmd recommends.
func writeINI(w io.Writer, sections map[string]map[string]string) error {
	bw := bufio.NewWriter(w)
	first := true
	for _, s := range sortedKeys(sections) {
		if !first {
			bw.WriteString("\n")
		}
		first = false
		fmt.Fprintf(bw, "[%s]\n", s)
		kv := sections[s]
		for _, k := range sortedKeys(kv) {
			fmt.Fprintf(bw, "%s = %s\n", k, strings.ReplaceAll(kv[k], "\n", "\n\t"))
		}
	}
	return bw.Flush()
}

// TreeInfo is a .treeinfo file. Files from before productmd (only
// [general], [images-*], [stage2], [checksums]) leave Header, Release and
// Tree empty; their [general] is kept in General.
type TreeInfo struct {
	Header      Header
	Release     Release // [release]; Internal is unused
	BaseProduct *BaseProduct
	Tree        Tree
	Variants    map[string]TreeVariant       // [variant-UID] and [addon-UID], by UID
	Checksums   map[string]Checksum          // [checksums]: path -> checksum
	Images      map[string]map[string]string // [images-PLATFORM]: platform -> name -> path
	Stage2      map[string]string            // [stage2]: mainimage, instimage
	Media       *Media                       // [media]
	General     map[string]string            // [general], the pre-productmd section, verbatim
	Other       map[string]map[string]string // any other section, verbatim
}

// Tree is the [tree] section.
type Tree struct {
	Arch           string
	BuildTimestamp string // int or float unix time, as written
	Platforms      []string
	Variants       []string // variant UIDs
}

// TreeVariant is a [variant-UID] or [addon-UID] section.
type TreeVariant struct {
	Addon    bool // an [addon-UID] section
	ID       string
	UID      string
	Name     string
	Type     string
	Variants []string
	Addons   []string
	// Paths holds every other key: packages, repository, source_packages,
	// source_repository, debug_packages, debug_repository, identity.
	Paths map[string]string
}

// Checksum is "type:value" of [checksums].
type Checksum struct {
	Type, Value string
}

// Media is the [media] section.
type Media struct {
	DiscNum, TotalDiscs int
}

// Arch returns the tree arch from [tree], or from [general] for old files.
func (t *TreeInfo) Arch() string {
	if t.Tree.Arch != "" {
		return t.Tree.Arch
	}
	return t.General["arch"]
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "yes", "true", "on":
		return true, nil
	case "0", "no", "false", "off", "":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q", s)
}

// ReadTreeInfo reads a .treeinfo file; name identifies r in errors.
func ReadTreeInfo(r io.Reader, name string) (*TreeInfo, error) {
	f, err := parseINI(r, name)
	if err != nil {
		return nil, err
	}
	t := &TreeInfo{}
	for _, sec := range f.order {
		kv := f.sections[sec]
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s: line %d: [%s]: %s", name, f.lines[sec], sec, fmt.Sprintf(format, args...))
		}
		switch {
		case sec == "header":
			t.Header = Header{Type: kv["type"], Version: kv["version"]}
			if err := t.Header.check(TypeTreeInfo); err != nil {
				return nil, fail("%v", err)
			}
		case sec == "release":
			t.Release = Release{Name: kv["name"], Short: kv["short"], Version: Version(kv["version"]), Type: kv["type"]}
			if t.Release.IsLayered, err = parseBool(kv["is_layered"]); err != nil {
				return nil, fail("is_layered: %v", err)
			}
		case sec == "base_product":
			t.BaseProduct = &BaseProduct{Name: kv["name"], Short: kv["short"], Version: Version(kv["version"]), Type: kv["type"]}
		case sec == "tree":
			t.Tree = Tree{Arch: kv["arch"], BuildTimestamp: kv["build_timestamp"],
				Platforms: splitList(kv["platforms"]), Variants: splitList(kv["variants"])}
			if ts := t.Tree.BuildTimestamp; ts != "" {
				if _, err := strconv.ParseFloat(ts, 64); err != nil {
					return nil, fail("build_timestamp %q is not a number", ts)
				}
			}
		case sec == "checksums":
			t.Checksums = map[string]Checksum{}
			for path, v := range kv {
				typ, val, ok := strings.Cut(v, ":")
				if !ok || typ == "" || val == "" {
					return nil, fail("checksum of %s: want type:value, got %q", path, v)
				}
				t.Checksums[path] = Checksum{Type: typ, Value: val}
			}
		case strings.HasPrefix(sec, "images-"):
			if t.Images == nil {
				t.Images = map[string]map[string]string{}
			}
			t.Images[strings.TrimPrefix(sec, "images-")] = kv
		case sec == "stage2":
			t.Stage2 = kv
		case sec == "media":
			m := &Media{}
			for key, dst := range map[string]*int{"discnum": &m.DiscNum, "totaldiscs": &m.TotalDiscs} {
				if s := kv[key]; s != "" {
					if *dst, err = strconv.Atoi(s); err != nil || *dst < 0 {
						return nil, fail("%s %q is not a disc number", key, s)
					}
				}
			}
			t.Media = m
		case sec == "general":
			t.General = kv
		case strings.HasPrefix(sec, "variant-") || strings.HasPrefix(sec, "addon-"):
			addon := strings.HasPrefix(sec, "addon-")
			uid := strings.TrimPrefix(strings.TrimPrefix(sec, "variant-"), "addon-")
			if _, dup := t.Variants[uid]; dup {
				return nil, fail("variant %s defined twice", uid)
			}
			v := TreeVariant{Addon: addon, ID: kv["id"], UID: kv["uid"], Name: kv["name"], Type: kv["type"],
				Variants: splitList(kv["variants"]), Addons: splitList(kv["addons"])}
			for k, val := range kv {
				switch k {
				case "id", "uid", "name", "type", "variants", "addons":
				default:
					if v.Paths == nil {
						v.Paths = map[string]string{}
					}
					v.Paths[k] = val
				}
			}
			if t.Variants == nil {
				t.Variants = map[string]TreeVariant{}
			}
			t.Variants[uid] = v
		default:
			if t.Other == nil {
				t.Other = map[string]map[string]string{}
			}
			t.Other[sec] = kv
		}
	}
	if reflect.DeepEqual(t, &TreeInfo{}) {
		return nil, fmt.Errorf("%s: no treeinfo content", name)
	}
	return t, nil
}

// WriteTreeInfo writes t with sections and keys sorted.
func WriteTreeInfo(w io.Writer, t *TreeInfo) error {
	s := map[string]map[string]string{}
	put := func(sec, key, value string) {
		if s[sec] == nil {
			s[sec] = map[string]string{}
		}
		s[sec][key] = value
	}
	putNonEmpty := func(sec, key, value string) {
		if value != "" {
			put(sec, key, value)
		}
	}
	if t.Header != (Header{}) {
		put("header", "type", t.Header.Type)
		put("header", "version", t.Header.Version)
	}
	if t.Release != (Release{}) {
		put("release", "name", t.Release.Name)
		put("release", "short", t.Release.Short)
		put("release", "version", string(t.Release.Version))
		putNonEmpty("release", "type", t.Release.Type)
		if t.Release.IsLayered {
			put("release", "is_layered", "true")
		}
	}
	if b := t.BaseProduct; b != nil {
		put("base_product", "name", b.Name)
		put("base_product", "short", b.Short)
		put("base_product", "version", string(b.Version))
		putNonEmpty("base_product", "type", b.Type)
	}
	if t.Tree.Arch != "" || t.Tree.BuildTimestamp != "" || len(t.Tree.Platforms)+len(t.Tree.Variants) > 0 {
		put("tree", "arch", t.Tree.Arch)
		put("tree", "build_timestamp", t.Tree.BuildTimestamp)
		put("tree", "platforms", strings.Join(t.Tree.Platforms, ","))
		put("tree", "variants", strings.Join(t.Tree.Variants, ","))
	}
	for uid, v := range t.Variants {
		sec := "variant-" + uid
		if v.Addon {
			sec = "addon-" + uid
		}
		s[sec] = map[string]string{}
		for k, p := range v.Paths {
			put(sec, k, p)
		}
		putNonEmpty(sec, "id", v.ID)
		putNonEmpty(sec, "uid", v.UID)
		putNonEmpty(sec, "name", v.Name)
		putNonEmpty(sec, "type", v.Type)
		putNonEmpty(sec, "variants", strings.Join(v.Variants, ","))
		putNonEmpty(sec, "addons", strings.Join(v.Addons, ","))
	}
	if t.Checksums != nil {
		s["checksums"] = map[string]string{}
		for p, c := range t.Checksums {
			put("checksums", p, c.Type+":"+c.Value)
		}
	}
	for p, kv := range t.Images {
		s["images-"+p] = kv
	}
	if t.Stage2 != nil {
		s["stage2"] = t.Stage2
	}
	if t.Media != nil {
		put("media", "discnum", strconv.Itoa(t.Media.DiscNum))
		put("media", "totaldiscs", strconv.Itoa(t.Media.TotalDiscs))
	}
	if t.General != nil {
		s["general"] = t.General
	}
	for sec, kv := range t.Other {
		s[sec] = kv
	}
	return writeINI(w, s)
}

// DiscInfo is a .discinfo file.
type DiscInfo struct {
	Timestamp   string // unix time as written, e.g. "1417653453.026288"
	Release     string // e.g. "Fedora Server 21"
	Arch        string
	AllDiscs    bool  // fourth line "ALL"
	DiscNumbers []int // fourth line "1,2,3"; nil when absent
}

// ReadDiscInfo reads a .discinfo file; name identifies r in errors.
func ReadDiscInfo(r io.Reader, name string) (*DiscInfo, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) < 3 {
		return nil, fmt.Errorf("%s: %d lines, want at least 3 (timestamp, release, arch)", name, len(lines))
	}
	d := &DiscInfo{Timestamp: strings.TrimSpace(lines[0]), Release: lines[1], Arch: strings.TrimSpace(lines[2])}
	if _, err := strconv.ParseFloat(d.Timestamp, 64); err != nil {
		return nil, fmt.Errorf("%s: line 1: timestamp %q is not a number", name, d.Timestamp)
	}
	if d.Arch == "" {
		return nil, fmt.Errorf("%s: line 3: empty architecture", name)
	}
	if strings.ContainsAny(d.Release, "\r") {
		return nil, fmt.Errorf("%s: line 2: carriage return in release", name)
	}
	if len(lines) > 3 {
		switch s := strings.TrimSpace(lines[3]); s {
		case "ALL":
			d.AllDiscs = true
		case "":
		default:
			for _, f := range strings.Split(s, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil || n < 0 {
					return nil, fmt.Errorf("%s: line 4: bad disc number %q", name, f)
				}
				d.DiscNumbers = append(d.DiscNumbers, n)
			}
		}
	}
	return d, nil
}

// WriteDiscInfo writes d.
func WriteDiscInfo(w io.Writer, d *DiscInfo) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n%s\n", d.Timestamp, d.Release, d.Arch)
	switch {
	case d.AllDiscs:
		b.WriteString("ALL\n")
	case len(d.DiscNumbers) > 0:
		for i, n := range d.DiscNumbers {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
