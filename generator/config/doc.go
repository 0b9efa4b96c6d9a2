// Package config owns the configuration of `distmeta build`: the
// distmeta.yaml file (read strictly: an unknown key is an error naming its
// line), the command-line overrides of each setting, and the commented
// example that `distmeta init` writes.
package config
