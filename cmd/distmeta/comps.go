package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/distmeta/distmeta/generator/compsgen"
	"github.com/spf13/cobra"
)

func init() { register(newCompsCmd) }

func newCompsCmd() *cobra.Command {
	var (
		opts   compsgen.Options
		check  bool
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "comps --variants FILE --composes DIR [--out DIR] [--check] [--json]",
		Short: "Generate each variant's comps.xml from the variants file and check it against the newest complete compose",
		Long: `comps generates a comps.xml for every variant of the variants file (module
streams, package sets, plain groups of the comps file it names, environments
and categories; see docs/variants.md) and checks that every package a group
names resolves in the newest complete compose that has the variant.

With --out DIR it writes DIR/comps/<variant>.xml, <variant>.xml.gz and
<variant>.json (the answer that "dmq comps VARIANT" prints). It prints one
line per variant and every unresolved package (or, with --json, the answers).

Exit codes:
  0  done (without --check, even when packages are unresolved)
  1  bad input: malformed variants file, unknown group or module stream,
     unreadable comps file or compose
  2  with --check: some package does not resolve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Variants == "" || opts.Composes == "" {
				return fmt.Errorf("give --variants FILE and --composes DIR")
			}
			rep, err := compsgen.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				err = enc.Encode(rep)
			} else {
				err = printCompsReport(cmd.OutOrStdout(), rep)
			}
			if err != nil {
				return err
			}
			if n := rep.Unresolved(); check && n > 0 {
				return &exitError{code: 2, err: fmt.Errorf("comps check: %d unresolved package(s)", n)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Variants, "variants", "", "the variants file (YAML)")
	f.StringVar(&opts.Composes, "composes", "", "the composes root (pungi compose folders)")
	f.StringVar(&opts.Out, "out", "", "folder to write comps/<variant>.xml, .xml.gz and .json into")
	f.BoolVar(&check, "check", false, "exit with code 2 when a package does not resolve")
	f.BoolVar(&asJSON, "json", false, "print the answers as JSON")
	f.IntVar(&opts.Jobs, "jobs", 0, "repositories read at a time (0: one per CPU)")
	return cmd
}

func printCompsReport(w io.Writer, rep *compsgen.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIANT\tCOMPOSE\tGROUPS\tENVIRONMENTS\tCATEGORIES\tPACKAGES\tUNRESOLVED")
	for _, a := range rep.Variants {
		compose := a.Compose
		if compose == "" {
			compose = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", a.Variant, compose, len(a.Groups), len(a.Environments), len(a.Categories), len(a.Packages), len(a.Unresolved))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, a := range rep.Variants {
		for _, u := range a.Unresolved {
			arch := ""
			if u.Arch != "" {
				arch = "." + u.Arch
			}
			if _, err := fmt.Fprintf(w, "unresolved: %s%s: group %s: package %s: %s\n", a.Variant, arch, u.Group, u.Package, u.Reason); err != nil {
				return err
			}
		}
	}
	return nil
}
