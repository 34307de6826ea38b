package connectapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

// TestAdminUnknownInstance checks that every user, status and routing-profile operation
// answers ResourceNotFoundException for an unknown instance, and InvalidParameterException
// for a page size out of its range.
func TestAdminUnknownInstance(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	no := aws.String("no-such-instance")
	calls := map[string]func(inst *string, max *int32) error{
		"ListRoutingProfiles": func(inst *string, max *int32) error {
			_, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: inst, MaxResults: max})
			return err
		},
		"ListRoutingProfileQueues": func(inst *string, max *int32) error {
			_, err := c.ListRoutingProfileQueues(ctx, &connect.ListRoutingProfileQueuesInput{InstanceId: inst, RoutingProfileId: aws.String("p1"), MaxResults: max})
			return err
		},
		"ListUsers": func(inst *string, max *int32) error {
			_, err := c.ListUsers(ctx, &connect.ListUsersInput{InstanceId: inst, MaxResults: max})
			return err
		},
		"ListSecurityProfiles": func(inst *string, max *int32) error {
			_, err := c.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: inst, MaxResults: max})
			return err
		},
		"ListAgentStatuses": func(inst *string, max *int32) error {
			_, err := c.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: inst, MaxResults: max})
			return err
		},
		"GetCurrentUserData": func(inst *string, max *int32) error {
			_, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: inst, Filters: &types.UserDataFilters{}, MaxResults: max})
			return err
		},
	}
	tooBig := map[string]int32{"ListRoutingProfileQueues": 101, "GetCurrentUserData": 101}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			wantCode(t, call(no, nil), "ResourceNotFoundException")
			limit, ok := tooBig[name]
			if !ok {
				limit = 1001
			}
			wantCode(t, call(aws.String(inst), aws.Int32(limit)), "InvalidParameterException")
			wantCode(t, call(aws.String(inst), aws.Int32(0)), "InvalidParameterException")
			require.NoError(t, call(aws.String(inst), aws.Int32(limit-1)))
		})
	}
	for name, err := range map[string]error{
		"DescribeRoutingProfile": func() error {
			_, err := c.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: no, RoutingProfileId: aws.String("p1")})
			return err
		}(),
		"DescribeUser": func() error {
			_, err := c.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: no, UserId: aws.String(agent1)})
			return err
		}(),
		"DescribeAgentStatus": func() error {
			_, err := c.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: no, AgentStatusId: aws.String(statusAv)})
			return err
		}(),
		"UpdateUserRoutingProfile": func() error {
			_, err := c.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: no, UserId: aws.String(agent1), RoutingProfileId: aws.String("p1")})
			return err
		}(),
		"PutUserStatus": e.setStatusIn(c, *no, agent1, statusAv),
	} {
		t.Run(name, func(t *testing.T) { wantCode(t, err, "ResourceNotFoundException") })
	}
}

func (e *env) setStatusIn(c *connect.Client, instance, agent, status string) error {
	_, err := c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: aws.String(instance),
		UserId: aws.String(agent), AgentStatusId: aws.String(status)})
	return err
}

// TestAdminLimits checks the quotas that bound what an instance retains: 50 agent statuses,
// 500 users, 500 routing profiles (LimitExceededException), and that the refused create
// changes nothing.
func TestAdminLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("creates about a thousand resources")
	}
	e := newEnv(t, testConfig())
	c := e.sdk()
	for i := range 48 { // 2 built-in + 48 = 50
		createStatus(t, c, fmt.Sprint("s", i))
	}
	_, err := c.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(inst), Name: aws.String("one too many"), State: types.AgentStatusStateEnabled})
	wantCode(t, err, "LimitExceededException")
	assert.Len(t, listStatuses(t, c), 50)

	for i := range 498 { // 2 configured + 498 = 500
		_, err := c.CreateUser(ctx, &connect.CreateUserInput{InstanceId: aws.String(inst), Username: aws.String(fmt.Sprint("u", i)),
			RoutingProfileId: aws.String("p1"), SecurityProfileIds: []string{connectapi.DefaultSecurityProfileID}})
		require.NoError(t, err)
	}
	_, err = c.CreateUser(ctx, &connect.CreateUserInput{InstanceId: aws.String(inst), Username: aws.String("one too many"),
		RoutingProfileId: aws.String("p1"), SecurityProfileIds: []string{connectapi.DefaultSecurityProfileID}})
	wantCode(t, err, "LimitExceededException")
	assert.Len(t, e.instance().AgentIDs(), 500)

	for i := range 499 { // 1 configured + 499 = 500
		_, err := c.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: aws.String(inst), Name: aws.String(fmt.Sprint("p-", i)),
			Description: aws.String("d"), DefaultOutboundQueueId: aws.String(q1), MediaConcurrencies: []types.MediaConcurrency{}})
		require.NoError(t, err)
	}
	_, err = c.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: aws.String(inst), Name: aws.String("one too many"),
		Description: aws.String("d"), DefaultOutboundQueueId: aws.String(q1), MediaConcurrencies: []types.MediaConcurrency{}})
	wantCode(t, err, "LimitExceededException")
	out, err := c.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(1000)})
	require.NoError(t, err)
	assert.Len(t, out.RoutingProfileSummaryList, 500)
	e.verify()
}
