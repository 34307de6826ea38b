package routing

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
)

// agentsCriteria returns one never-expiring step preferring the agents of bitmask m (of
// n agents a0..), then one expiring after 10 s preferring agent a0.
func agentsCriteria(m, n int) *RoutingCriteriaInput {
	var ids []string
	for i := range n {
		if m&(1<<i) != 0 {
			ids = append(ids, fmt.Sprint("a", i))
		}
	}
	ten := int32(10)
	return &RoutingCriteriaInput{Steps: []RoutingCriteriaInputStep{
		{Expression: &Expression{AttributeCondition: &AttributeCondition{MatchCriteria: &MatchCriteria{AgentsCriteria: &AgentsCriteria{AgentIds: []string{"a0"}}}}},
			Expiry: &RoutingCriteriaInputStepExpiry{DurationInSeconds: &ten}},
		{Expression: &Expression{AttributeCondition: &AttributeCondition{MatchCriteria: &MatchCriteria{AgentsCriteria: &AgentsCriteria{AgentIds: ids}}}}},
	}}
}

// TestExprsAreFreedWhenUnused feeds an instance criteria that are each new, as an emulator
// whose flows name preferred agents per contact does: every contact's second step prefers
// another set of agents. Contacts are routed, abandoned and given other criteria; once
// none waits, only the expressions of criteria from PrepareRoutingCriteria remain, and the
// ids of the freed ones are reused, so that the instance does not grow with the contacts.
func TestExprsAreFreedWhenUnused(t *testing.T) {
	const n = 8
	cfg := InstanceConfig{ID: "i", Queues: []QueueConfig{{ID: "q"}},
		RoutingProfiles: []ProfileConfig{{ID: "p", Queues: []ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}}}
	for i := range n {
		cfg.Agents = append(cfg.Agents, AgentConfig{ID: fmt.Sprint("a", i), RoutingProfileID: "p"})
	}
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	in, err := NewInstance(cfg, ClockFunc(func() time.Time { return now }))
	require.NoError(t, err)
	pinned, err := in.PrepareRoutingCriteria(agentsCriteria(0b11, n))
	require.NoError(t, err)
	live := func() int { in.mu.Lock(); defer in.mu.Unlock(); return len(in.exprs) }
	require.Equal(t, 2, live(), "expressions of the pinned criteria")

	maxIDs := 0
	for round := range 4 {
		var ids []contact.ID
		for m := 1; m < 1<<n; m += 3 {
			id, err := in.StartContact(ContactSpec{QueueID: "q", Channel: contact.Voice, RoutingCriteria: agentsCriteria(m, n)})
			require.NoError(t, err)
			ids = append(ids, id)
		}
		require.Greater(t, live(), 50, "round %d: every contact's second step is its own expression", round)
		for i, id := range ids {
			switch i % 4 {
			case 0:
				require.NoError(t, in.EndContact(id, Abandoned, 0))
			case 1:
				// Other new criteria replace the first; the first's second step is freed.
				require.NoError(t, in.UpdateRoutingCriteria(id, agentsCriteria(1<<n-1-i%(1<<n), n), contact.RoutingUpdate{}))
			case 2:
				// A failed update frees what it prepared.
				bad := int64(-1)
				require.Error(t, in.UpdateRoutingCriteria(id, agentsCriteria(i, n), contact.RoutingUpdate{Priority: &bad}))
			}
		}
		require.NoError(t, in.Verify())
		// Agents take and complete everything; first steps expire on the way.
		for _, a := range in.AgentIDs() {
			require.NoError(t, in.SetAgentState(a, AgentAvailable))
		}
		for range 200 {
			now = now.Add(time.Second)
			in.Advance()
			for _, a := range in.aorder {
				for len(a.contacts) > 0 {
					require.NoError(t, in.EndContact(a.contacts[0].c.ID, Completed, 0))
				}
			}
		}
		require.NoError(t, in.Verify())
		require.Equal(t, 2, live(), "round %d: once no contact waits, the pinned criteria's expressions only", round)
		in.mu.Lock()
		if round == 0 {
			maxIDs = len(in.exprList)
		}
		require.Equal(t, maxIDs, len(in.exprList), "round %d: ids of freed expressions are reused", round)
		in.mu.Unlock()
		for _, a := range in.AgentIDs() {
			require.NoError(t, in.SetAgentState(a, AgentOffline))
		}
	}
	// The pinned criteria still route.
	id, err := in.StartContact(ContactSpec{QueueID: "q", Channel: contact.Voice, Criteria: pinned})
	require.NoError(t, err)
	require.NoError(t, in.SetAgentState("a0", AgentAvailable))
	info, err := in.DescribeContact(id)
	require.NoError(t, err)
	require.Equal(t, "a0", info.AgentID)
	require.NoError(t, in.Verify())
}

