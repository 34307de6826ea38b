//go:build !amd64 && !arm64

package queue

import "unsafe"

// prefetch does nothing on this architecture; see prefetch.go.
func prefetch(unsafe.Pointer) {}
