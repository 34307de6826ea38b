package connectapi_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// qc builds a RoutingProfileQueueConfig.
func qc(queue string, ch types.Channel, prio, delay int32) types.RoutingProfileQueueConfig {
	return types.RoutingProfileQueueConfig{QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(queue), Channel: ch},
		Priority: aws.Int32(prio), Delay: aws.Int32(delay)}
}

// createProfile creates a routing profile serving q2 on TASK, concurrency 2, and returns
// its ID.
func createProfile(t *testing.T, c *connect.Client, name string) string {
	t.Helper()
	out, err := c.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: aws.String(inst),
		Name: aws.String(name), Description: aws.String("desk for " + name), DefaultOutboundQueueId: aws.String(q1),
		QueueConfigs:       []types.RoutingProfileQueueConfig{qc(q2, types.ChannelTask, 1, 0)},
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(2)}},
		Tags:               map[string]string{"team": name}})
	require.NoError(t, err, "CreateRoutingProfile(%s)", name)
	return aws.ToString(out.RoutingProfileId)
}

func describeProfile(t *testing.T, c *connect.Client, id string) *types.RoutingProfile {
	t.Helper()
	out, err := c.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: aws.String(inst), RoutingProfileId: aws.String(id)})
	require.NoError(t, err, "DescribeRoutingProfile(%s)", id)
	return out.RoutingProfile
}

func profileQueues(t *testing.T, c *connect.Client, id string) []types.RoutingProfileQueueConfigSummary {
	t.Helper()
	out, err := c.ListRoutingProfileQueues(ctx, &connect.ListRoutingProfileQueuesInput{InstanceId: aws.String(inst), RoutingProfileId: aws.String(id)})
	require.NoError(t, err, "ListRoutingProfileQueues(%s)", id)
	return out.RoutingProfileQueueConfigSummaryList
}

func TestCreateAndDescribeRoutingProfile(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := createProfile(t, c, "tasks")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id, "RoutingProfileId %q; want a UUID", id)
	p := describeProfile(t, c, id)
	assert.Equal(t, "tasks", aws.ToString(p.Name))
	assert.Equal(t, "desk for tasks", aws.ToString(p.Description))
	assert.Equal(t, q1, aws.ToString(p.DefaultOutboundQueueId))
	assert.Equal(t, map[string]string{"team": "tasks"}, p.Tags)
	assert.Equal(t, types.AgentAvailabilityTimerTimeSinceLastActivity, p.AgentAvailabilityTimer)
	assert.Equal(t, []string{q2}, p.AssociatedQueueIds)
	assert.Equal(t, int64(1), aws.ToInt64(p.NumberOfAssociatedQueues))
	assert.Equal(t, int64(0), aws.ToInt64(p.NumberOfAssociatedUsers))
	assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+inst+"/routing-profile/"+id, aws.ToString(p.RoutingProfileArn))
	require.Len(t, p.MediaConcurrencies, 1, "MediaConcurrencies %+v; want TASK only", p.MediaConcurrencies)
	assert.Equal(t, types.ChannelTask, p.MediaConcurrencies[0].Channel)
	assert.Equal(t, int32(2), aws.ToInt32(p.MediaConcurrencies[0].Concurrency))
	assert.Equal(t, types.BehaviorTypeRouteCurrentChannelOnly, p.MediaConcurrencies[0].CrossChannelBehavior.BehaviorType)

	list, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(inst)})
	require.NoError(t, err)
	var names []string
	for _, s := range list.RoutingProfileSummaryList {
		names = append(names, aws.ToString(s.Name))
		assert.NotNil(t, s.LastModifiedTime, "LastModifiedTime of %s: a configured profile was made at start", aws.ToString(s.Name))
	}
	assert.Equal(t, []string{"p1", "tasks"}, names, "ListRoutingProfiles names %v; want p1 (configured, no name: its ID) and tasks", names)
	qs := profileQueues(t, c, id)
	require.Len(t, qs, 1)
	assert.Equal(t, types.RoutingProfileQueueConfigSummary{QueueId: aws.String(q2), QueueArn: aws.String("arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/queue/" + q2),
		QueueName: aws.String("Two"), Priority: aws.Int32(1), Delay: 0, Channel: types.ChannelTask}, qs[0])
	e.verify()
}

func TestCreateRoutingProfileErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	createProfile(t, c, "tasks")
	base := func() *connect.CreateRoutingProfileInput {
		return &connect.CreateRoutingProfileInput{InstanceId: aws.String(inst), Name: aws.String("x"), Description: aws.String("d"),
			DefaultOutboundQueueId: aws.String(q1), MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelChat, Concurrency: aws.Int32(1)}}}
	}
	tests := []struct {
		name string
		edit func(in *connect.CreateRoutingProfileInput)
		code string
	}{
		{"duplicate name", func(in *connect.CreateRoutingProfileInput) { in.Name = aws.String("tasks") }, "DuplicateResourceException"},
		{"unknown instance", func(in *connect.CreateRoutingProfileInput) { in.InstanceId = aws.String("nope") }, "ResourceNotFoundException"},
		{"unknown outbound queue", func(in *connect.CreateRoutingProfileInput) { in.DefaultOutboundQueueId = aws.String("nope") }, "ResourceNotFoundException"},
		{"unknown queue", func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc("nope", types.ChannelChat, 1, 0)}
		}, "ResourceNotFoundException"},
		{"priority 100", func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(q1, types.ChannelChat, 100, 0)}
		}, "InvalidParameterException"},
		{"delay 10000", func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(q1, types.ChannelChat, 1, 10000)}
		}, "InvalidParameterException"},
		{"11 queue configs", func(in *connect.CreateRoutingProfileInput) {
			for range 11 {
				in.QueueConfigs = append(in.QueueConfigs, qc(q1, types.ChannelChat, 1, 0))
			}
		}, "InvalidParameterException"},
		{"same queue twice", func(in *connect.CreateRoutingProfileInput) {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(q1, types.ChannelChat, 1, 0), qc(q1, types.ChannelChat, 2, 0)}
		}, "InvalidParameterException"},
		{"voice concurrency 2", func(in *connect.CreateRoutingProfileInput) {
			in.MediaConcurrencies = []types.MediaConcurrency{{Channel: types.ChannelVoice, Concurrency: aws.Int32(2)}}
		}, "InvalidParameterException"},
		{"channel twice", func(in *connect.CreateRoutingProfileInput) {
			in.MediaConcurrencies = append(in.MediaConcurrencies, in.MediaConcurrencies[0])
		}, "InvalidParameterException"},
		{"description of 251", func(in *connect.CreateRoutingProfileInput) { in.Description = aws.String(string(make([]byte, 251))) }, "InvalidParameterException"},
		{"bad timer", func(in *connect.CreateRoutingProfileInput) { in.AgentAvailabilityTimer = "NEVER" }, "InvalidParameterException"},
		{"aws: tag", func(in *connect.CreateRoutingProfileInput) { in.Tags = map[string]string{"aws:x": "y"} }, "InvalidParameterException"},
		{"manual assignment", func(in *connect.CreateRoutingProfileInput) {
			in.ManualAssignmentQueueConfigs = []types.RoutingProfileManualAssignmentQueueConfig{{QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(q1), Channel: types.ChannelChat}}}
		}, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(in)
			_, err := c.CreateRoutingProfile(ctx, in)
			wantCode(t, err, tt.code)
		})
	}
	list, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(inst)})
	require.NoError(t, err)
	assert.Len(t, list.RoutingProfileSummaryList, 2, "profiles after failed creates %+v; want p1 and tasks", list.RoutingProfileSummaryList)
	// A required member missing on the wire (the SDK checks them before sending).
	e.raw(http.MethodPut, "/routing-profiles/"+inst, []byte(`{"Name":"y","DefaultOutboundQueueId":"q1","MediaConcurrencies":[]}`)).
		wantError(t, 400, "InvalidParameterException")
	e.verify()
}

// TestRoutingProfileQueueChanges associates, updates and disassociates queues through the
// SDK, checking routing after each: a waiting task becomes routable at once.
func TestRoutingProfileQueueChanges(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := createProfile(t, c, "tasks")
	user := createUser(t, c, "ann", id)
	require.NoError(t, e.setStatus(c, user, statusAv))
	task := e.startTask(c, flowQ1) // q1 is not in the profile
	assert.Nil(t, e.describe(c, task).AgentInfo, "task in q1 went to an agent of a profile without q1")

	_, err := c.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String(id), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q1, types.ChannelTask, 5, 30)}})
	require.NoError(t, err)
	assert.Nil(t, e.describe(c, task).AgentInfo, "task routed before the 30 s delay")
	_, err = c.UpdateRoutingProfileQueues(ctx, &connect.UpdateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String(id), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q1, types.ChannelTask, 5, 0)}})
	require.NoError(t, err)
	got := e.describe(c, task).AgentInfo
	require.NotNil(t, got, "task not routed once the delay is 0")
	assert.Equal(t, user, aws.ToString(got.Id))
	qs := profileQueues(t, c, id)
	require.Len(t, qs, 2)
	assert.Equal(t, int32(5), aws.ToInt32(qs[1].Priority))

	for _, tt := range []struct {
		name string
		call func() error
		code string
	}{
		{"associate an associated queue", func() error {
			_, err := c.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
				RoutingProfileId: aws.String(id), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q1, types.ChannelTask, 1, 0)}})
			return err
		}, "InvalidParameterException"},
		{"associate to an unknown profile", func() error {
			_, err := c.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
				RoutingProfileId: aws.String("nope"), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q1, types.ChannelChat, 1, 0)}})
			return err
		}, "ResourceNotFoundException"},
		{"associate nothing", func() error {
			_, err := c.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(inst), RoutingProfileId: aws.String(id)})
			return err
		}, "InvalidParameterException"},
		{"update a queue not associated", func() error {
			_, err := c.UpdateRoutingProfileQueues(ctx, &connect.UpdateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
				RoutingProfileId: aws.String(id), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q1, types.ChannelChat, 1, 0)}})
			return err
		}, "InvalidParameterException"},
		{"update to delay -1", func() error {
			_, err := c.UpdateRoutingProfileQueues(ctx, &connect.UpdateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
				RoutingProfileId: aws.String(id), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q1, types.ChannelTask, 1, -1)}})
			return err
		}, "InvalidParameterException"},
		{"disassociate a queue not associated", func() error {
			_, err := c.DisassociateRoutingProfileQueues(ctx, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
				RoutingProfileId: aws.String(id), QueueReferences: []types.RoutingProfileQueueReference{{QueueId: aws.String(q1), Channel: types.ChannelChat}}})
			return err
		}, "InvalidParameterException"},
	} {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
	assert.Equal(t, qs, profileQueues(t, c, id), "queues changed by failed calls")

	_, err = c.DisassociateRoutingProfileQueues(ctx, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String(id), QueueReferences: []types.RoutingProfileQueueReference{{QueueId: aws.String(q1), Channel: types.ChannelTask}}})
	require.NoError(t, err)
	assert.Len(t, profileQueues(t, c, id), 1, "queues after disassociating q1")
	got = e.describe(c, task).AgentInfo
	require.NotNil(t, got, "a contact in progress left its agent on disassociation")
	e.verify()
}

