package routing_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// critConfig is one queue q served by profile p with delay 0, agents a1..a3, attribute lang
// (en, fr, de) and skill (s1, s2); a1 speaks fr at 4, a2 fr at 2, a3 nothing.
func critConfig() routing.InstanceConfig {
	return routing.InstanceConfig{
		Queues:          queues("q"),
		RoutingProfiles: []routing.ProfileConfig{profile("p", entry("q", contact.Voice, 1, 0))},
		Agents: []routing.AgentConfig{
			{ID: "a1", RoutingProfileID: "p", Proficiencies: []routing.ProficiencyConfig{{AttributeName: "lang", AttributeValue: "fr", Level: 4}}},
			{ID: "a2", RoutingProfileID: "p", Proficiencies: []routing.ProficiencyConfig{{AttributeName: "lang", AttributeValue: "fr", Level: 2}}},
			{ID: "a3", RoutingProfileID: "p"},
		},
		PredefinedAttributes: []routing.AttributeConfig{
			{Name: "lang", Values: []string{"en", "fr", "de"}},
			{Name: "skill", Values: []string{"s1", "s2"}},
		},
	}
}

// criteria decodes a RoutingCriteria JSON object, as a flow or a Lambda would send it.
func criteria(t testing.TB, js string) *routing.RoutingCriteriaInput {
	t.Helper()
	var rc routing.RoutingCriteriaInput
	require.NoError(t, json.Unmarshal([]byte(js), &rc), "decoding %s", js)
	return &rc
}

// withCriteria starts contact id in queue q with criteria rc.
func withCriteria(id, q string, rc *routing.RoutingCriteriaInput) step {
	return func(h *harness) {
		h.t.Helper()
		_, err := h.svc.StartContact(h.ctx, &routing.StartContactInput{InstanceId: h.id(), QueueId: ptr(q),
			Channel: contact.Voice, ContactId: ptr(id), RoutingCriteria: rc})
		if err != nil {
			h.t.Fatalf("StartContact(%s) = %v; want nil", id, err)
		}
	}
}

const frAtLeast4For30 = `{"Steps":[
	{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":4.0,"ComparisonOperator":"NumberGreaterOrEqualTo"}},
	 "Expiry":{"DurationInSeconds":30}},
	{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":2.0,"ComparisonOperator":"NumberGreaterOrEqualTo"}},
	 "Expiry":{"DurationInSeconds":30}}]}`

func TestCriteriaStepsExpireIntoTheNext(t *testing.T) {
	h := newHarness(t, critConfig())
	rc := criteria(t, frAtLeast4For30)
	h.run(avail("a3"), withCriteria("c1", "q", rc), routes(),
		avail("a2"), routes(), // a2 has fr at 2: not for step 1
		at(29), routes(),
		at(30), routes("c1>a2")) // step 2 (fr >= 2) active at 30 s
	info := h.describe("c1")
	require.NotNil(t, info.RoutingCriteria)
	got := []routing.StepStatus{info.RoutingCriteria.Steps[0].Status, info.RoutingCriteria.Steps[1].Status}
	assert.Equal(t, []routing.StepStatus{routing.StepExpired, routing.StepJoined}, got, "step statuses")
	require.NotNil(t, info.RoutingCriteria.Steps[0].Expiry.ExpiryTimestamp)
	assert.Equal(t, t0.Add(sec(30)), info.RoutingCriteria.Steps[0].Expiry.ExpiryTimestamp.UTC(), "step 1 expiry")
	assert.Equal(t, int32(0), *info.RoutingCriteria.Index, "Index")
	for _, e := range h.rec.events {
		if e.Kind == routing.ContactRouted {
			assert.Equal(t, 2, e.JoinedStep, "JoinedStep of the route")
		}
	}
}

func TestCriteriaExhaustedGoesToAnyAgent(t *testing.T) {
	h := newHarness(t, critConfig())
	h.run(avail("a3"), withCriteria("c1", "q", criteria(t, frAtLeast4For30)), routes(),
		at(59), routes(), at(60), routes("c1>a3"))
	info := h.describe("c1")
	assert.Equal(t, routing.StepExpired, info.RoutingCriteria.Steps[1].Status, "step 2")
}

func TestCriteriaMatchingAgentTakesAtOnce(t *testing.T) {
	h := newHarness(t, critConfig())
	h.run(avail("a3", "a2"), withCriteria("c1", "q", criteria(t, frAtLeast4For30)), routes(),
		at(5), avail("a1"), routes("c1>a1"))
	assert.Equal(t, routing.StepJoined, h.describe("c1").RoutingCriteria.Steps[0].Status, "step 1")
}

func TestProficiencyChangeAppliesAtOnce(t *testing.T) {
	h := newHarness(t, critConfig())
	h.run(avail("a3"), withCriteria("c1", "q", criteria(t, frAtLeast4For30)), routes(),
		func(h *harness) {
			_, err := h.svc.AssociateUserProficiencies(h.ctx, &routing.AssociateUserProficienciesInput{InstanceId: h.id(),
				UserId: ptr("a3"), UserProficiencies: []routing.Proficiency{{AttributeName: "lang", AttributeValue: "fr", Level: 5}}})
			require.NoError(t, err)
		},
		routes("c1>a3"))
}
