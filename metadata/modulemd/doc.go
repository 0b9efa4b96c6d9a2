// Package modulemd reads and writes libmodulemd's YAML formats: module
// stream documents (modulemd v1 and v2), packager documents
// (modulemd-packager v2 and v3), modulemd-defaults v1, modulemd-obsoletes v1
// and modulemd-translations v1, alone or mixed in a multi-document
// modules.yaml.
//
// Everything is upgraded to the stream v2 model on reading, the way
// libmodulemd does it: a v1 stream's dependency map becomes one v2
// dependencies entry with single-stream lists, and a packager v3 document
// becomes one stream v2 per build configuration (plus a defaults document
// for profiles marked default). Streams, versions, contexts and refs stay
// strings: "1.10" is never "1.1". The writer always emits stream v2, with
// sorted keys and libmodulemd's field order, so that writing and reading
// again gives equal values.
package modulemd
