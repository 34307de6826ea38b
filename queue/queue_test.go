package queue_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// t0 is an arbitrary, representable instant the tests measure from.
var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// at returns t0 plus s seconds.
func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

// mustVerify fails t when q breaks an internal invariant.
func mustVerify(t testing.TB, q *queue.Queue) {
	t.Helper()
	if err := queue.Verify(q); err != nil {
		t.Fatal(err)
	}
}

// ids returns the IDs of cs, in order.
func ids(cs []*contact.Contact) []contact.ID {
	out := make([]contact.ID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// spec describes a contact to push, compactly.
type spec struct {
	id   contact.ID
	prio int64
	enq  int // seconds after t0
	adj  time.Duration
}

func (s spec) contact() *contact.Contact {
	return &contact.Contact{ID: s.id, QueueID: "q", Channel: contact.Voice, EnqueuedAt: at(s.enq),
		Priority: s.prio, AgeAdjustment: s.adj}
}

// fill pushes the specs in order and fails t on any error.
func fill(t testing.TB, specs ...spec) *queue.Queue {
	t.Helper()
	q := queue.New()
	for _, s := range specs {
		if err := q.Push(s.contact()); err != nil {
			t.Fatalf("Push(%s) = %v; want nil", s.id, err)
		}
		mustVerify(t, q)
	}
	return q
}

func TestEmptyQueue(t *testing.T) {
	q := queue.New()
	mustVerify(t, q)
	if got := q.Len(); got != 0 {
		t.Errorf("Len() = %d; want 0", got)
	}
	if c, ok := q.Peek(); c != nil || ok {
		t.Errorf("Peek() = %v, %v; want nil, false", c, ok)
	}
	if c, ok := q.Pop(); c != nil || ok {
		t.Errorf("Pop() = %v, %v; want nil, false", c, ok)
	}
	if c, ok := q.Oldest(); c != nil || ok {
		t.Errorf("Oldest() = %v, %v; want nil, false", c, ok)
	}
	if c, ok := q.Get("x"); c != nil || ok {
		t.Errorf("Get(x) = %v, %v; want nil, false", c, ok)
	}
	if c, ok := q.Remove("x"); c != nil || ok {
		t.Errorf("Remove(x) = %v, %v; want nil, false", c, ok)
	}
	if p, err := q.Position("x"); p != 0 || !errors.Is(err, queue.ErrNotFound) {
		t.Errorf("Position(x) = %d, %v; want 0, ErrNotFound", p, err)
	}
	if got := q.Ordered(); len(got) != 0 {
		t.Errorf("Ordered() = %v; want empty", ids(got))
	}
	mustVerify(t, q)
}

func TestRoutingOrder(t *testing.T) {
	tests := []struct {
		name       string
		specs      []spec
		wantOrder  []contact.ID
		wantOldest contact.ID
	}{
		{
			name:       "FIFO at equal priority",
			specs:      []spec{{"a", 5, 0, 0}, {"b", 5, 1, 0}, {"c", 5, 2, 0}},
			wantOrder:  []contact.ID{"a", "b", "c"},
			wantOldest: "a",
		},
		{
			name:       "priority beats age",
			specs:      []spec{{"a", 5, 0, 0}, {"b", 2, 9, 0}, {"c", 9, -9, 0}},
			wantOrder:  []contact.ID{"b", "a", "c"},
			wantOldest: "c",
		},
		{
			name:       "out-of-order arrivals sort by EnqueuedAt",
			specs:      []spec{{"a", 5, 3, 0}, {"b", 5, 1, 0}, {"c", 5, 2, 0}, {"d", 5, -4, 0}},
			wantOrder:  []contact.ID{"d", "b", "c", "a"},
			wantOldest: "d",
		},
		{
			name:       "equal EnqueuedAt breaks on arrival",
			specs:      []spec{{"a", 5, 0, 0}, {"b", 5, 0, 0}, {"c", 5, 0, 0}},
			wantOrder:  []contact.ID{"a", "b", "c"},
			wantOldest: "a",
		},
		{
			name:       "age adjustment at push",
			specs:      []spec{{"a", 5, 0, 0}, {"b", 5, 10, 15 * time.Second}, {"c", 5, -5, -time.Minute}},
			wantOrder:  []contact.ID{"b", "a", "c"},
			wantOldest: "c",
		},
		{
			name:       "equal routing key breaks on arrival",
			specs:      []spec{{"a", 5, 10, 10 * time.Second}, {"b", 5, 0, 0}},
			wantOrder:  []contact.ID{"a", "b"},
			wantOldest: "b",
		},
		{
			name:       "priority 0 means default 5",
			specs:      []spec{{"a", 6, 0, 0}, {"b", 0, 1, 0}, {"c", 5, 2, 0}, {"d", 4, 3, 0}},
			wantOrder:  []contact.ID{"d", "b", "c", "a"},
			wantOldest: "a",
		},
		{
			name:       "extreme priorities",
			specs:      []spec{{"a", contact.MaxPriority, 0, 0}, {"b", contact.MinPriority, 1, 0}},
			wantOrder:  []contact.ID{"b", "a"},
			wantOldest: "a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := fill(t, tt.specs...)
			if got := ids(q.Ordered()); !slices.Equal(got, tt.wantOrder) {
				t.Errorf("Ordered() = %v; want %v", got, tt.wantOrder)
			}
			if c, ok := q.Peek(); !ok || c.ID != tt.wantOrder[0] {
				t.Errorf("Peek() = %v, %v; want %s, true", c, ok, tt.wantOrder[0])
			}
			if c, ok := q.Oldest(); !ok || c.ID != tt.wantOldest {
				t.Errorf("Oldest() = %v, %v; want %s, true", c, ok, tt.wantOldest)
			}
			for i, id := range tt.wantOrder {
				if p, err := q.Position(id); p != i+1 || err != nil {
					t.Errorf("Position(%s) = %d, %v; want %d, nil", id, p, err, i+1)
				}
			}
			var popped []contact.ID
			for c, ok := q.Pop(); ok; c, ok = q.Pop() {
				popped = append(popped, c.ID)
				mustVerify(t, q)
			}
			if !slices.Equal(popped, tt.wantOrder) {
				t.Errorf("Pop order = %v; want %v", popped, tt.wantOrder)
			}
		})
	}
}

func TestPushDefaultPriority(t *testing.T) {
	q := queue.New()
	c := &contact.Contact{ID: "a", EnqueuedAt: t0}
	if err := q.Push(c); err != nil {
		t.Fatalf("Push = %v; want nil", err)
	}
	if c.Priority != contact.DefaultPriority {
		t.Errorf("Priority after Push = %d; want %d", c.Priority, contact.DefaultPriority)
	}
	mustVerify(t, q)
}

func TestPushErrors(t *testing.T) {
	tests := []struct {
		name    string
		c       *contact.Contact
		want    error
		wantMsg string
	}{
		{"nil", nil, queue.ErrInvalidContact, "nil contact"},
		{"negative priority", &contact.Contact{ID: "n", EnqueuedAt: t0, Priority: -1}, queue.ErrInvalidContact, `"n" has priority -1`},
		{"MinInt64 priority", &contact.Contact{ID: "n", EnqueuedAt: t0, Priority: math.MinInt64}, queue.ErrInvalidContact, "priority"},
		{"zero EnqueuedAt", &contact.Contact{ID: "z", Priority: 5}, queue.ErrInvalidContact, "outside the representable range"},
		{"EnqueuedAt after 2262", &contact.Contact{ID: "z", EnqueuedAt: time.Unix(0, math.MaxInt64).Add(1), Priority: 5}, queue.ErrInvalidContact, "outside"},
		{"EnqueuedAt before 1678", &contact.Contact{ID: "z", EnqueuedAt: time.Unix(0, math.MinInt64).Add(-1), Priority: 5}, queue.ErrInvalidContact, "outside"},
		{"overflowing AgeAdjustment", &contact.Contact{ID: "o", EnqueuedAt: t0, AgeAdjustment: math.MinInt64}, queue.ErrInvalidContact, "overflows"},
		{"duplicate ID", &contact.Contact{ID: "a", EnqueuedAt: t0.Add(time.Hour)}, queue.ErrDuplicate, `"a"`},
		{"duplicate ID and invalid", &contact.Contact{ID: "a", EnqueuedAt: t0, Priority: -3}, queue.ErrInvalidContact, "priority -3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := fill(t, spec{"a", 3, 0, 0}, spec{"b", 5, -1, 0})
			before := ids(q.Ordered())
			var saved contact.Contact
			if tt.c != nil {
				saved = *tt.c
			}
			err := q.Push(tt.c)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Push = %v; want an error wrapping %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "queue: ") || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Push = %q; want prefix %q and text %q", err, "queue: ", tt.wantMsg)
			}
			if tt.c != nil && *tt.c != saved {
				t.Errorf("rejected Push changed the contact: got %+v; want %+v", *tt.c, saved)
			}
			if got := ids(q.Ordered()); !slices.Equal(got, before) {
				t.Errorf("Ordered() after rejected Push = %v; want %v", got, before)
			}
			mustVerify(t, q)
		})
	}
}

