package connectapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

// adminWorld is what TestSnapshotKeepsRuntimeObjects made through the API.
type adminWorld struct {
	queue, profile, user, status, task, moved, token string
}

// jsonOf renders SDK outputs for comparison, without their ResultMetadata.
func jsonOf(t *testing.T, outs ...any) string {
	t.Helper()
	var parts []string
	for _, o := range outs {
		b, err := json.Marshal(o)
		require.NoError(t, err)
		parts = append(parts, string(b))
	}
	return strings.Join(parts, "\n")
}

// describeWorld answers everything the API says about w's objects: the queue, profile,
// user, status and contacts described and listed, the contact's attributes, the user's
// current data and the historical metrics of the queues.
func (e *emuEnv) describeWorld(c *connect.Client, w adminWorld) string {
	t := e.t.(*testing.T)
	id := aws.String(inst)
	q, err := c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: id, QueueId: aws.String(w.queue)})
	require.NoError(t, err)
	p, err := c.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: id, RoutingProfileId: aws.String(w.profile)})
	require.NoError(t, err)
	pq, err := c.ListRoutingProfileQueues(ctx, &connect.ListRoutingProfileQueuesInput{InstanceId: id, RoutingProfileId: aws.String(w.profile)})
	require.NoError(t, err)
	u, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: id, UserId: aws.String(w.user)})
	require.NoError(t, err)
	s, err := c.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: id, AgentStatusId: aws.String(w.status)})
	require.NoError(t, err)
	us, err := c.ListUsers(ctx, &connect.ListUsersInput{InstanceId: id})
	require.NoError(t, err)
	ss, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: id})
	require.NoError(t, err)
	qs, err := c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: id})
	require.NoError(t, err)
	t1, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: id, ContactId: aws.String(w.task)})
	require.NoError(t, err)
	t2, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: id, ContactId: aws.String(w.moved)})
	require.NoError(t, err)
	at, err := c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: id, InitialContactId: aws.String(w.moved)})
	require.NoError(t, err)
	ud, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: id,
		Filters: &types.UserDataFilters{Agents: []string{w.user, agent1}}})
	require.NoError(t, err)
	in := v2In(0, e.emu.Now().Sub(t0), "",
		[]types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{q1, w.queue}}}, []string{"QUEUE", "CHANNEL"},
		append(named("CONTACTS_QUEUED", "CONTACTS_HANDLED", "CONTACTS_ABANDONED", "AVG_QUEUE_ANSWER_TIME", "MAX_QUEUED_TIME"),
			sl("LT", 60))...)
	in.ResourceArn = aws.String(instArn)
	md, err := c.GetMetricDataV2(ctx, in)
	require.NoError(t, err)
	return jsonOf(t, q.Queue, p.RoutingProfile, pq.RoutingProfileQueueConfigSummaryList, u.User, s.AgentStatus, us.UserSummaryList,
		ss.AgentStatusSummaryList, qs.QueueSummaryList, t1.Contact, t2.Contact, at.Attributes, ud.UserDataList, md.MetricResults)
}

