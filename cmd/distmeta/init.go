package main

import (
	"fmt"
	"os"

	"github.com/distmeta/distmeta/generator/config"
	"github.com/spf13/cobra"
)

func init() { register(newInitCmd) }

func newInitCmd() *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "init [--out FILE]",
		Short: "Write a commented example configuration for distmeta build",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "-" {
				_, err := fmt.Fprint(cmd.OutOrStdout(), config.Example)
				return err
			}
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(out, flags, 0o644)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("init: %w (use --force to overwrite)", err)}
			}
			if _, err := f.WriteString(config.Example); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", out)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "distmeta.yaml", "file to write (- for standard output)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
