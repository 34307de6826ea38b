package queue

import (
	"fmt"
	"unsafe"

	"github.com/routesim/routesim/contact"
)

// verify checks every internal invariant of q (its heap's, see verifyHeap, and its ID
// index's, see verifyIndex) and returns an error naming the first one that fails.
func verify(q *Queue) error {
	if q == nil {
		return fmt.Errorf("verify: nil queue")
	}
	live, err := verifyHeap(&q.heap)
	if err != nil {
		return err
	}
	return verifyIndex(q, live)
}

// verifyHeap checks every internal invariant of hp and returns the set of live slots:
//
//   - classes: each is either in byPrio under its own priority or in spare, never both; the
//     order holds exactly the non-empty classes of byPrio, in heap order by priority, each
//     knowing its place (at); last is none or a class of byPrio;
//   - heap order within each class: no entry is routed before its parent;
//   - each class's run: a ring of a power-of-two length, its entries in routing order, live at
//     both ends, with as many tombstones as dead counts, reset to counter 0 when empty;
//   - each entry points at a live slot whose loc points back at the entry, the entry's key and
//     its class's priority equal the contact's (RoutingKey, Priority), and a run holds it only
//     without an age adjustment; its seq is in 1..hp.seq and no other entry has it;
//   - arrival order (see verifyArrival): the arrival list and the early heap hold the live
//     slots between them, each once, each in order by (EnqueuedAt, seq);
//   - the free list holds exactly the slots not in use, each once and each cleared.
func verifyHeap(hp *Heap) (map[int32]bool, error) {
	if len(hp.loc) != len(hp.slots) {
		return nil, fmt.Errorf("verify: %d locations for %d slots", len(hp.loc), len(hp.slots))
	}
	if err := verifyClasses(hp); err != nil {
		return nil, err
	}
	live, err := verifyEntries(hp)
	if err != nil {
		return nil, err
	}
	if hp.n > 0 {
		cl := &hp.classes[hp.order[0]]
		if hp.topPrio != cl.prio || hp.topKey != cl.first().key {
			return nil, fmt.Errorf("verify: top = (%d, %d); the front entry has (%d, %d)", hp.topPrio, hp.topKey, cl.prio, cl.first().key)
		}
	}
	if err := verifyArrival(hp, live); err != nil {
		return nil, err
	}
	return live, verifyFree(hp, live)
}

// verifyClasses checks the bookkeeping of classes: byPrio, spare, order and last.
func verifyClasses(hp *Heap) error {
	spare := make(map[int32]bool, len(hp.spare))
	for _, ci := range hp.spare {
		switch {
		case ci < 0 || int(ci) >= len(hp.classes):
			return fmt.Errorf("verify: spare class %d out of range 0..%d", ci, len(hp.classes)-1)
		case spare[ci]:
			return fmt.Errorf("verify: class %d is spare twice", ci)
		case hp.classes[ci].at != none || !hp.classes[ci].empty() || hp.classes[ci].run != nil:
			return fmt.Errorf("verify: spare class %d has at = %d, %d entries and a run of %d",
				ci, hp.classes[ci].at, hp.classes[ci].size(), len(hp.classes[ci].run))
		}
		spare[ci] = true
	}
	for prio, ci := range hp.byPrio {
		switch {
		case ci < 0 || int(ci) >= len(hp.classes):
			return fmt.Errorf("verify: byPrio[%d] = %d; want 0..%d", prio, ci, len(hp.classes)-1)
		case hp.classes[ci].prio != prio:
			return fmt.Errorf("verify: byPrio[%d] = class %d of priority %d", prio, ci, hp.classes[ci].prio)
		case spare[ci]:
			return fmt.Errorf("verify: class %d is both spare and byPrio[%d]", ci, prio)
		case len(hp.classes[ci].h) < pad:
			return fmt.Errorf("verify: class %d lacks its pad entries", ci)
		case (hp.classes[ci].at == none) != hp.classes[ci].empty():
			return fmt.Errorf("verify: class %d has at = %d and %d entries", ci, hp.classes[ci].at, hp.classes[ci].size())
		}
	}
	if got := len(hp.byPrio) + len(spare); got != len(hp.classes) {
		return fmt.Errorf("verify: %d classes in byPrio and spare; want all %d", got, len(hp.classes))
	}
	for i, ci := range hp.order {
		switch {
		case ci < 0 || int(ci) >= len(hp.classes):
			return fmt.Errorf("verify: order[%d] = %d; want 0..%d", i, ci, len(hp.classes)-1)
		case int(hp.classes[ci].at) != i:
			return fmt.Errorf("verify: class %d at = %d; want %d", ci, hp.classes[ci].at, i)
		case i > 0 && hp.classes[ci].prio < hp.classes[hp.order[(i-1)/2]].prio:
			return fmt.Errorf("verify: order[%d] (priority %d) is before its parent (priority %d)",
				i, hp.classes[ci].prio, hp.classes[hp.order[(i-1)/2]].prio)
		}
	}
	if hp.last != none {
		if cur, ok := hp.byPrio[hp.classes[hp.last].prio]; !ok || cur != hp.last {
			return fmt.Errorf("verify: last = %d, a class not in byPrio", hp.last)
		}
	}
	return nil
}

