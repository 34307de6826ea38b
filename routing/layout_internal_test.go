package routing

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// TestRecordFillsFourLines keeps a record at 256 bytes, a size class whose objects start on a
// cache line: a record then spans exactly the four lines prefetchRecord loads, and a field
// added past that grows every record to the 288-byte class, unaligned (see record.cs).
func TestRecordFillsFourLines(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("the layout is planned for 64-bit platforms")
	}
	require.Equal(t, uintptr(256), unsafe.Sizeof(record{}))
	require.Less(t, unsafe.Offsetof(record{}.cs), unsafe.Offsetof(record{}.routedAt),
		"cs must be among the fields routing reads first, before routedAt")
}
