package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/distmeta/distmeta/metadata/depsolve"
	"github.com/distmeta/distmeta/metadata/repodata"
)

func init() { register(newQueryCmd) }

func newQueryCmd() *cobra.Command {
	var (
		repos  []string
		arch   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "query --repo DIR... (whatprovides|whatrequires|requires|closure|why) ARG [ARG]",
		Short: "Answer dependency queries from rpm-md repositories on disk, like dnf repoquery",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(repos) == 0 {
				return fmt.Errorf("query: at least one --repo is needed")
			}
			var pkgs []*repodata.Package
			for _, dir := range repos {
				p, err := repodata.LoadPackages(dir, true)
				if err != nil {
					return fmt.Errorf("query: %w", err)
				}
				pkgs = append(pkgs, p...)
			}
			ans, err := depsolve.NewPool(pkgs, depsolve.Options{Arch: arch}).RunQuery(args[0], args[1:])
			if err != nil {
				return fmt.Errorf("query: %w", err)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(ans)
			}
			return ans.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringArrayVar(&repos, "repo", nil, "repository root (the folder holding repodata/); repeatable")
	cmd.Flags().StringVar(&arch, "arch", "x86_64", `machine architecture ("" = every architecture installable)`)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
