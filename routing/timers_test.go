package routing_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// TestDelayTimersWhenTheClockGoesBack: a contact started after the injected clock went back
// is due in its delay tier before contacts started earlier; its timer must still fire first,
// at its own time, so a tier's timers cannot be assumed to come in arrival order.
func TestDelayTimersWhenTheClockGoesBack(t *testing.T) {
	h := newHarness(t, routing.InstanceConfig{Queues: queues("q"),
		RoutingProfiles: []routing.ProfileConfig{profile("p", entry("q", voiceCh, 1, 10))},
		Agents:          agents("a:p")})
	set := func(s int) {
		t.Helper()
		h.clk.Set(t0.Add(sec(s)))
		h.in.Advance()
		h.verify()
	}
	start := func(id string) {
		t.Helper()
		_, err := h.in.StartContact(routing.ContactSpec{ID: contact.ID(id), QueueID: "q", Channel: voiceCh})
		require.NoError(t, err)
		h.verify()
	}
	wantWake := func(s int) {
		t.Helper()
		w, ok := h.in.NextWake()
		require.True(t, ok && w.Equal(t0.Add(sec(s))), "NextWake() = %v, %t; want t0+%ds", w.Sub(t0), ok, s)
	}
	wantRoutes := func(want ...string) {
		t.Helper()
		got := h.rec.takeRoutes()
		require.True(t, slices.Equal(got, want), "routes %v; want %v", got, want)
	}
	end := func(id string) {
		t.Helper()
		require.NoError(t, h.in.EndContact(contact.ID(id), routing.Completed, 0))
		h.verify()
	}

	set(100)
	start("c1") // due in the tier at 110
	set(95)
	start("c2") // due at 105, before c1
	set(96)
	start("c3") // due at 106
	require.NoError(t, h.in.SetAgentState("a", routing.AgentAvailable))
	wantWake(105)
	wantRoutes()

	set(105)
	wantRoutes("c2>a")
	wantWake(106)
	set(107)
	end("c2")
	wantRoutes("c3>a") // eligible since 106; c1 is not until 110
	wantWake(110)
	set(108)
	end("c3")
	wantRoutes()
	set(110)
	wantRoutes("c1>a")
	w, ok := h.in.NextWake()
	require.False(t, ok, "NextWake() = t0+%v, true; want no timer pending", w.Sub(t0))
}