func TestPushRepresentableBounds(t *testing.T) {
	q := queue.New()
	lo := &contact.Contact{ID: "lo", EnqueuedAt: time.Unix(0, math.MinInt64)}
	hi := &contact.Contact{ID: "hi", EnqueuedAt: time.Unix(0, math.MaxInt64)}
	for _, c := range []*contact.Contact{hi, lo} {
		if err := q.Push(c); err != nil {
			t.Fatalf("Push(%s) = %v; want nil", c.ID, err)
		}
	}
	mustVerify(t, q)
	if got, want := ids(q.Ordered()), []contact.ID{"lo", "hi"}; !slices.Equal(got, want) {
		t.Errorf("Ordered() = %v; want %v", got, want)
	}
	// Any further age on "lo", or less on "hi", overflows the routing key.
	if err := q.Update("lo", contact.AdjustAge(1)); !errors.Is(err, contact.ErrAdjustmentOverflow) {
		t.Errorf("Update(lo, +1ns) = %v; want ErrAdjustmentOverflow", err)
	}
	if err := q.Update("hi", contact.AdjustAge(-1)); !errors.Is(err, contact.ErrAdjustmentOverflow) {
		t.Errorf("Update(hi, -1ns) = %v; want ErrAdjustmentOverflow", err)
	}
	// The cumulative adjustment is bounded by ±contact.MaxAgeAdjustment: one past it is
	// rejected, the bound itself accepted.
	if err := q.Update("hi", contact.AdjustAge(contact.MaxAgeAdjustment+1)); !errors.Is(err, contact.ErrAdjustmentOverflow) {
		t.Errorf("Update(hi, +MaxAgeAdjustment+1ns) = %v; want ErrAdjustmentOverflow", err)
	}
	if err := q.Update("hi", contact.AdjustAge(contact.MaxAgeAdjustment)); err != nil {
		t.Errorf("Update(hi, +MaxAgeAdjustment) = %v; want nil", err)
	}
	mustVerify(t, q)
	if got, want := ids(q.Ordered()), []contact.ID{"lo", "hi"}; !slices.Equal(got, want) {
		t.Errorf("Ordered() = %v; want %v (key MaxWait is still after MinInt64)", got, want)
	}
}

