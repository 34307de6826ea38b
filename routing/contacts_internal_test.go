package routing

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/routesim/routesim/contact"
)

// TestContactTable drives a contactTable through adds, removes, lookups and filter checks
// (has) against a Go map, with few enough IDs that probe chains collide and wrap, and checks
// the table's invariants (verifyContactTable) after every step.
func TestContactTable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := &Instance{contacts: newContactTable()}
		model := map[contact.ID]*record{}
		genID := rapid.Custom(func(t *rapid.T) contact.ID {
			return contact.ID(fmt.Sprint("c", rapid.IntRange(0, 40).Draw(t, "n")))
		})
		t.Repeat(map[string]func(*rapid.T){
			"": func(t *rapid.T) {
				if err := in.verifyContactTable(); err != nil {
					t.Fatal(err)
				}
				if in.contacts.live != len(model) {
					t.Fatalf("live = %d; want %d", in.contacts.live, len(model))
				}
			},
			"add": func(t *rapid.T) {
				id := genID.Draw(t, "id")
				if _, ok := model[id]; ok {
					t.Skip("present")
				}
				r := &record{c: contact.Contact{ID: id}, idHash: in.contacts.hash(id)}
				in.contacts.add(r)
				model[id] = r
			},
			"remove": func(t *rapid.T) {
				id := genID.Draw(t, "id")
				r, ok := model[id]
				if !ok {
					t.Skip("absent")
				}
				in.contacts.remove(r)
				delete(model, id)
			},
			"has": func(t *rapid.T) {
				id := genID.Draw(t, "id")
				_, want := model[id]
				if got := in.contacts.has(id, in.contacts.hash(id)); got != want {
					t.Fatalf("has(%s) = %t; want %t", id, got, want)
				}
			},
			"get": func(t *rapid.T) {
				id := genID.Draw(t, "id")
				got, ok := in.contacts.get(id)
				if want, wok := model[id]; ok != wok || got != want {
					t.Fatalf("get(%s) = %p, %t; want %p, %t", id, got, ok, want, wok)
				}
			},
		})
	})
}

// collidingIDs returns k IDs whose hashes in t share the filter counter they have in a table
// of the given number of cells.
func collidingIDs(t *contactTable, cells, k int) []contact.ID {
	shift := 32 - filterBits(cells)
	byCounter := map[uint32][]contact.ID{}
	for i := 0; ; i++ {
		id := contact.ID(fmt.Sprint("id", i))
		c := t.hash(id) >> shift
		if byCounter[c] = append(byCounter[c], id); len(byCounter[c]) == k {
			return byCounter[c]
		}
	}
}

// TestContactFilterStuck files more IDs under one filter counter than it can count: the
// counter sticks at filterStuck, removals leave it there, lookups of the removed IDs still
// find nothing (through the probe), and the next growth recounts it.
func TestContactFilterStuck(t *testing.T) {
	in := &Instance{contacts: newContactTable()}
	tab := &in.contacts
	ids := collidingIDs(tab, 64, 20) // 20 records make a table of 64 cells
	var rs []*record
	for _, id := range ids {
		r := &record{c: contact.Contact{ID: id}, idHash: tab.hash(id)}
		tab.add(r)
		rs = append(rs, r)
		mustVerifyTable(t, in)
	}
	require.Len(t, tab.cells, 64, "%d cells after 20 adds; want 64", len(tab.cells))
	h := rs[0].idHash
	got := tab.count(h)
	require.Equal(t, uint8(filterStuck), got, "counter = %d after 20 adds under it; want %d", got, filterStuck)
	for _, r := range rs {
		tab.remove(r)
		mustVerifyTable(t, in)
	}
	got = tab.count(h)
	assert.Equal(t, uint8(filterStuck), got, "counter = %d after the removals; want it stuck at %d", got, filterStuck)
	for _, id := range ids {
		assert.False(t, tab.has(id, tab.hash(id)), "has(%s) = true after its removal; want false", id)
	}
	for i := 0; len(tab.cells) == 64; i++ {
		id := contact.ID(fmt.Sprint("other", i))
		tab.add(&record{c: contact.Contact{ID: id}, idHash: tab.hash(id)})
	}
	mustVerifyTable(t, in)
	got = tab.count(h)
	assert.Less(t, got, uint8(filterStuck), "counter = %d after growth; want it recounted below %d", got, filterStuck)
}

func mustVerifyTable(t *testing.T, in *Instance) {
	t.Helper()
	require.NoError(t, in.verifyContactTable())
}

// TestVerifyContactTableCatches breaks the contact table's pending record and its filter one
// way at a time, and checks that verifyContactTable reports each.
func TestVerifyContactTableCatches(t *testing.T) {
	build := func() *Instance {
		in := &Instance{contacts: newContactTable()}
		for i := range 10 {
			id := contact.ID(fmt.Sprint("c", i))
			in.contacts.add(&record{c: contact.Contact{ID: id}, idHash: in.contacts.hash(id)})
		}
		mustVerifyTable(t, in)
		return in
	}
	for name, corrupt := range map[string]func(*contactTable){
		"pending lost": func(t *contactTable) { t.pend = nil },
		"pending also in a cell": func(t *contactTable) {
			r := t.pend
			t.settle()
			t.pend = r
		},
		"counter too low": func(t *contactTable) {
			for r := range t.records() {
				i := r.idHash >> t.shift()
				t.counts[i/perByte] -= 1 << (counterBits * (i % perByte))
				return
			}
		},
		"counter too high": func(t *contactTable) {
			for i := range uint32(perByte * len(t.counts)) {
				if t.count(i<<t.shift()) == 0 {
					t.counts[i/perByte] += 1 << (counterBits * (i % perByte))
					return
				}
			}
		},
		"filter resized": func(t *contactTable) { t.counts = append(t.counts, 0) },
	} {
		t.Run(name, func(t *testing.T) {
			in := build()
			corrupt(&in.contacts)
			assert.Error(t, in.verifyContactTable(), "verifyContactTable() = nil; want an error")
		})
	}
}
