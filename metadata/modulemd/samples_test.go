package modulemd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/internal/testenv"
)

// sample is one file under testdata/modulemd with the counts that
// SOURCES.md records for it.
type sample struct {
	path      string
	kinds     map[string]int // documents by "kind vN", bad ones included
	names     int            // distinct module names of modulemd documents
	artifacts int            // artifact rpms of modulemd documents
	failures  int            // documents meant to fail
}

var samples = []sample{
	{"libmodulemd-fixtures/290.yaml", map[string]int{"modulemd v1": 1}, 1, 0, 0},
	{"libmodulemd-fixtures/compression_bzipped.yaml.bz2", compressionKinds, 3, 23, 0},
	{"libmodulemd-fixtures/compression_gzipped.yaml.gz", compressionKinds, 3, 23, 0},
	{"libmodulemd-fixtures/compression_uncompressed.yaml", compressionKinds, 3, 23, 0},
	{"libmodulemd-fixtures/compression_xzipped.yaml.xz", compressionKinds, 3, 23, 0},
	{"libmodulemd-fixtures/compression_zstded.yaml.zst", compressionKinds, 3, 23, 0},
	{"libmodulemd-fixtures/defaults_nodejs.yaml", map[string]int{"modulemd-defaults v1": 1}, 0, 0, 0},
	{"libmodulemd-fixtures/good-v2-extra-keys.yaml", map[string]int{"modulemd v2": 1, "modulemd-defaults v1": 1, "modulemd-translations v1": 1}, 1, 7, 0},
	{"libmodulemd-fixtures/good_and_bad.yaml", map[string]int{"modulemd v2": 2, "modulemd v3000": 1}, 1, 14, 1},
	{"libmodulemd-fixtures/long-valid.yaml", map[string]int{"modulemd v2": 5, "modulemd-defaults v1": 3, "modulemd-obsoletes v1": 1, "modulemd-translations v1": 1}, 3, 23, 0},
	{"libmodulemd-fixtures/merger_base_obsoletes.yaml", map[string]int{"modulemd-obsoletes v1": 1}, 0, 0, 0},
	{"libmodulemd-fixtures/static_context.yaml", map[string]int{"modulemd v2": 1}, 1, 4, 0},
	{"libmodulemd-fixtures/stream_packager_mix.yaml", map[string]int{"modulemd v1": 1, "modulemd v2": 1, "modulemd-packager v2": 1, "modulemd-packager v3": 1}, 2, 0, 0},
	{"libmodulemd-fixtures/upgrades_packager_v3_to_stream_v2.yaml", map[string]int{"modulemd v2": 1, "modulemd-defaults v1": 1}, 1, 0, 0},
	{"repos/eurolinux-8-x86_64-powertools-modules.yaml", map[string]int{"modulemd v2": 9}, 5, 935, 0},
	{"repos/fedora-29-modules.yaml", map[string]int{"modulemd v2": 48, "modulemd-defaults v1": 7}, 33, 1226, 0},
	{"specs/modulemd_defaults_v1.yaml", map[string]int{"modulemd-defaults v1": 1}, 0, 0, 0},
	{"specs/modulemd_obsoletes_v1.yaml", map[string]int{"modulemd-obsoletes v1": 1}, 0, 0, 0},
	{"specs/modulemd_packager_v2.yaml", map[string]int{"modulemd-packager v2": 1}, 0, 0, 0},
	{"specs/modulemd_packager_v3.yaml", map[string]int{"modulemd-packager v3": 1}, 0, 0, 0},
	{"specs/modulemd_stream_v1.yaml", map[string]int{"modulemd v1": 1}, 1, 7, 0},
	{"specs/modulemd_stream_v2.yaml", map[string]int{"modulemd v2": 1}, 1, 7, 0},
	{"specs/modulemd_translations_v1.yaml", map[string]int{"modulemd-translations v1": 1}, 0, 0, 0},
}

var compressionKinds = map[string]int{"modulemd v2": 5, "modulemd-defaults v1": 3, "modulemd-translations v1": 1}

func sharedPath(t testing.TB, rel string) string {
	t.Helper()
	return testenv.Shared(t, filepath.Join("modulemd", rel))
}

