// Package compsgen is distmeta's comps-as-a-service step: it generates each
// variant's comps.xml from the variants file (module streams, package sets,
// plain groups of a comps file, environments and categories) and checks
// every package the groups name against the variant's newest complete
// compose.
//
// Generate and Check are pure functions of parsed inputs (a
// variants.Variant, a comps.Comps, a modulemd.Index, the packages of the
// variant's repositories); Answer turns their results into the JSON answer
// that is published and that `dmq comps VARIANT` prints. Run does the I/O
// around them: it reads the variants file, the comps file and the composes,
// and writes comps/<variant>.xml, .xml.gz and .json.
package compsgen
