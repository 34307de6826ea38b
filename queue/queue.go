package queue

import (
	"errors"
	"fmt"
	"github.com/routesim/routesim/internal/prefetch"
	"unsafe"

	"github.com/routesim/routesim/contact"
)

// Errors reported by Queue and Heap. Match them with errors.Is.
var (
	// ErrNotFound: no contact with that ID is in the queue.
	ErrNotFound = errors.New("queue: contact not found")
	// ErrDuplicate: a contact with that ID is already in the queue.
	ErrDuplicate = errors.New("queue: duplicate contact ID")
	// ErrInvalidContact: the contact cannot be queued (nil, negative priority, or a time
	// outside what the routing key can represent).
	ErrInvalidContact = errors.New("queue: invalid contact")
)

// Queue is a routing queue of contacts addressed by ID: a Heap plus an index from contact ID
// to heap slot. Build one with New; the zero value is not usable. A Queue is not safe for
// concurrent use, not even by readers alone: Peek, Position and Ordered may finish deferred
// work (see Update).
type Queue struct {
	heap Heap
	ids  index

	// The updates whose heap work (Heap.rekey) is deferred, oldest first: pend[:npend]. The
	// contact has its new fields; its entry still has the old key. See Update.
	pend  [updateDepth]pending
	npend int
}

// updateDepth is how many updates a Queue keeps pending: one whose location is on its way,
// one whose entry's lines are. advanceUpdates is written for exactly these two stages.
const updateDepth = 2

// pending is an update whose heap work is deferred: the slot, and its contact.
type pending struct {
	s int32
	c *contact.Contact
}

// New returns an empty queue.
func New() *Queue {
	return &Queue{heap: *NewHeap(), ids: newIndex()}
}

// Len returns the number of contacts in the queue. The cost is O(1).
func (q *Queue) Len() int { return q.heap.Len() }

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
	if err := check(c); err != nil {
		return err
	}
	h := q.ids.hash(c.ID)
	// Settled here, after the hash has started reading the ID and before the probe needs it,
	// the hole's shift overlaps the wait for the ID (see index).
	q.ids.settle(&q.heap)
	if _, _, dup := q.ids.findHash(c.ID, h); dup {
		return fmt.Errorf("%w: %q", ErrDuplicate, c.ID)
	}
	q.ids.insert(&q.heap, h, q.heap.push(c).slot(), c)
	return nil
}

// Peek returns the contact routed next without removing it, and false when the queue is
// empty. The cost is O(1), plus finishing the pending updates when one can change the front
// (see Update).
func (q *Queue) Peek() (*contact.Contact, bool) {
	q.settleFront()
	return q.heap.Peek()
}

// Pop removes and returns the contact routed next, and false when the queue is empty. The
// cost is O(log n); it does not allocate.
func (q *Queue) Pop() (*contact.Contact, bool) {
	if q.heap.Len() == 0 {
		return nil, false
	}
	q.settleFront()
	s, _ := q.heap.front()
	q.ids.drop(&q.heap, s) // before the sift, so that its read of the slot overlaps it
	c, ok := q.heap.Pop()
	if q.heap.n > 0 {
		// The next Pop's drop, and the next Push's settle of it, read the next front's cell:
		// start loading it now. Its slot record, whose cell field says where, is in cache by
		// now (see Heap.prefetchFront).
		s, _ := q.heap.front()
		cell := q.heap.slots[s].cell
		prefetch.Pointer(unsafe.Pointer(&q.ids.cells[cell]))
		prefetch.Pointer(unsafe.Pointer(&q.ids.cs[cell]))
	}
	return c, ok
}

// Get returns the queued contact with the given ID. The cost is O(1).
func (q *Queue) Get(id contact.ID) (*contact.Contact, bool) {
	_, c, ok := q.ids.find(id)
	return c, ok
}

// Remove removes and returns the contact with the given ID, as when it abandons or is
// transferred, and false when it is not queued. The cost is O(log n); it does not allocate.
func (q *Queue) Remove(id contact.ID) (*contact.Contact, bool) {
	s, _, ok := q.ids.find(id)
	if !ok {
		return nil, false
	}
	q.settleUpdates()
	q.ids.drop(&q.heap, s)
	return q.heap.remove(s), true
}

