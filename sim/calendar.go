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

// calendar is the future event list: a binary min-heap of events by (at, seq) over a typed
// slice. Heap invariant: no event is before its parent, the parent of i being (i-1)/2. Push
// and pop cost O(log n) and do not allocate once the slice has grown to the largest size it
// needs. (A 4-ary heap measured no faster at the sizes a centre needs, a few hundred events.)
// Not safe for concurrent use.
type calendar struct {
	h   []event
	seq uint64
}

func (a *event) before(b *event) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// push schedules e, stamping its sequence number.
func (c *calendar) push(e event) {
	c.seq++
	e.seq = c.seq
	c.h = append(c.h, e)
	h := c.h
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

// pop removes and returns the earliest event; the calendar must not be empty.
func (c *calendar) pop() event {
	h := c.h
	top := h[0]
	n := len(h) - 1
	e := h[n]
	h = h[:n]
	c.h = h
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

func (c *calendar) len() int { return len(c.h) }

func (c *calendar) reset() {
	c.h = c.h[:0]
	c.seq = 0
}