// verifyEntries checks each class's heap order and each heap entry against its slot and
// contact, and returns the set of live slots.
func verifyEntries(hp *Heap) (map[int32]bool, error) {
	live := make(map[int32]bool, hp.Len())
	seqs := make(map[uint32]bool, hp.Len())
	for _, ci := range hp.order {
		cl := &hp.classes[ci]
		for i := pad + 1; i < len(cl.h); i++ {
			if p := parent(i); cl.h[i].less(&cl.h[p]) {
				return nil, fmt.Errorf("verify: class %d heap[%d] %+v is routed before its parent heap[%d] %+v",
					ci, i, cl.h[i], p, cl.h[p])
			}
		}
		if err := verifyRun(hp, ci); err != nil {
			return nil, err
		}
		for i := pad; i < len(cl.h); i++ {
			if err := verifyEntry(hp, ci, &cl.h[i], int32(i), live, seqs); err != nil {
				return nil, err
			}
		}
		for k := cl.head; k != cl.tail; k++ {
			if p := int32(k & uint32(len(cl.run)-1)); cl.run[p].slot != none {
				if err := verifyEntry(hp, ci, &cl.run[p], ^p, live, seqs); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(live) != hp.n {
		return nil, fmt.Errorf("verify: %d entries in the classes; want n = %d", len(live), hp.n)
	}
	return live, nil
}

// verifyEntry checks e, at location (ci, i) (i < 0 for index ^i of the run), against its slot
// and contact, and adds its slot to live and its sequence to seqs.
func verifyEntry(hp *Heap, ci int32, e *entry, i int32, live map[int32]bool, seqs map[uint32]bool) error {
	cl := &hp.classes[ci]
	where := fmt.Sprintf("class %d heap[%d]", ci, i)
	if i < 0 {
		where = fmt.Sprintf("class %d run[%d]", ci, ^i)
	}
	if e.slot < 0 || int(e.slot) >= len(hp.slots) {
		return fmt.Errorf("verify: %s.slot = %d; want 0..%d", where, e.slot, len(hp.slots)-1)
	}
	if live[e.slot] {
		return fmt.Errorf("verify: slot %d is referenced by two entries", e.slot)
	}
	live[e.slot] = true
	sl := &hp.slots[e.slot]
	switch {
	case sl.c == nil:
		return fmt.Errorf("verify: %s points at empty slot %d", where, e.slot)
	case hp.loc[e.slot].i != i || hp.loc[e.slot].cls != ci:
		return fmt.Errorf("verify: slot %d pos = %d, cls = %d; want %d, %d", e.slot, hp.loc[e.slot].i, hp.loc[e.slot].cls, i, ci)
	case e.seq == 0 || e.seq > hp.seq:
		return fmt.Errorf("verify: %s.seq = %d; want 1..%d", where, e.seq, hp.seq)
	case seqs[e.seq]:
		return fmt.Errorf("verify: seq %d appears twice", e.seq)
	case cl.prio != sl.c.Priority:
		return fmt.Errorf("verify: class %d prio = %d; want contact %q priority %d", ci, cl.prio, sl.c.ID, sl.c.Priority)
	case cl.prio < contact.MinPriority:
		return fmt.Errorf("verify: class %d prio = %d; want >= %d", ci, cl.prio, contact.MinPriority)
	case i < 0 && sl.c.AgeAdjustment != 0:
		return fmt.Errorf("verify: %s holds contact %q, whose age adjustment is %v", where, sl.c.ID, sl.c.AgeAdjustment)
	case e.key != sl.c.RoutingKey():
		return fmt.Errorf("verify: %s.key = %d; want contact %q key %d", where, e.key, sl.c.ID, sl.c.RoutingKey())
	case sl.seq != e.seq:
		return fmt.Errorf("verify: slot %d seq = %d; want its entry's %d", e.slot, sl.seq, e.seq)
	case sl.id != unsafe.Pointer(unsafe.StringData(string(sl.c.ID))):
		return fmt.Errorf("verify: slot %d id = %p; want contact %q's bytes at %p", e.slot, sl.id, sl.c.ID, unsafe.StringData(string(sl.c.ID)))
	}
	seqs[e.seq] = true
	return nil
}

// verifyRun checks the run of class ci: a ring of a power-of-two length (or none), counters
// reset when it is empty, its ends live, its tombstones counted, its entries in order.
func verifyRun(hp *Heap, ci int32) error {
	cl := &hp.classes[ci]
	n := cl.runLen()
	switch {
	case len(cl.run)&(len(cl.run)-1) != 0:
		return fmt.Errorf("verify: class %d run has length %d, not a power of two", ci, len(cl.run))
	case n < 0 || n > len(cl.run):
		return fmt.Errorf("verify: class %d run spans %d..%d in a ring of %d", ci, cl.head, cl.tail, len(cl.run))
	case n == 0 && (cl.head != 0 || cl.dead != 0):
		return fmt.Errorf("verify: class %d run is empty at %d with %d dead; want 0, 0", ci, cl.head, cl.dead)
	case n > 0 && (cl.runAt(cl.head).slot == none || cl.runAt(cl.tail-1).slot == none):
		return fmt.Errorf("verify: class %d run has a tombstone at an end (%d..%d)", ci, cl.head, cl.tail)
	}
	dead := 0
	var prev *entry
	for k := cl.head; k != cl.tail; k++ {
		e := cl.runAt(k)
		if e.slot == none {
			dead++
			continue
		}
		if prev != nil && !prev.less(e) {
			return fmt.Errorf("verify: class %d run %+v at %d is not routed after %+v", ci, *e, k, *prev)
		}
		prev = e
	}
	if dead != int(cl.dead) {
		return fmt.Errorf("verify: class %d run has %d tombstones; dead = %d", ci, dead, cl.dead)
	}
	return nil
}

// entrySeq returns the arrival sequence in the class entry of the live slot s.
func entrySeq(hp *Heap, s int32) uint32 {
	l := hp.loc[s]
	return hp.classes[l.cls].entry(l.i).seq
}

// verifyArrival checks arrival order against the live slots:
//
//   - the arrival list links live slots in order by (EnqueuedAt, seq), with prev and next
//     links that agree and head and tail at its ends;
//   - the early heap holds live slots in binary min-heap order by (key, seq), each entry's
//     key the contact's EnqueuedAt in ns and its seq the contact's sequence (its class
//     entry's), each slot's prev inEarly and next its index;
//   - between them they hold every live slot once.
func verifyArrival(hp *Heap, live map[int32]bool) error {
	n := hp.Len()
	count := 0
	prev := int32(none)
	for s := hp.head; s != none; s = hp.slots[s].next {
		if s < 0 || int(s) >= len(hp.slots) || !live[s] {
			return fmt.Errorf("verify: arrival list reaches slot %d, which is not live", s)
		}
		if count++; count > n {
			return fmt.Errorf("verify: arrival list longer than the %d contacts (a cycle?)", n)
		}
		sl := &hp.slots[s]
		if sl.prev != prev {
			return fmt.Errorf("verify: slot %d prev = %d; want %d", s, sl.prev, prev)
		}
		if prev != none {
			pseq, seq := entrySeq(hp, prev), entrySeq(hp, s)
			penq, enq := hp.slots[prev].c.EnqueuedAt.UnixNano(), sl.c.EnqueuedAt.UnixNano()
			if penq > enq || (penq == enq && pseq >= seq) {
				return fmt.Errorf("verify: arrival list has (enq %d, seq %d) before (enq %d, seq %d)",
					penq, pseq, enq, seq)
			}
		}
		prev = s
	}
	if hp.tail != prev {
		return fmt.Errorf("verify: tail = %d; want last list slot %d", hp.tail, prev)
	}
	if prev != none && hp.tailKnown && hp.tailEnq != hp.slots[prev].c.EnqueuedAt.UnixNano() {
		return fmt.Errorf("verify: tailEnq = %d; want the tail's EnqueuedAt %d", hp.tailEnq, hp.slots[prev].c.EnqueuedAt.UnixNano())
	}
	if count == 0 && hp.head != none {
		return fmt.Errorf("verify: head = %d with an empty arrival list", hp.head)
	}
	for i := range hp.early {
		e := &hp.early[i]
		if e.slot < 0 || int(e.slot) >= len(hp.slots) || !live[e.slot] {
			return fmt.Errorf("verify: early[%d] names slot %d, which is not live", i, e.slot)
		}
		sl := &hp.slots[e.slot]
		switch {
		case sl.prev != inEarly || sl.next != int32(i):
			return fmt.Errorf("verify: slot %d in the early heap has prev, next = %d, %d; want inEarly, %d", e.slot, sl.prev, sl.next, i)
		case e.key != sl.c.EnqueuedAt.UnixNano():
			return fmt.Errorf("verify: early[%d].key = %d; want contact %q's EnqueuedAt %d", i, e.key, sl.c.ID, sl.c.EnqueuedAt.UnixNano())
		case e.seq != entrySeq(hp, e.slot):
			return fmt.Errorf("verify: early[%d].seq = %d; want contact %q's seq %d", i, e.seq, sl.c.ID, entrySeq(hp, e.slot))
		case i > 0 && e.less(&hp.early[(i-1)/2]):
			return fmt.Errorf("verify: early[%d] %+v is before its parent %+v", i, *e, hp.early[(i-1)/2])
		}
	}
	if got := count + len(hp.early); got != n {
		return fmt.Errorf("verify: arrival list and early heap hold %d + %d contacts; want %d", count, len(hp.early), n)
	}
	return nil
}

func verifyFree(hp *Heap, live map[int32]bool) error {
	if got, want := len(hp.free)+hp.Len(), len(hp.slots); got != want {
		return fmt.Errorf("verify: %d free + %d live slots = %d; want %d slots",
			len(hp.free), hp.Len(), got, want)
	}
	seen := make(map[int32]bool, len(hp.free))
	for _, s := range hp.free {
		switch {
		case s < 0 || int(s) >= len(hp.slots):
			return fmt.Errorf("verify: free slot %d out of range 0..%d", s, len(hp.slots)-1)
		case live[s]:
			return fmt.Errorf("verify: slot %d is both free and live", s)
		case seen[s]:
			return fmt.Errorf("verify: slot %d is free twice", s)
		case hp.slots[s].c != nil:
			return fmt.Errorf("verify: free slot %d still holds contact %q", s, hp.slots[s].c.ID)
		}
		seen[s] = true
	}
	return nil
}

// verifyIndex checks q's ID map against the live slots of its heap: it has one entry per
// contact, and each names, by a current handle, a live slot whose contact has that ID.
func verifyIndex(q *Queue, live map[int32]bool) error {
	if got, want := len(q.ids), q.Len(); got != want {
		return fmt.Errorf("verify: index has %d IDs; want %d, the heap's length", got, want)
	}
	named := make(map[int32]bool, len(q.ids))
	for id, h := range q.ids {
		s := h.slot()
		switch {
		case !live[s]:
			return fmt.Errorf("verify: index maps %q to slot %d, which is not live", id, s)
		case q.heap.slots[s].gen != h.gen():
			return fmt.Errorf("verify: index maps %q to a stale handle %#x (slot generation %d)", id, uint64(h), q.heap.slots[s].gen)
		case q.heap.slots[s].c.ID != id:
			return fmt.Errorf("verify: index maps %q to slot %d, which holds %q", id, s, q.heap.slots[s].c.ID)
		case named[s]:
			return fmt.Errorf("verify: slot %d is named by two IDs", s)
		}
		named[s] = true
	}
	return nil
}
