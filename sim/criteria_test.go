package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// criteria decodes routing criteria in the API's JSON.
func criteria(t testing.TB, js string) *routing.RoutingCriteriaInput {
	t.Helper()
	rc := new(routing.RoutingCriteriaInput)
	require.NoError(t, json.Unmarshal([]byte(js), rc), "criteria %s", js)
	return rc
}

// skillStep is a criteria JSON of one step: Skill=value at level >= 1, expiring after
// expiry seconds (negative: never).
func skillStep(value string, expiry int) string {
	exp := ""
	if expiry >= 0 {
		exp = `,"Expiry":{"DurationInSeconds":` + ftoa(float64(expiry)) + `}`
	}
	return `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"Skill","Value":"` + value +
		`","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}}` + exp + `}]}`
}

// TestCriteriaScenario runs testdata/criteria.json: every event checked by the routing
// core's Verify and every join's step against DescribeContact; the same figures on 1 and 4
// workers; step shares that sum to 1, with joins at step 2 and after expiry for the class
// whose steps expire.
func TestCriteriaScenario(t *testing.T) {
	sc := load(t, "testdata/criteria.json")
	sc.Horizon = sim.Duration(4 * time.Hour)
	steps := map[string]map[int]int{}
	rep, _, err := sim.RunVerified(sc, sc.Seed, 0, sim.Hooks{OnContact: func(r sim.ContactRecord) {
		if r.Routed >= 0 && !r.Warmup {
			if steps[r.Class] == nil {
				steps[r.Class] = map[int]int{}
			}
			steps[r.Class][r.Step]++
		}
	}})
	require.NoError(t, err, "verified replication")
	for _, cs := range rep.Steps {
		n := 0
		for _, k := range steps[cs.Key] {
			n += k
		}
		for i, share := range cs.Joined {
			assert.InDelta(t, share, float64(steps[cs.Key][i+1])/float64(n), 1e-12, "class %s step %d: records and figures", cs.Key, i+1)
		}
		assert.InDelta(t, cs.AfterExpiry, float64(steps[cs.Key][len(cs.Joined)+1])/float64(n), 1e-12, "class %s after expiry", cs.Key)
	}
	assert.NotEmpty(t, steps["english"], "english contacts routed")
	assert.Len(t, steps["english"], 1, "english: no criteria, Step 0 only")

	var first string
	for _, w := range []int{1, 4} {
		res, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 4, Workers: w})
		require.NoError(t, err)
		fp := fingerprint(t, res)
		if first == "" {
			first = fp
			require.Len(t, res.Steps, 2, "classes with criteria: french, billing")
			for _, s := range res.Reps[0].Steps {
				sum := s.AfterExpiry + s.NoCriteria
				for _, j := range s.Joined {
					sum += j
				}
				assert.InDelta(t, 1, sum, 1e-12, "class %s: step shares sum to %v; want 1", s.Key, sum)
			}
			fr := res.Steps[0]
			assert.Equal(t, "french", fr.Key)
			assert.Greater(t, fr.Joined[0].Mean, 0.0, "french: joins at step 1")
			assert.Greater(t, fr.Joined[1].Mean, 0.0, "french: joins at step 2")
			assert.Greater(t, fr.AfterExpiry.Mean, 0.0, "french: joins after both steps expired")
		} else {
			assert.Equal(t, first, fp, "%d workers differ from 1", w)
		}
	}
}

// skillCentre is one queue served by two groups of agents on the same profile: "experts"
// with Skill=A and "others" with Skill=B.
func skillCentre(experts, others int, hours float64, lambda, mu float64) *sim.Scenario {
	sc := mmc(experts+others, lambda, mu, hours, 4)
	sc.AgentGroups = []sim.AgentGroup{
		{ID: "experts", Count: experts, RoutingProfileID: "p", Proficiencies: []routing.Proficiency{{AttributeName: "Skill", AttributeValue: "A", Level: 3}}},
		{ID: "others", Count: others, RoutingProfileID: "p", Proficiencies: []routing.Proficiency{{AttributeName: "Skill", AttributeValue: "B", Level: 2}}},
	}
	sc.Arrivals[0].Class = "skilled"
	return sc
}

