// Package markdown converts Markdown (descriptions, README-like text) to
// safe HTML. It is the only package of distmeta that imports goldmark:
// everything else goes through Converter.
//
// The output never carries raw HTML from the input (it is dropped) nor
// links with a dangerous scheme (javascript:, vbscript:, data: other than
// images), so a page may embed it as trusted HTML.
package markdown
