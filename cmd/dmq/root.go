package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

var subcommands []func() *cobra.Command

func register(f func() *cobra.Command) { subcommands = append(subcommands, f) }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "dmq",
		Short:         "Ask a distmeta mirror what depends on what, what to rebuild, and where a build is",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the version of dmq",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := "(devel)"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
				v = bi.Main.Version
			}
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "dmq", v)
			return err
		},
	})
	for _, f := range subcommands {
		root.AddCommand(f())
	}
	return root
}
