package main

import (
	"encoding/json"
	"fmt"

	"github.com/distmeta/distmeta/internal/distgit"
	"github.com/spf13/cobra"
)

func init() { register(newStaleCmd) }

func newStaleCmd() *cobra.Command {
	var (
		o      distgit.StaleOptions
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "stale --distgit DIR [--composes DIR] [--builds FILE]",
		Short: "List builds made from a commit that is no longer its branch head",
		Long: `stale walks a dist-git root and checks every module build found in the
complete composes (their repodata modules.yaml: xmd.mbs.rpms.NAME.ref) and
every complete build of the builds feed (source git URL#hash) against the
branch heads. A build whose commit is below its branch head is a rebuild
candidate; the commits after it are listed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.DistGit == "" {
				return fmt.Errorf("stale: --distgit is required")
			}
			if o.Composes == "" && o.Builds == "" {
				return fmt.Errorf("stale: give --composes, --builds or both")
			}
			rep, err := distgit.Stale(cmd.Context(), o)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			for _, e := range rep.Errors {
				fmt.Fprintln(cmd.ErrOrStderr(), "skipped:", e)
			}
			for _, n := range rep.Notes {
				fmt.Fprintln(cmd.ErrOrStderr(), "note:", n)
			}
			for _, s := range rep.Stale {
				fmt.Fprintf(w, "%s %s %s %s: %s", s.Kind, s.ID, s.Repo, s.Commit.Short(), s.Reason)
				if s.Branch != "" {
					fmt.Fprintf(w, " on %s (head %s, %d commits after)", s.Branch, s.Head.Short(), len(s.After))
				}
				fmt.Fprintln(w)
				for _, c := range s.After {
					fmt.Fprintf(w, "  %s %s\n", c.Hash.Short(), c.Subject)
				}
			}
			_, err = fmt.Fprintf(w, "%d of %d builds stale\n", len(rep.Stale), rep.Builds)
			return err
		},
	}
	cmd.Flags().StringVar(&o.DistGit, "distgit", "", "dist-git root")
	cmd.Flags().StringVar(&o.Composes, "composes", "", "composes root (module builds from repodata modules.yaml)")
	cmd.Flags().StringVar(&o.Builds, "builds", "", "builds feed (JSON Lines)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
