package distgit_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/distmeta/distmeta/internal/distgit"
)

// A generated repository, walked, and a history question answered.
func ExampleWalk() {
	root, _ := os.MkdirTemp("", "distgit-example")
	defer os.RemoveAll(root)
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	who := func(t time.Time) distgit.Signature {
		return distgit.Signature{Name: "Packager", Email: "p@example.org", When: t}
	}
	_, err := distgit.WriteRepo(filepath.Join(root, "rpms", "hello.git"), distgit.Push{
		Commits: []distgit.CommitSpec{
			{ID: "1", Author: who(at), Message: "Initial import", Files: map[string][]byte{"hello.spec": []byte("Name: hello\n")}},
			{ID: "2", Parents: []string{"1"}, Author: who(at.Add(24 * time.Hour)), Message: "Update", Files: map[string][]byte{"hello.spec": []byte("Name: hello\nVersion: 2\n")}},
		},
		Refs: map[string]string{"rawhide": "2"},
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := distgit.Walk(context.Background(), root, distgit.Options{})
	if err != nil {
		log.Fatal(err)
	}
	repo := &res.Repos[0]
	b := repo.Branch("rawhide")
	fmt.Println(repo.Name, b.Name, b.File, b.Files)
	var empty *distgit.Log // no state folder: history is derived
	pos, _ := empty.At(repo, "rawhide", at.Add(time.Hour))
	fmt.Println(pos.Source, pos.Commit.Subject)
	// Output:
	// rpms/hello rawhide hello.spec [hello.spec]
	// derived Initial import
}
