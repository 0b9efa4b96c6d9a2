package client

import (
	"context"
	"fmt"
	"sort"

	"github.com/distmeta/distmeta/site/answers"
	"golang.org/x/sync/errgroup"
)

// prefetchWalk reads, level by level and concurrently within a level, the
// pkg answers a walk from start reaches by following each requirement's
// chosen provider, so that answers.Closure and answers.Why then run on
// answers already in memory. It stops with ErrTooFar beyond MaxWalk
// packages. The returned lookup reads through the same view (one index).
func (c *Client) prefetchWalk(ctx context.Context, v *view, start string) (answers.Lookup, error) {
	pkgs := map[string]*answers.Package{}
	missing := map[string]bool{}
	lookup := func(name string) (*answers.Package, bool, error) {
		if p, ok := pkgs[name]; ok {
			return p, true, nil
		}
		if missing[name] {
			return nil, false, nil
		}
		if len(pkgs) >= c.opts.MaxWalk {
			return nil, false, fmt.Errorf("%w: more than %d packages", ErrTooFar, c.opts.MaxWalk)
		}
		var p answers.Package
		ok, err := v.get(ctx, answers.KindPackage, name, &p)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			missing[name] = true
			return nil, false, nil
		}
		pkgs[name] = &p
		return &p, true, nil
	}
	seenBuild := map[string]bool{}
	level := []string{start}
	for len(level) > 0 {
		if len(pkgs)+len(level) > c.opts.MaxWalk {
			return nil, fmt.Errorf("walk from %s: %w: more than %d packages", start, ErrTooFar, c.opts.MaxWalk)
		}
		// Fetch this level's buckets concurrently (decoded buckets are
		// kept by the view), then read the answers in order.
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(c.opts.Concurrency)
		for _, name := range level {
			g.Go(func() error {
				_, _, err := v.raw(gctx, answers.KindPackage, name)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		next := map[string]bool{}
		for _, name := range level {
			p, ok, err := lookup(name)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			// The walk follows the chosen provider from the best build
			// of the start, then from the chosen builds.
			builds := p.Builds
			if name == start && len(builds) > 0 {
				builds = builds[:1]
			}
			for i := range builds {
				b := &builds[i]
				if name != start && !seenBuild[b.NEVRA] {
					continue
				}
				for _, r := range b.Requires {
					if r.Chosen == "" || seenBuild[r.Chosen] {
						continue
					}
					seenBuild[r.Chosen] = true
					for _, pr := range r.Providers {
						if pr.NEVRA == r.Chosen {
							if _, done := pkgs[pr.Name]; !done && !missing[pr.Name] {
								next[pr.Name] = true
							}
						}
					}
				}
			}
		}
		level = level[:0]
		for n := range next {
			level = append(level, n)
		}
		sort.Strings(level)
	}
	return lookup, nil
}
