// Package pages renders distmeta's HTML site, the build pipeline overview,
// from answer documents: a pure function from the answers (kind -> key ->
// JSON document, as generator/answer renders them) to files (path under
// www/ -> bytes). Writing the files is the publisher's job.
//
// Pages: index.html (the distribution at a glance), one page per source
// component (src/), binary package (pkg/), module stream (mod/), compose
// (compose/) and variant (variant/), lists of every component, package and
// module (list/), the pages of long lists that a page caps (more/), a
// search index (search-index.js) and the static assets (assets/). Names
// become file names through PathName; links are relative, so the site
// works from file:// and under any path of a web server.
package pages
