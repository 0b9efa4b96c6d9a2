// Package variants reads distmeta's variants file: the YAML that defines each
// variant of a distribution in terms of module streams
// (name:stream[/profile]), package sets (named package lists, the workloads
// of distributions without modules), plain groups taken from a comps file,
// and optional environments and categories. docs/variants.md specifies the
// format.
//
// Reading is strict: unknown keys, duplicate keys, duplicate ids, malformed
// module entries and wrong value kinds are errors that name the file, the
// line and the problem. The package only parses and validates the file on
// its own; whether groups and module streams exist is decided by the
// generator (generator/compsgen), which has the comps file and the
// composes.
package variants
