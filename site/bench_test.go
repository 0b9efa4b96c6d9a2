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
// to on the synthetic model: stored answer bytes against gzip -9 of the
// same answers (target 1.5x smaller) and the bytes an rsync of a one-push
// incremental publish moves, as a share of the site (target under 1%).
// BenchmarkStoreWorld does the same on the answers of a generated world.
func BenchmarkStore(b *testing.B) {
	sm := fullModel()
	before := copyModel(sm)
	comp := sm.Components[len(sm.Components)/3]
	sm.Push(comp, 1)
	after := copyModel(sm)
	for i := 0; i < b.N; i++ {
		storeFigures(b, before, after, PublishOptions{})
	}
}

// BenchmarkStoreWorld is BenchmarkStore on real answers: the sites that
// `distmeta build` published from a generated world before and after one
// push (scripts/bench-site.sh makes them and sets DISTMETA_BENCH_SITE and
// DISTMETA_BENCH_SITE_PUSH). The answers are read back from those sites
// and published again with this package's current options.
func BenchmarkStoreWorld(b *testing.B) {
	dirA, dirB := os.Getenv("DISTMETA_BENCH_SITE"), os.Getenv("DISTMETA_BENCH_SITE_PUSH")
	if dirA == "" || dirB == "" {
		b.Skip("DISTMETA_BENCH_SITE and DISTMETA_BENCH_SITE_PUSH name the sites before and after one push (scripts/bench-site.sh)")
	}
	before, after := loadSite(b, dirA), loadSite(b, dirB)
	for i := 0; i < b.N; i++ {
		storeFigures(b, before, after, PublishOptions{})
	}
}

// storeFigures publishes before, mirrors it, publishes after over it and
// mirrors the change, and reports the compression and rsync figures.
func storeFigures(b *testing.B, before, after Model, opts PublishOptions) {
	b.Helper()
	k := newTestKey(b, "bench.example")
	src, mirror := b.TempDir(), b.TempDir()
	opts.Now = t0
	start := time.Now()
	res, err := Publish(context.Background(), src, before, k.signer, opts)
	if err != nil {
		b.Fatal(err)
	}
	pubTime := time.Since(start)
	cs := compressionStats(b, src, res.Index, before)
	mirrorSync(b, src, mirror, "all")

	opts.Now = t0.Add(time.Hour)
	res2, err := Publish(context.Background(), src, after, k.signer, opts)
	if err != nil {
		b.Fatal(err)
	}
	moved := mirrorSync(b, src, mirror, "1") + mirrorSync(b, src, mirror, "2")
	deletions := mirrorSync(b, src, mirror, "3")
	site, files := siteBytes(b, mirror)
	ratio := float64(cs.gzBuckets) / float64(cs.stored)
	share := 100 * float64(moved) / float64(site)
	b.ReportMetric(ratio, "x_smaller_than_gzip9")
	b.ReportMetric(float64(cs.gzAnswers)/float64(cs.stored), "x_smaller_than_gzip9_per_answer")
	b.ReportMetric(share, "%_site_moved_per_push")
	b.ReportMetric(100*float64(moved+deletions)/float64(site), "%_with_deletion_pass")
	b.ReportMetric(float64(cs.median), "B_median_object")
	b.ReportMetric(float64(cs.p99), "B_p99_object")
	b.Logf("answers: %d keys in %d kinds; %d answer objects, decoded %d B, stored %d B (%.1fx); dictionaries %d B; publish %v",
		cs.keys, len(before.Answers), cs.objects, cs.raw, cs.stored, float64(cs.raw)/float64(cs.stored), cs.dicts, pubTime.Round(time.Millisecond))
	b.Logf("gzip -9 of the same buckets %d B: ours %.2fx smaller; of each answer alone %d B: %.2fx; of all answers in one stream %d B: %.2fx",
		cs.gzBuckets, ratio, cs.gzAnswers, float64(cs.gzAnswers)/float64(cs.stored), cs.gzAll, float64(cs.gzAll)/float64(cs.stored))
	b.Logf("object a query downloads: median %d B, p99 %d B, max %d B (decoded median %d B)", cs.median, cs.p99, cs.max, cs.rawMedian)
	for _, kind := range []string{"pkg", "cap", "src"} {
		cold := coldQueryBytes(b, src, res.Index, kind, sampleKeys(before.Answers[kind], 200))
		if len(cold) == 0 {
			continue
		}
		b.ReportMetric(float64(cold[len(cold)/2]), "B_cold_"+kind+"_median")
		b.Logf("cold query of one %s answer (index, manifests, dictionary, bucket), %d keys sampled: median %d B, p90 %d B, max %d B",
			kind, len(cold), cold[len(cold)/2], cold[len(cold)*9/10], cold[len(cold)-1])
	}
	b.Logf("one push: wrote %d files (%d B); stages 1+2 moved %d B of a %d B, %d-file site: %.2f%%; the deletion pass (stage 3) another %d B (%.2f%% in all)",
		res2.ObjectsWritten, res2.BytesWritten, moved, site, files, share, deletions, 100*float64(moved+deletions)/float64(site))
}

