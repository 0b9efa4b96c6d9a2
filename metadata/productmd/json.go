package productmd

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
)

// ComposeInfo is composeinfo.json: the compose, the product and its
// variants.
type ComposeInfo struct {
	Header      Header
	Compose     ComposeRef
	Release     Release
	BaseProduct *BaseProduct
	Variants    map[string]*Variant // by variant UID
}

// Variant is one variant of a compose.
type Variant struct {
	Arches []string `json:"arches"`
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	// Paths maps a path category (os_tree, packages, repository,
	// source_repository, debug_repository, isos, ...) and an arch to a
	// path relative to the compose's compose/ folder.
	Paths map[string]map[string]string `json:"paths"`
	Type  string                       `json:"type"` // variant, addon, optional, layered-product
	UID   string                       `json:"uid"`
}

// VariantUIDs returns the variant UIDs, sorted.
func (ci *ComposeInfo) VariantUIDs() []string {
	return sortedKeys(ci.Variants)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type composeInfoPayload struct {
	BaseProduct *BaseProduct        `json:"base_product,omitempty"`
	Compose     ComposeRef          `json:"compose"`
	Product     *Release            `json:"product,omitempty"` // before 1.0
	Release     *Release            `json:"release,omitempty"`
	Variants    map[string]*Variant `json:"variants"`
}

// ReadComposeInfo reads composeinfo.json; name identifies r in errors.
func ReadComposeInfo(r io.Reader, name string) (*ComposeInfo, error) {
	var p composeInfoPayload
	h, err := readEnvelope(r, name, TypeComposeInfo, &p)
	if err != nil {
		return nil, err
	}
	ci := &ComposeInfo{Header: h, Compose: p.Compose, BaseProduct: p.BaseProduct, Variants: p.Variants}
	rel := p.Release
	if h.legacy() && p.Product != nil {
		rel = p.Product
	}
	if rel == nil {
		return nil, fmt.Errorf("%s: payload has no release", name)
	}
	ci.Release = *rel
	if ci.Compose.ID == "" {
		return nil, fmt.Errorf("%s: payload.compose.id is empty", name)
	}
	if ci.Variants == nil {
		ci.Variants = map[string]*Variant{}
	}
	for uid, v := range ci.Variants {
		if v == nil {
			return nil, fmt.Errorf("%s: variant %q is null", name, uid)
		}
		if v.UID == "" {
			v.UID = uid // pungi's test fixtures leave variants empty
		}
		if v.UID != uid {
			return nil, fmt.Errorf("%s: variant %q has uid %q", name, uid, v.UID)
		}
	}
	return ci, nil
}

// WriteComposeInfo writes ci as composeinfo.json. An empty header is
// written as the current version.
func WriteComposeInfo(w io.Writer, ci *ComposeInfo) error {
	h := ci.Header.withDefaults(TypeComposeInfo)
	rel := ci.Release
	p := composeInfoPayload{BaseProduct: ci.BaseProduct, Compose: ci.Compose, Variants: ci.Variants}
	if h.legacy() {
		p.Product = &rel
	} else {
		p.Release = &rel
	}
	if p.Variants == nil {
		p.Variants = map[string]*Variant{}
	}
	return writeEnvelope(w, h, p)
}

// RPMs is rpms.json: which rpm is in which variant and arch.
type RPMs struct {
	Header  Header
	Compose ComposeRef
	// RPMs is indexed by variant UID, arch, source rpm NEVRA and rpm NEVRA
	// (name-epoch:version-release.arch).
	RPMs map[string]map[string]map[string]map[string]RPMInfo
}

// RPMInfo is what rpms.json says about one rpm.
type RPMInfo struct {
	Category string     `json:"category"` // binary, debug, source
	Path     string     `json:"path"`     // relative to compose/
	Sigkey   NullString `json:"sigkey"`   // "" for unsigned
}

// RPM is one entry of rpms.json, flattened.
type RPM struct {
	Variant, Arch, SRPM, NEVRA string
	RPMInfo
}

type rpmsPayload struct {
	Compose ComposeRef                                          `json:"compose"`
	RPMs    map[string]map[string]map[string]map[string]RPMInfo `json:"rpms"`
}

// ReadRPMs reads rpms.json; name identifies r in errors.
func ReadRPMs(r io.Reader, name string) (*RPMs, error) {
	var p rpmsPayload
	h, err := readEnvelope(r, name, TypeRPMs, &p)
	if err != nil {
		return nil, err
	}
	if p.RPMs == nil {
		return nil, fmt.Errorf("%s: payload has no rpms", name)
	}
	return &RPMs{Header: h, Compose: p.Compose, RPMs: p.RPMs}, nil
}

// WriteRPMs writes r as rpms.json.
func WriteRPMs(w io.Writer, r *RPMs) error {
	p := rpmsPayload{Compose: r.Compose, RPMs: r.RPMs}
	if p.RPMs == nil {
		p.RPMs = map[string]map[string]map[string]map[string]RPMInfo{}
	}
	return writeEnvelope(w, r.Header.withDefaults(TypeRPMs), p)
}

// Add records an rpm.
func (r *RPMs) Add(variant, arch, srpm, nevra string, info RPMInfo) {
	if r.RPMs == nil {
		r.RPMs = map[string]map[string]map[string]map[string]RPMInfo{}
	}
	a := r.RPMs[variant]
	if a == nil {
		a = map[string]map[string]map[string]RPMInfo{}
		r.RPMs[variant] = a
	}
	s := a[arch]
	if s == nil {
		s = map[string]map[string]RPMInfo{}
		a[arch] = s
	}
	n := s[srpm]
	if n == nil {
		n = map[string]RPMInfo{}
		s[srpm] = n
	}
	n[nevra] = info
}

// List returns every rpm, sorted by variant, arch, source rpm and NEVRA.
func (r *RPMs) List() []RPM {
	var out []RPM
	for v, arches := range r.RPMs {
		for a, srpms := range arches {
			for s, rpms := range srpms {
				for n, info := range rpms {
					out = append(out, RPM{Variant: v, Arch: a, SRPM: s, NEVRA: n, RPMInfo: info})
				}
			}
		}
	}
	slices.SortFunc(out, func(x, y RPM) int {
		return cmp.Or(cmp.Compare(x.Variant, y.Variant), cmp.Compare(x.Arch, y.Arch),
			cmp.Compare(x.SRPM, y.SRPM), cmp.Compare(x.NEVRA, y.NEVRA))
	})
	return out
}

// Modules is modules.json: which module builds are in which variant.
type Modules struct {
	Header  Header
	Compose ComposeRef
	// Modules is indexed by variant UID, arch and module UID
	// (name:stream:version:context).
	Modules map[string]map[string]map[string]Module
}

// Module is one module build of modules.json.
type Module struct {
	Metadata     ModuleMetadata    `json:"metadata"`
	ModulemdPath map[string]string `json:"modulemd_path"` // category (binary, debug, source) -> path
	RPMs         []string          `json:"rpms"`          // NEVRAs
}

// ModuleMetadata identifies a module build.
type ModuleMetadata struct {
	Context Version `json:"context"`
	KojiTag string  `json:"koji_tag"`
	Name    string  `json:"name"`
	Stream  Version `json:"stream"`
	UID     string  `json:"uid"`
	Version Version `json:"version"`
}

type modulesPayload struct {
	Compose ComposeRef                              `json:"compose"`
	Modules map[string]map[string]map[string]Module `json:"modules"`
}

// ReadModules reads modules.json; name identifies r in errors.
func ReadModules(r io.Reader, name string) (*Modules, error) {
	var p modulesPayload
	h, err := readEnvelope(r, name, TypeModules, &p)
	if err != nil {
		return nil, err
	}
	if p.Modules == nil {
		return nil, fmt.Errorf("%s: payload has no modules", name)
	}
	return &Modules{Header: h, Compose: p.Compose, Modules: p.Modules}, nil
}

// WriteModules writes m as modules.json.
func WriteModules(w io.Writer, m *Modules) error {
	p := modulesPayload{Compose: m.Compose, Modules: m.Modules}
	if p.Modules == nil {
		p.Modules = map[string]map[string]map[string]Module{}
	}
	return writeEnvelope(w, m.Header.withDefaults(TypeModules), p)
}

// Images is images.json: the images (ISOs, qcow2, ...) of a compose.
type Images struct {
	Header  Header
	Compose ComposeRef
	Images  map[string]map[string][]Image // variant UID -> arch -> images
}

// Image is one image of images.json.
type Image struct {
	AdditionalVariants []string          `json:"additional_variants,omitempty"` // 1.2
	Arch               string            `json:"arch"`
	Bootable           bool              `json:"bootable"`
	Checksums          map[string]string `json:"checksums"`
	DiscCount          int               `json:"disc_count"`
	DiscNumber         int               `json:"disc_number"`
	Format             string            `json:"format"`
	ImplantMD5         NullString        `json:"implant_md5"`
	Mtime              int64             `json:"mtime"`
	Path               string            `json:"path"`
	Size               int64             `json:"size"`
	Subvariant         string            `json:"subvariant"` // 1.1
	Type               string            `json:"type"`
	Unified            bool              `json:"unified,omitempty"`
	VolumeID           NullString        `json:"volume_id"`
}

type imagesPayload struct {
	Compose ComposeRef                    `json:"compose"`
	Images  map[string]map[string][]Image `json:"images"`
}

// ReadImages reads images.json; name identifies r in errors.
func ReadImages(r io.Reader, name string) (*Images, error) {
	var p imagesPayload
	h, err := readEnvelope(r, name, TypeImages, &p)
	if err != nil {
		return nil, err
	}
	if p.Images == nil {
		return nil, fmt.Errorf("%s: payload has no images", name)
	}
	return &Images{Header: h, Compose: p.Compose, Images: p.Images}, nil
}

// WriteImages writes im as images.json.
func WriteImages(w io.Writer, im *Images) error {
	p := imagesPayload{Compose: im.Compose, Images: im.Images}
	if p.Images == nil {
		p.Images = map[string]map[string][]Image{}
	}
	return writeEnvelope(w, im.Header.withDefaults(TypeImages), p)
}

// Count returns the number of images.
func (im *Images) Count() int {
	n := 0
	for _, arches := range im.Images {
		for _, list := range arches {
			n += len(list)
		}
	}
	return n
}
