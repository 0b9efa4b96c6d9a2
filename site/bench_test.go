package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/site/internal/synth"
)

// siteBytes is the total size of the files a mirror carries.
func siteBytes(t testing.TB, dir string) (n int64, files int) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			if info, err := d.Info(); err == nil {
				n += info.Size()
				files++
			}
		}
		return nil
	})
	return n, files
}

// bucketStats returns, over every answer object of the site, the stored
// bytes and what gzip -9 makes of the same decoded bucket contents.
func bucketStats(t testing.TB, dir string, ix *Index) (stored, gz, raw int64, objects int) {
	t.Helper()
	f := DirFetcher(dir)
	ctx := context.Background()
	b, err := FetchVerified(ctx, f, ix.Root.Digest.ManifestPath(), ix.Root)
	if err != nil {
		t.Fatal(err)
	}
	root, err := ParseRootManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, kr := range root.Kinds {
		var dict []byte
		if kr.Dict != nil {
			dict, _ = FetchVerified(ctx, f, kr.Dict.Digest.ObjectPath(), *kr.Dict)
		}
		b, _ := FetchVerified(ctx, f, kr.Manifest.Digest.ManifestPath(), kr.Manifest)
		km, err := ParseKindManifest(b)
		if err != nil {
			t.Fatal(err)
		}
		entries := km.Objects
		for i, r := range km.Pages {
			b, _ := FetchVerified(ctx, f, r.Digest.ManifestPath(), r)
			pm, err := ParsePageManifest(b, km, i)
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, pm.Objects...)
		}
		for _, e := range entries {
			s, err := FetchVerified(ctx, f, e.Digest.ObjectPath(), e.Ref())
			if err != nil {
				t.Fatal(err)
			}
			c, err := DecodeObject(s, e, dict)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			w.Write(c)
			w.Close()
			stored += int64(len(s))
			gz += int64(buf.Len())
			raw += int64(len(c))
			objects++
		}
	}
	return
}

var statRE = regexp.MustCompile(`Total bytes (sent|received): ([0-9,.]+)`)

// mirrorSync runs scripts/mirror-sync.sh with --stats and returns the
// bytes rsync moved (sent plus received, over all stages).
func mirrorSync(t testing.TB, src, dst, stage string) int64 {
	t.Helper()
	testenv.Tool(t, "rsync")
	script := filepath.Join(testenv.RepoRoot(t), "scripts", "mirror-sync.sh")
	cmd := exec.Command(script, src, dst)
	cmd.Env = append(os.Environ(), "RSYNC_OPTS=--stats", "STAGE="+stage)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mirror-sync.sh: %v\n%s", err, out)
	}
	var n int64
	for _, m := range statRE.FindAllStringSubmatch(string(out), -1) {
		v, _ := strconv.ParseInt(strings.NewReplacer(",", "", ".", "").Replace(m[2]), 10, 64)
		n += v
	}
	return n
}

func fullModel() *synth.Model { return synth.New(2024, synth.Components, synth.Binaries) }

