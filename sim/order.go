package sim

// arrivalOrder tracks the contacts waiting in one lane (queue and channel) by their arrival
// number, to count order inversions: when a contact is routed, how many contacts of its lane
// that arrived before it are still waiting (each such pair is an inversion of arrival
// order). It keeps a Fenwick tree over a ring of arrival numbers spanning the oldest waiting
// contact to the newest arrival, so its memory follows the contacts that arrived while the
// oldest one waited, never the horizon. Arrive, leave and ahead cost O(log n); the ring
// doubles when the span outgrows it. The zero value is ready to use. Not safe for concurrent
// use.
type arrivalOrder struct {
	next    uint64  // arrival number of the next contact
	base    uint64  // every contact numbered below base has left
	waiting []bool  // ring: waiting[s&mask] for base <= s < next
	fen     []int32 // Fenwick tree over the ring, 1-based
}

// arrive numbers a new waiting contact.
func (o *arrivalOrder) arrive() uint64 {
	if o.next-o.base >= uint64(len(o.waiting)) {
		o.grow()
	}
	s := o.next
	o.next++
	o.waiting[s&o.mask()] = true
	o.add(int(s&o.mask()), 1)
	return s
}

// ahead returns how many contacts numbered below s are still waiting.
func (o *arrivalOrder) ahead(s uint64) int {
	if s <= o.base {
		return 0
	}
	i0, i1 := int(o.base&o.mask()), int(s&o.mask())
	if i0 < i1 {
		return o.prefix(i1) - o.prefix(i0)
	}
	return o.prefix(len(o.fen)-1) - o.prefix(i0) + o.prefix(i1)
}

// leave marks contact s as no longer waiting.
func (o *arrivalOrder) leave(s uint64) {
	m := o.mask()
	if s < o.base || !o.waiting[s&m] {
		return
	}
	o.waiting[s&m] = false
	o.add(int(s&m), -1)
	for o.base < o.next && !o.waiting[o.base&m] {
		o.base++
	}
}

func (o *arrivalOrder) mask() uint64 { return uint64(len(o.waiting) - 1) }

// add adds d at ring position i (0-based).
func (o *arrivalOrder) add(i int, d int32) {
	for j := i + 1; j < len(o.fen); j += j & -j {
		o.fen[j] += d
	}
}

// prefix sums ring positions [0, i).
func (o *arrivalOrder) prefix(i int) int {
	s := 0
	for j := i; j > 0; j -= j & -j {
		s += int(o.fen[j])
	}
	return s
}

func (o *arrivalOrder) grow() {
	n := max(2*len(o.waiting), 64)
	old, oldMask := o.waiting, o.mask()
	o.waiting = make([]bool, n)
	o.fen = make([]int32, n+1)
	for s := o.base; s < o.next; s++ {
		if old[s&oldMask] {
			o.waiting[s&o.mask()] = true
			o.add(int(s&o.mask()), 1)
		}
	}
}

// reset forgets every contact, keeping the ring.
func (o *arrivalOrder) reset() {
	clear(o.waiting)
	clear(o.fen)
	o.next, o.base = 0, 0
}
