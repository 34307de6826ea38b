package routing_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// apiFixture is an instance with a contact of each kind: w1..w3 waiting in q1 (voice), m1
// waiting in q1 (chat: a1 is busy on voice), busy with agent a1, gone ended and retained.
func apiFixture(t *testing.T) *harness {
	t.Helper()
	p := conc(profile("p", entry("q1", voiceCh, 1, 0), entry("q1", chatCh, 1, 0), entry("q2", voiceCh, 2, 0)), 2)
	h := newHarness(t, instance(queues("q1", "q2"), []routing.ProfileConfig{p}, agents("a1:p", "a2:p")))
	h.run(avail("a1"), voice("busy", "q1"), at(1), voice("w1", "q1"), at(2), voice("w2", "q1"),
		at(3), voice("w3", "q1", int64(3)), chat("m1", "q1"), voice("gone", "q2"), abandon("gone"), at(10),
		routes("busy>a1"))
	return h
}

var fixtureContacts = []string{"busy", "w1", "w2", "w3", "m1", "gone"}

// snapshot is everything a failed call must leave as it was.
type snapshot struct {
	contacts  []routing.ContactInfo
	positions map[string]int
	metrics   []routing.QueueMetrics
	events    int
}

func (h *harness) snapshot() snapshot {
	h.t.Helper()
	s := snapshot{positions: map[string]int{}}
	for _, id := range fixtureContacts {
		info := h.describe(id)
		s.contacts = append(s.contacts, info)
		if info.State == routing.Waiting {
			p, err := h.in.ContactPosition(contact.ID(id))
			if err != nil {
				h.t.Fatalf("ContactPosition(%s) = %v", id, err)
			}
			s.positions[id] = p
		}
	}
	out, err := h.svc.GetCurrentMetrics(h.ctx, &routing.GetCurrentMetricsInput{InstanceId: h.id()})
	if err != nil {
		h.t.Fatal(err)
	}
	s.metrics = out.Metrics
	h.rec.mu.Lock()
	s.events = len(h.rec.events)
	h.rec.mu.Unlock()
	return s
}

// checkAPIError checks that err is the Connect exception named code, both as its own type
// and as a smithy.APIError with a client fault and a message.
func checkAPIError(t *testing.T, err error, code string) {
	t.Helper()
	var api smithy.APIError
	require.ErrorAs(t, err, &api, "err = %v (%T); want a smithy.APIError %s", err, err, code)
	assert.Equal(t, code, api.ErrorCode(), "err = %v; want code %s", err, code)
	assert.Equal(t, smithy.FaultClient, api.ErrorFault(), "err = %v; want a client fault", err)
	assert.NotEmpty(t, api.ErrorMessage(), "err = %v; want a message", err)
	var ok bool
	switch code {
	case "InvalidParameterException":
		var e *routing.InvalidParameterException
		ok = errors.As(err, &e)
	case "ResourceNotFoundException":
		var e *routing.ResourceNotFoundException
		ok = errors.As(err, &e)
	case "ResourceConflictException":
		var e *routing.ResourceConflictException
		ok = errors.As(err, &e)
	default:
		require.Failf(t, "checkAPIError: unexpected code", "code %s", code)
	}
	assert.True(t, ok, "errors.As(%T, *routing.%s) = false; want true", err, code)
	assert.True(t, strings.HasPrefix(err.Error(), "routing: "+code+": "), "Error() = %q; want the prefix %q", err, "routing: "+code+": ")
}

