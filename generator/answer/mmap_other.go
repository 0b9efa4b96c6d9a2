//go:build !unix

package answer

import "os"

// mapFile reads a file whole (no mapping on this system).
func mapFile(name string) ([]byte, error) { return os.ReadFile(name) }
