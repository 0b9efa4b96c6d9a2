package answers_test

import (
	"fmt"
	"time"

	"github.com/distmeta/distmeta/site/answers"
)

func ExampleHistory_At() {
	h := &answers.History{
		Repo: "rpms/bash", Branch: "f40",
		Commits: []answers.Commit{
			{Hash: "bbbb", Time: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)},
			{Hash: "aaaa", Time: time.Date(2024, 2, 13, 12, 0, 0, 0, time.UTC)},
		},
	}
	p := h.At(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(p.Hash, p.Source)
	// Output: aaaa derived
}

func ExampleClosure() {
	pkgs := map[string]*answers.Package{
		"vim": {Name: "vim", Builds: []answers.PackageBuild{{NEVRA: "vim-2:9.1-1.x86_64",
			Requires: []answers.Requirement{{Dep: "libc.so.6()(64bit)", Chosen: "glibc-0:2.39-1.x86_64",
				Providers: []answers.Provider{{NEVRA: "glibc-0:2.39-1.x86_64", Name: "glibc"}}}}}}},
		"glibc": {Name: "glibc", Builds: []answers.PackageBuild{{NEVRA: "glibc-0:2.39-1.x86_64"}}},
	}
	lookup := func(n string) (*answers.Package, bool, error) { p, ok := pkgs[n]; return p, ok, nil }
	c, _ := answers.Closure(lookup, "vim")
	fmt.Println(c)
	// Output: [glibc-0:2.39-1.x86_64 vim-2:9.1-1.x86_64]
}
