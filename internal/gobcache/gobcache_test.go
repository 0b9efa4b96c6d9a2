package gobcache

import (
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
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

func (p *parted) EncodeParts(enc *gob.Encoder) error {
	if err := EncodeMap(enc, p.M); err != nil {
		return err
	}
	return EncodeSlice(enc, p.S)
}

func (p *parted) DecodeParts(dec *gob.Decoder) error {
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
