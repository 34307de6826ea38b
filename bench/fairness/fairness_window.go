package fairness

import "math"

// windowP99 tracks the worst p99 of waits over sliding windows of the time contacts leave the
// queue. With h = width/2, window k covers [k·h, k·h + width): windows overlap by half, and
// every time lies in exactly two of them, k = floor(t/h) - 1 and floor(t/h). Times come in
// non-decreasing order, so a window closes for good when a time reaches its end; only two
// windows are open at once, each a logHist.
type windowP99 struct {
	half     float64
	minCount uint64
	hist     [2]logHist // hist[k&1] holds window k
	k        [2]int64
	open     [2]bool
	worst    float64
	start    float64 // start of the worst window
	scored   int     // windows scored
}

// add records a wait of a contact that left the queue at time t. The cost is O(1) amortized,
// plus O(buckets) when a window closes.
func (w *windowP99) add(t, wait float64) {
	m := int64(math.Floor(t / w.half))
	for _, k := range [2]int64{m - 1, m} {
		s := k & 1
		if w.open[s] && w.k[s] != k { // an older window of the same parity: it has ended
			w.score(s)
			w.open[s] = false
		}
		if !w.open[s] {
			w.hist[s].reset()
			w.k[s], w.open[s] = k, true
		}
		w.hist[s].add(wait)
	}
}

// score compares the p99 of window slot s with the worst so far, if the window holds enough
// waits.
func (w *windowP99) score(s int64) {
	h := &w.hist[s]
	if h.n == 0 || h.n < w.minCount {
		return
	}
	if p := h.quantile(0.99); w.scored == 0 || p > w.worst {
		w.worst, w.start = p, float64(w.k[s])*w.half
	}
	w.scored++
}

// result returns the worst window p99 and its window's start, scoring the windows still open
// as they stand without closing them, and the number of windows scored; zeros when no window
// held enough waits.
func (w *windowP99) result() (p99, start float64, windows int) {
	saved := *w // score mutates only the worst-so-far fields
	for s := range int64(2) {
		if saved.open[s] {
			saved.score(s)
		}
	}
	return saved.worst, saved.start, saved.scored
}
