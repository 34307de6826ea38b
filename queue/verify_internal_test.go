package queue

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/routesim/routesim/contact"
)

// verify checks every internal invariant of q (its heap's, see verifyHeap, its pending
// updates', see verifyPending, and its ID index's, see verifyIndex) and returns an error
// naming the first one that fails. It finishes no pending update: the state between an Update
// and the work it defers is checked as it is.
func verify(q *Queue) error {
	if q == nil {
		return fmt.Errorf("verify: nil queue")
	}
	stale, err := verifyPending(q)
	if err != nil {
		return err
	}
	live, err := verifyHeap(&q.heap, stale)
	if err != nil {
		return err
	}
	return verifyIndex(q, live)
}

// verifyPending checks q's pending updates: at most updateDepth, each naming a slot in range
// that holds its contact. It returns their slots: the ones whose entries may have the key of
// before the update.
func verifyPending(q *Queue) (map[int32]bool, error) {
	if q.npend < 0 || q.npend > updateDepth {
		return nil, fmt.Errorf("verify: %d pending updates; want 0..%d", q.npend, updateDepth)
	}
	stale := make(map[int32]bool, q.npend)
	for k, p := range q.pend[:q.npend] {
		if p.s < 0 || int(p.s) >= len(q.heap.slots) || p.c == nil || q.heap.slots[p.s].c != p.c {
			return nil, fmt.Errorf("verify: pending update %d names slot %d for contact %v, which the slot does not hold", k, p.s, p.c)
		}
		stale[p.s] = true
	}
	return stale, nil
}

