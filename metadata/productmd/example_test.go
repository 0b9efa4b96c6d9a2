package productmd_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/distmeta/distmeta/metadata/productmd"
)

func ExampleScanComposes() {
	root, err := os.MkdirTemp("", "composes")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(root)

	// One finished compose, one still running.
	done := testCompose(filepath.Join(root, "Fedora-40-20240501.n.0"), "Fedora-40-20240501.n.0", productmd.StatusFinished)
	running := testCompose(filepath.Join(root, "Fedora-40-20240502.n.0"), "Fedora-40-20240502.n.0", productmd.StatusStarted)
	for _, c := range []*productmd.Compose{done, running} {
		if err := productmd.WriteCompose(c); err != nil {
			fmt.Println(err)
			return
		}
	}

	entries, err := productmd.ScanComposes(context.Background(), root, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range entries {
		switch e.State {
		case productmd.Complete:
			fmt.Println(e.Name, e.State, len(e.Compose.RPMs.List()), "rpms")
		case productmd.Skipped:
			fmt.Println(e.Name, e.State, e.Reason)
		case productmd.Broken:
			fmt.Println(e.Name, e.State, e.Err)
		}
	}
	// Output:
	// Fedora-40-20240501.n.0 complete 3 rpms
	// Fedora-40-20240502.n.0 skipped STATUS is STARTED
}
