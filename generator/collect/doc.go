// Package collect turns the inputs of a build into typed records: the
// composes root (complete composes only, skipped ones noted with the
// reason, broken ones an error naming the file), each variant's repodata,
// the builds feed and test results (JSON Lines, a malformed line is an
// error naming file:line) and the mirrors' published indexes (an
// unreachable mirror is "unknown", never an error).
package collect
