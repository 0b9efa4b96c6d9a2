package distgit

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFindStale(t *testing.T) {
	root := t.TempDir()
	ids, err := WriteRepo(filepath.Join(root, "rpms", "acpid.git"), samplePush("acpid"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Walk(context.Background(), root, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	gone, _ := ParseHash(strings.Repeat("12", 20))
	builds := []Build{
		{ID: "acpid-2-1", Kind: "rpm", Repo: "rpms/acpid", Commit: ids["d"]},                    // rawhide head: current
		{ID: "acpid-1.1-1", Kind: "rpm", Repo: "rpms/acpid", Commit: ids["c"]},                  // f40 head: current
		{ID: "acpid-1-1", Kind: "rpm", Repo: "rpms/acpid", Commit: ids["a"]},                    // below both heads
		{ID: "acpid-2-0", Kind: "rpm", Repo: "rpms/acpid", Branch: "rawhide", Commit: ids["b"]}, // below rawhide
		{ID: "acpid-1.1-0", Kind: "module", Repo: "rpms/acpid", Branch: "rawhide", Commit: ids["c"]},
		{ID: "acpid-x", Kind: "rpm", Repo: "rpms/acpid", Commit: gone},
		{ID: "acpid-y", Kind: "rpm", Repo: "rpms/acpid", Branch: "epel7", Commit: ids["a"]},
		{ID: "zsh-1-1", Kind: "rpm", Repo: "rpms/zsh", Commit: gone},
	}
	var got []string
	for _, s := range FindStale(res.Repos, builds) {
		var after []string
		for _, c := range s.After {
			after = append(after, c.Hash.Short())
		}
		got = append(got, s.ID+" "+s.Reason+" "+s.Branch+" ["+strings.Join(after, " ")+"]")
	}
	want := []string{
		"acpid-1-1 behind f40 [" + ids["c"].Short() + "]", // one commit after it on f40, two on rawhide
		"acpid-1.1-0 not on any branch  []",               // c is on rawhide only through the merge's second parent
		"acpid-2-0 behind rawhide [" + ids["d"].Short() + "]",
		"acpid-x not on any branch  []",
		"acpid-y not on any branch  []",
		"zsh-1-1 unknown repository  []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stale:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseBuildsFeed(t *testing.T) {
	h := strings.Repeat("ab", 20)
	src := `"source":"git+https://src.fedoraproject.org/rpms/acpid.git#` + h + `"`
	feed := `{"kind":"rpm","nvr":"acpid-1-1",` + src + `,"state":"building","time":"2024-01-01T00:00:00Z"}
{"kind":"rpm","nvr":"acpid-1-1",` + src + `,"state":"complete","time":"2024-01-01T01:00:00Z"}
{"kind":"rpm","nvr":"acpid-1-2",` + src + `,"state":"complete","time":"2024-01-01T01:00:00Z"}
{"kind":"rpm","nvr":"acpid-1-2",` + src + `,"state":"failed","time":"2024-01-01T02:00:00Z"}
{"kind":"module","nsvc":"m:s:1:c",` + src + `,"state":"complete","time":"2024-01-01T01:00:00Z"}

`
	bs, err := ParseBuildsFeed(strings.NewReader(feed))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].ID != "acpid-1-1" || bs[0].Repo != "rpms/acpid" || bs[0].Commit.String() != h ||
		!bs[0].Time.Equal(time.Date(2024, 1, 1, 1, 0, 0, 0, time.UTC)) || bs[1].ID != "m:s:1:c" || bs[1].Kind != "module" {
		t.Errorf("builds: %+v", bs)
	}
	for _, tc := range []struct{ in, err string }{
		{`{"kind":"srpm","nvr":"a",` + src + `,"state":"complete"}`, "kind"},
		{`{"kind":"rpm",` + src + `,"state":"complete"}`, "without nvr"},
		{`{"kind":"rpm","nvr":"a",` + src + `,"state":"done"}`, "state"},
		{`{"kind":"rpm","nvr":"a","source":"git+https://x/rpms/a.git","state":"complete"}`, "no #commit"},
		{"\n{", "line 2"},
	} {
		if _, err := ParseBuildsFeed(strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestParseSource(t *testing.T) {
	h := strings.Repeat("cd", 20)
	for _, tc := range []struct{ in, repo, err string }{
		{"git+https://src.fedoraproject.org/rpms/acpid.git#" + h, "rpms/acpid", ""},
		{"git+https://src.fedoraproject.org/rpms/acpid#" + h, "rpms/acpid", ""},
		{"git+https://src.fedoraproject.org/rpms/acpid.git?#" + h, "rpms/acpid", ""},
		{"https://host/modules/nodejs.git#" + h, "modules/nodejs", ""},
		{"https://host/forks/acpid.git#" + h, "", "want …/rpms/NAME.git"},
		{"https://host/rpms/acpid.git#abc", "", "want 40 hex digits"},
	} {
		repo, got, err := ParseSource(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || repo != tc.repo || got.String() != h {
			t.Errorf("%q: %s %s %v", tc.in, repo, got, err)
		}
	}
}

func FuzzParseBuildsFeed(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		bs, err := ParseBuildsFeed(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		for _, x := range bs {
			if x.ID == "" || x.Commit.IsZero() && x.Repo == "" {
				t.Fatalf("accepted build without id or source: %+v", x)
			}
		}
	})
}
