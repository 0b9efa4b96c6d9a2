package pages

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/distmeta/distmeta/generator/answer"
	"github.com/distmeta/distmeta/site/answers"
	"golang.org/x/sync/errgroup"
)

// world is the answers with the indexes every page needs: which pages
// exist, and what the index page aggregates (decoded once, up front). The
// documents of the other pages are decoded by the worker that renders
// them.
type world struct {
	docs map[string]map[string][]byte

	srcNames  []string
	pkgNames  []string
	modKeys   []string // name:stream
	composes  []*answers.Compose
	variants  []*answers.Variant
	latest    *answers.Compose
	mirrors   *answers.Mirrors
	graph     *answer.RebuildGraphDoc
	srcs      map[string]*answers.Source // every source answer
	rpmStatus map[string]*answers.Status // status/rpm/<component>
	modStatus map[string]*answers.Status // status/module/<name:stream>
	srcOfPkg  map[string]string          // binary package name -> source component
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

func newWorld(ctx context.Context, docs map[string]map[string][]byte, jobs int) (*world, error) {
	w := &world{docs: docs, srcs: map[string]*answers.Source{}, rpmStatus: map[string]*answers.Status{},
		modStatus: map[string]*answers.Status{}, srcOfPkg: map[string]string{}}
	w.srcNames = sortedKeys(docs[answers.KindSource])
	w.pkgNames = sortedKeys(docs[answers.KindPackage])
	w.modKeys = sortedKeys(docs[answers.KindModule])
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

	// Source and status answers, concurrently.
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	const chunk = 256
	for lo := 0; lo < len(w.srcNames); lo += chunk {
		names := w.srcNames[lo:min(lo+chunk, len(w.srcNames))]
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			srcs := make([]*answers.Source, len(names))
			for i, n := range names {
				s, err := decode[answers.Source](answers.KindSource, n, docs[answers.KindSource][n])
				if err != nil {
					return err
				}
				srcs[i] = s
			}
			mu.Lock()
			defer mu.Unlock()
			for i, n := range names {
				w.srcs[n] = srcs[i]
			}
			return nil
		})
	}
	statusKeys := sortedKeys(docs[answers.KindStatus])
	for lo := 0; lo < len(statusKeys); lo += chunk {
		keys := statusKeys[lo:min(lo+chunk, len(statusKeys))]
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			sts := make([]*answers.Status, len(keys))
			for i, k := range keys {
				s, err := decode[answers.Status](answers.KindStatus, k, docs[answers.KindStatus][k])
				if err != nil {
					return err
				}
				sts[i] = s
			}
			mu.Lock()
			defer mu.Unlock()
			for i, k := range keys {
				subject, name, _ := strings.Cut(k, "/")
				switch subject {
				case answers.SubjectComponent:
					w.rpmStatus[name] = sts[i]
				case answers.SubjectModule:
					w.modStatus[name] = sts[i]
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, n := range w.srcNames {
		for _, b := range w.srcs[n].Binaries {
			if _, ok := w.srcOfPkg[b]; !ok {
				w.srcOfPkg[b] = n
			}
		}
	}
	return w, nil
}

func (w *world) has(kind, key string) bool {
	_, ok := w.docs[kind][key]
	return ok
}

// nevraName returns the name of name-epoch:version-release.arch (or of
// name-version-release).
func nevraName(nevra string) string {
	n := 0
	for i := len(nevra) - 1; i >= 0; i-- {
		if nevra[i] == '-' {
			n++
			if n == 2 {
				return nevra[:i]
			}
		}
	}
	return nevra
}

// nsvcKey returns name:stream of name:stream:version:context.
func nsvcKey(nsvc string) (name, stream string) {
	parts := strings.SplitN(nsvc, ":", 3)
	if len(parts) < 2 {
		return nsvc, ""
	}
	return parts[0], parts[1]
}
