// Package rebuild orders the rebuild of changed source components: the
// build-time reverse closure in tiers, where each tier only build-requires
// earlier ones, with dependency cycles (strongly connected components)
// collapsed into one tier and reported, under the strategies MBS offers.
// It needs only the build graph (component -> what it build-requires), so
// the generator and the dmq client share it.
package rebuild
