package queue_test

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
	"pgregory.net/rapid"
)

// This file holds the naive model the rapid tests compare the queue with, and the harness
// that applies every operation to both and checks that they agree.

// mItem is the model's record of one queued contact. It keeps its own copy of the fields the
// order depends on, so a queue that edits a contact wrongly disagrees with the model.
type mItem struct {
	c    *contact.Contact
	prio int64
	enq  time.Time
	adj  time.Duration
	seq  uint64
}

// key is the routing key, EnqueuedAt - AgeAdjustment in ns. The model only admits items
// whose key fits in an int64, so it is exact.
func (it mItem) key() int64 { return it.enq.UnixNano() - int64(it.adj) }

// model is a plain slice sorted on every change by (priority asc, EnqueuedAt-AgeAdjustment
// asc, arrival seq asc).
type model struct {
	items []mItem
	seq   uint64
}

func (m *model) sort() {
	slices.SortFunc(m.items, func(a, b mItem) int {
		return cmp.Or(cmp.Compare(a.prio, b.prio), cmp.Compare(a.key(), b.key()), cmp.Compare(a.seq, b.seq))
	})
}

func (m *model) index(id contact.ID) int {
	return slices.IndexFunc(m.items, func(it mItem) bool { return it.c.ID == id })
}

// oldest returns the item with the smallest (EnqueuedAt, seq), or -1 when empty.
func (m *model) oldest() int {
	best := -1
	for i, it := range m.items {
		if best < 0 {
			best = i
			continue
		}
		b := m.items[best]
		if c := it.enq.Compare(b.enq); c < 0 || (c == 0 && it.seq < b.seq) {
			best = i
		}
	}
	return best
}

// Bounds of a time in int64 nanoseconds, computed with big integers so that the model shares
// no overflow arithmetic with the code under test.
var (
	bigMin = big.NewInt(math.MinInt64)
	bigMax = big.NewInt(math.MaxInt64)
)

func fits(x *big.Int) bool { return x.Cmp(bigMin) >= 0 && x.Cmp(bigMax) <= 0 }

func bigNanos(t time.Time) *big.Int {
	n := new(big.Int).Mul(big.NewInt(t.Unix()), big.NewInt(1e9))
	return n.Add(n, big.NewInt(int64(t.Nanosecond())))
}

// bigMaxAdj is contact.MaxAgeAdjustment, the bound on |cumulative adjustment|.
var bigMaxAdj = big.NewInt(int64(contact.MaxAgeAdjustment))

// keyFits reports whether enq and the cumulative adjustment adj+d are accepted: adj+d within
// ±contact.MaxAgeAdjustment, and enq - (adj+d) within int64.
func keyFits(enq time.Time, adj, d time.Duration) bool {
	sum := new(big.Int).Add(big.NewInt(int64(adj)), big.NewInt(int64(d)))
	n := bigNanos(enq)
	return sum.CmpAbs(bigMaxAdj) <= 0 && fits(n) && fits(new(big.Int).Sub(n, sum))
}

// pushErr returns the sentinel error Push(c) must wrap, or nil when it must succeed.
func (m *model) pushErr(c *contact.Contact) error {
	switch {
	case c == nil, c.Priority < 0, !keyFits(c.EnqueuedAt, c.AgeAdjustment, 0):
		return queue.ErrInvalidContact
	case m.index(c.ID) >= 0:
		return queue.ErrDuplicate
	}
	return nil
}

// push records c, already accepted, with the priority Push must have given it.
func (m *model) push(c *contact.Contact, prio int64) {
	m.seq++
	m.items = append(m.items, mItem{c: c, prio: prio, enq: c.EnqueuedAt, adj: c.AgeAdjustment, seq: m.seq})
	m.sort()
}

// updateErr returns the sentinel error Update(id, u) must wrap, or nil. An invalid update is
// reported before an unknown ID (Connect validates parameters before it looks a contact up).
func (m *model) updateErr(id contact.ID, u contact.RoutingUpdate) error {
	if (u.Priority == nil) == (u.AgeAdjustment == nil) || (u.Priority != nil && *u.Priority < 1) {
		return contact.ErrInvalidUpdate
	}
	i := m.index(id)
	if i < 0 {
		return queue.ErrNotFound
	}
	if u.AgeAdjustment != nil && !keyFits(m.items[i].enq, m.items[i].adj, *u.AgeAdjustment) {
		return contact.ErrAdjustmentOverflow
	}
	return nil
}