// TestCriteriaStepsRespond: the step figures and waits follow the criteria.
func TestCriteriaStepsRespond(t *testing.T) {
	const mu = 1.0 / 300
	for _, tc := range []struct {
		name     string
		crit     string
		check    func(t *testing.T, res *sim.Result)
		patience bool
	}{
		{"never-expiring step no agent matches", skillStep("C", -1), func(t *testing.T, res *sim.Result) {
			assert.Zero(t, res.Classes[0].Handled.Mean, "handled; want none")
			assert.True(t, math.IsNaN(res.Steps[0].Joined[0].Mean), "step 1 share %v; want NaN (nothing handled)", res.Steps[0].Joined[0].Mean)
			assert.Zero(t, res.Groups[0].Handled.Mean+res.Groups[1].Handled.Mean, "agents' handled")
		}, true},
		{"step expiring at 30 s no agent matches", skillStep("C", 30), func(t *testing.T, res *sim.Result) {
			assert.Equal(t, 1.0, res.Steps[0].AfterExpiry.Mean, "share joined after expiry")
			assert.GreaterOrEqual(t, res.Classes[0].WaitP50.Mean, 30.0*0.996, "median wait; want >= 30 s")
		}, false},
		{"step expiring at 30 s experts match", skillStep("A", 30), func(t *testing.T, res *sim.Result) {
			s := res.Steps[0]
			assert.Greater(t, s.Joined[0].Mean, 0.5, "share joined at step 1")
			assert.Greater(t, s.AfterExpiry.Mean, 0.0, "share joined after expiry")
			assert.Greater(t, res.Groups[1].Handled.Mean, 0.0, "others handle contacts after expiry")
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := skillCentre(2, 3, 3, 2*0.9*mu, mu) // the 2 experts alone at 90% load
			sc.Classes = []sim.Class{{ID: "skilled", RoutingCriteria: criteria(t, tc.crit)}}
			if tc.patience {
				p := sim.Exp(sim.Duration(2 * time.Minute))
				sc.Arrivals[0].Patience = &p
			}
			_, _, err := sim.RunVerified(sc, 1, 0, sim.Hooks{})
			require.NoError(t, err, "verified replication")
			res, err := sim.Run(context.Background(), sc, sim.RunOptions{})
			require.NoError(t, err)
			require.Len(t, res.Steps, 1)
			tc.check(t, res)
		})
	}
}

// TestCriteriaZeroExpiryIsNone: criteria whose every step expires at 0 s route as no
// criteria (routing's package doc: such a step expires at once, before any offer), so the
// example scenario gives the same figures bit for bit with them as without.
func TestCriteriaZeroExpiryIsNone(t *testing.T) {
	sc := load(t, "testdata/example.json")
	sc.Horizon = sim.Duration(12 * time.Hour)
	opts := sim.RunOptions{Reps: 3, Workers: 2}
	plain, err := sim.Run(context.Background(), sc, opts)
	require.NoError(t, err)

	withCrit := *sc
	withCrit.AgentGroups = append([]sim.AgentGroup(nil), sc.AgentGroups...)
	withCrit.AgentGroups[0].Proficiencies = []routing.Proficiency{{AttributeName: "Skill", AttributeValue: "A", Level: 5}}
	withCrit.Classes = append(append([]sim.Class(nil), sc.Classes...), sim.Class{ID: sim.DefaultClass})
	zero := `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"Skill","Value":"A","ProficiencyLevel":5,"ComparisonOperator":"NumberGreaterOrEqualTo"}},"Expiry":{"DurationInSeconds":0}},` +
		`{"Expression":{"NotAttributeCondition":{"Name":"Skill","Value":"A","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}},"Expiry":{"DurationInSeconds":0}}]}`
	for i := range withCrit.Classes {
		withCrit.Classes[i].RoutingCriteria = criteria(t, zero)
	}
	crit, err := sim.Run(context.Background(), &withCrit, opts)
	require.NoError(t, err)

	figures := func(r *sim.Result) string {
		b, err := json.Marshal([]any{r.Overall, r.Queues, r.Intervals, r.Groups, r.Contacts})
		require.NoError(t, err)
		return string(b)
	}
	assert.Equal(t, figures(plain), figures(crit), "figures with 0 s steps differ from those without criteria")
	for i, c := range plain.Classes {
		a, _ := json.Marshal(c)
		b, _ := json.Marshal(crit.Classes[i])
		assert.Equal(t, string(a), string(b), "class %s", c.Key)
	}
	for _, s := range crit.Steps {
		assert.Equal(t, 1.0, s.AfterExpiry.Mean, "class %s: share joined after expiry", s.Key)
	}
}

