package sim

import (
	"math"
	"math/bits"
)

// sum128 is an exact sum of non-negative int64 values: 128 bits never overflow.
type sum128 struct{ hi, lo uint64 }

func (s *sum128) add(v int64) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, uint64(v), 0)
	s.hi += c
}

func (s *sum128) float() float64 { return float64(s.hi)*0x1p64 + float64(s.lo) }

// cell accumulates the figures of one cell (overall, a queue, a class or an interval) of one
// replication. Its memory is fixed but for the histogram, which grows with the range of
// waits, never with their number.
type cell struct {
	offered, handled, abandoned, waited int64
	left                                int64 // segments transferred out or called back (flows.go)
	waitHandled, waitAll                sum128
	sl                                  []int64
	inversions, overtakes               int64
	waits                               hist
}

func (c *cell) reset(nsl int) {
	h := c.waits
	h.reset()
	sl := c.sl[:0]
	if cap(sl) < nsl {
		sl = make([]int64, nsl)
	}
	sl = sl[:nsl]
	clear(sl)
	*c = cell{sl: sl, waits: h}
}

// handle counts a contact answered after waiting wait, overtaking ahead earlier arrivals.
func (c *cell) handle(wait int64, ahead int, thresholds []int64) {
	c.handled++
	c.waitHandled.add(wait)
	c.waitAll.add(wait)
	c.waits.record(wait)
	if wait > 0 {
		c.waited++
	}
	for i, t := range thresholds {
		if wait <= t {
			c.sl[i]++
		}
	}
	if ahead > 0 {
		c.inversions += int64(ahead)
		c.overtakes++
	}
}

// abandon counts a contact that left the queue after waiting wait.
func (c *cell) abandon(wait int64) {
	c.abandoned++
	c.waitAll.add(wait)
	c.waits.record(wait)
	if wait > 0 {
		c.waited++
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// figures returns the cell's figures, durations in seconds.
func (c *cell) figures() Figures[float64] {
	left := float64(c.handled + c.abandoned)
	f := Figures[float64]{
		Offered:      float64(c.offered),
		Handled:      float64(c.handled),
		Abandoned:    float64(c.abandoned),
		WaitingAtEnd: float64(c.offered - c.handled - c.abandoned - c.left),
		AbandonRate:  ratio(float64(c.abandoned), left),
		PWait:        ratio(float64(c.waited), left),
		ASA:          ratio(c.waitHandled.float(), float64(c.handled)) / 1e9,
		WaitMean:     ratio(c.waitAll.float(), left) / 1e9,
		WaitP50:      c.waits.quantile(0.50) / 1e9,
		WaitP90:      c.waits.quantile(0.90) / 1e9,
		WaitP99:      c.waits.quantile(0.99) / 1e9,
		WaitMax:      math.NaN(),
		ServiceLevel: make([]float64, len(c.sl)),
		Inversions:   float64(c.inversions),
		Overtakes:    float64(c.overtakes),
	}
	if c.waits.n > 0 {
		f.WaitMax = float64(c.waits.max) / 1e9
	}
	for i, k := range c.sl {
		f.ServiceLevel[i] = ratio(float64(k), left)
	}
	return f
}
