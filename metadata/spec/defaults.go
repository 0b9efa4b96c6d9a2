package spec

import (
	"fmt"
	"sort"
	"strings"
)

// commonMacros are the distro macros every spec may rely on, in rpm's
// macro file syntax. Paths follow Fedora's redhat-rpm-config.
//
// %autorelease is what rpmautospec's fallback gives without git history:
// release 1 (or -b N), "0." before it with -p, .extraver (-e) and
// .snapinfo (-s) after it, then %{?dist}. %autochangelog expands to
// nothing: the real changelog lives in git history, which the spec reader
// does not see.
const commonMacros = `
%nil			%{!?nil}
%_usr			/usr
%_var			/var
%_prefix		/usr
%_exec_prefix		%{_prefix}
%_bindir		%{_exec_prefix}/bin
%_sbindir		%{_exec_prefix}/sbin
%_libexecdir		%{_exec_prefix}/libexec
%_datarootdir		%{_prefix}/share
%_datadir		%{_datarootdir}
%_sysconfdir		/etc
%_sharedstatedir	/var/lib
%_localstatedir		/var
%_rundir		/run
%_libdir		%{_prefix}/%{_lib}
%_includedir		%{_prefix}/include
%_infodir		%{_datarootdir}/info
%_mandir		%{_datarootdir}/man
%_docdir		%{_datadir}/doc
%_pkgdocdir		%{_docdir}/%{name}
%_defaultdocdir		%{_datadir}/doc
%_licensedir		%{_datadir}/licenses
%_defaultlicensedir	%{_datadir}/licenses
%_tmppath		/var/tmp
%_topdir		/builddir/build
%_sourcedir		%{_topdir}/SOURCES
%_builddir		%{_topdir}/BUILD
%_rpmdir		%{_topdir}/RPMS
%_srcrpmdir		%{_topdir}/SRPMS
%_specdir		%{_topdir}/SPECS
%_unitdir		/usr/lib/systemd/system
%_userunitdir		/usr/lib/systemd/user
%_presetdir		/usr/lib/systemd/system-preset
%_tmpfilesdir		/usr/lib/tmpfiles.d
%_sysusersdir		/usr/lib/sysusers.d
%_udevrulesdir		/usr/lib/udev/rules.d
%_udevhwdbdir		/usr/lib/udev/hwdb.d
%_modulesloaddir	/usr/lib/modules-load.d
%_modprobedir		/usr/lib/modprobe.d
%_vendor		redhat
%_target_os		linux
%_host_os		linux
%_os			linux
%_hardened_build	1
%__perl			/usr/bin/perl
%__python3		/usr/bin/python3
%__make			/usr/bin/make
%__cc			gcc
%__cxx			g++
%__cpp			gcc -E
%__install		/usr/bin/install
%__id_u			/usr/bin/id -u
%python3_pkgversion	3
%python3_version	3.12
%python3_version_nodots	312
%python3_sitelib	/usr/lib/python%{python3_version}/site-packages
%python3_sitearch	/usr/%{_lib}/python%{python3_version}/site-packages
%perl_vendorlib		/usr/share/perl5/vendor_perl
%perl_vendorarch	/usr/%{_lib}/perl5/vendor_perl
%perl_privlib		/usr/share/perl5
%perl_archlib		/usr/%{_lib}/perl5
%ix86			i386 i486 i586 i686 pentium3 pentium4 athlon geode
%x86_64			x86_64 amd64 em64t
%arm32			armv3l armv4b armv4l armv4tl armv5tl armv5tel armv5tejl armv6l armv6hl armv7l armv7hl armv7hnl armv8l armv8hl armv8hnl armv8hcnl
%arm			%{arm32}
%arm64			aarch64
%power64		ppc64 ppc64p7 ppc64le
%mips32			mips mipsel mipsr6 mipsr6el
%mips64			mips64 mips64el mips64r6 mips64r6el
%mips			%{mips32} %{mips64}
%riscv32		riscv32
%riscv64		riscv64
%riscv128		riscv128
%riscv			%{riscv32} %{riscv64} %{riscv128}
%sparc			sparc sparcv8 sparcv9 sparcv9v sparc64 sparc64v
%alpha			alpha alphaev56 alphaev6 alphaev67
%golang_arches		%{ix86} x86_64 %{arm} aarch64 ppc64le s390x
%nodejs_arches		%{ix86} x86_64 %{arm} aarch64 %{power64} s390x
%_isa			%{?__isa:(%{__isa})}%{!?__isa:%{nil}}
%__isa			%{__isa_name}-%{__isa_bits}
%bcond()	%[ (%2)\
    ? "%{expand:%%{!?_without_%{1}:%%global with_%{1} 1}}"\
    : "%{expand:%%{?_with_%{1}:%%global with_%{1} 1}}"\
]
%bcond_with()		%bcond %{1} 0
%bcond_without()	%bcond %{1} 1
%with()			%{expand:%%{?with_%{1}:1}%%{!?with_%{1}:0}}
%without()		%{expand:%%{?with_%{1}:0}%%{!?with_%{1}:1}}
%autorelease(e:s:pb:n)	%{?-p:0.}%{?-b:%{-b*}}%{!?-b:1}%{?-e:.%{-e*}}%{?-s:.%{-s*}}%{?dist}
%autochangelog		%{nil}
%ldconfig_scriptlets(n:)	%{nil}
`

// archInfo is what differs between target arches.
type archInfo struct{ lib, isaName, isaBits string }

