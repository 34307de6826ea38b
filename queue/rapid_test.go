package queue_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
	"pgregory.net/rapid"
)

// TestStateMachine runs random sequences of every Queue operation against the model; the ""
// action re-checks the invariants and the model after every step.
func TestStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := build(t, 30) // start from a random queue, not always an empty one
		t.Repeat(h.actions(h.check))
	})
}

// TestStateMachineUpdates is TestStateMachine with updates drawn three times as often, and a
// lighter check after every step (Verify, Get, Len, every contact's fields), so that runs of
// updates meet Push, Get and Oldest with the order compared with the model only by the
// actions that observe it (Peek, Pop, Position, Ordered, Remove).
func TestStateMachineUpdates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := build(t, 30)
		acts := h.actions(h.checkQuiet)
		for _, name := range []string{"UpdatePriority", "UpdateAge"} {
			acts[name+"Again"], acts[name+"Thrice"] = acts[name], acts[name]
		}
		t.Repeat(acts)
	})
}

// actions returns the state machine's actions over every Queue operation, with check as the
// invariant check run after every step.
func (h *harness) actions(check func(*rapid.T)) map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"": check,
		"Push": func(t *rapid.T) {
			_ = h.push(t, genContact.Draw(t, "c"))
		},
		"PushDuplicate": func(t *rapid.T) {
			if len(h.m.items) == 0 {
				t.Skip("empty queue")
			}
			c := genContact.Draw(t, "c")
			c.ID = rapid.SampledFrom(h.m.items).Draw(t, "dup").c.ID
			c.AgeAdjustment = 0 // keep it valid so the duplicate is the only fault
			if err := h.push(t, c); !errors.Is(err, queue.ErrDuplicate) {
				t.Fatalf("Push(duplicate %s) = %v; want ErrDuplicate", c.ID, err)
			}
		},
		"PushInvalid": func(t *rapid.T) {
			if err := h.push(t, genBadContact.Draw(t, "bad")); !errors.Is(err, queue.ErrInvalidContact) {
				t.Fatalf("Push(invalid) = %v; want ErrInvalidContact", err)
			}
		},
		"PushAgain": func(t *rapid.T) {
			// A popped or removed contact comes back with its priority and adjustment.
			if len(h.gone) == 0 {
				t.Skip("nothing popped yet")
			}
			_ = h.push(t, rapid.SampledFrom(h.gone).Draw(t, "again"))
		},
		"Pop": func(t *rapid.T) { h.pop(t) },
		"Peek": func(t *rapid.T) {
			c, ok := h.q.Peek()
			if len(h.m.items) == 0 {
				if c != nil || ok {
					t.Fatalf("Peek() on empty = %v, %v; want nil, false", c, ok)
				}
				return
			}
			if want := h.m.items[0].c; c != want || !ok {
				t.Fatalf("Peek() = %v, %v; want %s, true", c, ok, want.ID)
			}
		},
		"Remove": func(t *rapid.T) { h.remove(t, genID.Draw(t, "id")) },
		"RemovePresent": func(t *rapid.T) {
			if len(h.m.items) == 0 {
				t.Skip("empty queue")
			}
			h.remove(t, rapid.SampledFrom(h.m.items).Draw(t, "it").c.ID)
		},
		"UpdatePriority": func(t *rapid.T) {
			_ = h.update(t, genID.Draw(t, "id"), genPriorityUpdate.Draw(t, "u"))
		},
		"UpdateAge": func(t *rapid.T) {
			_ = h.update(t, genID.Draw(t, "id"), genAgeUpdate.Draw(t, "u"))
		},
		"UpdateInvalid": func(t *rapid.T) {
			err := h.update(t, genID.Draw(t, "id"), genInvalidUpdate.Draw(t, "u"))
			if !errors.Is(err, contact.ErrInvalidUpdate) {
				t.Fatalf("Update(invalid) = %v; want ErrInvalidUpdate", err)
			}
		},
		"UpdateOverflow": func(t *rapid.T) {
			if len(h.m.items) == 0 {
				t.Skip("empty queue")
			}
			it := rapid.SampledFrom(h.m.items).Draw(t, "it")
			d, ok := overflowingAdjustment(it)
			if !ok {
				t.Skip("no overflowing adjustment for this contact")
			}
			err := h.update(t, it.c.ID, contact.AdjustAge(d))
			if !errors.Is(err, contact.ErrAdjustmentOverflow) {
				t.Fatalf("Update(%s, %v) = %v; want ErrAdjustmentOverflow", it.c.ID, d, err)
			}
		},
		"Get": func(t *rapid.T) {
			id := genID.Draw(t, "id")
			c, ok := h.q.Get(id)
			var want *contact.Contact
			if i := h.m.index(id); i >= 0 {
				want = h.m.items[i].c
			}
			if c != want || ok != (want != nil) {
				t.Fatalf("Get(%s) = %v, %v; want %v, %v", id, c, ok, want, want != nil)
			}
		},
		"Oldest": func(t *rapid.T) {
			c, ok := h.q.Oldest()
			var want *contact.Contact
			if i := h.m.oldest(); i >= 0 {
				want = h.m.items[i].c
			}
			if c != want || ok != (want != nil) {
				t.Fatalf("Oldest() = %v, %v; want %v, %v", c, ok, want, want != nil)
			}
		},
		"Position": func(t *rapid.T) {
			id := genID.Draw(t, "id")
			p, err := h.q.Position(id)
			i := h.m.index(id)
			switch {
			case i < 0 && (p != 0 || !errors.Is(err, queue.ErrNotFound)):
				t.Fatalf("Position(%s) = %d, %v; want 0, ErrNotFound", id, p, err)
			case i >= 0 && (p != i+1 || err != nil):
				t.Fatalf("Position(%s) = %d, %v; want %d, nil", id, p, err, i+1)
			}
		},
		"Ordered": func(t *rapid.T) {
			got := h.q.Ordered()
			want := make([]*contact.Contact, len(h.m.items))
			for i, it := range h.m.items {
				want[i] = it.c
			}
			if !slices.Equal(got, want) {
				t.Fatalf("Ordered() = %v; want %v", ids(got), ids(want))
			}
		},
		"Len": func(t *rapid.T) {
			if got, want := h.q.Len(), len(h.m.items); got != want {
				t.Fatalf("Len() = %d; want %d", got, want)
			}
		},
	}
}

