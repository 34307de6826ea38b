package connectapi

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestFormatRequestID: the request ID is the UUID shape fmt would write from the same
// base and sequence number.
func TestFormatRequestID(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b, n := rapid.Uint64().Draw(t, "base"), rapid.Uint64().Draw(t, "seq")
		want := fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(b>>32), uint16(b>>16), b&0xfff, (n>>48)&0xfff, n&(1<<48-1))
		if got := formatRequestID(b, n); got != want {
			t.Fatalf("formatRequestID(%#x, %#x) = %s; want %s", b, n, got, want)
		}
	})
}
