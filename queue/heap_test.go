package queue_test

import (
	"cmp"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
	"pgregory.net/rapid"
)

// heapItem is the model's record of a contact in a Heap, found by its handle.
type heapItem struct {
	c    *contact.Contact
	h    queue.Handle
	prio int64
	key  int64
	seq  uint64
}

// sortHeapItems sorts items into routing order: priority, routing key, arrival sequence.
func sortHeapItems(items []heapItem) {
	slices.SortFunc(items, func(a, b heapItem) int {
		return cmp.Or(cmp.Compare(a.prio, b.prio), cmp.Compare(a.key, b.key), cmp.Compare(a.seq, b.seq))
	})
}

// TestHeapStateMachine drives a Heap through its handle API against a sorted slice: every
// handle of a contact that left is kept and must stay stale, even once its slot is reused.
// Contacts are pushed in random EnqueuedAt order (genEnq: a 9 s window with ties, and the
// extremes), so the arrival list and the early heap both hold contacts, and Oldest is
// checked against the slice.
func TestHeapStateMachine(t *testing.T) { rapid.Check(t, heapMachine(0)) }

// TestHeapStateMachineWide is TestHeapStateMachine with priorities drawn from 1..40, so that
// priority classes come, go and are swept; with pushes at four distinct times, so that routing
// keys tie and arrival sequences decide; and with those sequences renumbered after every 16
// pushes instead of every 2^32.
func TestHeapStateMachineWide(t *testing.T) {
	defer queue.SetSeqLimit(16)()
	rapid.Check(t, heapMachine(40))
}