// BenchmarkStore measures, in one run, the two figures the store is held
// to: stored answer bytes against gzip -9 of the same bucket contents
// (target 1.5x smaller) and the bytes an rsync of a one-push incremental
// publish moves, as a share of the site (target under 1%).
func BenchmarkStore(b *testing.B) {
	sm := fullModel()
	m := copyModel(sm)
	k := newTestKey(b, "bench.example")
	for i := 0; i < b.N; i++ {
		src, mirror := b.TempDir(), b.TempDir()
		start := time.Now()
		res, err := Publish(context.Background(), src, m, k.signer, PublishOptions{Now: t0})
		if err != nil {
			b.Fatal(err)
		}
		pubTime := time.Since(start)
		stored, gz, raw, objects := bucketStats(b, src, res.Index)
		mirrorSync(b, src, mirror, "all")

		comp := sm.Components[len(sm.Components)/3]
		sm.Push(comp, i+1)
		m2 := copyModel(sm)
		res2, err := Publish(context.Background(), src, m2, k.signer, PublishOptions{Now: t0.Add(time.Hour)})
		if err != nil {
			b.Fatal(err)
		}
		moved := mirrorSync(b, src, mirror, "1") + mirrorSync(b, src, mirror, "2")
		deletions := mirrorSync(b, src, mirror, "3")
		site, files := siteBytes(b, mirror)
		var perAnswer int64
		for _, as := range m.Answers {
			for _, a := range as {
				var buf bytes.Buffer
				w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
				w.Write(a)
				w.Close()
				perAnswer += int64(buf.Len())
			}
		}
		b.ReportMetric(float64(perAnswer)/float64(stored), "x_smaller_than_gzip9_per_answer")
		ratio := float64(gz) / float64(stored)
		share := 100 * float64(moved) / float64(site)
		b.ReportMetric(ratio, "x_smaller_than_gzip9")
		b.ReportMetric(share, "%_site_moved_per_push")
		b.ReportMetric(float64(stored)/float64(objects), "B/object")
		b.Logf("answers: %d binary + %d component; %d objects, raw %d B, zstd+dict %d B, gzip -9 %d B: %.2fx smaller than gzip -9 (%.1fx raw); gzip -9 of each answer alone %d B: %.2fx; publish %v",
			len(m.Answers["binary"]), len(m.Answers["component"]), objects, raw, stored, gz, ratio, float64(raw)/float64(stored), perAnswer, float64(perAnswer)/float64(stored), pubTime.Round(time.Millisecond))
		b.Logf("push of %s (%d binaries): wrote %d files (%d B); stages 1+2 moved %d B of a %d B, %d-file site: %.2f%%; the deletion pass (stage 3) another %d B (%.2f%% in all)",
			comp, len(sm.Binaries[comp]), res2.ObjectsWritten, res2.BytesWritten, moved, site, files, share, deletions, 100*float64(moved+deletions)/float64(site))
	}
}

// TestMeasureBucketing prints the figures behind the choice of bucket
// size and of hashing over key ranges (docs/site-format.md). It is slow:
// DISTMETA_MEASURE=1 runs it.
func TestMeasureBucketing(t *testing.T) {
	if os.Getenv("DISTMETA_MEASURE") == "" {
		t.Skip("DISTMETA_MEASURE=1 runs the bucketing measurement")
	}
	k := newTestKey(t, "bench.example")
	for _, size := range []int{16 << 10, 32 << 10, 64 << 10, 128 << 10} {
		sm := fullModel()
		dir := t.TempDir()
		res, err := Publish(context.Background(), dir, copyModel(sm), k.signer, PublishOptions{Now: t0, BucketSize: size})
		if err != nil {
			t.Fatal(err)
		}
		stored, gz, _, objects := bucketStats(t, dir, res.Index)
		site, files := siteBytes(t, dir)
		var wrote int64
		for i, c := range []string{sm.Components[100], sm.Components[9000], sm.Components[20000]} {
			sm.Push(c, i+1)
			r2, err := Publish(context.Background(), dir, copyModel(sm), k.signer, PublishOptions{Now: t0.Add(time.Duration(i+1) * time.Hour), BucketSize: size})
			if err != nil {
				t.Fatal(err)
			}
			wrote += r2.BytesWritten
		}
		t.Logf("bucket %3d KiB: %4d objects, %6d B/object, %.2fx smaller than gzip -9, site %d B in %d files, one push writes %d B (%.2f%%)",
			size>>10, objects, stored/int64(objects), float64(gz)/float64(stored), site, files, wrote/3, 100*float64(wrote/3)/float64(site))
	}
	// Key ranges: sorted keys cut into chunks of equal count. Adding one
	// package shifts every later boundary.
	sm := fullModel()
	keys := make([]string, 0, len(sm.Answers["binary"]))
	for k := range sm.Answers["binary"] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	chunk := func(ks []string) map[string]bool {
		out := map[string]bool{}
		for i := 0; i < len(ks); i += 100 {
			out[strings.Join(ks[i:min(i+100, len(ks))], ",")] = true
		}
		return out
	}
	before := chunk(keys)
	added := append([]string{}, keys...)
	added = append(added, keys[len(keys)/3]+"-new")
	sort.Strings(added)
	changed := 0
	for c := range chunk(added) {
		if !before[c] {
			changed++
		}
	}
	hashChanged := 1
	t.Logf("key ranges of 100 keys: adding one key changes %d of %d buckets; hash buckets: %d", changed, len(before), hashChanged)
	fmt.Println()
}
