package routing_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// exampleService returns a service with one instance: queue "sales", served by agent alice,
// who starts offline.
func exampleService() (*routing.Service, *routing.ManualClock) {
	clock := routing.NewManualClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	svc := routing.NewService(routing.WithClock(clock))
	_, err := svc.AddInstance(routing.InstanceConfig{
		ID:     "inst",
		Queues: []routing.QueueConfig{{ID: "sales"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "basic",
			Queues: []routing.ProfileQueueConfig{{QueueID: "sales", Channel: contact.Voice, Priority: 1}}}},
		Agents: []routing.AgentConfig{{ID: "alice", RoutingProfileID: "basic"}},
	})
	if err != nil {
		panic(err)
	}
	return svc, clock
}

// An UpdateContactRoutingData call that adds two minutes of routing age moves a contact
// ahead of one that has waited a minute longer; the metrics still report real waits, and the
// agent who comes available takes the contact now at the front.
func ExampleService_UpdateContactRoutingData() {
	ctx := context.Background()
	svc, clock := exampleService()
	inst := aws("inst")
	for _, id := range []string{"first", "second"} {
		_, err := svc.StartContact(ctx, &routing.StartContactInput{InstanceId: inst, QueueId: aws("sales"),
			Channel: contact.Voice, ContactId: aws(id)})
		if err != nil {
			panic(err)
		}
		clock.Advance(time.Minute)
	}
	position := func(id string) int {
		out, err := svc.GetContactPosition(ctx, &routing.GetContactPositionInput{InstanceId: inst, ContactId: aws(id)})
		if err != nil {
			panic(err)
		}
		return out.Position
	}
	fmt.Println("second is at position", position("second"))

	adjust := int32(120)
	_, err := svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{InstanceId: inst,
		ContactId: aws("second"), QueueTimeAdjustmentSeconds: &adjust})
	if err != nil {
		panic(err)
	}
	fmt.Println("after +120 s, second is at position", position("second"))
	m, _ := svc.GetCurrentMetrics(ctx, &routing.GetCurrentMetricsInput{InstanceId: inst})
	fmt.Println("oldest contact age:", m.Metrics[0].OldestContactAge)

	_, err = svc.SetAgentState(ctx, &routing.SetAgentStateInput{InstanceId: inst, AgentId: aws("alice"),
		State: routing.AgentAvailable})
	if err != nil {
		panic(err)
	}
	d, _ := svc.DescribeContact(ctx, &routing.DescribeContactInput{InstanceId: inst, ContactId: aws("second")})
	fmt.Println("second:", d.Contact.State, "with", d.Contact.AgentID)

	// The contact is no longer waiting: a further update is a ResourceConflictException.
	_, err = svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{InstanceId: inst,
		ContactId: aws("second"), QueueTimeAdjustmentSeconds: &adjust})
	var conflict *routing.ResourceConflictException
	fmt.Println("update after routing:", errors.As(err, &conflict))
	// Output:
	// second is at position 2
	// after +120 s, second is at position 1
	// oldest contact age: 2m0s
	// second: WITH_AGENT with alice
	// update after routing: true
}

// QueuePriority 1 is routed before the default 5, whatever the wait; an invalid update is an
// InvalidParameterException and changes nothing.
func ExampleService_UpdateContactRoutingData_priority() {
	ctx := context.Background()
	svc, clock := exampleService()
	inst := aws("inst")
	for _, id := range []string{"early", "late"} {
		if _, err := svc.StartContact(ctx, &routing.StartContactInput{InstanceId: inst, QueueId: aws("sales"),
			Channel: contact.Voice, ContactId: aws(id)}); err != nil {
			panic(err)
		}
		clock.Advance(10 * time.Minute)
	}
	_, err := svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{InstanceId: inst,
		ContactId: aws("late"), QueuePriority: aws[int64](0)})
	var bad *routing.InvalidParameterException
	fmt.Println("priority 0 rejected:", errors.As(err, &bad))

	if _, err := svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{InstanceId: inst,
		ContactId: aws("late"), QueuePriority: aws[int64](1)}); err != nil {
		panic(err)
	}
	if _, err := svc.SetAgentState(ctx, &routing.SetAgentStateInput{InstanceId: inst, AgentId: aws("alice"),
		State: routing.AgentAvailable}); err != nil {
		panic(err)
	}
	for _, id := range []string{"early", "late"} {
		d, _ := svc.DescribeContact(ctx, &routing.DescribeContactInput{InstanceId: inst, ContactId: aws(id)})
		fmt.Printf("%s: priority %d, %s %q\n", id, d.Contact.Priority, d.Contact.State, d.Contact.AgentID)
	}
	// Output:
	// priority 0 rejected: true
	// early: priority 5, WAITING ""
	// late: priority 1, WITH_AGENT "alice"
}

// aws returns a pointer to v, as the AWS SDK's aws.String and aws.Int64 do.
func aws[T any](v T) *T { return &v }
