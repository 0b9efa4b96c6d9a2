// Package rpmver implements rpm's version semantics: rpmvercmp (with the
// tilde and caret separators), epoch:version-release values, and the
// versioned ranges that dependencies express (name OP evr), matched the way
// rpm and libsolv match them.
package rpmver
