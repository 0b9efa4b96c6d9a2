package collect

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/gobcache"
)

// gobRoundTrip is what gob makes of f stored whole: what the cache must
// give back (gob does not keep a time's Location, only its offset).
func gobRoundTrip(t *testing.T, f *Feeds) *Feeds {
	t.Helper()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(struct {
		B []BuildEvent
		R []TestResult
	}{f.Builds, f.Results}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		B []BuildEvent
		R []TestResult
	}
	if err := gob.NewDecoder(&buf).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return &Feeds{Builds: out.B, Results: out.R}
}

func TestFeedsCacheRoundTripEveryField(t *testing.T) {
	if n := reflect.TypeOf(BuildEvent{}).NumField(); n != 10 {
		t.Fatalf("BuildEvent has %d fields: store the new ones in EncodeParts and DecodeParts, then update this test", n)
	}
	if n := reflect.TypeOf(TestResult{}).NumField(); n != 5 {
		t.Fatalf("TestResult has %d fields: store the new ones in EncodeParts and DecodeParts, then update this test", n)
	}
	start := time.Date(2024, 12, 1, 10, 0, 0, 123456789, time.UTC)
	big := &Feeds{}
	for i := range 2*feedPart + 5 {
		b := BuildEvent{ID: i + 1, Kind: "rpm", NVR: fmt.Sprintf("p%d-1-1.fc40", i), Component: fmt.Sprint("p", i),
			Branch: "f40", Source: fmt.Sprintf("https://src/p%d#%040x", i, i), State: "complete",
			Started: start.Add(time.Duration(i) * time.Minute), Finished: start.Add(time.Duration(i+3) * time.Minute)}
		if i%7 == 0 {
			b.Kind, b.NVR, b.NSVC, b.State, b.Finished = "module", "", fmt.Sprintf("m%d:1:2:c0", i), "building", time.Time{}
		}
		if i%5 == 0 {
			b.Started = b.Started.In(time.FixedZone("X", 2*3600))
		}
		big.Builds = append(big.Builds, b)
		big.Results = append(big.Results, TestResult{Item: b.NVR, Type: "koji_build", TestCase: fmt.Sprint("t.", i%3),
			Outcome: "PASSED", Time: b.Started})
	}
	big.Results[3].Time = time.Time{}
	tests := []struct {
		name string
		f    *Feeds
	}{
		{"every field, several parts", big},
		{"builds only", &Feeds{Builds: big.Builds[:3]}},
		{"results only", &Feeds{Results: big.Results[:feedPart]}},
		{"empty strings", &Feeds{Builds: []BuildEvent{{ID: 0}}, Results: []TestResult{{}}}},
		{"nothing", &Feeds{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "feeds.gob.zst")
			if err := gobcache.Store(p, "k", tc.f); err != nil {
				t.Fatal(err)
			}
			var got Feeds
			if !gobcache.Load(p, "k", &got) {
				t.Fatal("not loaded")
			}
			if want := gobRoundTrip(t, tc.f); !reflect.DeepEqual(&got, want) {
				t.Errorf("loaded feeds differ from the stored ones")
			}
			// Deterministic: the same feeds give the same file.
			first, _ := os.ReadFile(p)
			if err := gobcache.Store(p, "k", tc.f); err != nil {
				t.Fatal(err)
			}
			if again, _ := os.ReadFile(p); !bytes.Equal(first, again) {
				t.Error("storing the same feeds twice gave different files")
			}
		})
	}
}

// oldFeeds is the layout before columns: parts of whole values.
type oldFeeds Feeds

func (f *oldFeeds) EncodeParts(enc *gobcache.Encoder) error {
	if err := gobcache.EncodeSlice(enc, f.Builds); err != nil {
		return err
	}
	return gobcache.EncodeSlice(enc, f.Results)
}

func (f *oldFeeds) DecodeParts(dec *gobcache.Decoder) error { return nil }

func TestFeedsCacheOldOrDamagedIsMiss(t *testing.T) {
	dir := t.TempDir()
	builds := filepath.Join(dir, "builds.jsonl")
	results := filepath.Join(dir, "results.jsonl")
	os.WriteFile(builds, []byte(`{"id":1,"kind":"rpm","nvr":"a-1-1","component":"a","branch":"f40","source":"g#1","state":"complete","started":"2024-12-01T10:00:00Z"}`+"\n"), 0o644)
	os.WriteFile(results, []byte(`{"item":"a-1-1","type":"koji_build","testcase":"t","outcome":"PASSED","time":"2024-12-01T11:00:00Z"}`+"\n"), 0o644)
	want, cached, err := ReadFeeds(builds, results, dir)
	if err != nil || cached {
		t.Fatalf("first read: cached %v, %v", cached, err)
	}
	if _, cached, _ := ReadFeeds(builds, results, dir); !cached {
		t.Fatal("second read not cached")
	}
	cachePath := filepath.Join(dir, "feeds.gob.zst")
	good, _ := os.ReadFile(cachePath)
	db, _ := fileDigest(builds)
	dr, _ := fileDigest(results)
	old := oldFeeds{Builds: []BuildEvent{{ID: 9, Kind: "rpm"}}}
	tests := []struct {
		name  string
		write func() error
	}{
		{"old layout", func() error { return gobcache.Store(cachePath, db+"/"+dr, &old) }},
		{"truncated", func() error { return os.WriteFile(cachePath, good[:len(good)/2], 0o644) }},
		{"garbage", func() error { return os.WriteFile(cachePath, []byte("not a cache"), 0o644) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.write(); err != nil {
				t.Fatal(err)
			}
			got, cached, err := ReadFeeds(builds, results, dir)
			if err != nil || cached {
				t.Fatalf("cached %v, %v: want a miss", cached, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Error("feeds read after a miss differ")
			}
		})
	}
}
