package answer

import (
	"crypto/sha256"
	"encoding/binary"
	"sort"
	"time"

	"github.com/distmeta/distmeta/generator/collect"
	"github.com/distmeta/distmeta/internal/distgit"
	"github.com/distmeta/distmeta/internal/gobcache"
	"github.com/distmeta/distmeta/site/answers"
)

// inputsVersion names the encoding of the inputs below in their digests:
// changing it (or answers.Version) renders every cached answer again. The
// program's own digest is part of every input digest too, so a new build
// of distmeta (whose rendering may differ) renders every answer once
// instead of reusing what the old one rendered.
const inputsVersion = "distmeta-answer-inputs/2"

// digester encodes the inputs of an answer for their digest: every field,
// each length-prefixed, in a fixed order (no JSON: the inputs of every
// cached answer are digested on every run). TestInputDigestCoversFields
// checks that every field of every inputs type counts.
type digester struct{ b []byte }

// inputs are what an answer is rendered from.
type inputs interface{ digest(d *digester) }

// sum returns the digest of in for an answer of kind; d's buffer is
// reused.
func (d *digester) sum(kind string, in inputs) [32]byte {
	d.b = d.b[:0]
	d.str(inputsVersion)
	prog, _ := gobcache.ProgramDigest()
	d.b = append(d.b, prog[:]...)
	d.str(kind)
	d.int(int64(answers.Version))
	in.digest(d)
	return sha256.Sum256(d.b)
}

func (d *digester) int(n int64)     { d.b = binary.AppendVarint(d.b, n) }
func (d *digester) count(n int)     { d.b = binary.AppendUvarint(d.b, uint64(n)) }
func (d *digester) str(s string)    { d.count(len(s)); d.b = append(d.b, s...) }
func (d *digester) hash(h [20]byte) { d.b = append(d.b, h[:]...) }

func (d *digester) bool(v bool) {
	if v {
		d.b = append(d.b, 1)
	} else {
		d.b = append(d.b, 0)
	}
}

// time counts the instant and the zone offset (the JSON of a time shows
// both).
func (d *digester) time(t time.Time) {
	_, off := t.Zone()
	d.int(t.Unix())
	d.int(int64(t.Nanosecond()))
	d.int(int64(off))
}

func (d *digester) strs(ss []string) {
	d.count(len(ss))
	for _, s := range ss {
		d.str(s)
	}
}

func (d *digester) tips(t *repoTips) {
	if t == nil {
		d.bool(false)
		return
	}
	d.bool(true)
	d.str(t.Head)
	d.strs(t.Branches)
}

func (d *digester) builds(bs []*collect.BuildEvent) {
	d.count(len(bs))
	for _, b := range bs {
		d.int(int64(b.ID))
		d.str(b.Kind)
		d.str(b.NVR)
		d.str(b.NSVC)
		d.str(b.Component)
		d.str(b.Branch)
		d.str(b.Source)
		d.str(b.State)
		d.time(b.Started)
		d.time(b.Finished)
	}
}

func (d *digester) tests(ts []answers.Test) {
	d.count(len(ts))
	for _, t := range ts {
		d.str(t.Case)
		d.str(t.Outcome)
		d.time(t.Time)
	}
}

func (d *digester) commit(c answers.Commit) {
	d.str(c.Hash)
	d.time(c.Time)
	d.str(c.Subject)
}

func (d *digester) stale(ss []answers.StaleBuild) {
	d.count(len(ss))
	for _, s := range ss {
		d.str(s.Build)
		d.str(s.Kind)
		d.str(s.Branch)
		d.str(s.Commit)
		d.str(s.Head)
		d.count(len(s.After))
		for _, c := range s.After {
			d.commit(c)
		}
		d.str(s.Reason)
	}
}

func (d *digester) moves(us []distgit.RefUpdate) {
	d.count(len(us))
	for _, u := range us {
		d.time(u.Time)
		d.str(string(u.Kind))
		d.str(u.Repo)
		d.str(u.Branch)
		d.hash(u.Old)
		d.hash(u.New)
		d.int(int64(u.Repos))
		d.bool(u.Derived)
	}
}

func (in *sourceInputs) digest(d *digester) {
	d.str(in.Name)
	d.tips(in.Repo)
	d.str(in.Compose)
	d.builds(in.Builds)
	keys := make([]string, 0, len(in.Tests))
	for k := range in.Tests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d.count(len(keys))
	for _, k := range keys {
		d.str(k)
		d.tests(in.Tests[k])
	}
	d.stale(in.Stale)
	d.str(in.Error)
	d.str(in.Resolved)
}

func (in *historyInputs) digest(d *digester) {
	d.str(in.Repo)
	d.str(in.Branch)
	d.str(in.Head)
	d.moves(in.Moves)
	d.time(in.First)
}

func (in *statusInputs) digest(d *digester) {
	d.str(in.Name)
	d.tips(in.Repo)
	d.builds(in.Builds)
	d.strs(in.Composes)
	d.strs(in.Mirrors)
	d.count(len(in.InSrc))
	for _, v := range in.InSrc {
		d.bool(v)
	}
}
