package queue

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// arity is the number of children of a heap node: a binary heap. (4 and 8, with the same
// alignment, measured no faster on the queue benchmarks at 1e6 contacts.)
const arity = 2

// pad is the number of unused entries before the root. With it, the arity children of every
// node fill one aligned block of arity entries (64 bytes, one cache line, in a slice the
// allocator aligned) instead of straddling two lines.
const pad = arity - 1

// none marks the absence of a slot in the arrival list.
const none = -1

// entry is one heap element: the routing key inline, and the slot holding the contact.
type entry struct {
	prio int64  // QueuePriority, ascending
	key  int64  // EnqueuedAt - AgeAdjustment in ns, ascending (older first)
	seq  uint64 // arrival sequence, ascending
	slot int32  // index into Heap.slots and Heap.pos
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

// slot is the per-contact record outside the heap: the contact, its links in the arrival
// list, the generation that makes handles to a reused slot stale, and (in a Queue) the ID
// index's back-pointer, all in one 32-byte record. The heap position is in
// Heap.pos instead: it is written at every level of every sift, and a dense []int32 keeps
// those writes in a few cache lines.
type slot struct {
	c          *contact.Contact
	enq        int64 // EnqueuedAt in ns, the arrival list's key
	prev, next int32 // arrival list links, none at the ends
	gen        uint32
	cell       int32 // Queue only: the cell of Queue.ids that holds this slot
}

// Handle names one contact in one Heap, from the Push that returned it until the contact
// leaves that heap. A handle used afterwards is stale: the methods that take one report it
// (false, or an error wrapping ErrNotFound) even when the slot it named holds another contact
// by then, for up to 2^32 reuses of that slot.
type Handle uint64

func makeHandle(s int32, gen uint32) Handle { return Handle(uint64(gen)<<32 | uint64(uint32(s))) }

func (h Handle) slot() int32 { return int32(uint32(h)) }
func (h Handle) gen() uint32 { return uint32(h >> 32) }

// Heap is the routing order of a set of contacts, addressed by Handle: a binary min-heap over
// a typed slice, plus the arrival list that answers Oldest. It has no index by contact ID;
// Queue adds one. Use Heap directly when you keep your own index and want to skip the cost
// of a map operation on every push and removal (routing does). Build one with NewHeap; the
// zero value is not usable. A Heap is not safe for concurrent use.
type Heap struct {
	h     []entry // h[:pad] unused; the root is h[pad]
	pos   []int32 // by slot: index in h
	slots []slot
	free  []int32
	head  int32 // oldest by (EnqueuedAt, seq)
	tail  int32 // newest by (EnqueuedAt, seq)
	seq   uint64
	touch int64 // sink for down's read-ahead, so the compiler keeps the loads
}

// NewHeap returns an empty heap.
func NewHeap() *Heap {
	return &Heap{h: make([]entry, pad), head: none, tail: none}
}

// Len returns the number of contacts in the heap. The cost is O(1).
func (q *Heap) Len() int { return len(q.h) - pad }

var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// check returns the error Push reports for c, or nil.
func check(c *contact.Contact) error {
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
	return nil
}

// Push adds c and returns its handle. A Priority of 0 means "not set" and is replaced by
// contact.DefaultPriority. It returns an error wrapping ErrInvalidContact for a nil contact,
// a negative priority, an EnqueuedAt outside the years 1678..2262, or an AgeAdjustment that
// overflows the routing key; a rejected push changes nothing, c included. Heap does not know
// IDs: pushing a contact that is already in the heap is the caller's bug.
//
// The cost is O(log n), plus O(k) when c's EnqueuedAt is earlier than that of k contacts in
// the heap (pushes in EnqueuedAt order, as arrivals come, pay nothing extra). Push does not
// allocate once the heap has held as many contacts before.
func (q *Heap) Push(c *contact.Contact) (Handle, error) {
	if err := check(c); err != nil {
		return 0, err
	}
	return q.push(c), nil
}

// push adds a contact that check accepted.
func (q *Heap) push(c *contact.Contact) Handle {
	if c.Priority == 0 {
		c.Priority = contact.DefaultPriority
	}
	q.seq++
	s := q.alloc()
	sl := &q.slots[s]
	sl.c, sl.enq = c, c.EnqueuedAt.UnixNano()
	q.linkArrival(s)
	q.h = append(q.h, entry{prio: c.Priority, key: c.RoutingKey(), seq: q.seq, slot: s})
	q.up(len(q.h) - 1)
	return makeHandle(s, sl.gen)
}

// live returns the slot of h, or false when h is stale or was never issued by q.
func (q *Heap) live(h Handle) (int32, bool) {
	s := h.slot()
	if s < 0 || int(s) >= len(q.slots) || q.slots[s].gen != h.gen() || q.slots[s].c == nil {
		return 0, false
	}
	return s, true
}

// Peek returns the contact routed next without removing it, and false when the heap is
// empty. The cost is O(1).
func (q *Heap) Peek() (*contact.Contact, bool) {
	if len(q.h) == pad {
		return nil, false
	}
	return q.slots[q.h[pad].slot].c, true
}

// PeekKey returns the routing key of the contact routed next, as the heap holds it: its
// Priority and RoutingKey as of its last Push or Fix, and false when the heap is empty. It
// reads neither the contact nor its record, only the heap's first entry, so a caller choosing
// among many heaps compares their heads without a cache miss per heap. The cost is O(1).
func (q *Heap) PeekKey() (prio, key int64, ok bool) {
	if len(q.h) == pad {
		return 0, 0, false
	}
	e := &q.h[pad]
	return e.prio, e.key, true
}

// Pop removes and returns the contact routed next, and false when the heap is empty. The
// cost is O(log n); it does not allocate.
func (q *Heap) Pop() (*contact.Contact, bool) {
	if len(q.h) == pad {
		return nil, false
	}
	return q.removeAt(pad), true
}

// Contact returns the contact h names, and false when h is stale. The cost is O(1).
func (q *Heap) Contact(h Handle) (*contact.Contact, bool) {
	s, ok := q.live(h)
	if !ok {
		return nil, false
	}
	return q.slots[s].c, true
}

// Remove removes and returns the contact h names, and false when h is stale. The cost is
// O(log n); it does not allocate.
func (q *Heap) Remove(h Handle) (*contact.Contact, bool) {
	s, ok := q.live(h)
	if !ok {
		return nil, false
	}
	return q.removeAt(int(q.pos[s])), true
}

// Fix re-reads the routing fields (Priority, AgeAdjustment) of the contact h names after the
// caller changed them, and restores the routing order. It reports false when h is stale. It
// exists for callers that hold one contact in several heaps: validate and apply an update to
// the contact once, then Fix it in each heap. The cost is O(log n); it does not allocate.
func (q *Heap) Fix(h Handle) bool {
	s, ok := q.live(h)
	if !ok {
		return false
	}
	q.rekey(s)
	return true
}

// rekey copies the routing key of slot s's contact into its entry and restores the order.
func (q *Heap) rekey(s int32) {
	c := q.slots[s].c
	i := int(q.pos[s])
	q.h[i].prio, q.h[i].key = c.Priority, c.RoutingKey()
	if !q.down(i) {
		q.up(i)
	}
}

// Oldest returns the contact with the earliest real EnqueuedAt (ties: arrival order), the one
// OLDEST_CONTACT_AGE reports; priorities and age adjustments do not affect it. It returns false
// when the heap is empty. The cost is O(1).
func (q *Heap) Oldest() (*contact.Contact, bool) {
	if q.head == none {
		return nil, false
	}
	return q.slots[q.head].c, true
}

// Position returns the 1-based place in routing order of the contact h names
// (POSITION_IN_QUEUE), and false when h is stale. It walks only the part of the heap routed
// ahead of the contact, so the cost is O(p) for a result p: O(1) at the front, O(n) at the
// back. It does not allocate.
func (q *Heap) Position(h Handle) (int, bool) {
	s, ok := q.live(h)
	if !ok {
		return 0, false
	}
	return q.position(s), true
}

// position returns the 1-based place in routing order of the contact in slot s.
func (q *Heap) position(s int32) int {
	target := q.h[q.pos[s]]
	return q.countAhead(pad, &target) + 1
}

// countAhead counts entries in the subtree rooted at i routed before target. A subtree whose
// root is not ahead holds nothing ahead, by the heap invariant.
func (q *Heap) countAhead(i int, target *entry) int {
	if i >= len(q.h) || !q.h[i].less(target) {
		return 0
	}
	n := 1
	for c := firstChild(i); c < firstChild(i)+arity; c++ {
		n += q.countAhead(c, target)
	}
	return n
}

// Ordered returns a snapshot of the contacts in routing order. The cost is O(n log n); it
// allocates the returned slice.
func (q *Heap) Ordered() []*contact.Contact {
	es := slices.Clone(q.h[pad:])
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

// Each calls fn for every contact in heap order (not routing order) until fn returns false.
// The cost is O(n); it does not allocate.
func (q *Heap) Each(fn func(*contact.Contact) bool) {
	for i := pad; i < len(q.h); i++ {
		if !fn(q.slots[q.h[i].slot].c) {
			return
		}
	}
}

// alloc returns a free slot index, reusing freed ones.
func (q *Heap) alloc() int32 {
	if n := len(q.free); n > 0 {
		s := q.free[n-1]
		q.free = q.free[:n-1]
		return s
	}
	q.slots = append(q.slots, slot{})
	q.pos = append(q.pos, 0)
	return int32(len(q.slots) - 1)
}

// removeAt removes heap entry i and everything that points at its slot, and frees the slot.
func (q *Heap) removeAt(i int) *contact.Contact {
	s := q.h[i].slot
	last := len(q.h) - 1
	if i != last {
		q.h[i] = q.h[last]
		q.pos[q.h[i].slot] = int32(i)
	}
	q.h = q.h[:last]
	if i != last && !q.down(i) {
		q.up(i)
	}
	q.unlinkArrival(s)
	sl := &q.slots[s]
	c := sl.c
	*sl = slot{gen: sl.gen + 1}
	q.free = append(q.free, s)
	return c
}

// linkArrival inserts slot s into the arrival list, walking back from the tail past contacts
// enqueued later.
func (q *Heap) linkArrival(s int32) {
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

func (q *Heap) unlinkArrival(s int32) {
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

// firstChild returns the index in Heap.h of the first of node i's arity children; parent is
// its inverse. Indexes count the pad entries, so the root is pad.
func firstChild(i int) int { return arity*(i-pad) + 1 + pad }
func parent(i int) int     { return (i-pad-1)/arity + pad }

// up moves entry j toward the root, holding it aside and shifting parents down.
func (q *Heap) up(j int) {
	h := q.h
	e := h[j]
	for j > pad {
		p := parent(j)
		if !e.less(&h[p]) {
			break
		}
		h[j] = h[p]
		q.pos[h[j].slot] = int32(j)
		j = p
	}
	h[j] = e
	q.pos[e.slot] = int32(j)
}

// down moves entry i toward the leaves and reports whether it moved.
func (q *Heap) down(i int) bool {
	h := q.h
	n := len(h)
	e := h[i]
	j := i
	var touch int64
	for {
		first := firstChild(j)
		if first >= n {
			break
		}
		// Read ahead: load the grandchildren's two cache lines now, so that their misses
		// overlap this level's instead of following it. Go has no prefetch instruction;
		// a load whose value is kept is the portable stand-in. In a large heap this
		// measured about 5% faster on Hold at 1e6 (paired runs).
		if g := firstChild(first); g+arity < n {
			touch += h[g].prio + h[g+arity].prio
		}
		c := first
		for k := first + 1; k < min(first+arity, n); k++ {
			if h[k].less(&h[c]) {
				c = k
			}
		}
		if !h[c].less(&e) {
			break
		}
		h[j] = h[c]
		q.pos[h[j].slot] = int32(j)
		j = c
	}
	h[j] = e
	q.pos[e.slot] = int32(j)
	q.touch += touch
	return j > i
}
