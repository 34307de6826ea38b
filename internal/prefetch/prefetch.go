//go:build amd64 || arm64

package prefetch

import "unsafe"

// Pointer asks the processor to bring the cache line holding p toward the core, and returns
// at once: unlike a load, it never holds up the instructions after it while the line is on
// its way, and it never faults, whatever p holds. It is written in assembly (PREFETCHT0,
// PRFM PLDL1KEEP) because Go has no prefetch a package can call; prefetch_other.go makes it
// a no-op elsewhere.
//
//go:noescape
func Pointer(p unsafe.Pointer)
