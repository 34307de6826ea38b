package routing

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
	"pgregory.net/rapid"
)

// TestGrpQueueMatchesModel drives one grpQueue (a group's all, or a tier) against a plain
// slice: pushes mostly in routing order (the run) and sometimes not (another priority, an age
// adjustment, an earlier key), removals anywhere, pops of the head and fixes; after every
// step, verify, the head, the length, the oldest and every member's handle.
func TestGrpQueueMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		q := new(grpQueue)
		ti := rapid.SampledFrom([]int{-1, 0, 2}).Draw(t, "tier")
		q.init(ti)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var model []*record
		var seq uint64
		usedKeys := map[int64]bool{}
		// newKey draws an enqueue time whose routing key (with adjustment adj) no other
		// contact has, so that the head is unambiguous.
		newKey := func(t *rapid.T, adj time.Duration) time.Time {
			for {
				var at time.Time
				if rapid.IntRange(0, 4).Draw(t, "order") > 0 {
					at = base.Add(time.Duration(seq+1) * time.Second) // in arrival order
				} else {
					at = base.Add(time.Duration(rapid.IntRange(0, 200).Draw(t, "at")) * time.Second)
				}
				if k := at.UnixNano() - int64(adj); !usedKeys[k] {
					usedKeys[k] = true
					return at
				}
			}
		}
		store := func(r *record, h uint64) {
			if ti < 0 {
				r.all = queue.Handle(h)
			} else {
				r.tiers[ti] = queue.Handle(h)
			}
		}
		draw := func(t *rapid.T) *record {
			return model[rapid.IntRange(0, len(model)-1).Draw(t, "index")]
		}
		forget := func(r *record) {
			usedKeys[r.c.RoutingKey()] = false
			model = slices.DeleteFunc(model, func(o *record) bool { return o == r })
		}
		t.Repeat(map[string]func(*rapid.T){
			"push": func(t *rapid.T) {
				seq++
				r := &record{seq: seq, tiers: make([]queue.Handle, 3)}
				r.c.ID = contact.ID(fmt.Sprint("c", seq))
				r.c.Priority = int64(rapid.SampledFrom([]int{0, 5, 5, 5, 1}).Draw(t, "priority"))
				if rapid.IntRange(0, 5).Draw(t, "adjusted") == 0 {
					r.c.AgeAdjustment = time.Duration(rapid.IntRange(-3, 3).Draw(t, "adjustment")) * time.Second
				}
				r.c.EnqueuedAt = newKey(t, r.c.AgeAdjustment)
				h, err := q.push(r)
				if err != nil {
					t.Fatalf("push: %v", err)
				}
				store(r, uint64(h))
				model = append(model, r)
			},
			"remove": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				r := draw(t)
				q.remove(r)
				forget(r)
			},
			"pop": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				r := q.peek()
				q.pop(r)
				r.runs = 0 // as leave does after a pop
				forget(r)
			},
			"fix": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				r := draw(t)
				usedKeys[r.c.RoutingKey()] = false
				r.c.Priority = int64(rapid.IntRange(1, 5).Draw(t, "priority"))
				for {
					r.c.AgeAdjustment = time.Duration(rapid.IntRange(-3, 3).Draw(t, "adjustment")) * time.Second
					if k := r.c.RoutingKey(); !usedKeys[k] {
						usedKeys[k] = true
						break
					}
				}
				q.fix(r)
			},
			"": func(t *rapid.T) {
				if err := q.verify(); err != nil {
					t.Fatal(err)
				}
				if q.len() != len(model) {
					t.Fatalf("len %d; want %d", q.len(), len(model))
				}
				for _, r := range model {
					if !q.has(r) {
						t.Fatalf("contact %q not found by its handle", r.c.ID)
					}
				}
				if len(model) == 0 {
					if _, _, ok := q.peekKey(); ok {
						t.Fatal("peekKey on an empty queue reports a head")
					}
					return
				}
				best := slices.MinFunc(model, func(a, b *record) int {
					if before(a, b) {
						return -1
					}
					return 1
				})
				if got := q.peek(); got != best {
					t.Fatalf("head %q; want %q", got.c.ID, best.c.ID)
				}
				oldest := slices.MinFunc(model, func(a, b *record) int { return a.c.EnqueuedAt.Compare(b.c.EnqueuedAt) })
				if c, _ := q.oldest(); !c.EnqueuedAt.Equal(oldest.c.EnqueuedAt) {
					t.Fatalf("oldest enqueued at %v; want %v", c.EnqueuedAt, oldest.c.EnqueuedAt)
				}
			},
		})
	})
}

// TestGrpQueueRetagAndSpill: a tier inserted before a group queue moves it to the next tier
// index (its records' run bits and handles follow), and a queue moved to index 63, which has
// no bit, spills its run into its heap; the routing order of its contacts stays.
func TestGrpQueueRetagAndSpill(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	q := new(grpQueue)
	q.init(61)
	var rs []*record
	// Keys 0, 2, 4, 1 (behind the run's tail: to the heap), 3 (adjusted: to the heap), 6.
	for i, at := range []int{0, 2, 4, 1, 5, 6} {
		r := &record{seq: uint64(i + 1), tiers: make([]queue.Handle, 64)}
		r.c = contact.Contact{ID: contact.ID(fmt.Sprint("c", i)), EnqueuedAt: base.Add(time.Duration(at) * time.Second)}
		if i == 4 {
			r.c.AgeAdjustment = 2 * time.Second
		}
		h, err := q.push(r)
		if err != nil {
			t.Fatal(err)
		}
		r.tiers[61] = h
		rs = append(rs, r)
	}
	if q.hn == 0 || q.runLen() == 0 {
		t.Fatalf("want contacts in both the run and the heap; heap %d, run %d", q.hn, q.runLen())
	}
	for _, ti := range []int{62, 63} {
		q.retag(ti)
		for _, r := range rs { // as tierAt's insertion of the new tier's handle before
			r.tiers[ti] = r.tiers[ti-1]
		}
		if err := q.verify(); err != nil {
			t.Fatalf("after retag to %d: %v", ti, err)
		}
		for _, r := range rs {
			if !q.has(r) {
				t.Fatalf("after retag to %d: %s lost", ti, r.c.ID)
			}
		}
	}
	if q.bit != 0 || q.runLen() != 0 || q.hn != 6 {
		t.Fatalf("at tier 63: bit %#x, run %d, heap %d; want the whole queue in the heap", q.bit, q.runLen(), q.hn)
	}
	var popped []contact.ID
	for q.len() > 0 {
		r := q.peek()
		q.pop(r)
		popped = append(popped, r.c.ID)
	}
	want := []contact.ID{"c0", "c3", "c1", "c4", "c2", "c5"}
	if !slices.Equal(popped, want) {
		t.Fatalf("routing order after the spill %v; want %v", popped, want)
	}
}
