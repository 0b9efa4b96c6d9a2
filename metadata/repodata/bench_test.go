package repodata

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
)

// BenchmarkLoadCentOS reads the CentOS Stream 9 BaseOS primary and
// filelists (the largest real repodata among the samples) into packages
// with full file lists, verifying both files. It reports packages per
// second and the peak RSS of one load run in a fresh process.
func BenchmarkLoadCentOS(b *testing.B) {
	dir := testenv.Shared(b, "repodata/centos-stream-9-baseos-x86_64")
	n := 0
	start := time.Now()
	cpu0 := cpuTime()
	for b.Loop() {
		pkgs, err := LoadPackages(dir, true)
		if err != nil {
			b.Fatal(err)
		}
		n += len(pkgs)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "pkgs/s")
	// CPU time is what the load costs on a machine shared with other
	// work, where wall time also counts waiting for a core.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.StopTimer()
	hwm, err := peakRSSChild(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(hwm)/1024, "peak-RSS-MB")
}

// cpuTime returns the user plus system CPU time of this process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSSChild runs TestPeakRSSChild in a new process of this test
// binary and returns its VmHWM in KiB.
func peakRSSChild(dir string) (int64, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestPeakRSSChild$", "-test.v")
	cmd.Env = append(os.Environ(), "REPODATA_PEAK_RSS_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(out), "\n") {
		if _, v, ok := strings.Cut(l, "VmHWM-KiB="); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, os.ErrNotExist
}

// TestPeakRSSChild is the child of peakRSSChild: it loads a repository
// once and prints the process's peak resident set size.
func TestPeakRSSChild(t *testing.T) {
	dir := os.Getenv("REPODATA_PEAK_RSS_DIR")
	if dir == "" {
		t.Skip("only run by BenchmarkLoadCentOS")
	}
	pkgs, err := LoadPackages(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			t.Logf("packages=%d VmHWM-KiB=%s", len(pkgs), strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
}
