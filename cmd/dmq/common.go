package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/distmeta/distmeta/client"
	"github.com/spf13/cobra"
)

// newClient builds the client from the flags, the environment and the
// configuration file, in that order of precedence.
func newClient(cmd *cobra.Command) (*client.Client, error) {
	f := cmd.Flags()
	cfgPath, _ := f.GetString("config")
	explicit := cfgPath != ""
	if cfgPath == "" {
		cfgPath = os.Getenv(client.EnvConfig)
		explicit = cfgPath != ""
	}
	if cfgPath == "" {
		cfgPath = client.DefaultConfigPath()
	}
	cfg, err := client.LoadConfig(cfgPath, explicit)
	if err != nil {
		return nil, err
	}
	flags := client.Overrides{}
	flags.Mirrors, _ = f.GetStringArray("mirror")
	flags.Keys, _ = f.GetStringArray("key")
	flags.Origin, _ = f.GetString("origin")
	flags.Cache, _ = f.GetString("cache")
	flags.State, _ = f.GetString("state")
	flags.Timeout, _ = f.GetDuration("timeout")
	if f.Changed("refresh") {
		r, _ := f.GetDuration("refresh")
		flags.Refresh = &r
	}
	opts, err := cfg.Options(client.FromEnv(os.Getenv), flags)
	if err != nil {
		return nil, err
	}
	opts.Offline, _ = f.GetBool("offline")
	if s := os.Getenv(client.EnvNow); s != "" {
		now, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", client.ErrConfig, client.EnvNow, err)
		}
		opts.Now = func() time.Time { return now }
	}
	return client.New(opts)
}

// texter is a result that prints itself for people.
type texter interface{ WriteText(io.Writer) error }

// output prints a result as text or JSON, and the offline note (how old
// the answer is) on stderr.
func output(cmd *cobra.Command, meta client.Meta, res texter) error {
	if meta.Note != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), meta.Note)
	}
	// One buffered writer: an answer can be tens of thousands of lines,
	// and a write per line would cost more than the query.
	w := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
	var err error
	if asJSON, _ := cmd.Flags().GetBool("json"); asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(res)
	} else {
		err = res.WriteText(w)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// run is the body of every query command: build the client, ask, print.
func run[R texter](cmd *cobra.Command, ask func(*client.Client) (R, client.Meta, error)) error {
	c, err := newClient(cmd)
	if err != nil {
		return err
	}
	res, meta, err := ask(c)
	if err != nil {
		return err
	}
	return output(cmd, meta, res)
}
