package repodata

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Repomd is the index of a repository's metadata: repodata/repomd.xml.
type Repomd struct {
	Revision string `json:"revision,omitempty"`
	Tags     Tags   `json:"tags,omitzero"`
	Data     []Data `json:"data"`
}

// Tags are the optional <tags> of repomd.xml.
type Tags struct {
	Content []string    `json:"content,omitempty"`
	Repo    []string    `json:"repo,omitempty"`
	Distro  []DistroTag `json:"distro,omitempty"`
}

// DistroTag is one <distro cpeid="...">name</distro> tag.
type DistroTag struct {
	CPEID string `json:"cpeid,omitempty"`
	Name  string `json:"name"`
}

// Data is one <data> entry of repomd.xml: a metadata file and what its
// bytes must be. Sizes and the timestamp are 0 when absent.
type Data struct {
	Type            string   `json:"type"`
	Location        string   `json:"location"`
	LocationBase    string   `json:"location_base,omitempty"`
	Checksum        Checksum `json:"checksum"`
	OpenChecksum    Checksum `json:"open_checksum,omitzero"`
	HeaderChecksum  Checksum `json:"header_checksum,omitzero"`
	Timestamp       int64    `json:"timestamp,omitempty"`
	Size            int64    `json:"size,omitempty"`
	OpenSize        int64    `json:"open_size,omitempty"`
	HeaderSize      int64    `json:"header_size,omitempty"`
	DatabaseVersion int      `json:"database_version,omitempty"`
}

// Find returns the first entry of the given type, or nil.
func (m *Repomd) Find(typ string) *Data {
	for i := range m.Data {
		if m.Data[i].Type == typ {
			return &m.Data[i]
		}
	}
	return nil
}

// ParseRepomd reads repomd.xml; name is used in errors. A <data> element
// without a type or a location is an error.
func ParseRepomd(r io.Reader, name string) (*Repomd, error) {
	t := newTokens(r, name)
	if _, err := t.root("repomd"); err != nil {
		return nil, err
	}
	m := &Repomd{}
	for {
		tok, err := t.next()
		if err != nil {
			return nil, t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			break // </repomd>
		}
		switch se.Name.Local {
		case "revision":
			if m.Revision, err = t.text(); err != nil {
				return nil, err
			}
			m.Revision = strings.TrimSpace(m.Revision)
		case "tags":
			if err := t.parseTags(&m.Tags); err != nil {
				return nil, err
			}
		case "data":
			d, err := t.parseData(se)
			if err != nil {
				return nil, err
			}
			m.Data = append(m.Data, d)
		default:
			if err := t.skip(); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func (t *tokens) parseTags(tags *Tags) error {
	for {
		tok, err := t.next()
		if err != nil {
			return t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			return nil
		}
		v, err := t.text()
		if err != nil {
			return err
		}
		switch se.Name.Local {
		case "content":
			tags.Content = append(tags.Content, v)
		case "repo":
			tags.Repo = append(tags.Repo, v)
		case "distro":
			tags.Distro = append(tags.Distro, DistroTag{CPEID: attr(se, "cpeid"), Name: v})
		}
	}
}

func (t *tokens) parseData(start xml.StartElement) (Data, error) {
	line := t.line()
	var d Data
	if !hasAttr(start, "type") || attr(start, "type") == "" {
		return d, fmt.Errorf("%s: line %d: <data> element has no type attribute", t.name, line)
	}
	d.Type = attr(start, "type")
	for {
		tok, err := t.next()
		if err != nil {
			return d, t.wrap(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			break
		}
		switch se.Name.Local {
		case "checksum", "open-checksum", "header-checksum":
			c := Checksum{Type: attr(se, "type")}
			if c.Value, err = t.text(); err != nil {
				return d, err
			}
			c.Value = strings.ToLower(strings.TrimSpace(c.Value))
			if c.Type == "" {
				return d, t.errorf("<data type=%q>: <%s> has no type attribute", d.Type, se.Name.Local)
			}
			switch se.Name.Local {
			case "checksum":
				d.Checksum = c
			case "open-checksum":
				d.OpenChecksum = c
			default:
				d.HeaderChecksum = c
			}
		case "location":
			d.Location = attr(se, "href")
			d.LocationBase = xmlBase(se)
			if err := t.skip(); err != nil {
				return d, err
			}
		case "timestamp", "size", "open-size", "header-size", "database_version":
			n, err := t.intText(se)
			if err != nil {
				return d, err
			}
			switch se.Name.Local {
			case "timestamp":
				d.Timestamp = n
			case "size":
				d.Size = n
			case "open-size":
				d.OpenSize = n
			case "header-size":
				d.HeaderSize = n
			default:
				d.DatabaseVersion = int(n)
			}
		default:
			if err := t.skip(); err != nil {
				return d, err
			}
		}
	}
	if d.Location == "" {
		return d, fmt.Errorf("%s: line %d: <data type=%q> has no <location href>", t.name, line, d.Type)
	}
	return d, nil
}

// Marshal returns repomd.xml as createrepo_c lays it out.
func (m *Repomd) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">` + "\n")
	if m.Revision != "" {
		fmt.Fprintf(&b, "  <revision>%s</revision>\n", escText(m.Revision))
	}
	if len(m.Tags.Content)+len(m.Tags.Repo)+len(m.Tags.Distro) > 0 {
		b.WriteString("  <tags>\n")
		for _, v := range m.Tags.Content {
			fmt.Fprintf(&b, "    <content>%s</content>\n", escText(v))
		}
		for _, v := range m.Tags.Repo {
			fmt.Fprintf(&b, "    <repo>%s</repo>\n", escText(v))
		}
		for _, v := range m.Tags.Distro {
			if v.CPEID != "" {
				fmt.Fprintf(&b, "    <distro cpeid=\"%s\">%s</distro>\n", escAttr(v.CPEID), escText(v.Name))
			} else {
				fmt.Fprintf(&b, "    <distro>%s</distro>\n", escText(v.Name))
			}
		}
		b.WriteString("  </tags>\n")
	}
	for _, d := range m.Data {
		fmt.Fprintf(&b, "  <data type=\"%s\">\n", escAttr(d.Type))
		writeSum := func(el string, c Checksum) {
			if !c.IsZero() {
				fmt.Fprintf(&b, "    <%s type=\"%s\">%s</%s>\n", el, escAttr(c.Type), escText(c.Value), el)
			}
		}
		writeSum("checksum", d.Checksum)
		writeSum("open-checksum", d.OpenChecksum)
		writeSum("header-checksum", d.HeaderChecksum)
		if d.LocationBase != "" {
			fmt.Fprintf(&b, "    <location xml:base=\"%s\" href=\"%s\"/>\n", escAttr(d.LocationBase), escAttr(d.Location))
		} else {
			fmt.Fprintf(&b, "    <location href=\"%s\"/>\n", escAttr(d.Location))
		}
		writeInt := func(el string, n int64) {
			if n != 0 {
				fmt.Fprintf(&b, "    <%s>%s</%s>\n", el, strconv.FormatInt(n, 10), el)
			}
		}
		writeInt("timestamp", d.Timestamp)
		writeInt("size", d.Size)
		writeInt("open-size", d.OpenSize)
		writeInt("header-size", d.HeaderSize)
		writeInt("database_version", int64(d.DatabaseVersion))
		b.WriteString("  </data>\n")
	}
	b.WriteString("</repomd>\n")
	return b.Bytes()
}
