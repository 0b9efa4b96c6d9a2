package modulemd_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/distmeta/distmeta/metadata/modulemd"
)

func ExampleReadAll() {
	const modulesYAML = `---
document: modulemd-defaults
version: 1
data:
  module: python
  stream: "3.10"
  profiles: {"3.10": [default]}
...
---
document: modulemd
version: 2
data:
  name: python
  stream: 3.10
  version: 20240101000000
  context: 9edba152
  arch: x86_64
  summary: Python
  description: The Python interpreter.
  license: {module: [MIT]}
  dependencies:
  - buildrequires: {platform: [f40]}
    requires: {platform: [f40]}
  xmd: {mbs: {rpms: {python3: {ref: 4b3a1f0}}}}
  components:
    rpms:
      python3: {rationale: The interpreter., ref: f40}
...
`
	x, err := modulemd.ReadAll(strings.NewReader(modulesYAML), "modules.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range x.Streams() {
		fmt.Println(s.NSVCA(), s.Dependencies[0].Requires["platform"], s.BuiltRefs())
	}
	fmt.Println("default stream:", x.Modules["python"].Defaults.Stream)

	// Write the stream back; "3.10" stays a string.
	enc := modulemd.NewEncoder(os.Stdout)
	if err := enc.Encode(&modulemd.Stream{Name: "python", Stream: "3.10", Summary: "s", Description: "d",
		License: modulemd.License{Module: []string{"MIT"}}}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// python:3.10:20240101000000:9edba152:x86_64 [f40] map[python3:4b3a1f0]
	// default stream: 3.10
	// ---
	// document: modulemd
	// version: 2
	// data:
	//   name: python
	//   stream: "3.10"
	//   summary: s
	//   description: d
	//   license:
	//     module:
	//       - MIT
	// ...
}
