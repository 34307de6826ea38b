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
