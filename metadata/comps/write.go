package comps

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// ErrIntltoolTranslations is returned by Write for an Intltool document
// that carries xml:lang translations: the .xml.in form cannot hold them.
var ErrIntltoolTranslations = errors.New("comps: the .xml.in form cannot carry translations")

// WriteOptions controls Write.
type WriteOptions struct {
	// KeepOrder writes everything in the order of the Comps slices instead
	// of the canonical order (see the package documentation).
	KeepOrder bool
}

// Write writes c as a comps document. The output validates against
// fedora-comps' comps.rng unless c uses what the schema lacks (BiarchOnly,
// empty grouplists, conditional packagereqs without Requires).
func Write(w io.Writer, c *Comps, opts WriteOptions) error {
	if c.Intltool {
		if err := checkNoTranslations(c); err != nil {
			return err
		}
	}
	if !opts.KeepOrder {
		c = c.Clone()
		c.Sort()
	}
	cw := &writer{w: bufio.NewWriter(w), intltool: c.Intltool}
	cw.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	cw.raw(`<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">` + "\n")
	cw.raw("<comps>\n")
	for i := range c.Groups {
		cw.group(&c.Groups[i])
	}
	for i := range c.Environments {
		cw.environment(&c.Environments[i])
	}
	for i := range c.Categories {
		cw.category(&c.Categories[i])
	}
	if len(c.Langpacks) > 0 {
		cw.raw("  <langpacks>\n")
		for _, l := range c.Langpacks {
			cw.raw("    <match")
			cw.attr("name", l.Name)
			cw.attr("install", l.Install)
			cw.raw("/>\n")
		}
		cw.raw("  </langpacks>\n")
	}
	if len(c.Blacklist) > 0 {
		cw.raw("  <blacklist>\n")
		for _, b := range c.Blacklist {
			cw.raw("    <package")
			cw.attr("name", b.Name)
			cw.optAttr("arch", b.Arch)
			cw.raw("/>\n")
		}
		cw.raw("  </blacklist>\n")
	}
	if len(c.Whiteout) > 0 {
		cw.raw("  <whiteout>\n")
		for _, d := range c.Whiteout {
			cw.raw("    <ignoredep")
			cw.attr("package", d.Package)
			cw.attr("requires", d.Requires)
			cw.raw("/>\n")
		}
		cw.raw("  </whiteout>\n")
	}
	cw.raw("</comps>\n")
	if cw.err != nil {
		return fmt.Errorf("comps: write: %w", cw.err)
	}
	if err := cw.w.Flush(); err != nil {
		return fmt.Errorf("comps: write: %w", err)
	}
	return nil
}

func checkNoTranslations(c *Comps) error {
	for _, g := range c.Groups {
		if len(g.Names)+len(g.Descriptions) > 0 {
			return fmt.Errorf("%w (group %s)", ErrIntltoolTranslations, g.ID)
		}
	}
	for _, e := range c.Environments {
		if len(e.Names)+len(e.Descriptions) > 0 {
			return fmt.Errorf("%w (environment %s)", ErrIntltoolTranslations, e.ID)
		}
	}
	for _, k := range c.Categories {
		if len(k.Names)+len(k.Descriptions) > 0 {
			return fmt.Errorf("%w (category %s)", ErrIntltoolTranslations, k.ID)
		}
	}
	return nil
}

type writer struct {
	w        *bufio.Writer
	intltool bool
	err      error
}

