package bench

import (
	"container/heap"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/emirpasic/gods/trees/binaryheap"
	"github.com/emirpasic/gods/trees/redblacktree"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// The baselines exist only to be compared with queue.Queue. Each offers the operations the
// benchmarks use, by contact ID, with queue.Queue's semantics: a Priority of 0 becomes
// contact.DefaultPriority on Push, a duplicate ID or an invalid contact is rejected, an update
// is validated and changes the contact's Priority or cumulative AgeAdjustment. None is safe for
// concurrent use.

// contactQueue is what the benchmarks drive: queue.Queue's method set.
type contactQueue interface {
	Len() int
	Peek() (*contact.Contact, bool)
	Push(c *contact.Contact) error
	Pop() (*contact.Contact, bool)
	Update(id contact.ID, u contact.RoutingUpdate) error
	Remove(id contact.ID) (*contact.Contact, bool)
}

var (
	_ contactQueue = (*queue.Queue)(nil)
	_ contactQueue = (*containerHeapQueue)(nil)
	_ contactQueue = (*godsBinaryHeapQueue)(nil)
	_ contactQueue = (*godsRBTreeQueue)(nil)
)

var (
	errBaseDuplicate = errors.New("bench: duplicate contact ID")
	errBaseNotFound  = errors.New("bench: contact not found")
	errBaseInvalid   = errors.New("bench: invalid contact")

	baseMinTime = time.Unix(0, math.MinInt64)
	baseMaxTime = time.Unix(0, math.MaxInt64)
)

// baseItem is a queued contact in a baseline, with its routing key cached (as queue.Queue
// caches it in its heap entries) so that comparisons do not dereference the contact.
type baseItem struct {
	prio  int64
	key   int64
	seq   uint64
	index int // position in the slice; containerHeapQueue only
	c     *contact.Contact
}

// less reports whether a is routed before b: the key queue.Queue and contact.Less use.
func (a *baseItem) less(b *baseItem) bool {
	if a.prio != b.prio {
		return a.prio < b.prio
	}
	if a.key != b.key {
		return a.key < b.key
	}
	return a.seq < b.seq
}

// compareBaseItems is the gods comparator over *baseItem values.
func compareBaseItems(a, b any) int {
	x, y := a.(*baseItem), b.(*baseItem)
	switch {
	case x.less(y):
		return -1
	case y.less(x):
		return 1
	}
	return 0
}

// baseRegistry is the bookkeeping every baseline shares: the map from ID to item, the arrival
// sequence and a free list of items, so that a steady state allocates nothing here. Items are
// allocated itemChunk at a time, which keeps a large fixture cheap to build and to scan for
// the garbage collector.
const itemChunk = 256

type baseRegistry struct {
	byID map[contact.ID]*baseItem
	free []*baseItem
	seq  uint64
}

func newBaseRegistry() baseRegistry { return baseRegistry{byID: make(map[contact.ID]*baseItem)} }

// add validates c as queue.Queue.Push does, and returns a keyed item recorded under c.ID.
func (x *baseRegistry) add(c *contact.Contact) (*baseItem, error) {
	switch {
	case c == nil:
		return nil, fmt.Errorf("%w: nil contact", errBaseInvalid)
	case c.Priority < 0:
		return nil, fmt.Errorf("%w: contact %q has priority %d", errBaseInvalid, c.ID, c.Priority)
	case c.EnqueuedAt.Before(baseMinTime) || c.EnqueuedAt.After(baseMaxTime):
		return nil, fmt.Errorf("%w: contact %q enqueued at %v", errBaseInvalid, c.ID, c.EnqueuedAt)
	}
	if err := c.CheckAdjustment(0); err != nil {
		return nil, fmt.Errorf("%w: %w", errBaseInvalid, err)
	}
	if _, dup := x.byID[c.ID]; dup {
		return nil, fmt.Errorf("%w: %q", errBaseDuplicate, c.ID)
	}
	if c.Priority == 0 {
		c.Priority = contact.DefaultPriority
	}
	if len(x.free) == 0 {
		chunk := make([]baseItem, itemChunk)
		for i := range chunk {
			x.free = append(x.free, &chunk[i])
		}
	}
	it := x.free[len(x.free)-1]
	x.free = x.free[:len(x.free)-1]
	x.seq++
	*it = baseItem{prio: c.Priority, key: c.RoutingKey(), seq: x.seq, c: c}
	x.byID[c.ID] = it
	return it, nil
}

// drop forgets it and returns its contact.
func (x *baseRegistry) drop(it *baseItem) *contact.Contact {
	c := it.c
	delete(x.byID, c.ID)
	*it = baseItem{}
	x.free = append(x.free, it)
	return c
}

// lookupUpdate validates u for the contact with the given ID, as queue.Queue.Update does,
// and returns the contact's item without changing anything.
func (x *baseRegistry) lookupUpdate(id contact.ID, u contact.RoutingUpdate) (*baseItem, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	it, ok := x.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q", errBaseNotFound, id)
	}
	if u.AgeAdjustment != nil {
		if err := it.c.CheckAdjustment(*u.AgeAdjustment); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// applyUpdate applies a validated update to the item's contact and re-keys the item.
func applyUpdate(it *baseItem, u contact.RoutingUpdate) {
	c := it.c
	if u.AgeAdjustment != nil {
		c.AgeAdjustment += *u.AgeAdjustment
	} else {
		c.Priority = *u.Priority
	}
	it.prio, it.key = c.Priority, c.RoutingKey()
}

// containerHeapQueue is container/heap over []*baseItem, each item keeping its index so that
// an update is heap.Fix and a removal heap.Remove: all O(log n).
type containerHeapQueue struct {
	h baseItems
	baseRegistry
}

func newContainerHeap() contactQueue { return &containerHeapQueue{baseRegistry: newBaseRegistry()} }

// baseItems implements heap.Interface.
type baseItems []*baseItem

func (h baseItems) Len() int           { return len(h) }
func (h baseItems) Less(i, j int) bool { return h[i].less(h[j]) }
func (h baseItems) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *baseItems) Push(x any) {
	it := x.(*baseItem)
	it.index = len(*h)
	*h = append(*h, it)
}

func (h *baseItems) Pop() any {
	old := *h
	n := len(old) - 1
	it := old[n]
	old[n] = nil
	*h = old[:n]
	return it
}

func (q *containerHeapQueue) Len() int { return len(q.h) }

func (q *containerHeapQueue) Peek() (*contact.Contact, bool) {
	if len(q.h) == 0 {
		return nil, false
	}
	return q.h[0].c, true
}

func (q *containerHeapQueue) Push(c *contact.Contact) error {
	it, err := q.add(c)
	if err != nil {
		return err
	}
	heap.Push(&q.h, it)
	return nil
}

func (q *containerHeapQueue) Pop() (*contact.Contact, bool) {
	if len(q.h) == 0 {
		return nil, false
	}
	return q.drop(heap.Pop(&q.h).(*baseItem)), true
}

func (q *containerHeapQueue) Update(id contact.ID, u contact.RoutingUpdate) error {
	it, err := q.lookupUpdate(id, u)
	if err != nil {
		return err
	}
	applyUpdate(it, u)
	heap.Fix(&q.h, it.index)
	return nil
}

func (q *containerHeapQueue) Remove(id contact.ID) (*contact.Contact, bool) {
	it, ok := q.byID[id]
	if !ok {
		return nil, false
	}
	heap.Remove(&q.h, it.index)
	return q.drop(it), true
}

// godsBinaryHeapQueue is gods v1 binaryheap over *baseItem. Push and Pop are the heap's own,
// O(log n). The heap cannot find an element or re-sift one at a given place, and its Values
// and Iterator cost O(n log n) per element in v1.18.1, so the cheapest honest update and
// removal gods allows are rebuilds:
//
//   - Update changes the item's key in place, then calls Push with no values, which in gods
//     appends nothing and re-heapifies the whole list bottom-up (Floyd's method): O(n).
//   - Remove sets the item's key below every other key, rebuilds the same way, and Pops the
//     item from the root: O(n).
type godsBinaryHeapQueue struct {
	h *binaryheap.Heap
	baseRegistry
}

func newGodsBinaryHeap() contactQueue {
	return &godsBinaryHeapQueue{h: binaryheap.NewWith(compareBaseItems), baseRegistry: newBaseRegistry()}
}

func (q *godsBinaryHeapQueue) Len() int { return q.h.Size() }

func (q *godsBinaryHeapQueue) Peek() (*contact.Contact, bool) {
	v, ok := q.h.Peek()
	if !ok {
		return nil, false
	}
	return v.(*baseItem).c, true
}

func (q *godsBinaryHeapQueue) Push(c *contact.Contact) error {
	it, err := q.add(c)
	if err != nil {
		return err
	}
	q.h.Push(it)
	return nil
}

func (q *godsBinaryHeapQueue) Pop() (*contact.Contact, bool) {
	v, ok := q.h.Pop()
	if !ok {
		return nil, false
	}
	return q.drop(v.(*baseItem)), true
}

// rebuild restores the heap order of every element: binaryheap.Push with other than one value
// re-heapifies the whole list after appending them, here none.
func (q *godsBinaryHeapQueue) rebuild() { q.h.Push() }

func (q *godsBinaryHeapQueue) Update(id contact.ID, u contact.RoutingUpdate) error {
	it, err := q.lookupUpdate(id, u)
	if err != nil {
		return err
	}
	applyUpdate(it, u)
	q.rebuild()
	return nil
}

func (q *godsBinaryHeapQueue) Remove(id contact.ID) (*contact.Contact, bool) {
	it, ok := q.byID[id]
	if !ok {
		return nil, false
	}
	it.prio, it.key, it.seq = math.MinInt64, math.MinInt64, 0 // before every queued item
	q.rebuild()
	v, _ := q.h.Pop()
	if v.(*baseItem) != it {
		panic("bench: godsbinaryheap removed the wrong baseItem")
	}
	return q.drop(it), true
}

// godsRBTreeQueue is gods v1 redblacktree keyed by *baseItem (the comparator reads the cached
// key, so no key is boxed), with no values. Pop is Left then Remove, an update is a delete and
// an insert: all O(log n), and every insertion allocates a tree node.
type godsRBTreeQueue struct {
	t *redblacktree.Tree
	baseRegistry
}

func newGodsRBTree() contactQueue {
	return &godsRBTreeQueue{t: redblacktree.NewWith(compareBaseItems), baseRegistry: newBaseRegistry()}
}

func (q *godsRBTreeQueue) Len() int { return q.t.Size() }

func (q *godsRBTreeQueue) Peek() (*contact.Contact, bool) {
	n := q.t.Left()
	if n == nil {
		return nil, false
	}
	return n.Key.(*baseItem).c, true
}

func (q *godsRBTreeQueue) Push(c *contact.Contact) error {
	it, err := q.add(c)
	if err != nil {
		return err
	}
	q.t.Put(it, nil)
	return nil
}

func (q *godsRBTreeQueue) Pop() (*contact.Contact, bool) {
	n := q.t.Left()
	if n == nil {
		return nil, false
	}
	it := n.Key.(*baseItem)
	q.t.Remove(it)
	return q.drop(it), true
}

func (q *godsRBTreeQueue) Update(id contact.ID, u contact.RoutingUpdate) error {
	it, err := q.lookupUpdate(id, u)
	if err != nil {
		return err
	}
	q.t.Remove(it) // under the old key
	applyUpdate(it, u)
	q.t.Put(it, nil)
	return nil
}

func (q *godsRBTreeQueue) Remove(id contact.ID) (*contact.Contact, bool) {
	it, ok := q.byID[id]
	if !ok {
		return nil, false
	}
	q.t.Remove(it)
	return q.drop(it), true
}
