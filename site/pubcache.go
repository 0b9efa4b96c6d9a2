package site

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The publisher cache, .publish-cache/<kind> in the site folder, remembers
// for each bucket of the kind's last publish the SHA-256 of its
// uncompressed content (and, when the model gave answer digests, the
// digest of its keys and their answers' digests) and the entry it was
// stored as, together with the dictionary it was compressed with. An incremental publish reuses the
// entry of a bucket whose content and dictionary are unchanged instead of
// compressing it again. The cache is only a hint: it is ignored when it is
// missing, unreadable, fails its own checksum or names another dictionary,
// and an entry is reused only when its object file exists with the
// recorded size. Clients never read it.

// pubCacheDir is the folder of the publisher cache inside the site folder.
const pubCacheDir = ".publish-cache"

// pubCacheMagic heads a cache file. It names the encoder settings of
// newEncoder: change it when they change, so old caches are ignored.
const pubCacheMagic = "distmeta publish-cache 1 zstd-best-w20-nocrc"

// pubCache maps the digest of a bucket's uncompressed content to the entry
// it is stored as.
type pubCache map[Digest]Entry

func pubCachePath(kind string) string { return pubCacheDir + "/" + kind }

// dictKey names a dictionary in the cache ("-" for none).
func dictKey(dict *Ref) string {
	if dict == nil {
		return "-"
	}
	return dict.Digest.String() + " " + strconv.FormatInt(dict.Size, 10)
}

// marshalPubCache renders the cache: the magic line, the dictionary line,
// one "raw digest size rawsize encoding" line per bucket sorted by raw
// digest, and a last line with the SHA-256 of everything before it.
func marshalPubCache(dict *Ref, c pubCache) []byte {
	raws := make([]Digest, 0, len(c))
	for r := range c {
		raws = append(raws, r)
	}
	slices.SortFunc(raws, func(a, b Digest) int { return bytes.Compare(a[:], b[:]) })
	var b bytes.Buffer
	b.WriteString(pubCacheMagic + "\n")
	b.WriteString("dict " + dictKey(dict) + "\n")
	for _, r := range raws {
		e := c[r]
		fmt.Fprintf(&b, "%x %x %d %d %s\n", r[:], e.Digest[:], e.Size, e.RawSize, e.Encoding)
	}
	b.WriteString("sum " + Sum(b.Bytes()).String() + "\n")
	return b.Bytes()
}

// parsePubCache parses a cache file written for dictionary dict; any
// defect, or another dictionary, gives nil.
func parsePubCache(data []byte, dict *Ref) pubCache {
	i := bytes.LastIndex(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if i < 0 || !bytes.HasSuffix(data, []byte("\n")) {
		return nil
	}
	body, last := data[:i+1], string(data[i+1:len(data)-1])
	if last != "sum "+Sum(body).String() {
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() || sc.Text() != pubCacheMagic {
		return nil
	}
	if !sc.Scan() || sc.Text() != "dict "+dictKey(dict) {
		return nil
	}
	c := pubCache{}
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 5 {
			return nil
		}
		raw, ok1 := digestFromHex(f[0])
		d, ok2 := digestFromHex(f[1])
		size, err1 := strconv.ParseInt(f[2], 10, 64)
		rawSize, err2 := strconv.ParseInt(f[3], 10, 64)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || size < 0 || rawSize < 0 {
			return nil
		}
		e := Entry{Digest: d, Size: size, RawSize: rawSize, Encoding: f[4]}
		switch e.Encoding {
		case EncodingRaw:
			// (The key is the content's digest, or the bucket's members
			// digest; the entry's object digest equals the former only.)
			if size != rawSize {
				return nil
			}
		case EncodingZstd:
			if size >= rawSize {
				return nil // encode stores raw unless zstd is smaller
			}
		default:
			return nil
		}
		c[raw] = e
	}
	if sc.Err() != nil {
		return nil
	}
	return c
}

// readPubCache reads kind's cache in dir for dictionary dict; nil when
// there is no usable one.
func readPubCache(dir, kind string, dict *Ref) pubCache {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(pubCachePath(kind))))
	if err != nil {
		return nil
	}
	return parsePubCache(b, dict)
}

// lookup returns the entry cached under key (a bucket's content digest,
// with its length rawSize; or its members digest, with rawSize -1), when
// its object file in dir exists with the recorded size.
func (c pubCache) lookup(dir string, key Digest, rawSize int64) (Entry, bool) {
	e, ok := c[key]
	if !ok || (rawSize >= 0 && e.RawSize != rawSize) {
		return Entry{}, false
	}
	st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(e.Digest.ObjectPath())))
	if err != nil || !st.Mode().IsRegular() || st.Size() != e.Size {
		return Entry{}, false
	}
	return e, true
}
