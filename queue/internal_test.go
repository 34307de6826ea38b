package queue

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
)

// TestVerifyDetectsCorruption checks that verify is not vacuous: each corruption of a valid
// queue must be reported.
func TestVerifyDetectsCorruption(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	build := func(t *testing.T) *Queue {
		q := New()
		for i := range 8 {
			c := &contact.Contact{
				ID:         contact.ID(fmt.Sprintf("c%d", i)),
				EnqueuedAt: t0.Add(time.Duration(i%3) * time.Second),
				Priority:   int64(1 + i%2),
			}
			if c.Priority == 1 {
				c.AgeAdjustment = time.Millisecond // to the heap, not the run
			}
			require.NoError(t, q.Push(c), "Push(%s); want nil", c.ID)
		}
		q.Remove("c3") // leave a free slot behind
		require.NoError(t, verify(q), "verify(valid queue); want nil")
		require.Len(t, q.heap.early, 3, "early heap (c4, c6, c7, enqueued before c2 or c5); want 3 entries")
		return q
	}
	// best returns the heap entries of the priority-1 class: c0, c2, c4 and c6, all adjusted.
	best := func(q *Queue) []entry { return q.heap.classes[q.heap.byPrio[1]].h }
	// run returns the priority-2 class, whose run holds c1 and c5, in that order, with c3
	// removed and c7 (both pushed out of order) in its heap.
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
		{"index missing", func(q *Queue) { delete(q.ids, "c0") }, "index has"},
		{"index stale handle", func(q *Queue) { q.ids["c0"] += 1 << 32 }, "stale handle"},
		{"index wrong ID", func(q *Queue) { q.ids["c0"], q.ids["c1"] = q.ids["c1"], q.ids["c0"] }, "which holds"},
		{"arrival order", func(q *Queue) {
			// Move the oldest contact an hour later in real time and an hour older in
			// routing age: its routing key, and so the heap, stay valid.
			sl := &q.heap.slots[q.heap.head]
			sl.c.EnqueuedAt = sl.c.EnqueuedAt.Add(time.Hour)
			sl.c.AgeAdjustment += time.Hour
		}, "arrival list has"},
		{"arrival link", func(q *Queue) { hp := &q.heap; hp.slots[hp.slots[hp.head].next].prev = none }, "prev ="},
		{"arrival short", func(q *Queue) { hp := &q.heap; hp.slots[hp.slots[hp.head].next].next = none }, "tail ="},
		{"tail", func(q *Queue) { q.heap.tail = q.heap.head }, "tail ="},
		{"arrival list mark", func(q *Queue) { q.heap.slots[q.heap.head].prev = inEarly }, "prev ="},
		{"early order", func(q *Queue) { e := q.heap.early; e[0], e[2] = e[2], e[0] }, "in the early heap has"},
		{"early order, indexes kept", func(q *Queue) {
			e := q.heap.early
			e[0], e[2] = e[2], e[0]
			q.heap.slots[e[0].slot].next, q.heap.slots[e[2].slot].next = 0, 2
		}, "is before its parent"},
		{"early mark", func(q *Queue) { q.heap.slots[q.heap.early[1].slot].prev = none }, "in the early heap has"},
		{"slot seq", func(q *Queue) { q.heap.slots[best(q)[pad].slot].seq++ }, "seq ="},
		{"early key", func(q *Queue) { q.heap.early[1].key++ }, "EnqueuedAt"},
		{"early seq", func(q *Queue) { q.heap.early[1].seq++ }, "].seq ="},
		{"early lost", func(q *Queue) { q.heap.early = q.heap.early[:2] }, "arrival list and early heap hold"},
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
		{"seq range", func(q *Queue) {
			// On the entry with the latest key (c2's), so that heap order stays.
			h := best(q)
			i := pad
			for j := pad; j < len(h); j++ {
				if h[j].key > h[i].key {
					i = j
				}
			}
			h[i].seq = q.heap.seq + 1
		}, "seq ="},
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
			require.Error(t, err, "verify(corrupted queue) = nil; want an error containing %q", tt.want)
			assert.Contains(t, err.Error(), tt.want, "verify(corrupted queue) = %q; want it to contain %q", err, tt.want)
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
		_, err := hp.Push(&cs[i])
		require.NoError(t, err)
		c, ok := hp.Pop()
		require.True(t, ok && c == &cs[i], "Pop() = %v, %t; want c%d", c, ok, i)
		_, err = verifyHeap(hp)
		require.NoError(t, err, "after c%d", i)
		require.LessOrEqual(t, len(hp.classes), sweepSlack+2, "after c%d: %d classes; want at most %d", i, len(hp.classes), sweepSlack+2)
	}
}

// TestPushNeverWalksArrivalOrder is the structural guard against a quadratic Push: whatever
// the order of EnqueuedAt, a push either appends to the arrival list (its tail becomes the new
// contact, nothing else in the list moves) or goes to the early heap, a binary heap whose
// depth is at most log2(n)+1, and never to the middle of the list. An arrival list that took
// contacts in the middle (the old walk back from the tail) fails the first check; a contact
// put in the early heap breaks none of its order checks in verify. The contacts come in
// decreasing, random and increasing order, with ties; the heap drains by Pop and Remove
// between rounds.
func TestPushNeverWalksArrivalOrder(t *testing.T) {
	const n = 4096
	rng := rand.New(rand.NewPCG(17, 2))
	orders := map[string]func(i int) int{
		"decreasing": func(i int) int { return n - i },
		"random":     func(int) int { return rng.IntN(n / 4) }, // ties too
		"increasing": func(i int) int { return i / 2 },         // ties in pairs
	}
	for name, enqAt := range orders {
		t.Run(name, func(t *testing.T) {
			hp := NewHeap()
			cs := make([]contact.Contact, n)
			hs := make([]Handle, n)
			for i := range cs {
				cs[i] = contact.Contact{ID: contact.ID(fmt.Sprint("c", i)), EnqueuedAt: time.Unix(int64(enqAt(i)), 0), Priority: int64(1 + i%3)}
				head, tail, early := hp.head, hp.tail, len(hp.early)
				h, err := hp.Push(&cs[i])
				require.NoError(t, err)
				hs[i] = h
				s := h.slot()
				if hp.slots[s].prev != inEarly {
					require.Equal(t, s, hp.tail, "push %d: tail; want the new slot", i)
					require.Equal(t, tail, hp.slots[s].prev, "push %d: new tail's prev; want the old tail", i)
					require.Len(t, hp.early, early, "push %d: early heap; want it unchanged", i)
					if head != none {
						require.Equal(t, head, hp.head, "push %d: head; want it unchanged", i)
					}
				} else {
					require.Equal(t, head, hp.head, "push %d: head; want it unchanged", i)
					require.Equal(t, tail, hp.tail, "push %d: tail; want it unchanged", i)
					require.Len(t, hp.early, early+1, "push %d: early heap; want one more entry", i)
				}
				if i%512 == 0 {
					_, err := verifyHeap(hp)
					require.NoError(t, err, "after push %d", i)
				}
			}
			_, err := verifyHeap(hp)
			require.NoError(t, err)
			for i := 0; i < n; i += 3 {
				_, ok := hp.Remove(hs[i])
				require.True(t, ok, "Remove(c%d); want true", i)
			}
			for k := 0; hp.Len() > 0; k++ {
				if k%256 == 0 {
					_, err := verifyHeap(hp)
					require.NoError(t, err, "after %d pops", k)
				}
				hp.Pop()
			}
			require.Empty(t, hp.early, "early heap after draining")
		})
	}
}
