package queue

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
//   - heap order: no entry is routed before its parent;
//   - each heap entry points at a live slot whose pos points back at the entry, and the
//     entry's cached key equals the contact's (Priority, RoutingKey), with a unique seq;
//   - the arrival list holds exactly the live slots, sorted by (EnqueuedAt, seq), with prev
//     and next links that agree and head and tail at its ends;
//   - the free list holds exactly the slots not in use, each once and each cleared.
func verifyHeap(hp *Heap) (map[int32]bool, error) {
	if len(hp.h) < pad {
		return nil, fmt.Errorf("verify: heap holds %d entries; want at least the %d pad entries", len(hp.h), pad)
	}
	if len(hp.pos) != len(hp.slots) {
		return nil, fmt.Errorf("verify: %d positions for %d slots", len(hp.pos), len(hp.slots))
	}
	if err := verifyHeapOrder(hp); err != nil {
		return nil, err
	}
	live, err := verifyEntries(hp)
	if err != nil {
		return nil, err
	}
	if err := verifyArrival(hp, live); err != nil {
		return nil, err
	}
	return live, verifyFree(hp, live)
}

func verifyHeapOrder(hp *Heap) error {
	for i := pad + 1; i < len(hp.h); i++ {
		p := parent(i)
		if hp.h[i].less(&hp.h[p]) {
			return fmt.Errorf("verify: heap[%d] %+v is routed before its parent heap[%d] %+v",
				i, hp.h[i], p, hp.h[p])
		}
	}
	return nil
}

