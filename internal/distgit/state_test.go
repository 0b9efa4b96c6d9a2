package distgit

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func walkAt(t *testing.T, root, state string, now time.Time) *Result {
	t.Helper()
	res, err := Walk(context.Background(), root, Options{Workers: 2, State: state, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func repoNamed(t *testing.T, res *Result, name string) *Repo {
	t.Helper()
	for i := range res.Repos {
		if res.Repos[i].Name == name {
			return &res.Repos[i]
		}
	}
	t.Fatalf("no repo %s", name)
	return nil
}

func TestObservedHistory(t *testing.T) {
	root := t.TempDir()
	state := t.TempDir()
	dir := filepath.Join(root, "rpms", "acpid.git")
	ids, err := WriteRepo(dir, samplePush("acpid"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRepo(filepath.Join(root, "rpms", "other.git"), samplePush("other")); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRepo(filepath.Join(root, "rpms", "empty.git"), Push{}); err != nil {
		t.Fatal(err)
	}
	// The clock of the walks, injected: days after the commits.
	w1 := t0.Add(48 * time.Hour)
	w2 := w1.Add(24 * time.Hour)
	w3 := w2.Add(24 * time.Hour)

	res := walkAt(t, root, state, w1)
	if res.Opened != 2 || res.Unchanged != 0 || len(res.Errors) != 1 {
		t.Fatalf("walk 1: opened %d unchanged %d errors %v", res.Opened, res.Unchanged, res.Errors)
	}
	// Pushes between walks: rawhide fast-forwards, f40 is force-pushed,
	// epel9 appears, the tag goes away.
	pushAt := w1.Add(time.Hour)
	ids2, err := AppendPush(dir, Push{
		Commits: []CommitSpec{
			{ID: "e", Parents: []string{ids["d"].String()}, Author: sig(pushAt), Message: "Rebuild", Files: map[string][]byte{"acpid.spec": []byte("x")}},
			{ID: "r", Author: sig(pushAt), Message: "Rewritten", Files: map[string][]byte{"acpid.spec": []byte("y")}},
		},
		Refs: map[string]string{"rawhide": "e", "f40": "r", "epel9": ids["a"].String()},
	})
	if err != nil {
		t.Fatal(err)
	}
	res = walkAt(t, root, state, w2)
	if res.Opened != 1 || res.Unchanged != 1 {
		t.Fatalf("walk 2: opened %d unchanged %d", res.Opened, res.Unchanged)
	}
	// Delete epel9 and walk again, then walk with no change.
	if _, err := AppendPush(dir, Push{Refs: map[string]string{"epel9": ""}}); err != nil {
		t.Fatal(err)
	}
	walkAt(t, root, state, w3)
	res = walkAt(t, root, state, w3.Add(time.Hour))
	if res.Opened != 0 || res.Unchanged != 2 || len(res.Updates) != 0 {
		t.Fatalf("no-change walk: opened %d unchanged %d updates %v", res.Opened, res.Unchanged, res.Updates)
	}
	acpid := repoNamed(t, res, "rpms/acpid")
	log, err := ReadLog(state)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 4 {
		t.Errorf("runs: %v", log.Runs)
	}
	for _, tc := range []struct {
		branch string
		at     time.Time
		want   Hash
		source string
		obsAt  time.Time
	}{
		{"rawhide", t0.Add(90 * time.Minute), ids["b"], Derived, time.Time{}},
		{"rawhide", t0.Add(4 * time.Hour), ids["d"], Derived, time.Time{}},
		{"rawhide", t0.Add(3 * time.Hour), ids["b"], Derived, time.Time{}}, // d's committer time is 4h
		{"f40", t0.Add(5 * time.Hour), ids["c"], Derived, time.Time{}},
		{"rawhide", w1, ids["d"], Observed, w1},
		{"rawhide", w2.Add(-time.Minute), ids["d"], Observed, w1},
		{"rawhide", w2, ids2["e"], Observed, w2},
		{"f40", w3, ids2["r"], Observed, w3},
		{"epel9", w2, ids["a"], Observed, w2},
	} {
		pos, err := log.At(acpid, tc.branch, tc.at)
		if err != nil || pos.Hash != tc.want || pos.Source != tc.source || !pos.ObservedAt.Equal(tc.obsAt) {
			t.Errorf("%s at %s: %s %s observed %s (%v), want %s %s %s", tc.branch, tc.at, pos.Hash, pos.Source, pos.ObservedAt, err, tc.want, tc.source, tc.obsAt)
		}
	}
	for _, tc := range []struct {
		branch string
		at     time.Time
	}{
		{"epel9", w1},                   // observed absent: created later
		{"epel9", w3},                   // deleted
		{"epel9", t0},                   // before the first observation, not seen then
		{"rawhide", t0.Add(-time.Hour)}, // before the first commit
		{"nope", w3},
	} {
		if pos, err := log.At(acpid, tc.branch, tc.at); !errors.Is(err, ErrNoBranch) {
			t.Errorf("%s at %s: %s %v, want ErrNoBranch", tc.branch, tc.at, pos.Hash, err)
		}
	}
	// The observed log: kinds and hashes.
	var got []string
	for _, u := range log.Pushes(nil, w1, w3) {
		old, _ := u.Old.MarshalText()
		nw, _ := u.New.MarshalText()
		got = append(got, string(u.Kind)+" "+u.Branch+" "+string(old)+".."+string(nw))
	}
	want := []string{
		"created epel9 .." + ids["a"].String(),
		"forced f40 " + ids["c"].String() + ".." + ids2["r"].String(),
		"pushed rawhide " + ids["d"].String() + ".." + ids2["e"].String(),
		"deleted epel9 " + ids["a"].String() + "..",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pushes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var ev []string
	for _, u := range log.Events(w1, w3) {
		ev = append(ev, string(u.Kind)+" "+u.Branch)
	}
	if got := strings.Join(ev, ","); got != "created epel9,forced f40,deleted epel9" {
		t.Errorf("events: %s", got)
	}
	// Derived pushes before the first observation: every first-parent
	// commit with its committer time, on each branch.
	var der []string
	for _, u := range log.Pushes([]Repo{*acpid}, t0.Add(-time.Minute), w3) {
		if u.Derived {
			der = append(der, u.Branch+" "+u.New.Short())
		}
	}
	wantDer := []string{"f40 " + ids["a"].Short(), "rawhide " + ids["a"].Short(), "rawhide " + ids["b"].Short(), "f40 " + ids["c"].Short(), "rawhide " + ids["d"].Short()}
	if strings.Join(der, ",") != strings.Join(wantDer, ",") {
		t.Errorf("derived pushes: %s\nwant %s", strings.Join(der, ","), strings.Join(wantDer, ","))
	}
	// The old f40 history is still known after the force-push.
	if c := acpid.Chain(ids["c"]); len(c) != 2 {
		t.Errorf("chain of the force-pushed-away head: %v", c)
	}
}

func TestStateRemovedRepoAndCorruptState(t *testing.T) {
	root, state := t.TempDir(), t.TempDir()
	dir := filepath.Join(root, "rpms", "acpid.git")
	if _, err := WriteRepo(dir, samplePush("acpid")); err != nil {
		t.Fatal(err)
	}
	walkAt(t, root, state, t0.Add(time.Hour))
	os.RemoveAll(dir)
	res := walkAt(t, root, state, t0.Add(2*time.Hour))
	var kinds []string
	for _, u := range res.Updates {
		kinds = append(kinds, string(u.Kind)+" "+u.Branch)
	}
	if got := strings.Join(kinds, ","); got != "deleted f40,deleted rawhide" {
		t.Errorf("updates for a removed repo: %s", got)
	}
	os.WriteFile(filepath.Join(state, stateIndexFile), []byte("garbage"), 0o644)
	if _, err := Walk(context.Background(), root, Options{State: state, Now: t0}); err == nil || !strings.Contains(err.Error(), stateIndexFile) {
		t.Errorf("corrupt state: %v", err)
	}
	if _, err := Walk(context.Background(), root, Options{State: state}); err == nil {
		t.Errorf("state without a time: no error")
	}
}

func TestParseLog(t *testing.T) {
	h := strings.Repeat("ab", 20)
	for _, tc := range []struct{ in, err string }{
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","repos":3}` + "\n" + `{"t":"2024-01-01T00:00:00Z","kind":"seen","repo":"rpms/a","branch":"f40","new":"` + h + `"}`, ""},
		{`{"t":"2024-01-01T00:00:00Z","kind":"seen","repo":"rpms/a","branch":"f40"}`, "without a new hash"},
		{`{"t":"2024-01-01T00:00:00Z","kind":"zap","repo":"rpms/a","branch":"f40"}`, "unknown kind"},
		{`{"kind":"run"}`, "no time"},
		{`{"t":"2024-01-01T00:00:00Z","kind":"deleted","repo":"rpms/a"}`, "without repo or branch"},
		{`{"t":"2024-01-01T00:00:00Z","kind":"pushed","repo":"rpms/a","branch":"b","new":"xyz"}`, "line 1"},
		{"\n\nnot json", "line 3"},
	} {
		_, err := ParseLog(strings.NewReader(tc.in))
		if (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
		}
	}
}

func FuzzParseLog(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, line := range bytes.Split(b, []byte("\n")) {
			checkLogLine(t, line)
		}
		l, err := ParseLog(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		for i := 1; i < len(l.Updates); i++ {
			if l.Updates[i].Time.Before(l.Updates[i-1].Time) {
				t.Fatal("updates not sorted by time")
			}
		}
	})
}
