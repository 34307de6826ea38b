package queue

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/routesim/routesim/contact"
)

// arity is the number of children of a heap node: a 4-ary heap. With 16-byte entries, a node's
// children fill one cache line, so a sift reads one line per level over half as many levels
// as a binary heap, and writes half as many locations. (With 32-byte entries, 4 and 8
// measured no faster than 2; with 16-byte entries, 4 made Hold, Update and Remove at 1e6
// 6 to 9% faster; see the README's performance section.)
const arity = 4

// pad is the number of unused entries before the root. With it, the arity children of every
// node fill one aligned 64-byte block, a cache line, in a slice the allocator aligned.
const pad = arity - 1

// none marks the absence of a slot in the arrival list, or of a class.
const none = -1

// entry is one heap element: the part of the routing key that varies within a priority class,
// and the slot holding the contact. The priority is the class's. 16 bytes, four to a line.
type entry struct {
	key  int64  // EnqueuedAt - AgeAdjustment in ns, ascending (older first)
	seq  uint32 // arrival sequence, ascending; renumbered, order kept, before it would wrap
	slot int32  // index into Heap.slots and Heap.loc
}

// less reports whether a is routed before b, two entries of one class.
func (a *entry) less(b *entry) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return a.seq < b.seq
}

// class holds the contacts of one priority: a run of them in arrival order (see run.go) and a
// heap of the rest. Its front, the contact of this priority routed next, is the better of the
// run's front and the heap's root.
type class struct {
	prio int64
	h    []entry // the heap; h[:pad] unused, the root is h[pad]
	at   int32   // index in Heap.order, or none when the class is empty
	dead int32   // tombstones in the run

	// The run: a ring of entries in routing order, len a power of two (or 0), from counter
	// head to tail (ring index: counter & (len-1)). The entries at head and tail-1 are live.
	run        []entry
	head, tail uint32
}

// empty reports whether the class holds no contact.
func (cl *class) empty() bool { return len(cl.h) == pad && cl.head == cl.tail }

// size returns the number of contacts in the class.
func (cl *class) size() int { return len(cl.h) - pad + cl.runLen() - int(cl.dead) }

// frontAt returns where the class's front is within it, as loc.i: pad for the heap's root,
// ^p for index p of the run. The class must not be empty.
func (cl *class) frontAt() int32 {
	if cl.head == cl.tail {
		return pad
	}
	p := int32(cl.head & uint32(len(cl.run)-1))
	if len(cl.h) > pad && cl.h[pad].less(&cl.run[p]) {
		return pad
	}
	return ^p
}

// entry returns the entry at i within the class, as loc.i has it: h[i], or run[^i] for i < 0.
func (cl *class) entry(i int32) *entry {
	if i < 0 {
		return &cl.run[^i]
	}
	return &cl.h[i]
}

// first returns the entry of the class's front, which must not be empty.
func (cl *class) first() *entry { return cl.entry(cl.frontAt()) }

// loc is where a slot's entry is: its class, and its index in that class's h, or ^p for index
// p of the class's run (negative). The two share a dense array, apart from the slot records: i
// is written at every level of every sift, and a removal or an update by handle reads both,
// one cache miss instead of two.
type loc struct {
	i   int32
	cls int32
}

// slot is the per-contact record outside the heap: the contact, where its ID's bytes are (so
// that they can be loaded ahead without reading the contact first; see prefetchFront), where
// it is in arrival order (see arrival.go), the generation that makes handles to a reused slot
// stale, and the contact's arrival sequence, in one 32-byte record, two to a line: one
// prefetch brings all of it. Where its entry is, is in Heap.loc; the arrival list's key,
// EnqueuedAt, is read from the contact.
//
// seq repeats the entry's, so that rekey builds the updated entry from the slot record, which
// its caller reads anyway for the contact, instead of waiting for the entry's line first: at
// 1e6 contacts, one cache miss fewer in a row per update (Queue.Update from 1.47 to 1.41
// times container/heap's, medians of 4 alternating runs of BenchmarkPaired). The entry's
// line is then only written.
type slot struct {
	c    *contact.Contact
	id   unsafe.Pointer // the bytes of c.ID, for prefetching only
	prev int32          // arrival list: the previous slot, none at the head; inEarly in the early heap
	next int32          // arrival list: the next slot, none at the tail; in the early heap, the index there
	gen  uint32
	seq  uint32 // the arrival sequence, equal to the entry's
}

// Handle names one contact in one Heap, from the Push that returned it until the contact
// leaves that heap. A handle used afterwards is stale: the methods that take one report it
// (false, or an error wrapping ErrNotFound) even when the slot it named holds another contact
// by then, for up to 2^32 reuses of that slot.
type Handle uint64