// verifyEntries checks each heap entry against its slot and contact and returns the set of
// live slots.
func verifyEntries(hp *Heap) (map[int32]bool, error) {
	live := make(map[int32]bool, hp.Len())
	seqs := make(map[uint64]bool, hp.Len())
	for i := pad; i < len(hp.h); i++ {
		e := hp.h[i]
		if e.slot < 0 || int(e.slot) >= len(hp.slots) {
			return nil, fmt.Errorf("verify: heap[%d].slot = %d; want 0..%d", i, e.slot, len(hp.slots)-1)
		}
		if live[e.slot] {
			return nil, fmt.Errorf("verify: slot %d is referenced by two heap entries", e.slot)
		}
		live[e.slot] = true
		sl := &hp.slots[e.slot]
		switch {
		case sl.c == nil:
			return nil, fmt.Errorf("verify: heap[%d] points at empty slot %d", i, e.slot)
		case int(hp.pos[e.slot]) != i:
			return nil, fmt.Errorf("verify: slot %d pos = %d; want %d", e.slot, hp.pos[e.slot], i)
		case e.seq == 0 || e.seq > hp.seq:
			return nil, fmt.Errorf("verify: heap[%d].seq = %d; want 1..%d", i, e.seq, hp.seq)
		case seqs[e.seq]:
			return nil, fmt.Errorf("verify: seq %d appears twice", e.seq)
		case e.prio != sl.c.Priority:
			return nil, fmt.Errorf("verify: heap[%d].prio = %d; want contact %q priority %d",
				i, e.prio, sl.c.ID, sl.c.Priority)
		case e.prio < contact.MinPriority:
			return nil, fmt.Errorf("verify: heap[%d].prio = %d; want >= %d", i, e.prio, contact.MinPriority)
		case e.key != sl.c.RoutingKey():
			return nil, fmt.Errorf("verify: heap[%d].key = %d; want contact %q key %d",
				i, e.key, sl.c.ID, sl.c.RoutingKey())
		case sl.enq != sl.c.EnqueuedAt.UnixNano():
			return nil, fmt.Errorf("verify: slot %d enq = %d; want contact %q EnqueuedAt %d",
				e.slot, sl.enq, sl.c.ID, sl.c.EnqueuedAt.UnixNano())
		}
		seqs[e.seq] = true
	}
	return live, nil
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
			p := &hp.slots[prev]
			pseq, seq := hp.h[hp.pos[prev]].seq, hp.h[hp.pos[s]].seq
			if p.enq > sl.enq || (p.enq == sl.enq && pseq >= seq) {
				return fmt.Errorf("verify: arrival list has (enq %d, seq %d) before (enq %d, seq %d)",
					p.enq, pseq, sl.enq, seq)
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
//     cells in use;
//   - each cell in use names a live slot once, carries the hash of that slot's contact ID,
//     and is reached from its home cell without crossing an empty cell;
//   - each live slot's cell back-pointer names the cell that names it.
func verifyIndex(q *Queue, live map[int32]bool) error {
	x := &q.ids
	n := len(x.cells)
	if n&(n-1) != 0 {
		return fmt.Errorf("verify: index has %d cells; want a power of two", n)
	}
	if x.live != q.Len() || 2*x.live > n {
		return fmt.Errorf("verify: index live = %d with %d cells; want %d (the heap's length), at most half", x.live, n, q.Len())
	}
	used := 0
	named := make(map[int32]bool, x.live)
	for i, c := range x.cells {
		if c.slot1 == 0 {
			continue
		}
		used++
		s := c.slot1 - 1
		switch {
		case !live[s]:
			return fmt.Errorf("verify: index cell %d names slot %d, which is not live", i, s)
		case named[s]:
			return fmt.Errorf("verify: slot %d is named by two index cells", s)
		case q.heap.slots[s].cell != int32(i):
			return fmt.Errorf("verify: slot %d cell = %d; want %d", s, q.heap.slots[s].cell, i)
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
	tests := []struct {
		name    string
		corrupt func(q *Queue)
		want    string
	}{
		{"heap order", func(q *Queue) { h := q.heap.h; h[pad], h[len(h)-1] = h[len(h)-1], h[pad] }, "before its parent"},
		{"back-pointer", func(q *Queue) { q.heap.pos[q.heap.h[pad+1].slot] = pad + 2 }, "pos ="},
		{"stale key", func(q *Queue) { q.heap.slots[q.heap.h[pad+2].slot].c.AgeAdjustment = time.Hour }, "key ="},
		{"stale priority", func(q *Queue) { q.heap.slots[q.heap.h[pad+2].slot].c.Priority = 9 }, "prio ="},
		{"index missing", func(q *Queue) { q.ids.remove(&q.heap, q.heap.h[pad].slot) }, "index live"},
		{"index cell", func(q *Queue) { q.heap.slots[q.heap.h[pad].slot].cell++ }, "cell ="},
		{"index hash", func(q *Queue) { q.ids.cells[q.heap.slots[q.heap.h[pad].slot].cell].hash++ }, "hash"},
		{"slot enq", func(q *Queue) { q.heap.slots[q.heap.head].enq = t0.Add(time.Hour).UnixNano() }, "enq ="},
		{"arrival order", func(q *Queue) {
			// Move the oldest contact an hour later in real time and an hour older in
			// routing age: its routing key, and so the heap, stay valid.
			sl := &q.heap.slots[q.heap.head]
			sl.c.EnqueuedAt = sl.c.EnqueuedAt.Add(time.Hour)
			sl.c.AgeAdjustment += time.Hour
			sl.enq = sl.c.EnqueuedAt.UnixNano()
		}, "arrival list has"},
		{"arrival link", func(q *Queue) { hp := &q.heap; hp.slots[hp.slots[hp.head].next].prev = none }, "prev ="},
		{"arrival short", func(q *Queue) { hp := &q.heap; hp.slots[hp.slots[hp.head].next].next = none }, "arrival list holds"},
		{"tail", func(q *Queue) { q.heap.tail = q.heap.head }, "tail ="},
		{"free twice", func(q *Queue) {
			hp := &q.heap
			hp.free = append(hp.free, hp.free[0])
			hp.slots, hp.pos = append(hp.slots, slot{}), append(hp.pos, 0)
		}, "free twice"},
		{"free and live", func(q *Queue) { q.heap.free[0] = q.heap.h[pad].slot }, "both free and live"},
		{"free count", func(q *Queue) { q.heap.free = q.heap.free[:0] }, "free +"},
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
