package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newStatusCmd) }

func newStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status NAME",
		Short: "Say where a component, module stream (NAME:STREAM) or image stands: built, composed, on the mirrors",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.StatusResult, client.Meta, error) {
				r, err := c.Status(cmd.Context(), args[0])
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
}
