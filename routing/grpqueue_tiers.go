package routing

import (
	"fmt"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// What a group queue needs beyond routing: a delay tier inserted before it at runtime (a
// profile change, see tierAt) and an exact snapshot and restore (see ranks and install).

// retag makes q the queue of tier ti, after a tier was inserted before it: its bit in
// record.runs, its records' bits and where they keep their handles. The caller moves the
// handles in the records (tierAt inserts into record.tiers) and retags a group's tiers from
// the last one down, so that a bit is given only once its queue has moved on. A queue losing
// its bit (ti reaching 63) first moves its run into its heap. O(n) for n contacts in q.
func (q *grpQueue) retag(ti int) {
	var bit uint64
	if ti < 63 {
		bit = 1 << (ti + 1)
	}
	if bit == 0 && q.bit != 0 {
		q.spill() // while the handles are still at q.ti
	}
	for p := q.head; p < q.tail; p++ {
		if r := q.at(p).r; r != nil {
			r.runs = r.runs&^q.bit | bit
		}
	}
	q.ti, q.bit = ti, bit
}

// spill moves the run's contacts into the heap, in run order. Routing order stays but for
// exact ties of routing key between a contact of the run and one already in the heap, which
// the heap then breaks by its push order rather than by arrival (a lane with 63 delays
// before the queue's). O(n log n).
func (q *grpQueue) spill() {
	for p := q.head; p < q.tail; p++ {
		r := q.at(p).r
		if r == nil {
			continue
		}
		r.runs &^= q.bit
		h, err := q.heap.Push(&r.c)
		if err != nil {
			panic(fmt.Sprintf("routing: internal error: spilling a contact: %v", err))
		}
		*q.handle(r) = h
		q.hn++
	}
	clear(q.buf)
	q.head, q.tail, q.holes = 0, 0, 0
	q.setTop()
}

// pushHeap adds r to q's heap, never to its run: a restore puts back there a contact the
// snapshot found in the heap. It returns r's handle. O(log n).
func (q *grpQueue) pushHeap(r *record) (queue.Handle, error) {
	h, err := q.heap.Push(&r.c)
	if err != nil {
		return 0, err
	}
	q.n++
	q.hn++
	q.setTop()
	return h, nil
}

// pushOrder returns q's contacts in an order that gives q back when pushed into an empty
// group queue, those of the run (in their records' runs bit) with push and the others with
// pushHeap: the run's in run order, which is (routing key, arrival) order, then the heap's in
// queue.Heap.PushOrder. O(n log n).
func (q *grpQueue) pushOrder() []*contact.Contact {
	out := make([]*contact.Contact, 0, q.n)
	for p := q.head; p < q.tail; p++ {
		if r := q.at(p).r; r != nil {
			out = append(out, &r.c)
		}
	}
	return append(out, q.heap.PushOrder()...)
}

// pushAs adds r to its step's queue i (all for i < 0) as a restore does: into the heap of a
// group queue whose bit runs lacks, else as pushIn does.
func (r *record) pushAs(i int, runs uint64) (queue.Handle, error) {
	if r.grp != nil {
		if q := r.gq(i); runs&q.bit == 0 {
			return q.pushHeap(r)
		}
	}
	return r.pushIn(i)
}

// enterRestored is enter(r, 0) for a restored contact: in a group, into the heap of its all
// queue unless runs has bit 0 (see ContactSnapshot.Runs).
func (in *Instance) enterRestored(r *record, runs uint64) error {
	if !r.hasCrit || int(r.cs.step) >= len(r.cs.crit.steps) {
		return in.enter(r, 0)
	}
	x := r.cs.crit.steps[r.cs.step].x
	r.grp = r.lane.group(x)
	in.activate(x)
	h, err := r.pushAs(-1, runs)
	if err != nil {
		in.leaveGroup(r)
		return err
	}
	r.all = h
	return nil
}

// checkRuns refuses a snapshot's Runs with a bit of a queue the contact r, checked, does not
// wait in; f names the contact's field.
func checkRuns(c *ContactSnapshot, r *record, f string) error {
	if c.Runs != 0 && (r.state != Waiting || !r.hasCrit || int(r.cs.step) >= len(r.cs.crit.steps) ||
		c.DelaysReached < 63 && c.Runs>>(c.DelaysReached+1) != 0) {
		return snapErr(f+".runs", "%#x has bits of queues contact %q does not wait in", c.Runs, c.ID)
	}
	return nil
}
