package client

import "errors"

// Errors callers branch on. Trust failures are those of package site
// (errors.Is(err, site.ErrUntrustedIndex)); integrity failures too
// (site.ErrIntegrity).
var (
	// ErrNoAnswer is returned when the site has no answer for a key.
	ErrNoAnswer = errors.New("no answer")
	// ErrOffline is returned when no mirror gave a usable index and the
	// cache cannot answer either (nothing cached, or not this object).
	ErrOffline = errors.New("offline")
	// ErrConfig is wrapped by errors in the configuration (no mirror, no
	// key, a bad URL or key).
	ErrConfig = errors.New("configuration")
	// ErrTooFar is returned when a walk (closure, why) reaches more
	// packages than its bound.
	ErrTooFar = errors.New("walk exceeds its bound")
)
