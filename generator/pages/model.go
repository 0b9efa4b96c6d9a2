package pages

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/distmeta/distmeta/generator/answer"
	"github.com/distmeta/distmeta/site/answers"
)

// world is the answers with the indexes every page needs: which pages
// exist, and the few documents many pages show (composes, variants,
// mirrors, the rebuild graph), decoded once up front. Source and status
// documents are decoded when a page first asks for them.
//
// Pages read the world only through the methods that take a *deps: they
// record what each page read, so that Update renders again exactly the
// pages whose inputs changed. Its fields are not for the page code.
type world struct {
	docs map[string]map[string][]byte

	names    map[string][]string // kind -> sorted keys (src, pkg, mod)
	composes []*answers.Compose
	variants []*answers.Variant
	latest   *answers.Compose
	mirrors  *answers.Mirrors
	graph    *answer.RebuildGraphDoc

	index []*IndexSource // per source component, for the index page

	mu       sync.Mutex
	srcs     map[string]*answers.Source // decoded source answers
	statuses map[string]*answers.Status // decoded status answers by key
}

func decode[T any](kind, key string, b []byte) (*T, error) {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", kind, key, err)
	}
	return &v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func newWorld(docs map[string]map[string][]byte) (*world, error) {
	w := &world{docs: docs, names: map[string][]string{}, srcs: map[string]*answers.Source{}, statuses: map[string]*answers.Status{}}
	for _, k := range []string{answers.KindSource, answers.KindPackage, answers.KindModule} {
		w.names[k] = sortedKeys(docs[k])
	}
	for _, k := range sortedKeys(docs[answers.KindCompose]) {
		c, err := decode[answers.Compose](answers.KindCompose, k, docs[answers.KindCompose][k])
		if err != nil {
			return nil, err
		}
		if k == answers.LatestCompose {
			w.latest = c
			continue
		}
		w.composes = append(w.composes, c)
	}
	// Newest first: by date, respin, then id.
	sort.SliceStable(w.composes, func(i, j int) bool {
		a, b := w.composes[i], w.composes[j]
		if a.Date != b.Date {
			return a.Date > b.Date
		}
		if a.Respin != b.Respin {
			return a.Respin > b.Respin
		}
		return a.ID > b.ID
	})
	for _, k := range sortedKeys(docs[answers.KindVariant]) {
		v, err := decode[answers.Variant](answers.KindVariant, k, docs[answers.KindVariant][k])
		if err != nil {
			return nil, err
		}
		w.variants = append(w.variants, v)
	}
	if b, ok := docs[answers.KindMirrors][answers.AllMirrors]; ok {
		m, err := decode[answers.Mirrors](answers.KindMirrors, answers.AllMirrors, b)
		if err != nil {
			return nil, err
		}
		w.mirrors = m
	}
	if b, ok := docs[answer.KindRebuild][answer.RebuildGraph]; ok {
		g, err := decode[answer.RebuildGraphDoc](answer.KindRebuild, answer.RebuildGraph, b)
		if err != nil {
			return nil, err
		}
		w.graph = g
	}
	return w, nil
}

func (w *world) decodeSrc(name string) (*answers.Source, error) {
	w.mu.Lock()
	s, ok := w.srcs[name]
	w.mu.Unlock()
	if ok {
		return s, nil
	}
	b, ok := w.docs[answers.KindSource][name]
	if !ok {
		return nil, fmt.Errorf("%s/%s: no such answer", answers.KindSource, name)
	}
	s, err := decode[answers.Source](answers.KindSource, name, b)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.srcs[name] = s
	w.mu.Unlock()
	return s, nil
}

func (w *world) decodeStatus(key string) (*answers.Status, error) {
	w.mu.Lock()
	s, ok := w.statuses[key]
	w.mu.Unlock()
	if ok {
		return s, nil
	}
	b, ok := w.docs[answers.KindStatus][key]
	if !ok {
		return nil, nil
	}
	s, err := decode[answers.Status](answers.KindStatus, key, b)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.statuses[key] = s
	w.mu.Unlock()
	return s, nil
}

// The accessors of the pages: each records in d what it read.

// has tells whether an answer (kind, key) exists: its page, if any, can be
// linked to.
func (w *world) has(d *deps, kind, key string) bool {
	d.keySet(kind)
	_, ok := w.docs[kind][key]
	return ok
}

// keys returns the sorted keys of src, pkg or mod.
func (w *world) keys(d *deps, kind string) []string {
	d.keySet(kind)
	return w.names[kind]
}

// doc returns the document (kind, key).
func (w *world) doc(d *deps, kind, key string) []byte {
	d.doc(kind, key)
	return w.docs[kind][key]
}

// src returns the decoded source answer of a component.
func (w *world) src(d *deps, name string) (*answers.Source, error) {
	d.doc(answers.KindSource, name)
	return w.decodeSrc(name)
}

// status returns the decoded status answer of subject/name, nil if none.
func (w *world) status(d *deps, subject, name string) (*answers.Status, error) {
	key := subject + "/" + name
	d.doc(answers.KindStatus, key)
	return w.decodeStatus(key)
}

// indexSources returns the summaries of every source component, in name
// order, and records a dependency on every source and status answer.
func (w *world) indexSources(d *deps) ([]*IndexSource, error) {
	d.keySet(answers.KindSource)
	d.every(answers.KindSource)
	d.every(answers.KindStatus)
	if w.index == nil && len(w.names[answers.KindSource]) > 0 {
		return nil, fmt.Errorf("pages: index: summaries not prepared")
	}
	return w.index, nil
}

// composeList returns the composes, newest first, and latest the one
// named latest (nil if none).
func (w *world) composeList(d *deps) (list []*answers.Compose, latest *answers.Compose) {
	d.every(answers.KindCompose)
	return w.composes, w.latest
}

// variantList returns the variants in key order.
func (w *world) variantList(d *deps) []*answers.Variant {
	d.every(answers.KindVariant)
	return w.variants
}

// mirrorsDoc returns the mirrors answer, nil if none.
func (w *world) mirrorsDoc(d *deps) *answers.Mirrors {
	d.doc(answers.KindMirrors, answers.AllMirrors)
	return w.mirrors
}

// graphDoc returns the rebuild graph, nil if none.
func (w *world) graphDoc(d *deps) *answer.RebuildGraphDoc {
	d.doc(answer.KindRebuild, answer.RebuildGraph)
	return w.graph
}

// nsvcKey returns name:stream of name:stream:version:context.
func nsvcKey(nsvc string) (name, stream string) {
	parts := strings.SplitN(nsvc, ":", 3)
	if len(parts) < 2 {
		return nsvc, ""
	}
	return parts[0], parts[1]
}
