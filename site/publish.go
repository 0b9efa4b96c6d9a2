package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/distmeta/distmeta/internal/atomicfile"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/sync/errgroup"
)

// Model is what the generator publishes.
type Model struct {
	// Answers maps kind -> key -> answer document (JSON).
	Answers map[string]map[string][]byte
	// Files maps a well-known path (e.g. "comps/Everything.xml.gz") to
	// its content.
	Files map[string][]byte
	// Digest, when set, returns the SHA-256 of Answers[kind][key] exactly
	// as given. Publish then knows an unchanged bucket by the digests of
	// its answers, without compacting, joining and hashing them again
	// (a caller that has the digests already, like the generator's answer
	// cache, saves most of an incremental publish).
	Digest func(kind, key string) [32]byte
}

// Stage names a step of Publish, in order.
type Stage int

// The stages of Publish.
const (
	StageObjects   Stage = iota + 1 // dictionaries, buckets and file contents under o/
	StageManifests                  // page, kind and root manifests under m/
	StageHistory                    // index.d/<serial>
	StageIndex                      // index, by atomic rename: the new site is live
	StageFiles                      // copies at the well-known paths
)

func (s Stage) String() string {
	switch s {
	case StageObjects:
		return "objects"
	case StageManifests:
		return "manifests"
	case StageHistory:
		return "history"
	case StageIndex:
		return "index"
	case StageFiles:
		return "files"
	}
	return "stage(" + strconv.Itoa(int(s)) + ")"
}

// Defaults of PublishOptions.
const (
	DefaultBucketSize = 64 << 10
	DefaultPageSize   = 32
	DefaultValidity   = 7 * 24 * time.Hour
)

// PublishOptions tune Publish.
type PublishOptions struct {
	// Now is the creation time written into the index. Required: the
	// caller injects it (the CLI honours SOURCE_DATE_EPOCH).
	Now time.Time
	// Origin names the site; default the signer's key name.
	Origin string
	// Validity is how long the index stays valid; default 7 days.
	Validity time.Duration
	// BucketSize is the target decoded size of one bucket; default 64 KiB.
	BucketSize int
	// PageSize is the number of buckets per page manifest when a kind has
	// more buckets than that; default 32.
	PageSize int
	// Retrain trains new dictionaries even when the site has some (a
	// new dictionary rewrites every object of its kind).
	Retrain bool
	// Concurrency bounds the compression workers; default GOMAXPROCS.
	Concurrency int
	// AfterStage, when set, is called after each stage; an error stops
	// the publish there (tests inject failures with it).
	AfterStage func(Stage) error
}

// PublishResult says what Publish did.
type PublishResult struct {
	Index          *Index
	ObjectsWritten int // objects and manifests written
	ObjectsKept    int // already present, left untouched
	BucketsReused  int // of ObjectsKept, buckets not compressed again (publisher cache)
	BytesWritten   int64
}

type kindPlan struct {
	kind    string
	buckets int
	group   string
	dict    []byte
	dictRef *Ref
	entries []Entry
	keys    int
	cache   pubCache // raw content digest -> entry, for .publish-cache
}

type publisher struct {
	dir    string
	opts   PublishOptions
	mu     sync.Mutex
	result PublishResult
}

func (p *publisher) put(rel string, b []byte) error {
	wrote, err := putAddressed(p.dir, rel, b)
	if err != nil {
		return err
	}
	p.mu.Lock()
	if wrote {
		p.result.ObjectsWritten++
		p.result.BytesWritten += int64(len(b))
	} else {
		p.result.ObjectsKept++
	}
	p.mu.Unlock()
	return nil
}

func (p *publisher) putObject(stored []byte) (Digest, error) {
	d := Sum(stored)
	return d, p.put(d.ObjectPath(), stored)
}

func (p *publisher) putManifest(v any) (Ref, error) {
	b := marshalManifest(v)
	d := Sum(b)
	return Ref{d, int64(len(b))}, p.put(d.ManifestPath(), b)
}

func (p *publisher) stage(s Stage) error {
	if p.opts.AfterStage == nil {
		return nil
	}
	if err := p.opts.AfterStage(s); err != nil {
		return fmt.Errorf("publish %s: after stage %s: %w", p.dir, s, err)
	}
	return nil
}

