package connectapi

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadAllSized: a body of announced size reads whole, in a buffer of exactly that
// capacity; a short body is io.ErrUnexpectedEOF; unknown sizes read as io.ReadAll does.
func TestReadAllSized(t *testing.T) {
	big := strings.Repeat("x", 200_000)
	for _, tt := range []struct {
		name string
		body string
		size int64
		err  error
	}{
		{"exact", big, int64(len(big)), nil},
		{"one byte", "x", 1, nil},
		{"unknown size", big, -1, nil},
		{"short", big[:1000], 5000, io.ErrUnexpectedEOF},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := readAllSized(iotest.HalfReader(strings.NewReader(tt.body)), tt.size)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.True(t, bytes.Equal(b, []byte(tt.body)), "read %d bytes; want the %d of the body", len(b), len(tt.body))
			if tt.size > 0 {
				assert.Equal(t, int(tt.size), cap(b), "capacity of the buffer of a body of announced size")
			}
		})
	}
	t.Run("longer than announced", func(t *testing.T) {
		b, err := readAllSized(strings.NewReader("abcdef"), 3)
		require.NoError(t, err)
		assert.Equal(t, "abcdef", string(b), "a reader that does not stop at the size is read to its end")
	})
}
