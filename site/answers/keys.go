package answers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Kinds of answers, as the site's manifests name them.
const (
	KindPackage    = "pkg"     // key: binary package name
	KindCapability = "cap"     // key: capability name (as rpm spells it, without version)
	KindSource     = "src"     // key: source component name
	KindModule     = "mod"     // key: name:stream
	KindCompose    = "compose" // key: compose id, or "latest"
	KindVariant    = "variant" // key: variant id
	KindImage      = "image"   // key: ImageKey(variant, arch, subvariant, type, format)
	KindHistory    = "history" // key: HistoryKey(repo, branch)
	KindStatus     = "status"  // key: StatusKey(kind, name)
	KindMirrors    = "mirrors" // key: "all"
	KindRebuild    = "rebuild" // key: "graph"
)

// Kinds lists every kind, sorted.
var Kinds = []string{KindCapability, KindCompose, KindHistory, KindImage, KindMirrors, KindModule, KindPackage, KindRebuild, KindSource, KindStatus, KindVariant}

// Version is the schema version of every kind this package defines.
const Version = 1

// Schema returns the schema name a document of kind carries: "distmeta.<kind>/1".
func Schema(kind string) string { return fmt.Sprintf("distmeta.%s/%d", kind, Version) }

// Well-known keys.
const (
	LatestCompose = "latest" // compose/latest: the newest complete compose
	AllMirrors    = "all"    // mirrors/all
	Graph         = "graph"  // rebuild/graph
)

// ModuleKey is the key of a module stream answer: name:stream.
func ModuleKey(name, stream string) string { return name + ":" + stream }

// HistoryKey is the key of a branch history answer: "<repo>/<branch>", with
// repo "rpms/<name>" or "modules/<name>" (branch names may hold "/").
func HistoryKey(repo, branch string) string { return repo + "/" + branch }

// SplitHistoryKey splits a history key into repository and branch.
func SplitHistoryKey(key string) (repo, branch string, err error) {
	ns, rest, ok := strings.Cut(key, "/")
	if !ok {
		return "", "", fmt.Errorf("history key %q: want <namespace>/<name>/<branch>", key)
	}
	name, branch, ok := strings.Cut(rest, "/")
	if !ok || ns == "" || name == "" || branch == "" {
		return "", "", fmt.Errorf("history key %q: want <namespace>/<name>/<branch>", key)
	}
	return ns + "/" + name, branch, nil
}

// Subjects of pipeline status answers.
const (
	SubjectComponent = "rpm"    // a source component (rpms/<name>)
	SubjectModule    = "module" // a module stream (modules/<name>, key name:stream)
	SubjectImage     = "image"  // an image (ImageKey)
)

// StatusKey is the key of a pipeline status answer: "<subject>/<name>"
// ("rpm/bash", "module/nodejs:18", "image/Everything-x86_64-Cloud_Base-qcow2").
func StatusKey(subject, name string) string { return subject + "/" + name }

// ImageKey names an image across composes: what stays the same from one
// compose to the next.
func ImageKey(variant, arch, subvariant, typ, format string) string {
	return strings.Join([]string{variant, arch, subvariant, typ, format}, "-")
}

// ErrSchema is wrapped by CheckSchema's errors.
var ErrSchema = errors.New("unknown answer schema")

// CheckSchema checks that doc is a JSON object whose "schema" is the one
// of kind at this package's version.
func CheckSchema(kind string, doc []byte) error {
	got, err := schemaOf(doc)
	if err != nil {
		return fmt.Errorf("%s answer: %w", kind, err)
	}
	if got != Schema(kind) {
		return fmt.Errorf("%s answer: schema %q, want %q: %w", kind, got, Schema(kind), ErrSchema)
	}
	return nil
}

// schemaOf reads the "schema" member of a document. Answers are written
// with it first, so it reads a few bytes, not the whole document (which
// the caller decodes anyway, and which can be a megabyte).
func schemaOf(doc []byte) (string, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	if t, err := d.Token(); err != nil {
		return "", err
	} else if t != json.Delim('{') {
		return "", fmt.Errorf("not a JSON object")
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return "", err
		}
		if t == "schema" {
			var s string
			if err := d.Decode(&s); err != nil {
				return "", fmt.Errorf("schema: %w", err)
			}
			return s, nil
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return "", err
		}
	}
	return "", nil
}