func (m *model) update(id contact.ID, u contact.RoutingUpdate) {
	it := &m.items[m.index(id)]
	if u.Priority != nil {
		it.prio = *u.Priority
	} else {
		it.adj += *u.AgeAdjustment
	}
	m.sort()
}

func (m *model) removeAt(i int) *contact.Contact {
	c := m.items[i].c
	m.items = slices.Delete(m.items, i, i+1)
	return c
}

// harness drives a queue and its model in lockstep.
type harness struct {
	q    *queue.Queue
	m    model
	gone []*contact.Contact // contacts popped or removed, for re-pushing
}

func newHarness() *harness { return &harness{q: queue.New()} }

// checkErr fails t unless err wraps want (or both are nil) and carries a package prefix.
func checkErr(t *rapid.T, op string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s = %v; want nil", op, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("%s = %v; want an error wrapping %q", op, err, want)
	case err != nil && !strings.HasPrefix(err.Error(), "queue: ") && !strings.HasPrefix(err.Error(), "contact: "):
		t.Fatalf("%s = %q; want a package prefix", op, err)
	}
	if errors.Is(want, contact.ErrAdjustmentOverflow) && !errors.Is(err, contact.ErrInvalidUpdate) {
		t.Fatalf("%s = %v; want it to wrap ErrInvalidUpdate too", op, err)
	}
}

// state is a deep snapshot of what a caller can observe.
type state struct {
	order  []*contact.Contact
	fields []contact.Contact
	oldest *contact.Contact
}

func (h *harness) state() state {
	s := state{order: h.q.Ordered()}
	for _, c := range s.order {
		s.fields = append(s.fields, *c)
	}
	s.oldest, _ = h.q.Oldest()
	return s
}

func (h *harness) requireState(t *rapid.T, op string, want state) {
	t.Helper()
	got := h.state()
	if !slices.Equal(got.order, want.order) {
		t.Fatalf("after %s: Ordered() = %v; want %v", op, ids(got.order), ids(want.order))
	}
	if !slices.Equal(got.fields, want.fields) {
		t.Fatalf("after %s: contacts = %+v; want %+v", op, got.fields, want.fields)
	}
	if got.oldest != want.oldest {
		t.Fatalf("after %s: Oldest() = %v; want %v", op, got.oldest, want.oldest)
	}
}

// check is the invariant checker run after every step: the internal invariants hold and the
// queue agrees with the model on length, order, every contact's fields, and which IDs of the
// pool it finds (a contact just popped or removed included).
func (h *harness) check(t *rapid.T) {
	t.Helper()
	h.checkQuiet(t)
	got := h.q.Ordered()
	for i, it := range h.m.items {
		if got[i] != it.c {
			t.Fatalf("Ordered()[%d] = %s; want %s (queue %v)", i, got[i].ID, it.c.ID, ids(got))
		}
	}
}

// checkQuiet is the part of check that does not compare the whole order: the internal
// invariants hold, and the queue agrees with the model on length, every contact's fields,
// and which IDs of the pool it finds.
func (h *harness) checkQuiet(t *rapid.T) {
	t.Helper()
	if err := queue.Verify(h.q); err != nil {
		t.Fatal(err)
	}
	for _, id := range idPool {
		var want *contact.Contact
		if i := h.m.index(id); i >= 0 {
			want = h.m.items[i].c
		}
		if got, ok := h.q.Get(id); got != want || ok != (want != nil) {
			t.Fatalf("Get(%s) = %p, %t; want %p", id, got, ok, want)
		}
	}
	if got, want := h.q.Len(), len(h.m.items); got != want {
		t.Fatalf("Len() = %d; want %d", got, want)
	}
	for _, it := range h.m.items {
		c := it.c
		if c.Priority != it.prio || c.AgeAdjustment != it.adj || !c.EnqueuedAt.Equal(it.enq) {
			t.Fatalf("contact %s = (prio %d, adj %v, enq %v); want (%d, %v, %v)",
				c.ID, c.Priority, c.AgeAdjustment, c.EnqueuedAt, it.prio, it.adj, it.enq)
		}
	}
}

