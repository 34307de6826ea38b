package whatif_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/theory"
	"github.com/routesim/routesim/sim/whatif"
)

// skillWhatIf is one queue on one routing profile with two groups, "experts" (Skill=A) and
// "others" (Skill=B), and two classes: "a", routed by a never-expiring step to Skill=A,
// and "b", to agents without it.
func skillWhatIf(t *testing.T, perHourA, perHourB float64) *whatif.WhatIf {
	var critA, critB routing.RoutingCriteriaInput
	require.NoError(t, json.Unmarshal([]byte(`{"Steps":[{"Expression":{"AttributeCondition":{"Name":"Skill","Value":"A","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`), &critA))
	require.NoError(t, json.Unmarshal([]byte(`{"Steps":[{"Expression":{"NotAttributeCondition":{"Name":"Skill","Value":"A","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`), &critB))
	handle := sim.Exp(dur(5 * time.Minute))
	return &whatif.WhatIf{
		Scenario: &sim.Scenario{
			Horizon: dur(2 * time.Hour), Interval: dur(2 * time.Hour), Cycle: dur(2 * time.Hour),
			Queues:          []routing.QueueConfig{{ID: "q"}},
			RoutingProfiles: []routing.ProfileConfig{{ID: "p", Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
			AgentGroups: []sim.AgentGroup{
				{ID: "experts", Count: 4, RoutingProfileID: "p", Proficiencies: []routing.Proficiency{{AttributeName: "Skill", AttributeValue: "A", Level: 3}}},
				{ID: "others", Count: 6, RoutingProfileID: "p", Proficiencies: []routing.Proficiency{{AttributeName: "Skill", AttributeValue: "B", Level: 2}}},
			},
			Classes: []sim.Class{{ID: "a", RoutingCriteria: &critA}, {ID: "b", RoutingCriteria: &critB}},
			Arrivals: []sim.Arrivals{
				{Queue: "q", RatePerHour: perHourA, Class: "a", HandleTime: handle},
				{Queue: "q", RatePerHour: perHourB, Class: "b", HandleTime: handle},
			},
		},
		Reps: 6,
	}
}

// TestWhatIfPatchesCriteria: variants patch an agent group's proficiencies and a class's
// routing criteria, and the figures follow: experts' proficiency in B lets them take b's
// contacts too; an expiring step lets a's contacts go to the others.
func TestWhatIfPatchesCriteria(t *testing.T) {
	w := skillWhatIf(t, 40, 60)
	w.Sweep.Variants = []whatif.Variant{
		{Name: "base"},
		{Name: "no-pools", Patch: json.RawMessage(`{"classes":{"a":{"routingCriteria":null},"b":{"routingCriteria":null}}}`)},
		{Name: "a-expires-10s", Patch: json.RawMessage(`{"classes":{"a":{"routingCriteria":{"Steps":[{"Expression":{"AttributeCondition":{"Name":"Skill","Value":"A","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}},"Expiry":{"DurationInSeconds":10}}]}}}}`)},
		{Name: "others-learn-A", Patch: json.RawMessage(`{"agentGroups":{"others":{"proficiencies":[{"AttributeName":"Skill","AttributeValue":"A","Level":1}]}}}`)},
	}
	res := runWhatIf(t, w, whatif.Options{})
	require.Len(t, res.Points, 4)
	base, none, expires, learn := res.Points[0], res.Points[1], res.Points[2], res.Points[3]
	require.Len(t, base.Steps, 2, "base: step figures of classes a and b")
	assert.Equal(t, 1.0, base.Steps[0].Joined[0].Mean, "base: class a joined at step 1")
	assert.Empty(t, none.Steps, "no-pools: no class has criteria")
	assert.Greater(t, expires.Steps[0].AfterExpiry.Mean, 0.0, "a-expires-10s: class a joined after expiry")
	assert.Less(t, expires.Classes[0].WaitMean.Mean, base.Classes[0].WaitMean.Mean, "a-expires-10s: class a waits less than in base")
	// others-learn-A: the others hold A, so they match a's step and no longer b's (Not A).
	assert.Zero(t, learn.Classes[1].Handled.Mean, "others-learn-A: class b handled; want none (no agent lacks Skill=A)")
	assert.Less(t, learn.Classes[0].WaitMean.Mean, base.Classes[0].WaitMean.Mean, "others-learn-A: class a waits less")
}

// TestSolverStaffsProficiencyPools: groups of one routing profile with different
// proficiencies are pools of their own, and the solver staffs each for its class: two
// disjoint skill pools, so each pool's staffing is Erlang C's for its class (theory.StaffErlangC)
// within one agent.
func TestSolverStaffsProficiencyPools(t *testing.T) {
	const perHourA, perHourB, handle = 60.0, 120.0, 300.0
	w := skillWhatIf(t, perHourA, perHourB)
	w.Reps = 10
	w.Targets = []whatif.Target{{Class: "a", ServiceLevel: 0.8}, {Class: "b", ServiceLevel: 0.8}}
	w.Solve = &whatif.Solve{Horizon: dur(6 * time.Hour), Warmup: dur(time.Hour)}
	res := runWhatIf(t, w, whatif.Options{})
	require.Len(t, res.Pools, 2)
	assert.Equal(t, "p/experts", res.Pools[0].Pool)
	assert.Equal(t, "p/others", res.Pools[1].Pool)
	require.Len(t, res.Staffing, 1)
	st := res.Staffing[0]
	assert.True(t, st.Met, "targets met")
	for i, perHour := range []float64{perHourA, perHourB} {
		want, err := theory.StaffErlangC(perHour/3600, 1/handle, 20, 0.8)
		require.NoError(t, err)
		got := st.Pools[i].Agents
		t.Logf("pool %s: solver %d agents, Erlang C %d (%d staffings simulated)", st.Pools[i].Pool, got, want, st.Evaluations)
		assert.LessOrEqual(t, abs(got-want), 1, "pool %s: %d agents; want Erlang C's %d within one", st.Pools[i].Pool, got, want)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
