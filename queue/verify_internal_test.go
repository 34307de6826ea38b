package queue

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
)

// verify checks every internal invariant of q and returns an error naming the first one that
// fails:
//
//   - heap order: for every i > 0, heap[(i-1)/2] is not routed after heap[i];
//   - each heap entry points at a live slot whose pos points back at the entry, and the
//     entry's cached key equals the contact's (Priority, RoutingKey, seq);
//   - byID maps exactly the queued IDs to their slots;
//   - the arrival list holds exactly the live slots, sorted by (EnqueuedAt, seq), with prev
//     and next links that agree and head and tail at its ends;
//   - the free list holds exactly the slots not in use, each once and each cleared.
func verify(q *Queue) error {
	if q == nil {
		return fmt.Errorf("verify: nil queue")
	}
	n := len(q.heap)
	if err := verifyHeapOrder(q); err != nil {
		return err
	}
	live, err := verifyEntries(q)
	if err != nil {
		return err
	}
	if len(q.byID) != n {
		return fmt.Errorf("verify: len(byID) = %d; want %d (heap length)", len(q.byID), n)
	}
	for id, s := range q.byID {
		if s < 0 || int(s) >= len(q.slots) || !live[s] {
			return fmt.Errorf("verify: byID[%q] = %d is not a live slot", id, s)
		}
		if got := q.slots[s].c.ID; got != id {
			return fmt.Errorf("verify: byID[%q] = slot %d holding contact %q; want %q", id, s, got, id)
		}
	}
	if err := verifyArrival(q, live); err != nil {
		return err
	}
	return verifyFree(q, live)
}

func verifyHeapOrder(q *Queue) error {
	for i := 1; i < len(q.heap); i++ {
		p := (i - 1) / 2
		if q.heap[i].less(&q.heap[p]) {
			return fmt.Errorf("verify: heap[%d] %+v is routed before its parent heap[%d] %+v",
				i, q.heap[i], p, q.heap[p])
		}
	}
	return nil
}

