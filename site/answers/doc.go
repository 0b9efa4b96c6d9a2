// Package answers owns the answer documents that distmeta publishes and
// dmq reads: one Go type per kind of answer, the key scheme that names
// them inside a kind, and the schema version every document carries.
// It is shared by the generator (which renders the documents) and the
// client (which decodes them), and imports only the standard library.
//
// Every document is a JSON object whose "schema" field names its kind and
// version ("distmeta.pkg/1"); docs/schemas/ documents each one. Readers
// reject a schema they do not know (see CheckSchema).
//
// A few questions are answered by walking several documents instead of
// reading one: the install closure of a package and "why A needs B" follow
// the solver's chosen provider of every requirement through pkg answers
// (Closure and Why implement that walk, for the client and for the
// generator's tests), and a branch's position at a time is read from its
// history answer (History.At).
package answers
