package connectapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartTaskContactAndDescribe(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	tests := []struct {
		flow     string
		queue    string
		priority int64
		adjust   int32
	}{
		{flowQ1, q1, 5, 0},     // default priority 5 (DESIGN.md)
		{flowUrg, q1, 1, 0},    // the flow's "Set routing priority"
		{flowQ2Age, q2, 5, 60}, // the flow's "Set routing age"
	}
	for _, tt := range tests {
		t.Run(tt.flow, func(t *testing.T) {
			id := e.startTask(c, tt.flow)
			got := e.describe(c, id)
			assert.Equal(t, id, aws.ToString(got.Id), "Id %q; want %q", aws.ToString(got.Id), id)
			assert.Equal(t, types.ChannelTask, got.Channel, "Channel %q; want TASK", got.Channel)
			require.NotNil(t, got.QueueInfo, "QueueInfo nil; want queue %s", tt.queue)
			require.Equal(t, tt.queue, aws.ToString(got.QueueInfo.Id), "QueueInfo %+v; want queue %s", got.QueueInfo, tt.queue)
			ts := aws.ToTime(got.QueueInfo.EnqueueTimestamp)
			assert.True(t, ts.Equal(t0), "EnqueueTimestamp %v; want %v", ts, t0)
			ts = aws.ToTime(got.InitiationTimestamp)
			assert.True(t, ts.Equal(t0), "InitiationTimestamp %v; want %v", ts, t0)
			assert.Equal(t, tt.priority, aws.ToInt64(got.QueuePriority), "QueuePriority %d; want %d", aws.ToInt64(got.QueuePriority), tt.priority)
			assert.Equal(t, tt.adjust, aws.ToInt32(got.QueueTimeAdjustmentSeconds),
				"QueueTimeAdjustmentSeconds %d; want %d", aws.ToInt32(got.QueueTimeAdjustmentSeconds), tt.adjust)
			assert.Nil(t, got.AgentInfo, "AgentInfo %+v; want none while waiting", got.AgentInfo)
			assert.Nil(t, got.DisconnectTimestamp, "DisconnectTimestamp %v; want none while waiting", got.DisconnectTimestamp)
			want := "arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/contact/" + id
			assert.Equal(t, want, aws.ToString(got.Arn), "Arn %q; want %q", aws.ToString(got.Arn), want)
		})
	}
	e.verify()
}

func TestStartContactErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	_, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String("no-such-flow"), Name: aws.String("x")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String("no-such-instance"),
		ContactFlowId: aws.String(flowQ1), Name: aws.String("x")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst), Name: aws.String("x")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String(flowQ1), Name: aws.String("x"), ScheduledTime: aws.Time(t0)})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String(flowQ1), ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("")}})
	require.Error(t, err, "StartChatContact with an empty DisplayName succeeded; want an error")
	m := metrics(t, e, c, nil, nil, "CONTACTS_IN_QUEUE")
	got := m[key{}]["CONTACTS_IN_QUEUE"]
	assert.Equal(t, 0.0, got, "CONTACTS_IN_QUEUE %v after failed starts; want 0", got)
}

func TestStartChatContact(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	out, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String(flowUrg), ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ann")}})
	require.NoError(t, err)
	assert.NotEmpty(t, aws.ToString(out.ParticipantId), "ParticipantId %q; want it set", aws.ToString(out.ParticipantId))
	assert.NotEmpty(t, aws.ToString(out.ParticipantToken), "ParticipantToken %q; want it set", aws.ToString(out.ParticipantToken))
	got := e.describe(c, aws.ToString(out.ContactId))
	assert.Equal(t, types.ChannelChat, got.Channel, "chat contact channel %s; want CHAT", got.Channel)
	assert.Equal(t, int64(1), aws.ToInt64(got.QueuePriority), "chat contact priority %d; want 1", aws.ToInt64(got.QueuePriority))
	require.NotNil(t, got.QueueInfo, "chat contact QueueInfo nil; want queue %s", q1)
	assert.Equal(t, q1, aws.ToString(got.QueueInfo.Id), "chat contact queue %s; want %s", aws.ToString(got.QueueInfo.Id), q1)
}

