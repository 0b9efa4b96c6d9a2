package productmd_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/distmeta/distmeta/metadata/productmd"
)

// fuzzRoundTrip checks that read never panics and that what it accepts
// survives write -> read. Headers are compared by version only: writers
// fill in a missing type.
func fuzzRoundTrip[T any](t *testing.T, data []byte, read func(io.Reader, string) (*T, error),
	write func(io.Writer, *T) error, header func(*T) *productmd.Header) {
	v, err := read(bytes.NewReader(data), "fuzz")
	if err != nil {
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, v); err != nil {
		t.Fatal(err)
	}
	v2, err := read(bytes.NewReader(buf.Bytes()), "written")
	if err != nil {
		t.Fatalf("reading written output: %v\n%s", err, buf.Bytes())
	}
	if header != nil {
		h1, h2 := header(v), header(v2)
		if h1.Version != h2.Version {
			t.Fatalf("version %q became %q", h1.Version, h2.Version)
		}
		*h1, *h2 = productmd.Header{}, productmd.Header{}
	}
	if !reflect.DeepEqual(v, v2) {
		t.Fatalf("round trip differs:\n%#v\n%#v\n%s", v, v2, buf.Bytes())
	}
}

func FuzzComposeInfo(f *testing.F) {
	f.Add([]byte(`{"header":{"version":"1.2"},"payload":{"compose":{"id":"X-1-20240101.n.0"},"release":{"name":"X","short":"X","version":"1"},"variants":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, productmd.ReadComposeInfo, productmd.WriteComposeInfo,
			func(v *productmd.ComposeInfo) *productmd.Header { return &v.Header })
	})
}

func FuzzRPMs(f *testing.F) {
	f.Add([]byte(`{"header":{"version":"1.1"},"payload":{"compose":{"id":"X"},"rpms":{"V":{"x86_64":{"a-0:1-1.src":{"a-0:1-1.x86_64":{"path":"p","sigkey":null,"category":"binary"}}}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, productmd.ReadRPMs, productmd.WriteRPMs,
			func(v *productmd.RPMs) *productmd.Header { return &v.Header })
	})
}

func FuzzModules(f *testing.F) {
	f.Add([]byte(`{"header":{"version":"1.2"},"payload":{"compose":{"id":"X"},"modules":{"V":{"x86_64":{"m:s:1:c":{"metadata":{"uid":"m:s:1:c","name":"m","stream":"s","version":1,"context":"c","koji_tag":"t"},"modulemd_path":{"binary":"p"},"rpms":["a-0:1-1.x86_64"]}}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, productmd.ReadModules, productmd.WriteModules,
			func(v *productmd.Modules) *productmd.Header { return &v.Header })
	})
}

func FuzzImages(f *testing.F) {
	f.Add([]byte(`{"header":{"version":"1.1"},"payload":{"compose":{"id":"X"},"images":{"V":{"x86_64":[{"arch":"x86_64","bootable":true,"checksums":{"sha256":"00"},"disc_count":1,"disc_number":1,"format":"iso","implant_md5":null,"mtime":1,"path":"p","size":2,"subvariant":"","type":"dvd","volume_id":null}]}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, productmd.ReadImages, productmd.WriteImages,
			func(v *productmd.Images) *productmd.Header { return &v.Header })
	})
}

func FuzzTreeInfo(f *testing.F) {
	f.Add([]byte("[header]\ntype = productmd.treeinfo\nversion = 1.2\n\n[tree]\narch = x86_64\nbuild_timestamp = 1\nplatforms = x86_64,xen\nvariants = A\n\n[variant-A]\nid = A\nuid = A\nrepository = .\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, productmd.ReadTreeInfo, productmd.WriteTreeInfo, nil)
	})
}

func FuzzDiscInfo(f *testing.F) {
	f.Add([]byte("1417653453.026288\nFedora Server 21\nx86_64\nALL\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, productmd.ReadDiscInfo, productmd.WriteDiscInfo, nil)
	})
}

// TestFuzzSeedsAccepted makes sure the committed seeds other than the
// deliberately broken ones parse, so that fuzzing starts from documents
// that reach the round trip.
func TestFuzzSeedsAccepted(t *testing.T) {
	broken := map[string]bool{"truncated": true, "wrongtype": true, "empty-tree": true}
	readers := map[string]func(io.Reader, string) error{
		"FuzzComposeInfo": readCI,
		"FuzzRPMs":        readRPMs,
		"FuzzModules":     func(r io.Reader, n string) error { _, err := productmd.ReadModules(r, n); return err },
		"FuzzImages":      func(r io.Reader, n string) error { _, err := productmd.ReadImages(r, n); return err },
		"FuzzTreeInfo":    readTI,
		"FuzzDiscInfo":    readDI,
	}
	for target, read := range readers {
		files, err := filepath.Glob(filepath.Join("testdata", "fuzz", target, "*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no seed corpus (%v)", target, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, lit, _ := strings.Cut(strings.TrimSpace(string(data)), "[]byte(")
			s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			err = read(strings.NewReader(s), f)
			if broken[filepath.Base(f)] != (err != nil) {
				t.Errorf("%s: err = %v", f, err)
			}
		}
	}
}
