package pages_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/distmeta/distmeta/generator/pages"
)

func ExampleRender() {
	docs := map[string]map[string][]byte{
		"src": {"gcc": []byte(`{"schema":"distmeta.src/1","name":"gcc","repo":"rpms/gcc","binaries":["gcc-c++"]}`)},
		"pkg": {"gcc-c++": []byte(`{"schema":"distmeta.pkg/1","name":"gcc-c++","builds":[{"nevra":"gcc-c++-0:14-1.x86_64","arch":"x86_64","evr":"0:14-1","source":"gcc"}]}`)},
	}
	files, err := pages.Render(context.Background(), docs, pages.Options{})
	if err != nil {
		panic(err)
	}
	for _, p := range pages.Paths(files) {
		if strings.HasSuffix(p, ".html") {
			fmt.Println(p)
		}
	}
	// Output:
	// index.html
	// list/mod-1.html
	// list/pkg-1.html
	// list/src-1.html
	// pkg/gcc-c++.html
	// src/gcc.html
}
