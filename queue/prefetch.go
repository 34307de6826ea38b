//go:build amd64 || arm64

package queue

import "unsafe"

// prefetch asks the processor to bring the cache line holding p toward the core, and returns
// at once: unlike a load, it never holds up the instructions after it while the line is on
// its way, and it never faults. The queue calls it for lines that a later step, its own or
// its caller's, is sure to read, so that a miss overlaps the work in between. It is written
// in assembly (PREFETCHT0, PRFM PLDL1KEEP) because Go has no prefetch a package can call;
// prefetch_other.go makes it a no-op elsewhere.
//
//go:noescape
func prefetch(p unsafe.Pointer)
