// Package site owns distmeta's on-mirror store format, shared by the
// writer (the generator calls Publish) and the reader (dmq calls
// VerifyIndex, ParseRootManifest, ParseKindManifest, DecodeObject and
// LookupAnswer, or ReadAnswer through a Fetcher).
//
// A site is a folder of static files:
//
//	index            signed note: origin, serial, created, expires, root, prev
//	index.d/<serial> earlier indexes
//	m/<hex>          JSON manifests, named by the SHA-256 of their bytes
//	o/<aa>/<hex>     objects (zstd with a per-kind dictionary, or raw)
//	<path>           plain files at well-known paths, listed in the root manifest
//
// Every addressed read is checked against its digest and size through a
// capped reader; decompression is capped by the size a manifest declares.
// The format is described in docs/site-format.md.
package site
