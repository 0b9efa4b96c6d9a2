// Package answer renders the answer documents of site/answers from the
// model of one build (composes, their resolution, dist-git, feeds,
// variants, mirrors), and keeps per-answer input digests in the state
// folder so that an answer whose inputs did not change is not rendered
// again.
package answer
