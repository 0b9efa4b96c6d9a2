package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newWhatRequiresCmd) }

func newWhatRequiresCmd() *cobra.Command {
	var build bool
	cmd := &cobra.Command{
		Use:   "whatrequires CAP|PKG",
		Short: "List what requires a package or capability at run time, or with --build at build time",
		Long: `whatrequires lists the installable packages that require a binary package
(any of its provides) or, when the name is not a package, a capability.
With --build it lists the source components whose build requirements resolve
to a binary of the component NAME, or, when NAME is not a component, the
source packages whose BuildRequires name the capability.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.RequirersResult, client.Meta, error) {
				r, err := c.WhatRequires(cmd.Context(), args[0], build)
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
	cmd.Flags().BoolVar(&build, "build", false, "build-time requirers (source components) instead of run time")
	return cmd
}