func TestStartContactClientTokenIsIdempotent(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	in := &connect.StartTaskContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ1),
		Name: aws.String("t"), ClientToken: aws.String("token-1")}
	a, err := c.StartTaskContact(ctx, in)
	require.NoError(t, err)
	b, err := c.StartTaskContact(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, aws.ToString(a.ContactId), aws.ToString(b.ContactId),
		"same ClientToken gave contacts %q and %q; want one", aws.ToString(a.ContactId), aws.ToString(b.ContactId))
	got := metrics(t, e, c, nil, nil, "CONTACTS_IN_QUEUE")[key{}]["CONTACTS_IN_QUEUE"]
	assert.Equal(t, 1.0, got, "CONTACTS_IN_QUEUE %v; want 1", got)
}

func TestUpdateContactRoutingData(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	for range 2 {
		require.NoError(t, e.update(c, id, nil, ptr[int32](60)))
	}
	// Two calls of +60 give +120 (DESIGN.md: adjustments add up).
	adj := aws.ToInt32(e.describe(c, id).QueueTimeAdjustmentSeconds)
	assert.Equal(t, int32(120), adj, "QueueTimeAdjustmentSeconds %d; want 120", adj)
	require.NoError(t, e.update(c, id, nil, ptr[int32](-200)))
	adj = aws.ToInt32(e.describe(c, id).QueueTimeAdjustmentSeconds)
	assert.Equal(t, int32(-80), adj, "QueueTimeAdjustmentSeconds %d; want -80", adj)
	require.NoError(t, e.update(c, id, ptr[int64](2), nil))
	prio := aws.ToInt64(e.describe(c, id).QueuePriority)
	assert.Equal(t, int64(2), prio, "QueuePriority %d; want 2", prio)
	e.verify()
}

// TestUpdateContactRoutingDataErrors covers every error of DESIGN.md's UpdateContactRoutingData
// that a client can cause, each leaving the contact as it was.
func TestUpdateContactRoutingDataErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	waiting := e.startTask(c, flowQ2Age)
	routed := e.startTask(c, flowQ1)
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	ended := e.startTask(c, flowQ1)
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(ended)})
	require.NoError(t, err)
	ag := e.describe(c, routed).AgentInfo
	require.NotNil(t, ag, "contact %s with no agent; want %s", routed, agent1)
	require.Equal(t, agent1, aws.ToString(ag.Id), "contact %s not with %s: %+v", routed, agent1, ag)
	tests := []struct {
		name     string
		instance string
		contact  string
		prio     *int64
		adj      *int32
		code     string
		status   int
	}{
		{"both set", inst, waiting, ptr[int64](1), ptr[int32](10), "InvalidParameterException", 400},
		{"neither set", inst, waiting, nil, nil, "InvalidParameterException", 400},
		{"priority 0", inst, waiting, ptr[int64](0), nil, "InvalidParameterException", 400},
		{"priority negative", inst, waiting, ptr[int64](-3), nil, "InvalidParameterException", 400},
		{"unknown instance", "nope", waiting, ptr[int64](1), nil, "ResourceNotFoundException", 404},
		{"unknown contact", inst, "nope", ptr[int64](1), nil, "ResourceNotFoundException", 404},
		{"with an agent", inst, routed, ptr[int64](1), nil, "ResourceConflictException", 409},
		{"ended", inst, ended, nil, ptr[int32](5), "ResourceConflictException", 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(tt.instance),
				ContactId: aws.String(tt.contact), QueuePriority: tt.prio, QueueTimeAdjustmentSeconds: tt.adj})
			wantCode(t, err, tt.code)
			var re interface{ HTTPStatusCode() int }
			if assert.ErrorAs(t, err, &re, "error %v: no HTTP status; want %d", err, tt.status) {
				assert.Equal(t, tt.status, re.HTTPStatusCode(), "error %v: HTTP status %d; want %d", err, re.HTTPStatusCode(), tt.status)
			}
			got := e.describe(c, waiting)
			assert.Equal(t, int64(5), aws.ToInt64(got.QueuePriority), "waiting contact now priority %d; want unchanged 5", aws.ToInt64(got.QueuePriority))
			assert.Equal(t, int32(60), aws.ToInt32(got.QueueTimeAdjustmentSeconds),
				"waiting contact now adjustment %d; want unchanged 60", aws.ToInt32(got.QueueTimeAdjustmentSeconds))
		})
	}
	// The SDK parses the typed exceptions of the operation's error list.
	_, err = c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(inst),
		ContactId: aws.String(routed), QueuePriority: ptr[int64](1)})
	var conflict *types.ResourceConflictException
	assert.ErrorAs(t, err, &conflict, "error %T; want *types.ResourceConflictException", err)
	_, err = c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(inst),
		ContactId: aws.String(waiting)})
	var invalid *types.InvalidParameterException
	if assert.ErrorAs(t, err, &invalid, "error %v; want *types.InvalidParameterException with a message", err) {
		assert.NotEmpty(t, aws.ToString(invalid.Message), "error %v; want *types.InvalidParameterException with a message", err)
	}
	e.verify()
}

