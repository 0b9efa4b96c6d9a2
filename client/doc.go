// Package client is dmq's library: it asks the mirrors of a distmeta site
// questions, fetching only the objects a question needs, verifying every
// byte, and answers offline from its cache afterwards.
//
// It owns four concepts, each in its own file:
//
//   - trust (trust.go, truststore.go): the last verified index, kept apart
//     from the cache, moved forward only by Advance (signature, rollback,
//     freeze, future date, fork of the index history) and saved atomically;
//   - mirrors (mirror.go): every byte comes through one small interface,
//     site.Fetcher (HTTP, HTTPS, file://, or an in-memory mirror in tests),
//     with a maximum length on every download and a timeout;
//   - the cache (cache.go, fetch.go): content-addressed copies of manifests
//     and objects, written only after they verified (digest, size and, for
//     objects, decoding within the declared size);
//   - queries (query.go, walk.go, text.go): one method of Client per dmq
//     command, each answering from one index's manifests, with a result
//     type printable as text (for people) or JSON (for tools).
//
// The package imports site and site/answers and no go-git or goldmark
// (cmd/dmq's depcheck test holds it to that).
package client
