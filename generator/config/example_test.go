package config_test

import (
	"fmt"
	"strings"

	"github.com/distmeta/distmeta/generator/config"
)

func ExampleParse() {
	c, err := config.Parse(strings.NewReader("composes: composes\nexpires: 7d\nkeep: 3\n"), "distmeta.yaml")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Composes, c.Expires, c.Keep)
	_, err = config.Parse(strings.NewReader("composes: c\noutput: site\n"), "distmeta.yaml")
	fmt.Println(err)
	// Output:
	// composes 168h0m0s 3
	// distmeta.yaml: line 2: invalid configuration: unknown setting "output" (known: distgit, composes, builds, results, variants, mirrors, state, out, key, origin, expires, keep, jobs)
}
