package world

import (
	"strings"

	"github.com/distmeta/distmeta/metadata/repodata"
	"github.com/distmeta/distmeta/metadata/rpmver"
)

// hubBin describes a core binary package by hand.
type hubBin struct {
	name      string
	arch      string
	multilib  bool
	provides  []string
	requires  []string
	conflicts []string
	obsoletes []string
	files     []string
}

// hub is a core component written by hand: the packages that the rest of
// a distribution depends on, so that the reverse-dependency degree has the
// hubs a real distribution has (glibc, bash, python3, perl, ...).
type hub struct {
	name    string
	eco     Ecosystem
	epoch   string
	version string
	summary string
	br      []string
	bins    []hubBin
}

var hubs = []hub{
	{name: "glibc", version: "2.38", summary: "The GNU libc libraries", br: []string{"gcc", "make", "bison", "/usr/bin/python3"},
		bins: []hubBin{
			{name: "glibc", arch: "x86_64", multilib: true, provides: []string{"libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", "libm.so.6()(64bit)", "libpthread.so.0()(64bit)", "libdl.so.2()(64bit)", "rtld(GNU_HASH)", "glibc(x86-64) = @self"},
				requires: []string{"glibc-common = @self", "basesystem"}, files: []string{"/usr/lib64/libc.so.6", "/usr/sbin/ldconfig", "/etc/ld.so.conf"}},
			{name: "glibc-common", arch: "x86_64", requires: []string{"glibc = @self", "/bin/sh"}, files: []string{"/usr/bin/locale", "/usr/bin/iconv"}},
			{name: "glibc-devel", arch: "x86_64", multilib: true, provides: []string{"glibc-devel(x86-64) = @self"}, requires: []string{"glibc = @self", "libxcrypt-devel"}, files: []string{"/usr/include/stdio.h", "/usr/lib64/libc.so"}},
			{name: "glibc-langpack-en", arch: "x86_64", provides: []string{"glibc-langpack = @self"}, requires: []string{"glibc = @self"}},
			{name: "glibc-minimal-langpack", arch: "x86_64", provides: []string{"glibc-langpack = @self"}, requires: []string{"glibc = @self"}},
		}},
	{name: "bash", version: "5.2.26", summary: "The GNU Bourne Again shell", br: []string{"gcc", "make", "pkgconfig(ncurses)"},
		bins: []hubBin{{name: "bash", arch: "x86_64", provides: []string{"/bin/sh", "/bin/bash", "config(bash) = @self"}, requires: []string{"libc.so.6()(64bit)", "libtinfo.so.6()(64bit)", "filesystem >= 3"}, files: []string{"/usr/bin/bash", "/usr/bin/sh", "/bin/sh", "/bin/bash"}}}},
	{name: "python3.12", version: "3.12.4", summary: "Version 3.12 of the Python interpreter", br: []string{"gcc", "make", "pkgconfig(openssl)", "pkgconfig(zlib)", "pkgconfig(libffi)", "/bin/sh"},
		bins: []hubBin{
			{name: "python3", arch: "x86_64", provides: []string{"python(abi) = 3.12", "python3(x86-64) = @self", "/usr/bin/python3"}, requires: []string{"python3-libs(x86-64) = @self", "libc.so.6()(64bit)"}, files: []string{"/usr/bin/python3", "/usr/bin/python3.12"}},
			{name: "python3-libs", arch: "x86_64", multilib: true, provides: []string{"python3-libs(x86-64) = @self", "libpython3.12.so.1.0()(64bit)", "python3.12dist(pip) = 23.2", "python3dist(pip) = 23.2"}, requires: []string{"libc.so.6()(64bit)", "libz.so.1()(64bit)", "libssl.so.3()(64bit)", "libcrypto.so.3()(64bit)", "libffi.so.8()(64bit)", "python-pip-wheel"}},
			{name: "python3-devel", arch: "x86_64", provides: []string{"python3-devel(x86-64) = @self", "pkgconfig(python3) = 3.12", "python3-rpm-macros"}, requires: []string{"python3 = @self", "python3-libs(x86-64) = @self", "(pyproject-rpm-macros if rpm-build)"}, files: []string{"/usr/include/python3.12/Python.h"}},
			{name: "python-pip-wheel", arch: "noarch"},
		}},
	{name: "perl", epoch: "4", version: "5.38.2", summary: "Practical Extraction and Report Language", br: []string{"gcc", "make", "pkgconfig(zlib)", "/bin/sh"},
		bins: []hubBin{
			{name: "perl-interpreter", arch: "x86_64", provides: []string{"/usr/bin/perl", "perl(:VERSION) = 5.38.2", "perl(:MODULE_COMPAT_5.38.2)", "perl(:MODULE_COMPAT_5.38.0)"}, requires: []string{"perl-libs(x86-64) = @self", "libc.so.6()(64bit)"}, files: []string{"/usr/bin/perl"}},
			{name: "perl-libs", arch: "x86_64", provides: []string{"perl-libs(x86-64) = @self", "libperl.so.5.38()(64bit)", "perl(strict) = 1.12", "perl(warnings) = 1.65", "perl(Carp) = 1.54", "perl(Exporter) = 5.77", "perl(vars)", "perl(constant) = 1.33"}, requires: []string{"libc.so.6()(64bit)", "libcrypt.so.2()(64bit)"}},
			{name: "perl-devel", arch: "x86_64", provides: []string{"perl(ExtUtils::MakeMaker) = 7.70"}, requires: []string{"perl-interpreter", "gcc"}},
			{name: "perl-generators", arch: "noarch", requires: []string{"perl-interpreter"}},
			{name: "perl-Test-Harness", arch: "noarch", provides: []string{"perl(Test::Harness) = 3.48", "perl(TAP::Harness) = 3.48"}, requires: []string{"perl-interpreter", "perl(strict)"}, files: []string{"/usr/bin/prove"}},
		}},
	{name: "zlib-ng", version: "2.1.6", summary: "Zlib replacement with optimizations", br: []string{"cmake", "gcc"},
		bins: []hubBin{
			{name: "zlib-ng-compat", arch: "x86_64", multilib: true, provides: []string{"zlib = 1.3.0.zlib-ng", "libz.so.1()(64bit)", "zlib-ng-compat(x86-64) = @self"}, requires: []string{"libc.so.6()(64bit)"}, files: []string{"/usr/lib64/libz.so.1"}},
			{name: "zlib-ng-compat-devel", arch: "x86_64", provides: []string{"zlib-devel = 1.3.0.zlib-ng", "pkgconfig(zlib) = 1.3.0"}, requires: []string{"zlib-ng-compat(x86-64) = @self"}},
		}},
	{name: "openssl", epoch: "1", version: "3.1.4", summary: "Utilities from the general purpose cryptography library with TLS implementation", br: []string{"gcc", "perl-interpreter", "perl(FindBin)", "make"},
		bins: []hubBin{
			{name: "openssl", arch: "x86_64", requires: []string{"openssl-libs(x86-64) = @self", "libc.so.6()(64bit)"}, files: []string{"/usr/bin/openssl"}},
			{name: "openssl-libs", arch: "x86_64", multilib: true, provides: []string{"openssl-libs(x86-64) = @self", "libssl.so.3()(64bit)", "libcrypto.so.3()(64bit)", "libssl.so.3(OPENSSL_3.0.0)(64bit)"}, requires: []string{"libc.so.6()(64bit)", "libz.so.1()(64bit)", "ca-certificates", "crypto-policies"}},
			{name: "openssl-devel", arch: "x86_64", provides: []string{"pkgconfig(openssl) = 3.1.4", "pkgconfig(libssl) = 3.1.4", "pkgconfig(libcrypto) = 3.1.4"}, requires: []string{"openssl-libs(x86-64) = @self", "pkgconfig(zlib)"}},
		}},
	{name: "systemd", version: "254.10", summary: "System and Service Manager", br: []string{"gcc", "meson", "pkgconfig(openssl)", "/usr/bin/python3", "gperf"},
		bins: []hubBin{
			{name: "systemd", arch: "x86_64", provides: []string{"/usr/bin/systemctl", "systemd-units = @self", "system-setup-keyboard"}, requires: []string{"systemd-libs = @self", "libc.so.6()(64bit)", "/bin/sh", "(systemd-resolved if NetworkManager)"}, files: []string{"/usr/bin/systemctl", "/usr/lib/systemd/systemd"}},
			{name: "systemd-libs", arch: "x86_64", multilib: true, provides: []string{"libsystemd.so.0()(64bit)", "libudev.so.1()(64bit)"}, requires: []string{"libc.so.6()(64bit)", "liblzma.so.5()(64bit)"}},
			{name: "systemd-rpm-macros", arch: "noarch", requires: []string{"rpm-build"}},
			{name: "systemd-resolved", arch: "x86_64", requires: []string{"systemd = @self", "libc.so.6()(64bit)"}},
			{name: "systemd-devel", arch: "x86_64", provides: []string{"pkgconfig(libsystemd) = 254", "pkgconfig(libudev) = 254"}, requires: []string{"systemd-libs = @self"}},
		}},
	{name: "gcc", version: "13.2.1", summary: "Various compilers (C, C++, Objective-C, ...)", br: []string{"glibc-devel", "make", "/bin/sh", "zlib-devel"},
		bins: []hubBin{
			{name: "gcc", arch: "x86_64", requires: []string{"cpp = @self", "glibc-devel >= 2.2.90-12", "libgcc >= @self", "libc.so.6()(64bit)"}, files: []string{"/usr/bin/gcc", "/usr/bin/cc"}},
			{name: "gcc-c++", arch: "x86_64", requires: []string{"gcc = @self", "libstdc++-devel = @self"}, files: []string{"/usr/bin/g++"}},
			{name: "cpp", arch: "x86_64", requires: []string{"libc.so.6()(64bit)"}, files: []string{"/usr/bin/cpp"}},
			{name: "libgcc", arch: "x86_64", multilib: true, provides: []string{"libgcc_s.so.1()(64bit)", "libgcc_s.so.1(GCC_3.0)(64bit)"}},
			{name: "libstdc++", arch: "x86_64", multilib: true, provides: []string{"libstdc++(x86-64) = @self", "libstdc++.so.6()(64bit)", "libstdc++.so.6(GLIBCXX_3.4)(64bit)"}, requires: []string{"libc.so.6()(64bit)", "libgcc_s.so.1()(64bit)"}},
			{name: "libstdc++-devel", arch: "x86_64", requires: []string{"libstdc++(x86-64) = @self"}},
		}},
	{name: "coreutils", version: "9.3", summary: "A set of basic GNU tools commonly used in shell scripts", br: []string{"gcc", "make", "pkgconfig(openssl)"},
		bins: []hubBin{{name: "coreutils", arch: "x86_64", provides: []string{"/usr/bin/ls", "/usr/bin/cat", "fileutils = @self"}, requires: []string{"libc.so.6()(64bit)", "libcrypto.so.3()(64bit)", "coreutils-common = @self"}, files: []string{"/usr/bin/ls", "/usr/bin/cat", "/usr/bin/install"}},
			{name: "coreutils-common", arch: "x86_64"}}},
	{name: "make", version: "4.4.1", summary: "A GNU tool which simplifies the build process for users", br: []string{"gcc"},
		bins: []hubBin{{name: "make", arch: "x86_64", provides: []string{"/usr/bin/make"}, requires: []string{"libc.so.6()(64bit)"}, files: []string{"/usr/bin/make", "/usr/bin/gmake"}}}},
	{name: "cmake", version: "3.27.7", summary: "Cross-platform make system", br: []string{"gcc-c++", "make", "pkgconfig(zlib)"},
		bins: []hubBin{{name: "cmake", arch: "x86_64", requires: []string{"libc.so.6()(64bit)", "libstdc++.so.6()(64bit)", "cmake-data = @self", "make"}, files: []string{"/usr/bin/cmake"}}, {name: "cmake-data", arch: "noarch", requires: []string{"cmake = @self"}}}},
	{name: "meson", version: "1.2.3", summary: "High productivity build system", eco: EcoPython, br: []string{"python3-devel", "pyproject-rpm-macros"},
		bins: []hubBin{{name: "meson", arch: "noarch", requires: []string{"/usr/bin/python3", "ninja-build", "python(abi) = 3.12"}, files: []string{"/usr/bin/meson"}}}},
	{name: "ninja-build", version: "1.11.1", summary: "Small build system with a focus on speed", br: []string{"gcc-c++", "/usr/bin/python3"},
		bins: []hubBin{{name: "ninja-build", arch: "x86_64", requires: []string{"libc.so.6()(64bit)", "libstdc++.so.6()(64bit)"}, files: []string{"/usr/bin/ninja"}}}},
	{name: "pkgconf", version: "1.9.5", summary: "Package compiler and linker metadata toolkit", br: []string{"gcc", "make"},
		bins: []hubBin{{name: "pkgconf-pkg-config", arch: "x86_64", provides: []string{"pkgconfig = 1:1.9.5", "pkg-config = 1.9.5", "/usr/bin/pkg-config"}, requires: []string{"libc.so.6()(64bit)"}, files: []string{"/usr/bin/pkg-config"}}}},
	{name: "glib2", version: "2.78.3", summary: "A library of handy utility functions", br: []string{"meson", "gcc", "pkgconfig(libffi)", "pkgconfig(zlib)", "/usr/bin/python3"},
		bins: []hubBin{
			{name: "glib2", arch: "x86_64", multilib: true, provides: []string{"libglib-2.0.so.0()(64bit)", "libgobject-2.0.so.0()(64bit)", "libgio-2.0.so.0()(64bit)"}, requires: []string{"libc.so.6()(64bit)", "libffi.so.8()(64bit)", "libz.so.1()(64bit)"}},
			{name: "glib2-devel", arch: "x86_64", provides: []string{"pkgconfig(glib-2.0) = 2.78.3", "pkgconfig(gobject-2.0) = 2.78.3", "pkgconfig(gio-2.0) = 2.78.3"}, requires: []string{"glib2 = @self", "/usr/bin/python3"}},
		}},
	{name: "libffi", version: "3.4.4", summary: "A portable foreign function interface library", br: []string{"gcc", "make"},
		bins: []hubBin{{name: "libffi", arch: "x86_64", multilib: true, provides: []string{"libffi.so.8()(64bit)"}, requires: []string{"libc.so.6()(64bit)"}}, {name: "libffi-devel", arch: "x86_64", provides: []string{"pkgconfig(libffi) = 3.4.4"}, requires: []string{"libffi = @self"}}}},
	{name: "xz", version: "5.4.4", summary: "LZMA compression utilities", br: []string{"gcc", "make"},
		bins: []hubBin{{name: "xz", arch: "x86_64", requires: []string{"xz-libs = @self", "libc.so.6()(64bit)"}, files: []string{"/usr/bin/xz"}}, {name: "xz-libs", arch: "x86_64", multilib: true, provides: []string{"liblzma.so.5()(64bit)"}, requires: []string{"libc.so.6()(64bit)"}}, {name: "xz-devel", arch: "x86_64", provides: []string{"pkgconfig(liblzma) = 5.4.4"}, requires: []string{"xz-libs = @self"}}}},
	{name: "ncurses", version: "6.4", summary: "Ncurses support utilities", br: []string{"gcc", "make"},
		bins: []hubBin{{name: "ncurses-libs", arch: "x86_64", multilib: true, provides: []string{"libtinfo.so.6()(64bit)", "libncursesw.so.6()(64bit)"}, requires: []string{"libc.so.6()(64bit)", "ncurses-base = @self"}}, {name: "ncurses-base", arch: "noarch"}, {name: "ncurses-devel", arch: "x86_64", provides: []string{"pkgconfig(ncurses) = 6.4", "pkgconfig(ncursesw) = 6.4"}, requires: []string{"ncurses-libs = @self"}}}},
	{name: "libxcrypt", version: "4.4.36", summary: "Extended crypt library for descrypt, md5crypt, bcrypt, and others", br: []string{"gcc", "perl-interpreter"},
		bins: []hubBin{{name: "libxcrypt", arch: "x86_64", multilib: true, provides: []string{"libcrypt.so.2()(64bit)"}, requires: []string{"libc.so.6()(64bit)"}}, {name: "libxcrypt-devel", arch: "x86_64", requires: []string{"libxcrypt = @self"}}}},
	{name: "curl", version: "8.2.1", summary: "A utility for getting files from remote servers (FTP, HTTP, and others)", br: []string{"gcc", "pkgconfig(openssl)", "pkgconfig(zlib)"},
		bins: []hubBin{{name: "curl", arch: "x86_64", provides: []string{"webclient"}, requires: []string{"libcurl = @self", "libc.so.6()(64bit)"}, files: []string{"/usr/bin/curl"}}, {name: "libcurl", arch: "x86_64", multilib: true, provides: []string{"libcurl.so.4()(64bit)"}, requires: []string{"libc.so.6()(64bit)", "libssl.so.3()(64bit)", "libz.so.1()(64bit)"}}, {name: "libcurl-devel", arch: "x86_64", provides: []string{"pkgconfig(libcurl) = 8.2.1"}, requires: []string{"libcurl = @self"}}}},
	{name: "wget2", version: "2.1.0", summary: "An advanced file and recursive website downloader", br: []string{"gcc", "pkgconfig(openssl)"},
		bins: []hubBin{{name: "wget2-wget", arch: "x86_64", provides: []string{"webclient", "wget = 2.1.0"}, requires: []string{"libc.so.6()(64bit)", "libssl.so.3()(64bit)"}, files: []string{"/usr/bin/wget"}}}},
	{name: "postfix", version: "3.8.3", summary: "Postfix Mail Transport Agent", br: []string{"gcc", "pkgconfig(openssl)", "systemd-rpm-macros"},
		bins: []hubBin{{name: "postfix", arch: "x86_64", provides: []string{"MTA", "smtpdaemon", "server(smtp)", "/usr/sbin/sendmail"}, requires: []string{"libc.so.6()(64bit)", "libssl.so.3()(64bit)", "/bin/sh", "systemd"}, files: []string{"/usr/sbin/postfix", "/usr/sbin/sendmail.postfix"}}}},
	{name: "sendmail", version: "8.17.2", summary: "A widely used Mail Transport Agent (MTA)", br: []string{"gcc", "pkgconfig(openssl)"},
		bins: []hubBin{{name: "sendmail", arch: "x86_64", provides: []string{"MTA", "smtpdaemon", "server(smtp)"}, requires: []string{"libc.so.6()(64bit)", "/bin/sh"}, files: []string{"/usr/sbin/sendmail.sendmail"}}}},
	{name: "golang", version: "1.21.6", summary: "The Go Programming Language", br: []string{"gcc", "/bin/sh"},
		bins: []hubBin{{name: "golang", arch: "x86_64", provides: []string{"go = @self", "/usr/bin/go"}, requires: []string{"golang-bin = @self", "go-srpm-macros"}, files: []string{"/usr/bin/go"}}, {name: "golang-bin", arch: "x86_64", requires: []string{"libc.so.6()(64bit)"}}, {name: "go-rpm-macros", arch: "x86_64", provides: []string{"go-srpm-macros"}, requires: []string{"golang"}}}},
	{name: "rust", version: "1.75.0", summary: "The Rust Programming Language", br: []string{"gcc", "cmake", "/usr/bin/python3", "pkgconfig(openssl)"},
		bins: []hubBin{{name: "rust", arch: "x86_64", requires: []string{"libc.so.6()(64bit)", "libgcc_s.so.1()(64bit)", "gcc"}, files: []string{"/usr/bin/rustc"}}, {name: "cargo", arch: "x86_64", requires: []string{"rust = @self", "libc.so.6()(64bit)", "libcurl.so.4()(64bit)"}, files: []string{"/usr/bin/cargo"}}, {name: "cargo-rpm-macros", arch: "noarch", provides: []string{"rust-packaging = 24"}, requires: []string{"cargo", "rust"}}}},
	{name: "ghc", version: "9.4.5", summary: "Glasgow Haskell Compiler", br: []string{"gcc", "ghc-rpm-macros"},
		bins: []hubBin{{name: "ghc", arch: "x86_64", requires: []string{"ghc-base = @self", "gcc"}, files: []string{"/usr/bin/ghc"}}, {name: "ghc-base", arch: "x86_64", provides: []string{"ghc(base-4.17.1.0)", "libHSbase-4.17.1.0-ghc9.4.5.so()(64bit)"}, requires: []string{"libc.so.6()(64bit)"}}, {name: "ghc-rpm-macros", arch: "noarch", requires: []string{"ghc"}}}},
	{name: "nodejs", version: "20.10.0", summary: "JavaScript runtime", br: []string{"gcc-c++", "/usr/bin/python3", "pkgconfig(openssl)", "pkgconfig(zlib)"},
		bins: []hubBin{{name: "nodejs", arch: "x86_64", provides: []string{"/usr/bin/node", "nodejs(engine) = @self", "npm(npm) = 10.2.3"}, requires: []string{"libc.so.6()(64bit)", "libstdc++.so.6()(64bit)", "libssl.so.3()(64bit)", "libz.so.1()(64bit)"}, files: []string{"/usr/bin/node", "/usr/bin/npm"}}, {name: "nodejs-packaging", arch: "noarch", requires: []string{"nodejs"}}}},
	{name: "R", version: "4.3.2", summary: "A language for data analysis and graphics", br: []string{"gcc", "gcc-c++", "pkgconfig(zlib)"},
		bins: []hubBin{{name: "R-core", arch: "x86_64", provides: []string{"R(ABI) = 4.3", "libR.so()(64bit)"}, requires: []string{"libc.so.6()(64bit)", "/bin/sh"}, files: []string{"/usr/bin/R"}}, {name: "R-core-devel", arch: "x86_64", requires: []string{"R-core = @self", "gcc"}}}},
	{name: "pyproject-rpm-macros", version: "1.12.0", summary: "RPM macros for PEP 517 Python packages", eco: EcoPython,
		bins: []hubBin{{name: "pyproject-rpm-macros", arch: "noarch", requires: []string{"/usr/bin/python3", "(pyproject-srpm-macros = @self if pyproject-srpm-macros)"}}, {name: "pyproject-srpm-macros", arch: "noarch"}}},
	{name: "python-setuptools", version: "68.2.0", summary: "Easily build and distribute Python packages", eco: EcoPython, br: []string{"python3-devel", "pyproject-rpm-macros"},
		bins: []hubBin{{name: "python3-setuptools", arch: "noarch", provides: []string{"python3.12dist(setuptools) = 68.2", "python3dist(setuptools) = 68.2"}, requires: []string{"python(abi) = 3.12"}}}},
	{name: "rpm", version: "4.19.1", summary: "The RPM package management system", br: []string{"gcc", "make", "pkgconfig(zlib)", "pkgconfig(liblzma)", "/usr/bin/python3"},
		bins: []hubBin{{name: "rpm", arch: "x86_64", requires: []string{"libc.so.6()(64bit)", "librpm.so.10()(64bit)", "/bin/sh", "coreutils"}, files: []string{"/usr/bin/rpm"}}, {name: "rpm-libs", arch: "x86_64", multilib: true, provides: []string{"librpm.so.10()(64bit)", "librpmio.so.10()(64bit)"}, requires: []string{"libc.so.6()(64bit)", "libz.so.1()(64bit)", "liblzma.so.5()(64bit)"}}, {name: "rpm-build", arch: "x86_64", requires: []string{"rpm = @self", "/bin/sh", "make", "(perl-generators if perl-interpreter)"}, files: []string{"/usr/bin/rpmbuild"}}}},
	{name: "selinux-policy", version: "39.3", summary: "SELinux policy configuration", br: []string{"make", "/usr/bin/python3"},
		bins: []hubBin{{name: "selinux-policy", arch: "noarch", requires: []string{"/bin/sh"}}, {name: "selinux-policy-targeted", arch: "noarch", requires: []string{"selinux-policy = @self", "/bin/sh"}}}},
	{name: "pipewire", version: "1.0.1", summary: "Media Sharing Server", br: []string{"meson", "gcc", "pkgconfig(glib-2.0)", "pkgconfig(libsystemd)"},
		bins: []hubBin{{name: "pipewire", arch: "x86_64", requires: []string{"libc.so.6()(64bit)", "libglib-2.0.so.0()(64bit)", "pipewire-libs = @self"}}, {name: "pipewire-libs", arch: "x86_64", multilib: true, provides: []string{"libpipewire-0.3.so.0()(64bit)"}, requires: []string{"libc.so.6()(64bit)"}}, {name: "pipewire-pulseaudio", arch: "x86_64", provides: []string{"pulseaudio-daemon"}, conflicts: []string{"pulseaudio"}, requires: []string{"pipewire = @self", "libc.so.6()(64bit)"}}}},
	{name: "pulseaudio", version: "16.1", summary: "Improved Linux Sound Server", br: []string{"meson", "gcc", "pkgconfig(glib-2.0)"},
		bins: []hubBin{{name: "pulseaudio", arch: "x86_64", provides: []string{"pulseaudio-daemon"}, requires: []string{"libc.so.6()(64bit)", "libglib-2.0.so.0()(64bit)", "/bin/sh"}}}},
	{name: "filesystem", version: "3.18", summary: "The basic directory layout for a Linux system", br: []string{"/usr/bin/lua"},
		bins: []hubBin{{name: "filesystem", arch: "x86_64", requires: []string{"setup"}, files: []string{"/usr", "/usr/bin", "/etc"}}}},
	{name: "setup", version: "2.14.4", summary: "A set of system configuration and setup files", bins: []hubBin{{name: "setup", arch: "noarch", files: []string{"/etc/passwd", "/etc/group"}}}},
	{name: "basesystem", version: "11", summary: "The skeleton package which defines a simple Fedora system", bins: []hubBin{{name: "basesystem", arch: "noarch", requires: []string{"setup", "filesystem"}}}},
	{name: "ca-certificates", version: "2023.2.60", summary: "The Mozilla CA root certificate bundle", bins: []hubBin{{name: "ca-certificates", arch: "noarch", requires: []string{"/bin/sh", "p11-kit-trust >= 0.23.12"}}}},
	{name: "p11-kit", version: "0.25.3", summary: "Library for loading and sharing PKCS#11 modules", br: []string{"meson", "gcc", "pkgconfig(libffi)"},
		bins: []hubBin{{name: "p11-kit", arch: "x86_64", multilib: true, provides: []string{"libp11-kit.so.0()(64bit)"}, requires: []string{"libc.so.6()(64bit)", "libffi.so.8()(64bit)"}}, {name: "p11-kit-trust", arch: "x86_64", requires: []string{"p11-kit = @self", "/bin/sh"}}}},
	{name: "crypto-policies", version: "20231204", summary: "System-wide crypto policies", br: []string{"/usr/bin/python3"}, bins: []hubBin{{name: "crypto-policies", arch: "noarch", requires: []string{"/bin/sh"}}}},
	{name: "bison", version: "3.8.2", summary: "A GNU general-purpose parser generator", br: []string{"gcc", "make", "m4"}, bins: []hubBin{{name: "bison", arch: "x86_64", requires: []string{"libc.so.6()(64bit)", "m4 >= 1.4"}, files: []string{"/usr/bin/bison"}}}},
	{name: "m4", version: "1.4.19", summary: "GNU macro processor", br: []string{"gcc", "make"}, bins: []hubBin{{name: "m4", arch: "x86_64", requires: []string{"libc.so.6()(64bit)"}, files: []string{"/usr/bin/m4"}}}},
	{name: "gperf", version: "3.1", summary: "A perfect hash function generator", br: []string{"gcc-c++", "make"}, bins: []hubBin{{name: "gperf", arch: "x86_64", requires: []string{"libc.so.6()(64bit)", "libstdc++.so.6()(64bit)"}}}},
	{name: "lua", version: "5.4.6", summary: "Powerful light-weight programming language", br: []string{"gcc", "make", "pkgconfig(ncurses)"}, bins: []hubBin{{name: "lua", arch: "x86_64", provides: []string{"/usr/bin/lua", "lua(abi) = 5.4"}, requires: []string{"lua-libs = @self", "libc.so.6()(64bit)"}, files: []string{"/usr/bin/lua"}}, {name: "lua-libs", arch: "x86_64", multilib: true, provides: []string{"liblua-5.4.so()(64bit)"}, requires: []string{"libc.so.6()(64bit)"}}}},
	{name: "NetworkManager", version: "1.44.2", summary: "Network connection manager and user applications", br: []string{"meson", "gcc", "pkgconfig(glib-2.0)", "pkgconfig(libsystemd)", "pkgconfig(libcurl)"},
		bins: []hubBin{{name: "NetworkManager", arch: "x86_64", provides: []string{"/usr/sbin/NetworkManager"}, requires: []string{"libc.so.6()(64bit)", "libglib-2.0.so.0()(64bit)", "libsystemd.so.0()(64bit)", "libcurl.so.4()(64bit)", "systemd"}}}},
}

// parseDepString reads "name", "name OP evr" with @self standing for the
// package's own version (optionally "E:@self").
func parseDepString(s string) repodata.Dep {
	if strings.HasPrefix(s, "(") {
		return repodata.Dep{Name: s}
	}
	f := strings.Fields(s)
	if len(f) != 3 {
		return repodata.Dep{Name: s}
	}
	fl, err := rpmver.ParseFlags(f[1])
	if err != nil {
		return repodata.Dep{Name: s}
	}
	if f[2] == "@self" {
		return repodata.Dep{Name: f[0], Flags: fl, EVR: evrSelf}
	}
	return repodata.Dep{Name: f[0], Flags: fl, EVR: rpmver.ParseEVR(f[2])}
}

func parseDeps(ss []string) []repodata.Dep {
	if len(ss) == 0 {
		return nil
	}
	out := make([]repodata.Dep, len(ss))
	for i, s := range ss {
		out[i] = parseDepString(s)
	}
	return out
}
