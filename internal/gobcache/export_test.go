package gobcache

// StoredKey is storedKey for the external tests.
var StoredKey = storedKey