// verifyEntries checks each heap entry against its slot and contact and returns the set of
// live slots.
func verifyEntries(q *Queue) (map[int32]bool, error) {
	live := make(map[int32]bool, len(q.heap))
	seqs := make(map[uint64]bool, len(q.heap))
	for i, e := range q.heap {
		if e.slot < 0 || int(e.slot) >= len(q.slots) {
			return nil, fmt.Errorf("verify: heap[%d].slot = %d; want 0..%d", i, e.slot, len(q.slots)-1)
		}
		if live[e.slot] {
			return nil, fmt.Errorf("verify: slot %d is referenced by two heap entries", e.slot)
		}
		live[e.slot] = true
		sl := &q.slots[e.slot]
		switch {
		case sl.c == nil:
			return nil, fmt.Errorf("verify: heap[%d] points at empty slot %d", i, e.slot)
		case int(sl.pos) != i:
			return nil, fmt.Errorf("verify: slot %d pos = %d; want %d", e.slot, sl.pos, i)
		case e.seq != sl.seq:
			return nil, fmt.Errorf("verify: heap[%d].seq = %d; want slot seq %d", i, e.seq, sl.seq)
		case e.seq == 0 || e.seq > q.seq:
			return nil, fmt.Errorf("verify: heap[%d].seq = %d; want 1..%d", i, e.seq, q.seq)
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

func verifyArrival(q *Queue, live map[int32]bool) error {
	n := len(q.heap)
	if (q.head == none) != (n == 0) || (q.tail == none) != (n == 0) {
		return fmt.Errorf("verify: head = %d, tail = %d with %d contacts", q.head, q.tail, n)
	}
	count := 0
	prev := int32(none)
	for s := q.head; s != none; s = q.slots[s].next {
		if s < 0 || int(s) >= len(q.slots) || !live[s] {
			return fmt.Errorf("verify: arrival list reaches slot %d, which is not live", s)
		}
		if count++; count > n {
			return fmt.Errorf("verify: arrival list longer than the %d contacts (a cycle?)", n)
		}
		sl := &q.slots[s]
		if sl.prev != prev {
			return fmt.Errorf("verify: slot %d prev = %d; want %d", s, sl.prev, prev)
		}
		if prev != none {
			p := &q.slots[prev]
			if p.enq > sl.enq || (p.enq == sl.enq && p.seq >= sl.seq) {
				return fmt.Errorf("verify: arrival list has (enq %d, seq %d) before (enq %d, seq %d)",
					p.enq, p.seq, sl.enq, sl.seq)
			}
		}
		prev = s
	}
	if count != n {
		return fmt.Errorf("verify: arrival list holds %d contacts; want %d", count, n)
	}
	if q.tail != prev {
		return fmt.Errorf("verify: tail = %d; want last list slot %d", q.tail, prev)
	}
	return nil
}

func verifyFree(q *Queue, live map[int32]bool) error {
	if got, want := len(q.free)+len(q.heap), len(q.slots); got != want {
		return fmt.Errorf("verify: %d free + %d live slots = %d; want %d slots",
			len(q.free), len(q.heap), got, want)
	}
	seen := make(map[int32]bool, len(q.free))
	for _, s := range q.free {
		switch {
		case s < 0 || int(s) >= len(q.slots):
			return fmt.Errorf("verify: free slot %d out of range 0..%d", s, len(q.slots)-1)
		case live[s]:
			return fmt.Errorf("verify: slot %d is both free and live", s)
		case seen[s]:
			return fmt.Errorf("verify: slot %d is free twice", s)
		case q.slots[s].c != nil:
			return fmt.Errorf("verify: free slot %d still holds contact %q", s, q.slots[s].c.ID)
		}
		seen[s] = true
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
		{"heap order", func(q *Queue) { q.heap[0], q.heap[len(q.heap)-1] = q.heap[len(q.heap)-1], q.heap[0] }, "before its parent"},
		{"back-pointer", func(q *Queue) { q.slots[q.heap[1].slot].pos = 2 }, "pos ="},
		{"stale key", func(q *Queue) { q.slots[q.heap[2].slot].c.AgeAdjustment = time.Hour }, "key ="},
		{"stale priority", func(q *Queue) { q.slots[q.heap[2].slot].c.Priority = 9 }, "prio ="},
		{"byID missing", func(q *Queue) { delete(q.byID, "c0") }, "len(byID)"},
		{"byID wrong slot", func(q *Queue) { q.byID["c0"], q.byID["c1"] = q.byID["c1"], q.byID["c0"] }, "byID["},
		{"slot enq", func(q *Queue) { q.slots[q.head].enq = t0.Add(time.Hour).UnixNano() }, "enq ="},
		{"arrival order", func(q *Queue) {
			// Move the oldest contact an hour later in real time and an hour older in
			// routing age: its routing key, and so the heap, stay valid.
			sl := &q.slots[q.head]
			sl.c.EnqueuedAt = sl.c.EnqueuedAt.Add(time.Hour)
			sl.c.AgeAdjustment += time.Hour
			sl.enq = sl.c.EnqueuedAt.UnixNano()
		}, "arrival list has"},
		{"arrival link", func(q *Queue) { q.slots[q.slots[q.head].next].prev = none }, "prev ="},
		{"arrival short", func(q *Queue) { q.slots[q.slots[q.head].next].next = none }, "arrival list holds"},
		{"tail", func(q *Queue) { q.tail = q.head }, "tail ="},
		{"free twice", func(q *Queue) { q.free = append(q.free, q.free[0]); q.slots = append(q.slots, slot{}) }, "free twice"},
		{"free and live", func(q *Queue) { q.free[0] = q.heap[0].slot }, "both free and live"},
		{"free count", func(q *Queue) { q.free = q.free[:0] }, "free +"},
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