func makeHandle(s int32, gen uint32) Handle { return Handle(uint64(gen)<<32 | uint64(uint32(s))) }

func (h Handle) slot() int32 { return int32(uint32(h)) }
func (h Handle) gen() uint32 { return uint32(h >> 32) }

// seqLimit is the last arrival sequence a push takes before renumber; a variable so that tests
// can make renumbering happen.
var seqLimit uint32 = math.MaxUint32

// Heap is the routing order of a set of contacts, addressed by the Handle that Push returns,
// with the contact enqueued first (Oldest) beside it. It has no index by contact ID; Queue
// adds one. Use Heap directly when you keep your own index and want to skip the cost of a map
// operation on every push and removal (routing does).
//
// Push, Pop, Remove and Fix cost O(log n) whatever the order of EnqueuedAt; Peek, PeekKey,
// Oldest, Contact and Len cost O(1). Build one with NewHeap; the zero value is not usable. A
// Heap is not safe for concurrent use with writers (Push, Pop, Remove, Fix); its read-only
// methods write nothing, so any number of goroutines may call them at once.
type Heap struct {
	// Inside: one 4-ary min-heap over a typed slice, and a run, per priority class (class.go,
	// run.go); a small heap of the classes; the arrival list and early heap (arrival.go).
	//
	// n, topPrio and topKey come first, on one line: PeekKey reads nothing else. topPrio and
	// topKey are the key of the contact routed next, set by every operation that can change
	// it, and meaningless when n is 0.
	n       int
	topPrio int64
	topKey  int64

	classes []class
	order   []int32         // min-heap by prio of the non-empty classes
	byPrio  map[int64]int32 // the class of each priority, for every class not in spare
	spare   []int32         // classes free for reuse
	last    int32           // the class last pushed to: looked at before byPrio

	loc   []loc // by slot: where its entry is
	slots []slot
	free  []int32
	seq   uint32

	// Arrival order (see arrival.go): the list's ends, and the early heap; tailEnq is the
	// tail's EnqueuedAt (ns) when tailKnown (see tailAt).
	head, tail int32
	early      []entry
	tailEnq    int64
	tailKnown  bool
}

// NewHeap returns an empty heap.
func NewHeap() *Heap {
	return &Heap{byPrio: make(map[int64]int32), last: none, head: none, tail: none}
}

// Len returns the number of contacts in the heap. The cost is O(1).
func (q *Heap) Len() int { return q.n }

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
// The cost is O(log n) (amortized; see the package doc) whatever the order of EnqueuedAt, and
// O(1) for a contact without an age adjustment enqueued no earlier than any other (arrivals
// in order). Push does not allocate once the heap has held as many contacts before.
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
	seq := q.nextSeq()
	s := q.alloc()
	sl := &q.slots[s]
	sl.c, sl.id, sl.seq = c, unsafe.Pointer(unsafe.StringData(string(c.ID))), seq
	q.linkArrival(s, c.EnqueuedAt.UnixNano(), seq)
	q.insert(q.classFor(c.Priority), entry{key: c.RoutingKey(), seq: seq, slot: s}, c.AgeAdjustment == 0)
	q.n++
	q.setTop()
	return makeHandle(s, sl.gen)
}

// nextSeq returns the next arrival sequence, renumbering first when the sequence would wrap.
func (q *Heap) nextSeq() uint32 {
	if q.seq >= seqLimit {
		q.renumber()
	}
	q.seq++
	return q.seq
}

// renumber gives the contacts in the heap the sequences 1..n in their present sequence order,
// which keeps every comparison as it was, in their class entries and in the early heap. It
// runs once in 2^32 pushes, costs O(n log n) and allocates.
func (q *Heap) renumber() {
	es := make([]*entry, 0, q.n)
	for _, ci := range q.order {
		q.classes[ci].each(func(e *entry) bool {
			es = append(es, e)
			return true
		})
	}
	slices.SortFunc(es, func(a, b *entry) int { return cmp.Compare(a.seq, b.seq) })
	for i, e := range es {
		e.seq = uint32(i + 1)
		q.slots[e.slot].seq = e.seq
	}
	for i := range q.early {
		q.early[i].seq = q.slots[q.early[i].slot].seq
	}
	q.seq = uint32(len(es))
}

// live returns the slot of h, or false when h is stale or was never issued by q.
func (q *Heap) live(h Handle) (int32, bool) {
	s := h.slot()
	if s < 0 || int(s) >= len(q.slots) || q.slots[s].gen != h.gen() || q.slots[s].c == nil {
		return 0, false
	}
	return s, true
}