// Update applies u to the queued contact with the given ID: it sets the priority, or adds the
// age adjustment to the contact's cumulative AgeAdjustment. It returns an error wrapping
// ErrNotFound for an unknown ID, and one wrapping contact.ErrInvalidUpdate for an invalid
// update or an adjustment that would overflow the routing key. A rejected update changes
// nothing. EnqueuedAt, and so QueueWait and Oldest, never change. The cost is O(log n); it
// does not allocate.
//
// The contact's fields change before Update returns, so Get sees them at once; moving its
// entry in the heap is deferred, and done by the second Update or Fix after it, or by the
// next Remove, Position or Ordered, or by the next Peek or Pop when it can change the front,
// whichever comes first. In between, the lines that work will read are loaded in the
// background: the contact's location during the next call, the entry and its parent's and
// children's lines during the one after. In a stream of updates (a rule re-prioritizing many
// contacts) each update's heap work so runs, on lines in cache, while a later update's lookup
// waits for its cache misses, instead of adding its own misses after them. No result of any
// method depends on whether the work is done yet.
func (q *Queue) Update(id contact.ID, u contact.RoutingUpdate) error {
	// Validated before the lookup, so an invalid update is reported before an unknown ID, as
	// Connect does; Apply's own check repeats two nil tests.
	if err := u.Validate(); err != nil {
		return err
	}
	q.advanceUpdates()
	s, c, ok := q.ids.find(id)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err := c.Apply(u); err != nil {
		return err
	}
	q.deferRekey(s, c)
	return nil
}

// advanceUpdates moves the pending updates one stage on, to make room for one more: it
// finishes the oldest when the queue of them is full (its entry's lines were loaded during
// the previous call), and starts loading the entry lines of the newest (whose location was).
//
// Update calls it first, before looking up its own ID: the work it does then overlaps the
// cache misses of that lookup instead of following them, which leaves the processor room to
// start on the caller's next operation while the last of those misses is outstanding.
func (q *Queue) advanceUpdates() {
	if q.npend == updateDepth {
		q.heap.rekey(q.pend[0].s, q.pend[0].c)
		q.pend[0] = q.pend[1]
		q.npend--
	}
	if q.npend > 0 {
		q.heap.prefetchEntry(q.pend[q.npend-1].s)
	}
}

// deferRekey queues the heap work of an update to slot s, whose contact c has its new
// fields, after advanceUpdates made room, and starts loading s's location.
func (q *Queue) deferRekey(s int32, c *contact.Contact) {
	prefetch.Pointer(unsafe.Pointer(&q.heap.loc[s]))
	q.pend[q.npend] = pending{s: s, c: c}
	q.npend++
}

// settleFront finishes the pending updates unless none of them can change which contact is
// routed next, so that Peek or Pop after updates that do not concern the front (most, in a
// large queue) costs what it costs with none pending, and the updates stay pending. The
// heap's front F is the least entry by the keys the heap holds, which are the contacts' own
// except for the pending ones. A pending update changes the front only if its contact is F
// (whose key may have grown) or its new key is not after F's (ties are not resolved, since
// the arrival sequence is in the entry, not read here); otherwise every contact's true key is
// after F's, and F stays the front. Popping F leaves the heap valid over the keys it holds,
// as a push does.
func (q *Queue) settleFront() {
	if q.npend == 0 {
		return
	}
	f, _ := q.heap.front()
	for _, p := range q.pend[:q.npend] {
		if p.s == f || !q.heap.afterTop(p.c) {
			q.settleUpdates()
			return
		}
	}
}

// settleUpdates finishes the pending updates, oldest first. Remove, Position and Ordered call
// it first; Peek and Pop call settleFront.
func (q *Queue) settleUpdates() {
	for _, p := range q.pend[:q.npend] {
		q.heap.rekey(p.s, p.c)
	}
	q.npend = 0
}

// Oldest returns the contact with the earliest real EnqueuedAt (ties: arrival order), the one
// OLDEST_CONTACT_AGE reports; priorities and age adjustments do not affect it. It returns false
// when the queue is empty. The cost is O(1).
func (q *Queue) Oldest() (*contact.Contact, bool) { return q.heap.Oldest() }

// Position returns the 1-based place in routing order of the contact with the given ID
// (POSITION_IN_QUEUE), or an error wrapping ErrNotFound. It counts the contacts of better
// priorities class by class and walks only the part of the contact's class routed ahead of it,
// so the cost is O(k + p) for k priorities in use and a result p: O(k) at the front, O(n) at
// the back. It does not allocate.
func (q *Queue) Position(id contact.ID) (int, error) {
	s, _, ok := q.ids.find(id)
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	q.settleUpdates()
	return q.heap.position(s), nil
}

// Ordered returns a snapshot of the queued contacts in routing order. The cost is
// O(n log n); it allocates the returned slice.
func (q *Queue) Ordered() []*contact.Contact {
	q.settleUpdates()
	return q.heap.Ordered()
}

// Each calls fn for every queued contact in storage order (not routing order) until fn returns
// false. The cost is O(n); it does not allocate.
func (q *Queue) Each(fn func(*contact.Contact) bool) { q.heap.Each(fn) }

// Fix re-reads the routing fields (Priority, AgeAdjustment) of the queued contact with the
// given ID after the caller changed them, and restores the routing order. It exists for
// callers that hold one contact in several queues and apply an update once (through Update
// on one of them) and then Fix the others. It returns an error wrapping ErrNotFound for an
// unknown ID. The cost is O(log n); it does not allocate. Like Update's, its heap work is
// deferred.
func (q *Queue) Fix(id contact.ID) error {
	q.advanceUpdates()
	s, c, ok := q.ids.find(id)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	q.deferRekey(s, c)
	return nil
}
