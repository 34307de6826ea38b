package connectapi_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
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
			if aws.ToString(got.Id) != id || got.Channel != types.ChannelTask {
				t.Errorf("Id %q Channel %q; want %q TASK", aws.ToString(got.Id), got.Channel, id)
			}
			if got.QueueInfo == nil || aws.ToString(got.QueueInfo.Id) != tt.queue {
				t.Fatalf("QueueInfo %+v; want queue %s", got.QueueInfo, tt.queue)
			}
			if ts := aws.ToTime(got.QueueInfo.EnqueueTimestamp); !ts.Equal(t0) {
				t.Errorf("EnqueueTimestamp %v; want %v", ts, t0)
			}
			if ts := aws.ToTime(got.InitiationTimestamp); !ts.Equal(t0) {
				t.Errorf("InitiationTimestamp %v; want %v", ts, t0)
			}
			if p := aws.ToInt64(got.QueuePriority); p != tt.priority {
				t.Errorf("QueuePriority %d; want %d", p, tt.priority)
			}
			if a := aws.ToInt32(got.QueueTimeAdjustmentSeconds); a != tt.adjust {
				t.Errorf("QueueTimeAdjustmentSeconds %d; want %d", a, tt.adjust)
			}
			if got.AgentInfo != nil || got.DisconnectTimestamp != nil {
				t.Errorf("AgentInfo %+v DisconnectTimestamp %v; want none while waiting", got.AgentInfo, got.DisconnectTimestamp)
			}
			if want := "arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/contact/" + id; aws.ToString(got.Arn) != want {
				t.Errorf("Arn %q; want %q", aws.ToString(got.Arn), want)
			}
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
	if err == nil {
		t.Fatal("StartChatContact with an empty DisplayName succeeded")
	}
	m := metrics(t, e, c, nil, nil, "CONTACTS_IN_QUEUE")
	if got := m[key{}]["CONTACTS_IN_QUEUE"]; got != 0 {
		t.Errorf("CONTACTS_IN_QUEUE %v after failed starts; want 0", got)
	}
}

func TestStartChatContact(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	out, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String(flowUrg), ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ann")}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.ParticipantId) == "" || aws.ToString(out.ParticipantToken) == "" {
		t.Errorf("ParticipantId %q ParticipantToken %q; want both set", aws.ToString(out.ParticipantId), aws.ToString(out.ParticipantToken))
	}
	got := e.describe(c, aws.ToString(out.ContactId))
	if got.Channel != types.ChannelChat || aws.ToInt64(got.QueuePriority) != 1 || aws.ToString(got.QueueInfo.Id) != q1 {
		t.Errorf("chat contact %s priority %d queue %s; want CHAT 1 %s", got.Channel, aws.ToInt64(got.QueuePriority), aws.ToString(got.QueueInfo.Id), q1)
	}
}