func TestUpdateContactRoutingDataErrors(t *testing.T) {
	type input = routing.UpdateContactRoutingDataInput
	inst, w1 := ptr("inst"), ptr("w1")
	tests := []struct {
		name string
		in   *input
		code string
	}{
		{"nil input", nil, "InvalidParameterException"},
		{"no instance id", &input{ContactId: w1, QueuePriority: ptr[int64](1)}, "InvalidParameterException"},
		{"empty instance id", &input{InstanceId: ptr(""), ContactId: w1, QueuePriority: ptr[int64](1)}, "InvalidParameterException"},
		{"no contact id", &input{InstanceId: inst, QueuePriority: ptr[int64](1)}, "InvalidParameterException"},
		{"empty contact id", &input{InstanceId: inst, ContactId: ptr(""), QueuePriority: ptr[int64](1)}, "InvalidParameterException"},
		{"both fields", &input{InstanceId: inst, ContactId: w1, QueuePriority: ptr[int64](1), QueueTimeAdjustmentSeconds: ptr[int32](60)}, "InvalidParameterException"},
		{"neither field", &input{InstanceId: inst, ContactId: w1}, "InvalidParameterException"},
		{"priority 0", &input{InstanceId: inst, ContactId: w1, QueuePriority: ptr[int64](0)}, "InvalidParameterException"},
		{"priority -1", &input{InstanceId: inst, ContactId: w1, QueuePriority: ptr[int64](-1)}, "InvalidParameterException"},
		{"priority min int64", &input{InstanceId: inst, ContactId: w1, QueuePriority: ptr[int64](math.MinInt64)}, "InvalidParameterException"},
		{"unknown instance", &input{InstanceId: ptr("nope"), ContactId: w1, QueuePriority: ptr[int64](1)}, "ResourceNotFoundException"},
		{"unknown contact", &input{InstanceId: inst, ContactId: ptr("nope"), QueuePriority: ptr[int64](1)}, "ResourceNotFoundException"},
		{"unknown contact, age", &input{InstanceId: inst, ContactId: ptr("nope"), QueueTimeAdjustmentSeconds: ptr[int32](1)}, "ResourceNotFoundException"},
		{"contact with an agent", &input{InstanceId: inst, ContactId: ptr("busy"), QueuePriority: ptr[int64](1)}, "ResourceConflictException"},
		{"contact with an agent, age", &input{InstanceId: inst, ContactId: ptr("busy"), QueueTimeAdjustmentSeconds: ptr[int32](-5)}, "ResourceConflictException"},
		{"ended contact", &input{InstanceId: inst, ContactId: ptr("gone"), QueuePriority: ptr[int64](1)}, "ResourceConflictException"},
		{"ended contact, age", &input{InstanceId: inst, ContactId: ptr("gone"), QueueTimeAdjustmentSeconds: ptr[int32](5)}, "ResourceConflictException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := apiFixture(t)
			before := h.snapshot()
			out, err := h.svc.UpdateContactRoutingData(h.ctx, tt.in)
			assert.Nil(t, out, "output = %v; want nil on error", out)
			checkAPIError(t, err, tt.code)
			assert.Equal(t, before, h.snapshot(), "a failed call changed the instance")
			h.verify()
		})
	}
}

// TestUpdateContactRoutingDataOverflow: adjustments of at most 68 years each (int32 seconds)
// add up until the cumulative adjustment would pass contact.MaxAgeAdjustment (about 192
// years: int64 nanoseconds, about 292 years, less contact.MaxWait of 100); that call fails
// and changes nothing.
func TestUpdateContactRoutingDataOverflow(t *testing.T) {
	h := apiFixture(t)
	in := &routing.UpdateContactRoutingDataInput{InstanceId: h.id(), ContactId: ptr("w1"),
		QueueTimeAdjustmentSeconds: ptr[int32](math.MaxInt32)}
	var err error
	n := 0
	for ; n < 10; n++ {
		before := h.snapshot()
		if _, err = h.svc.UpdateContactRoutingData(h.ctx, in); err != nil {
			assert.Equal(t, before, h.snapshot(), "a failed call changed the instance")
			break
		}
	}
	checkAPIError(t, err, "InvalidParameterException")
	// 192 years / 68 years: two calls fit, the third passes the bound.
	assert.Equal(t, 2, n, "call %d failed; want the third", n+1)
	want := time.Duration(n) * math.MaxInt32 * time.Second
	got := h.describe("w1").AgeAdjustment
	assert.Equal(t, want, got, "AgeAdjustment = %v; want %v (%d calls)", got, want, n)
	h.verify()
}

