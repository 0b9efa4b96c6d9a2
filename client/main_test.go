package client_test

import (
	"os"
	"testing"

	"github.com/distmeta/distmeta/client/mirrortest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	mirrortest.RemoveWorld()
	os.Exit(code)
}
