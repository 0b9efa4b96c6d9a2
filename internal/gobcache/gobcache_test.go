package gobcache

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestStoreLoad(t *testing.T) {
	type entry struct{ Names []string }
	p := filepath.Join(t.TempDir(), "sub", "e.gob.zst")
	if Load(p, "k1", &entry{}) {
		t.Fatal("a missing entry loaded")
	}
	if err := Store(p, "k1", &entry{Names: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	var got entry
	if !Load(p, "k1", &got) || len(got.Names) != 2 || got.Names[1] != "b" {
		t.Fatalf("Load = %+v", got)
	}
	if Load(p, "k2", &got) {
		t.Error("an entry stored for another key loaded")
	}
	os.WriteFile(p, []byte("garbage"), 0o644)
	if Load(p, "k1", &got) {
		t.Error("a damaged entry loaded")
	}
}

// parted is stored in parts: a map and a slice larger than one part.
type parted struct {
	M map[string][]byte
	S []int
}

func (p *parted) EncodeParts(enc *Encoder) error {
	if err := EncodeMap(enc, p.M); err != nil {
		return err
	}
	return EncodeSlice(enc, p.S)
}

func (p *parted) DecodeParts(dec *Decoder) error {
	var err error
	if p.M, err = DecodeMap[[]byte](dec); err != nil {
		return err
	}
	p.S, err = DecodeSlice[int](dec)
	return err
}

func TestParts(t *testing.T) {
	big := &parted{M: map[string][]byte{}}
	for i := range 2*partSize + 7 {
		big.M[fmt.Sprint("k", i)] = []byte(fmt.Sprint("v", i))
		big.S = append(big.S, i)
	}
	tests := []struct {
		name string
		v    *parted
	}{
		{"empty", &parted{}},
		{"one part", &parted{M: map[string][]byte{"a": []byte("x")}, S: []int{1, 2}}},
		{"exactly one part", &parted{S: make([]int, partSize)}},
		{"several parts", big},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "e.gob.zst")
			if err := Store(p, "k", tc.v); err != nil {
				t.Fatal(err)
			}
			var got parted
			if !Load(p, "k", &got) {
				t.Fatal("not loaded")
			}
			if !reflect.DeepEqual(&got, tc.v) {
				t.Errorf("loaded %d entries and %d elements, stored %d and %d", len(got.M), len(got.S), len(tc.v.M), len(tc.v.S))
			}
			// The same key stored whole is another entry.
			var whole struct {
				M map[string][]byte
				S []int
			}
			if Load(p, "k", &whole) {
				t.Error("an entry stored in parts loaded whole")
			}
		})
	}
}

// bytesParted is stored with EncodeBytesMap.
type bytesParted struct{ M map[string][]byte }

func (p *bytesParted) EncodeParts(enc *Encoder) error { return EncodeBytesMap(enc, p.M) }

func (p *bytesParted) DecodeParts(dec *Decoder) (err error) {
	p.M, err = DecodeBytesMap(dec)
	return err
}

func TestBytesMap(t *testing.T) {
	big := map[string][]byte{"empty": nil}
	for i := range 9*partSize + 7 {
		big[fmt.Sprint("k", i)] = []byte(fmt.Sprint("v", i))
	}
	huge := map[string][]byte{}
	for i := range 5 {
		huge[fmt.Sprint("h", i)] = make([]byte, partBytes/2+i)
	}
	tests := []struct {
		name string
		m    map[string][]byte
	}{
		{"nil", nil},
		{"one", map[string][]byte{"a": []byte("x")}},
		{"empty key and value", map[string][]byte{"": nil, "b": []byte("y")}},
		{"several parts by count", big},
		{"several parts by size", huge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "e.gob.zst")
			if err := Store(p, "k", &bytesParted{tc.m}); err != nil {
				t.Fatal(err)
			}
			var got bytesParted
			if !Load(p, "k", &got) {
				t.Fatal("not loaded")
			}
			if !reflect.DeepEqual(got.M, tc.m) {
				t.Errorf("loaded %d entries, stored %d", len(got.M), len(tc.m))
			}
			for k, v := range got.M {
				if cap(v) != len(v) {
					t.Errorf("%s: capacity %d beyond length %d: an append would overwrite the next value", k, cap(v), len(v))
				}
			}
		})
	}
}

// rawPart is a part as EncodeBytesMap writes it.
type rawPart struct {
	p   bytesPart
	raw string
}

