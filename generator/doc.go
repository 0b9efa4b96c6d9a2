// Package generator is distmeta's batch run: Build walks the inputs named
// by a configuration through collect (generator/collect), model and
// resolve (generator/resolve), render (generator/answer) and publish
// (site), incrementally through the state folder. A run that fails
// publishes nothing.
package generator
