package routing_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

func TestStartContact(t *testing.T) {
	type input = routing.StartContactInput
	inst := ptr("inst")
	tests := []struct {
		name     string
		in       *input
		code     string // "" for success
		wantPrio int64
		wantAdj  time.Duration
		wantPos  int
	}{
		{"defaults", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, ContactId: ptr("n")}, "", 5, 0, 4},
		{"initial priority", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, ContactId: ptr("n"),
			QueuePriority: ptr[int64](2)}, "", 2, 0, 1},
		{"initial age", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, ContactId: ptr("n"),
			QueueTimeAdjustmentSeconds: ptr[int32](9)}, "", 5, sec(9), 3}, // ties w1's routing age; w1 arrived first
		{"initial priority and age", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, ContactId: ptr("n"),
			QueuePriority: ptr[int64](3), QueueTimeAdjustmentSeconds: ptr[int32](100)}, "", 3, sec(100), 1},
		{"negative initial age", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, ContactId: ptr("n"),
			QueueTimeAdjustmentSeconds: ptr[int32](-100)}, "", 5, -sec(100), 4},
		{"made-up id", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh}, "", 5, 0, 4},
		{"nil input", nil, "InvalidParameterException", 0, 0, 0},
		{"no instance", &input{QueueId: ptr("q1"), Channel: voiceCh}, "InvalidParameterException", 0, 0, 0},
		{"no queue", &input{InstanceId: inst, Channel: voiceCh}, "InvalidParameterException", 0, 0, 0},
		{"bad channel", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: "SMS"}, "InvalidParameterException", 0, 0, 0},
		{"no channel", &input{InstanceId: inst, QueueId: ptr("q1")}, "InvalidParameterException", 0, 0, 0},
		{"priority 0", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, QueuePriority: ptr[int64](0)}, "InvalidParameterException", 0, 0, 0},
		{"empty contact id", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, ContactId: ptr("")}, "InvalidParameterException", 0, 0, 0},
		{"duplicate of a waiting contact", &input{InstanceId: inst, QueueId: ptr("q1"), Channel: voiceCh, ContactId: ptr("w1")}, "InvalidParameterException", 0, 0, 0},
		{"duplicate of a retained ended contact", &input{InstanceId: inst, QueueId: ptr("q2"), Channel: voiceCh, ContactId: ptr("gone")}, "InvalidParameterException", 0, 0, 0},
		{"unknown queue", &input{InstanceId: inst, QueueId: ptr("q9"), Channel: voiceCh}, "ResourceNotFoundException", 0, 0, 0},
		{"unknown instance", &input{InstanceId: ptr("nope"), QueueId: ptr("q1"), Channel: voiceCh}, "ResourceNotFoundException", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := apiFixture(t)
			before := h.snapshot()
			out, err := h.svc.StartContact(h.ctx, tt.in)
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				assert.Nil(t, out, "output = %v; want nil on error", out)
				assert.Equal(t, before, h.snapshot(), "a failed call changed the instance")
				return
			}
			require.NoError(t, err, "StartContact = %v, %v; want a contact ID", out, err)
			require.NotNil(t, out, "StartContact = nil output; want a contact ID")
			require.NotEmpty(t, out.ContactId, "StartContact = %v; want a contact ID", out)
			require.NotEmpty(t, *out.ContactId, "StartContact = %v; want a contact ID", out)
			if tt.in.ContactId != nil {
				assert.Equal(t, *tt.in.ContactId, *out.ContactId, "ContactId = %q; want %q", *out.ContactId, *tt.in.ContactId)
			}
			id := *out.ContactId
			got := h.describe(id)
			want := routing.ContactInfo{ID: contact.ID(id), QueueID: "q1", Channel: voiceCh, State: routing.Waiting,
				EnqueuedAt: t0.Add(sec(10)), Priority: tt.wantPrio, AgeAdjustment: tt.wantAdj}
			assert.True(t, got.EnqueuedAt.Equal(want.EnqueuedAt), "EnqueuedAt = %v; want %v", got.EnqueuedAt, want.EnqueuedAt)
			got.EnqueuedAt = want.EnqueuedAt
			assert.Equal(t, want, got, "DescribeContact = %+v; want %+v", got, want)
			pos, err := h.svc.GetContactPosition(h.ctx, &routing.GetContactPositionInput{InstanceId: h.id(), ContactId: &id})
			if assert.NoError(t, err, "GetContactPosition(%s)", id) {
				assert.Equal(t, tt.wantPos, pos.Position, "position = %d; want %d", pos.Position, tt.wantPos)
			}
			h.verify()
		})
	}
}

