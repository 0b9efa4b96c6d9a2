package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newClosureCmd) }

func newClosureCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "closure PKG",
		Short: "List what installing a package pulls in (the solver's chosen provider of every requirement)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.ClosureResult, client.Meta, error) {
				r, err := c.Closure(cmd.Context(), args[0])
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
}