// Publish writes model into dir as a new signed site: objects, then
// manifests, then index.d/<serial>, then index by atomic rename, then the
// copies at well-known paths. Objects already present are not rewritten.
// The same model, previous site and options give byte-identical files.
// A lock file keeps a second publisher (or gc) out: it gets ErrLocked.
func Publish(ctx context.Context, dir string, model Model, signer note.Signer, opts PublishOptions) (*PublishResult, error) {
	if opts.Now.IsZero() {
		return nil, errors.New("publish: PublishOptions.Now is required")
	}
	if opts.Origin == "" {
		opts.Origin = signer.Name()
	}
	if opts.Validity <= 0 {
		opts.Validity = DefaultValidity
	}
	if opts.BucketSize <= 0 {
		opts.BucketSize = DefaultBucketSize
	}
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.GOMAXPROCS(0)
	}
	unlock, err := lock(dir)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	defer unlock()
	p := &publisher{dir: dir, opts: opts}

	prevIdx, prevMsg, prevRoot, err := readPrevious(dir)
	if err != nil {
		return nil, fmt.Errorf("publish %s: previous site: %w", dir, err)
	}

	// Stage 1: objects.
	kinds := make([]string, 0, len(model.Answers))
	for k := range model.Answers {
		if !ValidKind(k) {
			return nil, fmt.Errorf("publish: invalid kind name %q", k)
		}
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	root := RootManifest{Format: FormatRoot, Kinds: map[string]KindRef{}}
	plans := make([]*kindPlan, 0, len(kinds))
	for _, k := range kinds {
		var digest func(string) [32]byte
		if model.Digest != nil {
			digest = func(key string) [32]byte { return model.Digest(k, key) }
		}
		kp, err := p.writeKind(ctx, k, model.Answers[k], digest, prevRoot)
		if err != nil {
			return nil, err
		}
		plans = append(plans, kp)
	}
	if len(model.Files) > 0 {
		root.Files = map[string]Entry{}
	}
	for path, b := range model.Files {
		if !ValidFilePath(path) {
			return nil, fmt.Errorf("publish: invalid file path %q", path)
		}
		d, err := p.putObject(b)
		if err != nil {
			return nil, fmt.Errorf("publish: file %s: %w", path, err)
		}
		n := int64(len(b))
		root.Files[path] = Entry{Digest: d, Size: n, RawSize: n, Encoding: EncodingRaw}
	}
	if err := atomicfile.SyncDir(filepath.Join(dir, "o")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	// The caches name only objects that are now written and synced. A
	// cache that cannot be written costs the next publish time only.
	for _, kp := range plans {
		_ = writeAtomic(dir, pubCachePath(kp.kind), marshalPubCache(kp.dictRef, kp.cache))
	}
	if err := p.stage(StageObjects); err != nil {
		return nil, err
	}

	// Stage 2: manifests.
	for _, kp := range plans {
		km := KindManifest{Format: FormatKind, Kind: kp.kind, Buckets: kp.buckets, Keys: kp.keys, Group: kp.group}
		if kp.buckets <= opts.PageSize {
			km.Objects = kp.entries
		} else {
			km.PageSize = opts.PageSize
			for first := 0; first < kp.buckets; first += opts.PageSize {
				end := min(first+opts.PageSize, kp.buckets)
				r, err := p.putManifest(PageManifest{Format: FormatPage, Kind: kp.kind, First: first, Objects: kp.entries[first:end]})
				if err != nil {
					return nil, fmt.Errorf("publish: kind %s: page manifest: %w", kp.kind, err)
				}
				km.Pages = append(km.Pages, r)
			}
		}
		r, err := p.putManifest(km)
		if err != nil {
			return nil, fmt.Errorf("publish: kind %s: manifest: %w", kp.kind, err)
		}
		root.Kinds[kp.kind] = KindRef{Manifest: r, Dict: kp.dictRef}
	}
	rootRef, err := p.putManifest(root)
	if err != nil {
		return nil, fmt.Errorf("publish: root manifest: %w", err)
	}
	if err := p.stage(StageManifests); err != nil {
		return nil, err
	}

	// Stage 3: index.d/<serial>; stage 4: index.
	ix := &Index{Origin: opts.Origin, Serial: 1, Created: opts.Now.UTC().Truncate(time.Second), Root: rootRef}
	ix.Expires = ix.Created.Add(opts.Validity)
	if prevIdx != nil {
		ix.Serial = prevIdx.Serial + 1
		ix.Prev = Sum(prevMsg)
	}
	msg, err := signIndex(ix, signer)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	added, err := addedPaths(dir, rootRef, prevIdx)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := writeAtomic(dir, AddedListPath(ix.Serial), added); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := writeAtomic(dir, "index.d/"+strconv.FormatUint(ix.Serial, 10), msg); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := p.stage(StageHistory); err != nil {
		return nil, err
	}
	if err := writeAtomic(dir, "index", msg); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	p.result.Index = ix
	if err := p.stage(StageIndex); err != nil {
		return &p.result, err
	}

	// Stage 5: copies at well-known paths.
	paths := make([]string, 0, len(model.Files))
	for path := range model.Files {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		if sameFile(dir, path, model.Files[path]) {
			continue
		}
		if err := writeAtomic(dir, path, model.Files[path]); err != nil {
			return &p.result, fmt.Errorf("publish: %w", err)
		}
	}
	if err := p.stage(StageFiles); err != nil {
		return &p.result, err
	}
	return &p.result, nil
}

// AddedListPath is where Publish lists the files that serial's index
// references and the previous index does not (index.d/<serial>.new), so
// that a mirror at serial n copies only the lists n+1..serial and the
// files they name instead of walking all of o/ and m/
// (scripts/mirror-sync.sh).
func AddedListPath(serial uint64) string {
	return "index.d/" + strconv.FormatUint(serial, 10) + ".new"
}

// addedPaths lists, one slash path a line and sorted, the manifests and
// objects that the root manifest root references and the previous index
// prev does not. When the previous site cannot be read back, it lists
// everything root references: a longer list is always safe.
func addedPaths(dir string, root Ref, prev *Index) ([]byte, error) {
	cur := &siteRefs{manifests: map[Digest]bool{}, objects: map[Digest]bool{}}
	if err := collectRefs(dir, &Index{Root: root}, cur); err != nil {
		return nil, fmt.Errorf("list of new files: %w", err)
	}
	old := &siteRefs{manifests: map[Digest]bool{}, objects: map[Digest]bool{}}
	if prev != nil {
		if err := collectRefs(dir, prev, old); err != nil {
			old = &siteRefs{manifests: map[Digest]bool{}, objects: map[Digest]bool{}}
		}
	}
	var paths []string
	for d := range cur.manifests {
		if !old.manifests[d] {
			paths = append(paths, d.ManifestPath())
		}
	}
	for d := range cur.objects {
		if !old.objects[d] {
			paths = append(paths, d.ObjectPath())
		}
	}
	sort.Strings(paths)
	var b bytes.Buffer
	for _, p := range paths {
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// readPrevious reads the site's current index and root manifest, if any.
// The publisher trusts its own folder, so the signature is not checked,
// but the root manifest is checked against the index.
func readPrevious(dir string) (*Index, []byte, *RootManifest, error) {
	msg, err := readFile(dir, "index", MaxIndexSize, nil)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	ix, err := ParseIndexUnverified(msg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("index: %w", err)
	}
	b, err := readFile(dir, ix.Root.Digest.ManifestPath(), MaxManifestSize, &ix.Root)
	if err != nil {
		// A damaged previous root only costs dictionary reuse.
		return ix, msg, nil, nil
	}
	root, err := ParseRootManifest(b)
	if err != nil {
		return ix, msg, nil, nil
	}
	return ix, msg, root, nil
}

// previousKind returns the bucket count, key grouping and dictionary the
// previous site used for kind, when they can be read back.
func previousKind(dir string, prev *RootManifest, kind string) (km *KindManifest, dict []byte, dictRef *Ref) {
	if prev == nil {
		return nil, nil, nil
	}
	kr, ok := prev.Kinds[kind]
	if !ok {
		return nil, nil, nil
	}
	b, err := readFile(dir, kr.Manifest.Digest.ManifestPath(), MaxManifestSize, &kr.Manifest)
	if err != nil {
		return nil, nil, nil
	}
	km, err = ParseKindManifest(b)
	if err != nil {
		return nil, nil, nil
	}
	if kr.Dict != nil {
		d, err := readFile(dir, kr.Dict.Digest.ObjectPath(), MaxObjectSize, kr.Dict)
		if err != nil {
			return km, nil, nil
		}
		return km, d, kr.Dict
	}
	return km, nil, nil
}

// chooseGroup picks a kind's key grouping: GroupDir when most keys share
// their directory part with another key (the branches of one repository:
// "rpms/bash/f40", "rpms/bash/rawhide") and no directory holds more than
// a quarter of a bucket, so that related answers, which repeat each
// other, are compressed together; GroupNone otherwise ("/usr/bin/..."
// would make one huge group).
func chooseGroup(keys []string, answers map[string][]byte, bucketSize int) string {
	size := map[string]int{}
	count := map[string]int{}
	for _, k := range keys {
		g := GroupKey(k, GroupDir)
		size[g] += len(k) + len(answers[k]) + 4
		count[g]++
	}
	grouped := 0
	for _, k := range keys {
		g := GroupKey(k, GroupDir)
		if count[g] > 1 {
			grouped++
		}
		if size[g] > bucketSize/4 {
			return GroupNone
		}
	}
	if 2*grouped < len(keys) {
		return GroupNone
	}
	return GroupDir
}

// writeKind groups one kind's answers into buckets, compresses and
// writes them.
func (p *publisher) writeKind(ctx context.Context, kind string, answers map[string][]byte, digest func(key string) [32]byte, prev *RootManifest) (*kindPlan, error) {
	keys := make([]string, 0, len(answers))
	total := 0
	for k, a := range answers {
		keys = append(keys, k)
		total += len(k) + len(a) + 4
	}
	sort.Strings(keys)
	kp := &kindPlan{kind: kind, keys: len(keys)}

	want := max(1, (total+p.opts.BucketSize-1)/p.opts.BucketSize)
	prevKM, prevDict, prevDictRef := previousKind(p.dir, prev, kind)
	// Keep the previous bucket count and grouping while the average bucket
	// stays within a factor of two of the target, so one change rewrites
	// one bucket instead of all of them.
	kp.buckets = want
	kp.group = chooseGroup(keys, answers, p.opts.BucketSize)
	if prevKM != nil && total <= 2*prevKM.Buckets*p.opts.BucketSize && 2*total >= prevKM.Buckets*p.opts.BucketSize {
		kp.buckets, kp.group = prevKM.Buckets, prevKM.Group
	}
	if kp.buckets > maxBuckets {
		return nil, fmt.Errorf("publish: kind %s: %d buckets exceed %d", kind, kp.buckets, maxBuckets)
	}

	// Bucket contents: a JSON object of key -> answer, keys sorted, and a
	// newline. They are built only for the buckets the cache does not
	// know, unless a dictionary is to be chosen (it samples them).
	members := make([][]string, kp.buckets)
	for _, k := range keys {
		b := BucketOf(GroupKey(k, kp.group), kp.buckets)
		members[b] = append(members[b], k)
	}
	contents := make([][]byte, kp.buckets)
	build := func(i int) error {
		if contents[i] != nil {
			return nil
		}
		c, err := bucketContent(members[i], answers)
		if err != nil {
			return fmt.Errorf("publish: kind %s: %w", kind, err)
		}
		contents[i] = c
		return nil
	}

	// Dictionary: reuse the site's unless asked to retrain. A kind that had
	// none keeps none while its bucketing stands (its objects stay put);
	// otherwise choose anew.
	switch {
	case prevDict != nil && !p.opts.Retrain:
		kp.dict, kp.dictRef = prevDict, prevDictRef
	case prevKM != nil && prevDict == nil && !p.opts.Retrain && kp.buckets == prevKM.Buckets:
	default:
		for i := range contents {
			if err := build(i); err != nil {
				return nil, err
			}
		}
		d, err := chooseDictionary(kind, sampleAnswers(keys, answers, 8<<20), contents)
		if err != nil {
			return nil, fmt.Errorf("publish: kind %s: dictionary: %w", kind, err)
		}
		if d != nil {
			dg, err := p.putObject(d)
			if err != nil {
				return nil, fmt.Errorf("publish: kind %s: dictionary: %w", kind, err)
			}
			kp.dict, kp.dictRef = d, &Ref{dg, int64(len(d))}
		}
	}

	enc, err := newEncoder(kp.dict)
	if err != nil {
		return nil, fmt.Errorf("publish: kind %s: encoder: %w", kind, err)
	}
	defer enc.Close()
	// A bucket whose answers (by their digests, when the model has them)
	// or content, and dictionary, are unchanged since the cached publish
	// keeps its stored entry without being built or compressed again.
	cache := readPubCache(p.dir, kind, kp.dictRef)
	keysOf := make([][]Digest, kp.buckets) // cache keys of each bucket
	kp.entries = make([]Entry, kp.buckets)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(p.opts.Concurrency)
	for i := range members {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			reuse := func(e Entry) {
				kp.entries[i] = e
				p.mu.Lock()
				p.result.ObjectsKept++
				p.result.BucketsReused++
				p.mu.Unlock()
			}
			if digest != nil {
				md := membersDigest(members[i], digest)
				keysOf[i] = append(keysOf[i], md)
				if e, ok := cache.lookup(p.dir, md, -1); ok {
					reuse(e)
					return nil
				}
			}
			if err := build(i); err != nil {
				return err
			}
			raw := Sum(contents[i])
			keysOf[i] = append(keysOf[i], raw)
			if e, ok := cache.lookup(p.dir, raw, int64(len(contents[i]))); ok {
				reuse(e)
				return nil
			}
			stored, e := encode(enc, contents[i])
			d, err := p.putObject(stored)
			if err != nil {
				return fmt.Errorf("publish: kind %s: bucket %d: %w", kind, i, err)
			}
			kp.entries[i] = Entry{Digest: d, Size: int64(len(stored)), RawSize: int64(len(contents[i])), Encoding: e}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	kp.cache = make(pubCache, 2*kp.buckets)
	for i, ks := range keysOf {
		for _, k := range ks {
			kp.cache[k] = kp.entries[i]
		}
	}
	return kp, nil
}

// bucketContent joins the answers of keys (sorted) into a bucket's
// content: a JSON object of key -> compacted answer, and a newline.
func bucketContent(keys []string, answers map[string][]byte) ([]byte, error) {
	n := 3
	for _, k := range keys {
		n += len(k) + len(answers[k]) + 4
	}
	buf := bytes.NewBuffer(make([]byte, 0, n))
	buf.WriteByte('{')
	for j, k := range keys {
		if j > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		if err := json.Compact(buf, answers[k]); err != nil {
			return nil, fmt.Errorf("key %q: answer is not JSON: %w", k, err)
		}
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

// membersDigest names a bucket by its keys and the digests of their
// answers (as given, before compaction). It is a cache key of its own
// kind: the domain string keeps it apart from content digests.
func membersDigest(keys []string, digest func(string) [32]byte) Digest {
	h := sha256.New()
	h.Write([]byte("distmeta bucket members 1\n"))
	var n [binary.MaxVarintLen64]byte
	for _, k := range keys {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(k)))])
		h.Write([]byte(k))
		d := digest(k)
		h.Write(d[:])
	}
	var d Digest
	h.Sum(d[:0])
	return d
}

// sampleAnswers picks answers spread evenly over the sorted keys, up to
// limit bytes in all.
func sampleAnswers(keys []string, answers map[string][]byte, limit int) [][]byte {
	total := 0
	for _, k := range keys {
		total += len(answers[k])
	}
	stride := max(1, (total+limit-1)/limit)
	var out [][]byte
	for i := 0; i < len(keys); i += stride {
		out = append(out, answers[keys[i]])
	}
	return out
}