// overflowingAdjustment returns an adjustment that would overflow the item's cumulative
// adjustment or routing key, if one exists.
func overflowingAdjustment(it mItem) (time.Duration, bool) {
	for _, d := range []time.Duration{math.MinInt64, math.MaxInt64, math.MinInt64 + 1} {
		if !keyFits(it.enq, it.adj, d) {
			return d, true
		}
	}
	return 0, false
}

// TestPropUpdateKeepsWaitAndOldest: an update, accepted or not, never changes any contact's
// QueueWait or the queue's Oldest.
func TestPropUpdateKeepsWaitAndOldest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := build(t, 40)
		now := at(rapid.IntRange(0, 3600).Draw(t, "now"))
		waits := map[contact.ID]time.Duration{}
		for _, c := range h.q.Ordered() {
			waits[c.ID] = c.QueueWait(now)
		}
		oldest, _ := h.q.Oldest()
		for range rapid.IntRange(1, 20).Draw(t, "n") {
			id := genID.Draw(t, "id")
			_ = h.update(t, id, genUpdate.Draw(t, "u"))
			for _, c := range h.q.Ordered() {
				if got := c.QueueWait(now); got != waits[c.ID] {
					t.Fatalf("after Update(%s): %s QueueWait = %v; want %v", id, c.ID, got, waits[c.ID])
				}
			}
			if got, _ := h.q.Oldest(); got != oldest {
				t.Fatalf("after Update(%s): Oldest() = %v; want %v", id, got, oldest)
			}
		}
	})
}

// TestPropUpdateKeepsOthersOrder: updating one contact never changes the relative order of
// any two others.
func TestPropUpdateKeepsOthersOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := build(t, 40)
		if h.q.Len() < 3 {
			return // nothing to compare; rapid's generator makes this rare
		}
		before := h.q.Ordered()
		id := rapid.SampledFrom(before).Draw(t, "target").ID
		_ = h.update(t, id, rapid.OneOf(genPriorityUpdate, genAgeUpdate).Draw(t, "u"))
		notID := func(c *contact.Contact) bool { return c.ID == id }
		want := slices.DeleteFunc(before, notID)
		got := slices.DeleteFunc(h.q.Ordered(), notID)
		if !slices.Equal(got, want) {
			t.Fatalf("order of the others after Update(%s) = %v; want %v", id, ids(got), ids(want))
		}
	})
}

// TestPropDrain: popping until empty yields exactly the Ordered() snapshot, which is the
// model's order.
func TestPropDrain(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := build(t, 60)
		snap := h.q.Ordered()
		for i, it := range h.m.items {
			if snap[i] != it.c {
				t.Fatalf("Ordered()[%d] = %s; want model's %s", i, snap[i].ID, it.c.ID)
			}
		}
		for i, want := range snap {
			if got := h.pop(t); got != want {
				t.Fatalf("Pop() #%d = %s; want %s", i, got.ID, want.ID)
			}
			h.check(t)
		}
		if c, ok := h.q.Peek(); ok {
			t.Fatalf("Peek() after drain = %s, true; want nil, false", c.ID)
		}
		if c, ok := h.q.Oldest(); ok {
			t.Fatalf("Oldest() after drain = %s, true; want nil, false", c.ID)
		}
	})
}