// TestStartContactMadeUpIDs: the IDs an instance makes up are distinct and skip IDs taken.
func TestStartContactMadeUpIDs(t *testing.T) {
	h := apiFixture(t)
	first, err := h.in.StartContact(routing.ContactSpec{QueueID: "q2", Channel: voiceCh})
	require.NoError(t, err)
	seen := map[contact.ID]bool{first: true}
	// Take the next made-up ID by hand: the instance must skip it.
	next := contact.ID(strings.Replace(string(first), "1", "2", 1))
	_, err = h.in.StartContact(routing.ContactSpec{ID: next, QueueID: "q2", Channel: voiceCh})
	require.NoError(t, err)
	seen[next] = true
	for range 5 {
		id, err := h.in.StartContact(routing.ContactSpec{QueueID: "q2", Channel: voiceCh, Tag: 7})
		require.NoError(t, err)
		require.False(t, seen[id], "StartContact = %q; want a new ID", id)
		seen[id] = true
		got := h.describe(string(id))
		assert.Equal(t, 7, got.Tag, "Tag = %d; want 7", got.Tag)
	}
	h.verify()
}

func TestDescribeContactLifecycle(t *testing.T) {
	h := newHarness(t, instance(queues("q1"), []routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 0))}, agents("a1:p")))
	h.run(at(5), voice("c1", "q1", int64(2), sec(7)))
	want := routing.ContactInfo{ID: "c1", QueueID: "q1", Channel: voiceCh, State: routing.Waiting,
		EnqueuedAt: t0.Add(sec(5)), Priority: 2, AgeAdjustment: sec(7)}
	check := func(when string) {
		t.Helper()
		out, err := h.svc.DescribeContact(h.ctx, &routing.DescribeContactInput{InstanceId: h.id(), ContactId: ptr("c1")})
		require.NoError(t, err, "%s: DescribeContact", when)
		got := out.Contact
		for _, tm := range []struct{ got, want *time.Time }{{&got.EnqueuedAt, &want.EnqueuedAt},
			{&got.RoutedAt, &want.RoutedAt}, {&got.EndedAt, &want.EndedAt}} {
			assert.True(t, tm.got.Equal(*tm.want), "%s: time %v; want %v", when, *tm.got, *tm.want)
			*tm.got = *tm.want
		}
		assert.Equal(t, want, got, "%s: DescribeContact = %+v; want %+v", when, got, want)
	}
	check("waiting")
	h.run(at(8), avail("a1"))
	want.State, want.AgentID, want.RoutedAt = routing.WithAgent, "a1", t0.Add(sec(8))
	check("with agent")
	h.run(at(20), done("c1", 30))
	want.State, want.Reason, want.EndedAt = routing.Ended, routing.Completed, t0.Add(sec(20))
	check("ended")
	h.run(at(100))
	check("after the after-contact work")
	wantKinds := []routing.EventKind{routing.ContactQueued, routing.ContactRouted, routing.ContactEnded, routing.AfterContactWorkEnded}
	got := h.rec.kinds("c1")
	assert.Equal(t, wantKinds, got, "events of c1 = %v; want %v", got, wantKinds)
}

