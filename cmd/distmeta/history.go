package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/distmeta/distmeta/internal/distgit"
	"github.com/spf13/cobra"
)

func init() { register(newHistoryCmd) }

func newHistoryCmd() *cobra.Command {
	var (
		root, state, at string
		asJSON          bool
	)
	cmd := &cobra.Command{
		Use:   "history --distgit DIR [--state DIR] REPO BRANCH [--at TIME]",
		Short: "Show a dist-git branch's history, or the hash it pointed to at a time",
		Long: `history reads one repository of a dist-git root (REPO is rpms/NAME,
modules/NAME, or NAME for rpms/NAME). With --at (RFC 3339 or YYYY-MM-DD,
UTC) it prints the hash BRANCH pointed to then: observed, from the ref log
of the state folder, or derived from the first-parent history before the
first observation. Without --at it prints the first-parent history and the
observed ref moves.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if root == "" {
				return fmt.Errorf("history: --distgit is required")
			}
			o := distgit.HistoryOptions{DistGit: root, State: state, Repo: args[0], Branch: args[1]}
			if at != "" {
				t, err := parseTime(at)
				if err != nil {
					return fmt.Errorf("history: --at: %w", err)
				}
				o.At = t
			}
			rep, err := distgit.BranchHistory(o)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			if rep.Position != nil {
				_, err := fmt.Fprintln(w, rep.Position)
				return err
			}
			for _, u := range rep.Observed {
				fmt.Fprintf(w, "observed %s %s %s..%s\n", u.Time.UTC().Format(time.RFC3339), u.Kind, short(u.Old), short(u.New))
			}
			for _, c := range rep.History {
				if _, err := fmt.Fprintf(w, "%s %s %s\n", c.Hash, c.Time.UTC().Format(time.RFC3339), c.Subject); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "distgit", "", "dist-git root (rpms/NAME.git, modules/NAME.git)")
	cmd.Flags().StringVar(&state, "state", "", "state folder holding the ref log")
	cmd.Flags().StringVar(&at, "at", "", "time to answer for (RFC 3339 or YYYY-MM-DD, UTC)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func short(h distgit.Hash) string {
	if h.IsZero() {
		return "-"
	}
	return h.Short()
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", s)
}