// readDocs reads every document of a sample, keeping the bad ones as
// failures.
func readDocs(t testing.TB, path string) ([]*Document, []*DocumentError) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Decompress(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := NewDecoder(r, filepath.Base(path))
	var docs []*Document
	var failures []*DocumentError
	for {
		doc, err := d.Next()
		if err == io.EOF {
			return docs, failures
		}
		var de *DocumentError
		if errors.As(err, &de) {
			failures = append(failures, de)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, doc)
	}
}

func TestSamplesCounts(t *testing.T) {
	for _, s := range samples {
		t.Run(s.path, func(t *testing.T) {
			docs, failures := readDocs(t, sharedPath(t, s.path))
			kinds := map[string]int{}
			names := map[string]bool{}
			artifacts := 0
			for _, d := range docs {
				kinds[fmt.Sprintf("%s v%d", d.Kind, d.Version)]++
				if d.Kind != KindStream {
					continue
				}
				for _, st := range d.Streams {
					names[st.Name] = true
					artifacts += len(st.Artifacts.RPMs)
				}
			}
			for _, f := range failures {
				kinds[fmt.Sprintf("%s v%d", f.Kind, f.Version)]++
			}
			if !reflect.DeepEqual(kinds, s.kinds) {
				t.Errorf("documents by kind = %v, want %v", kinds, s.kinds)
			}
			if len(names) != s.names {
				t.Errorf("%d distinct module names, want %d", len(names), s.names)
			}
			if artifacts != s.artifacts {
				t.Errorf("%d artifact rpms, want %d", artifacts, s.artifacts)
			}
			if len(failures) != s.failures {
				t.Errorf("%d failures, want %d: %v", len(failures), s.failures, failures)
			}
		})
	}
}

// TestSamplesIndex reads every valid sample through ReadFile and checks the
// index against the document counts.
func TestSamplesIndex(t *testing.T) {
	for _, s := range samples {
		if s.failures > 0 {
			continue
		}
		t.Run(s.path, func(t *testing.T) {
			x, err := ReadFile(sharedPath(t, s.path))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(x.Documents, s.kinds) {
				t.Errorf("index documents = %v, want %v", x.Documents, s.kinds)
			}
			if len(x.Streams()) == 0 && (s.kinds["modulemd v2"]+s.kinds["modulemd v1"]+s.kinds["modulemd-packager v2"]+s.kinds["modulemd-packager v3"]) > 0 {
				t.Error("index has no streams")
			}
		})
	}
}