// front returns the slot of the contact routed next and its location; the heap must not be
// empty. It reads the front class's first lines, not loc.
func (q *Heap) front() (int32, loc) {
	ci := q.order[0]
	cl := &q.classes[ci]
	i := cl.frontAt()
	return cl.entry(i).slot, loc{i: i, cls: ci}
}

// Peek returns the contact routed next without removing it, and false when the heap is
// empty. The cost is O(1).
func (q *Heap) Peek() (*contact.Contact, bool) {
	if q.n == 0 {
		return nil, false
	}
	s, _ := q.front()
	return q.slots[s].c, true
}

// PeekKey returns the routing key of the contact routed next, as the heap holds it: its
// Priority and RoutingKey as of its last Push or Fix, and false when the heap is empty. A
// caller choosing among many heaps compares their heads with it without reading any contact.
// The cost is O(1).
func (q *Heap) PeekKey() (prio, key int64, ok bool) {
	// It reads only n, topPrio and topKey, on one line of the Heap itself: a router comparing
	// many heads waits for no chain of loads per heap.
	return q.topPrio, q.topKey, q.n > 0
}

// setTop records the key of the contact routed next for PeekKey; every operation that can
// change it calls setTop last.
func (q *Heap) setTop() {
	if len(q.order) == 0 {
		q.topPrio, q.topKey = 0, 0
		return
	}
	cl := &q.classes[q.order[0]]
	q.topPrio, q.topKey = cl.prio, cl.first().key
}

// Pop removes and returns the contact routed next, and false when the heap is empty. The
// cost is O(log n) (amortized; see the package doc); it does not allocate.
func (q *Heap) Pop() (*contact.Contact, bool) {
	if q.n == 0 {
		return nil, false
	}
	s, l := q.front()
	q.detach(l)
	q.setTop()
	return q.release(s), true
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
// O(log n) (amortized; see the package doc); it does not allocate.
func (q *Heap) Remove(h Handle) (*contact.Contact, bool) {
	s, ok := q.live(h)
	if !ok {
		return nil, false
	}
	return q.remove(s), true
}

// remove takes the contact in slot s out of the heap and frees the slot.
func (q *Heap) remove(s int32) *contact.Contact {
	q.detach(q.loc[s])
	q.setTop()
	return q.release(s)
}

// Fix re-reads the routing fields (Priority, AgeAdjustment) of the contact h names after the
// caller changed them, and restores the routing order. It reports false when h is stale. It
// exists for callers that hold one contact in several heaps: validate and apply an update to
// the contact once, then Fix it in each heap. The cost is O(log n) (amortized; see the
// package doc); it does not allocate once the heap has held a contact of the new priority.
func (q *Heap) Fix(h Handle) bool {
	s, ok := q.live(h)
	if !ok {
		return false
	}
	q.rekey(s, q.slots[s].c)
	return true
}

// rekey copies the routing key of slot s's contact c into its entry and restores the order. A
// new priority moves the entry to that priority's class, with its arrival sequence. c is
// passed in by the caller, which has read it already.
func (q *Heap) rekey(s int32, c *contact.Contact) {
	l := q.loc[s]
	cl := &q.classes[l.cls]
	// Built from the slot record, not read from the entry's line (see slot).
	e := entry{key: c.RoutingKey(), seq: q.slots[s].seq, slot: s}
	if l.i >= 0 && cl.prio == c.Priority {
		if i := int(l.i); !q.down(cl, i, e) {
			q.up(cl, i, e)
		}
		q.setTop()
		return
	}
	// Out of the run (its order would break) or into another class, with its sequence.
	q.detach(l)
	q.insert(q.classFor(c.Priority), e, c.AgeAdjustment == 0)
	q.setTop()
}

// alloc returns a free slot index, reusing freed ones.
func (q *Heap) alloc() int32 {
	if n := len(q.free); n > 0 {
		s := q.free[n-1]
		q.free = q.free[:n-1]
		return s
	}
	q.slots = append(q.slots, slot{})
	q.loc = append(q.loc, loc{cls: none})
	return int32(len(q.slots) - 1)
}

// release unlinks slot s, whose entry is already out of its class, from the arrival list,
// frees it, and returns its contact.
func (q *Heap) release(s int32) *contact.Contact {
	q.n--
	q.unlinkArrival(s)
	sl := &q.slots[s]
	c := sl.c
	*sl = slot{gen: sl.gen + 1}
	q.free = append(q.free, s)
	return c
}
