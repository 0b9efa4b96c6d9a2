package site

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
)

// coldQueryBytes returns, for each key in keys of one kind, the stored
// bytes a client with an empty cache downloads to read its answer: the
// index, the root manifest, the kind manifest, the page manifest holding
// the key's bucket (large kinds), the kind's dictionary (if any) and the
// bucket's object. Sorted ascending.
func coldQueryBytes(t testing.TB, dir string, ix *Index, kind string, keys []string) []int64 {
	t.Helper()
	ctx := context.Background()
	f := DirFetcher(dir)
	idx, err := os.ReadFile(dir + "/index")
	if err != nil {
		t.Fatal(err)
	}
	b, err := FetchVerified(ctx, f, ix.Root.Digest.ManifestPath(), ix.Root)
	if err != nil {
		t.Fatal(err)
	}
	root, err := ParseRootManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	kr, ok := root.Kinds[kind]
	if !ok {
		return nil
	}
	b, err = FetchVerified(ctx, f, kr.Manifest.Digest.ManifestPath(), kr.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	km, err := ParseKindManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	base := int64(len(idx)) + ix.Root.Size + kr.Manifest.Size
	if kr.Dict != nil {
		base += kr.Dict.Size
	}
	var out []int64
	for _, key := range keys {
		bucket, e, page := km.Locate(key)
		n := base
		if page >= 0 {
			r := km.Pages[page]
			b, err := FetchVerified(ctx, f, r.Digest.ManifestPath(), r)
			if err != nil {
				t.Fatal(err)
			}
			pm, err := ParsePageManifest(b, km, page)
			if err != nil {
				t.Fatal(err)
			}
			if e, err = pm.Entry(bucket); err != nil {
				t.Fatal(err)
			}
			n += r.Size
		}
		out = append(out, n+e.Size)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// sampleKeys returns up to n keys of m spread evenly over the sorted keys.
func sampleKeys(m map[string][]byte, n int) []string {
	keys := sortedKeys(m)
	if len(keys) <= n {
		return keys
	}
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, keys[i*len(keys)/n])
	}
	return out
}

// BenchmarkColdQueryWorld publishes the answers of a site (DISTMETA_BENCH_SITE,
// see BenchmarkStoreWorld) with several bucket and page sizes and reports
// the bytes of a cold query, the figure behind the defaults. On the
// Fedora-sized world (366,054 answers): 64 KiB buckets, 32 a page: a cold
// pkg query 11,390 B median, site 53.9 MB; 64 a page: 12,075 B; 32 KiB
// buckets: 9,610 B but a site 26% larger (68.0 MB) that compresses worse.
func BenchmarkColdQueryWorld(b *testing.B) {
	dir := os.Getenv("DISTMETA_BENCH_SITE")
	if dir == "" {
		b.Skip("DISTMETA_BENCH_SITE names a published site (scripts/bench-site.sh)")
	}
	m := loadSite(b, dir)
	k := newTestKey(b, "bench.example")
	for _, bs := range []int{64 << 10, 32 << 10} {
		for _, ps := range []int{32, 64} {
			b.Run(fmt.Sprintf("bucket=%dKiB/page=%d", bs>>10, ps), func(b *testing.B) {
				for b.Loop() {
					out := b.TempDir()
					res, err := Publish(context.Background(), out, m, k.signer, PublishOptions{Now: t0, BucketSize: bs, PageSize: ps})
					if err != nil {
						b.Fatal(err)
					}
					size, files := siteBytes(b, out)
					b.ReportMetric(float64(size), "B_site")
					b.ReportMetric(float64(files), "files")
					for _, kind := range []string{"pkg", "cap", "src"} {
						cold := coldQueryBytes(b, out, res.Index, kind, sampleKeys(m.Answers[kind], 200))
						b.ReportMetric(float64(cold[len(cold)/2]), "B_cold_"+kind+"_median")
						b.ReportMetric(float64(cold[len(cold)*9/10]), "B_cold_"+kind+"_p90")
					}
				}
			})
		}
	}
}
