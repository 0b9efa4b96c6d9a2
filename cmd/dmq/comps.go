package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newCompsCmd) }

func newCompsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "comps VARIANT",
		Short: "Print a variant's generated comps.xml, or its definition when none is published",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.CompsResult, client.Meta, error) {
				r, err := c.Comps(cmd.Context(), args[0])
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
}
