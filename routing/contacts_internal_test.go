package routing

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/routesim/routesim/contact"
)

// TestContactTable drives a contactTable through adds, removes and lookups against a Go map,
// with few enough IDs that probe chains collide and wrap, and checks the table's invariants
// (verifyContactTable) after every step.
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
