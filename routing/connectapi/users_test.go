package connectapi_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

// createUser creates a user of a routing profile with the default security profile and
// returns its ID.
func createUser(t testing.TB, c *connect.Client, name, profile string) string {
	t.Helper()
	out, err := c.CreateUser(ctx, &connect.CreateUserInput{InstanceId: aws.String(inst), Username: aws.String(name),
		Password: aws.String("Passw0rd!"), RoutingProfileId: aws.String(profile),
		SecurityProfileIds: []string{connectapi.DefaultSecurityProfileID},
		IdentityInfo:       &types.UserIdentityInfo{FirstName: aws.String("First " + name), Email: aws.String(name + "@example.com")},
		PhoneConfig:        &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone, AfterContactWorkTimeLimit: 30}})
	require.NoError(t, err, "CreateUser(%s)", name)
	return aws.ToString(out.UserId)
}

func listUsers(t *testing.T, c *connect.Client) []string {
	t.Helper()
	out, err := c.ListUsers(ctx, &connect.ListUsersInput{InstanceId: aws.String(inst)})
	require.NoError(t, err)
	var names []string
	for _, u := range out.UserSummaryList {
		names = append(names, aws.ToString(u.Username))
	}
	return names
}

func TestCreateAndDescribeUser(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := createUser(t, c, "ann", "p1")
	out, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(inst), UserId: aws.String(id)})
	require.NoError(t, err)
	u := out.User
	assert.Equal(t, id, aws.ToString(u.Id))
	assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+inst+"/agent/"+id, aws.ToString(u.Arn))
	assert.Equal(t, "ann", aws.ToString(u.Username))
	assert.Equal(t, "p1", aws.ToString(u.RoutingProfileId))
	assert.Equal(t, []string{connectapi.DefaultSecurityProfileID}, u.SecurityProfileIds)
	require.NotNil(t, u.IdentityInfo)
	assert.Equal(t, "First ann", aws.ToString(u.IdentityInfo.FirstName))
	require.NotNil(t, u.PhoneConfig)
	assert.Equal(t, int32(30), u.PhoneConfig.AfterContactWorkTimeLimit)
	assert.Equal(t, []string{agent1, agent2, "ann"}, listUsers(t, c))

	cfgd, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(inst), UserId: aws.String(agent1)})
	require.NoError(t, err)
	assert.Equal(t, agent1, aws.ToString(cfgd.User.Username), "a configured agent's Username is its ID")

	sp, err := c.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String(inst)})
	require.NoError(t, err)
	require.Len(t, sp.SecurityProfileSummaryList, 1)
	assert.Equal(t, connectapi.DefaultSecurityProfileID, aws.ToString(sp.SecurityProfileSummaryList[0].Id))
	e.verify()
}

func TestCreateUserErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	createUser(t, c, "ann", "p1")
	base := func() *connect.CreateUserInput {
		return &connect.CreateUserInput{InstanceId: aws.String(inst), Username: aws.String("bob"), RoutingProfileId: aws.String("p1"),
			SecurityProfileIds: []string{connectapi.DefaultSecurityProfileID}}
	}
	tests := []struct {
		name string
		edit func(in *connect.CreateUserInput)
		code string
	}{
		{"duplicate username", func(in *connect.CreateUserInput) { in.Username = aws.String("ann") }, "DuplicateResourceException"},
		{"unknown routing profile", func(in *connect.CreateUserInput) { in.RoutingProfileId = aws.String("nope") }, "ResourceNotFoundException"},
		{"unknown security profile", func(in *connect.CreateUserInput) { in.SecurityProfileIds = []string{"nope"} }, "ResourceNotFoundException"},
		{"no security profile", func(in *connect.CreateUserInput) { in.SecurityProfileIds = []string{} }, "InvalidParameterException"},
		{"11 security profiles", func(in *connect.CreateUserInput) { in.SecurityProfileIds = make([]string, 11) }, "InvalidParameterException"},
		{"weak password", func(in *connect.CreateUserInput) { in.Password = aws.String("password") }, "InvalidParameterException"},
		{"bad mobile", func(in *connect.CreateUserInput) {
			in.IdentityInfo = &types.UserIdentityInfo{Mobile: aws.String("555")}
		}, "InvalidParameterException"},
		{"bad phone type", func(in *connect.CreateUserInput) { in.PhoneConfig = &types.UserPhoneConfig{PhoneType: "FAX"} }, "InvalidParameterException"},
		{"bad channel in auto-accept", func(in *connect.CreateUserInput) {
			in.AutoAcceptConfigs = []types.AutoAcceptConfig{{Channel: "FAX", AutoAccept: true}}
		}, "InvalidParameterException"},
		{"username of 101", func(in *connect.CreateUserInput) { in.Username = aws.String(string(make([]byte, 101))) }, "InvalidParameterException"},
		{"unknown instance", func(in *connect.CreateUserInput) { in.InstanceId = aws.String("nope") }, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(in)
			_, err := c.CreateUser(ctx, in)
			wantCode(t, err, tt.code)
		})
	}
	assert.Equal(t, []string{agent1, agent2, "ann"}, listUsers(t, c), "users after failed creates")
	assert.Len(t, e.instance().AgentIDs(), 3, "agents after failed creates")
	_, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(inst), UserId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	e.verify()
}

