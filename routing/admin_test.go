package routing_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// admin wraps a runtime change as a step that must succeed.
func admin(name string, f func(in *routing.Instance) error) step {
	return func(h *harness) {
		h.t.Helper()
		if err := f(h.in); err != nil {
			h.t.Fatalf("%s = %v; want nil", name, err)
		}
	}
}

func associate(p string, es ...routing.ProfileQueueConfig) step {
	return admin("AssociateProfileQueues", func(in *routing.Instance) error { return in.AssociateProfileQueues(p, es) })
}

func updateQueues(p string, es ...routing.ProfileQueueConfig) step {
	return admin("UpdateProfileQueues", func(in *routing.Instance) error { return in.UpdateProfileQueues(p, es) })
}

func disassociate(p string, refs ...routing.ProfileQueueRef) step {
	return admin("DisassociateProfileQueues", func(in *routing.Instance) error { return in.DisassociateProfileQueues(p, refs) })
}

func move(a, p string) step {
	return admin("UpdateAgentRoutingProfile", func(in *routing.Instance) error { return in.UpdateAgentRoutingProfile(a, p) })
}

func timer(p, t string) step {
	return admin("UpdateProfileAvailabilityTimer", func(in *routing.Instance) error { return in.UpdateProfileAvailabilityTimer(p, t) })
}

// TestRuntimeProfileChanges checks that routing follows profile and agent changes at once,
// on scripts verified after every step.
func TestRuntimeProfileChanges(t *testing.T) {
	twoQueues := func() routing.InstanceConfig {
		return instance(queues("q1", "q2"),
			[]routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 0)), profile("p2", entry("q2", voiceCh, 1, 0))},
			agents("a1:p1", "a2:p2"))
	}
	tests := []struct {
		name  string
		cfg   routing.InstanceConfig
		steps []step
	}{
		{"associate makes a waiting contact eligible at once", twoQueues(), []step{
			avail("a1"), voice("c1", "q2"), routes(),
			associate("p1", entry("q2", voiceCh, 1, 0)), routes("c1>a1"),
		}},
		{"associate with a delay: a contact that waited longer enters the new tier at once, another at its delay", twoQueues(), []step{
			avail("a1"), voice("c1", "q2"), at(20), voice("c2", "q2"),
			associate("p1", entry("q2", voiceCh, 1, 15)), routes("c1>a1"),
			done("c1", 0), routes(), at(34), routes(), at(35), routes("c2>a1"),
		}},
		{"a new shorter delay is inserted before an existing tier", instance(queues("q1"),
			[]routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 30)), profile("p2", entry("q1", chatCh, 1, 0))},
			agents("a1:p1", "a2:p2")), []step{
			voice("c1", "q1"), at(5), voice("c2", "q1"), avail("a2"),
			associate("p2", entry("q1", voiceCh, 1, 10)), routes(), at(10), routes("c1>a2"),
			done("c1", 0), at(15), routes("c2>a2"), at(40), avail("a1"), routes(),
		}},
		{"update lowers a delay: contacts now eligible are offered", instance(queues("q1"),
			[]routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 100))}, agents("a1:p1")), []step{
			avail("a1"), voice("c1", "q1"), at(10), routes(),
			updateQueues("p1", entry("q1", voiceCh, 1, 5)), routes("c1>a1"),
		}},
		{"update changes the order of queues", instance(queues("q1", "q2"),
			[]routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 2, 0))}, agents("a1:p1")), []step{
			voice("c1", "q1"), voice("c2", "q2"),
			updateQueues("p1", entry("q2", voiceCh, 1, 0), entry("q1", voiceCh, 3, 0)),
			avail("a1"), routes("c2>a1"),
		}},
		{"disassociate stops new routing, keeps contacts in progress", twoQueues(), []step{
			associate("p1", entry("q2", voiceCh, 1, 0)), avail("a1"), voice("c1", "q2"), routes("c1>a1"),
			disassociate("p1", routing.ProfileQueueRef{QueueID: "q2", Channel: voiceCh}),
			voice("c2", "q2"), done("c1", 0), routes(),
		}},
		{"a moved agent keeps its contact and then routes by its new profile", twoQueues(), []step{
			avail("a1"), voice("c1", "q1"), routes("c1>a1"), voice("c2", "q2"), voice("c3", "q1"),
			move("a1", "p2"), routes(), done("c1", 0), routes("c2>a1"), done("c2", 0), routes(),
		}},
		{"a moved available agent takes its new profile's contact at once", twoQueues(), []step{
			avail("a1"), voice("c1", "q2"), routes(), move("a1", "p2"), routes("c1>a1"),
		}},
		{"TIME_SINCE_LAST_INBOUND ignores going available; TIME_SINCE_LAST_ACTIVITY does not",
			instance(queues("q1"), []routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 0))}, agents("a1:p1", "a2:p1")), []step{
				avail("a1", "a2"), voice("c1", "q1"), routes("c1>a1"), at(10), done("c1", 0),
				// a2 has been available since 0, a1 freed at 10: a2 is idle longest either way.
				at(20), offline("a2"), avail("a2"),
				// By activity a2 went available at 20, after a1 was freed: a1 first.
				voice("c2", "q1"), routes("c2>a1"), done("c2", 0),
				// a1 freed at 20 (same instant, after a2's change): by inbound, a2 never handled a
				// contact (counts from the start) and comes first.
				timer("p1", routing.TimerLastInbound), voice("c3", "q1"), routes("c3>a2"),
			}},
		{"a custom status takes nothing; available again takes what waits",
			instance(queues("q1"), []routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 0))}, agents("a1:p1")), []step{
				setState(routing.AgentCustom, "a1"), voice("c1", "q1"), routes(), avail("a1"), routes("c1>a1"),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.cfg)
			h.run(tt.steps...)
		})
	}
}

