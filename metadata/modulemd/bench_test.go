package modulemd

import (
	"bytes"
	"os"
	"testing"
)

func BenchmarkReadAllFedora29(b *testing.B) {
	data, err := os.ReadFile(sharedPath(b, "repos/fedora-29-modules.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		x, err := ReadAll(bytes.NewReader(data), "fedora-29-modules.yaml")
		if err != nil {
			b.Fatal(err)
		}
		if len(x.Modules) == 0 {
			b.Fatal("no modules")
		}
	}
}

func BenchmarkEncodeFedora29(b *testing.B) {
	x, err := ReadFile(sharedPath(b, "repos/fedora-29-modules.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := x.Encode(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
