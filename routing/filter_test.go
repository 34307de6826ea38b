package routing_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		require.NoError(t, err)
		for _, id := range []string{"c1", "c2"} {
			_, err := in.StartContact(routing.ContactSpec{ID: contact.ID(id), QueueID: "q1", Channel: voiceCh})
			require.NoError(t, err)
		}
		require.NoError(t, in.SetAgentState("a1", routing.AgentAvailable))
		clk.Advance(sec(5))
		in.Advance() // c1's delay expires: routed to a1
		require.NoError(t, in.EndContact("c1", routing.Completed, sec(2)))
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
	require.Len(t, wantEvents, 3, "unfiltered run: %d of the wanted kinds; want 3", len(wantEvents))
	require.Greater(t, len(all.events), len(wantEvents), "unfiltered run: %d events; want more than the %d of the wanted kinds", len(all.events), len(wantEvents))
	assert.True(t, slices.Equal(some.events, wantEvents), "filtered observer got %+v;\nwant %+v", some.events, wantEvents)
}