func TestStartContactClientTokenIsIdempotent(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	in := &connect.StartTaskContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ1),
		Name: aws.String("t"), ClientToken: aws.String("token-1")}
	a, err := c.StartTaskContact(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.StartTaskContact(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(a.ContactId) != aws.ToString(b.ContactId) {
		t.Errorf("same ClientToken gave contacts %q and %q; want one", aws.ToString(a.ContactId), aws.ToString(b.ContactId))
	}
	if got := metrics(t, e, c, nil, nil, "CONTACTS_IN_QUEUE")[key{}]["CONTACTS_IN_QUEUE"]; got != 1 {
		t.Errorf("CONTACTS_IN_QUEUE %v; want 1", got)
	}
}

func TestUpdateContactRoutingData(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	for range 2 {
		if err := e.update(c, id, nil, ptr[int32](60)); err != nil {
			t.Fatal(err)
		}
	}
	// Two calls of +60 give +120 (DESIGN.md: adjustments add up).
	if got := aws.ToInt32(e.describe(c, id).QueueTimeAdjustmentSeconds); got != 120 {
		t.Errorf("QueueTimeAdjustmentSeconds %d; want 120", got)
	}
	if err := e.update(c, id, nil, ptr[int32](-200)); err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt32(e.describe(c, id).QueueTimeAdjustmentSeconds); got != -80 {
		t.Errorf("QueueTimeAdjustmentSeconds %d; want -80", got)
	}
	if err := e.update(c, id, ptr[int64](2), nil); err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt64(e.describe(c, id).QueuePriority); got != 2 {
		t.Errorf("QueuePriority %d; want 2", got)
	}
	e.verify()
}

// TestUpdateContactRoutingDataErrors covers every error of DESIGN.md's UpdateContactRoutingData
// that a client can cause, each leaving the contact as it was.
func TestUpdateContactRoutingDataErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	waiting := e.startTask(c, flowQ2Age)
	routed := e.startTask(c, flowQ1)
	if err := e.setStatus(c, agent1, statusAv); err != nil {
		t.Fatal(err)
	}
	ended := e.startTask(c, flowQ1)
	if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(ended)}); err != nil {
		t.Fatal(err)
	}
	if ag := e.describe(c, routed).AgentInfo; ag == nil || aws.ToString(ag.Id) != agent1 {
		t.Fatalf("contact %s not with %s: %+v", routed, agent1, ag)
	}
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
			if !errors.As(err, &re) || re.HTTPStatusCode() != tt.status {
				t.Errorf("error %v: no HTTP status %d", err, tt.status)
			}
			got := e.describe(c, waiting)
			if aws.ToInt64(got.QueuePriority) != 5 || aws.ToInt32(got.QueueTimeAdjustmentSeconds) != 60 {
				t.Errorf("waiting contact now priority %d adjustment %d; want unchanged 5, 60",
					aws.ToInt64(got.QueuePriority), aws.ToInt32(got.QueueTimeAdjustmentSeconds))
			}
		})
	}
	// The SDK parses the typed exceptions of the operation's error list.
	_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(inst),
		ContactId: aws.String(routed), QueuePriority: ptr[int64](1)})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) {
		t.Errorf("error %T; want *types.ResourceConflictException", err)
	}
	_, err = c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(inst),
		ContactId: aws.String(waiting)})
	var invalid *types.InvalidParameterException
	if !errors.As(err, &invalid) || aws.ToString(invalid.Message) == "" {
		t.Errorf("error %v; want *types.InvalidParameterException with a message", err)
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
	if p1, p2, age := e.position(c, first), e.position(c, second), oldest(); p1 != 1 || p2 != 2 || age != 90 {
		t.Fatalf("before: positions %d, %d, oldest %v s; want 1, 2, 90", p1, p2, age)
	}
	if err := e.update(c, second, nil, ptr[int32](45)); err != nil {
		t.Fatal(err)
	}
	if p1, p2, age := e.position(c, first), e.position(c, second), oldest(); p1 != 2 || p2 != 1 || age != 90 {
		t.Errorf("after +45 s: positions %d, %d, oldest %v s; want 2, 1, 90", p1, p2, age)
	}
	if got := aws.ToTime(e.describe(c, second).QueueInfo.EnqueueTimestamp); !got.Equal(t0.Add(30 * time.Second)) {
		t.Errorf("EnqueueTimestamp %v moved; want %v", got, t0.Add(30*time.Second))
	}
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
	if err := e.update(c, cc, ptr[int64](1), nil); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if err := e.setStatus(c, agent2, statusAv); err != nil {
		t.Fatal(err)
	}
	got := e.describe(c, cc)
	if got.AgentInfo == nil || aws.ToString(got.AgentInfo.Id) != agent2 {
		t.Fatalf("front contact AgentInfo %+v; want %s", got.AgentInfo, agent2)
	}
	if ts := aws.ToTime(got.AgentInfo.ConnectedToAgentTimestamp); !ts.Equal(t0.Add(3 * time.Second)) {
		t.Errorf("ConnectedToAgentTimestamp %v; want %v", ts, t0.Add(3*time.Second))
	}
	if e.describe(c, a).AgentInfo != nil || e.describe(c, b).AgentInfo != nil {
		t.Error("a contact behind the front one was routed")
	}
	m := metrics(t, e, c, nil, nil, "AGENTS_ON_CONTACT", "AGENTS_AVAILABLE", "AGENTS_ONLINE", "CONTACTS_IN_QUEUE")[key{}]
	if m["AGENTS_ON_CONTACT"] != 1 || m["AGENTS_AVAILABLE"] != 0 || m["AGENTS_ONLINE"] != 1 || m["CONTACTS_IN_QUEUE"] != 2 {
		t.Errorf("metrics %v; want 1 on contact, 0 available, 1 online, 2 in queue", m)
	}
	if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(cc)}); err != nil {
		t.Fatal(err)
	}
	if d := e.describe(c, cc); !aws.ToTime(d.DisconnectTimestamp).Equal(t0.Add(3 * time.Second)) {
		t.Errorf("DisconnectTimestamp %v; want %v", aws.ToTime(d.DisconnectTimestamp), t0.Add(3*time.Second))
	}
	if got := e.describe(c, a).AgentInfo; got == nil || aws.ToString(got.Id) != agent2 {
		t.Errorf("after the stop, the oldest contact's AgentInfo %+v; want %s", got, agent2)
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
	if err := stop(waiting); err != nil {
		t.Fatal(err)
	}
	if d := e.describe(c, waiting); d.DisconnectTimestamp == nil || d.AgentInfo != nil {
		t.Errorf("stopped waiting contact: %+v", d)
	}
	wantCode(t, stop(waiting), "ResourceConflictException")
	wantCode(t, stop("nope"), "ResourceNotFoundException")
	// A contact with an agent: the agent stays in after-contact work for 30 s.
	if err := e.setStatus(c, agent1, statusAv); err != nil {
		t.Fatal(err)
	}
	handled := e.startTask(c, flowQ1)
	next := e.startTask(c, flowQ1)
	if err := stop(handled); err != nil {
		t.Fatal(err)
	}
	if got := metrics(t, e, c, nil, nil, "AGENTS_AFTER_CONTACT_WORK")[key{}]["AGENTS_AFTER_CONTACT_WORK"]; got != 1 {
		t.Errorf("AGENTS_AFTER_CONTACT_WORK %v; want 1", got)
	}
	if e.describe(c, next).AgentInfo != nil {
		t.Error("agent took a contact during after-contact work")
	}
	e.clock.Advance(30 * time.Second)
	if got := e.describe(c, next).AgentInfo; got == nil || aws.ToString(got.Id) != agent1 {
		t.Errorf("after the 30 s of after-contact work, AgentInfo %+v; want %s", got, agent1)
	}
	e.verify()
}

