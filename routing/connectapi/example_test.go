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

// ExampleNewHandler runs the emulator under httptest and drives it with the real AWS SDK
// client: an age adjustment moves a contact to the front of its queue.
func ExampleNewHandler() {
	clock := routing.NewManualClock(time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC))
	h, err := connectapi.NewHandler(routing.NewService(routing.WithClock(clock)), connectapi.DefaultConfig())
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	client := connect.New(connect.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	})
	ctx := context.Background()
	inst := aws.String(connectapi.DefaultInstanceID)
	start := func() *string {
		out, err := client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst,
			ContactFlowId: aws.String(connectapi.DefaultSupportFlowID), Name: aws.String("task")})
		if err != nil {
			log.Fatal(err)
		}
		return out.ContactId
	}
	position := func(id *string) float64 {
		out, err := client.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: inst, ContactId: id,
			Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
		if err != nil {
			log.Fatal(err)
		}
		return out.MetricResults[0].Value.(*types.ContactMetricValueMemberNumber).Value
	}

	first := start()
	clock.Advance(time.Minute)
	second := start()
	fmt.Println("before:", position(first), position(second))

	_, err = client.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: inst,
		ContactId: second, QueueTimeAdjustmentSeconds: aws.Int32(120)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("after: ", position(first), position(second))
	// Output:
	// before: 1 2
	// after:  2 1
}
