package queue

import (
	"unsafe"

	"github.com/routesim/routesim/internal/prefetch"
)

// Priority classes. A Heap keeps one 4-ary heap per priority in use, and a small heap of the
// non-empty classes by priority. The contact routed next is the root of the class at the root
// of that small heap. Within a class every entry has the same priority, so an entry holds
// only the rest of the key (16 bytes instead of 32), and a pop or a push of a contact of one
// priority touches only the entries of that priority.
//
// A class that empties leaves the small heap but keeps its place in byPrio and its slice, so
// that a priority that comes and goes (a lightly loaded queue) costs no map operation and no
// allocation. Empty classes are swept out of byPrio when a new class would otherwise make
// them outnumber the non-empty ones by more than sweepSlack.

// sweepSlack is how many more empty than non-empty classes a heap keeps before sweeping.
const sweepSlack = 8

// classFor returns the class of priority prio, creating it when there is none.
func (q *Heap) classFor(prio int64) int32 {
	if l := q.last; l != none && q.classes[l].prio == prio {
		return l
	}
	ci, ok := q.byPrio[prio]
	if !ok {
		ci = q.newClass(prio)
	}
	q.last = ci
	return ci
}

// newClass adds an empty class of priority prio, which must have none.
func (q *Heap) newClass(prio int64) int32 {
	if len(q.byPrio) > 2*len(q.order)+sweepSlack {
		q.sweep()
	}
	var ci int32
	if n := len(q.spare); n > 0 {
		ci = q.spare[n-1]
		q.spare = q.spare[:n-1]
	} else {
		q.classes = append(q.classes, class{h: make([]entry, pad)})
		ci = int32(len(q.classes) - 1)
	}
	cl := &q.classes[ci]
	cl.prio, cl.h, cl.at = prio, cl.h[:pad], none
	cl.head, cl.tail, cl.dead = 0, 0, 0
	q.byPrio[prio] = ci
	return ci
}

// sweep moves every empty class to spare, in index order (so that which class a priority
// gets next does not depend on map iteration), and lets go of its entries' storage.
func (q *Heap) sweep() {
	for i := range q.classes {
		ci, cl := int32(i), &q.classes[i]
		if cur, ok := q.byPrio[cl.prio]; ok && cur == ci && cl.at == none {
			delete(q.byPrio, cl.prio)
			cl.h, cl.run = make([]entry, pad), nil
			q.spare = append(q.spare, ci)
		}
	}
	q.last = none
}

// insert adds e to class ci and records where it went: at the back of the class's run when
// fifo is set (the contact has no age adjustment) and e is routed after the run's back entry,
// in the class's heap otherwise.
func (q *Heap) insert(ci int32, e entry, fifo bool) {
	cl := &q.classes[ci]
	wasEmpty := cl.at == none
	if fifo && cl.runTakes(&e) {
		q.runPush(ci, e)
	} else {
		cl.h = append(cl.h, e)
		q.loc[e.slot].cls = ci
		q.up(cl, len(cl.h)-1, e)
	}
	if wasEmpty {
		q.enlist(ci)
	}
}

// detach removes the entry at location l from its class, leaving its slot as it is. When the
// entry was the class's front, it starts loading what taking the new front will read (see
// prefetchFront).
func (q *Heap) detach(l loc) {
	cl := &q.classes[l.cls]
	front := l.i == cl.frontAt()
	if l.i < 0 {
		q.runRemove(l.cls, int(^l.i))
	} else {
		q.detachAt(cl, int(l.i))
	}
	switch {
	case cl.empty():
		q.delist(l.cls)
	case front:
		q.prefetchFront(cl)
	}
}

// detachAt removes entry i of cl's heap.
func (q *Heap) detachAt(cl *class, i int) {
	last := len(cl.h) - 1
	e := cl.h[last]
	cl.h = cl.h[:last]
	if i != last && !q.down(cl, i, e) {
		q.up(cl, i, e)
	}
}

// prefetchFront starts loading, without waiting for them, the lines that taking the next
// fronts of cl will read: their contacts and their IDs' bytes (a Queue's Pop hashes them to
// delete the ID from its map; any caller reads the contact), found through their slot records,
// which were prefetched earlier in turn. A router picking the best of many heads, or a Pop,
// then finds them in cache instead of following a chain of misses.
//
// The run's order is known in advance: the contacts of the entry runAhead1 places behind the
// front are loaded now, and the slot record of the one runAhead2 behind it, so that each has
// a few operations' time to arrive. The heap's next root is not known until the sift that
// makes it: its contact is loaded when it becomes the root, and the slot record of the least
// child of the root, the likeliest next root, now.
func (q *Heap) prefetchFront(cl *class) {
	if n := uint32(cl.runLen()); n > runAhead1 {
		if s := cl.runAt(cl.head + runAhead1).slot; s != none {
			q.prefetchContact(s)
		}
		if n > runAhead2 {
			if s := cl.runAt(cl.head + runAhead2).slot; s != none {
				prefetch.Pointer(unsafe.Pointer(&q.slots[s]))
			}
		}
	}
	if cl.frontAt() != pad {
		return
	}
	h := cl.h
	q.prefetchContact(h[pad].slot)
	if first := firstChild(pad); first < len(h) {
		prefetch.Pointer(unsafe.Pointer(&q.slots[h[leastChild(h, first)].slot]))
	}
}

