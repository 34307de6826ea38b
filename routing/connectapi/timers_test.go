package connectapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
)

// TestRunTimersRoutesWithoutRequests: a contact inside its profile delay routes when the
// delay expires, with no request arriving, because RunTimers fires the core's timer.
func TestRunTimersRoutesWithoutRequests(t *testing.T) {
	cfg := testConfig()
	p := &cfg.Instances[0].RoutingProfiles[0]
	for i := range p.Queues {
		p.Queues[i].DelaySeconds = 10
	}
	routed := make(chan routing.Event, 16)
	cfg.Instances[0].Observer = routing.ObserverFunc(func(ev routing.Event) {
		if ev.Kind == routing.ContactRouted {
			routed <- ev
		}
	})
	e := newEnv(t, cfg)
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	id := e.startTask(c, flowQ1)
	require.Nil(t, e.describe(c, id).AgentInfo, "routed inside the 10 s delay")
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.h.RunTimers(runCtx)
		close(done)
	}()
	e.clock.Advance(10 * time.Second)
	select {
	case ev := <-routed:
		assert.Equal(t, id, string(ev.ContactID), "routed %s to %s; want %s to %s", ev.ContactID, ev.AgentID, id, agent1)
		assert.Equal(t, agent1, ev.AgentID, "routed %s to %s; want %s to %s", ev.ContactID, ev.AgentID, id, agent1)
	case <-time.After(5 * time.Second):
		t.Fatal("the contact did not route within 5 s of its delay expiring")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunTimers did not return after its context was cancelled")
	}
}

// TestRunTimersExpiresCriteriaSteps: a contact whose active step no available agent matches
// routes when the step expires, with no request arriving, because RunTimers fires the
// core's step timer.
func TestRunTimersExpiresCriteriaSteps(t *testing.T) {
	cfg := critConfig()
	routed := make(chan routing.Event, 16)
	cfg.Instances[0].Observer = routing.ObserverFunc(func(ev routing.Event) {
		if ev.Kind == routing.ContactRouted {
			routed <- ev
		}
	})
	e := newEnv(t, cfg)
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv)) // English 3: not French
	id := e.startTask(c, flowFrench)
	require.Empty(t, agentOf(e.describe(c, id)), "routed while the French step is active")
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.h.RunTimers(runCtx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	e.clock.Advance(30 * time.Second) // the flow's step 1 expires; step 2 asks English >= 1
	select {
	case ev := <-routed:
		assert.Equal(t, id, string(ev.ContactID), "routed %s to %s; want %s to %s", ev.ContactID, ev.AgentID, id, agent1)
		assert.Equal(t, agent1, ev.AgentID, "routed %s to %s; want %s to %s", ev.ContactID, ev.AgentID, id, agent1)
	case <-time.After(5 * time.Second):
		t.Fatal("the contact did not route within 5 s of its step expiring")
	}
}
