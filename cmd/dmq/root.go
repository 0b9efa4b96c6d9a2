package main

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

var subcommands []func() *cobra.Command

func register(f func() *cobra.Command) { subcommands = append(subcommands, f) }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "dmq",
		Short: "Ask a distmeta mirror what depends on what, what to rebuild, and where a build is",
		Long: `dmq asks the mirrors of a distmeta site questions. It fetches only the few
objects a question needs, verifies every byte against the signed index, and
answers from its cache when no mirror is reachable.

Mirrors and verifier keys come from flags, then the environment (DMQ_MIRRORS,
DMQ_KEY), then the config file (` + client.DefaultConfigPath() + `).
Exit status: 0 answered, 1 error, 2 usage or configuration, 3 no such answer.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringArray("mirror", nil, "mirror URL (http, https or file); repeatable, tried in order")
	pf.StringArray("key", nil, "verifier key, or a file of keys; repeatable (several during a key rotation)")
	pf.String("origin", "", "the site origin to accept (default: the trusted one)")
	pf.String("config", "", "configuration file (default "+client.DefaultConfigPath()+", or $DMQ_CONFIG)")
	pf.String("cache", "", "cache folder (default the user cache folder/dmq, or $DMQ_CACHE_DIR)")
	pf.String("state", "", "trusted state folder (default the user config folder/dmq/trust, or $DMQ_STATE_DIR)")
	pf.Duration("timeout", 0, "limit on one request to one mirror (default 10s)")
	pf.Duration("refresh", time.Minute, "use the last index checked within this period without asking the mirrors")
	pf.Bool("offline", false, "answer from the cache without asking any mirror")
	pf.Bool("json", false, "print JSON for tools instead of text")
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

// exitError carries an exit code chosen by a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode is dmq's one exit-code policy.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, client.ErrConfig):
		return 2
	case errors.Is(err, client.ErrNoAnswer):
		return 3
	}
	return 1
}
