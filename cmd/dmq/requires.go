package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newRequiresCmd) }

func newRequiresCmd() *cobra.Command {
	var resolve bool
	cmd := &cobra.Command{
		Use:   "requires PKG",
		Short: "List a package's requirements; with --resolve, the provider a solver picks for each",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.RequiresResult, client.Meta, error) {
				r, err := c.Requires(cmd.Context(), args[0], resolve)
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
	cmd.Flags().BoolVar(&resolve, "resolve", false, "show the providers and the chosen one")
	return cmd
}