func TestUpdateRoutingProfileConcurrencyAndTimer(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := createProfile(t, c, "tasks")
	_, err := c.UpdateRoutingProfileConcurrency(ctx, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String(id), MediaConcurrencies: []types.MediaConcurrency{
			{Channel: types.ChannelTask, Concurrency: aws.Int32(5), CrossChannelBehavior: &types.CrossChannelBehavior{BehaviorType: types.BehaviorTypeRouteAnyChannel}},
			{Channel: types.ChannelChat, Concurrency: aws.Int32(3)}}})
	require.NoError(t, err)
	_, err = c.UpdateRoutingProfileAgentAvailabilityTimer(ctx, &connect.UpdateRoutingProfileAgentAvailabilityTimerInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String(id), AgentAvailabilityTimer: types.AgentAvailabilityTimerTimeSinceLastInbound})
	require.NoError(t, err)
	p := describeProfile(t, c, id)
	assert.Equal(t, types.AgentAvailabilityTimerTimeSinceLastInbound, p.AgentAvailabilityTimer)
	got := map[types.Channel][2]string{}
	for _, m := range p.MediaConcurrencies {
		got[m.Channel] = [2]string{string(rune('0' + aws.ToInt32(m.Concurrency))), string(m.CrossChannelBehavior.BehaviorType)}
	}
	assert.Equal(t, map[types.Channel][2]string{types.ChannelChat: {"3", "ROUTE_CURRENT_CHANNEL_ONLY"}, types.ChannelTask: {"5", "ROUTE_ANY_CHANNEL"}}, got)

	_, err = c.UpdateRoutingProfileConcurrency(ctx, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String(id), MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(11)}}})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.UpdateRoutingProfileConcurrency(ctx, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String("nope"), MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(1)}}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.UpdateRoutingProfileAgentAvailabilityTimer(ctx, &connect.UpdateRoutingProfileAgentAvailabilityTimerInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String(id), AgentAvailabilityTimer: "NEVER"})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.UpdateRoutingProfileAgentAvailabilityTimer(ctx, &connect.UpdateRoutingProfileAgentAvailabilityTimerInput{InstanceId: aws.String(inst),
		RoutingProfileId: aws.String("nope"), AgentAvailabilityTimer: types.AgentAvailabilityTimerTimeSinceLastActivity})
	wantCode(t, err, "ResourceNotFoundException")
	assert.Equal(t, p, describeProfile(t, c, id), "profile changed by failed calls")
	_, err = c.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: aws.String(inst), RoutingProfileId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	e.verify()
}

func TestListRoutingProfilesPages(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	for _, n := range []string{"a", "b", "c"} {
		createProfile(t, c, n)
	}
	pg := connect.NewListRoutingProfilesPaginator(c, &connect.ListRoutingProfilesInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(3)})
	var names []string
	pages := 0
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, s := range out.RoutingProfileSummaryList {
			names = append(names, aws.ToString(s.Name))
		}
	}
	assert.Equal(t, []string{"p1", "a", "b", "c"}, names)
	assert.Equal(t, 2, pages, "pages of 3 for 4 profiles")
	_, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(1001)})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(inst), NextToken: aws.String("x")})
	wantCode(t, err, "InvalidParameterException")
}