func TestUpdateContactRoutingData(t *testing.T) {
	tests := []struct {
		name      string
		updates   []step
		wantPrio  int64
		wantAdj   time.Duration
		wantOrder []string // waiting voice contacts of q1 by position
	}{
		// w3 has priority 3; w1 and w2, priority 5, arrived at 1 s and 2 s.
		{"no update", nil, 5, 0, []string{"w3", "w1", "w2"}},
		{"priority", []step{prio("w2", 4)}, 4, 0, []string{"w3", "w2", "w1"}},
		{"priority 1 then back to 9", []step{prio("w2", 1), prio("w2", 9)}, 9, 0, []string{"w3", "w1", "w2"}},
		{"largest priority", []step{prio("w2", math.MaxInt64)}, math.MaxInt64, 0, []string{"w3", "w1", "w2"}},
		{"priority 1", []step{prio("w2", 1)}, 1, 0, []string{"w2", "w3", "w1"}},
		{"age +60 s", []step{age("w2", 60)}, 5, sec(60), []string{"w3", "w2", "w1"}},
		{"age +60 s twice is +120 s", []step{age("w2", 60), age("w2", 60)}, 5, sec(120), []string{"w3", "w2", "w1"}},
		{"age +1 s: equal routing age, arrival decides", []step{age("w2", 1)}, 5, sec(1), []string{"w3", "w1", "w2"}},
		{"age +2 s", []step{age("w2", 2)}, 5, sec(2), []string{"w3", "w2", "w1"}},
		{"age -30 s", []step{age("w2", 60), age("w2", -90)}, 5, -sec(30), []string{"w3", "w1", "w2"}},
		{"age and priority", []step{age("w2", -100), prio("w2", 2)}, 2, -sec(100), []string{"w2", "w3", "w1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := apiFixture(t)
			before := h.describe("w2")
			oldest := h.snapshot().metrics[0].OldestContactAge
			h.run(tt.updates...)
			got := h.describe("w2")
			assert.Equal(t, tt.wantPrio, got.Priority, "priority = %d; want %d", got.Priority, tt.wantPrio)
			assert.Equal(t, tt.wantAdj, got.AgeAdjustment, "adjustment = %v; want %v", got.AgeAdjustment, tt.wantAdj)
			assert.True(t, got.EnqueuedAt.Equal(before.EnqueuedAt), "EnqueuedAt = %v; want %v", got.EnqueuedAt, before.EnqueuedAt)
			assert.Equal(t, routing.Waiting, got.State, "state = %s; want WAITING", got.State)
			m := h.snapshot().metrics[0]
			assert.Equal(t, oldest, m.OldestContactAge, "OldestContactAge = %v; want %v: adjustments must not show in metrics", m.OldestContactAge, oldest)
			for i, id := range tt.wantOrder {
				h.run(positions(fmt.Sprintf("%s=%d", id, i+1)))
			}
			h.run(routes()) // an update routes nothing: no ready agent had an eligible contact
			h.run(avail("a2"), routes(tt.wantOrder[0]+">a2"))
		})
	}
}

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

