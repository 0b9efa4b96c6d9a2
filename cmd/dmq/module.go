package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newModuleCmd) }

func newModuleCmd() *cobra.Command {
	var buildroot bool
	cmd := &cobra.Command{
		Use:   "module NAME:STREAM",
		Short: "Show a module stream's builds and components, or with --buildroot the packages its buildroot resolves to",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.ModuleResult, client.Meta, error) {
				r, err := c.Module(cmd.Context(), args[0], buildroot)
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
	cmd.Flags().BoolVar(&buildroot, "buildroot", false, "show each build's resolved buildroot")
	return cmd
}
