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

func listStatuses(t *testing.T, c *connect.Client, kinds ...types.AgentStatusType) map[string]types.AgentStatusType {
	t.Helper()
	out, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: aws.String(inst), AgentStatusTypes: kinds})
	require.NoError(t, err)
	m := map[string]types.AgentStatusType{}
	for _, s := range out.AgentStatusSummaryList {
		m[aws.ToString(s.Name)] = s.Type
	}
	return m
}

func createStatus(t *testing.T, c *connect.Client, name string) string {
	t.Helper()
	out, err := c.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(inst), Name: aws.String(name),
		State: types.AgentStatusStateEnabled, Description: aws.String("away"), DisplayOrder: aws.Int32(3)})
	require.NoError(t, err, "CreateAgentStatus(%s)", name)
	return aws.ToString(out.AgentStatusId)
}

func TestAgentStatuses(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	assert.Equal(t, map[string]types.AgentStatusType{"Available": types.AgentStatusTypeRoutable, "Offline": types.AgentStatusTypeOffline}, listStatuses(t, c))
	id := createStatus(t, c, "Lunch")
	assert.Equal(t, map[string]types.AgentStatusType{"Lunch": types.AgentStatusTypeCustom}, listStatuses(t, c, types.AgentStatusTypeCustom))
	out, err := c.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: aws.String(inst), AgentStatusId: aws.String(id)})
	require.NoError(t, err)
	s := out.AgentStatus
	assert.Equal(t, "Lunch", aws.ToString(s.Name))
	assert.Equal(t, "away", aws.ToString(s.Description))
	assert.Equal(t, types.AgentStatusTypeCustom, s.Type)
	assert.Equal(t, types.AgentStatusStateEnabled, s.State)
	assert.Equal(t, int32(3), aws.ToInt32(s.DisplayOrder))
	assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+inst+"/agent-state/"+id, aws.ToString(s.AgentStatusARN))

	for _, tt := range []struct {
		name string
		in   *connect.CreateAgentStatusInput
		code string
	}{
		{"duplicate name", &connect.CreateAgentStatusInput{InstanceId: aws.String(inst), Name: aws.String("Lunch"), State: types.AgentStatusStateEnabled}, "DuplicateResourceException"},
		{"name of a built-in status", &connect.CreateAgentStatusInput{InstanceId: aws.String(inst), Name: aws.String("Available"), State: types.AgentStatusStateEnabled}, "DuplicateResourceException"},
		{"bad state", &connect.CreateAgentStatusInput{InstanceId: aws.String(inst), Name: aws.String("x"), State: "ON"}, "InvalidParameterException"},
		{"display order 51", &connect.CreateAgentStatusInput{InstanceId: aws.String(inst), Name: aws.String("x"), State: types.AgentStatusStateEnabled, DisplayOrder: aws.Int32(51)}, "InvalidParameterException"},
		{"name of 128", &connect.CreateAgentStatusInput{InstanceId: aws.String(inst), Name: aws.String(string(make([]byte, 128))), State: types.AgentStatusStateEnabled}, "InvalidParameterException"},
		{"unknown instance", &connect.CreateAgentStatusInput{InstanceId: aws.String("nope"), Name: aws.String("x"), State: types.AgentStatusStateEnabled}, "ResourceNotFoundException"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateAgentStatus(ctx, tt.in)
			wantCode(t, err, tt.code)
		})
	}
	assert.Len(t, listStatuses(t, c), 3, "statuses after failed creates")
	_, err = c.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: aws.String(inst), AgentStatusId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: aws.String(inst), AgentStatusTypes: []types.AgentStatusType{"BUSY"}})
	wantCode(t, err, "InvalidParameterException")
}

// TestCustomStatusIsNotRoutable puts an agent in a CUSTOM status: a task waits; back to
// Available, the agent takes it.
func TestCustomStatusIsNotRoutable(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	lunch := createStatus(t, c, "Lunch")
	require.NoError(t, e.setStatus(c, agent1, lunch))
	task := e.startTask(c, flowQ1)
	assert.Nil(t, e.describe(c, task).AgentInfo, "a task went to an agent at lunch")
	data := userData(t, c, &types.UserDataFilters{Agents: []string{agent1}})
	require.Len(t, data, 1)
	assert.Equal(t, "Lunch", aws.ToString(data[0].Status.StatusName))
	e.clock.Advance(90 * time.Second)
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	assert.Equal(t, agent1, aws.ToString(e.describe(c, task).AgentInfo.Id))
	data = userData(t, c, &types.UserDataFilters{Agents: []string{agent1}})
	assert.Equal(t, "Available", aws.ToString(data[0].Status.StatusName))
	assert.True(t, t0.Add(90*time.Second).Equal(aws.ToTime(data[0].Status.StatusStartTimestamp)),
		"StatusStartTimestamp %v; want %v", aws.ToTime(data[0].Status.StatusStartTimestamp), t0.Add(90*time.Second))
	wantCode(t, e.setStatus(c, agent1, "nope"), "ResourceNotFoundException")
	assert.Equal(t, "Available", aws.ToString(userData(t, c, &types.UserDataFilters{Agents: []string{agent1}})[0].Status.StatusName),
		"status changed by a failed PutUserStatus")
	e.verify()
}

