package routing

import (
	"fmt"
	"math"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// Why a group's contacts are not simply in a queue.Heap: a group is small (a lane's share of
// the contacts whose active step is one expression) and cold (a thousand or more of them are
// in use at once), and every operation on a cold queue.Heap touches its header, free list,
// slot, location and arrival records and, after a removal at the head, stalls on the slot of
// the next head to prefetch that contact: a step expiry, which moves its contact out of one
// group and into another, cost about 400 ns in BenchmarkRouterCriteria, most of it those
// misses. Yet contacts mostly enter a group in routing order: a contact with criteria enters
// the group of its first step when it arrives, and that of its next step when the step before
// expires, in the order of their arrivals when the steps have the same durations. A run, a
// ring of records in routing order, takes those at its tail in O(1), gives up its head in
// O(1), and loses one from the middle by leaving a hole; and the contact whose step expires
// next is usually the run's head. The rest (another priority, an age adjustment, a contact
// that overtakes the run's tail) go to a queue.Heap beside the run.
// BenchmarkRouterCriteria, 10 alternating runs of each binary on the shared 2-core VM (load
// 3 to 4): 2.678 to 2.021 us per routed contact (-24.5%, p=0.009; the expiry's share of the
// profile from 19% to 5%); BenchmarkRouterSteadyState unchanged (p=0.58).

// grpQueue holds the waiting contacts of one group, or of one of its delay tiers, in routing
// order: a run and a heap, the head of the queue the better of their heads. The run holds
// contacts of one priority, without age adjustment, in (EnqueuedAt, arrival) order, so that
// its head is also its oldest; its holes are trimmed at both ends at once. A record in the run
// has the queue's bit set in record.runs, and its handle there is its position in the run.
type grpQueue struct {
	// topPrio, topKey, topSeq and n come first, on the line pickGroups reads of every head
	// it compares: the head's priority, routing key and arrival, and the number of
	// contacts. hn, the heap's length, saves reading the heap's own lines while it is
	// empty, as it mostly is. The fields a step expiry reads and writes fill the first two
	// lines.
	topPrio, topKey int64
	topSeq          uint64 // 0 when empty
	n, hn           int32
	head, tail      uint64 // positions of the run's head and one past its tail
	buf             []runEntry
	prio            int64 // the run's priority while it is not empty
	// tailKey and tailSeq repeat the run's tail entry's, so that a push compares with it
	// without waiting for the tail's line (which it then only writes).
	tailKey int64
	tailSeq uint64
	holes   int    // removed positions between head and tail
	bit     uint64 // the queue's bit of record.runs; 0 for a queue without a run
	ti      int    // -1 for a group's all, else the tier index: where a record keeps its handle
	heap    *queue.Heap
}

// runEntry is one position of a run: the record (nil for a hole) and its routing key and
// arrival, so that comparing them reads no record.
type runEntry struct {
	key int64
	seq uint64
	r   *record
}

// init readies a zero grpQueue for tier ti (-1 for a group's all).
func (q *grpQueue) init(ti int) {
	q.ti, q.heap = ti, queue.NewHeap()
	if ti < 63 {
		q.bit = 1 << (ti + 1)
	}
}

// handle returns where r keeps its handle in q.
func (q *grpQueue) handle(r *record) *queue.Handle {
	if q.ti < 0 {
		return &r.all
	}
	return &r.tiers[q.ti]
}

// runLen is the number of positions of the run, holes included.
func (q *grpQueue) runLen() int { return int(q.tail - q.head) }

func (q *grpQueue) at(pos uint64) *runEntry { return &q.buf[pos&uint64(len(q.buf)-1)] }

var (
	runMinTime = time.Unix(0, math.MinInt64)
	runMaxTime = time.Unix(0, math.MaxInt64)
)

// push adds r and returns its handle in q; the caller stores it where q.handle says. A
// contact the run cannot take at its tail goes to the heap, which reports an invalid contact
// as queue.Heap.Push does. The cost is O(1) amortized in the run, O(log n) in the heap.
func (q *grpQueue) push(r *record) (queue.Handle, error) {
	c := &r.c
	if c.Priority == 0 {
		c.Priority = contact.DefaultPriority
	}
	key := c.RoutingKey()
	if q.bit == 0 || c.Priority < 0 || c.AgeAdjustment != 0 || c.EnqueuedAt.Before(runMinTime) || c.EnqueuedAt.After(runMaxTime) ||
		q.runLen() > 0 && (c.Priority != q.prio || !q.afterTail(key, r.seq)) {
		h, err := q.heap.Push(c)
		if err != nil {
			return 0, err
		}
		q.n++
		q.hn++
		q.setTop()
		return h, nil
	}
	if q.runLen() == 0 {
		q.prio = c.Priority
	}
	if q.runLen() == len(q.buf) {
		q.grow()
	}
	pos := q.tail
	*q.at(pos) = runEntry{key: key, seq: r.seq, r: r}
	q.tail++
	q.tailKey, q.tailSeq = key, r.seq
	q.n++
	r.runs |= q.bit
	q.setTop()
	return queue.Handle(pos), nil
}

// afterTail reports whether (key, seq) comes after the run's tail, which must exist.
func (q *grpQueue) afterTail(key int64, seq uint64) bool {
	return key > q.tailKey || key == q.tailKey && seq > q.tailSeq
}

// grow makes room at the run's tail: it packs the run into a buffer twice the size of the
// live contacts (at least 8), renumbering their positions and so rewriting their handles.
// Amortized O(1) per push: it runs when the buffer is full, and the new buffer is at least
// half empty.
func (q *grpQueue) grow() {
	size := max(8, 2*len(q.buf))
	if live := q.runLen() - q.holes; len(q.buf) > 0 && 2*live <= len(q.buf) {
		size = len(q.buf)
	}
	buf := make([]runEntry, size)
	var pos uint64
	for p := q.head; p < q.tail; p++ {
		e := *q.at(p)
		if e.r == nil {
			continue
		}
		buf[pos] = e
		*q.handle(e.r) = queue.Handle(pos)
		pos++
	}
	q.buf, q.head, q.tail, q.holes = buf, 0, pos, 0
}

// remove takes r, which must be in q, out of it. The cost is O(1) amortized in the run, O(log
// n) in the heap.
func (q *grpQueue) remove(r *record) {
	h := *q.handle(r)
	if r.runs&q.bit == 0 {
		q.heap.Remove(h)
		q.hn--
	} else {
		r.runs &^= q.bit
		*q.at(uint64(h)) = runEntry{}
		q.holes++
		q.trim()
	}
	q.n--
	q.setTop()
}

// trim drops the holes at both ends of the run.
func (q *grpQueue) trim() {
	for q.head < q.tail && q.at(q.head).r == nil {
		q.head++
		q.holes--
	}
	if q.at(q.tail-1).r == nil {
		for q.tail > q.head && q.at(q.tail-1).r == nil {
			q.tail--
			q.holes--
		}
		if q.tail > q.head {
			t := q.at(q.tail - 1)
			q.tailKey, q.tailSeq = t.key, t.seq
		}
	}
	if q.head == q.tail {
		q.head, q.tail = 0, 0
	}
}

// runFirst reports whether the run's head, rather than the heap's, is the queue's head; q
// must not be empty.
func (q *grpQueue) runFirst() bool {
	if q.runLen() == 0 {
		return false
	}
	if q.hn == 0 {
		return true
	}
	prio, key, _ := q.heap.PeekKey()
	e := q.at(q.head)
	if q.prio != prio {
		return q.prio < prio
	}
	if e.key != key {
		return e.key < key
	}
	c, _ := q.heap.Peek()
	return e.seq < recordOf(c).seq
}

// setTop records the head's key for peekKey; every change calls it last.
func (q *grpQueue) setTop() {
	switch {
	case q.n == 0:
		q.topPrio, q.topKey, q.topSeq = 0, 0, 0
	case q.runFirst():
		e := q.at(q.head)
		q.topPrio, q.topKey, q.topSeq = q.prio, e.key, e.seq
	default:
		q.topPrio, q.topKey, _ = q.heap.PeekKey()
		c, _ := q.heap.Peek()
		q.topSeq = recordOf(c).seq
	}
}

// peekKey returns the head's priority and routing key, and false when q is empty. O(1).
func (q *grpQueue) peekKey() (prio, key int64, ok bool) { return q.topPrio, q.topKey, q.n > 0 }

// peek returns the record at the head; q must not be empty. O(1).
func (q *grpQueue) peek() *record {
	if q.runFirst() {
		return q.at(q.head).r
	}
	c, _ := q.heap.Peek()
	return recordOf(c)
}

// pop removes the head, r (peek's result), without reading r: it leaves r's bit of q set in
// r.runs, for the caller to clear (leave does). O(1) from the run, O(log n) from the heap.
func (q *grpQueue) pop(r *record) {
	// The caller has only just started loading r (assign): reading r.runs here would wait
	// for it, and nothing else here needs r.
	if !q.runFirst() {
		q.heap.Pop()
		q.hn--
	} else {
		*q.at(q.head) = runEntry{}
		q.holes++
		q.trim()
	}
	q.n--
	q.setTop()
}

// fix restores r's place after its priority or age adjustment changed: out and back in.
// O(log n).
func (q *grpQueue) fix(r *record) {
	q.remove(r)
	h, err := q.push(r)
	if err != nil {
		panic(fmt.Sprintf("routing: internal error: re-entering a contact: %v", err))
	}
	*q.handle(r) = h
}

// len returns the number of contacts in q. O(1).
func (q *grpQueue) len() int { return int(q.n) }

// oldest returns the contact of q enqueued first, and false when q is empty. O(1).
func (q *grpQueue) oldest() (*contact.Contact, bool) {
	c, ok := q.heap.Oldest()
	if q.runLen() > 0 {
		if r := q.at(q.head).r; !ok || r.c.EnqueuedAt.Before(c.EnqueuedAt) {
			return &r.c, true
		}
	}
	return c, ok
}

// each calls fn for every contact of q, the run's first, until fn returns false. O(n).
func (q *grpQueue) each(fn func(*contact.Contact) bool) {
	for p := q.head; p < q.tail; p++ {
		if r := q.at(p).r; r != nil && !fn(&r.c) {
			return
		}
	}
	q.heap.Each(fn)
}

// has reports whether r is in q, as its handle says. O(1).
func (q *grpQueue) has(r *record) bool {
	h := *q.handle(r)
	if r.runs&q.bit == 0 {
		c, ok := q.heap.Contact(h)
		return ok && c == &r.c
	}
	p := uint64(h)
	return p >= q.head && p < q.tail && q.at(p).r == r
}

// verify checks the run (in order, of one priority, without age adjustment, its holes
// counted and its ends not holes, every record's bit set), the count and the cached head.
func (q *grpQueue) verify() error {
	holes, live := 0, 0
	var prev *runEntry
	for p := q.head; p < q.tail; p++ {
		e := q.at(p)
		if e.r == nil {
			if p == q.head || p == q.tail-1 {
				return fmt.Errorf("a hole at an end of the run, position %d", p)
			}
			holes++
			continue
		}
		live++
		switch c := &e.r.c; {
		case e.r.runs&q.bit == 0 || *q.handle(e.r) != queue.Handle(p):
			return fmt.Errorf("contact %q at run position %d has bit %v, handle %d", c.ID, p, e.r.runs&q.bit != 0, *q.handle(e.r))
		case c.Priority != q.prio || c.AgeAdjustment != 0 || c.RoutingKey() != e.key || e.r.seq != e.seq:
			return fmt.Errorf("contact %q at run position %d: priority %d (run %d), adjustment %v, key %d (entry %d)", c.ID, p, c.Priority, q.prio, c.AgeAdjustment, c.RoutingKey(), e.key)
		case prev != nil && (e.key < prev.key || e.key == prev.key && e.seq <= prev.seq):
			return fmt.Errorf("contact %q out of order in the run at position %d", c.ID, p)
		case p == q.tail-1 && (e.key != q.tailKey || e.seq != q.tailSeq):
			return fmt.Errorf("run's tail (%d, %d) cached as (%d, %d)", e.key, e.seq, q.tailKey, q.tailSeq)
		}
		prev = e
	}
	if q.n == 0 && (q.topPrio != 0 || q.topKey != 0 || q.topSeq != 0) {
		return fmt.Errorf("empty, with a cached head (%d, %d, %d)", q.topPrio, q.topKey, q.topSeq)
	}
	if holes != q.holes || live+q.heap.Len() != int(q.n) || q.heap.Len() != int(q.hn) {
		return fmt.Errorf("run of %d holes (counted %d) and %d contacts, heap %d; n %d", q.holes, holes, live, q.heap.Len(), q.n)
	}
	if q.n > 0 {
		r := q.peek()
		if prio, key, _ := q.peekKey(); prio != r.c.Priority || key != r.c.RoutingKey() || q.topSeq != r.seq {
			return fmt.Errorf("cached head (%d, %d) is not contact %q's", prio, key, r.c.ID)
		}
	}
	return nil
}

// verify checks the group's queues (see grpQueue.verify), and that they hold only contacts
// of the group.
func (g *group) verify() error {
	qs := append([]*grpQueue{&g.all}, g.tiers...)
	for i, q := range qs {
		if err := q.verify(); err != nil {
			return fmt.Errorf("routing: verify: group %s of queue %q, queue %d: %w", g.x.n.key, g.lane.q.id, i-1, err)
		}
		var err error
		q.each(func(c *contact.Contact) bool {
			if r := recordOf(c); r.grp != g || r.state != Waiting {
				err = fmt.Errorf("routing: verify: contact %q in group %s of queue %q has state %s, its own group %v", c.ID, g.x.n.key, g.lane.q.id, r.state, r.grp == g)
			}
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
