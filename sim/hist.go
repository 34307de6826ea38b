package sim

import (
	"math"
	"math/bits"
)

// histBits is log2 of the sub-buckets per power of two: a bucket [lo, lo+w) has w <= lo/128,
// so a quantile read at a bucket's midpoint is within 1/256 (0.4%) of the true value.
const histBits = 7

// histUnit is the histogram's resolution, its lowest discernible value: 1 µs.
const histUnit = 1000

// hist is a log-linear histogram of non-negative durations, in the manner of HdrHistogram:
// in units of histUnit, values below 2^(histBits+1) are counted exactly and larger ones in
// 2^histBits buckets per power of two, so every quantile is within 0.4% of the true value, or
// within 1 µs below 256 µs. The buckets of a power of two are allocated together the first
// time a value falls in it, so memory follows the powers of two seen (half a KiB each, at
// most 57), never the number of values or the horizon. Counts are 32-bit, to halve the memory that
// recording touches; a bucket that reaches 2^32-1 moves its count to a map, so counts stay
// exact. The maximum is kept exactly, in nanoseconds. The zero value is empty and ready to
// use. Not safe for concurrent use.
type hist struct {
	chunks [64 - histBits][]uint32
	over   map[int]uint64 // counts moved out of full buckets, by chunk<<16 | index
	n      uint64
	max    int64
	// inChunk counts the values of each chunk, so that quantile walks the buckets of only
	// the chunk its rank falls in: a replication's figures read three quantiles of every
	// cell, and walking each cell's buckets from the first (about 2,800 for waits up to a
	// few minutes) took 6.5% of BenchmarkSimDefaultCentre/criteria=yes. With it, 10
	// alternating runs: criteria=yes 627k to 678k contacts per CPU-second (+8%, p=0.005),
	// criteria=no 936k to 1,007k (p=0.052), SimContacts 1.441M to 1.489M (p=0.063).
	inChunk [64 - histBits]uint64
}

const histSub = 1 << histBits

// bucket returns the chunk and index of v >= 0.
func bucket(v int64) (chunk, i int) {
	u := uint64(v)
	k := bits.Len64(u)
	if k <= histBits+1 {
		return 0, int(u)
	}
	shift := k - histBits - 1
	return shift, int(u>>shift) - histSub
}

// bounds returns the range [lo, hi] of values counted in (chunk, i).
func bounds(chunk, i int) (lo, hi int64) {
	if chunk == 0 {
		return int64(i), int64(i)
	}
	lo = int64(i+histSub) << chunk
	return lo, lo + 1<<chunk - 1
}

// record counts v (negative values count as 0). The cost is O(1); it allocates only the
// first time a power of two is seen.
func (h *hist) record(v int64) {
	v = max(v, 0)
	c, i := bucket(v / histUnit)
	if h.chunks[c] == nil {
		h.grow(c)
	}
	p := &h.chunks[c][i]
	if *p == math.MaxUint32 {
		h.spill(c, i)
	}
	*p++
	h.inChunk[c]++
	h.n++
	h.max = max(h.max, v)
}

// spill moves the count of a full bucket to h.over.
func (h *hist) spill(c, i int) {
	if h.over == nil {
		h.over = map[int]uint64{}
	}
	h.over[c<<16|i] += uint64(h.chunks[c][i])
	h.chunks[c][i] = 0
}

// grow allocates chunk c. Only c: allocating every chunk below it as well (as before) cleared
// memory for powers of two that waits skip (zero, then seconds), in every cell of every
// engine built: BenchmarkSimDefaultCentre -23% (no criteria) and -35% (criteria) bytes per
// op, +6.1% and +6.3% contacts per CPU-second (p=0.013, 0.001, n=15, alternating runs).
func (h *hist) grow(c int) {
	size := histSub
	if c == 0 {
		size = 2 * histSub
	}
	h.chunks[c] = make([]uint32, size)
}

// quantile returns the q-quantile (0 <= q <= 1) by nearest rank: the smallest recorded
// value v with at least ⌈q·n⌉ values <= v, read at its bucket's midpoint (at its start
// below 256 µs, so that zero reads as zero) and clamped to the exact maximum. It returns NaN
// when the histogram is empty. The cost is O(chunks + buckets per chunk): it walks the
// buckets of only the chunk the rank falls in.
func (h *hist) quantile(q float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = max(rank, 1)
	var seen uint64
	for c := range h.chunks {
		if seen+h.inChunk[c] < rank {
			seen += h.inChunk[c]
			continue
		}
		for i, k32 := range h.chunks[c] {
			k := uint64(k32)
			if len(h.over) > 0 {
				k += h.over[c<<16|i]
			}
			if k == 0 {
				continue
			}
			seen += k
			if seen >= rank {
				lo, hi := bounds(c, i)
				// The bucket holds [lo, hi+1) units: its midpoint is within half its width,
				// 1/256 of lo, of any value in it.
				mid := float64(lo+hi+1) / 2 * histUnit
				if c == 0 {
					mid = float64(lo) * histUnit
				}
				return math.Min(mid, float64(h.max))
			}
		}
	}
	return float64(h.max)
}

// reset empties the histogram, keeping its buckets for reuse.
func (h *hist) reset() {
	for _, ch := range h.chunks {
		clear(ch)
	}
	clear(h.over)
	h.n, h.max, h.inChunk = 0, 0, [64 - histBits]uint64{}
}
