// Package prefetch starts cache-line loads that a caller is sure to need soon, so that a miss
// overlaps other work (taking a lock, hashing, a sift) instead of stalling it. It changes no
// memory and never faults. It is internal: an implementation aid of queue and routing, not
// part of routesim's API. On processors other than amd64 and arm64 every function is a no-op.
package prefetch

import "unsafe"

// String starts loading the bytes of s. A caller about to hash or compare a string that has
// not been read lately, with other work to do first, calls String before that work.
func String(s string) {
	if len(s) > 0 {
		Pointer(unsafe.Pointer(unsafe.StringData(s)))
	}
}