func TestGetCurrentMetrics(t *testing.T) {
	p := conc(profile("p", entry("q1", voiceCh, 1, 0), entry("q1", chatCh, 1, 0)), 2)
	pv := profile("pv", entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 1, 5))
	h := newHarness(t, instance(queues("q1", "q2", "q3"), []routing.ProfileConfig{p, pv},
		agents("a1:p", "a2:p", "a3:pv", "a4:pv", "a5:pv")))
	h.run(
		avail("a1", "a2", "a3"),
		voice("v1", "q1"), chat("m1", "q1"), routes("v1>a1", "m1>a2"),
		done("v1", 60), // a1: after-contact work until 60 s
		at(10), voice("v2", "q1"), routes("v2>a3"),
		voice("v3", "q1", sec(500)), voice("v4", "q1", int64(1)),
		at(20), voice("v5", "q1"), chat("m2", "q1"), chat("m3", "q1"), voice("x1", "q2"),
		routes("m2>a2"), // a2 holds two chats
		at(30),
	)
	want := map[string]routing.QueueMetrics{
		// q1 waits v3, v4 (since 10 s; v3's +500 s adjustment is not seen), v5 (20 s) and m3
		// (chat, 20 s). Agents a1..a5 serve it: a1 in after-contact work, a2 and a3 on
		// contact, a4 and a5 offline.
		"q1": {QueueID: "q1", ContactsInQueue: 4, OldestContactAge: sec(20), AgentsOnline: 3,
			AgentsOnContact: 2, AgentsAfterContactWork: 1},
		// q2: x1 has waited 10 s, past pv's delay of 5 s, but a3 is busy and a4, a5 offline.
		"q2": {QueueID: "q2", ContactsInQueue: 1, OldestContactAge: sec(10), AgentsOnline: 1, AgentsOnContact: 1},
		"q3": {QueueID: "q3"},
	}
	wantVoice := want["q1"]
	wantVoice.ContactsInQueue = 3
	// Chat: only profile p (a1, a2) serves it.
	wantChat := routing.QueueMetrics{QueueID: "q1", ContactsInQueue: 1, OldestContactAge: sec(10), AgentsOnline: 2,
		AgentsOnContact: 1, AgentsAfterContactWork: 1}

	tests := []struct {
		name     string
		queues   []string
		channels []contact.Channel
		want     []routing.QueueMetrics
		code     string
	}{
		{"every queue", nil, nil, []routing.QueueMetrics{want["q1"], want["q2"], want["q3"]}, ""},
		{"in the order asked", []string{"q3", "q1"}, nil, []routing.QueueMetrics{want["q3"], want["q1"]}, ""},
		{"voice", []string{"q1"}, []contact.Channel{voiceCh}, []routing.QueueMetrics{wantVoice}, ""},
		{"chat", []string{"q1"}, []contact.Channel{chatCh}, []routing.QueueMetrics{wantChat}, ""},
		{"voice and chat", []string{"q1"}, []contact.Channel{voiceCh, chatCh}, []routing.QueueMetrics{want["q1"]}, ""},
		{"task: no agents", []string{"q1"}, []contact.Channel{contact.Task}, []routing.QueueMetrics{{QueueID: "q1"}}, ""},
		{"unknown queue", []string{"q1", "q9"}, nil, nil, "ResourceNotFoundException"},
		{"bad channel", []string{"q1"}, []contact.Channel{"SMS"}, nil, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := h.svc.GetCurrentMetrics(h.ctx, &routing.GetCurrentMetricsInput{InstanceId: h.id(),
				QueueIds: tt.queues, Channels: tt.channels})
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, out.Metrics, "metrics =\n%+v; want\n%+v", out.Metrics, tt.want)
		})
	}
	_, err := h.svc.GetCurrentMetrics(h.ctx, nil)
	assert.Error(t, err, "GetCurrentMetrics(nil) = nil error; want an error")
	_, err = h.svc.GetCurrentMetrics(h.ctx, &routing.GetCurrentMetricsInput{InstanceId: ptr("x")})
	assert.Error(t, err, "GetCurrentMetrics(unknown instance) = nil error; want an error")
}

func TestGetContactPosition(t *testing.T) {
	h := apiFixture(t)
	h.run(voice("x1", "q2"), at(11), voice("w4", "q1", int64(4)), chat("m2", "q1", int64(1)))
	for _, tt := range []struct {
		id   string
		want int
		code string
	}{
		// q1 voice: w4 (prio 4), w1, w2 (prio 5 by age), w3 (prio 3)... w3 has priority 3.
		{"w3", 1, ""}, {"w4", 2, ""}, {"w1", 3, ""}, {"w2", 4, ""},
		// q1 chat counts apart from voice; q2 apart from q1.
		{"m2", 1, ""}, {"m1", 2, ""}, {"x1", 1, ""},
		{"busy", 0, "ResourceConflictException"},
		{"gone", 0, "ResourceConflictException"},
		{"x", 0, "ResourceNotFoundException"},
		{"", 0, "InvalidParameterException"},
	} {
		t.Run(tt.id, func(t *testing.T) {
			out, err := h.svc.GetContactPosition(h.ctx, &routing.GetContactPositionInput{InstanceId: h.id(), ContactId: ptr(tt.id)})
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				return
			}
			require.NoError(t, err, "GetContactPosition(%s)", tt.id)
			assert.Equal(t, tt.want, out.Position, "GetContactPosition(%s) = %d; want %d", tt.id, out.Position, tt.want)
		})
	}
	_, err := h.svc.GetContactPosition(h.ctx, nil)
	assert.Error(t, err, "GetContactPosition(nil) = nil error; want an error")
}