func (h *harness) push(t *rapid.T, c *contact.Contact) error {
	t.Helper()
	want := h.m.pushErr(c)
	var saved contact.Contact
	if c != nil {
		saved = *c
	}
	before := h.state()
	err := h.q.Push(c)
	checkErr(t, "Push", err, want)
	if err != nil {
		if c != nil && *c != saved {
			t.Fatalf("rejected Push changed the contact: got %+v; want %+v", *c, saved)
		}
		h.requireState(t, "rejected Push", before)
		return err
	}
	wantC := saved
	if wantC.Priority == 0 {
		wantC.Priority = contact.DefaultPriority
	}
	if *c != wantC {
		t.Fatalf("accepted Push left the contact %+v; want %+v", *c, wantC)
	}
	h.m.push(c, wantC.Priority)
	return nil
}

func (h *harness) update(t *rapid.T, id contact.ID, u contact.RoutingUpdate) error {
	t.Helper()
	want := h.m.updateErr(id, u)
	before := h.state()
	err := h.q.Update(id, u)
	checkErr(t, fmt.Sprintf("Update(%s, %v)", id, u), err, want)
	if err != nil {
		h.requireState(t, "rejected Update", before)
		return err
	}
	h.m.update(id, u)
	if got, _ := h.q.Oldest(); got != before.oldest {
		t.Fatalf("Update(%s, %v) changed Oldest() from %v to %v", id, u, before.oldest, got)
	}
	return nil
}

func (h *harness) pop(t *rapid.T) *contact.Contact {
	t.Helper()
	c, ok := h.q.Pop()
	if len(h.m.items) == 0 {
		if c != nil || ok {
			t.Fatalf("Pop() on empty = %v, %v; want nil, false", c, ok)
		}
		return nil
	}
	if want := h.m.removeAt(0); c != want || !ok {
		t.Fatalf("Pop() = %v, %v; want %s, true", c, ok, want.ID)
	}
	h.gone = append(h.gone, c)
	return c
}

func (h *harness) remove(t *rapid.T, id contact.ID) *contact.Contact {
	t.Helper()
	c, ok := h.q.Remove(id)
	i := h.m.index(id)
	if i < 0 {
		if c != nil || ok {
			t.Fatalf("Remove(%s) of absent = %v, %v; want nil, false", id, c, ok)
		}
		return nil
	}
	if want := h.m.removeAt(i); c != want || !ok {
		t.Fatalf("Remove(%s) = %v, %v; want %p, true", id, c, ok, want)
	}
	h.gone = append(h.gone, c)
	return c
}

// Generators. IDs come from a small pool, so duplicates and absent IDs are common; times come
// from a narrow window around t0, so equal and out-of-order EnqueuedAt values are common.

var idPool = func() []contact.ID {
	out := make([]contact.ID, 40)
	for i := range out {
		out[i] = contact.ID(fmt.Sprintf("c%d", i))
	}
	return out
}()

var genID = rapid.SampledFrom(idPool)

// Extreme instants the routing key can still represent.
var (
	minEnq = time.Unix(0, math.MinInt64)
	maxEnq = time.Unix(0, math.MaxInt64)
)

var genEnq = rapid.Custom(func(t *rapid.T) time.Time {
	switch k := rapid.IntRange(0, 24).Draw(t, "enqKind"); k {
	case 0:
		return minEnq
	case 1:
		return maxEnq
	default:
		return at(rapid.IntRange(-4, 4).Draw(t, "enqSec"))
	}
})

// genPrio draws a push priority: 0 (default, becomes 5), 1..6, or MaxPriority.
var genPrio = rapid.Custom(func(t *rapid.T) int64 {
	if p := rapid.Int64Range(0, 7).Draw(t, "prio"); p < 7 {
		return p
	}
	return contact.MaxPriority
})