func TestNegativeFixtures(t *testing.T) {
	tests := []struct {
		path string
		want []string // substrings of the error
	}{
		{"libmodulemd-fixtures/bad_packager_v3.yaml", []string{"bad_packager_v3.yaml", "document 1", "line 12", `"a2345678901"`, "longer than 10"}},
		{"libmodulemd-fixtures/bad_stream_v2.yaml", []string{"bad_stream_v2.yaml", "document 1", "static context", `"-"`}},
		{"libmodulemd-fixtures/bad_translations_v1.yaml", []string{"bad_translations_v1.yaml", "document 1", "line 6", "modified", `"42invalid"`}},
		{"libmodulemd-fixtures/invalid_obsoletes_v1.yaml", []string{"invalid_obsoletes_v1.yaml", "document 1", "message is missing"}},
		{"libmodulemd-fixtures/valid_defaults_with_garbage.yaml", []string{"valid_defaults_with_garbage.yaml", "document 2", "line 6", "did not find expected"}}, // yaml.v3 points at the "..." before the garbage
		{"libmodulemd-fixtures/good_and_bad.yaml", []string{"good_and_bad.yaml", "document 3", "line 177", "modulemd version 3000", "unsupported"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := ReadFile(sharedPath(t, tt.path))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLenientKeepsGoodDocuments(t *testing.T) {
	x, failures, err := ReadFileLenient(sharedPath(t, "libmodulemd-fixtures/good_and_bad.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(failures) != 1 || failures[0].Number != 3 || failures[0].Kind != KindStream || failures[0].Version != 3000 {
		t.Fatalf("failures = %v, want document 3 (modulemd v3000)", failures)
	}
	if !errors.Is(failures[0], ErrUnsupported) {
		t.Errorf("failure %v does not wrap ErrUnsupported", failures[0])
	}
	var got []string
	for _, s := range x.Streams() {
		got = append(got, s.NSVCA())
	}
	want := []string{"nodejs:11:20181102165620:6c81f848:x86_64", "nodejs:8:20180816123422:6c81f848:x86_64"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("streams = %v, want %v", got, want)
	}

	// Broken YAML after a good document: the good one is kept.
	x, failures, err = ReadFileLenient(sharedPath(t, "libmodulemd-fixtures/valid_defaults_with_garbage.yaml"))
	if err == nil || len(failures) != 0 {
		t.Fatalf("err = %v, failures = %v; want a YAML error and no failures", err, failures)
	}
	if x.Modules["foo"] == nil || x.Modules["foo"].Defaults == nil || x.Modules["foo"].Defaults.Modified != 42 {
		t.Errorf("defaults before the garbage not kept: %+v", x.Modules["foo"])
	}
}

// TestRoundTrip writes every valid document and reads it back.
func TestRoundTrip(t *testing.T) {
	for _, s := range samples {
		t.Run(s.path, func(t *testing.T) {
			docs, _ := readDocs(t, sharedPath(t, s.path))
			for _, doc := range docs {
				out, err := Marshal(doc)
				if err != nil {
					t.Fatalf("document %d: %v", doc.Number, err)
				}
				back, failures := readBytes(t, out)
				if len(failures) > 0 {
					t.Fatalf("document %d: reading back: %v\n%s", doc.Number, failures, out)
				}
				var streams []*Stream
				var other []any
				for _, b := range back {
					streams = append(streams, b.Streams...)
					for _, v := range []any{b.Defaults, b.Obsoletes, b.Translations} {
						if !reflect.ValueOf(v).IsNil() {
							other = append(other, v)
						}
					}
				}
				var wantOther []any
				for _, v := range []any{doc.Defaults, doc.Obsoletes, doc.Translations} {
					if !reflect.ValueOf(v).IsNil() {
						wantOther = append(wantOther, v)
					}
				}
				if !reflect.DeepEqual(streams, doc.Streams) || !reflect.DeepEqual(other, wantOther) {
					t.Errorf("document %d changed in a round trip; written:\n%s", doc.Number, out)
				}
				// Writing what was read back gives the same bytes.
				var again []any
				for _, b := range back {
					again = append(again, b)
				}
				out2, err := Marshal(again...)
				if err != nil {
					t.Fatal(err)
				}
				if string(out2) != string(out) {
					t.Errorf("document %d: second write differs:\n%s\n---- first:\n%s", doc.Number, out2, out)
				}
			}
		})
	}
}

func readBytes(t testing.TB, b []byte) ([]*Document, []*DocumentError) {
	t.Helper()
	d := NewDecoder(strings.NewReader(string(b)), "written")
	var docs []*Document
	var failures []*DocumentError
	for {
		doc, err := d.Next()
		if err == io.EOF {
			return docs, failures
		}
		var de *DocumentError
		if errors.As(err, &de) {
			failures = append(failures, de)
			continue
		}
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		docs = append(docs, doc)
	}
}

// TestIndexRoundTrip writes whole indexes and reads them back.
func TestIndexRoundTrip(t *testing.T) {
	for _, s := range samples {
		t.Run(s.path, func(t *testing.T) {
			x, _, err := ReadFileLenient(sharedPath(t, s.path))
			if err != nil {
				t.Fatal(err)
			}
			var buf strings.Builder
			if err := x.Encode(&buf); err != nil {
				t.Fatal(err)
			}
			y, err := ReadAll(strings.NewReader(buf.String()), "written")
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			// Order of streams inside a module is the writer's (NSVCA).
			for _, m := range x.Modules {
				m.Streams = sortedStreams(m.Streams)
				sort.SliceStable(m.Translations, func(i, j int) bool { return m.Translations[i].Stream < m.Translations[j].Stream })
			}
			if !reflect.DeepEqual(x.Modules, y.Modules) {
				t.Errorf("index changed in a round trip:\n%s", buf.String())
			}
			var buf2 strings.Builder
			if err := y.Encode(&buf2); err != nil {
				t.Fatal(err)
			}
			if buf2.String() != buf.String() {
				t.Error("second write of the index differs from the first")
			}
		})
	}
}
