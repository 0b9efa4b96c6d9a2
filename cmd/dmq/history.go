package main

import (
	"time"

	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

func init() { register(newHistoryCmd) }

func newHistoryCmd() *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:   "history REPO BRANCH",
		Short: "Show a dist-git branch's history, or with --at TIME the commit it pointed to then",
		Long: `history shows where a branch pointed and when (REPO is rpms/NAME,
modules/NAME, or NAME for rpms/NAME). With --at (RFC 3339 or YYYY-MM-DD, UTC;
a date alone is its midnight, as git --before reads it) it prints the commit
the branch pointed to at that time: observed from the ref log after the
first observation, derived from the first-parent chain before it.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var t *time.Time
			if at != "" {
				v, err := client.ParseTime(at)
				if err != nil {
					return &exitError{code: 2, err: err}
				}
				t = &v
			}
			return run(cmd, func(c *client.Client) (*client.HistoryResult, client.Meta, error) {
				r, err := c.History(cmd.Context(), args[0], args[1], t)
				if err != nil {
					return nil, client.Meta{}, err
				}
				return r, r.Index, nil
			})
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "time to answer for (RFC 3339 or YYYY-MM-DD, UTC)")
	return cmd
}