func TestPutUserStatus(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	wantCode(t, e.setStatus(c, agent1, "no-such-status"), "ResourceNotFoundException")
	wantCode(t, e.setStatus(c, "no-such-agent", statusAv), "ResourceNotFoundException")
	if err := e.setStatus(c, agent1, statusAv); err != nil {
		t.Fatal(err)
	}
	m := metrics(t, e, c, nil, nil, "AGENTS_AVAILABLE", "AGENTS_ONLINE")[key{}]
	if m["AGENTS_AVAILABLE"] != 1 || m["AGENTS_ONLINE"] != 1 {
		t.Errorf("after available: %v; want 1 available, 1 online", m)
	}
	if err := e.setStatus(c, agent1, statusOff); err != nil {
		t.Fatal(err)
	}
	m = metrics(t, e, c, nil, nil, "AGENTS_AVAILABLE", "AGENTS_ONLINE")[key{}]
	if m["AGENTS_AVAILABLE"] != 0 || m["AGENTS_ONLINE"] != 0 {
		t.Errorf("after offline: %v; want 0, 0", m)
	}
	// An offline agent takes nothing.
	id := e.startTask(c, flowQ1)
	if e.describe(c, id).AgentInfo != nil {
		t.Error("an offline agent took a contact")
	}
}

func TestGetContactMetricsErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	_, err := c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(inst),
		ContactId: aws.String("nope"), Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), Metrics: []types.ContactMetricInfo{{Name: "ESTIMATED_WAIT_TIME"}}})
	wantCode(t, err, "InvalidParameterException")
	if err := e.setStatus(c, agent1, statusAv); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
	wantCode(t, err, "ResourceConflictException")
}