var arches = map[string]archInfo{
	"x86_64":  {"lib64", "x86", "64"},
	"i686":    {"lib", "x86", "32"},
	"aarch64": {"lib64", "aarch", "64"},
	"armv7hl": {"lib", "armv7hl", "32"},
	"ppc64le": {"lib64", "ppc", "64"},
	"ppc64":   {"lib64", "ppc", "64"},
	"s390x":   {"lib64", "s390", "64"},
	"riscv64": {"lib64", "riscv", "64"},
	"noarch":  {"lib", "noarch", "32"},
}

// DefaultMacros returns the built-in distro macro table for a target arch
// (x86_64 when empty) in rpm's macro file syntax; rpm can load the same
// text (rpmspec --load). Macros implemented in Go (%pypi_source) are not
// in it.
func DefaultMacros(arch string) string {
	if arch == "" {
		arch = "x86_64"
	}
	ai, ok := arches[arch]
	if !ok {
		ai = archInfo{"lib64", arch, "64"}
	}
	var b strings.Builder
	b.WriteString(commonMacros)
	fmt.Fprintf(&b, "%%_arch\t\t\t%s\n%%_target_cpu\t\t%s\n%%_build_arch\t\t%s\n%%_host_cpu\t\t%s\n", arch, arch, arch, arch)
	fmt.Fprintf(&b, "%%_lib\t\t\t%s\n%%__isa_name\t\t%s\n%%__isa_bits\t\t%s\n", ai.lib, ai.isaName, ai.isaBits)
	return b.String()
}

// Options choose the target the spec is read for. The zero value reads
// for x86_64 Linux with %fedora, %rhel and %dist undefined.
type Options struct {
	Arch   string // target arch for %ifarch and %_arch; "" is x86_64
	OS     string // target OS for %ifos; "" is linux
	Fedora string // value of %fedora ("40"); "" leaves it undefined
	RHEL   string // value of %rhel ("9"); "" leaves it undefined
	// Dist is %dist; when empty it is ".fc<Fedora>" or ".el<RHEL>" if
	// either is set, else undefined.
	Dist string
	// Macros is extra macro file text loaded after the defaults.
	Macros string
	// Defines are single definitions loaded last, like rpm --define:
	// the key is the name (optionally with "(opts)"), the value the body.
	Defines map[string]string
	// NoDefaultMacros leaves DefaultMacros out.
	NoDefaultMacros bool
}

func (o Options) arch() string {
	if o.Arch == "" {
		return "x86_64"
	}
	return o.Arch
}

func (o Options) os() string {
	if o.OS == "" {
		return "linux"
	}
	return o.OS
}

func (o Options) dist() string {
	switch {
	case o.Dist != "":
		return o.Dist
	case o.Fedora != "":
		return ".fc" + o.Fedora
	case o.RHEL != "":
		return ".el" + o.RHEL
	}
	return ""
}

// MacroFile returns every definition Options load (defaults, %fedora,
// %rhel, %dist, Macros, Defines) as one macro file, in load order.
func MacroFile(o Options) string {
	var b strings.Builder
	if !o.NoDefaultMacros {
		b.WriteString(DefaultMacros(o.arch()))
	}
	if o.Fedora != "" {
		fmt.Fprintf(&b, "%%fedora %s\n", o.Fedora)
	}
	if o.RHEL != "" {
		fmt.Fprintf(&b, "%%rhel %s\n", o.RHEL)
	}
	if d := o.dist(); d != "" {
		fmt.Fprintf(&b, "%%dist %s\n", d)
	}
	b.WriteString(o.Macros)
	b.WriteByte('\n')
	keys := make([]string, 0, len(o.Defines))
	for k := range o.Defines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%%%s %s\n", k, o.Defines[k])
	}
	return b.String()
}

// loadMacroFile defines every "%name body" entry of a macro file.
func (e *engine) loadMacroFile(text string) error {
	line := 1
	for i := 0; i < len(text); {
		// at the start of a line
		if text[i] == '%' {
			d, n, err := parseDefinition(text[i+1:])
			if err != nil {
				return fmt.Errorf("macros: line %d: %w", line, err)
			}
			e.define(d.name, d.opts, d.params, d.body)
			line += strings.Count(text[i:i+1+n], "\n")
			i += 1 + n
		}
		k := strings.IndexByte(text[i:], '\n')
		if k < 0 {
			break
		}
		i += k + 1
		line++
	}
	return nil
}

// pypiSource implements Fedora's %pypi_source [name [version [ext]]]
// (a Lua macro in python-rpm-macros): the name defaults to %srcname, then
// %pypi_name, then %name; the version to %version with tildes removed.
func pypiSource(e *engine, fr *frame, args []string) (string, bool) {
	get := func(i int, def string) (string, bool) {
		if i < len(args) {
			return args[i], true
		}
		out, err := e.expand(def, fr, 1)
		if err != nil || strings.Contains(out, "%") {
			return "", false
		}
		return out, true
	}
	name, ok1 := get(0, "%{?srcname}%{!?srcname:%{?pypi_name}%{!?pypi_name:%{name}}}")
	ver, ok2 := get(1, "%{version}")
	if len(args) < 2 {
		ver = strings.ReplaceAll(ver, "~", "")
	}
	ext, _ := get(2, "tar.gz")
	if !ok1 || !ok2 || name == "" {
		return "", false
	}
	return fmt.Sprintf("https://files.pythonhosted.org/packages/source/%c/%s/%s-%s.%s", name[0], name, name, ver, ext), true
}