// TestPropNoLossNoDuplicate: across any sequence of operations, every contact pushed is
// popped, removed or still queued, exactly once.
func TestPropNoLossNoDuplicate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := newHarness()
		in := map[*contact.Contact]int{}
		out := map[*contact.Contact]int{}
		genOp := rapid.SampledFrom([]string{"push", "push", "again", "pop", "remove", "update"})
		for range rapid.IntRange(0, 150).Draw(t, "steps") {
			switch genOp.Draw(t, "op") {
			case "push":
				if c := genContact.Draw(t, "c"); h.push(t, c) == nil {
					in[c]++
				}
			case "again":
				if len(h.gone) > 0 {
					if c := rapid.SampledFrom(h.gone).Draw(t, "again"); h.push(t, c) == nil {
						in[c]++
					}
				}
			case "pop":
				if c := h.pop(t); c != nil {
					out[c]++
				}
			case "remove":
				if c := h.remove(t, genID.Draw(t, "id")); c != nil {
					out[c]++
				}
			case "update":
				_ = h.update(t, genID.Draw(t, "id"), genUpdate.Draw(t, "u"))
			}
		}
		h.check(t)
		left := map[*contact.Contact]int{}
		h.q.Each(func(c *contact.Contact) bool {
			left[c]++
			return true
		})
		if len(left) != h.q.Len() {
			t.Fatalf("Each visited %d distinct contacts; want Len() = %d", len(left), h.q.Len())
		}
		for c, n := range in {
			if got := out[c] + left[c]; got != n || left[c] > 1 {
				t.Fatalf("contact %s pushed %d times; popped or removed %d, left %d", c.ID, n, out[c], left[c])
			}
		}
		for c := range left {
			if in[c] == 0 {
				t.Fatalf("contact %s is queued but was never pushed", c.ID)
			}
		}
	})
}

// TestPropRejectedChangesNothing: a rejected Push or Update leaves the queue, every queued
// contact and, for Push, the offered contact exactly as they were. The harness compares
// Ordered(), every contact's fields and Oldest() before and after.
func TestPropRejectedChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := build(t, 30)
		var err, want error
		switch kind := rapid.SampledFrom([]string{"pushInvalid", "pushDuplicate", "updateInvalid", "updateUnknown", "updateOverflow"}).Draw(t, "kind"); kind {
		case "pushInvalid":
			err, want = h.push(t, genBadContact.Draw(t, "bad")), queue.ErrInvalidContact
		case "pushDuplicate":
			if h.q.Len() == 0 {
				return
			}
			c := genContact.Draw(t, "c")
			c.ID = rapid.SampledFrom(h.m.items).Draw(t, "dup").c.ID
			c.AgeAdjustment = 0 // keep it valid so the duplicate is the only fault
			err, want = h.push(t, c), queue.ErrDuplicate
		case "updateInvalid":
			err, want = h.update(t, genID.Draw(t, "id"), genInvalidUpdate.Draw(t, "u")), contact.ErrInvalidUpdate
		case "updateUnknown":
			err, want = h.update(t, "absent", rapid.OneOf(genPriorityUpdate, genAgeUpdate).Draw(t, "u")), queue.ErrNotFound
		case "updateOverflow":
			if h.q.Len() == 0 {
				return
			}
			it := rapid.SampledFrom(h.m.items).Draw(t, "it")
			d, ok := overflowingAdjustment(it)
			if !ok {
				return
			}
			err, want = h.update(t, it.c.ID, contact.AdjustAge(d)), contact.ErrAdjustmentOverflow
		}
		if !errors.Is(err, want) {
			t.Fatalf("err = %v; want an error wrapping %v", err, want)
		}
		h.check(t)
	})
}

// FuzzQueueOps drives random sequences of Push and Update (valid, invalid and overflowing)
// with the occasional Pop, checking the invariants and the model after every step. Plain
// go test runs the seed corpus; to fuzz, run
//
//	go test -run '^$' -fuzz=FuzzQueueOps -fuzzminimizetime=3s ./queue
//
// (the default minimize time of 60 s per new input makes progress look stalled).
func FuzzQueueOps(f *testing.F) {
	// rapid reads the input as little-endian uint64 choices and skips an input that runs out
	// before the property ends. The seeds are arbitrary byte patterns (from a fixed linear
	// congruential sequence), long enough to drive a hundred steps.
	for _, mul := range []uint32{1103515245, 22695477, 48271} {
		seed := make([]byte, 16<<10)
		x := mul
		for i := range seed {
			x = x*mul + 12345
			seed[i] = byte(x >> 24)
		}
		f.Add(seed)
	}
	f.Fuzz(rapid.MakeFuzz(fuzzProp))
}

// fuzzProp is FuzzQueueOps's property.
func fuzzProp(t *rapid.T) {
	h := newHarness()
	for range rapid.IntRange(0, 100).Draw(t, "steps") {
		switch rapid.IntRange(0, 9).Draw(t, "op") {
		case 0, 1, 2, 3:
			_ = h.push(t, genContact.Draw(t, "c"))
		case 4:
			_ = h.push(t, genBadContact.Draw(t, "bad"))
		case 5, 6, 7, 8:
			_ = h.update(t, genID.Draw(t, "id"), genUpdate.Draw(t, "u"))
		case 9:
			h.pop(t)
		}
		h.check(t)
	}
}
