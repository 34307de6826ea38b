package queue

import (
	"errors"
	"fmt"

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

// Queue is a routing queue of contacts addressed by ID: a Heap plus a map from contact ID to
// the contact's Handle. Build one with New; the zero value is not usable.
//
// A Queue is not safe for concurrent use with writers (Push, Pop, Remove, Update, Fix). Its
// read-only methods (Len, Peek, Get, Oldest, Position, Ordered, Each) write nothing, so any
// number of goroutines may call them at once while no writer runs.
type Queue struct {
	heap Heap
	ids  map[contact.ID]Handle
}

// New returns an empty queue.
func New() *Queue {
	return &Queue{heap: *NewHeap(), ids: make(map[contact.ID]Handle)}
}

// Len returns the number of contacts in the queue. The cost is O(1).
func (q *Queue) Len() int { return q.heap.Len() }

// Push adds c to the queue. A Priority of 0 means "not set" and is replaced by
// contact.DefaultPriority. It returns an error wrapping ErrInvalidContact for a nil contact, a
// negative priority, an EnqueuedAt outside the years 1678..2262, or an AgeAdjustment that
// overflows the routing key; and one wrapping ErrDuplicate when the ID is already queued. A
// rejected push changes nothing, c included.
//
// The cost is O(log n) (amortized; see the package doc) whatever the order of EnqueuedAt,
// plus a map insertion. Push does not allocate once the queue has held as many contacts
// before.
func (q *Queue) Push(c *contact.Contact) error {
	if err := check(c); err != nil {
		return err
	}
	if _, dup := q.ids[c.ID]; dup {
		return fmt.Errorf("%w: %q", ErrDuplicate, c.ID)
	}
	q.ids[c.ID] = q.heap.push(c)
	return nil
}

// Peek returns the contact routed next without removing it, and false when the queue is
// empty. The cost is O(1).
func (q *Queue) Peek() (*contact.Contact, bool) { return q.heap.Peek() }

// Pop removes and returns the contact routed next, and false when the queue is empty. The
// cost is O(log n) (amortized; see the package doc), plus a map deletion; it does not
// allocate.
func (q *Queue) Pop() (*contact.Contact, bool) {
	c, ok := q.heap.Pop()
	if ok {
		delete(q.ids, c.ID)
	}
	return c, ok
}

// Get returns the queued contact with the given ID. The cost is O(1), a map lookup.
func (q *Queue) Get(id contact.ID) (*contact.Contact, bool) {
	h, ok := q.ids[id]
	if !ok {
		return nil, false
	}
	return q.heap.Contact(h)
}

// Remove removes and returns the contact with the given ID, as when it abandons or is
// transferred, and false when it is not queued. The cost is O(log n) (amortized; see the
// package doc), plus a map deletion; it does not allocate.
func (q *Queue) Remove(id contact.ID) (*contact.Contact, bool) {
	h, ok := q.ids[id]
	if !ok {
		return nil, false
	}
	delete(q.ids, id)
	return q.heap.Remove(h)
}

// Update applies u to the queued contact with the given ID: it sets the priority, or adds the
// age adjustment to the contact's cumulative AgeAdjustment, and restores the routing order.
// It returns an error wrapping ErrNotFound for an unknown ID, and one wrapping
// contact.ErrInvalidUpdate for an invalid update or an adjustment that would overflow the
// routing key. A rejected update changes nothing. EnqueuedAt, and so QueueWait and Oldest,
// never change. The cost is O(log n) (amortized; see the package doc), plus a map lookup; it
// does not allocate once the queue has held a contact of the new priority.
func (q *Queue) Update(id contact.ID, u contact.RoutingUpdate) error {
	// Validated before the lookup, so an invalid update is reported before an unknown ID, as
	// Connect does; Apply's own check repeats two nil tests.
	if err := u.Validate(); err != nil {
		return err
	}
	h, ok := q.ids[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	s := h.slot()
	c := q.heap.slots[s].c
	if err := c.Apply(u); err != nil {
		return err
	}
	q.heap.rekey(s, c)
	return nil
}

// Oldest returns the contact with the earliest real EnqueuedAt (ties: arrival order), the one
// OLDEST_CONTACT_AGE reports; priorities and age adjustments do not affect it. It returns false
// when the queue is empty. The cost is O(1).
func (q *Queue) Oldest() (*contact.Contact, bool) { return q.heap.Oldest() }

// Position returns the 1-based place in routing order of the contact with the given ID
// (POSITION_IN_QUEUE), or an error wrapping ErrNotFound. The cost is Heap.Position's: O(k + p)
// for k priorities in use and a result p, plus the places of contacts removed from among
// them; O(n) at worst. It does not allocate.
func (q *Queue) Position(id contact.ID) (int, error) {
	h, ok := q.ids[id]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return q.heap.position(h.slot()), nil
}

// Ordered returns a snapshot of the queued contacts in routing order. The cost is
// O(n log n); it allocates the returned slice.
func (q *Queue) Ordered() []*contact.Contact { return q.heap.Ordered() }

// Each calls fn for every queued contact in storage order (not routing order) until fn returns
// false. The cost is O(n); it does not allocate.
func (q *Queue) Each(fn func(*contact.Contact) bool) { q.heap.Each(fn) }

// Fix re-reads the routing fields (Priority, AgeAdjustment) of the queued contact with the
// given ID after the caller changed them, and restores the routing order. It exists for
// callers that hold one contact in several queues and apply an update once (through Update
// on one of them) and then Fix the others. It returns an error wrapping ErrNotFound for an
// unknown ID. The cost is O(log n) (amortized; see the package doc), plus a map lookup; it
// does not allocate once the queue has held a contact of the new priority.
func (q *Queue) Fix(id contact.ID) error {
	h, ok := q.ids[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	q.heap.Fix(h)
	return nil
}
