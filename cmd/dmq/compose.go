package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newComposeCmd) }

func newComposeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "compose [ID]",
		Short: "Show a compose (default the newest complete one): variants, counts, images",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			return run(cmd, func(c *client.Client) (*client.ComposeResult, client.Meta, error) {
				r, err := c.Compose(cmd.Context(), id)
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
}
