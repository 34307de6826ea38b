package queue

import (
	"cmp"
	"slices"

	"github.com/routesim/routesim/contact"
)

// PushOrder returns the contacts in the order the heap numbered them as they arrived (their
// arrival sequence in this heap, which Fix keeps). Contacts of equal QueuePriority and
// routing age are routed in that order, so pushing the contacts in this order into an empty
// heap gives one that routes them, and any of them updated later, exactly as this one does:
// what a snapshot needs. The cost is O(n log n); it allocates the returned slice.
func (q *Heap) PushOrder() []*contact.Contact {
	es := make([]entry, 0, q.n)
	for _, ci := range q.order {
		q.classes[ci].each(func(e *entry) bool {
			es = append(es, *e)
			return true
		})
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]*contact.Contact, len(es))
	for i := range es {
		out[i] = q.slots[es[i].slot].c
	}
	return out
}
