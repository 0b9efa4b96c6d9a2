package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newSyncCmd) }

func newSyncCmd() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Fetch and verify the newest index, move the trusted state forward and prefetch the manifests",
		Long: `sync asks the mirrors (in order) for their index, accepts the first that
verifies against the trusted state (no rollback, no fork, not expired, not
from the future), and prefetches the root and kind manifests and dictionaries
so that a later cold query downloads one object. With --all it also fetches
every object, for offline use. Unlike queries, sync fails when no mirror gives
an acceptable index.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return run(cmd, func(c *client.Client) (*client.SyncResult, client.Meta, error) {
				r, err := c.Sync(cmd.Context(), all)
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "fetch every object too (for offline use)")
	return cmd
}