// How far behind the front of a run prefetchFront loads contacts (runAhead1) and slot
// records (runAhead2).
const (
	runAhead1 = 2
	runAhead2 = 4
)

// prefetchContact starts loading the contact of slot s, all of its lines, and its ID's bytes.
// It reads the slot record, which should be in cache.
func (q *Heap) prefetchContact(s int32) {
	sl := &q.slots[s]
	prefetch.Pointer(unsafe.Pointer(sl.c))
	prefetch.Pointer(unsafe.Add(unsafe.Pointer(sl.c), 64))
	prefetch.Pointer(unsafe.Add(unsafe.Pointer(sl.c), unsafe.Sizeof(*sl.c)-1))
	prefetch.Pointer(sl.id)
}

// firstChild returns the index in a class's h of the first of node i's arity children;
// parent is its inverse. Indexes count the pad entries, so the root is pad.
func firstChild(i int) int { return arity*(i-pad) + 1 + pad }
func parent(i int) int     { return (i-pad-1)/arity + pad }

// leastChild returns the index of the least of the children of a node of h whose first child
// is first, which must be in h.
func leastChild(h []entry, first int) int {
	c := first
	for k := first + 1; k < min(first+arity, len(h)); k++ {
		if h[k].less(&h[c]) {
			c = k
		}
	}
	return c
}

// up places e, which belongs at index j of cl, there or nearer the root, shifting parents
// down; it records where every entry it moves goes. What h[j] holds is not read: e comes in a
// register, never read back from h, where the separate stores of its fields would keep the
// load from being forwarded and hold it up behind every store before it (see insert).
func (q *Heap) up(cl *class, j int, e entry) {
	h := cl.h
	for j > pad {
		p := parent(j)
		if !e.less(&h[p]) {
			break
		}
		h[j] = h[p]
		q.loc[h[j].slot].i = int32(j)
		j = p
	}
	h[j] = e
	q.loc[e.slot].i = int32(j)
}

// down places e, which belongs at index i of cl, there or nearer the leaves, shifting the
// least children up; it records where every entry it moves goes, and reports whether e went
// below i. As in up, what h[i] holds is not read.
func (q *Heap) down(cl *class, i int, e entry) bool {
	h := cl.h
	n := len(h)
	j := i
	for {
		first := firstChild(j)
		if first >= n {
			break
		}
		c := leastChild(h, first)
		if !h[c].less(&e) {
			break
		}
		h[j] = h[c]
		q.loc[h[j].slot].i = int32(j)
		j = c
	}
	h[j] = e
	q.loc[e.slot].i = int32(j)
	return j > i
}

// The order of classes: a binary min-heap of class indexes by priority, each class knowing
// its index in it (class.at).

// enlist adds class ci, which has just become non-empty, to the order.
func (q *Heap) enlist(ci int32) {
	q.order = append(q.order, ci)
	q.orderUp(len(q.order) - 1)
}

// delist takes class ci, which has just become empty, out of the order.
func (q *Heap) delist(ci int32) {
	i := int(q.classes[ci].at)
	last := len(q.order) - 1
	q.classes[ci].at = none
	if i != last {
		q.order[i] = q.order[last]
		q.classes[q.order[i]].at = int32(i)
	}
	q.order = q.order[:last]
	if i != last && !q.orderDown(i) {
		q.orderUp(i)
	}
}

func (q *Heap) orderLess(i, j int) bool {
	return q.classes[q.order[i]].prio < q.classes[q.order[j]].prio
}

func (q *Heap) orderSwap(i, j int) {
	o := q.order
	o[i], o[j] = o[j], o[i]
	q.classes[o[i]].at, q.classes[o[j]].at = int32(i), int32(j)
}

func (q *Heap) orderUp(j int) {
	q.classes[q.order[j]].at = int32(j)
	for j > 0 {
		p := (j - 1) / 2
		if !q.orderLess(j, p) {
			return
		}
		q.orderSwap(j, p)
		j = p
	}
}

func (q *Heap) orderDown(i int) bool {
	j, n := i, len(q.order)
	for {
		c := 2*j + 1
		if c >= n {
			break
		}
		if c+1 < n && q.orderLess(c+1, c) {
			c++
		}
		if !q.orderLess(c, j) {
			break
		}
		q.orderSwap(j, c)
		j = c
	}
	return j > i
}
