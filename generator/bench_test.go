package generator

import (
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/distmeta/distmeta/generator/config"
	"github.com/distmeta/distmeta/site"
	"golang.org/x/mod/sumdb/note"
)

// The Fedora-sized world the benchmarks read: generate it once with
// distmeta world --scale fedora --seed 1 --out /tmp/distmeta-fedora-world
// (scripts/bench-build.sh does).
func fedoraWorld(b *testing.B) string {
	dir := os.Getenv("DISTMETA_FEDORA_WORLD")
	if dir == "" {
		dir = "/tmp/distmeta-fedora-world"
	}
	if _, err := os.Stat(filepath.Join(dir, "distmeta.yaml")); err != nil {
		b.Skipf("no fedora world at %s (run scripts/bench-build.sh)", dir)
	}
	return dir
}

// benchConfig points a configuration at the world, with a private
// dist-git root (hard links: a push into it leaves the world alone),
// state, output and key.
func benchConfig(b *testing.B, world string) *config.Config {
	cfg, err := config.Load(filepath.Join(world, "distmeta.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	dg := filepath.Join(tmp, "distgit")
	if out, err := exec.Command("cp", "-al", cfg.DistGit, dg).CombinedOutput(); err != nil {
		b.Fatalf("cp -al: %v\n%s", err, out)
	}
	cfg.DistGit, cfg.State, cfg.Out, cfg.Key = dg, filepath.Join(tmp, "state"), filepath.Join(tmp, "site"), filepath.Join(tmp, "signer.key")
	if _, err := site.GenerateKey(rand.Reader, "fedora.world.example.org", cfg.Key); err != nil {
		b.Fatal(err)
	}
	return cfg
}

// benchOptions publishes for real unless DISTMETA_BENCH_NOPUBLISH is set,
// in which case the store is left out of the measure.
func benchOptions(t time.Time) Options {
	o := Options{Now: t}
	if os.Getenv("DISTMETA_BENCH_NOPUBLISH") != "" {
		o.Publish = func(ctx context.Context, dir string, m site.Model, s note.Signer, po site.PublishOptions) (*site.PublishResult, error) {
			return &site.PublishResult{Index: &site.Index{Serial: 1}}, nil
		}
	}
	return o
}

func reportPeak(b *testing.B) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-MiB")
	}
}

// BenchmarkBuildFedora is a full build (empty state and site).
func BenchmarkBuildFedora(b *testing.B) {
	world := fedoraWorld(b)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cfg := benchConfig(b, world)
		b.StartTimer()
		sum, err := Build(context.Background(), cfg, benchOptions(now))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		logSummary(b, sum)
	}
	reportPeak(b)
}

// BenchmarkIncrementalFedora is a build after one push to one repository,
// with the state of a full build.
func BenchmarkIncrementalFedora(b *testing.B) {
	world := fedoraWorld(b)
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("needs git")
	}
	cfg := benchConfig(b, world)
	ctx := context.Background()
	t0 := time.Now()
	full, err := Build(ctx, cfg, benchOptions(now))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("setup: full build in %s", time.Since(t0).Round(time.Millisecond))
	logSummary(b, full)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		push(b, filepath.Join(cfg.DistGit, "rpms", "bash.git"), i)
		b.StartTimer()
		sum, err := Build(ctx, cfg, benchOptions(now.Add(time.Duration(i+1)*time.Hour)))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if sum.ReposRead != 1 {
			b.Errorf("incremental build re-read %d repositories, want 1", sum.ReposRead)
		}
		logSummary(b, sum)
	}
	reportPeak(b)
}

// push commits one change to the head branch of a bare repository with
// the git CLI. The repository is first replaced by a real copy, so that
// the hard links into the world are never written through.
func push(b *testing.B, bare string, i int) {
	tmp := b.TempDir()
	cp := filepath.Join(tmp, "copy.git")
	clone := filepath.Join(tmp, "clone")
	run := func(dir string, args ...string) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Bench", "GIT_AUTHOR_EMAIL=b@example.org", "GIT_COMMITTER_NAME=Bench", "GIT_COMMITTER_EMAIL=b@example.org")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	if i == 0 {
		run(tmp, "cp", "-r", bare, cp)
		run(tmp, "rm", "-rf", bare)
		run(tmp, "mv", cp, bare)
	}
	run(tmp, "git", "clone", "-q", bare, clone)
	f, err := os.OpenFile(filepath.Join(clone, "bash.spec"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	f.WriteString("# bench push\n")
	f.Close()
	run(clone, "git", "commit", "-q", "-a", "-m", "bench push")
	run(clone, "git", "push", "-q", "origin", "HEAD")
}

func logSummary(b *testing.B, s *Summary) {
	for _, st := range s.Stages {
		b.Logf("%-9s %8d %10s %s", st.Name, st.Items, st.Duration.Round(time.Millisecond), st.Note)
	}
	b.Logf("repos re-read %d, unchanged %d; rendered %d, reused %d; objects written %d, kept %d",
		s.ReposRead, s.ReposUnchanged, s.Rendered, s.Reused, s.ObjectsWritten, s.ObjectsKept)
}

// BenchmarkBuildState runs one build per iteration on the state and output
// folders named by $DISTMETA_BENCH_STATE and $DISTMETA_BENCH_OUT (and the
// key $DISTMETA_BENCH_KEY), with the configuration of the Fedora-sized
// world: a profile of an incremental run on a kept state
// (go test -run NONE -bench BuildState -benchtime 1x -cpuprofile cpu.out).
func BenchmarkBuildState(b *testing.B) {
	world := fedoraWorld(b)
	state, out, key := os.Getenv("DISTMETA_BENCH_STATE"), os.Getenv("DISTMETA_BENCH_OUT"), os.Getenv("DISTMETA_BENCH_KEY")
	if state == "" || out == "" || key == "" {
		b.Skip("set DISTMETA_BENCH_STATE, DISTMETA_BENCH_OUT and DISTMETA_BENCH_KEY")
	}
	cfg, err := config.Load(filepath.Join(world, "distmeta.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	cfg.State, cfg.Out, cfg.Key = state, out, key
	for i := 0; i < b.N; i++ {
		sum, err := Build(context.Background(), cfg, Options{Now: time.Now().UTC().Truncate(time.Second)})
		if err != nil {
			b.Fatal(err)
		}
		logSummary(b, sum)
	}
}
