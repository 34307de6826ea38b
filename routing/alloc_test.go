package routing_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// TestSteadyStateAllocs: once warm, a routing cycle (an agent completes a contact and takes
// the next; a new contact arrives; the clock moves and timers fire) allocates nothing, with
// RetainEnded < 0 and IDs reused (DESIGN.md: zero allocations per operation in steady state).
func TestSteadyStateAllocs(t *testing.T) {
	const agentsN, waiting = 20, 2000
	var as []string
	for i := range agentsN {
		as = append(as, fmt.Sprintf("a%d:%s", i, []string{"p1", "p2"}[i%2]))
	}
	cfg := instance(queues("q1", "q2", "q3"), []routing.ProfileConfig{
		profile("p1", entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 2, 5), entry("q3", voiceCh, 2, 0)),
		profile("p2", entry("q2", voiceCh, 1, 0), entry("q3", voiceCh, 1, 10)),
	}, agents(as...))
	cfg.ID, cfg.RetainEnded = "inst", -1
	// inProgress is a ring of the contacts with agents, oldest routed first.
	var (
		inProgress [agentsN]contact.ID
		head, n    int
	)
	cfg.Observer = routing.ObserverFunc(func(e routing.Event) {
		if e.Kind == routing.ContactRouted {
			inProgress[(head+n)%agentsN] = e.ContactID
			n++
		}
	})
	clk := routing.NewManualClock(t0)
	in, err := routing.NewInstance(cfg, clk)
	require.NoError(t, err)
	ids := make([]contact.ID, 0, waiting+agentsN)
	for i := range cap(ids) {
		ids = append(ids, contact.ID(fmt.Sprint("c", i)))
	}
	qs := []string{"q1", "q2", "q3"}
	for i, id := range ids {
		clk.Advance(time.Millisecond)
		_, err := in.StartContact(routing.ContactSpec{ID: id, QueueID: qs[i%3], Channel: voiceCh})
		require.NoError(t, err)
	}
	for _, a := range in.AgentIDs() {
		require.NoError(t, in.SetAgentState(a, routing.AgentAvailable))
	}
	step := 0
	cycle := func() {
		step++
		clk.Advance(10 * time.Millisecond)
		in.Advance()
		id := inProgress[head]
		head, n = (head+1)%agentsN, n-1
		require.NoError(t, in.EndContact(id, routing.Completed, 0))
		// The ended contact is forgotten (RetainEnded < 0), so its ID is free again.
		_, err := in.StartContact(routing.ContactSpec{ID: id, QueueID: qs[step%3], Channel: voiceCh})
		require.NoError(t, err)
	}
	for range 20_000 { // warm up: heaps, maps and wake lists reach their steady sizes
		cycle()
	}
	allocs := testing.AllocsPerRun(2000, cycle)
	require.NoError(t, in.Verify())
	assert.Zero(t, allocs, "allocations per routing cycle = %v; want 0", allocs)
}
