package fairness

import (
	"cmp"
	"math"
	"slices"
)

// Inversions returns the number of pairs i < j with seqs[i] > seqs[j]. Read seqs as the
// arrival sequence numbers of contacts listed in the order they were served: the result is
// the number of pairs in which the later arrival was served first. Equal values form no
// inversion. seqs is not modified. The cost is O(n log n) time (a merge sort) and O(n) memory.
func Inversions(seqs []uint64) uint64 {
	if len(seqs) < 2 {
		return 0
	}
	a := slices.Clone(seqs)
	return mergeCount(a, make([]uint64, len(a)))
}

// mergeCount sorts a ascending, using buf (len(buf) >= len(a)) as scratch, and returns the
// number of pairs i < j of the input with a[i] > a[j]. Floats must not be NaN.
func mergeCount[T cmp.Ordered](a, buf []T) uint64 {
	if len(a) < 2 {
		return 0
	}
	m := len(a) / 2
	inv := mergeCount(a[:m], buf) + mergeCount(a[m:], buf)
	i, j, k := 0, m, 0
	for i < m && j < len(a) {
		if a[j] < a[i] {
			inv += uint64(m - i) // a[j] precedes every element left in the left half
			buf[k] = a[j]
			j++
		} else {
			buf[k] = a[i]
			i++
		}
		k++
	}
	k += copy(buf[k:], a[i:m])
	copy(buf[k:], a[j:])
	copy(a, buf[:len(a)])
	return inv
}

// KendallTau returns Kendall's rank correlation between arrival order and service order for
// contacts listed in service order by their distinct arrival sequence numbers: 1 - 4·inv /
// (n(n-1)), with inv = Inversions(seqs). It is 1 when contacts were served in arrival order,
// -1 when in reverse. With fewer than two contacts no pair can be out of order and the result
// is 1. Repeated values make the formula inexact: use KendallTauB for data with ties. The
// cost is that of Inversions.
func KendallTau(seqs []uint64) float64 {
	return tauFromInversions(Inversions(seqs), uint64(len(seqs)))
}

// tauFromInversions returns Kendall's tau (tau-a, exact without ties) of n items with inv
// discordant pairs; 1 when n < 2.
func tauFromInversions(inv, n uint64) float64 {
	if n < 2 {
		return 1
	}
	pairs := float64(n) * float64(n-1) / 2
	return 1 - 2*float64(inv)/pairs
}

// KendallTauB returns Kendall's tau-b between x and y, which must have the same length:
// (C - D) / sqrt((P - Tx)(P - Ty)), with C and D the concordant and discordant pairs, P =
// n(n-1)/2 and Tx, Ty the pairs tied in x and in y. Without ties it equals tau-a. Pass arrival
// and service (start) times to measure how closely service followed arrival when times tie.
// The result is NaN when it is undefined: fewer than two points, every x equal, or every y
// equal; or when x or y holds a NaN. It panics if the lengths differ. The cost is
// O(n log n) time (Knight's algorithm, 1966) and O(n) memory.
func KendallTauB(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("fairness: KendallTauB: x and y differ in length")
	}
	n := len(x)
	if n < 2 || slices.ContainsFunc(x, math.IsNaN) || slices.ContainsFunc(y, math.IsNaN) {
		return math.NaN()
	}
	type pt struct{ x, y float64 }
	ps := make([]pt, n)
	for i := range ps {
		ps[i] = pt{x[i], y[i]}
	}
	slices.SortFunc(ps, func(a, b pt) int {
		return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.y, b.y))
	})
	// Pairs tied in x (tx) and tied in both (txy), from runs of the sorted points.
	var tx, txy uint64
	for i := 0; i < n; {
		j, k := i+1, i
		for ; j < n && ps[j].x == ps[i].x; j++ {
			if ps[j].y != ps[k].y {
				txy += tiedPairs(j - k)
				k = j
			}
		}
		txy += tiedPairs(j - k)
		tx += tiedPairs(j - i)
		i = j
	}
	// Sorting the y's, already in (x, y) order, by y counts the discordant pairs: a swap moves
	// a strictly smaller y ahead of a larger one, and pairs tied in x are already in y order.
	ys := make([]float64, n)
	for i, p := range ps {
		ys[i] = p.y
	}
	disc := mergeCount(ys, make([]float64, n))
	var ty uint64
	for i := 0; i < n; {
		j := i + 1
		for j < n && ys[j] == ys[i] {
			j++
		}
		ty += tiedPairs(j - i)
		i = j
	}
	p := tiedPairs(n)
	den := math.Sqrt(float64(p-tx)) * math.Sqrt(float64(p-ty))
	if den == 0 {
		return math.NaN()
	}
	// C - D = (P - Tx - Ty + Txy) - 2D: every pair not tied in x or y is concordant or discordant.
	num := float64(p) - float64(tx) - float64(ty) + float64(txy) - 2*float64(disc)
	return num / den
}

func tiedPairs(k int) uint64 { return uint64(k) * uint64(k-1) / 2 }

// Slot states of orderCounter: a class index (>= 0) marks a served contact.
const (
	slotUnseen    int32 = -1 // not added or skipped yet
	slotAbandoned int32 = -2 // added, not served
	slotSkipped   int32 = -3 // declared never to be added
)

