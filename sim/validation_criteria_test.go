package sim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/simtest"
	"github.com/routesim/routesim/sim/theory"
)

// Validation of proficiency routing against Erlang C (theory.ErlangC, ErlangCMeanWait and
// ErlangCServiceLevel: Erlang 1917, the formulas of DESIGN.md's oracles), as
// TestValidationErlangC does, fixed seeds, 99% intervals.

// TestValidationCriteriaErlangC: one class whose single never-expiring step matches exactly
// k of the c agents of its queue; those k serve only it (the others match nothing of it and
// stay idle). Routing criteria then make an M/M/k queue: Erlang C with k agents.
func TestValidationCriteriaErlangC(t *testing.T) {
	simtest.SkipLong(t)
	const k, others, mu, rho = 5, 3, 1.0 / 300, 0.8
	lambda := rho * k * mu
	sc := skillCentre(k, others, hoursFor(6e6, lambda, 20), lambda, mu)
	sc.Replications, sc.Seed = 20, 20240502
	sc.Classes = []sim.Class{{ID: "skilled", RoutingCriteria: criteria(t, skillStep("A", -1))}}
	res := run(t, sc)
	w, err := theory.ErlangCMeanWait(k, lambda, mu)
	require.NoError(t, err)
	sl, err := theory.ErlangCServiceLevel(k, lambda, mu, 20)
	require.NoError(t, err)
	meets(t, "P(wait)", res.Overall.PWait, theory.ErlangC(k, lambda/mu))
	meets(t, "mean wait (s)", res.Overall.WaitMean, w)
	meets(t, "P(W <= 20 s)", res.Overall.ServiceLevel[0], sl)
	meets(t, "occupancy of the k", res.Groups[0].Occupancy, rho)
	assert.Zero(t, res.Groups[1].Handled.Mean, "contacts the non-matching agents took")
	assert.Equal(t, 1.0, res.Steps[0].Joined[0].Mean, "share joined at step 1")
}

// TestValidationCriteriaTwoPools: two classes in one queue, one routed by a never-expiring
// step to the agents with Skill=A, the other by one to the agents without it
// (NotAttributeCondition): two disjoint pools, so two independent Erlang C systems at their
// own loads, though they share the queue.
func TestValidationCriteriaTwoPools(t *testing.T) {
	simtest.SkipLong(t)
	const ka, kb, mu = 5, 8, 1.0 / 300
	const rhoA, rhoB = 0.8, 0.85
	la, lb := rhoA*ka*mu, rhoB*kb*mu
	sc := skillCentre(ka, kb, hoursFor(12e6, la+lb, 20), la+lb, mu)
	sc.Replications, sc.Seed = 20, 20240503
	sc.Arrivals[0].Class = ""
	sc.Arrivals[0].Classes = []sim.ClassWeight{{Class: "a", Weight: la}, {Class: "b", Weight: lb}}
	sc.Classes = []sim.Class{
		{ID: "a", RoutingCriteria: criteria(t, skillStep("A", -1))},
		{ID: "b", RoutingCriteria: criteria(t, `{"Steps":[{"Expression":{"NotAttributeCondition":{"Name":"Skill","Value":"A","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`)},
	}
	res := run(t, sc)
	for i, p := range []struct {
		k      int
		lambda float64
	}{{ka, la}, {kb, lb}} {
		c := res.Classes[i]
		w, err := theory.ErlangCMeanWait(p.k, p.lambda, mu)
		require.NoError(t, err)
		meets(t, "P(wait), class "+c.Key, c.PWait, theory.ErlangC(p.k, p.lambda/mu))
		meets(t, "mean wait (s), class "+c.Key, c.WaitMean, w)
	}
}
