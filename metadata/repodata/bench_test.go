package repodata

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/testenv"
	"github.com/distmeta/distmeta/metadata/rpmver"
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
		return // only does something as BenchmarkLoadCentOS's child
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

// BenchmarkLoadLarge reads a compose-sized repository (primary and
// filelists with full file lists): the one named by
// $REPODATA_BENCH_REPO (e.g. a generated world's
// composes/*/compose/Everything/x86_64/os) or else 70,000 synthetic
// packages with realistic dependencies and files, written by WriteRepo.
func BenchmarkLoadLarge(b *testing.B) {
	dir := os.Getenv("REPODATA_BENCH_REPO")
	if dir == "" {
		dir = b.TempDir()
		if _, err := WriteRepo(dir, syntheticPackages(70_000), WriteOptions{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
	var open int64
	if r, err := Open(dir); err == nil {
		for _, k := range []string{"primary", "filelists"} {
			if d := r.Repomd.Find(k); d != nil {
				open += d.OpenSize
			}
		}
	}
	n, runs := 0, 0
	start := time.Now()
	cpu0 := cpuTime()
	for b.Loop() {
		pkgs, err := LoadPackages(dir, true)
		if err != nil {
			b.Fatal(err)
		}
		n += len(pkgs)
		runs++
	}
	wall := time.Since(start).Seconds()
	cpu := (cpuTime() - cpu0).Seconds()
	b.ReportMetric(float64(n)/wall, "pkgs/s")
	b.ReportMetric(float64(n)/cpu, "pkgs/cpu-s")
	b.ReportMetric(cpu/float64(runs), "cpu-s/op")
	b.ReportMetric(float64(open)*float64(runs)/cpu/1e6, "xml-MB/cpu-s")
	b.StopTimer()
	hwm, err := peakRSSChild(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(hwm)/1024, "peak-RSS-MB")
}

// syntheticPackages returns n packages shaped like a Fedora compose's:
// sonames and language dependencies shared by many packages, a few
// versioned and rich dependencies, 1 to ~150 files under shared
// directories, descriptions of a few lines. The same n gives the same
// packages.
func syntheticPackages(n int) []*Package {
	rng := rand.New(rand.NewPCG(1, 2))
	common := []string{"libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", "libm.so.6()(64bit)",
		"libpthread.so.0()(64bit)", "libglib-2.0.so.0()(64bit)", "libz.so.1()(64bit)", "libssl.so.3()(64bit)",
		"libcrypto.so.3()(64bit)", "rtld(GNU_HASH)", "/bin/sh", "/usr/bin/python3", "python(abi) = 3.12",
		"perl(:MODULE_COMPAT_5.38.2)", "perl(strict)", "perl(warnings)", "R(ABI)", "libstdc++.so.6()(64bit)",
		"libstdc++.so.6(GLIBCXX_3.4)(64bit)", "libgcc_s.so.1()(64bit)", "libgcc_s.so.1(GCC_3.0)(64bit)",
		"config(bash)", "systemd", "coreutils", "bash", "glibc"}
	arches := []string{"x86_64", "x86_64", "x86_64", "noarch", "noarch", "i686"}
	dirs := []string{"/usr/lib64/", "/usr/share/doc/", "/usr/share/licenses/", "/usr/lib/python3.12/site-packages/",
		"/usr/share/perl5/vendor_perl/", "/usr/bin/", "/etc/", "/usr/share/man/man1/", "/usr/include/", "/usr/share/locale/de/LC_MESSAGES/"}
	pkgs := make([]*Package, n)
	for i := range pkgs {
		name := fmt.Sprintf("pkg%d-%s", i, []string{"libs", "devel", "doc", "tools", "common", "data"}[rng.IntN(6)])
		e := rpmver.EVR{Epoch: "0", Version: fmt.Sprintf("%d.%d.%d", rng.IntN(10), rng.IntN(40), rng.IntN(20)), Release: fmt.Sprintf("%d.fc40", 1+rng.IntN(5))}
		if rng.IntN(20) == 0 {
			e.Epoch = "1"
		}
		arch := arches[rng.IntN(len(arches))]
		var id [32]byte
		for j := range id {
			id[j] = byte(rng.Uint32())
		}
		p := &Package{
			Name: name, Arch: arch, EVR: e, Checksum: Checksum{"sha256", hex.EncodeToString(id[:])},
			Summary:     "The " + name + " package & friends",
			Description: strings.Repeat("This package provides "+name+" for Fedora, with <features> and documentation.\n", 1+rng.IntN(4)),
			Packager:    "Fedora Project", URL: "https://" + name + ".example.org/",
			FileTime: 1714560000 + int64(i), BuildTime: 1714550000 + int64(i), PackageSize: int64(rng.IntN(1 << 22)),
			Installed: int64(rng.IntN(1 << 24)), ArchiveSize: int64(rng.IntN(1 << 24)),
			Location: "Packages/" + name[:1] + "/" + name + "-" + e.Version + "-" + e.Release + "." + arch + ".rpm",
			License:  "MIT AND (GPL-2.0-or-later OR BSD-3-Clause)", Vendor: "Fedora Project", Group: "Unspecified",
			BuildHost: fmt.Sprintf("buildvm-x86-%02d.iad2.fedoraproject.org", rng.IntN(40)),
			SourceRPM: fmt.Sprintf("pkg%d-%s-%s.src.rpm", i, e.Version, e.Release), HeaderStart: 4504, HeaderEnd: 4504 + int64(rng.IntN(100000)),
		}
		p.Provides = []Dep{{Name: name, Flags: rpmver.EQ, EVR: e}, {Name: name + "(x86-64)", Flags: rpmver.EQ, EVR: e}}
		for range rng.IntN(8) {
			p.Provides = append(p.Provides, Dep{Name: fmt.Sprintf("lib%s_%d.so.%d()(64bit)", name, rng.IntN(5), rng.IntN(3))})
		}
		for range 3 + rng.IntN(20) {
			d := Dep{Name: common[rng.IntN(len(common))]}
			switch rng.IntN(10) {
			case 0:
				d.Name = fmt.Sprintf("pkg%d-libs", rng.IntN(n))
				d.Flags, d.EVR = rpmver.GE, rpmver.EVR{Epoch: "0", Version: "1.2"}
			case 1:
				d.Name = fmt.Sprintf("(pkg%d-data if pkg%d-tools)", rng.IntN(n), rng.IntN(n))
			case 2:
				d.Pre = true
			}
			p.Requires = append(p.Requires, d)
		}
		if rng.IntN(10) == 0 {
			p.Obsoletes = []Dep{{Name: name + "-old", Flags: rpmver.LT, EVR: e}}
			p.Recommends = []Dep{{Name: fmt.Sprintf("pkg%d-doc", rng.IntN(n))}}
		}
		nf := 1 + rng.IntN(40)
		if rng.IntN(10) == 0 {
			nf += rng.IntN(400)
		}
		base := dirs[rng.IntN(len(dirs))] + name
		p.Files = append(p.Files, File{Path: base, Type: "dir"})
		for j := range nf {
			p.Files = append(p.Files, File{Path: fmt.Sprintf("%s/%s_file%d.%s", base, name, j, []string{"so", "py", "pm", "h", "txt", "mo"}[j%6])})
		}
		if rng.IntN(4) == 0 {
			p.Files = append(p.Files, File{Path: "/usr/bin/" + name}, File{Path: "/etc/" + name + ".conf"})
		}
		if rng.IntN(20) == 0 {
			p.Files = append(p.Files, File{Path: "/var/cache/" + name, Type: "ghost"})
		}
		pkgs[i] = p
	}
	return pkgs
}

// BenchmarkReadRawCentOS is the floor under BenchmarkLoadCentOS: it
// decompresses and verifies the same two files without parsing them.
func BenchmarkReadRawCentOS(b *testing.B) {
	dir := testenv.Shared(b, "repodata/centos-stream-9-baseos-x86_64")
	r, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	runs := 0
	for b.Loop() {
		for _, k := range []string{"primary", "filelists"} {
			if _, err := r.ReadAll(k); err != nil {
				b.Fatal(err)
			}
		}
		runs++
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(runs), "cpu-s/op")
}

// BenchmarkParseCentOS parses the CentOS Stream 9 BaseOS primary.xml and
// filelists.xml from memory (no decompression, no checksums) with the
// scanner and with the encoding/xml reader it replaced, run back to
// back so that both see the same load on a shared machine.
func BenchmarkParseCentOS(b *testing.B) {
	dir := testenv.Shared(b, "repodata/centos-stream-9-baseos-x86_64")
	r, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	primary, err := r.ReadAll("primary")
	if err != nil {
		b.Fatal(err)
	}
	filelists, err := r.ReadAll("filelists")
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []struct {
		name  string
		parse func() (int, error)
	}{
		{"scanner", func() (int, error) {
			p, err := newReadPrimary(bytes.NewReader(primary), "primary.xml")
			if err != nil {
				return 0, err
			}
			_, err = newReadFilelists(bytes.NewReader(filelists), "filelists.xml")
			return len(p), err
		}},
		{"encoding-xml", func() (int, error) {
			p, err := legacyReadPrimary(bytes.NewReader(primary), "primary.xml")
			if err != nil {
				return 0, err
			}
			_, err = legacyReadFilelists(bytes.NewReader(filelists), "filelists.xml")
			return len(p), err
		}},
	} {
		b.Run(impl.name, func(b *testing.B) {
			n, runs := 0, 0
			cpu0 := cpuTime()
			for b.Loop() {
				k, err := impl.parse()
				if err != nil {
					b.Fatal(err)
				}
				n += k
				runs++
			}
			cpu := (cpuTime() - cpu0).Seconds()
			b.ReportMetric(float64(n)/cpu, "pkgs/cpu-s")
			b.ReportMetric(float64(len(primary)+len(filelists))*float64(runs)/cpu/1e6, "xml-MB/cpu-s")
		})
	}
}