// verifyHeap checks every internal invariant of hp and returns the set of live slots:
//
//   - classes: each is either in byPrio under its own priority or in spare, never both; the
//     order holds exactly the non-empty classes of byPrio, in heap order by priority, each
//     knowing its place (at); last is none or a class of byPrio;
//   - heap order within each class: no entry is routed before its parent;
//   - each class's run: a ring of a power-of-two length, its entries in routing order, live at
//     both ends, with as many tombstones as dead counts, reset to counter 0 when empty;
//   - each entry points at a live slot whose loc points back at the entry, and, unless the
//     slot is in stale (an update's heap work pending, see Queue.Update), the entry's key and
//     its class's priority equal the contact's (RoutingKey, Priority), and a run holds it only
//     without an age adjustment; its seq is in 1..hp.seq and no other entry has it;
//   - the arrival list holds exactly the live slots, sorted by (EnqueuedAt, seq), with prev
//     and next links that agree and head and tail at its ends;
//   - the free list holds exactly the slots not in use, each once and each cleared.
func verifyHeap(hp *Heap, stale map[int32]bool) (map[int32]bool, error) {
	if len(hp.loc) != len(hp.slots) {
		return nil, fmt.Errorf("verify: %d locations for %d slots", len(hp.loc), len(hp.slots))
	}
	if err := verifyClasses(hp); err != nil {
		return nil, err
	}
	live, err := verifyEntries(hp, stale)
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
func verifyEntries(hp *Heap, stale map[int32]bool) (map[int32]bool, error) {
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
			if err := verifyEntry(hp, ci, &cl.h[i], int32(i), live, seqs, stale); err != nil {
				return nil, err
			}
		}
		for k := cl.head; k != cl.tail; k++ {
			if p := int32(k & uint32(len(cl.run)-1)); cl.run[p].slot != none {
				if err := verifyEntry(hp, ci, &cl.run[p], ^p, live, seqs, stale); err != nil {
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
// and contact (its routing fields only when its slot is not in stale), and adds its slot to
// live and its sequence to seqs.
func verifyEntry(hp *Heap, ci int32, e *entry, i int32, live map[int32]bool, seqs map[uint32]bool, stale map[int32]bool) error {
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
	fresh := !stale[e.slot]
	switch {
	case sl.c == nil:
		return fmt.Errorf("verify: %s points at empty slot %d", where, e.slot)
	case hp.loc[e.slot].i != i || hp.loc[e.slot].cls != ci:
		return fmt.Errorf("verify: slot %d pos = %d, cls = %d; want %d, %d", e.slot, hp.loc[e.slot].i, hp.loc[e.slot].cls, i, ci)
	case e.seq == 0 || e.seq > hp.seq:
		return fmt.Errorf("verify: %s.seq = %d; want 1..%d", where, e.seq, hp.seq)
	case seqs[e.seq]:
		return fmt.Errorf("verify: seq %d appears twice", e.seq)
	case fresh && cl.prio != sl.c.Priority:
		return fmt.Errorf("verify: class %d prio = %d; want contact %q priority %d", ci, cl.prio, sl.c.ID, sl.c.Priority)
	case cl.prio < contact.MinPriority:
		return fmt.Errorf("verify: class %d prio = %d; want >= %d", ci, cl.prio, contact.MinPriority)
	case fresh && i < 0 && sl.c.AgeAdjustment != 0:
		return fmt.Errorf("verify: %s holds contact %q, whose age adjustment is %v", where, sl.c.ID, sl.c.AgeAdjustment)
	case fresh && e.key != sl.c.RoutingKey():
		return fmt.Errorf("verify: %s.key = %d; want contact %q key %d", where, e.key, sl.c.ID, sl.c.RoutingKey())
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

// seqOf returns the arrival sequence of the live slot s.
func seqOf(hp *Heap, s int32) uint32 {
	l := hp.loc[s]
	return hp.classes[l.cls].entry(l.i).seq
}

func verifyArrival(hp *Heap, live map[int32]bool) error {
	n := hp.Len()
	if (hp.head == none) != (n == 0) || (hp.tail == none) != (n == 0) {
		return fmt.Errorf("verify: head = %d, tail = %d with %d contacts", hp.head, hp.tail, n)
	}
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
			pseq, seq := seqOf(hp, prev), seqOf(hp, s)
			penq, enq := hp.slots[prev].c.EnqueuedAt.UnixNano(), sl.c.EnqueuedAt.UnixNano()
			if penq > enq || (penq == enq && pseq >= seq) {
				return fmt.Errorf("verify: arrival list has (enq %d, seq %d) before (enq %d, seq %d)",
					penq, pseq, enq, seq)
			}
		}
		prev = s
	}
	if count != n {
		return fmt.Errorf("verify: arrival list holds %d contacts; want %d", count, n)
	}
	if hp.tail != prev {
		return fmt.Errorf("verify: tail = %d; want last list slot %d", hp.tail, prev)
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

// verifyIndex checks q's ID index against the live slots of its heap:
//
//   - the table's length is 0 or a power of two, at most half full, and live counts its
//     cells in use, the hole included;
//   - the hole, if any, is a cell in use; it names a slot (freed, or reused since) that no
//     check below holds it to;
//   - each cell in use names a live slot once, has that slot's contact beside it (in cs),
//     carries the hash of its ID, and is reached from its home cell without crossing an empty
//     cell; an empty cell keeps no contact;
//   - each live slot's cell back-pointer names the cell that names it.
func verifyIndex(q *Queue, live map[int32]bool) error {
	x := &q.ids
	n := len(x.cells)
	if n&(n-1) != 0 {
		return fmt.Errorf("verify: index has %d cells; want a power of two", n)
	}
	holes := 0
	if x.hole != 0 {
		if h := int(x.hole - 1); h >= n || x.cells[h].slot1 == 0 {
			return fmt.Errorf("verify: index hole %d is not a cell in use", h)
		}
		holes = 1
	}
	if x.live != q.Len()+holes || 2*x.live > n {
		return fmt.Errorf("verify: index live = %d with %d cells and %d hole; want %d (the heap's length plus holes), at most half",
			x.live, n, holes, q.Len()+holes)
	}
	if len(x.cs) != n {
		return fmt.Errorf("verify: index has %d contacts for %d cells", len(x.cs), n)
	}
	used := 0
	named := make(map[int32]bool, x.live)
	for i, c := range x.cells {
		if c.slot1 == 0 {
			if x.cs[i] != nil {
				return fmt.Errorf("verify: empty index cell %d keeps contact %q", i, x.cs[i].ID)
			}
			continue
		}
		used++
		if int32(i) == x.hole-1 {
			continue
		}
		s := c.slot1 - 1
		switch {
		case !live[s]:
			return fmt.Errorf("verify: index cell %d names slot %d, which is not live", i, s)
		case named[s]:
			return fmt.Errorf("verify: slot %d is named by two index cells", s)
		case q.heap.slots[s].cell != int32(i):
			return fmt.Errorf("verify: slot %d cell = %d; want %d", s, q.heap.slots[s].cell, i)
		case x.cs[i] != q.heap.slots[s].c:
			return fmt.Errorf("verify: index cell %d holds contact %p; its slot %d holds %p", i, x.cs[i], s, q.heap.slots[s].c)
		case c.hash != x.hash(q.heap.slots[s].c.ID):
			return fmt.Errorf("verify: index cell %d hash %#x is not the hash of %q", i, c.hash, q.heap.slots[s].c.ID)
		}
		named[s] = true
		for j := int(c.hash) & (n - 1); j != i; j = (j + 1) & (n - 1) {
			if x.cells[j].slot1 == 0 {
				return fmt.Errorf("verify: index cell %d (home %d) lies past empty cell %d", i, int(c.hash)&(n-1), j)
			}
		}
	}
	if used != x.live {
		return fmt.Errorf("verify: %d index cells in use; want live = %d", used, x.live)
	}
	return nil
}

// TestVerifyDetectsCorruption checks that verify is not vacuous: each corruption of a valid
// queue must be reported.
func TestVerifyDetectsCorruption(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	build := func(t *testing.T) *Queue {
		q := New()
		for i := range 6 {
			c := &contact.Contact{
				ID:         contact.ID(fmt.Sprintf("c%d", i)),
				EnqueuedAt: t0.Add(time.Duration(i%3) * time.Second),
				Priority:   int64(1 + i%2),
			}
			if c.Priority == 1 {
				c.AgeAdjustment = time.Millisecond // to the heap, not the run
			}
			if err := q.Push(c); err != nil {
				t.Fatalf("Push(%s) = %v; want nil", c.ID, err)
			}
		}
		q.Remove("c3") // leave a free slot behind
		if err := verify(q); err != nil {
			t.Fatalf("verify(valid queue) = %v; want nil", err)
		}
		return q
	}
	// best returns the heap entries of the priority-1 class: c0, c2 and c4, all adjusted.
	best := func(q *Queue) []entry { return q.heap.classes[q.heap.byPrio[1]].h }
	// run returns the priority-2 class, whose run holds c1 and c5, in that order, with c3
	// (pushed out of order, to the heap) removed.
	run := func(q *Queue) *class { return &q.heap.classes[q.heap.byPrio[2]] }
	tests := []struct {
		name    string
		corrupt func(q *Queue)
		want    string
	}{
		{"heap order", func(q *Queue) { h := best(q); h[pad], h[len(h)-1] = h[len(h)-1], h[pad] }, "before its parent"},
		{"back-pointer", func(q *Queue) { q.heap.loc[best(q)[pad+1].slot].i = pad + 2 }, "pos ="},
		{"stale key", func(q *Queue) { q.heap.slots[best(q)[pad+2].slot].c.AgeAdjustment = time.Hour }, "key ="},
		{"stale priority", func(q *Queue) { q.heap.slots[best(q)[pad+2].slot].c.Priority = 9 }, "prio ="},
		{"top", func(q *Queue) { q.heap.topKey++ }, "top ="},
		{"pending contact", func(q *Queue) {
			q.pend[0], q.npend = pending{s: best(q)[pad].slot, c: &contact.Contact{ID: "x"}}, 1
		}, "pending update 0"},
		{"pending count", func(q *Queue) { q.npend = updateDepth + 1 }, "pending updates"},
		{"stale key beside a pending update", func(q *Queue) {
			// A pending update excuses its own contact's key, and no other.
			h := best(q)
			q.pend[0], q.npend = pending{s: h[pad].slot, c: q.heap.slots[h[pad].slot].c}, 1
			q.heap.slots[h[pad+2].slot].c.AgeAdjustment = time.Hour
		}, "key ="},
		{"index missing", func(q *Queue) {
			q.ids.drop(&q.heap, best(q)[pad].slot)
			q.ids.settle(&q.heap)
		}, "index live"},
		{"index cell", func(q *Queue) { q.heap.slots[best(q)[pad].slot].cell++ }, "cell ="},
		{"index hash", func(q *Queue) { q.ids.cells[q.heap.slots[best(q)[pad].slot].cell].hash++ }, "hash"},
		{"index contact", func(q *Queue) { q.ids.cs[q.heap.slots[best(q)[pad].slot].cell] = &contact.Contact{ID: "x"} }, "holds contact"},
		{"index stale contact", func(q *Queue) {
			i := slices.IndexFunc(q.ids.cells, func(c cell) bool { return c.slot1 == 0 })
			q.ids.cs[i] = &contact.Contact{ID: "x"}
		}, "keeps contact"},
		{"arrival order", func(q *Queue) {
			// Move the oldest contact an hour later in real time and an hour older in
			// routing age: its routing key, and so the heap, stay valid.
			sl := &q.heap.slots[q.heap.head]
			sl.c.EnqueuedAt = sl.c.EnqueuedAt.Add(time.Hour)
			sl.c.AgeAdjustment += time.Hour
		}, "arrival list has"},
		{"arrival link", func(q *Queue) { hp := &q.heap; hp.slots[hp.slots[hp.head].next].prev = none }, "prev ="},
		{"arrival short", func(q *Queue) { hp := &q.heap; hp.slots[hp.slots[hp.head].next].next = none }, "arrival list holds"},
		{"tail", func(q *Queue) { q.heap.tail = q.heap.head }, "tail ="},
		{"free twice", func(q *Queue) {
			hp := &q.heap
			hp.free = append(hp.free, hp.free[0])
			hp.slots, hp.loc = append(hp.slots, slot{}), append(hp.loc, loc{cls: none})
		}, "free twice"},
		{"free and live", func(q *Queue) { q.heap.free[0] = best(q)[pad].slot }, "both free and live"},
		{"free count", func(q *Queue) { q.heap.free = q.heap.free[:0] }, "free +"},
		{"slot class", func(q *Queue) { q.heap.loc[best(q)[pad].slot].cls = q.heap.byPrio[2] }, "cls ="},
		{"class order", func(q *Queue) {
			hp := &q.heap
			hp.classes[hp.order[0]].prio, hp.classes[hp.order[1]].prio = 2, 1
			hp.byPrio[1], hp.byPrio[2] = hp.order[1], hp.order[0]
		}, "before its parent (priority"},
		{"class at", func(q *Queue) { q.heap.classes[q.heap.order[1]].at = 0 }, "at ="},
		{"class lost", func(q *Queue) { delete(q.heap.byPrio, 2) }, "classes in byPrio and spare"},
		{"class spare and live", func(q *Queue) { q.heap.spare = append(q.heap.spare, q.heap.byPrio[2]) }, "spare class"},
		{"class byPrio", func(q *Queue) { q.heap.byPrio[7] = q.heap.byPrio[2] }, "byPrio[7]"},
		{"count", func(q *Queue) { q.heap.n++ }, "want n ="},
		{"seq twice", func(q *Queue) { h := best(q); h[pad+1].seq = h[pad].seq }, "appears twice"},
		{"seq range", func(q *Queue) { best(q)[pad].seq = q.heap.seq + 1 }, "seq ="},
		{"slot id", func(q *Queue) { q.heap.slots[best(q)[pad].slot].id = nil }, "id ="},
		{"run order", func(q *Queue) {
			cl := run(q)
			a, b := cl.runAt(cl.head), cl.runAt(cl.tail-1)
			a.key, b.key = b.key, a.key
		}, "is not routed after"},
		{"run dead", func(q *Queue) { run(q).dead++ }, "tombstones"},
		{"run end", func(q *Queue) { cl := run(q); cl.runAt(cl.tail - 1).slot = none }, "tombstone at an end"},
		{"run length", func(q *Queue) { cl := run(q); cl.run = cl.run[:len(cl.run)-1] }, "power of two"},
		{"run location", func(q *Queue) { cl := run(q); q.heap.loc[cl.runAt(cl.head).slot].i-- }, "pos ="},
		{"run adjusted", func(q *Queue) {
			// An hour older and an hour later: the key stays, but the run may not hold it.
			cl := run(q)
			sl := &q.heap.slots[cl.runAt(cl.head).slot]
			sl.c.EnqueuedAt = sl.c.EnqueuedAt.Add(time.Hour)
			sl.c.AgeAdjustment += time.Hour
		}, "age adjustment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := build(t)
			tt.corrupt(q)
			err := verify(q)
			if err == nil {
				t.Fatalf("verify(corrupted queue) = nil; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("verify(corrupted queue) = %q; want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestHeapSweepsEmptyClasses checks that a heap whose priorities keep changing holds a bounded
// number of classes: one contact at a time, each of a new priority, leaves at most
// sweepSlack+2 classes behind, and the heap stays valid through every sweep.
func TestHeapSweepsEmptyClasses(t *testing.T) {
	hp := NewHeap()
	cs := make([]contact.Contact, 1000)
	for i := range cs {
		cs[i] = contact.Contact{ID: contact.ID(fmt.Sprint("c", i)), EnqueuedAt: time.Unix(int64(i), 0), Priority: int64(i + 1)}
		if _, err := hp.Push(&cs[i]); err != nil {
			t.Fatal(err)
		}
		if c, ok := hp.Pop(); !ok || c != &cs[i] {
			t.Fatalf("Pop() = %v, %t; want c%d", c, ok, i)
		}
		if _, err := verifyHeap(hp, nil); err != nil {
			t.Fatalf("after c%d: %v", i, err)
		}
		if len(hp.classes) > sweepSlack+2 {
			t.Fatalf("after c%d: %d classes; want at most %d", i, len(hp.classes), sweepSlack+2)
		}
	}
}