// TestSnapshotKeepsRuntimeObjects: a queue, a routing profile, a user and an agent status
// created through the SDK, a transferred task with attributes and a custom status: a reset
// drops them all; restoring the snapshot brings them back with the same IDs and answers, and
// routing, the history and TransferContact's ClientToken go on exactly as they would have.
func TestSnapshotKeepsRuntimeObjects(t *testing.T) {
	e := newEmuEnv(t, queueConfig(), connectapi.EmulatorOptions{ManualClock: true, Control: true, Start: t0})
	c := e.sdk()
	id := aws.String(inst)
	var w adminWorld
	q, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: id, Name: aws.String("Created"),
		HoursOfOperationId: aws.String(hours1), Description: aws.String("made by the test"), MaxContacts: aws.Int32(5),
		Tags: map[string]string{"team": "a"}})
	require.NoError(t, err)
	w.queue = *q.QueueId
	p, err := c.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: id, Name: aws.String("Created profile"),
		Description: aws.String("tasks"), DefaultOutboundQueueId: aws.String(w.queue),
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(2)}},
		QueueConfigs: []types.RoutingProfileQueueConfig{{QueueReference: &types.RoutingProfileQueueReference{
			QueueId: aws.String(w.queue), Channel: types.ChannelTask}, Priority: aws.Int32(1), Delay: aws.Int32(30)}},
		Tags: map[string]string{"k": "v"}})
	require.NoError(t, err)
	w.profile = *p.RoutingProfileId
	sec, err := c.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: id})
	require.NoError(t, err)
	u, err := c.CreateUser(ctx, &connect.CreateUserInput{InstanceId: id, Username: aws.String("zoe"), RoutingProfileId: p.RoutingProfileId,
		SecurityProfileIds: []string{*sec.SecurityProfileSummaryList[0].Id}, PhoneConfig: &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Zoe"), Email: aws.String("zoe@example.com")}, Tags: map[string]string{"x": "y"}})
	require.NoError(t, err)
	w.user = *u.UserId
	s, err := c.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: id, Name: aws.String("Training"),
		State: types.AgentStatusStateEnabled, Description: aws.String("learning"), DisplayOrder: aws.Int32(3)})
	require.NoError(t, err)
	w.status = *s.AgentStatusId
	_, err = c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: id, UserId: u.UserId, AgentStatusId: aws.String(statusAv)})
	require.NoError(t, err)
	_, err = c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: id, UserId: aws.String(agent1), AgentStatusId: s.AgentStatusId})
	require.NoError(t, err)
	w.task = e.startTask(c, flowQ1)
	e.control("POST", "clock", `{"advance":"5s"}`, nil)
	w.token = "transfer-once"
	tr, err := c.TransferContact(ctx, &connect.TransferContactInput{InstanceId: id, ContactId: aws.String(w.task),
		ContactFlowId: aws.String(flowQ1), QueueId: aws.String(w.queue), ClientToken: aws.String(w.token)})
	require.NoError(t, err)
	w.moved = *tr.ContactId
	_, err = c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: id, InitialContactId: tr.ContactId,
		Attributes: map[string]string{"order": "42"}})
	require.NoError(t, err)
	e.control("POST", "clock", `{"advance":"10s"}`, nil)

	var snap connectapi.Snapshot
	require.Equal(t, 200, e.control("GET", "snapshot", "", &snap).status)
	before := e.describeWorld(c, w)
	// What happens next without a reset: the delay passes, the new user takes the
	// transferred task, the token answers the same contact.
	later := func() string {
		e.control("POST", "clock", `{"advance":"20s"}`, nil)
		d, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: id, ContactId: aws.String(w.moved)})
		require.NoError(t, err)
		require.NotNil(t, d.Contact.AgentInfo, "the transferred task is routed once its 30 s delay passed")
		assert.Equal(t, w.user, aws.ToString(d.Contact.AgentInfo.Id), "the created user takes the transferred task")
		again, err := c.TransferContact(ctx, &connect.TransferContactInput{InstanceId: id, ContactId: aws.String(w.task),
			ContactFlowId: aws.String(flowQ1), QueueId: aws.String(w.queue), ClientToken: aws.String(w.token)})
		require.NoError(t, err, "TransferContact repeated with its ClientToken")
		assert.Equal(t, w.moved, aws.ToString(again.ContactId), "the token answers the contact its transfer made")
		_, err = c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: id, UserId: aws.String(w.user), AgentStatusId: aws.String(w.status)})
		require.NoError(t, err)
		e.control("POST", "clock", `{"advance":"15m"}`, nil)
		return e.describeWorld(c, w)
	}
	want := later()

	require.Equal(t, 200, e.control("POST", "reset", "", nil).status)
	_, err = c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: id, QueueId: aws.String(w.queue)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: id, RoutingProfileId: aws.String(w.profile)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: id, UserId: aws.String(w.user)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: id, AgentStatusId: aws.String(w.status)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: id, ContactId: aws.String(w.moved)})
	wantCode(t, err, "ResourceNotFoundException")
	users, err := c.ListUsers(ctx, &connect.ListUsersInput{InstanceId: id})
	require.NoError(t, err)
	assert.Len(t, users.UserSummaryList, 2, "users after reset: the configuration's")

	r := e.control("POST", "snapshot", string(snap.JSON()), nil)
	require.Equal(t, 200, r.status, "restore: %s", r.body)
	var again connectapi.Snapshot
	e.control("GET", "snapshot", "", &again)
	assert.Equal(t, string(snap.JSON()), string(again.JSON()), "snapshot after restore")
	assert.Equal(t, before, e.describeWorld(c, w), "answers after restore")
	assert.Equal(t, want, later(), "answers of the same calls after the restore")
}

// TestSnapshotOldVersionRefused: a version 1 document (before the run-time API's state) is
// refused naming both versions, and the emulator keeps its state.
func TestSnapshotOldVersionRefused(t *testing.T) {
	e := newEmuEnv(t, queueConfig(), connectapi.EmulatorOptions{ManualClock: true, Control: true})
	c := e.sdk()
	e.startTask(c, flowQ1)
	var snap connectapi.Snapshot
	e.control("GET", "snapshot", "", &snap)
	old := snap
	old.Version = 1
	r := e.control("POST", "snapshot", string(old.JSON()), nil)
	r.wantError(t, 400, "InvalidParameterException")
	assert.Contains(t, r.message, "version 1", "message %q", r.message)
	assert.Contains(t, r.message, "version 2", "message %q", r.message)
	_, err := connectapi.LoadSnapshot(strings.NewReader(string(old.JSON())))
	require.ErrorIs(t, err, connectapi.ErrInvalidSnapshot)
	var after connectapi.Snapshot
	e.control("GET", "snapshot", "", &after)
	assert.Equal(t, string(snap.JSON()), string(after.JSON()), "state after a refused restore")
}