// TestAgeAdjustmentMovesPositionNotOldestAge checks DESIGN.md's rule that reported metrics
// never see the adjustment: only POSITION_IN_QUEUE moves.
func TestAgeAdjustmentMovesPositionNotOldestAge(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	first := e.startTask(c, flowQ1)
	e.clock.Advance(30 * time.Second)
	second := e.startTask(c, flowQ1)
	e.clock.Advance(60 * time.Second)
	oldest := func() float64 {
		return metrics(t, e, c, []string{q1}, []string{"QUEUE"}, "OLDEST_CONTACT_AGE")[key{queue: q1}]["OLDEST_CONTACT_AGE"]
	}
	type state struct {
		first, second int
		oldest        float64
	}
	got := state{e.position(c, first), e.position(c, second), oldest()}
	require.Equal(t, state{1, 2, 90}, got, "before: positions %d, %d, oldest %v s; want 1, 2, 90", got.first, got.second, got.oldest)
	require.NoError(t, e.update(c, second, nil, ptr[int32](45)))
	got = state{e.position(c, first), e.position(c, second), oldest()}
	assert.Equal(t, state{2, 1, 90}, got, "after +45 s: positions %d, %d, oldest %v s; want 2, 1, 90", got.first, got.second, got.oldest)
	enq := aws.ToTime(e.describe(c, second).QueueInfo.EnqueueTimestamp)
	assert.True(t, enq.Equal(t0.Add(30*time.Second)), "EnqueueTimestamp %v moved; want %v", enq, t0.Add(30*time.Second))
}

// TestAvailableAgentTakesFrontContact: the contact an update moved to the front goes to the
// agent made available; stopping it hands the agent the next one.
func TestAvailableAgentTakesFrontContact(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	a := e.startTask(c, flowQ1)
	e.clock.Advance(time.Second)
	b := e.startTask(c, flowQ1)
	e.clock.Advance(time.Second)
	cc := e.startTask(c, flowQ1)
	require.NoError(t, e.update(c, cc, ptr[int64](1), nil))
	e.clock.Advance(time.Second)
	require.NoError(t, e.setStatus(c, agent2, statusAv))
	got := e.describe(c, cc)
	require.NotNil(t, got.AgentInfo, "front contact AgentInfo nil; want %s", agent2)
	require.Equal(t, agent2, aws.ToString(got.AgentInfo.Id), "front contact AgentInfo %+v; want %s", got.AgentInfo, agent2)
	ts := aws.ToTime(got.AgentInfo.ConnectedToAgentTimestamp)
	assert.True(t, ts.Equal(t0.Add(3*time.Second)), "ConnectedToAgentTimestamp %v; want %v", ts, t0.Add(3*time.Second))
	assert.Nil(t, e.describe(c, a).AgentInfo, "a contact behind the front one was routed")
	assert.Nil(t, e.describe(c, b).AgentInfo, "a contact behind the front one was routed")
	m := metrics(t, e, c, nil, nil, "AGENTS_ON_CONTACT", "AGENTS_AVAILABLE", "AGENTS_ONLINE", "CONTACTS_IN_QUEUE")[key{}]
	assert.Equal(t, map[string]float64{"AGENTS_ON_CONTACT": 1, "AGENTS_AVAILABLE": 0, "AGENTS_ONLINE": 1, "CONTACTS_IN_QUEUE": 2}, m,
		"metrics %v; want 1 on contact, 0 available, 1 online, 2 in queue", m)
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(cc)})
	require.NoError(t, err)
	disc := aws.ToTime(e.describe(c, cc).DisconnectTimestamp)
	assert.True(t, disc.Equal(t0.Add(3*time.Second)), "DisconnectTimestamp %v; want %v", disc, t0.Add(3*time.Second))
	ag := e.describe(c, a).AgentInfo
	if assert.NotNil(t, ag, "after the stop, the oldest contact's AgentInfo nil; want %s", agent2) {
		assert.Equal(t, agent2, aws.ToString(ag.Id), "after the stop, the oldest contact's AgentInfo %+v; want %s", ag, agent2)
	}
	e.verify()
}