// TestTransfersReleaseExprs: a waiting contact transferred with criteria releases its own
// criteria's expressions and the new contact holds the new ones, also when the two share an
// expression only the old contact held (the same criteria again); a transfer without
// criteria releases them too. Once every contact is taken, no expression is left.
func TestTransfersReleaseExprs(t *testing.T) {
	const n = 4
	es := []ProfileQueueConfig{{QueueID: "q", Channel: contact.Task, Priority: 1}, {QueueID: "r", Channel: contact.Task, Priority: 1}}
	cfg := InstanceConfig{ID: "i", Queues: []QueueConfig{{ID: "q"}, {ID: "r"}}, RoutingProfiles: []ProfileConfig{{ID: "p", Queues: es}}}
	for i := range n {
		cfg.Agents = append(cfg.Agents, AgentConfig{ID: fmt.Sprint("a", i), RoutingProfileID: "p"})
	}
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	in, err := NewInstance(cfg, ClockFunc(func() time.Time { return now }))
	require.NoError(t, err)
	live := func() int { in.mu.Lock(); defer in.mu.Unlock(); return len(in.exprs) }
	var ids []contact.ID
	for m := 1; m < 1<<n; m++ {
		id, err := in.StartContact(ContactSpec{QueueID: "q", Channel: contact.Task, RoutingCriteria: agentsCriteria(m, n)})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	require.Equal(t, 1<<n-1, live(), "a0's expression and one per mask")
	for i, id := range ids {
		m := i + 1
		var rc *RoutingCriteriaInput
		switch i % 3 {
		case 0:
			rc = agentsCriteria(m, n) // its own again: the mask's expression only this contact held
		case 1:
			rc = agentsCriteria(m^0b0110, n)
		}
		_, err := in.TransferContact(id, TransferSpec{QueueID: "r", RoutingCriteria: rc})
		require.NoError(t, err, "transfer %d", i)
		require.NoError(t, in.Verify(), "after transfer %d", i)
	}
	require.Less(t, live(), 1<<n-1, "the masks of contacts transferred without criteria are freed")
	for _, a := range in.AgentIDs() {
		require.NoError(t, in.SetAgentState(a, AgentAvailable))
	}
	for k := range 60 {
		now = now.Add(time.Second)
		in.Advance()
		for _, a := range in.aorder {
			if k == 0 && len(a.contacts) > 0 {
				// Transferred while with its agent, with criteria: the new contact holds them.
				_, err := in.TransferContact(a.contacts[0].c.ID, TransferSpec{QueueID: "q", RoutingCriteria: agentsCriteria(0b1000, n)})
				require.NoError(t, err)
			}
			for len(a.contacts) > 0 {
				require.NoError(t, in.EndContact(a.contacts[0].c.ID, Completed, 0))
			}
		}
		require.NoError(t, in.Verify())
	}
	require.Equal(t, 0, live(), "once no contact waits with criteria, no expression is left")
}
