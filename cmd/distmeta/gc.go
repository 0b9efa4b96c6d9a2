package main

import (
	"fmt"
	"time"

	"github.com/distmeta/distmeta/site"
	"github.com/spf13/cobra"
)

func init() { register(newGCCmd) }

func newGCCmd() *cobra.Command {
	var opts site.GCOptions
	cmd := &cobra.Command{
		Use:   "gc DIR [--keep K] [--older-than T]",
		Short: "Remove objects and manifests that none of the last K indexes reference",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Now = time.Now()
			res, err := site.GC(args[0], opts)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, p := range res.Removed {
				fmt.Fprintln(w, "removed", p)
			}
			_, err = fmt.Fprintf(w, "kept indexes %v; removed %d files, %d bytes\n", res.KeptIndexes, len(res.Removed), res.Bytes)
			return err
		},
	}
	cmd.Flags().IntVar(&opts.Keep, "keep", 3, "number of newest indexes whose objects are kept")
	cmd.Flags().DurationVar(&opts.OlderThan, "older-than", 48*time.Hour, "only remove files older than this")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "list what would be removed")
	return cmd
}
