package main

import (
	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newStatusCmd) }

func newStatusCmd() *cobra.Command {
	var branch string
	cmd := &cobra.Command{
		Use:   "status NAME [--branch BRANCH]",
		Short: "Say where a component, module stream (NAME:STREAM) or image stands: built, composed, on the mirrors",
		Long: `status says where a component, a module stream (NAME:STREAM) or an image
stands in the build pipeline: the commit at the head, the newest build, the
composes holding it and the mirrors carrying those.

A component's main branch is the branch of its newest build that a compose
holds (the release the composes are made of); its other branches with
builds follow, a line each. --branch shows one branch in full.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.StatusResult, client.Meta, error) {
				r, err := c.Status(cmd.Context(), args[0])
				if err != nil {
					return nil, client.Meta{}, err
				}
				if branch != "" {
					if err := r.OnBranch(branch); err != nil {
						return nil, client.Meta{}, err
					}
				}
				return r, r.Index, nil
			})
		},
	}
	cmd.Flags().StringVarP(&branch, "branch", "b", "", "only this branch of a component (default: the main one, then the others in a line each)")
	return cmd
}
