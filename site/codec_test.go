package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTrainDictionaryLargeAnswers trains on samples that include answers
// far beyond zstd's 128 KiB block (the rebuild graph of a Fedora-scale
// world is one such answer): zstd.BuildDict panicked when a sample chunk
// exceeded a block. The dictionary must also be deterministic and
// compress the samples' kind of content.
func TestTrainDictionaryLargeAnswers(t *testing.T) {
	var samples [][]byte
	for i := 0; i < 200; i++ {
		samples = append(samples, []byte(fmt.Sprintf(`{"schema":"distmeta.pkg/1","name":"pkg%d","requires":["glibc","bash"]}`, i)))
	}
	var big bytes.Buffer
	big.WriteString(`{"needs":{`)
	for i := 0; big.Len() < 400<<10; i++ {
		fmt.Fprintf(&big, `"pkg%d":["gcc","glibc","pkg%d"],`, i, i/3)
	}
	big.WriteString(`"x":[]}}`)
	samples = append(samples[:100], append([][]byte{big.Bytes()}, samples[100:]...)...)
	d1, err := trainDictionary("pkg", samples, DictSize)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := trainDictionary("pkg", samples, DictSize)
	if err != nil {
		t.Fatal(err)
	}
	if len(d1) == 0 || !bytes.Equal(d1, d2) {
		t.Fatalf("dictionaries of %d and %d bytes differ or are empty", len(d1), len(d2))
	}
	enc, err := newEncoder(d1)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	content := []byte(`{"pkg7":{"schema":"distmeta.pkg/1","name":"pkg7","requires":["glibc","bash"]}}` + "\n")
	stored, e := encode(enc, content)
	if e != EncodingZstd {
		t.Fatalf("a %d-byte bucket like the samples was stored %s", len(content), e)
	}
	got, err := DecodeObject(stored, Entry{Digest: Sum(stored), Size: int64(len(stored)), RawSize: int64(len(content)), Encoding: e}, d1)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("round trip: %q, %v", got, err)
	}
}

func TestChooseDictionary(t *testing.T) {
	// Answers that share a long boilerplate but hold it once per bucket:
	// a dictionary with the boilerplate saves it from every bucket.
	rnd := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 8)
		for i := range b {
			b[i] = 'a' + byte(rnd.IntN(26))
		}
		return string(b)
	}
	var words []string
	for range 300 {
		words = append(words, word())
	}
	boilerJSON, _ := json.Marshal(words)
	var samples, shared, private [][]byte
	for i := range 400 {
		a := []byte(fmt.Sprintf(`{"schema":"x","n":%d,"text":%s,"own":%q}`, i, boilerJSON, word()+word()))
		samples = append(samples, a)
		shared = append(shared, []byte(fmt.Sprintf(`{"k%d":%s}`, i, a)))
		// No common text across buckets: nothing for a dictionary.
		var own strings.Builder
		for range 300 {
			own.WriteString(word() + " ")
		}
		private = append(private, []byte(fmt.Sprintf(`{"k%d":{"text":%q}}`, i, own.String())))
	}
	d, err := chooseDictionary("kind", samples, shared)
	if err != nil || d == nil {
		t.Fatalf("shared boilerplate: dictionary %d bytes, %v; want one", len(d), err)
	}
	d, err = chooseDictionary("kind", private, private)
	if err != nil || d != nil {
		t.Fatalf("no common text: dictionary %d bytes, %v; want none", len(d), err)
	}
}