// heapMachine returns the state machine of TestHeapStateMachine. With wide > 0, pushed and
// fixed contacts take priorities uniform in 1..wide.
func heapMachine(wide int64) func(*rapid.T) {
	drawPrio := func(t *rapid.T, p int64) int64 {
		if wide > 0 {
			return rapid.Int64Range(1, wide).Draw(t, "wide")
		}
		return p
	}
	return func(t *rapid.T) {
		hp := queue.NewHeap()
		var (
			items []heapItem
			stale []queue.Handle
			seq   uint64
		)
		gone := func(i int) {
			stale = append(stale, items[i].h)
			items = slices.Delete(items, i, i+1)
		}
		t.Repeat(map[string]func(*rapid.T){
			"": func(t *rapid.T) {
				if err := queue.VerifyHeap(hp); err != nil {
					t.Fatal(err)
				}
				if hp.Len() != len(items) {
					t.Fatalf("Len() = %d; want %d", hp.Len(), len(items))
				}
				got := hp.Ordered()
				for i, it := range items {
					if got[i] != it.c {
						t.Fatalf("Ordered()[%d] = %s; want %s", i, got[i].ID, it.c.ID)
					}
					if p, ok := hp.Position(it.h); !ok || p != i+1 {
						t.Fatalf("Position(%s) = %d, %t; want %d, true", it.c.ID, p, ok, i+1)
					}
				}
				for _, h := range stale {
					if c, ok := hp.Contact(h); ok {
						t.Fatalf("Contact(stale handle %#x) = %s, true; want false", uint64(h), c.ID)
					}
				}
			},
			"Push": func(t *rapid.T) {
				c := genContact.Draw(t, "c")
				if wide > 0 {
					// Few distinct times and no adjustment: routing keys tie often, so
					// that the arrival sequence decides, across renumberings.
					c.Priority = rapid.Int64Range(1, wide).Draw(t, "wide")
					c.EnqueuedAt, c.AgeAdjustment = at(rapid.IntRange(0, 3).Draw(t, "tick")), 0
				}
				want := c.AgeAdjustment == 0 || keyFits(c.EnqueuedAt, c.AgeAdjustment, 0)
				h, err := hp.Push(c)
				if !want {
					if !errors.Is(err, queue.ErrInvalidContact) {
						t.Fatalf("Push(overflowing) = %v; want ErrInvalidContact", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("Push = %v; want nil", err)
				}
				seq++
				items = append(items, heapItem{c: c, h: h, prio: c.Priority, key: c.RoutingKey(), seq: seq})
				sortHeapItems(items)
			},
			"PushInvalid": func(t *rapid.T) {
				if _, err := hp.Push(genBadContact.Draw(t, "bad")); !errors.Is(err, queue.ErrInvalidContact) {
					t.Fatalf("Push(invalid) = %v; want ErrInvalidContact", err)
				}
			},
			"Pop": func(t *rapid.T) {
				c, ok := hp.Pop()
				if len(items) == 0 {
					if ok {
						t.Fatalf("Pop() on empty = %s, true", c.ID)
					}
					return
				}
				if !ok || c != items[0].c {
					t.Fatalf("Pop() = %v, %t; want %s", c, ok, items[0].c.ID)
				}
				gone(0)
			},
			"Remove": func(t *rapid.T) {
				if len(items) == 0 {
					t.Skip("empty")
				}
				i := rapid.IntRange(0, len(items)-1).Draw(t, "i")
				if c, ok := hp.Remove(items[i].h); !ok || c != items[i].c {
					t.Fatalf("Remove(%s) = %v, %t; want it", items[i].c.ID, c, ok)
				}
				gone(i)
			},
			"RemoveStale": func(t *rapid.T) {
				if len(stale) == 0 {
					t.Skip("no stale handle")
				}
				h := rapid.SampledFrom(stale).Draw(t, "h")
				if c, ok := hp.Remove(h); ok {
					t.Fatalf("Remove(stale) = %s, true; want false", c.ID)
				}
				if hp.Fix(h) {
					t.Fatal("Fix(stale) = true; want false")
				}
				if _, ok := hp.Position(h); ok {
					t.Fatal("Position(stale) reported a place")
				}
			},
			"Fix": func(t *rapid.T) {
				if len(items) == 0 {
					t.Skip("empty")
				}
				it := &items[rapid.IntRange(0, len(items)-1).Draw(t, "i")]
				if rapid.Bool().Draw(t, "prio") {
					it.c.Priority = drawPrio(t, rapid.Int64Range(1, 7).Draw(t, "p"))
				} else {
					d := time.Duration(rapid.IntRange(-4, 4).Draw(t, "adjSec")) * time.Second
					if !keyFits(it.c.EnqueuedAt, it.c.AgeAdjustment, d) {
						t.Skip("adjustment overflows") // callers validate before they Fix
					}
					it.c.AgeAdjustment += d
				}
				it.prio, it.key = it.c.Priority, it.c.RoutingKey()
				if !hp.Fix(it.h) {
					t.Fatalf("Fix(%s) = false; want true", it.c.ID)
				}
				sortHeapItems(items)
			},
			"Oldest": func(t *rapid.T) {
				c, ok := hp.Oldest()
				if len(items) == 0 {
					if ok {
						t.Fatalf("Oldest() on empty = %s", c.ID)
					}
					return
				}
				best := items[0]
				for _, it := range items[1:] {
					if x := it.c.EnqueuedAt.Compare(best.c.EnqueuedAt); x < 0 || x == 0 && it.seq < best.seq {
						best = it
					}
				}
				if !ok || c != best.c {
					t.Fatalf("Oldest() = %v, %t; want %s", c, ok, best.c.ID)
				}
			},
		})
	}
}

// TestHeapSteadyStateAllocs checks that the handle API allocates nothing once the heap has
// held as many contacts.
func TestHeapSteadyStateAllocs(t *testing.T) {
	hp := queue.NewHeap()
	cs := make([]contact.Contact, 64)
	hs := make([]queue.Handle, len(cs))
	for i := range cs {
		cs[i] = contact.Contact{ID: contact.ID(rune('a' + i%26)), EnqueuedAt: at(i)}
		h, err := hp.Push(&cs[i])
		if err != nil {
			t.Fatal(err)
		}
		hs[i] = h
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		k := i % len(cs)
		i++
		hp.Remove(hs[k])
		cs[k].Priority = int64(1 + i%7)
		h, err := hp.Push(&cs[k])
		if err != nil {
			t.Fatal(err)
		}
		hs[k] = h
		cs[k].AgeAdjustment = time.Duration(i%5) * time.Second
		hp.Fix(h)
		hp.Pop()
		hp.Push(&cs[k])
	})
	if allocs != 0 {
		t.Errorf("Remove, Push, Fix, Pop: %.1f allocs per run; want 0", allocs)
	}
}

// TestHeapArrivals drives a Heap as a contact centre's queue does: contacts arrive in
// EnqueuedAt order, most without an age adjustment, and leave from the front (routed) or from
// anywhere (abandoned, transferred, updated). Such contacts go to their class's run (see
// run.go), so this exercises it where a random workload seldom does: long runs, tombstones
// that reach compaction, growth and wrap-around of the ring, arrivals out of order and fixes
// that move contacts from the run to the heap. After every step the heap's invariants hold
// and its order, positions and front match a sorted model.
func TestHeapArrivals(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hp := queue.NewHeap()
		var (
			items []heapItem
			seq   uint64
			clock int
			n     int
		)
		check := func() {
			if err := queue.VerifyHeap(hp); err != nil {
				t.Fatal(err)
			}
			got := hp.Ordered()
			if len(got) != len(items) {
				t.Fatalf("Ordered() has %d contacts; want %d", len(got), len(items))
			}
			for i, it := range items {
				if got[i] != it.c {
					t.Fatalf("Ordered()[%d] = %s; want %s", i, got[i].ID, it.c.ID)
				}
			}
			if len(items) > 0 {
				it := items[rapid.IntRange(0, len(items)-1).Draw(t, "pos")]
				want := slices.IndexFunc(items, func(x heapItem) bool { return x.c == it.c }) + 1
				if p, ok := hp.Position(it.h); !ok || p != want {
					t.Fatalf("Position(%s) = %d, %t; want %d, true", it.c.ID, p, ok, want)
				}
			}
		}
		for range rapid.IntRange(0, 600).Draw(t, "steps") {
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); {
			case op < 5: // an arrival: mostly in order, at priority 1 or 2
				clock += rapid.IntRange(-1, 3).Draw(t, "tick")
				n++
				c := &contact.Contact{ID: contact.ID(rune(n)), EnqueuedAt: at(clock), Priority: rapid.Int64Range(1, 2).Draw(t, "prio")}
				if rapid.IntRange(0, 9).Draw(t, "adjusted") == 0 {
					c.AgeAdjustment = time.Duration(rapid.IntRange(-5, 5).Draw(t, "adj")) * time.Second
				}
				h, err := hp.Push(c)
				if err != nil {
					t.Fatalf("Push = %v; want nil", err)
				}
				seq++
				items = append(items, heapItem{c: c, h: h, prio: c.Priority, key: c.RoutingKey(), seq: seq})
				sortHeapItems(items)
			case op < 7 && len(items) > 0: // routed
				if c, ok := hp.Pop(); !ok || c != items[0].c {
					t.Fatalf("Pop() = %v, %t; want %s", c, ok, items[0].c.ID)
				}
				items = items[1:]
			case op < 9 && len(items) > 0: // abandoned or transferred
				i := rapid.IntRange(0, len(items)-1).Draw(t, "i")
				if c, ok := hp.Remove(items[i].h); !ok || c != items[i].c {
					t.Fatalf("Remove(%s) = %v, %t; want it", items[i].c.ID, c, ok)
				}
				items = slices.Delete(items, i, i+1)
			case len(items) > 0: // updated
				it := &items[rapid.IntRange(0, len(items)-1).Draw(t, "i")]
				if rapid.Bool().Draw(t, "setPrio") {
					it.c.Priority = rapid.Int64Range(1, 2).Draw(t, "p")
				} else {
					it.c.AgeAdjustment += time.Duration(rapid.IntRange(-5, 5).Draw(t, "d")) * time.Second
				}
				it.prio, it.key = it.c.Priority, it.c.RoutingKey()
				if !hp.Fix(it.h) {
					t.Fatalf("Fix(%s) = false; want true", it.c.ID)
				}
				sortHeapItems(items)
			}
			check()
		}
	})
}