// seqFenwick is a Fenwick (binary indexed) tree of counts over slots 0..len-1.
type seqFenwick []int32

// inc adds 1 at slot i. The cost is O(log len).
func (f seqFenwick) inc(i int) {
	for i++; i <= len(f); i += i & -i {
		f[i-1]++
	}
}

// prefix returns the count over slots 0..i. The cost is O(log len).
func (f seqFenwick) prefix(i int) int64 {
	var s int64
	for i++; i > 0; i -= i & -i {
		s += int64(f[i-1])
	}
	return s
}

// build sets f to the tree of the indicator in(i) over slots 0..len-1. The cost is O(len).
func (f seqFenwick) build(in func(i int) bool) {
	for i := range f {
		f[i] = 0
		if in(i) {
			f[i] = 1
		}
	}
	for i := 1; i <= len(f); i++ {
		if j := i + i&-i; j <= len(f) {
			f[j-1] += f[i-1]
		}
	}
}

// orderCounter counts, as contacts leave the queue one at a time in service order, the
// pairs of served contacts in which the later arrival was served first, overall and within
// each class. A contact served with arrival sequence s forms one such pair with every
// contact served before it whose sequence is larger; each pair is counted once, when its
// later-served member leaves, with a Fenwick tree over arrival sequences.
//
// The tree covers only a window of sequences [base, base+len(slot)), with base <= low, the
// smallest sequence not yet added or skipped: every later query is at a sequence >= low, so
// served contacts below low can only count as smaller and are dropped from the window. With
// sequences numbered densely, the window spans the arrivals since the oldest contact still
// waiting, so memory follows the contacts in flight, not the horizon.
type orderCounter struct {
	base, low uint64
	slot      []int32
	all       seqFenwick   // served contacts in the window
	cls       []seqFenwick // served contacts in the window, per class index
	inWin     int64        // served contacts in the window
	inWinCls  []int64
	served    uint64 // served contacts, ever
	servedCls []uint64
	inv       uint64 // pairs served against arrival order
	invCls    []uint64
}

// start places the window at the first sequence that will be added.
func (o *orderCounter) start(first uint64) { o.base, o.low = first, first }

// addClass makes room for one more class index.
func (o *orderCounter) addClass() {
	o.cls = append(o.cls, make(seqFenwick, len(o.slot)))
	o.inWinCls = append(o.inWinCls, 0)
	o.servedCls = append(o.servedCls, 0)
	o.invCls = append(o.invCls, 0)
}

// taken reports whether seq was added or skipped already, or lies below the first sequence.
func (o *orderCounter) taken(seq uint64) bool {
	if seq < o.low {
		return true
	}
	if d := seq - o.base; d < uint64(len(o.slot)) {
		return o.slot[d] != slotUnseen
	}
	return false
}

// add records the contact of sequence seq leaving the queue, served or not, with class index
// ci; seq must not be taken. The cost is O(log w) amortized, w the window length, plus an
// occasional O(w·classes) rebuild that the growth rule amortizes over w/2 sequences.
func (o *orderCounter) add(seq uint64, ci int, served bool) {
	i := o.ensure(seq)
	if !served {
		o.slot[i] = slotAbandoned
		o.advance()
		return
	}
	o.inv += uint64(o.inWin - o.all.prefix(i))
	o.invCls[ci] += uint64(o.inWinCls[ci] - o.cls[ci].prefix(i))
	o.all.inc(i)
	o.cls[ci].inc(i)
	o.inWin++
	o.inWinCls[ci]++
	o.served++
	o.servedCls[ci]++
	o.slot[i] = int32(ci)
	o.advance()
}

// skip records that seq will never be added; seq must not be taken.
func (o *orderCounter) skip(seq uint64) {
	o.slot[o.ensure(seq)] = slotSkipped
	o.advance()
}

// advance moves low past every sequence already added or skipped.
func (o *orderCounter) advance() {
	for d := o.low - o.base; d < uint64(len(o.slot)) && o.slot[d] != slotUnseen; d++ {
		o.low++
	}
}

// ensure returns the slot of seq (>= low), first sliding the window to start at low, and
// growing it to at least twice the span from low to seq, when seq lies beyond it.
func (o *orderCounter) ensure(seq uint64) int {
	if d := seq - o.base; d < uint64(len(o.slot)) {
		return int(d)
	}
	n := uint64(max(len(o.slot), 64))
	for n < 2*(seq-o.low+1) {
		n *= 2
	}
	old := o.slot
	if n > uint64(len(old)) {
		o.slot = make([]int32, n)
		o.all = make(seqFenwick, n)
		for c := range o.cls {
			o.cls[c] = make(seqFenwick, n)
		}
	}
	kept := 0
	if shift := o.low - o.base; shift < uint64(len(old)) {
		kept = copy(o.slot, old[shift:]) // copy handles the overlap when o.slot is old
	}
	for i := kept; i < len(o.slot); i++ {
		o.slot[i] = slotUnseen
	}
	o.base = o.low
	slot := o.slot
	o.all.build(func(i int) bool { return slot[i] >= 0 })
	o.inWin = o.all.prefix(len(slot) - 1)
	for c := range o.cls {
		o.cls[c].build(func(i int) bool { return slot[i] == int32(c) })
		o.inWinCls[c] = o.cls[c].prefix(len(slot) - 1)
	}
	return int(seq - o.base)
}
