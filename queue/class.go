package queue

import "unsafe"

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
			cl.h = make([]entry, pad)
			q.spare = append(q.spare, ci)
		}
	}
	q.last = none
}

// insert adds e to class ci and records where it went.
func (q *Heap) insert(ci int32, e entry) {
	cl := &q.classes[ci]
	cl.h = append(cl.h, e)
	q.loc[e.slot].cls = ci
	q.up(cl, len(cl.h)-1)
	if cl.at == none {
		q.enlist(ci)
	}
}

// detachAt removes entry i of class ci from the class, leaving its slot as it is.
func (q *Heap) detachAt(ci int32, i int) {
	cl := &q.classes[ci]
	last := len(cl.h) - 1
	if i != last {
		cl.h[i] = cl.h[last]
		q.loc[cl.h[i].slot].i = int32(i)
	}
	cl.h = cl.h[:last]
	if i != last && !q.down(cl, i) {
		q.up(cl, i)
	}
	switch {
	case last == pad:
		q.delist(ci)
	case i == pad:
		// A new root: whoever takes it next (a Pop, a router picking the best head) reads
		// its slot record first. Start that line on its way now, without waiting for it.
		prefetch(unsafe.Pointer(&q.slots[cl.h[pad].slot]))
	}
}

// firstChild returns the index in a class's h of the first of node i's arity children;
// parent is its inverse. Indexes count the pad entries, so the root is pad.
func firstChild(i int) int { return arity*(i-pad) + 1 + pad }
func parent(i int) int     { return (i-pad-1)/arity + pad }

// up moves entry j of cl toward the root, holding it aside and shifting parents down.
func (q *Heap) up(cl *class, j int) {
	h := cl.h
	e := h[j]
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

// down moves entry i of cl toward the leaves and reports whether it moved.
func (q *Heap) down(cl *class, i int) bool {
	h := cl.h
	n := len(h)
	e := h[i]
	j := i
	for {
		first := firstChild(j)
		if first >= n {
			break
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
