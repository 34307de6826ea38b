package connectapi_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// TestRefundsGoToZoe is the README's emulator example, verbatim (readme_test.go checks that
// the README shows this function as it is here): a test written against Amazon Connect that
// sets a queue, a routing profile and a user up through the API and asserts who takes a task.
func TestRefundsGoToZoe(t *testing.T) {
	h, err := connectapi.NewHandler(routing.NewService(), connectapi.DefaultConfig())
	require.NoError(t, err)
	srv := httptest.NewServer(h) // or run "routesim emulate" and use its address
	defer srv.Close()
	client := connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.AnonymousCredentials{}})
	ctx, inst := context.Background(), aws.String(connectapi.DefaultInstanceID)

	// A Refunds queue, a routing profile serving its tasks, and zoe, available, with it.
	q, err := client.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: inst, Name: aws.String("Refunds"),
		HoursOfOperationId: aws.String(connectapi.DefaultHoursID)})
	require.NoError(t, err)
	p, err := client.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: inst,
		Name: aws.String("Refunds"), Description: aws.String("refund tasks"), DefaultOutboundQueueId: q.QueueId,
		MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(2)}},
		QueueConfigs: []types.RoutingProfileQueueConfig{{Priority: aws.Int32(1), Delay: aws.Int32(0),
			QueueReference: &types.RoutingProfileQueueReference{QueueId: q.QueueId, Channel: types.ChannelTask}}}})
	require.NoError(t, err)
	zoe, err := client.CreateUser(ctx, &connect.CreateUserInput{InstanceId: inst, Username: aws.String("zoe"),
		RoutingProfileId: p.RoutingProfileId, SecurityProfileIds: []string{connectapi.DefaultSecurityProfileID},
		PhoneConfig: &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone}})
	require.NoError(t, err)
	_, err = client.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: inst, UserId: zoe.UserId,
		AgentStatusId: aws.String(connectapi.DefaultAvailableStatus)})
	require.NoError(t, err)

	// A task waits in Support (its agents are offline) until it is transferred to Refunds.
	task, err := client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst,
		ContactFlowId: aws.String(connectapi.DefaultSupportFlowID), Name: aws.String("refund 1")})
	require.NoError(t, err)
	moved, err := client.TransferContact(ctx, &connect.TransferContactInput{InstanceId: inst,
		ContactId: task.ContactId, QueueId: q.QueueId, ContactFlowId: aws.String(connectapi.DefaultSupportFlowID)})
	require.NoError(t, err)

	c, err := client.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst, ContactId: moved.ContactId})
	require.NoError(t, err)
	require.NotNil(t, c.Contact.AgentInfo, "the moved task has an agent")
	require.Equal(t, *zoe.UserId, *c.Contact.AgentInfo.Id, "zoe takes the refund task")
	data, err := client.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: inst,
		Filters: &types.UserDataFilters{Agents: []string{*zoe.UserId}}})
	require.NoError(t, err)
	require.Equal(t, int32(1), data.UserDataList[0].ActiveSlotsByChannel["TASK"], "zoe: 1 TASK slot busy of 2")
}
