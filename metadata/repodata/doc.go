// Package repodata reads and writes rpm-md repository metadata: repomd.xml,
// primary.xml, filelists.xml, other.xml and the extra files a repomd lists
// (modules.yaml, comps). Reading streams one package at a time, through
// a strict XML scanner of its own for primary, filelists and other.xml
// (it accepts exactly what encoding/xml does, several times faster) and
// encoding/xml for repomd.xml, and verifies every file against
// repomd.xml (size, checksum and open-checksum) with a cap on
// decompressed size. Writing produces deterministic, checksum-named
// files that dnf and createrepo_c accept.
package repodata
