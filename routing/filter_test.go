package routing_test

import (
	"slices"
	"testing"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// filtered is a recorder that wants only some kinds of event.
type filtered struct {
	recorder
	want []routing.EventKind
}

func (f *filtered) Wants(k routing.EventKind) bool { return slices.Contains(f.want, k) }

// TestEventFilter: an Observer that implements EventFilter receives exactly the kinds it
// wants, in the order and with the content an unfiltered observer sees them.
func TestEventFilter(t *testing.T) {
	run := func(obs routing.Observer) {
		cfg := instance(queues("q1"), []routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 5))}, agents("a1:p1"))
		cfg.ID, cfg.Observer = "inst", obs
		clk := routing.NewManualClock(t0)
		in, err := routing.NewInstance(cfg, clk)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"c1", "c2"} {
			if _, err := in.StartContact(routing.ContactSpec{ID: contact.ID(id), QueueID: "q1", Channel: voiceCh}); err != nil {
				t.Fatal(err)
			}
		}
		if err := in.SetAgentState("a1", routing.AgentAvailable); err != nil {
			t.Fatal(err)
		}
		clk.Advance(sec(5))
		in.Advance() // c1's delay expires: routed to a1
		if err := in.EndContact("c1", routing.Completed, sec(2)); err != nil {
			t.Fatal(err)
		}
		clk.Advance(sec(2))
		in.Advance() // a1's after-contact work ends: c2 routed
	}
	all := &recorder{}
	run(all)
	want := []routing.EventKind{routing.ContactRouted, routing.AfterContactWorkEnded}
	some := &filtered{want: want}
	run(some)

	var wantEvents []routing.Event
	for _, e := range all.events {
		if slices.Contains(want, e.Kind) {
			wantEvents = append(wantEvents, e)
		}
	}
	if len(wantEvents) != 3 || len(all.events) <= len(wantEvents) {
		t.Fatalf("unfiltered run: %d events, %d of the wanted kinds; want more than 3 and 3", len(all.events), len(wantEvents))
	}
	if !slices.Equal(some.events, wantEvents) {
		t.Errorf("filtered observer got %+v;\nwant %+v", some.events, wantEvents)
	}
}