func userData(t *testing.T, c *connect.Client, f *types.UserDataFilters) []types.UserData {
	t.Helper()
	out, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: aws.String(inst), Filters: f})
	require.NoError(t, err)
	assert.Equal(t, int64(len(out.UserDataList)), aws.ToInt64(out.ApproximateTotalCount))
	return out.UserDataList
}

func TestGetCurrentUserData(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	task := e.startTask(c, flowQ1)
	data := userData(t, c, &types.UserDataFilters{Agents: []string{agent1}})
	require.Len(t, data, 1)
	u := data[0]
	assert.Equal(t, agent1, aws.ToString(u.User.Id))
	assert.Equal(t, "p1", aws.ToString(u.RoutingProfile.Id))
	assert.Equal(t, "Available", aws.ToString(u.Status.StatusName))
	// p1 handles CHAT and TASK with concurrency 1 (testConfig); the task fills TASK and,
	// without cross-channel concurrency, closes CHAT.
	assert.Equal(t, map[string]int32{"CHAT": 1, "TASK": 1}, u.MaxSlotsByChannel)
	assert.Equal(t, map[string]int32{"CHAT": 0, "TASK": 1}, u.ActiveSlotsByChannel)
	assert.Equal(t, map[string]int32{"CHAT": 0, "TASK": 0}, u.AvailableSlotsByChannel)
	require.Len(t, u.Contacts, 1)
	ct := u.Contacts[0]
	assert.Equal(t, task, aws.ToString(ct.ContactId))
	assert.Equal(t, types.ContactStateConnected, ct.AgentContactState)
	assert.Equal(t, types.ChannelTask, ct.Channel)
	assert.Equal(t, q1, aws.ToString(ct.Queue.Id))

	assert.Len(t, userData(t, c, &types.UserDataFilters{Queues: []string{q1}}), 2, "users serving q1")
	assert.Len(t, userData(t, c, &types.UserDataFilters{RoutingProfiles: []string{"p1"}}), 2, "users of p1")
	assert.Len(t, userData(t, c, &types.UserDataFilters{ContactFilter: &types.ContactFilter{ContactStates: []types.ContactState{types.ContactStateConnected}}}), 1,
		"users with a CONNECTED contact")
	assert.Empty(t, userData(t, c, &types.UserDataFilters{UserHierarchyGroups: []string{"g"}}), "users in a hierarchy group")
	arn := "arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/agent/" + agent2
	assert.Len(t, userData(t, c, &types.UserDataFilters{Agents: []string{arn}}), 1, "user by ARN")

	for _, tt := range []struct {
		name string
		f    *types.UserDataFilters
	}{
		{"two resource filters", &types.UserDataFilters{Agents: []string{agent1}, Queues: []string{q1}}},
		{"101 agents", &types.UserDataFilters{Agents: make([]string, 101)}},
		{"two hierarchy groups", &types.UserDataFilters{UserHierarchyGroups: []string{"a", "b"}}},
		{"bad contact state", &types.UserDataFilters{ContactFilter: &types.ContactFilter{ContactStates: []types.ContactState{"RINGING"}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: aws.String(inst), Filters: tt.f})
			wantCode(t, err, "InvalidParameterException")
		})
	}
	_, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: aws.String(inst), Filters: &types.UserDataFilters{}, MaxResults: aws.Int32(101)})
	wantCode(t, err, "InvalidParameterException")
	out, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: aws.String(inst), Filters: &types.UserDataFilters{}, MaxResults: aws.Int32(1)})
	require.NoError(t, err)
	assert.Len(t, out.UserDataList, 1)
	assert.Equal(t, int64(2), aws.ToInt64(out.ApproximateTotalCount))
	require.NotNil(t, out.NextToken, "NextToken after 1 of 2 users")
	e.raw("POST", "/metrics/userdata/"+inst, []byte(`{}`)).wantError(t, 400, "InvalidParameterException")
}
