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
