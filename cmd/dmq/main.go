// Command dmq asks a published distmeta site questions, fetching only the
// objects a question needs, verifying them and answering offline from its
// cache afterwards.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dmq:", err)
		os.Exit(exitCode(err))
	}
}