func TestUpdate(t *testing.T) {
	base := []spec{{"a", 5, 0, 0}, {"b", 5, 10, 0}, {"c", 5, 20, 0}, {"d", 3, 30, 0}}
	type step struct {
		id contact.ID
		u  contact.RoutingUpdate
	}
	tests := []struct {
		name  string
		steps []step
		want  []contact.ID
	}{
		{"no update", nil, []contact.ID{"d", "a", "b", "c"}},
		{"age pushes ahead", []step{{"c", contact.AdjustAge(25 * time.Second)}}, []contact.ID{"d", "c", "a", "b"}},
		{"age ties then arrival", []step{{"c", contact.AdjustAge(20 * time.Second)}}, []contact.ID{"d", "a", "c", "b"}},
		{"negative age pushes back", []step{{"a", contact.AdjustAge(-15 * time.Second)}}, []contact.ID{"d", "b", "a", "c"}},
		{"adjustments accumulate", []step{{"c", contact.AdjustAge(12 * time.Second)}, {"c", contact.AdjustAge(12 * time.Second)}}, []contact.ID{"d", "c", "a", "b"}},
		{"adjustments cancel", []step{{"c", contact.AdjustAge(time.Hour)}, {"c", contact.AdjustAge(-time.Hour)}}, []contact.ID{"d", "a", "b", "c"}},
		{"priority raised", []step{{"c", contact.SetPriority(1)}}, []contact.ID{"c", "d", "a", "b"}},
		{"priority lowered", []step{{"d", contact.SetPriority(9)}}, []contact.ID{"a", "b", "c", "d"}},
		{"priority set to same", []step{{"a", contact.SetPriority(5)}}, []contact.ID{"d", "a", "b", "c"}},
		{"priority keeps age", []step{{"c", contact.AdjustAge(time.Minute)}, {"c", contact.SetPriority(3)}}, []contact.ID{"c", "d", "a", "b"}},
		{"age cannot beat priority", []step{{"a", contact.AdjustAge(24 * time.Hour)}}, []contact.ID{"d", "a", "b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := fill(t, base...)
			enq := map[contact.ID]time.Time{}
			for _, c := range q.Ordered() {
				enq[c.ID] = c.EnqueuedAt
			}
			for _, s := range tt.steps {
				if err := q.Update(s.id, s.u); err != nil {
					t.Fatalf("Update(%s, %v) = %v; want nil", s.id, s.u, err)
				}
				mustVerify(t, q)
			}
			if got := ids(q.Ordered()); !slices.Equal(got, tt.want) {
				t.Errorf("Ordered() = %v; want %v", got, tt.want)
			}
			for i, id := range tt.want {
				if p, err := q.Position(id); p != i+1 || err != nil {
					t.Errorf("Position(%s) = %d, %v; want %d, nil", id, p, err, i+1)
				}
				if c, _ := q.Get(id); !c.EnqueuedAt.Equal(enq[id]) {
					t.Errorf("%s EnqueuedAt = %v; want %v (Update must not touch it)", id, c.EnqueuedAt, enq[id])
				}
			}
			if c, _ := q.Oldest(); c.ID != "a" {
				t.Errorf("Oldest() = %s; want a", c.ID)
			}
		})
	}
}

