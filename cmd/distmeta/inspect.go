package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/generator/inspect"
	"github.com/spf13/cobra"
)

func init() { register(newInspectCmd) }

func newInspectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect FILE|DIR...",
		Short: "Recognise input files (repodata, modulemd, comps, productmd, treeinfo, spec) and summarise them",
		Long: `inspect detects the format of each file or folder (an rpm-md repository,
repomd/primary/filelists/other XML, modulemd YAML, comps or comps .xml.in,
productmd JSON, .treeinfo, .discinfo, a pungi compose folder, a spec file),
compressed or not, and prints its document counts by kind and the first
problem found. It exits 1 when any input has a problem.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reports := make([]inspect.Report, 0, len(args))
			bad := 0
			for _, a := range args {
				r := inspect.Inspect(a)
				if !r.OK() {
					bad++
				}
				reports = append(reports, r)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(reports); err != nil {
					return err
				}
			} else {
				for _, r := range reports {
					fmt.Fprintf(out, "%s: %s\n", r.Path, r.Format)
					keys := make([]string, 0, len(r.Counts))
					for k := range r.Counts {
						keys = append(keys, k)
					}
					sort.Strings(keys)
					for _, k := range keys {
						fmt.Fprintf(out, "  %-16s %d\n", k, r.Counts[k])
					}
					if r.Problem != "" {
						fmt.Fprintf(out, "  problem: %s\n", r.Problem)
					}
				}
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d inputs have problems: %s", bad, len(reports), firstProblem(reports))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the reports as JSON")
	return cmd
}

func firstProblem(rs []inspect.Report) string {
	for _, r := range rs {
		if r.Problem != "" {
			return strings.SplitN(r.Problem, "\n", 2)[0]
		}
	}
	return ""
}