func TestDescribeContactErrors(t *testing.T) {
	h := apiFixture(t)
	tests := []struct {
		name string
		in   *routing.DescribeContactInput
		code string
	}{
		{"nil input", nil, "InvalidParameterException"},
		{"no instance", &routing.DescribeContactInput{ContactId: ptr("w1")}, "InvalidParameterException"},
		{"no contact", &routing.DescribeContactInput{InstanceId: h.id()}, "InvalidParameterException"},
		{"unknown instance", &routing.DescribeContactInput{InstanceId: ptr("x"), ContactId: ptr("w1")}, "ResourceNotFoundException"},
		{"unknown contact", &routing.DescribeContactInput{InstanceId: h.id(), ContactId: ptr("x")}, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := h.svc.DescribeContact(h.ctx, tt.in)
			assert.Nil(t, out, "output = %v; want nil", out)
			checkAPIError(t, err, tt.code)
		})
	}
}

// TestRetainEnded: ended contacts stay describable, and conflict rather than vanish, for as
// many as RetainEnded says; then they are forgotten and their IDs may be used again.
func TestRetainEnded(t *testing.T) {
	for _, tt := range []struct {
		retain int
		kept   int // how many of the last ended contacts are still found
	}{{-1, 0}, {1, 1}, {3, 3}, {0, 5}} {
		t.Run(fmt.Sprint("retain=", tt.retain), func(t *testing.T) {
			cfg := instance(queues("q1"), []routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 0))}, agents("a1:p"))
			cfg.RetainEnded = tt.retain
			h := newHarness(t, cfg)
			h.run(avail("a1"))
			for i := range 5 {
				id := fmt.Sprint("c", i)
				if i%2 == 0 {
					h.run(voice(id, "q1"), done(id, 0))
				} else {
					h.run(offline("a1"), voice(id, "q1"), abandon(id), avail("a1"))
				}
			}
			h.rec.takeRoutes()
			for i := range 5 {
				id := fmt.Sprint("c", i)
				_, err := h.in.DescribeContact(contact.ID(id))
				_, uerr := h.svc.UpdateContactRoutingData(h.ctx, &routing.UpdateContactRoutingDataInput{
					InstanceId: h.id(), ContactId: ptr(id), QueuePriority: ptr[int64](1)})
				if i >= 5-tt.kept {
					assert.NoError(t, err, "DescribeContact(%s) = %v; want it retained", id, err)
					checkAPIError(t, uerr, "ResourceConflictException")
				} else {
					checkAPIError(t, err, "ResourceNotFoundException")
					checkAPIError(t, uerr, "ResourceNotFoundException")
				}
			}
			for i := range 5 - tt.kept {
				id := fmt.Sprint("c", i)
				h.run(voice(id, "q1"), routes(id+">a1"), done(id, 0)) // a forgotten ID is free again
			}
			h.verify()
		})
	}
}