// TestRouteAnyChannel checks per-channel cross-channel behaviour: an agent on a chat whose
// channel is ROUTE_ANY_CHANNEL is offered a voice contact; on a voice contact, whose channel
// routes the current channel only, it is offered no chat.
func TestRouteAnyChannel(t *testing.T) {
	p := profile("p1", entry("q1", voiceCh, 1, 0), entry("q1", chatCh, 1, 0))
	p.Concurrency = map[contact.Channel]int{contact.Voice: 1, contact.Chat: 2}
	p.RouteAnyChannel = []contact.Channel{contact.Chat}
	h := newHarness(t, instance(queues("q1"), []routing.ProfileConfig{p}, agents("a1:p1")))
	h.run(avail("a1"), chat("c1", "q1"), routes("c1>a1"), voice("v1", "q1"), routes("v1>a1"),
		chat("c2", "q1"), routes(), done("v1", 0), routes("c2>a1"))
	require.NoError(t, h.in.UpdateProfileConcurrency("p1", nil, []contact.Channel{}))
	info, err := h.in.DescribeRoutingProfile("p1")
	require.NoError(t, err)
	assert.Empty(t, info.RouteAnyChannel, "RouteAnyChannel %v after clearing it; want none", info.RouteAnyChannel)
	h.run(voice("v2", "q1"), routes())
}

// TestConcurrencyLowered checks that an agent above a lowered limit keeps its contacts and
// takes more only once below it.
func TestConcurrencyLowered(t *testing.T) {
	h := newHarness(t, instance(queues("q1"), []routing.ProfileConfig{conc(profile("p1", entry("q1", chatCh, 1, 0)), 3)}, agents("a1:p1")))
	h.run(avail("a1"), chat("c1", "q1"), chat("c2", "q1"), chat("c3", "q1"), routes("c1>a1", "c2>a1", "c3>a1"))
	require.NoError(t, h.in.UpdateProfileConcurrency("p1", map[contact.Channel]int{contact.Chat: 1}, nil))
	h.run(chat("c4", "q1"), done("c1", 0), done("c2", 0), routes(), done("c3", 0), routes("c4>a1"))
	require.NoError(t, h.in.UpdateProfileConcurrency("p1", map[contact.Channel]int{contact.Chat: 2}, nil))
	h.run(chat("c5", "q1"), routes("c5>a1"))
}

