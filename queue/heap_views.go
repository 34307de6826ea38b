package queue

import (
	"cmp"
	"slices"

	"github.com/routesim/routesim/contact"
)

// Reading a Heap without changing it: a contact's position in queue, a snapshot in routing
// order, and a walk in storage order.

// Position returns the 1-based place in routing order of the contact h names
// (POSITION_IN_QUEUE), and false when h is stale. It counts the contacts of better
// priorities class by class, and walks only the part of the contact's class routed ahead of
// it (with the places of contacts removed from among them), so the cost is O(k + p) for k
// priorities in use and a result p, plus those places: O(n) at worst. It does not allocate.
func (q *Heap) Position(h Handle) (int, bool) {
	s, ok := q.live(h)
	if !ok {
		return 0, false
	}
	return q.position(s), true
}

// position returns the 1-based place in routing order of the contact in slot s.
func (q *Heap) position(s int32) int {
	cl := &q.classes[q.loc[s].cls]
	ahead := 0
	for _, ci := range q.order {
		if o := &q.classes[ci]; o.prio < cl.prio {
			ahead += o.size()
		}
	}
	target := *cl.entry(q.loc[s].i)
	return ahead + countAhead(cl.h, pad, &target) + cl.runAhead(&target) + 1
}

// countAhead counts the entries of h in the subtree rooted at i routed before target. A
// subtree whose root is not ahead holds nothing ahead, by the heap invariant.
func countAhead(h []entry, i int, target *entry) int {
	if i >= len(h) || !h[i].less(target) {
		return 0
	}
	n := 1
	for c := firstChild(i); c < firstChild(i)+arity; c++ {
		n += countAhead(h, c, target)
	}
	return n
}

// Ordered returns a snapshot of the contacts in routing order. The cost is O(n log n); it
// allocates the returned slice.
func (q *Heap) Ordered() []*contact.Contact {
	type keyed struct {
		prio int64
		e    entry
	}
	es := make([]keyed, 0, q.n)
	for _, ci := range q.order {
		cl := &q.classes[ci]
		cl.each(func(e *entry) bool {
			es = append(es, keyed{cl.prio, *e})
			return true
		})
	}
	slices.SortFunc(es, func(a, b keyed) int {
		if a.prio != b.prio {
			return cmp.Compare(a.prio, b.prio)
		}
		if a.e.less(&b.e) {
			return -1
		}
		return 1
	})
	out := make([]*contact.Contact, len(es))
	for i := range es {
		out[i] = q.slots[es[i].e.slot].c
	}
	return out
}

// Each calls fn for every contact in storage order (not routing order) until fn returns
// false. The cost is O(n); it does not allocate.
func (q *Heap) Each(fn func(*contact.Contact) bool) {
	for _, ci := range q.order {
		if !q.classes[ci].each(func(e *entry) bool { return fn(q.slots[e.slot].c) }) {
			return
		}
	}
}
