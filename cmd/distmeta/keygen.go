package main

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/distmeta/distmeta/site"
	"github.com/spf13/cobra"
)

func init() { register(newKeygenCmd) }

func newKeygenCmd() *cobra.Command {
	var out, name string
	cmd := &cobra.Command{
		Use:   "keygen --out FILE [--name ORIGIN]",
		Short: "Make an Ed25519 signer key (mode 0600) and print the verifier key readers need",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("keygen: --out FILE is required")
			}
			vkey, err := site.GenerateKey(rand.Reader, name, out)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), vkey)
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "file to write the signer key to (must not exist)")
	cmd.Flags().StringVar(&name, "name", "distmeta", "key name, also the default origin of the site")
	return cmd
}