func TestSetAgentState(t *testing.T) {
	h := newHarness(t, instance(queues("q1"), []routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 0))}, agents("a1:p")))
	status := func(want routing.AgentStatus, wantState routing.AgentState, wantContacts ...contact.ID) {
		t.Helper()
		info, err := h.in.DescribeAgent("a1")
		require.NoError(t, err)
		wantInfo := routing.AgentInfo{ID: "a1", RoutingProfileID: "p", State: wantState, Status: want, Contacts: wantContacts}
		info.AfterContactWork = 0 // not under test here
		assert.Equal(t, wantInfo, info, "DescribeAgent = %+v; want status %s, state %s, contacts %v", info, want, wantState, wantContacts)
	}
	status(routing.StatusOffline, routing.AgentOffline)
	h.run(avail("a1"))
	status(routing.StatusAvailable, routing.AgentAvailable)
	h.run(avail("a1")) // again: no change, no event
	h.run(voice("c1", "q1"))
	status(routing.StatusOnContact, routing.AgentAvailable, "c1")
	h.run(offline("a1"))
	status(routing.StatusOnContact, routing.AgentOffline, "c1")
	h.run(done("c1", 10))
	status(routing.StatusAfterContactWork, routing.AgentOffline)
	h.run(at(10))
	status(routing.StatusOffline, routing.AgentOffline)
	var changes []routing.AgentState
	for _, e := range h.rec.events {
		if e.Kind == routing.AgentStateChanged {
			changes = append(changes, e.AgentState)
		}
	}
	wantChanges := []routing.AgentState{routing.AgentAvailable, routing.AgentOffline}
	assert.Equal(t, wantChanges, changes, "AgentStateChanged events = %v; want %v", changes, wantChanges)

	for _, tt := range []struct {
		name string
		in   *routing.SetAgentStateInput
		code string
	}{
		{"nil input", nil, "InvalidParameterException"},
		{"no agent", &routing.SetAgentStateInput{InstanceId: h.id()}, "InvalidParameterException"},
		{"bad state", &routing.SetAgentStateInput{InstanceId: h.id(), AgentId: ptr("a1"), State: 7}, "InvalidParameterException"},
		{"unknown agent", &routing.SetAgentStateInput{InstanceId: h.id(), AgentId: ptr("x")}, "ResourceNotFoundException"},
		{"unknown instance", &routing.SetAgentStateInput{InstanceId: ptr("x"), AgentId: ptr("a1")}, "ResourceNotFoundException"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.svc.SetAgentState(h.ctx, tt.in)
			checkAPIError(t, err, tt.code)
		})
	}
	_, err := h.in.DescribeAgent("x")
	assert.Error(t, err, "DescribeAgent(x) = nil error; want ResourceNotFoundException")
	got := fmt.Sprint(routing.AgentAvailable, routing.AgentOffline, routing.StatusAfterContactWork)
	assert.Equal(t, "AVAILABLE OFFLINE AFTER_CONTACT_WORK", got, "names = %q", got)
}

func TestEndContact(t *testing.T) {
	type input = routing.EndContactInput
	tests := []struct {
		name       string
		in         *input
		code       string
		wantReason routing.EndReason
	}{
		{"abandon waiting", &input{ContactId: ptr("w1"), Reason: routing.Abandoned}, "", routing.Abandoned},
		{"stop waiting (default reason)", &input{ContactId: ptr("w1")}, "", routing.Stopped},
		{"complete with agent", &input{ContactId: ptr("busy"), Reason: routing.Completed}, "", routing.Completed},
		{"stop with agent", &input{ContactId: ptr("busy"), Reason: routing.Stopped, AfterContactWork: sec(3)}, "", routing.Stopped},
		{"nil input", nil, "InvalidParameterException", 0},
		{"no contact id", &input{}, "InvalidParameterException", 0},
		{"complete waiting", &input{ContactId: ptr("w1"), Reason: routing.Completed}, "InvalidParameterException", 0},
		{"abandon with agent", &input{ContactId: ptr("busy"), Reason: routing.Abandoned}, "InvalidParameterException", 0},
		{"negative after-contact work", &input{ContactId: ptr("busy"), Reason: routing.Completed, AfterContactWork: -1}, "InvalidParameterException", 0},
		{"bad reason", &input{ContactId: ptr("busy"), Reason: 9}, "InvalidParameterException", 0},
		{"unknown contact", &input{ContactId: ptr("x")}, "ResourceNotFoundException", 0},
		{"ended contact", &input{ContactId: ptr("gone"), Reason: routing.Abandoned}, "ResourceConflictException", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := apiFixture(t)
			in := tt.in
			if in != nil {
				in.InstanceId = h.id()
			}
			before := h.snapshot()
			_, err := h.svc.EndContact(h.ctx, in)
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				assert.Equal(t, before, h.snapshot(), "a failed call changed the instance")
				return
			}
			require.NoError(t, err)
			got := h.describe(*in.ContactId)
			assert.Equal(t, routing.Ended, got.State, "DescribeContact = %+v; want ENDED, %s at 10 s", got, tt.wantReason)
			assert.Equal(t, tt.wantReason, got.Reason, "DescribeContact = %+v; want ENDED, %s at 10 s", got, tt.wantReason)
			assert.True(t, got.EndedAt.Equal(t0.Add(sec(10))), "DescribeContact = %+v; want ENDED, %s at 10 s", got, tt.wantReason)
			h.verify()
		})
	}
}
