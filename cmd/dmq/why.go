package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newWhyCmd) }

func newWhyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "why A B",
		Short: "Show the shortest chain of requirements through which installing A pulls in B",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.WhyResult, client.Meta, error) {
				r, err := c.Why(cmd.Context(), args[0], args[1])
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
}
