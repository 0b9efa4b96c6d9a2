package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newMirrorsCmd) }

func newMirrorsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "mirrors",
		Short: "Show which index each configured mirror serves, and what the site published about its mirrors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return run(cmd, func(c *client.Client) (*client.MirrorsResult, client.Meta, error) {
				r, err := c.Mirrors(cmd.Context())
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
}
