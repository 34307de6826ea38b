package connectapi

import (
	"errors"
	"io"
)

// readAllSized reads r to its end, as io.ReadAll does, for a body that announced size bytes
// (-1: unknown). io.ReadAll grows its buffer by doubling from 512 bytes, so a 1 MiB body can
// hold 2 MiB; with the size known, the buffer grows by doubling up to exactly size, so a
// body that has arrived holds its own size (what mattered with hundreds of stalled 1 MiB
// bodies: RSS 670 MB with io.ReadAll, see docs/emulator.md). The cost is O(size).
func readAllSized(r io.Reader, size int64) ([]byte, error) {
	if size <= 0 || size > MaxBodyBytes {
		return io.ReadAll(r)
	}
	n := int(size)
	b := make([]byte, 0, min(n, 64<<10))
	for len(b) < n {
		if len(b) == cap(b) {
			nb := make([]byte, len(b), min(2*cap(b), n))
			copy(nb, b)
			b = nb
		}
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if errors.Is(err, io.EOF) {
			if len(b) == n {
				return b, nil
			}
			return b, io.ErrUnexpectedEOF
		}
		if err != nil {
			return b, err
		}
	}
	// The body ends at its announced size (net/http's body reader stops there); one more
	// read only checks it.
	var one [1]byte
	if m, err := r.Read(one[:]); m > 0 {
		rest, err := io.ReadAll(r)
		return append(append(b, one[:m]...), rest...), err
	} else if err != nil && !errors.Is(err, io.EOF) {
		return b, err
	}
	return b, nil
}
