package answer

import (
	"reflect"
	"testing"
)

func TestCacheDiffSaveLoad(t *testing.T) {
	dir := t.TempDir()
	c := LoadCache(dir) // missing: empty
	in := [32]byte{1}
	if _, ok := c.Get("src", "a", in); ok {
		t.Fatal("empty cache hit")
	}
	c.Put("src", "a", in, []byte(`{"a":1}`))
	c.Put("src", "gone", in, []byte(`{}`)) // not used by the next run once saved
	set := Set{"src": {"a": []byte(`{"a":1}`)}, "pkg": {"x": []byte(`{}`), "y": []byte(`{}`)}}
	ch := c.Diff(set)
	if ch.Total() != 3 || ch.Added["pkg"] != 2 {
		t.Fatalf("first diff = %+v", ch)
	}
	if err := c.Save(dir, set); err != nil {
		t.Fatal(err)
	}
	c2 := LoadCache(dir)
	if b, ok := c2.Get("src", "a", in); !ok || string(b) != `{"a":1}` {
		t.Fatalf("reloaded: %s %v", b, ok)
	}
	if _, ok := c2.Get("src", "a", [32]byte{2}); ok {
		t.Fatal("other input digest hit")
	}
	set2 := Set{"src": {"a": []byte(`{"a":2}`)}, "pkg": {"x": []byte(`{}`), "z": []byte(`{}`)}}
	ch = c2.Diff(set2)
	want := []string{"~src/a", "-pkg/y", "+pkg/z"}
	got := append([]string(nil), ch.Keys...)
	if !reflect.DeepEqual(sortByKey(got), sortByKey(want)) || ch.Changed["src"] != 1 || ch.Removed["pkg"] != 1 || ch.Added["pkg"] != 1 {
		t.Fatalf("second diff = %+v", ch)
	}
}

func sortByKey(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j][1:] < out[i][1:] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
