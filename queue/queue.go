package queue

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// Errors reported by Queue. Match them with errors.Is.
var (
	// ErrNotFound: no contact with that ID is in the queue.
	ErrNotFound = errors.New("queue: contact not found")
	// ErrDuplicate: a contact with that ID is already in the queue.
	ErrDuplicate = errors.New("queue: duplicate contact ID")
	// ErrInvalidContact: the contact cannot be queued (nil, negative priority, or a time
	// outside what the routing key can represent).
	ErrInvalidContact = errors.New("queue: invalid contact")
)

// none marks the absence of a slot in the arrival list.
const none = -1

// entry is one heap element: the routing key inline, and the slot holding the contact.
type entry struct {
	prio int64  // QueuePriority, ascending
	key  int64  // EnqueuedAt - AgeAdjustment in ns, ascending (older first)
	seq  uint64 // arrival sequence, ascending
	slot int32  // index into Queue.slots
}

// less reports whether a is routed before b.
func (a *entry) less(b *entry) bool {
	if a.prio != b.prio {
		return a.prio < b.prio
	}
	if a.key != b.key {
		return a.key < b.key
	}
	return a.seq < b.seq
}

// slot is the per-contact record: the contact, its heap index, and its links in the arrival
// list.
type slot struct {
	c          *contact.Contact
	enq        int64 // EnqueuedAt in ns, the arrival list's key
	seq        uint64
	pos        int32 // index in Queue.heap
	prev, next int32 // arrival list links, none at the ends
}

// Queue is a routing queue of contacts. Build one with New; the zero value is not usable.
// A Queue is not safe for concurrent use.
type Queue struct {
	heap  []entry
	slots []slot
	free  []int32
	byID  map[contact.ID]int32
	head  int32 // oldest by (EnqueuedAt, seq)
	tail  int32 // newest by (EnqueuedAt, seq)
	seq   uint64
}

// New returns an empty queue.
func New() *Queue {
	return &Queue{byID: make(map[contact.ID]int32), head: none, tail: none}
}

// Len returns the number of contacts in the queue. The cost is O(1).
func (q *Queue) Len() int { return len(q.heap) }

var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// Push adds c to the queue. A Priority of 0 means "not set" and is replaced by
// contact.DefaultPriority. It returns an error wrapping ErrInvalidContact for a nil contact, a
// negative priority, an EnqueuedAt outside the years 1678..2262, or an AgeAdjustment that
// overflows the routing key; and one wrapping ErrDuplicate when the ID is already queued. A
// rejected push changes nothing, c included.
//
// The cost is O(log n), plus O(k) when c's EnqueuedAt is earlier than that of k queued
// contacts (pushes in EnqueuedAt order, as arrivals come, pay nothing extra). Push does not
// allocate once the queue has held as many contacts before.
func (q *Queue) Push(c *contact.Contact) error {
	if err := q.checkPush(c); err != nil {
		return err
	}
	if c.Priority == 0 {
		c.Priority = contact.DefaultPriority
	}
	q.seq++
	s := q.alloc()
	q.slots[s] = slot{c: c, enq: c.EnqueuedAt.UnixNano(), seq: q.seq, pos: int32(len(q.heap)), prev: none, next: none}
	q.byID[c.ID] = s
	q.linkArrival(s)
	q.heap = append(q.heap, entry{prio: c.Priority, key: c.RoutingKey(), seq: q.seq, slot: s})
	q.up(len(q.heap) - 1)
	return nil
}

func (q *Queue) checkPush(c *contact.Contact) error {
	switch {
	case c == nil:
		return fmt.Errorf("%w: nil contact", ErrInvalidContact)
	case c.Priority < 0:
		return fmt.Errorf("%w: contact %q has priority %d; want 0 (default) or %d..%d",
			ErrInvalidContact, c.ID, c.Priority, contact.MinPriority, contact.MaxPriority)
	case c.EnqueuedAt.Before(minTime) || c.EnqueuedAt.After(maxTime):
		return fmt.Errorf("%w: contact %q enqueued at %v, outside the representable range",
			ErrInvalidContact, c.ID, c.EnqueuedAt)
	}
	if err := c.CheckAdjustment(0); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidContact, err)
	}
	if _, dup := q.byID[c.ID]; dup {
		return fmt.Errorf("%w: %q", ErrDuplicate, c.ID)
	}
	return nil
}