func TestUpdateFields(t *testing.T) {
	q := fill(t, spec{"a", 5, 0, 0})
	c, _ := q.Get("a")
	steps := []struct {
		u        contact.RoutingUpdate
		wantPrio int64
		wantAdj  time.Duration
	}{
		{contact.AdjustAge(60 * time.Second), 5, 60 * time.Second},
		{contact.AdjustAge(60 * time.Second), 5, 120 * time.Second}, // two +60 give +120 (DESIGN.md)
		{contact.SetPriority(2), 2, 120 * time.Second},
		{contact.AdjustAge(-200 * time.Second), 2, -80 * time.Second},
		{contact.SetPriority(contact.MaxPriority), contact.MaxPriority, -80 * time.Second},
	}
	for _, s := range steps {
		if err := q.Update("a", s.u); err != nil {
			t.Fatalf("Update(a, %v) = %v; want nil", s.u, err)
		}
		if c.Priority != s.wantPrio || c.AgeAdjustment != s.wantAdj {
			t.Errorf("after %v: priority, adjustment = %d, %v; want %d, %v",
				s.u, c.Priority, c.AgeAdjustment, s.wantPrio, s.wantAdj)
		}
		if !c.EnqueuedAt.Equal(t0) {
			t.Errorf("after %v: EnqueuedAt = %v; want %v", s.u, c.EnqueuedAt, t0)
		}
		mustVerify(t, q)
	}
}

