package prefetch_test

import (
	"testing"

	"github.com/routesim/routesim/internal/prefetch"
)

// TestNeverFaults calls the prefetch helpers on addresses a load would fault on: a prefetch
// must not (a MOV in place of PREFETCHT0 would crash here).
func TestNeverFaults(t *testing.T) {
	prefetch.String("")
	prefetch.String("c1")
	prefetch.Pointer(nil)
}