// TestCriteriaValidateNamesField: a bad proficiency, criteria or predefined attribute is a
// *ScenarioError naming its JSON path.
func TestCriteriaValidateNamesField(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, sc *sim.Scenario)
		want   string
	}{
		{"level", func(t *testing.T, sc *sim.Scenario) { sc.AgentGroups[1].Proficiencies[0].Level = 2.5 },
			"agentGroups[1].proficiencies[0].Level: 2.5 is not a whole level 1..5"},
		{"undeclared attribute", func(t *testing.T, sc *sim.Scenario) { sc.AgentGroups[0].Proficiencies[1].AttributeName = "Dialect" },
			"agentGroups[0].proficiencies[1].AttributeName: unknown predefined attribute \"Dialect\""},
		{"undeclared value", func(t *testing.T, sc *sim.Scenario) { sc.AgentGroups[0].Proficiencies[0].AttributeValue = "German" },
			"agentGroups[0].proficiencies[0].AttributeValue:"},
		{"duplicate proficiency", func(t *testing.T, sc *sim.Scenario) {
			sc.AgentGroups[0].Proficiencies[1].AttributeValue = "French"
		}, "agentGroups[0].proficiencies[1]: proficiency Language=French appears twice"},
		{"criteria operator", func(t *testing.T, sc *sim.Scenario) {
			sc.Classes[0].RoutingCriteria.Steps[0].Expression.AttributeCondition.ComparisonOperator = "NumberLessThan"
		}, "classes[0].routingCriteria.Steps[0].Expression.AttributeCondition.ComparisonOperator:"},
		{"criteria value", func(t *testing.T, sc *sim.Scenario) {
			sc.Classes[1].RoutingCriteria.Steps[0].Expression.AndExpression[1].AttributeCondition.Value = "Cars"
		}, "classes[1].routingCriteria.Steps[0].Expression.AndExpression[1].AttributeCondition.Value:"},
		{"criteria expiry", func(t *testing.T, sc *sim.Scenario) {
			*sc.Classes[0].RoutingCriteria.Steps[1].Expiry.DurationInSeconds = -1
		}, "classes[0].routingCriteria.Steps[1].Expiry.DurationInSeconds: -1 is negative"},
		{"rule criteria", func(t *testing.T, sc *sim.Scenario) {
			sc.Classes[1].Rules[0].SetRoutingCriteria.Steps = nil
		}, "classes[1].rules[0].setRoutingCriteria.Steps: must hold at least one step"},
		{"unknown agent", func(t *testing.T, sc *sim.Scenario) {
			sc.Classes[2].RoutingCriteria = criteria(t, `{"Steps":[{"Expression":{"AttributeCondition":{"MatchCriteria":{"AgentsCriteria":{"AgentIds":["english-1","english-9"]}}}}}]}`)
		}, "classes[2].routingCriteria.Steps[0].Expression.AttributeCondition.MatchCriteria.AgentsCriteria.AgentIds[1]: agent \"english-9\" not found"},
		{"empty rule", func(t *testing.T, sc *sim.Scenario) { sc.Classes[1].Rules[0] = sim.Rule{After: 1} },
			"classes[1].rules[0]: set setPriority, addAge, setRoutingCriteria, transferTo or callback"},
		{"declared name", func(t *testing.T, sc *sim.Scenario) { sc.PredefinedAttributes[1].Name = "aws:x" },
			"predefinedAttributes[1].name:"},
		{"implied name", func(t *testing.T, sc *sim.Scenario) {
			sc.PredefinedAttributes = nil
			sc.AgentGroups[1].Proficiencies[1].AttributeName = "connect:Product"
		}, "agentGroups[1].proficiencies[1].AttributeName: \"connect:Product\" starts with"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := load(t, "testdata/criteria.json")
			tc.break_(t, sc)
			err := sc.Validate()
			var se *sim.ScenarioError
			require.True(t, errors.As(err, &se), "error %v; want a *ScenarioError", err)
			assert.True(t, strings.HasPrefix(se.Field+": "+se.Reason, tc.want), "error %q; want it to start with %q", se.Field+": "+se.Reason, tc.want)
		})
	}
}

// TestCriteriaImplied: without predefinedAttributes the attributes are implied by use, and
// the scenario runs as with them declared.
func TestCriteriaImplied(t *testing.T) {
	sc := load(t, "testdata/criteria.json")
	sc.Horizon = sim.Duration(2 * time.Hour)
	declared, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 2})
	require.NoError(t, err)
	sc.PredefinedAttributes = nil
	implied, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 2})
	require.NoError(t, err)
	assert.Equal(t, fingerprint(t, declared), fingerprint(t, implied), "implied attributes route differently from declared ones")
}

// TestCriteriaDecodeStrict: a misspelt member inside routing criteria is refused.
func TestCriteriaDecodeStrict(t *testing.T) {
	_, err := sim.DecodeScenario(strings.NewReader(`{"classes":[{"id":"x","routingCriteria":{"Steps":[{"Expresion":{}}]}}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "Expresion"`)
}
