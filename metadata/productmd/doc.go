// Package productmd reads and writes the compose metadata that pungi
// produces, as specified by productmd: composeinfo.json (layouts 0.x/1.x,
// where pre-1.0 files name the release "product"), rpms.json,
// modules.json, images.json, .treeinfo (INI, 1.0-1.2 and the older
// pre-productmd form), .discinfo, and a compose folder's STATUS and
// COMPOSE_ID files.
//
// OpenCompose applies distmeta's completeness rule: a compose counts once
// STATUS says FINISHED or FINISHED_INCOMPLETE; STARTED, DOOMED, any other
// status or a missing STATUS gives a *NotCompleteError carrying the reason,
// and a complete compose whose metadata is missing, truncated or
// inconsistent is an error naming the file. ScanComposes classifies every
// compose of a composes root that way.
//
// Writers produce what productmd recommends: JSON with keys sorted and
// four-space indentation, INI with sections and keys sorted.
// Versions and streams are kept as strings.
package productmd
