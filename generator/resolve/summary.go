package resolve

import (
	"fmt"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/metadata/productmd"
	"github.com/distmeta/distmeta/site/answers"
)

// Summary is what every complete compose contributes, read from its
// productmd metadata only (no repodata).
type Summary struct {
	Name   string // folder name in the composes root
	ID     string
	Digest string
	Doc    answers.Compose // without Older and Skipped
	// Sources are the name-version-release of every source rpm, sorted.
	Sources []string
	// Modules are the NSVCs of every module build, sorted.
	Modules []string
}

// Summarize reads a compose's metadata.
func Summarize(c *productmd.Compose, digest string) *Summary {
	info := c.Info
	s := &Summary{ID: c.ID, Digest: digest}
	s.Doc = answers.Compose{
		Header: answers.Header{Schema: answers.Schema(answers.KindCompose)},
		ID:     c.ID, Status: string(c.Status), Date: info.Compose.Date, Respin: info.Compose.Respin,
		Type: info.Compose.Type, Release: strings.TrimSpace(info.Release.Short + " " + string(info.Release.Version)),
	}
	srcs := map[string]bool{}
	bins := map[string]map[string]int{}
	nsrc := map[string]int{}
	if c.RPMs != nil {
		for v, arches := range c.RPMs.RPMs {
			for _, bySRPM := range arches {
				for srpm, rpms := range bySRPM {
					if nvr := nevraToNVR(srpm); nvr != "" {
						srcs[nvr] = true
					}
					for nevra, info := range rpms {
						if info.Category == "source" {
							nsrc[v]++
							continue
						}
						if bins[v] == nil {
							bins[v] = map[string]int{}
						}
						bins[v][nevra]++
					}
				}
			}
		}
	}
	mods := map[string]bool{}
	nmods := map[string]int{}
	if c.Modules != nil {
		for v, arches := range c.Modules.Modules {
			seen := map[string]bool{}
			for _, ms := range arches {
				for uid := range ms {
					mods[uid] = true
					seen[uid] = true
				}
			}
			nmods[v] = len(seen)
		}
	}
	if c.Images != nil {
		for v, arches := range c.Images.Images {
			for _, ims := range arches {
				for _, im := range ims {
					s.Doc.Images = append(s.Doc.Images, ImageDoc(v, im))
				}
			}
		}
	}
	sort.Slice(s.Doc.Images, func(i, j int) bool {
		if s.Doc.Images[i].Key != s.Doc.Images[j].Key {
			return s.Doc.Images[i].Key < s.Doc.Images[j].Key
		}
		return s.Doc.Images[i].Path < s.Doc.Images[j].Path
	})
	for _, uid := range info.VariantUIDs() {
		v := info.Variants[uid]
		arches := append([]string(nil), v.Arches...)
		sort.Strings(arches)
		cv := answers.ComposeVariant{ID: uid, Arches: arches, Binary: len(bins[uid]), Source: nsrc[uid], Modules: nmods[uid]}
		for _, im := range s.Doc.Images {
			if im.Variant == uid {
				cv.Images++
			}
		}
		s.Doc.Variants = append(s.Doc.Variants, cv)
	}
	s.Sources = sortedKeys(srcs)
	s.Modules = sortedKeys(mods)
	return s
}

// ImageDoc is the answer document of one image of a compose.
func ImageDoc(variant string, im productmd.Image) answers.Image {
	return answers.Image{
		Header:  answers.Header{Schema: answers.Schema(answers.KindImage)},
		Key:     answers.ImageKey(variant, im.Arch, im.Subvariant, im.Type, im.Format),
		Variant: variant, Arch: im.Arch, Subvariant: im.Subvariant, Type: im.Type, Format: im.Format,
		Path: im.Path, Size: im.Size, SHA256: im.Checksums["sha256"], Bootable: im.Bootable, Mtime: im.Mtime,
	}
}

// nevraToNVR turns "name-epoch:version-release.arch" into
// "name-version-release".
func nevraToNVR(nevra string) string {
	i := strings.LastIndexByte(nevra, '.')
	if i < 0 {
		return ""
	}
	s := nevra[:i]
	j := strings.LastIndexByte(s, '-')
	if j < 0 {
		return ""
	}
	k := strings.LastIndexByte(s[:j], '-')
	if k < 0 {
		return ""
	}
	ver := s[k+1 : j]
	if c := strings.IndexByte(ver, ':'); c >= 0 {
		ver = ver[c+1:]
	}
	return fmt.Sprintf("%s-%s-%s", s[:k], ver, s[j+1:])
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
