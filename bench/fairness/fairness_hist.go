package fairness

import (
	"math"
	"slices"
)

// histShift selects the bucket of a positive float64 from its bit pattern: the bits above
// histShift are the 11 exponent bits and the top 52-histShift = 6 mantissa bits, so each
// octave [2^e, 2^(e+1)) is cut into 64 buckets of equal width 2^e/64. Positive floats order
// like their bit patterns, so the bucket index grows with the value.
const histShift = 46

// HistRelErr bounds the relative error of the wait percentiles in a Report: a
// percentile is reported as the midpoint of its bucket (clamped to the exact minimum and
// maximum), which lies within half a bucket width, 2^e/128, of any value of the bucket, and
// every value of the bucket is at least 2^e. The bound holds for normal floats (every wait
// above 2.3e-308 s); waits of exactly 0 are counted exactly.
const HistRelErr = 1.0 / 128

// logHist is a log-bucketed histogram of non-negative finite values with relative error at
// most HistRelErr, the exact count, minimum and maximum, and a separate count of zeros.
// Memory grows with the dynamic range of the values (64 buckets of 8 bytes per octave
// between the smallest and the largest positive value), never with their count. The zero
// value is an empty histogram. A logHist is not safe for concurrent use.
type logHist struct {
	counts   []uint64 // counts[i] counts the values of bucket off+i
	off      int      // bucket index of counts[0]
	zeros    uint64   // values equal to 0
	n        uint64   // all values
	min, max float64  // exact, over all values; meaningful when n > 0
}

func histBucket(x float64) int { return int(math.Float64bits(x) >> histShift) }

// add records x, which must be finite and >= 0 (the caller checks). The cost is O(1)
// amortized; the bucket slice grows when x widens the range seen so far.
func (h *logHist) add(x float64) {
	if h.n == 0 || x < h.min {
		h.min = x
	}
	if h.n == 0 || x > h.max {
		h.max = x
	}
	h.n++
	if x == 0 {
		h.zeros++
		return
	}
	b := histBucket(x)
	switch {
	case len(h.counts) == 0:
		h.counts = append(h.counts[:0], 0)
		h.off = b
	case b < h.off:
		grow := h.off - b
		h.counts = slices.Insert(h.counts, 0, make([]uint64, grow)...)
		h.off = b
	case b >= h.off+len(h.counts):
		h.counts = append(h.counts, make([]uint64, b-h.off-len(h.counts)+1)...)
	}
	h.counts[b-h.off]++
}

// reset empties h and keeps its buckets' memory. The cost is O(buckets).
func (h *logHist) reset() {
	clear(h.counts)
	h.counts = h.counts[:0]
	h.off, h.zeros, h.n, h.min, h.max = 0, 0, 0, 0, 0
}

// quantile returns the nearest-rank p-quantile, the value of rank ceil(p·n) (at least 1) in
// ascending order, within relative error HistRelErr; 0 when h is empty. p is clamped to
// [0, 1]. The cost is O(buckets).
func (h *logHist) quantile(p float64) float64 {
	if h.n == 0 {
		return 0
	}
	r := histRank(p, h.n)
	if r == h.n {
		return h.max
	}
	if r <= h.zeros {
		return 0
	}
	seen := h.zeros
	for i, c := range h.counts {
		seen += c
		if seen >= r {
			b := uint64(h.off + i)
			lo := math.Float64frombits(b << histShift)
			hi := math.Float64frombits((b + 1) << histShift)
			return min(max(lo+(hi-lo)/2, h.min), h.max)
		}
	}
	return h.max // unreachable: the counts sum to n
}

// histRank returns the nearest rank ceil(p·n), clamped to [1, n], for n > 0.
func histRank(p float64, n uint64) uint64 {
	if !(p > 0) {
		return 1
	}
	if p >= 1 {
		return n
	}
	r := uint64(math.Ceil(p * float64(n)))
	return min(max(r, 1), n)
}