// TestUpdateUserRoutingProfile moves an agent holding a task: the task stays, and the agent
// then takes from its new profile's queues only.
func TestUpdateUserRoutingProfile(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := createProfile(t, c, "q2 tasks") // q2 TASK only
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	held := e.startTask(c, flowQ1)
	require.Equal(t, agent1, aws.ToString(e.describe(c, held).AgentInfo.Id))
	_, err := c.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(inst),
		UserId: aws.String(agent1), RoutingProfileId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, agent1, aws.ToString(e.describe(c, held).AgentInfo.Id), "the task in progress left the moved agent")
	inQ1 := e.startTask(c, flowQ1)
	inQ2 := e.startTask(c, flowQ2Age)
	assert.Nil(t, e.describe(c, inQ1).AgentInfo, "a q1 task went to an agent moved off q1")
	// The new profile takes 2 tasks: one slot was free.
	require.NotNil(t, e.describe(c, inQ2).AgentInfo, "a q2 task did not go to the agent moved to q2")
	out, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(inst), UserId: aws.String(agent1)})
	require.NoError(t, err)
	assert.Equal(t, id, aws.ToString(out.User.RoutingProfileId))

	_, err = c.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(inst),
		UserId: aws.String(agent1), RoutingProfileId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(inst),
		UserId: aws.String("nope"), RoutingProfileId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
	out, err = c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(inst), UserId: aws.String(agent1)})
	require.NoError(t, err)
	assert.Equal(t, id, aws.ToString(out.User.RoutingProfileId), "profile changed by a failed move")
	e.verify()
}

// TestEndToEndCreatedProfileAndUser creates a routing profile and a user through the API,
// makes the user available, starts a task and checks that the user got it.
func TestEndToEndCreatedProfileAndUser(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	prof := createProfile(t, c, "overflow")
	user := createUser(t, c, "zoe", prof)
	require.NoError(t, e.setStatus(c, user, statusAv))
	task := e.startTask(c, flowQ2Age)
	got := e.describe(c, task).AgentInfo
	require.NotNil(t, got, "task not routed to the created user")
	assert.Equal(t, user, aws.ToString(got.Id), "task went to %s; want the created user %s", aws.ToString(got.Id), user)
	e.verify()
}

// TestAdminConcurrent creates profiles and users, moves users, changes queues and starts
// tasks from many goroutines (run it under -race), then checks the core's invariants and
// that every create succeeded once.
func TestAdminConcurrent(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	const n = 8
	var wg sync.WaitGroup
	ids := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prof := createProfile(t, c, fmt.Sprintf("prof-%d", i))
			ids[i] = createUser(t, c, fmt.Sprintf("user-%d", i), prof)
			assert.NoError(t, e.setStatus(c, ids[i], statusAv))
			_, err := c.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(inst),
				RoutingProfileId: aws.String(prof), QueueConfigs: []types.RoutingProfileQueueConfig{qc(q1, types.ChannelTask, 1, int32(i))}})
			assert.NoError(t, err)
			e.startTask(c, flowQ1)
			_, err = c.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(inst),
				UserId: aws.String(ids[i]), RoutingProfileId: aws.String("p1")})
			assert.NoError(t, err)
			_, err = c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: aws.String(inst), Filters: &types.UserDataFilters{}})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Len(t, listUsers(t, c), 2+n)
	e.verify()
}
