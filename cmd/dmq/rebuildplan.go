package main

import (
	"strings"

	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newRebuildPlanCmd) }

func newRebuildPlanCmd() *cobra.Command {
	var strategy string
	cmd := &cobra.Command{
		Use:   "rebuild-plan COMPONENT",
		Short: "Plan the rebuild after a change of a component, in tiers (cycles share a tier)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, func(c *client.Client) (*client.RebuildResult, client.Meta, error) {
				r, err := c.RebuildPlan(cmd.Context(), args[0], strategy)
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
	cmd.Flags().StringVar(&strategy, "strategy", "dependents", "which components to rebuild: "+strings.Join(client.Strategies, ", "))
	return cmd
}