func TestStopContact(t *testing.T) {
	cfg := testConfig()
	cfg.Instances[0].AfterContactWorkSeconds = 30
	e := newEnv(t, cfg)
	c := e.sdk()
	waiting := e.startTask(c, flowQ1)
	stop := func(id string) error {
		_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
		return err
	}
	require.NoError(t, stop(waiting))
	d := e.describe(c, waiting)
	assert.NotNil(t, d.DisconnectTimestamp, "stopped waiting contact: %+v; want a DisconnectTimestamp", d)
	assert.Nil(t, d.AgentInfo, "stopped waiting contact: %+v; want no AgentInfo", d)
	wantCode(t, stop(waiting), "ResourceConflictException")
	wantCode(t, stop("nope"), "ResourceNotFoundException")
	// A contact with an agent: the agent stays in after-contact work for 30 s.
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	handled := e.startTask(c, flowQ1)
	next := e.startTask(c, flowQ1)
	require.NoError(t, stop(handled))
	acw := metrics(t, e, c, nil, nil, "AGENTS_AFTER_CONTACT_WORK")[key{}]["AGENTS_AFTER_CONTACT_WORK"]
	assert.Equal(t, 1.0, acw, "AGENTS_AFTER_CONTACT_WORK %v; want 1", acw)
	assert.Nil(t, e.describe(c, next).AgentInfo, "agent took a contact during after-contact work")
	e.clock.Advance(30 * time.Second)
	ag := e.describe(c, next).AgentInfo
	if assert.NotNil(t, ag, "after the 30 s of after-contact work, AgentInfo nil; want %s", agent1) {
		assert.Equal(t, agent1, aws.ToString(ag.Id), "after the 30 s of after-contact work, AgentInfo %+v; want %s", ag, agent1)
	}
	e.verify()
}

func TestPutUserStatus(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	wantCode(t, e.setStatus(c, agent1, "no-such-status"), "ResourceNotFoundException")
	wantCode(t, e.setStatus(c, "no-such-agent", statusAv), "ResourceNotFoundException")
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	m := metrics(t, e, c, nil, nil, "AGENTS_AVAILABLE", "AGENTS_ONLINE")[key{}]
	assert.Equal(t, map[string]float64{"AGENTS_AVAILABLE": 1, "AGENTS_ONLINE": 1}, m, "after available: %v; want 1 available, 1 online", m)
	require.NoError(t, e.setStatus(c, agent1, statusOff))
	m = metrics(t, e, c, nil, nil, "AGENTS_AVAILABLE", "AGENTS_ONLINE")[key{}]
	assert.Equal(t, map[string]float64{"AGENTS_AVAILABLE": 0, "AGENTS_ONLINE": 0}, m, "after offline: %v; want 0, 0", m)
	// An offline agent takes nothing.
	id := e.startTask(c, flowQ1)
	assert.Nil(t, e.describe(c, id).AgentInfo, "an offline agent took a contact")
}

func TestGetContactMetricsErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	_, err := c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(inst),
		ContactId: aws.String("nope"), Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), Metrics: []types.ContactMetricInfo{{Name: "AVG_HANDLE_TIME"}}})
	wantCode(t, err, "InvalidParameterException")
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	_, err = c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
	wantCode(t, err, "ResourceConflictException")
}