// TestAdminErrors checks each runtime change's errors, and that a failed call changes
// nothing (the profile's description is the same before and after).
func TestAdminErrors(t *testing.T) {
	cfg := instance(queues("q1", "q2"), []routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 0))}, agents("a1:p1"))
	h := newHarness(t, cfg)
	before, err := h.in.DescribeRoutingProfile("p1")
	require.NoError(t, err)
	var (
		inv *routing.InvalidParameterException
		nf  *routing.ResourceNotFoundException
		dup *routing.DuplicateResourceException
		lim *routing.LimitExceededException
	)
	many := make([]routing.ProfileQueueConfig, routing.MaxProfileQueues+1)
	for i := range many {
		many[i] = entry("q1", voiceCh, 1, i)
	}
	tests := []struct {
		name string
		err  error
		want any
	}{
		{"associate an entry it has", h.in.AssociateProfileQueues("p1", []routing.ProfileQueueConfig{entry("q1", voiceCh, 2, 0)}), &inv},
		{"associate an unknown queue", h.in.AssociateProfileQueues("p1", []routing.ProfileQueueConfig{entry("nope", voiceCh, 2, 0)}), &nf},
		{"associate priority 0", h.in.AssociateProfileQueues("p1", []routing.ProfileQueueConfig{entry("q2", voiceCh, 0, 0)}), &inv},
		{"associate delay 10000", h.in.AssociateProfileQueues("p1", []routing.ProfileQueueConfig{entry("q2", voiceCh, 1, 10000)}), &inv},
		{"associate a bad channel", h.in.AssociateProfileQueues("p1", []routing.ProfileQueueConfig{entry("q2", "FAX", 1, 0)}), &inv},
		{"associate past the quota", h.in.AssociateProfileQueues("p1", many[1:]), &inv},
		{"associate to an unknown profile", h.in.AssociateProfileQueues("nope", nil), &nf},
		{"disassociate an entry it lacks", h.in.DisassociateProfileQueues("p1", []routing.ProfileQueueRef{{QueueID: "q2", Channel: voiceCh}}), &inv},
		{"update an entry it lacks", h.in.UpdateProfileQueues("p1", []routing.ProfileQueueConfig{entry("q2", voiceCh, 1, 0)}), &inv},
		{"update to priority 100", h.in.UpdateProfileQueues("p1", []routing.ProfileQueueConfig{entry("q1", voiceCh, 100, 0)}), &inv},
		{"voice concurrency 2", h.in.UpdateProfileConcurrency("p1", map[contact.Channel]int{contact.Voice: 2}, nil), &inv},
		{"chat concurrency 11", h.in.UpdateProfileConcurrency("p1", map[contact.Channel]int{contact.Chat: 11}, nil), &inv},
		{"bad timer", h.in.UpdateProfileAvailabilityTimer("p1", "SOMETIMES"), &inv},
		{"create a duplicate ID", h.in.CreateRoutingProfile(profile("p1")), &dup},
		{"create past the quota", h.in.CreateRoutingProfile(profile("p9", many...)), &lim},
		{"create with an unknown outbound queue", h.in.CreateRoutingProfile(routing.ProfileConfig{ID: "p9", DefaultOutboundQueueID: "nope"}), &nf},
		{"create with a bad timer", h.in.CreateRoutingProfile(routing.ProfileConfig{ID: "p9", AgentAvailabilityTimer: "NEVER"}), &inv},
		{"create an agent of an unknown profile", h.in.CreateAgent(routing.AgentConfig{ID: "a9", RoutingProfileID: "nope"}), &nf},
		{"create a duplicate agent", h.in.CreateAgent(routing.AgentConfig{ID: "a1", RoutingProfileID: "p1"}), &dup},
		{"create an agent with an unknown proficiency", h.in.CreateAgent(routing.AgentConfig{ID: "a9", RoutingProfileID: "p1",
			Proficiencies: []routing.ProficiencyConfig{{AttributeName: "x", AttributeValue: "y", Level: 1}}}), &inv},
		{"move an unknown agent", h.in.UpdateAgentRoutingProfile("nope", "p1"), &nf},
		{"move to an unknown profile", h.in.UpdateAgentRoutingProfile("a1", "nope"), &nf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err, "got nil; want %T", tt.want)
			assert.True(t, errors.As(tt.err, tt.want), "error %v (%T); want %T", tt.err, tt.err, tt.want)
		})
	}
	after, err := h.in.DescribeRoutingProfile("p1")
	require.NoError(t, err)
	assert.Equal(t, before, after, "profile after failed calls %+v; want %+v", after, before)
	assert.Len(t, h.in.RoutingProfiles(), 1, "profiles after failed creates; want 1")
	assert.Equal(t, []string{"a1"}, h.in.AgentIDs(), "agents after failed creates; want a1 only")
	h.verify()
}

// TestCreateProfileAndAgent creates a profile and an agent at run time and routes to it.
func TestCreateProfileAndAgent(t *testing.T) {
	h := newHarness(t, instance(queues("q1"), []routing.ProfileConfig{profile("p1", entry("q1", voiceCh, 1, 0))}, agents("a1:p1")))
	pc := routing.ProfileConfig{ID: "p2", Name: "Tasks", Description: "task desk", DefaultOutboundQueueID: "q1",
		Queues: []routing.ProfileQueueConfig{entry("q1", contact.Task, 1, 0)}, Concurrency: map[contact.Channel]int{contact.Task: 3},
		AgentAvailabilityTimer: routing.TimerLastInbound}
	require.NoError(t, h.in.CreateRoutingProfile(pc))
	require.NoError(t, h.in.CreateAgent(routing.AgentConfig{ID: "a2", RoutingProfileID: "p2"}))
	info, err := h.in.DescribeRoutingProfile("p2")
	require.NoError(t, err)
	assert.Equal(t, routing.ProfileInfo{ID: "p2", Name: "Tasks", Description: "task desk", DefaultOutboundQueueID: "q1",
		AgentAvailabilityTimer: routing.TimerLastInbound, Concurrency: map[contact.Channel]int{contact.Task: 3},
		Queues: pc.Queues, Agents: 1, QueueNames: map[string]string{"q1": ""}}, info)
	h.run(avail("a1", "a2"), arrive("t1", "q1", contact.Task), arrive("t2", "q1", contact.Task), routes("t1>a2", "t2>a2"))
}