func TestUpdateErrors(t *testing.T) {
	p := int64(2)
	d := time.Second
	tests := []struct {
		name      string
		id        contact.ID
		u         contact.RoutingUpdate
		want      error
		alsoWant  error
		wantInMsg string
	}{
		{"unknown ID", "zz", contact.AdjustAge(time.Second), queue.ErrNotFound, nil, `"zz"`},
		{"unknown ID, priority", "zz", contact.SetPriority(1), queue.ErrNotFound, nil, `"zz"`},
		{"both set", "a", contact.RoutingUpdate{Priority: &p, AgeAdjustment: &d}, contact.ErrInvalidUpdate, nil, "both"},
		{"neither set", "a", contact.RoutingUpdate{}, contact.ErrInvalidUpdate, nil, "neither"},
		{"priority 0", "a", contact.SetPriority(0), contact.ErrInvalidUpdate, nil, "priority 0"},
		{"negative priority", "a", contact.SetPriority(-7), contact.ErrInvalidUpdate, nil, "priority -7"},
		// An invalid update is reported before an unknown ID, as Connect reports
		// InvalidParameterException (400) before ResourceNotFoundException (404).
		{"invalid and unknown", "zz", contact.RoutingUpdate{}, contact.ErrInvalidUpdate, nil, "neither"},
		{"overflow down", "a", contact.AdjustAge(math.MinInt64), contact.ErrInvalidUpdate, contact.ErrAdjustmentOverflow, `"a"`},
		{"overflow up", "b", contact.AdjustAge(math.MaxInt64), contact.ErrInvalidUpdate, contact.ErrAdjustmentOverflow, `"b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// b carries a positive adjustment so that +MaxInt64 overflows the sum.
			q := fill(t, spec{"a", 5, 0, 0}, spec{"b", 5, 5, time.Second}, spec{"c", 1, 9, 0})
			before := q.Ordered()
			saved := make([]contact.Contact, len(before))
			for i, c := range before {
				saved[i] = *c
			}
			err := q.Update(tt.id, tt.u)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Update(%s, %v) = %v; want an error wrapping %v", tt.id, tt.u, err, tt.want)
			}
			if tt.alsoWant != nil && !errors.Is(err, tt.alsoWant) {
				t.Errorf("Update(%s, %v) = %v; want it to wrap %v too", tt.id, tt.u, err, tt.alsoWant)
			}
			if !strings.Contains(err.Error(), tt.wantInMsg) {
				t.Errorf("Update(%s, %v) = %q; want it to contain %q", tt.id, tt.u, err, tt.wantInMsg)
			}
			after := q.Ordered()
			if !slices.Equal(after, before) {
				t.Errorf("Ordered() after rejected Update = %v; want %v", ids(after), ids(before))
			}
			for i, c := range after {
				if *c != saved[i] {
					t.Errorf("rejected Update changed %s: got %+v; want %+v", c.ID, *c, saved[i])
				}
			}
			mustVerify(t, q)
		})
	}
}

func TestRemove(t *testing.T) {
	tests := []struct {
		name       string
		remove     []contact.ID
		wantOrder  []contact.ID
		wantOldest contact.ID
	}{
		{"front", []contact.ID{"d"}, []contact.ID{"a", "b", "e", "c"}, "a"},
		{"oldest", []contact.ID{"a"}, []contact.ID{"d", "b", "e", "c"}, "b"},
		{"back", []contact.ID{"c"}, []contact.ID{"d", "a", "b", "e"}, "a"},
		{"middle then newest", []contact.ID{"b", "e"}, []contact.ID{"d", "a", "c"}, "a"},
		{"all", []contact.ID{"c", "a", "e", "d", "b"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := fill(t, spec{"a", 5, 0, 0}, spec{"b", 5, 1, 0}, spec{"c", 7, 2, 0}, spec{"d", 1, 3, 0}, spec{"e", 5, 1, 0})
			for _, id := range tt.remove {
				c, ok := q.Remove(id)
				if !ok || c.ID != id {
					t.Fatalf("Remove(%s) = %v, %v; want %s, true", id, c, ok, id)
				}
				mustVerify(t, q)
				if c, ok := q.Remove(id); ok {
					t.Fatalf("second Remove(%s) = %v, true; want nil, false", id, c.ID)
				}
				if _, ok := q.Get(id); ok {
					t.Errorf("Get(%s) after Remove = true; want false", id)
				}
				if _, err := q.Position(id); !errors.Is(err, queue.ErrNotFound) {
					t.Errorf("Position(%s) after Remove = %v; want ErrNotFound", id, err)
				}
				if err := q.Update(id, contact.SetPriority(1)); !errors.Is(err, queue.ErrNotFound) {
					t.Errorf("Update(%s) after Remove = %v; want ErrNotFound", id, err)
				}
			}
			if got := ids(q.Ordered()); !slices.Equal(got, tt.wantOrder) {
				t.Errorf("Ordered() = %v; want %v", got, tt.wantOrder)
			}
			if got := q.Len(); got != len(tt.wantOrder) {
				t.Errorf("Len() = %d; want %d", got, len(tt.wantOrder))
			}
			c, ok := q.Oldest()
			if tt.wantOldest == "" {
				if ok {
					t.Errorf("Oldest() = %s, true; want nil, false", c.ID)
				}
			} else if !ok || c.ID != tt.wantOldest {
				t.Errorf("Oldest() = %v, %v; want %s, true", c, ok, tt.wantOldest)
			}
		})
	}
}

func TestRepushAfterRemove(t *testing.T) {
	q := fill(t, spec{"a", 5, 0, 0}, spec{"b", 5, 1, 0})
	a, _ := q.Remove("a")
	if err := q.Push(a); err != nil {
		t.Fatalf("Push(a) after Remove = %v; want nil", err)
	}
	mustVerify(t, q)
	// a keeps its EnqueuedAt, so it is still oldest and still first at equal priority.
	if got, want := ids(q.Ordered()), []contact.ID{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("Ordered() = %v; want %v", got, want)
	}
	if c, _ := q.Oldest(); c != a {
		t.Errorf("Oldest() = %s; want a", c.ID)
	}
}

func TestGetReturnsSamePointer(t *testing.T) {
	q := queue.New()
	c := spec{"a", 2, 0, 0}.contact()
	if err := q.Push(c); err != nil {
		t.Fatal(err)
	}
	if got, ok := q.Get("a"); got != c || !ok {
		t.Errorf("Get(a) = %p, %v; want %p, true", got, ok, c)
	}
	if got, _ := q.Peek(); got != c {
		t.Errorf("Peek() = %p; want %p", got, c)
	}
}

func TestEach(t *testing.T) {
	q := fill(t, spec{"a", 5, 0, 0}, spec{"b", 1, 1, 0}, spec{"c", 3, 2, 0}, spec{"d", 5, 3, 0})
	var seen []contact.ID
	q.Each(func(c *contact.Contact) bool {
		seen = append(seen, c.ID)
		return true
	})
	slices.Sort(seen)
	if want := []contact.ID{"a", "b", "c", "d"}; !slices.Equal(seen, want) {
		t.Errorf("Each visited %v; want %v in some order", seen, want)
	}
	calls := 0
	q.Each(func(*contact.Contact) bool {
		calls++
		return calls < 2
	})
	if calls != 2 {
		t.Errorf("Each called fn %d times after it returned false on call 2; want 2", calls)
	}
}

func TestOrderedIsSnapshot(t *testing.T) {
	q := fill(t, spec{"a", 5, 0, 0}, spec{"b", 5, 1, 0})
	snap := q.Ordered()
	if err := q.Update("b", contact.SetPriority(1)); err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Pop(); !ok {
		t.Fatal("Pop() = false; want true")
	}
	if got, want := ids(snap), []contact.ID{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("snapshot after changes = %v; want %v", got, want)
	}
}

// TestLargeQueue checks order and invariants on a queue much larger than the random tests
// build, with many ties.
func TestLargeQueue(t *testing.T) {
	const n = 2000
	q := queue.New()
	for i := range n {
		c := &contact.Contact{
			ID:            contact.ID(fmt.Sprintf("c%04d", i)),
			EnqueuedAt:    at((i * 7919) % 97), // out of order, with ties
			Priority:      int64(1 + i%4),
			AgeAdjustment: time.Duration(i%5-2) * time.Second,
		}
		if err := q.Push(c); err != nil {
			t.Fatal(err)
		}
	}
	mustVerify(t, q)
	for i := 0; i < n; i += 3 {
		id := contact.ID(fmt.Sprintf("c%04d", i))
		if err := q.Update(id, contact.AdjustAge(time.Duration(i%11)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	mustVerify(t, q)
	snap := q.Ordered()
	for i := 1; i < len(snap); i++ {
		a, b := snap[i-1], snap[i]
		if a.Priority > b.Priority || (a.Priority == b.Priority && a.RoutingKey() > b.RoutingKey()) {
			t.Fatalf("Ordered()[%d..%d] = %+v, %+v; want non-decreasing (priority, key)", i-1, i, *a, *b)
		}
	}
	for i, want := range snap {
		c, _ := q.Pop()
		if c != want {
			t.Fatalf("Pop() #%d = %s; want %s", i, c.ID, want.ID)
		}
	}
	mustVerify(t, q)
}

// TestSteadyStateAllocs checks DESIGN.md's "zero allocations per operation in steady state":
// once the queue has held n contacts, Pop+Push, Update and Remove+Push allocate nothing.
func TestSteadyStateAllocs(t *testing.T) {
	const n = 1024
	q := queue.New()
	cs := make([]*contact.Contact, n)
	for i := range cs {
		cs[i] = &contact.Contact{ID: contact.ID(fmt.Sprintf("c%d", i)), EnqueuedAt: at(i), Priority: int64(1 + i%3)}
		if err := q.Push(cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	// Updates are built outside the measured functions: AdjustAge and SetPriority allocate
	// the pointer they return, which is the caller's cost, not the queue's.
	ups := []contact.RoutingUpdate{
		contact.AdjustAge(3 * time.Second), contact.SetPriority(2),
		contact.AdjustAge(-3 * time.Second), contact.SetPriority(1),
	}
	// New arrivals with fresh IDs, as a simulator makes them: the byID map must not grow
	// once it has held n entries.
	const runs = 2000
	arrivals := make([]*contact.Contact, runs+1) // AllocsPerRun adds one warm-up call
	for k := range arrivals {
		arrivals[k] = &contact.Contact{ID: contact.ID(fmt.Sprintf("new%d", k)), EnqueuedAt: at(n + k), Priority: 2}
	}
	clock := n + len(arrivals)
	i := 0
	tests := []struct {
		name string
		op   func()
	}{
		{"Pop+Push", func() {
			c, _ := q.Pop()
			clock++
			c.EnqueuedAt, c.AgeAdjustment = at(clock), 0 // it comes back as a new arrival
			if err := q.Push(c); err != nil {
				panic(err)
			}
		}},
		{"Update", func() {
			i++
			if err := q.Update(cs[(i*31)%n].ID, ups[i%len(ups)]); err != nil {
				panic(err)
			}
		}},
		{"Remove+Push", func() {
			i++
			c, _ := q.Remove(cs[(i*17)%n].ID)
			if err := q.Push(c); err != nil {
				panic(err)
			}
		}},
		{"Peek+Position+Get+Oldest", func() {
			i++
			q.Peek()
			q.Oldest()
			q.Get(cs[i%n].ID)
			if _, err := q.Position(cs[i%n].ID); err != nil {
				panic(err)
			}
		}},
		{"Pop+Push new ID", func() { // last: it drains cs
			if _, ok := q.Pop(); !ok {
				panic("empty queue")
			}
			if err := q.Push(arrivals[0]); err != nil {
				panic(err)
			}
			arrivals = arrivals[1:]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(runs, tt.op); got != 0 {
				t.Errorf("AllocsPerRun(%s) = %v; want 0", tt.name, got)
			}
			if got := q.Len(); got != n {
				t.Errorf("Len() = %d; want %d", got, n)
			}
			mustVerify(t, q)
		})
	}
}

// TestUpdateIsVisibleAtOnce: after a run of updates, the contact has changed at once, and
// every method that depends on the order sees the order after the updates, whichever of them
// comes first.
func TestUpdateIsVisibleAtOnce(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	observe := map[string]func(q *queue.Queue) string{
		"Peek": func(q *queue.Queue) string { c, _ := q.Peek(); return string(c.ID) },
		"Pop":  func(q *queue.Queue) string { c, _ := q.Pop(); return string(c.ID) },
		"Position": func(q *queue.Queue) string {
			if p, err := q.Position("c"); err != nil || p != 1 {
				return fmt.Sprintf("Position(c) = %d, %v", p, err)
			}
			return "c"
		},
		"Ordered": func(q *queue.Queue) string { return string(q.Ordered()[0].ID) },
		"Remove then Peek": func(q *queue.Queue) string {
			q.Remove("a")
			c, _ := q.Peek()
			return string(c.ID)
		},
	}
	for name, first := range observe {
		t.Run(name, func(t *testing.T) {
			q := queue.New()
			for i, id := range []contact.ID{"a", "b", "c"} {
				c := &contact.Contact{ID: id, EnqueuedAt: t0.Add(time.Duration(i) * time.Minute)}
				require.NoError(t, q.Push(c))
			}
			// Three updates: c jumps ahead by priority, b falls back by age.
			for _, u := range []struct {
				id contact.ID
				u  contact.RoutingUpdate
			}{{"c", contact.SetPriority(1)}, {"b", contact.AdjustAge(-time.Hour)}, {"b", contact.SetPriority(5)}} {
				require.NoError(t, q.Update(u.id, u.u))
			}
			c, ok := q.Get("c")
			require.True(t, ok && c.Priority == 1, "Get(c) = %+v, %t; want priority 1 at once", c, ok)
			require.Equal(t, "c", first(q), "%s first after the updates; want c", name)
			require.NoError(t, queue.Verify(q))
		})
	}
}

// TestPeekAfterUpdates: after updates that move the front back, let another contact overtake
// it, or concern only contacts behind it (with ties on the routing key), Peek names the right
// contact and the order is right afterwards, and popping until empty yields the right order.
func TestPeekAfterUpdates(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	type upd struct {
		id contact.ID
		u  contact.RoutingUpdate
	}
	tests := []struct {
		name string
		ups  []upd
		want []contact.ID // the order after the updates; Peek must name want[0]
	}{
		{"front falls back by priority", []upd{{"a", contact.SetPriority(6)}}, []contact.ID{"b", "c", "a"}},
		{"front falls back by age", []upd{{"a", contact.AdjustAge(-3 * time.Minute)}}, []contact.ID{"b", "c", "a"}},
		{"another overtakes by priority", []upd{{"c", contact.SetPriority(4)}}, []contact.ID{"c", "a", "b"}},
		{"updates behind the front", []upd{{"b", contact.AdjustAge(-time.Hour)}, {"c", contact.SetPriority(9)}}, []contact.ID{"a", "b", "c"}},
		// b's routing key becomes a's exactly; b arrived after a, so a stays first.
		{"tie, arrival later", []upd{{"b", contact.AdjustAge(time.Minute)}}, []contact.ID{"a", "b", "c"}},
		// d, which arrived first, is given a's priority and a's routing key exactly: it
		// must become the front though its key only equals the front's.
		{"tie, arrival earlier", []upd{{"d", contact.SetPriority(5)}, {"d", contact.AdjustAge(-time.Minute)}}, []contact.ID{"d", "a", "b", "c"}},
	}
	for _, tt := range tests {
		for _, observe := range []string{"Peek", "Pop"} {
			t.Run(tt.name+"/"+observe, func(t *testing.T) {
				q := queue.New()
				// d arrived first (priority 6), then a, b, c a minute apart (priority 5).
				push := func(id contact.ID, at time.Duration, prio int64) {
					t.Helper()
					require.NoError(t, q.Push(&contact.Contact{ID: id, EnqueuedAt: t0.Add(at), Priority: prio}))
				}
				push("d", -time.Minute, 6)
				push("a", 0, 5)
				push("b", time.Minute, 5)
				push("c", 2*time.Minute, 5)
				if tt.name != "tie, arrival earlier" {
					q.Remove("d")
				}
				for _, u := range tt.ups {
					require.NoError(t, q.Update(u.id, u.u))
				}
				require.NoError(t, queue.Verify(q))
				if observe == "Pop" {
					for i, want := range tt.want {
						c, ok := q.Pop()
						require.True(t, ok && c.ID == want, "Pop() #%d = %v, %t; want %s", i+1, c, ok, want)
						require.NoError(t, queue.Verify(q))
					}
					return
				}
				c, ok := q.Peek()
				require.True(t, ok && c.ID == tt.want[0], "Peek() = %v, %t; want %s", c, ok, tt.want[0])
				require.NoError(t, queue.Verify(q))
				require.Equal(t, tt.want, ids(q.Ordered()), "Ordered(); want %v", tt.want)
			})
		}
	}
}

// TestConcurrentReaders: the read-only methods write nothing, so goroutines may call them at
// once on a queue no writer touches. Under -race, a read-only method that wrote anything (a
// cache, deferred work, a statistics counter) fails this test.
func TestConcurrentReaders(t *testing.T) {
	q := queue.New()
	const n = 256
	for i := range n {
		c := &contact.Contact{ID: contact.ID(fmt.Sprintf("c%d", i)), EnqueuedAt: at((i * 37) % 101), Priority: int64(1 + i%3)}
		if i%4 == 0 {
			c.AgeAdjustment = time.Duration(i%7) * time.Second
		}
		require.NoError(t, q.Push(c))
	}
	for i := 0; i < n; i += 5 { // updates before the readers start, none during
		require.NoError(t, q.Update(contact.ID(fmt.Sprintf("c%d", i)), contact.SetPriority(int64(1+i%4))))
	}
	want := q.Ordered()
	oldest, _ := q.Oldest()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				id := contact.ID(fmt.Sprintf("c%d", (i*7+g)%n))
				c, ok := q.Get(id)
				p, err := q.Position(id)
				front, _ := q.Peek()
				o, _ := q.Oldest()
				switch {
				case !ok || c.ID != id:
					errs <- fmt.Errorf("Get(%s) = %v, %t; want it", id, c, ok)
				case err != nil || want[p-1] != c:
					errs <- fmt.Errorf("Position(%s) = %d, %v; want %d", id, p, err, slices.Index(want, c)+1)
				case front != want[0] || o != oldest || q.Len() != n:
					errs <- fmt.Errorf("Peek, Oldest, Len = %s, %s, %d; want %s, %s, %d", front.ID, o.ID, q.Len(), want[0].ID, oldest.ID, n)
				default:
					if i%64 == 0 && !slices.Equal(q.Ordered(), want) {
						errs <- fmt.Errorf("Ordered() = %v; want %v", ids(q.Ordered()), ids(want))
					}
					q.Each(func(*contact.Contact) bool { return true })
					continue
				}
				return
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.NoError(t, queue.Verify(q))
}
