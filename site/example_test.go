package site_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/distmeta/distmeta/site"
	"golang.org/x/mod/sumdb/note"
)

func exampleKey() (note.Signer, note.Verifiers) {
	// A fixed key for a reproducible example; use crypto/rand.Reader.
	skey, vkey, _ := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)), "mirror.example")
	s, _ := note.NewSigner(skey)
	v, _ := site.NewVerifiers(vkey)
	return s, v
}

func ExamplePublish() {
	dir, _ := os.MkdirTemp("", "site")
	defer os.RemoveAll(dir)
	signer, verifiers := exampleKey()
	model := site.Model{
		Answers: map[string]map[string][]byte{
			"whatrequires": {"glibc": []byte(`["bash","coreutils"]`), "bash": []byte(`["dnf"]`)},
		},
		Files: map[string][]byte{"comps/Everything.xml": []byte("<comps/>\n")},
	}
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	res, err := site.Publish(context.Background(), dir, model, signer, site.PublishOptions{Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("serial", res.Index.Serial, "expires", res.Index.Expires.Format(time.DateOnly))

	// The reader's side: accept the index, then read one answer.
	msg, _ := os.ReadFile(dir + "/index")
	ix, err := site.VerifyIndex(msg, verifiers, site.TrustedIndex{}, now.Add(time.Hour), site.Policy{})
	if err != nil {
		fmt.Println(err)
		return
	}
	answer, found, err := site.ReadAnswer(context.Background(), site.DirFetcher(dir), ix, "whatrequires", "glibc")
	fmt.Println(string(answer), found, err)
	// Output:
	// serial 1 expires 2024-06-08
	// ["bash","coreutils"] true <nil>
}

func ExampleVerify() {
	dir, _ := os.MkdirTemp("", "site")
	defer os.RemoveAll(dir)
	signer, verifiers := exampleKey()
	model := site.Model{Answers: map[string]map[string][]byte{"component": {"bash": []byte(`{"name":"bash"}`)}}}
	res, _ := site.Publish(context.Background(), dir, model, signer, site.PublishOptions{Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})

	rep, _ := site.Verify(context.Background(), dir, verifiers)
	fmt.Println("ok:", rep.OK())

	os.Remove(dir + "/" + res.Index.Root.Digest.ManifestPath())
	rep, _ = site.Verify(context.Background(), dir, verifiers)
	for _, p := range rep.Problems {
		fmt.Println(p.Path == res.Index.Root.Digest.ManifestPath(), p.Err != nil)
	}
	// Output:
	// ok: true
	// true true
}
