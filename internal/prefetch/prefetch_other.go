//go:build !amd64 && !arm64

package prefetch

import "unsafe"

// Pointer does nothing on this architecture; see prefetch.go.
func Pointer(unsafe.Pointer) {}