// genAdj draws an age adjustment: mostly a few seconds either way, sometimes an extreme
// that overflows the routing key of some contacts.
var genAdj = rapid.Custom(func(t *rapid.T) time.Duration {
	switch rapid.IntRange(0, 11).Draw(t, "adjKind") {
	case 0:
		return math.MaxInt64
	case 1:
		return math.MinInt64
	case 2:
		return math.MaxInt64 / 2
	case 3:
		return math.MinInt64 / 2
	default:
		return time.Duration(rapid.IntRange(-4, 4).Draw(t, "adjSec")) * time.Second
	}
})

// genContact draws a contact that Push accepts unless its ID is taken or its adjustment
// overflows the key.
var genContact = rapid.Custom(func(t *rapid.T) *contact.Contact {
	c := &contact.Contact{
		ID:         genID.Draw(t, "id"),
		QueueID:    "q",
		Channel:    rapid.SampledFrom(contact.Channels[:]).Draw(t, "channel"),
		EnqueuedAt: genEnq.Draw(t, "enq"),
		Priority:   genPrio.Draw(t, "prio"),
	}
	if rapid.IntRange(0, 3).Draw(t, "hasAdj") == 0 {
		c.AgeAdjustment = genAdj.Draw(t, "adj")
	}
	return c
})

// genBadContact draws a contact Push must reject as invalid.
var genBadContact = rapid.Custom(func(t *rapid.T) *contact.Contact {
	c := genContact.Draw(t, "base")
	switch rapid.IntRange(0, 4).Draw(t, "badKind") {
	case 0:
		return nil
	case 1:
		c.Priority = rapid.Int64Range(math.MinInt64, -1).Draw(t, "negPrio")
	case 2:
		c.EnqueuedAt = time.Time{}
	case 3:
		c.EnqueuedAt = rapid.SampledFrom([]time.Time{minEnq.Add(-1), maxEnq.Add(1)}).Draw(t, "outside")
		c.AgeAdjustment = 0
	case 4:
		c.EnqueuedAt = at(0) // t0 is after 1970, so subtracting MinInt64 overflows
		c.AgeAdjustment = math.MinInt64
	}
	return c
})

var genPriorityUpdate = rapid.Custom(func(t *rapid.T) contact.RoutingUpdate {
	p := genPrio.Draw(t, "newPrio")
	if p == 0 {
		p = contact.MinPriority
	}
	return contact.SetPriority(p)
})

var genAgeUpdate = rapid.Custom(func(t *rapid.T) contact.RoutingUpdate {
	return contact.AdjustAge(genAdj.Draw(t, "delta"))
})

// genInvalidUpdate draws an update Validate rejects: both set, neither set, or a priority
// below 1.
var genInvalidUpdate = rapid.Custom(func(t *rapid.T) contact.RoutingUpdate {
	switch rapid.IntRange(0, 2).Draw(t, "invalidKind") {
	case 0:
		p, d := genPrio.Draw(t, "p"), genAdj.Draw(t, "d")
		return contact.RoutingUpdate{Priority: &p, AgeAdjustment: &d}
	case 1:
		return contact.RoutingUpdate{}
	default:
		return contact.SetPriority(rapid.Int64Range(math.MinInt64, 0).Draw(t, "lowPrio"))
	}
})

// genUpdate draws any update: valid or not.
var genUpdate = rapid.OneOf(genPriorityUpdate, genAgeUpdate, genAgeUpdate, genInvalidUpdate)

// build fills a harness with a random queue: up to maxPushes pushes (some rejected) and some
// updates, checked step by step.
func build(t *rapid.T, maxPushes int) *harness {
	h := newHarness()
	n := rapid.IntRange(0, maxPushes).Draw(t, "pushes")
	for range n {
		_ = h.push(t, genContact.Draw(t, "c"))
	}
	for range rapid.IntRange(0, n).Draw(t, "updates") {
		_ = h.update(t, genID.Draw(t, "uid"), genUpdate.Draw(t, "u"))
	}
	h.check(t)
	return h
}
