package distgit

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// checkLogLine fails when the fast decoding of a ref log line accepts it
// but differs from encoding/json's.
func checkLogLine(t *testing.T, line []byte) bool {
	t.Helper()
	got, ok := parseLogLine(line)
	if !ok {
		return false
	}
	var want RefUpdate
	if err := json.Unmarshal(line, &want); err != nil {
		t.Fatalf("%q: decoded fast, but encoding/json says %v", line, err)
	}
	if !reflect.DeepEqual(got, want) || !got.Time.Equal(want.Time) || got.Time.Location().String() != want.Time.Location().String() {
		t.Fatalf("%q: fast %+v, encoding/json %+v", line, got, want)
	}
	return true
}

// TestParseLogLine: lines as appendLog writes them are decoded without
// encoding/json, to the same value; every other form is left to it.
func TestParseLogLine(t *testing.T) {
	h := strings.Repeat("ab", 20)
	written := func(u RefUpdate) string {
		b, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	now := time.Date(2026, 11, 26, 15, 51, 40, 0, time.UTC)
	for _, tc := range []struct {
		line string
		fast bool
	}{
		{written(RefUpdate{Time: now, Kind: Pushed, Repo: "rpms/a", Branch: "rawhide", Old: Hash{1}, New: Hash{2}}), true},
		{written(RefUpdate{Time: now.Add(123456789), Kind: Seen, Repo: "rpms/a", Branch: "f40", New: Hash{2}, Derived: true}), true},
		{written(RefUpdate{Time: now, Kind: Run, Repos: 25200}), true},
		{written(RefUpdate{Time: now, Kind: Run}), true},
		{written(RefUpdate{Time: now.In(time.FixedZone("", 3600)), Kind: Deleted, Repo: "rpms/a", Branch: "b", Old: Hash{3}}), true},
		{`{"kind":"pushed","t":"2024-01-01T00:00:00Z","new":"` + h + `","repo":"r","branch":"b"}`, true},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","repos":0,"derived":false}`, true},
		{`{"t":"2024-01-01T00:00:00Z","kind":"pushed","old":""}`, true},
		// Left to encoding/json.
		{`{ "t":"2024-01-01T00:00:00Z","kind":"run"}`, false},
		{`{"t":"2024-01-01T00:00:00+00:00","kind":"run"}`, false},
		{`{"t":"2024-01-01T00:00:00.10Z","kind":"run"}`, false},
		{`{"T":"2024-01-01T00:00:00Z","kind":"run"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","kind":"seen"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"pushed","repo":"a\"b"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"pushed","repo":"rpms/é"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"pushed","new":"` + strings.ToUpper(h) + `"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"pushed","new":"abc"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","repos":"3"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","repos":03}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","repos":-3}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","derived":"true"}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run","other":1}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run",}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":run}`, false},
		{`{"t":"2024-01-01T00:00:00Z","kind":"run"}}`, false},
		{`not json`, false},
		{`{}`, true},
	} {
		if got := checkLogLine(t, []byte(tc.line)); got != tc.fast {
			t.Errorf("%s: decoded fast %v, want %v", tc.line, got, tc.fast)
		}
	}
}