// Peek returns the contact routed next without removing it, and false when the queue is
// empty. The cost is O(1).
func (q *Queue) Peek() (*contact.Contact, bool) {
	if len(q.heap) == 0 {
		return nil, false
	}
	return q.slots[q.heap[0].slot].c, true
}

// Pop removes and returns the contact routed next, and false when the queue is empty. The
// cost is O(log n); it does not allocate.
func (q *Queue) Pop() (*contact.Contact, bool) {
	if len(q.heap) == 0 {
		return nil, false
	}
	return q.removeAt(0), true
}

// Get returns the queued contact with the given ID. The cost is O(1).
func (q *Queue) Get(id contact.ID) (*contact.Contact, bool) {
	s, ok := q.byID[id]
	if !ok {
		return nil, false
	}
	return q.slots[s].c, true
}

// Remove removes and returns the contact with the given ID, as when it abandons or is
// transferred, and false when it is not queued. The cost is O(log n); it does not allocate.
func (q *Queue) Remove(id contact.ID) (*contact.Contact, bool) {
	s, ok := q.byID[id]
	if !ok {
		return nil, false
	}
	return q.removeAt(int(q.slots[s].pos)), true
}

// Update applies u to the queued contact with the given ID: it sets the priority, or adds the
// age adjustment to the contact's cumulative AgeAdjustment. It returns an error wrapping
// ErrNotFound for an unknown ID, and one wrapping contact.ErrInvalidUpdate for an invalid
// update or an adjustment that would overflow the routing key. A rejected update changes
// nothing. EnqueuedAt, and so QueueWait and Oldest, never change. The cost is O(log n); it
// does not allocate.
func (q *Queue) Update(id contact.ID, u contact.RoutingUpdate) error {
	if err := u.Validate(); err != nil {
		return err
	}
	s, ok := q.byID[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	sl := &q.slots[s]
	c := sl.c
	if u.AgeAdjustment != nil {
		if err := c.CheckAdjustment(*u.AgeAdjustment); err != nil {
			return err
		}
		c.AgeAdjustment += *u.AgeAdjustment
	} else {
		c.Priority = *u.Priority
	}
	i := int(sl.pos)
	q.heap[i].prio, q.heap[i].key = c.Priority, c.RoutingKey()
	q.fix(i)
	return nil
}

// Oldest returns the contact with the earliest real EnqueuedAt (ties: arrival order), the one
// OLDEST_CONTACT_AGE reports; priorities and age adjustments do not affect it. It returns false
// when the queue is empty. The cost is O(1).
func (q *Queue) Oldest() (*contact.Contact, bool) {
	if q.head == none {
		return nil, false
	}
	return q.slots[q.head].c, true
}

// Position returns the 1-based place in routing order of the contact with the given ID
// (POSITION_IN_QUEUE), or an error wrapping ErrNotFound. It walks only the part of the heap
// routed ahead of the contact, so the cost is O(p) for a result p: O(1) at the front, O(n) at
// the back. It does not allocate.
func (q *Queue) Position(id contact.ID) (int, error) {
	s, ok := q.byID[id]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	target := &q.heap[q.slots[s].pos]
	return q.countAhead(0, target) + 1, nil
}

// countAhead counts entries in the subtree rooted at i routed before target. A subtree whose
// root is not ahead holds nothing ahead, by the heap invariant.
func (q *Queue) countAhead(i int, target *entry) int {
	if i >= len(q.heap) || !q.heap[i].less(target) {
		return 0
	}
	return 1 + q.countAhead(2*i+1, target) + q.countAhead(2*i+2, target)
}

// Ordered returns a snapshot of the queued contacts in routing order. The cost is
// O(n log n); it allocates the returned slice.
func (q *Queue) Ordered() []*contact.Contact {
	es := slices.Clone(q.heap)
	slices.SortFunc(es, func(a, b entry) int {
		if a.less(&b) {
			return -1
		}
		return 1
	})
	out := make([]*contact.Contact, len(es))
	for i := range es {
		out[i] = q.slots[es[i].slot].c
	}
	return out
}

// Each calls fn for every queued contact in heap order (not routing order) until fn returns
// false. The cost is O(n); it does not allocate.
func (q *Queue) Each(fn func(*contact.Contact) bool) {
	for i := range q.heap {
		if !fn(q.slots[q.heap[i].slot].c) {
			return
		}
	}
}

// alloc returns a free slot index, reusing freed ones.
func (q *Queue) alloc() int32 {
	if n := len(q.free); n > 0 {
		s := q.free[n-1]
		q.free = q.free[:n-1]
		return s
	}
	q.slots = append(q.slots, slot{})
	return int32(len(q.slots) - 1)
}

// removeAt removes heap entry i and everything that points at its slot.
func (q *Queue) removeAt(i int) *contact.Contact {
	s := q.heap[i].slot
	last := len(q.heap) - 1
	if i != last {
		q.swap(i, last)
	}
	q.heap = q.heap[:last]
	if i != last {
		q.fix(i)
	}
	c := q.slots[s].c
	q.unlinkArrival(s)
	delete(q.byID, c.ID)
	q.slots[s] = slot{}
	q.free = append(q.free, s)
	return c
}

// linkArrival inserts slot s into the arrival list, walking back from the tail past contacts
// enqueued later.
func (q *Queue) linkArrival(s int32) {
	sl := &q.slots[s]
	after := q.tail
	for after != none && q.slots[after].enq > sl.enq {
		after = q.slots[after].prev
	}
	sl.prev = after
	if after == none {
		sl.next = q.head
		q.head = s
	} else {
		sl.next = q.slots[after].next
		q.slots[after].next = s
	}
	if sl.next == none {
		q.tail = s
	} else {
		q.slots[sl.next].prev = s
	}
}

func (q *Queue) unlinkArrival(s int32) {
	sl := &q.slots[s]
	if sl.prev == none {
		q.head = sl.next
	} else {
		q.slots[sl.prev].next = sl.next
	}
	if sl.next == none {
		q.tail = sl.prev
	} else {
		q.slots[sl.next].prev = sl.prev
	}
}

// fix restores the heap invariant after entry i changed.
func (q *Queue) fix(i int) {
	if !q.down(i) {
		q.up(i)
	}
}

func (q *Queue) swap(i, j int) {
	h := q.heap
	h[i], h[j] = h[j], h[i]
	q.slots[h[i].slot].pos = int32(i)
	q.slots[h[j].slot].pos = int32(j)
}

// up moves entry j toward the root, holding it aside and shifting parents down.
func (q *Queue) up(j int) {
	h := q.heap
	e := h[j]
	for j > 0 {
		p := (j - 1) / 2
		if !e.less(&h[p]) {
			break
		}
		h[j] = h[p]
		q.slots[h[j].slot].pos = int32(j)
		j = p
	}
	h[j] = e
	q.slots[e.slot].pos = int32(j)
}

// down moves entry i toward the leaves and reports whether it moved.
func (q *Queue) down(i int) bool {
	h := q.heap
	n := len(h)
	e := h[i]
	j := i
	for {
		l := 2*j + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h[r].less(&h[l]) {
			c = r
		}
		if !h[c].less(&e) {
			break
		}
		h[j] = h[c]
		q.slots[h[j].slot].pos = int32(j)
		j = c
	}
	h[j] = e
	q.slots[e.slot].pos = int32(j)
	return j > i
}

// Fix re-reads the routing fields (Priority, AgeAdjustment) of the queued contact with the
// given ID after the caller changed them, and restores the routing order. It exists for
// callers that hold one contact in several queues and apply an update once (through Update
// on one of them) and then Fix the others. It returns an error wrapping ErrNotFound for an
// unknown ID. The cost is O(log n); it does not allocate.
func (q *Queue) Fix(id contact.ID) error {
	s, ok := q.byID[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	c := q.slots[s].c
	i := int(q.slots[s].pos)
	q.heap[i].prio, q.heap[i].key = c.Priority, c.RoutingKey()
	q.fix(i)
	return nil
}
