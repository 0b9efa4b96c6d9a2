// Package comps reads and writes comps files: the XML that defines package
// groups, categories, environments and langpacks for dnf and anaconda, in
// both the plain form (comps.xml, with xml:lang translations) and the
// intltool source form used by fedora-comps (comps-*.xml.in, where the
// translatable fields are spelled _name and _description).
//
// Reading is lenient where libcomps is lenient (unknown elements are
// skipped) and strict about values (booleans, packagereq types,
// display_order); errors name the file, the line and the element.
//
// Writing is deterministic. The canonical order is the one pungi's comps
// writer (libcomps based) produces, arranged in the element order that
// fedora-comps' comps.rng requires:
//
//   - groups, then environments, then categories (comps.rng order; libcomps
//     itself writes categories before environments, which comps.rng
//     rejects), then langpacks, blacklist and whiteout;
//   - groups, environments and categories sorted by id (byte order);
//   - packagereqs sorted by type (mandatory, default, optional, conditional,
//     as pungi does; a packagereq without a type sorts as optional, the
//     schema default) and then by name in byte order, so "Carla" sorts
//     before "ardour8" as in pungi-generated composes;
//   - groupids of grouplists and optionlists sorted by name, langpacks by
//     package name, translations by language tag.
//
// WriteOptions.KeepOrder keeps the input order instead.
package comps
