package spec_test

import (
	"fmt"

	"github.com/distmeta/distmeta/metadata/spec"
)

func ExampleParse() {
	src := `%global srcname demo
Name:           python-%{srcname}
Version:        1.4
Release:        %autorelease
Summary:        Demo
License:        MIT
BuildRequires:  python3-devel >= 3.9
%if 0%{?fedora} >= 40
BuildRequires:  python3-pytest
%endif
%ifarch s390x
BuildRequires:  s390-only
%endif
Requires:       perl(:MODULE_COMPAT_%(perl -V:version))

%description
Demo.

%package -n python3-%{srcname}
Summary:        Demo for Python 3

%description -n python3-%{srcname}
Demo.
`
	s, err := spec.Parse([]byte(src), spec.Options{Fedora: "40"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, s.EVR())
	fmt.Println(s.PackageNames())
	for _, d := range s.BuildRequires {
		fmt.Println("BuildRequires:", d)
	}
	for _, u := range s.Unexpanded {
		fmt.Printf("line %d: %s not expanded (%s) in %s\n", u.Line, u.Macro, u.Reason, u.Field)
	}
	// Output:
	// python-demo 1.4-1.fc40
	// [python-demo python3-demo]
	// BuildRequires: python3-devel >= 3.9
	// BuildRequires: python3-pytest
	// line 14: %(perl -V:version) not expanded (shell) in Requires
}

func ExampleFindSpec() {
	_, err := spec.FindSpec([]string{"dead.package"}, "byzanz")
	fmt.Println(err)
	name, _ := spec.FindSpec([]string{".gitignore", "sources", "acpid.spec"}, "acpid")
	fmt.Println(name)
	// Output:
	// byzanz: retired (dead.package): no spec file
	// acpid.spec
}
