package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/distmeta/distmeta/generator/world"
	"github.com/spf13/cobra"
)

func init() { register(newWorldCmd) }

func newWorldCmd() *cobra.Command {
	var (
		scale  string
		seed   uint64
		out    string
		stats  bool
		asJSON bool
		jobs   int
	)
	names := make([]string, 0, len(world.Scales))
	for n := range world.Scales {
		names = append(names, n)
	}
	sort.Strings(names)
	cmd := &cobra.Command{
		Use:   "world --scale small|medium|fedora --seed N --out DIR",
		Short: "Generate a realistic Fedora-style distribution (dist-git, composes, feeds) for demos, tests and benchmarks",
		Long: `world generates a distribution: bare dist-git repositories with two years
of branch history, pungi composes with repodata that dnf accepts, module
streams, a builds feed, test results, a variants file, a mirror list and a
distmeta.yaml that points "distmeta build" at all of it. The same scale and
seed always give the same bytes.

With --stats it prints the counts and the reverse-dependency degree
distribution of the world (without --out, nothing is written).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc, ok := world.Scales[scale]
			if !ok {
				return fmt.Errorf("unknown scale %q (want %s)", scale, strings.Join(names, ", "))
			}
			if out == "" && !stats {
				return fmt.Errorf("nothing to do: give --out DIR, --stats, or both")
			}
			w, err := world.Generate(sc, seed)
			if err != nil {
				return err
			}
			if out != "" {
				if err := w.Write(cmd.Context(), out, world.WriteOptions{Jobs: jobs}); err != nil {
					return err
				}
			}
			if !stats {
				return nil
			}
			st := w.ComputeStats()
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			return st.Print(cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&scale, "scale", "small", "size: "+strings.Join(names, ", "))
	f.Uint64Var(&seed, "seed", 1, "random seed (the same seed gives the same world)")
	f.StringVar(&out, "out", "", "folder to write the world into (must not exist or be empty)")
	f.BoolVar(&stats, "stats", false, "print counts and the reverse-dependency degree distribution")
	f.BoolVar(&asJSON, "json", false, "with --stats, print JSON")
	f.IntVar(&jobs, "jobs", 0, "concurrent writers (0: one per CPU)")
	return cmd
}