// TestCancelledContext: a call with a done context fails with the context's error and
// changes nothing.
func TestCancelledContext(t *testing.T) {
	h := apiFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := h.snapshot()
	calls := map[string]func() error{
		"UpdateContactRoutingData": func() error {
			_, err := h.svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{InstanceId: h.id(),
				ContactId: ptr("w1"), QueuePriority: ptr[int64](1)})
			return err
		},
		"StartContact": func() error {
			_, err := h.svc.StartContact(ctx, &routing.StartContactInput{InstanceId: h.id(), QueueId: ptr("q1"), Channel: voiceCh})
			return err
		},
		"EndContact": func() error {
			_, err := h.svc.EndContact(ctx, &routing.EndContactInput{InstanceId: h.id(), ContactId: ptr("w1")})
			return err
		},
		"SetAgentState": func() error {
			_, err := h.svc.SetAgentState(ctx, &routing.SetAgentStateInput{InstanceId: h.id(), AgentId: ptr("a2"), State: routing.AgentAvailable})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		assert.ErrorIs(t, err, context.Canceled, "%s = %v; want context.Canceled", name, err)
	}
	assert.Equal(t, before, h.snapshot(), "calls with a cancelled context changed the instance")
}

// TestExceptionTypes: each exception reports its code, fault and HTTP status (DESIGN.md).
func TestExceptionTypes(t *testing.T) {
	for _, tt := range []struct {
		err    routing.APIError
		code   string
		fault  smithy.ErrorFault
		status int
	}{
		{&routing.InvalidParameterException{Message: "m"}, "InvalidParameterException", smithy.FaultClient, 400},
		{&routing.AccessDeniedException{Message: "m"}, "AccessDeniedException", smithy.FaultClient, 403},
		{&routing.ResourceNotFoundException{Message: "m"}, "ResourceNotFoundException", smithy.FaultClient, 404},
		{&routing.ResourceConflictException{Message: "m"}, "ResourceConflictException", smithy.FaultClient, 409},
		{&routing.ThrottlingException{Message: "m"}, "ThrottlingException", smithy.FaultClient, 429},
		{&routing.InternalServiceException{Message: "m"}, "InternalServiceException", smithy.FaultServer, 500},
	} {
		t.Run(tt.code, func(t *testing.T) {
			wrapped := fmt.Errorf("call: %w", tt.err)
			var api smithy.APIError
			require.ErrorAs(t, wrapped, &api, "%T is not a smithy.APIError", tt.err)
			assert.Equal(t, tt.code, api.ErrorCode(), "%T: code %v; want %s", tt.err, api.ErrorCode(), tt.code)
			assert.Equal(t, tt.fault, api.ErrorFault(), "%T: fault %v; want %v", tt.err, api.ErrorFault(), tt.fault)
			assert.Equal(t, "m", api.ErrorMessage(), "%T: message %q; want m", tt.err, api.ErrorMessage())
			assert.Equal(t, tt.status, tt.err.HTTPStatusCode(), "%T: status %d; want %d", tt.err, tt.err.HTTPStatusCode(), tt.status)
			want := "routing: " + tt.code + ": m"
			assert.Equal(t, want, tt.err.Error(), "Error() = %q; want %q", tt.err.Error(), want)
		})
	}
}

// TestCombinedMetrics: metrics of several queues count each agent once; errors name the
// unknown queue or bad channel.
func TestCombinedMetrics(t *testing.T) {
	h := apiFixture(t) // a1 (on contact) and a2 (offline) serve q1 and q2
	h.run(voice("x1", "q2"), avail("a2"), routes("w3>a2"), at(20))
	for _, tt := range []struct {
		name   string
		queues []string
		chs    []contact.Channel
		want   routing.QueueMetrics
		code   string
	}{
		{"every queue", nil, nil, routing.QueueMetrics{ContactsInQueue: 4, OldestContactAge: sec(19), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"both queues, agents once", []string{"q2", "q1", "q2"}, nil, routing.QueueMetrics{ContactsInQueue: 4, OldestContactAge: sec(19), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"one queue", []string{"q2"}, nil, routing.QueueMetrics{QueueID: "q2", ContactsInQueue: 1, OldestContactAge: sec(10), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"chat", nil, []contact.Channel{chatCh}, routing.QueueMetrics{ContactsInQueue: 1, OldestContactAge: sec(17), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"task", nil, []contact.Channel{contact.Task}, routing.QueueMetrics{}, ""},
		{"unknown queue", []string{"q1", "q9"}, nil, routing.QueueMetrics{}, "ResourceNotFoundException"},
		{"bad channel", nil, []contact.Channel{"SMS"}, routing.QueueMetrics{}, "InvalidParameterException"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.in.CombinedMetrics(tt.queues, tt.chs...)
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "CombinedMetrics = %+v; want %+v", got, tt.want)
		})
	}
}
