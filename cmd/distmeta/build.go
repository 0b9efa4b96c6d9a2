package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/distmeta/distmeta/generator"
	"github.com/distmeta/distmeta/generator/config"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func init() { register(newBuildCmd) }

// Exit codes of distmeta build (docs/build.md).
const (
	exitBuildFailed = 1 // the run failed: inputs unreadable or broken, publish failed
	exitBadConfig   = 2 // bad usage, configuration or signer key
)

func newBuildCmd() *cobra.Command {
	var (
		cfgPath    string
		dryRun     bool
		quiet      bool
		cpuProfile string
	)
	cmd := &cobra.Command{
		Use:   "build [--config distmeta.yaml] [flags]",
		Short: "Collect, resolve, render and publish every answer as a signed static site",
		Long: `build reads the dist-git root, the complete composes, the builds feed, the
test results, the variants file and the mirrors' indexes named by the
configuration (each setting can be overridden by the flag of the same name),
computes every answer and publishes them into the output folder: objects
first, manifests next, the signed index last. A run that fails publishes
nothing. The state folder makes the next run incremental.

The index's creation time is the current time, or SOURCE_DATE_EPOCH when set.
Exit codes: 0 done, 1 the build failed, 2 bad usage or configuration.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := &config.Config{}
			if cfgPath != "" {
				c, err := config.Load(cfgPath)
				if err != nil {
					return &exitError{code: exitBadConfig, err: err}
				}
				cfg = c
			}
			wd, _ := os.Getwd()
			flagCfg := &config.Config{}
			var setErr error
			cmd.Flags().Visit(func(f *pflag.Flag) {
				if !isConfigKey(f.Name) || setErr != nil {
					return
				}
				if err := cfg.Set(f.Name, f.Value.String()); err != nil {
					setErr = fmt.Errorf("--%s: %w", f.Name, err)
				}
				_ = flagCfg.Set(f.Name, f.Value.String())
			})
			if setErr != nil {
				return &exitError{code: exitBadConfig, err: setErr}
			}
			// Paths given as flags resolve against the working folder.
			flagCfg.Resolve(wd)
			for _, p := range []struct {
				dst *string
				v   string
			}{{&cfg.DistGit, flagCfg.DistGit}, {&cfg.Composes, flagCfg.Composes},
				{&cfg.Builds, flagCfg.Builds}, {&cfg.Results, flagCfg.Results}, {&cfg.Variants, flagCfg.Variants}, {&cfg.Mirrors, flagCfg.Mirrors},
				{&cfg.State, flagCfg.State}, {&cfg.Out, flagCfg.Out}, {&cfg.Key, flagCfg.Key}} {
				if p.v != "" {
					*p.dst = p.v
				}
			}
			now, err := buildNow()
			if err != nil {
				return &exitError{code: exitBadConfig, err: err}
			}
			opts := generator.Options{Now: now, DryRun: dryRun}
			stderr := cmd.ErrOrStderr()
			if isTerminal(stderr) && !quiet {
				opts.Progress = stderr
			} else if !quiet {
				opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			}
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return &exitError{code: exitBadConfig, err: err}
				}
				defer stop()
			}
			sum, err := generator.Build(cmd.Context(), cfg, opts)
			if err != nil {
				if errors.Is(err, generator.ErrConfig) {
					return &exitError{code: exitBadConfig, err: err}
				}
				return &exitError{code: exitBuildFailed, err: err}
			}
			return sum.Print(cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&cfgPath, "config", "c", "", "configuration file (distmeta init writes an example)")
	f.BoolVar(&dryRun, "dry-run", false, "do everything but publish; print what would change")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress display and no logs")
	f.String("distgit", "", "dist-git root (rpms/, modules/)")
	f.String("composes", "", "composes root")
	f.String("builds", "", "builds feed (JSON Lines)")
	f.String("results", "", "test results (JSON Lines)")
	f.String("variants", "", "variants file")
	f.String("mirrors", "", "mirror list")
	f.String("state", "", "state folder kept between runs")
	f.String("out", "", "output folder (the published site)")
	f.String("key", "", "signer key file")
	f.String("origin", "", "origin named in the index")
	f.String("expires", "", "index validity (e.g. 168h, 7d)")
	f.String("keep", "", "indexes whose objects are kept")
	f.String("jobs", "", "concurrent workers (0: one per CPU)")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	_ = f.MarkHidden("cpuprofile")
	return cmd
}

// startCPUProfile profiles the run into path; stop ends the profile.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func isConfigKey(name string) bool {
	for _, k := range config.Keys {
		if k == name {
			return true
		}
	}
	return false
}

// buildNow is SOURCE_DATE_EPOCH when set, else the current time.
func buildNow() (time.Time, error) {
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds", v)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now().UTC().Truncate(time.Second), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