func (w *writer) raw(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

func (w *writer) escaped(s string) {
	if w.err == nil {
		w.err = xml.EscapeText(w.w, []byte(s))
	}
}

func (w *writer) attr(name, value string) {
	w.raw(" " + name + `="`)
	w.escaped(value)
	w.raw(`"`)
}

func (w *writer) optAttr(name, value string) {
	if value != "" {
		w.attr(name, value)
	}
}

// elem writes <name>text</name>, or <name/> for empty text.
func (w *writer) elem(indent, name, lang, text string) {
	w.raw(indent + "<" + name)
	if lang != "" {
		w.attr("xml:lang", lang)
	}
	if text == "" {
		w.raw("/>\n")
		return
	}
	w.raw(">")
	w.escaped(text)
	w.raw("</" + name + ">\n")
}

func (w *writer) texts(id, name string, names map[string]string, desc string, descs map[string]string) {
	const in = "    "
	w.elem(in, "id", "", id)
	nameTag, descTag := "name", "description"
	if w.intltool {
		nameTag, descTag = "_name", "_description"
	}
	w.elem(in, nameTag, "", name)
	for _, l := range sortedKeys(names) {
		w.elem(in, nameTag, l, names[l])
	}
	w.elem(in, descTag, "", desc)
	for _, l := range sortedKeys(descs) {
		w.elem(in, descTag, l, descs[l])
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (w *writer) group(g *Group) {
	w.raw("  <group")
	w.optAttr("arch", g.Arch)
	w.optAttr("variant", g.Variant)
	w.raw(">\n")
	w.texts(g.ID, g.Name, g.Names, g.Description, g.Descriptions)
	w.elem("    ", "default", "", strconv.FormatBool(g.Default))
	w.elem("    ", "uservisible", "", strconv.FormatBool(g.UserVisible))
	if g.BiarchOnly {
		w.elem("    ", "biarchonly", "", "true")
	}
	if g.DisplayOrder > 0 {
		w.elem("    ", "display_order", "", strconv.Itoa(g.DisplayOrder))
	}
	if g.LangOnly != "" {
		w.elem("    ", "langonly", "", g.LangOnly)
	}
	if len(g.Packages) == 0 {
		w.raw("    <packagelist/>\n")
	} else {
		w.raw("    <packagelist>\n")
		for _, p := range g.Packages {
			w.raw("      <packagereq")
			w.optAttr("type", string(p.Type))
			w.optAttr("requires", p.Requires)
			if p.BasearchOnly {
				w.attr("basearchonly", "true")
			}
			w.optAttr("arch", p.Arch)
			w.optAttr("variant", p.Variant)
			w.raw(">")
			w.escaped(p.Name)
			w.raw("</packagereq>\n")
		}
		w.raw("    </packagelist>\n")
	}
	w.raw("  </group>\n")
}

func (w *writer) groupList(tag string, ids []GroupID) {
	if len(ids) == 0 {
		w.raw("    <" + tag + "/>\n")
		return
	}
	w.raw("    <" + tag + ">\n")
	for _, id := range ids {
		w.raw("      <groupid")
		if id.Default {
			w.attr("default", "true")
		}
		w.optAttr("arch", id.Arch)
		w.raw(">")
		w.escaped(id.Name)
		w.raw("</groupid>\n")
	}
	w.raw("    </" + tag + ">\n")
}

func (w *writer) environment(e *Environment) {
	w.raw("  <environment")
	w.optAttr("arch", e.Arch)
	w.optAttr("variant", e.Variant)
	w.raw(">\n")
	w.texts(e.ID, e.Name, e.Names, e.Description, e.Descriptions)
	if e.DisplayOrder > 0 {
		w.elem("    ", "display_order", "", strconv.Itoa(e.DisplayOrder))
	}
	w.groupList("grouplist", e.Groups)
	if len(e.Options) > 0 {
		w.groupList("optionlist", e.Options)
	}
	w.raw("  </environment>\n")
}

func (w *writer) category(k *Category) {
	w.raw("  <category")
	w.optAttr("arch", k.Arch)
	w.optAttr("variant", k.Variant)
	w.raw(">\n")
	w.texts(k.ID, k.Name, k.Names, k.Description, k.Descriptions)
	if k.DisplayOrder > 0 {
		w.elem("    ", "display_order", "", strconv.Itoa(k.DisplayOrder))
	}
	w.groupList("grouplist", k.Groups)
	w.raw("  </category>\n")
}
