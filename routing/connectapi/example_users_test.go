package connectapi_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// ExampleNewHandler_createUser sets a centre up through the API, as a test suite written
// against Amazon Connect does: it creates a routing profile for the support queue's tasks and
// a user with it, makes the user available, starts a task and asks who got it.
func ExampleNewHandler_createUser() {
	clock := routing.NewManualClock(time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC))
	h, err := connectapi.NewHandler(routing.NewService(routing.WithClock(clock)), connectapi.DefaultConfig())
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		})})
	ctx, inst := context.Background(), aws.String(connectapi.DefaultInstanceID)
	check := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}

	prof, err := client.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: inst,
		Name: aws.String("Support tasks"), Description: aws.String("tasks of the support queue"),
		DefaultOutboundQueueId: aws.String(connectapi.DefaultSupportQueueID),
		MediaConcurrencies:     []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(3)}},
		QueueConfigs: []types.RoutingProfileQueueConfig{{QueueReference: &types.RoutingProfileQueueReference{
			QueueId: aws.String(connectapi.DefaultSupportQueueID), Channel: types.ChannelTask}, Priority: aws.Int32(1), Delay: aws.Int32(0)}}})
	check(err)
	sec, err := client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: inst})
	check(err)
	user, err := client.CreateUser(ctx, &connect.CreateUserInput{InstanceId: inst, Username: aws.String("zoe"),
		RoutingProfileId: prof.RoutingProfileId, SecurityProfileIds: []string{*sec.SecurityProfileSummaryList[0].Id},
		PhoneConfig: &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone}})
	check(err)
	_, err = client.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: inst, UserId: user.UserId,
		AgentStatusId: aws.String(connectapi.DefaultAvailableStatus)})
	check(err)

	task, err := client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst,
		ContactFlowId: aws.String(connectapi.DefaultSupportFlowID), Name: aws.String("refund")})
	check(err)
	c, err := client.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst, ContactId: task.ContactId})
	check(err)
	fmt.Println("taken by the new user:", *c.Contact.AgentInfo.Id == *user.UserId)

	data, err := client.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: inst,
		Filters: &types.UserDataFilters{Agents: []string{*user.UserId}}})
	check(err)
	u := data.UserDataList[0]
	fmt.Println(*u.Status.StatusName, "TASK slots:", u.ActiveSlotsByChannel["TASK"], "of", u.MaxSlotsByChannel["TASK"])
	// Output:
	// taken by the new user: true
	// Available TASK slots: 1 of 3
}
