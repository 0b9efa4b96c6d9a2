// Package templates holds the default templates of distmeta's HTML site
// (the build pipeline overview) and its static assets (style sheet,
// search script), embedded in the binary. It uses the standard library
// only; generator/pages fills the templates.
package templates
