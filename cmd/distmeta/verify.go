package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/distmeta/distmeta/site"
	"github.com/spf13/cobra"
)

func init() { register(newVerifyCmd) }

func newVerifyCmd() *cobra.Command {
	var keys []string
	cmd := &cobra.Command{
		Use:   "verify DIR --key VERIFIER",
		Short: "Check a published site: index signature, every manifest, object and plain file",
		Long: "Check a published site: index signature, every manifest, object and plain file,\n" +
			"and the pages under www/ against their signed listing (www.index, www.files).\n" +
			"Prints one line per problem and exits 2 when there is any.\n" +
			"--key is a verifier key (as printed by keygen) or a file holding one.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(keys) == 0 {
				return errors.New("verify: --key VERIFIER is required")
			}
			var vkeys []string
			for _, k := range keys {
				if b, err := os.ReadFile(k); err == nil {
					k = strings.TrimSpace(string(b))
				}
				vkeys = append(vkeys, k)
			}
			vs, err := site.NewVerifiers(vkeys...)
			if err != nil {
				return err
			}
			rep, err := site.Verify(cmd.Context(), args[0], vs)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, p := range rep.Problems {
				fmt.Fprintln(w, p)
			}
			if !rep.OK() {
				return &exitError{code: 2, err: fmt.Errorf("verify %s: %d problems", args[0], len(rep.Problems))}
			}
			_, err = fmt.Fprintf(w, "%s: serial %d, %d files verified\n", args[0], rep.Index.Serial, rep.Checked)
			return err
		},
	}
	cmd.Flags().StringArrayVar(&keys, "key", nil, "verifier key or file (repeat for a key rotation)")
	return cmd
}