func TestBytesMapDamaged(t *testing.T) {
	good := rawPart{bytesPart{Keys: Columns{Data: []byte("a"), Lens: []uint32{1}}, ValueLens: []uint32{2}}, "xy"}
	tests := []struct {
		name  string
		n     int
		parts []rawPart
	}{
		{"values longer than lengths", 1, []rawPart{{good.p, "xyz"}}},
		{"values shorter than lengths", 1, []rawPart{{good.p, "x"}}},
		{"fewer values than keys", 1, []rawPart{{bytesPart{Keys: good.p.Keys}, ""}}},
		{"keys data beyond lengths", 1, []rawPart{{bytesPart{Keys: Columns{Data: []byte("ab"), Lens: []uint32{1}}, ValueLens: []uint32{0}}, ""}}},
		{"more entries than announced", 1, []rawPart{{bytesPart{Keys: Columns{Data: []byte("ab"), Lens: []uint32{1, 1}}, ValueLens: []uint32{0, 0}}, ""}}},
		{"duplicate key", 2, []rawPart{good, good}},
		{"missing part", 2, []rawPart{good}},
		{"empty part", 1, []rawPart{{}}},
		{"negative length", -1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := &Encoder{Encoder: gob.NewEncoder(&buf), w: &buf}
			enc.Encode(tc.n)
			for _, p := range tc.parts {
				enc.Encode(&p.p)
				enc.WriteRaw([]byte(p.raw))
			}
			dec := newDecoder(buf.Bytes())
			m, err := DecodeBytesMap(dec)
			if err == nil && dec.r.Len() == 0 {
				t.Errorf("decoded %v, want an error or bytes left over", m)
			}
		})
	}
	// The control: a good part decodes.
	var buf bytes.Buffer
	enc := &Encoder{Encoder: gob.NewEncoder(&buf), w: &buf}
	enc.Encode(1)
	enc.Encode(&good.p)
	enc.WriteRaw([]byte(good.raw))
	if m, err := DecodeBytesMap(newDecoder(buf.Bytes())); err != nil || string(m["a"]) != "xy" {
		t.Errorf("good part: %v, %v", m, err)
	}
}

func TestChunksDamagedIsMiss(t *testing.T) {
	// Three chunks of values that do not compress away.
	v := &bytesParted{M: map[string][]byte{}}
	x := uint32(1)
	for i := range 3 * chunkSize / 4096 {
		b := make([]byte, 4096)
		for j := range b {
			x = x*1664525 + 1013904223
			b[j] = byte(x >> 24)
		}
		v.M[fmt.Sprint(i)] = b
	}
	p := filepath.Join(t.TempDir(), "e.gob.zst")
	if err := Store(p, "k", v); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(p)
	var got bytesParted
	if !Load(p, "k", &got) || !reflect.DeepEqual(got.M, v.M) {
		t.Fatal("the stored entry does not load as it was")
	}
	if err := Store(p, "k", v); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(p); !bytes.Equal(again, good) {
		t.Error("storing the same entry twice gave different files")
	}
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x40
		return b
	}
	tests := []struct {
		name string
		file []byte
	}{
		{"truncated", good[:len(good)-1]},
		{"byte added", append(bytes.Clone(good), 0)},
		{"chunk count", flip(len(magic))},
		{"chunk size", flip(len(magic) + 1)},
		{"first chunk", flip(len(good) - 3*len(good)/4)},
		{"last chunk", flip(len(good) - 10)},
		{"magic", flip(0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(p, tc.file, 0o644); err != nil {
				t.Fatal(err)
			}
			if Load(p, "k", &bytesParted{}) {
				t.Error("a damaged entry loaded")
			}
		})
	}
}

// TestLoadsSingleStream loads an entry written as one zstd stream, as
// Store wrote them before chunks.
func TestLoadsSingleStream(t *testing.T) {
	var raw bytes.Buffer
	enc := gob.NewEncoder(&raw)
	enc.Encode("k" + programKey())
	enc.Encode(struct{ Names []string }{[]string{"a", "b"}})
	zw, _ := zstd.NewWriter(nil)
	p := filepath.Join(t.TempDir(), "e.gob.zst")
	os.WriteFile(p, zw.EncodeAll(raw.Bytes(), nil), 0o644)
	var got struct{ Names []string }
	if !Load(p, "k", &got) || len(got.Names) != 2 {
		t.Errorf("Load = %+v", got)
	}
}

// TestProgramKey: an entry stored by another build of the program is a
// miss, so a new distmeta never reuses what older code computed.
func TestProgramKey(t *testing.T) {
	if _, ok := ProgramDigest(); !ok {
		t.Fatal("the test binary cannot be read for its digest")
	}
	path := filepath.Join(t.TempDir(), "entry.gob.zst")
	v := map[string]int{"a": 1}
	if err := Store(path, "k", v); err != nil {
		t.Fatal(err)
	}
	var got map[string]int
	if !Load(path, "k", &got) || got["a"] != 1 {
		t.Fatalf("same program: Load = %v", got)
	}
	saved := ProgramDigest
	t.Cleanup(func() { ProgramDigest = saved })
	ProgramDigest = func() ([32]byte, bool) { return [32]byte{1}, true }
	if Load(path, "k", &got) {
		t.Fatal("an entry stored by another program loaded")
	}
	if err := Store(path, "k", v); err != nil {
		t.Fatal(err)
	}
	ProgramDigest = saved
	if Load(path, "k", &got) {
		t.Fatal("an entry stored by another program loaded")
	}
}
