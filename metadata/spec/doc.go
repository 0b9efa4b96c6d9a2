// Package spec reads an rpm spec file the way a dist-git branch head holds
// it and returns what distmeta needs from it: name, epoch, version and
// release, the subpackages, BuildRequires (and each package's Requires,
// Provides, Conflicts and Obsoletes), Source and Patch lines and the first
// %changelog entry.
//
// It carries its own rpm macro expander: %define and %global (parametric
// macros included, with getopt-style options), %{?x}, %{!?x:...},
// %{expand:...}, %[expr], %{defined x}, %{with x}, bconds, tag macros
// (%{name}, %{version}, ...), %{SOURCEn}, and the conditionals %if, %elif,
// %else, %endif, %ifarch, %ifnarch, %ifos and %ifnos evaluated for a
// target arch. It never runs anything: %(shell) and %{lua:...} are left in
// place verbatim and listed in Spec.Unexpanded with the line and the field
// they affect, as are undefined macros and conditions it cannot evaluate.
// A value holding such a construct is marked (Spec.Complete, Dep.Incomplete);
// it is never guessed.
//
// Distro macros come from a built-in table (DefaultMacros: Fedora's paths
// for the target arch, bcond, %autorelease and %autochangelog as rpmautospec
// falls back without git history) plus what the caller sets in Options
// (%fedora, %rhel, %dist, extra definitions).
package spec
