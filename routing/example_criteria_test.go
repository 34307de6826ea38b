package routing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// A contact whose routing criteria ask first for a French speaker at level 4 or more, for 30
// seconds, then for any French speaker: the agent at level 2 waits out the first step, then
// takes it. The criteria are the JSON a flow's "Set routing criteria" block or a Lambda sets.
func ExampleService_UpdateContactRoutingData_routingCriteria() {
	ctx := context.Background()
	clock := routing.NewManualClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	svc := routing.NewService(routing.WithClock(clock))
	inst, err := svc.AddInstance(routing.InstanceConfig{
		ID:     "inst",
		Queues: []routing.QueueConfig{{ID: "support"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "basic",
			Queues: []routing.ProfileQueueConfig{{QueueID: "support", Channel: contact.Voice, Priority: 1}}}},
		Agents: []routing.AgentConfig{{ID: "bob", RoutingProfileID: "basic",
			Proficiencies: []routing.ProficiencyConfig{{AttributeName: "Language", AttributeValue: "French", Level: 2}}}},
		PredefinedAttributes: []routing.AttributeConfig{{Name: "Language", Values: []string{"English", "French"}}},
	})
	if err != nil {
		panic(err)
	}
	var rc routing.RoutingCriteriaInput
	err = json.Unmarshal([]byte(`{"Steps": [
		{"Expression": {"AttributeCondition": {"Name": "Language", "Value": "French",
			"ProficiencyLevel": 4.0, "ComparisonOperator": "NumberGreaterOrEqualTo"}},
		 "Expiry": {"DurationInSeconds": 30}},
		{"Expression": {"AttributeCondition": {"Name": "Language", "Value": "French",
			"ProficiencyLevel": 1.0, "ComparisonOperator": "NumberGreaterOrEqualTo"}}}]}`), &rc)
	if err != nil {
		panic(err)
	}
	if err := inst.SetAgentState("bob", routing.AgentAvailable); err != nil {
		panic(err)
	}
	if _, err := svc.StartContact(ctx, &routing.StartContactInput{InstanceId: aws("inst"), QueueId: aws("support"),
		Channel: contact.Voice, ContactId: aws("c1"), RoutingCriteria: &rc}); err != nil {
		panic(err)
	}
	describe := func() {
		out, err := svc.DescribeContact(ctx, &routing.DescribeContactInput{InstanceId: aws("inst"), ContactId: aws("c1")})
		if err != nil {
			panic(err)
		}
		c := out.Contact
		fmt.Printf("%s agent=%q steps:", c.State, c.AgentID)
		for _, s := range c.RoutingCriteria.Steps {
			fmt.Printf(" %s", s.Status)
		}
		fmt.Println()
	}
	describe()
	clock.Advance(30 * time.Second)
	inst.Advance()
	describe()
	// Output:
	// WAITING agent="" steps: ACTIVE INACTIVE
	// WITH_AGENT agent="bob" steps: EXPIRED JOINED
}
