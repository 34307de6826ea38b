package queue

// The run of a class. Contacts arrive in EnqueuedAt order, and most are never adjusted: among
// them, routing order is arrival order. A class keeps such contacts in a run, a ring buffer of
// entries in routing order, appended at the back and taken from the front, beside its heap,
// which holds the rest: contacts with an age adjustment, arrivals out of order, contacts that
// an update moved. The class's front is the better of the run's front and the heap's root.
//
// What the run saves is the heap's work where a queue spends most of it: a push to the run
// writes one entry and its location; a pop from the run moves nothing. There is no sift, so
// no chain of dependent loads down a large heap and no locations rewritten at every level of
// one. Its entries are read in the order they are stored, so the slot records and contacts of
// the next few fronts are known, and can be loaded ahead, without a load to find them.
//
// A removal from the middle of the run (an abandon, a transfer, an update) leaves a tombstone
// (slot none) and costs O(1); the front and the back are kept live, so tombstones only sit
// between them. The run is compacted in place when tombstones reach half of it, and grows by
// doubling when it is full; both rewrite the locations of the entries they move, O(1) per
// operation amortized. An entry's location (loc.i) in the run is ^p for its index p in the
// ring, negative, which tells it from a heap index.

// runMin is the smallest ring a class allocates, and the fewest tombstones that compaction
// waits for.
const runMin = 16

// runLen returns the number of positions from the run's front to its back, tombstones
// included.
func (cl *class) runLen() int { return int(cl.tail - cl.head) }

// runAt returns the entry at ring counter k, which must lie in [head, tail).
func (cl *class) runAt(k uint32) *entry { return &cl.run[k&uint32(len(cl.run)-1)] }

// runTakes reports whether e can go to the back of cl's run: the run is empty, or e is
// routed after its back entry.
func (cl *class) runTakes(e *entry) bool {
	return cl.head == cl.tail || cl.runAt(cl.tail-1).less(e)
}

// runPush appends e, which runTakes, to the back of class ci's run.
func (q *Heap) runPush(ci int32, e entry) {
	cl := &q.classes[ci]
	if cl.runLen() == len(cl.run) {
		q.runRelayout(ci)
	}
	p := cl.tail & uint32(len(cl.run)-1)
	cl.run[p] = e
	cl.tail++
	q.loc[e.slot] = loc{i: ^int32(p), cls: ci}
}

// runRemove takes the entry at ring index p out of class ci's run.
func (q *Heap) runRemove(ci int32, p int) {
	cl := &q.classes[ci]
	mask := uint32(len(cl.run) - 1)
	cl.run[p].slot = none
	switch uint32(p) {
	case cl.head & mask:
		cl.head++
		for cl.head != cl.tail && cl.runAt(cl.head).slot == none {
			cl.head++
			cl.dead--
		}
	case (cl.tail - 1) & mask:
		cl.tail--
		for cl.head != cl.tail && cl.runAt(cl.tail-1).slot == none {
			cl.tail--
			cl.dead--
		}
	default:
		cl.dead++
		if cl.dead >= runMin && 2*int(cl.dead) >= cl.runLen() {
			q.runCompact(ci)
		}
	}
	if cl.head == cl.tail {
		cl.head, cl.tail = 0, 0
	}
}

// runCompact moves the live entries of class ci's run together at its front, in order,
// dropping the tombstones, without allocating.
func (q *Heap) runCompact(ci int32) {
	cl := &q.classes[ci]
	cl.tail = q.runMove(cl, cl.run, cl.head)
	cl.dead = 0
}

// runRelayout makes room in class ci's full run: it compacts the run when a quarter or more
// of it is tombstones, and otherwise moves it to a ring twice the size (runMin at first).
func (q *Heap) runRelayout(ci int32) {
	cl := &q.classes[ci]
	if len(cl.run) > 0 && 4*int(cl.dead) >= len(cl.run) {
		q.runCompact(ci)
		return
	}
	run := make([]entry, max(runMin, 2*len(cl.run)))
	tail := q.runMove(cl, run, 0)
	cl.run, cl.head, cl.tail, cl.dead = run, 0, tail, 0
}

// runMove copies the live entries of cl's run, in order, into the ring dst from counter w on,
// records their new locations, and returns the counter after the last. dst may be cl.run
// itself with w = cl.head: the writes never pass the reads.
func (q *Heap) runMove(cl *class, dst []entry, w uint32) uint32 {
	mask := uint32(len(dst) - 1)
	for k := cl.head; k != cl.tail; k++ {
		if e := *cl.runAt(k); e.slot != none {
			dst[w&mask] = e
			q.loc[e.slot].i = ^int32(w & mask)
			w++
		}
	}
	return w
}

// runAhead counts the live entries of cl's run routed before target. The run is in routing
// order, so it walks only those and the first one that is not: O(p) for a result p, plus the
// tombstones among them.
func (cl *class) runAhead(target *entry) int {
	n := 0
	for k := cl.head; k != cl.tail; k++ {
		e := cl.runAt(k)
		if e.slot == none {
			continue
		}
		if !e.less(target) {
			break
		}
		n++
	}
	return n
}

// each calls fn for every entry of cl, the heap's then the run's, until fn returns false, and
// reports whether it ran to the end.
func (cl *class) each(fn func(e *entry) bool) bool {
	for i := pad; i < len(cl.h); i++ {
		if !fn(&cl.h[i]) {
			return false
		}
	}
	for k := cl.head; k != cl.tail; k++ {
		if e := cl.runAt(k); e.slot != none && !fn(e) {
			return false
		}
	}
	return true
}