type compStats struct {
	keys, objects               int
	stored, raw, dicts          int64
	gzBuckets, gzAnswers, gzAll int64
	median, p99, max, rawMedian int64
}

// gzip9 is the size of gzip -9 of b: the gzip program's when it is
// installed (buckets, one stream), compress/gzip at level 9 otherwise and
// for the many small answers (within 0.5% of the program on these).
func gzip9(b []byte) int64 {
	if gzipPath != "" {
		cmd := exec.Command(gzipPath, "-9", "-n", "-c")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err == nil {
			return int64(len(out))
		}
	}
	return gzip9Go(b)
}

var gzipPath, _ = exec.LookPath("gzip")

func gzip9Go(b []byte) int64 {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return int64(buf.Len())
}

// compressionStats measures the answer objects of the site against gzip
// -9 of the same bucket contents, of each answer alone and of all the
// answers as one stream.
func compressionStats(t testing.TB, dir string, ix *Index, m Model) compStats {
	t.Helper()
	var cs compStats
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
	var sizes, rawSizes []int64
	for _, kind := range sortedKeys(root.Kinds) {
		kr := root.Kinds[kind]
		var dict []byte
		if kr.Dict != nil {
			dict, _ = FetchVerified(ctx, f, kr.Dict.Digest.ObjectPath(), *kr.Dict)
			cs.dicts += kr.Dict.Size
		}
		entries, err := kindEntries(ctx, f, kr)
		if err != nil {
			t.Fatal(err)
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
			cs.stored += int64(len(s))
			cs.gzBuckets += gzip9(c)
			cs.raw += int64(len(c))
			cs.objects++
			sizes = append(sizes, int64(len(s)))
			rawSizes = append(rawSizes, int64(len(c)))
		}
	}
	var all bytes.Buffer
	for _, kind := range sortedKeys(m.Answers) {
		for _, key := range sortedKeys(m.Answers[kind]) {
			a := m.Answers[kind][key]
			cs.gzAnswers += gzip9Go(a)
			all.Write(a)
			all.WriteByte('\n')
			cs.keys++
		}
	}
	cs.gzAll = gzip9(all.Bytes())
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	sort.Slice(rawSizes, func(i, j int) bool { return rawSizes[i] < rawSizes[j] })
	if n := len(sizes); n > 0 {
		cs.median, cs.p99, cs.max = sizes[n/2], sizes[min(n-1, n*99/100)], sizes[n-1]
		cs.rawMedian = rawSizes[n/2]
	}
	return cs
}

// BenchmarkBucketing prints the figures behind the choice of bucket size
// and of hashing over key ranges (docs/site-format.md). It is slow (about
// 15 minutes on 2 cores): go test -run '^$' -bench Bucketing ./site.
func BenchmarkBucketing(b *testing.B) {
	t := b
	k := newTestKey(t, "bench.example")
	for _, size := range []int{16 << 10, 32 << 10, 64 << 10, 128 << 10} {
		sm := fullModel()
		dir := t.TempDir()
		res, err := Publish(context.Background(), dir, copyModel(sm), k.signer, PublishOptions{Now: t0, BucketSize: size})
		if err != nil {
			t.Fatal(err)
		}
		cs := compressionStats(t, dir, res.Index, copyModel(sm))
		stored, gz, objects := cs.stored, cs.gzBuckets, int64(cs.objects)
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
			size>>10, objects, stored/objects, float64(gz)/float64(stored), site, files, wrote/3, 100*float64(wrote/3)/float64(site))
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
