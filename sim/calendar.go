package sim

// evKind is what an event does.
type evKind uint8

const (
	evArrival  evKind = iota + 1 // the next contact of an arrival stream (idx) or the trace
	evComplete                   // contact slot idx (generation gen) finishes its handle time
	evPatience                   // contact slot idx gives up waiting, if it still waits
	evRule                       // contact slot idx reaches the After of its class's rule aux
	evShift                      // agent group idx reaches breakpoint aux of its schedule
	evWake                       // the routing core has a timer due (profile delay, ACW end)
	evEnd                        // the horizon
	evRedial                     // a redial of stream idx, class aux, arrives
	evCallback                   // the callback of contact slot idx enters its queue
)

// event is one entry of the calendar. Events at equal times fire in the order they were
// scheduled (seq), which makes a run reproducible bit for bit.
type event struct {
	at   int64  // virtual time, ns since the start
	seq  uint64 // scheduling order
	idx  int32  // stream, contact slot or group
	aux  int32  // rule or breakpoint index
	gen  uint32 // contact slot generation, to skip events of a recycled slot
	kind evKind
}

// calendar is the future event list, ordered by (at, seq). It keeps two binary min-heaps of
// events over typed slices: the pending arrivals (one per arrival stream) and every other
// event. pop takes the earlier of the two tops, so the order is exactly that of one heap;
// keeping the arrivals apart spares the larger heap one push and one pop per contact. Heap
// invariant, in each: no event is before its parent, the parent of i being (i-1)/2. Push and
// pop cost O(log n) and do not allocate once the slices have grown to the largest size they
// need. Not safe for concurrent use.
type calendar struct {
	h   eventHeap // all but arrivals
	arr eventHeap // arrivals
	seq uint64
}

func (a *event) before(b *event) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// push schedules e, stamping its sequence number.
func (c *calendar) push(e event) {
	c.seq++
	e.seq = c.seq
	if e.kind == evArrival {
		c.arr.push(e)
	} else {
		c.h.push(e)
	}
}

// pop removes and returns the earliest event; the calendar must not be empty.
func (c *calendar) pop() event {
	if len(c.arr) > 0 && (len(c.h) == 0 || c.arr[0].before(&c.h[0])) {
		return c.arr.pop()
	}
	return c.h.pop()
}

func (c *calendar) reset() {
	c.h = c.h[:0]
	c.arr = c.arr[:0]
	c.seq = 0
}

// eventHeap is a binary min-heap of events by (at, seq).
type eventHeap []event

func (hp *eventHeap) push(e event) {
	*hp = append(*hp, e)
	h := *hp
	j := len(h) - 1
	for j > 0 {
		p := (j - 1) / 2
		if !e.before(&h[p]) {
			break
		}
		h[j] = h[p]
		j = p
	}
	h[j] = e
}

func (hp *eventHeap) pop() event {
	h := *hp
	top := h[0]
	n := len(h) - 1
	e := h[n]
	h = h[:n]
	*hp = h
	if n == 0 {
		return top
	}
	j := 0
	for {
		l := 2*j + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h[r].before(&h[l]) {
			m = r
		}
		if !h[m].before(&e) {
			break
		}
		h[j] = h[m]
		j = m
	}
	h[j] = e
	return top
}
