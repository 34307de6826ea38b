package whatif_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/whatif"
)

// rosterWhatIf is an 8-hour cycle of 30-minute intervals, two pools (pa serves queue a and
// helps b after 30 s; pb serves b), a rising then falling demand, and shift templates of 4
// hours with a 30-minute break and 2 hours without, per pool. 3 replications.
func rosterWhatIf() *whatif.WhatIf {
	patience := sim.Exp(dur(4 * time.Minute))
	ab := 0.08
	h := func(x float64) sim.Duration { return dur(time.Duration(x * float64(time.Hour))) }
	rates := []float64{20, 30, 40, 60, 80, 90, 90, 80, 60, 50, 50, 60, 50, 40, 30, 20}
	tpl := func(name, pool string, length float64, breaks ...whatif.Break) whatif.ShiftTemplate {
		return whatif.ShiftTemplate{Name: name, Pool: pool, EarliestStart: 0, LatestStart: h(8 - length), Length: h(length), Breaks: breaks}
	}
	lunch := whatif.Break{Length: h(0.5), After: h(1), Before: h(3)}
	return &whatif.WhatIf{
		Name: "roster",
		Scenario: &sim.Scenario{
			Horizon: h(8), Interval: h(0.5), Cycle: h(8),
			Queues: []routing.QueueConfig{{ID: "a"}, {ID: "b"}},
			RoutingProfiles: []routing.ProfileConfig{
				{ID: "pa", Queues: []routing.ProfileQueueConfig{
					{QueueID: "a", Channel: contact.Voice, Priority: 1},
					{QueueID: "b", Channel: contact.Voice, Priority: 2, DelaySeconds: 30}}},
				{ID: "pb", Queues: []routing.ProfileQueueConfig{{QueueID: "b", Channel: contact.Voice, Priority: 1}}},
			},
			AgentGroups: []sim.AgentGroup{{ID: "ga", Count: 5, RoutingProfileID: "pa"}, {ID: "gb", Count: 5, RoutingProfileID: "pb"}},
			Arrivals: []sim.Arrivals{
				{Queue: "a", RatesPerHour: rates, HandleTime: sim.Exp(dur(4 * time.Minute)), Patience: &patience},
				{Queue: "b", RatesPerHour: rates, HandleTime: sim.Exp(dur(5 * time.Minute)), Patience: &patience},
			},
		},
		Reps: 3,
		Targets: []whatif.Target{
			{Queue: "a", ServiceLevel: 0.7, MaxAbandon: &ab},
			{Queue: "b", ServiceLevel: 0.7, MaxAbandon: &ab},
		},
		Solve: &whatif.Solve{Horizon: h(1), Warmup: h(0.25)},
		Pools: []whatif.PoolGoal{{Pool: "pa", Shrinkage: 0.2, CostPerHour: 30}, {Pool: "pb", CostPerHour: 20}},
		Roster: &whatif.Roster{Templates: []whatif.ShiftTemplate{
			tpl("a-long", "pa", 4, lunch), tpl("a-short", "pa", 2),
			tpl("b-long", "pb", 4, lunch), tpl("b-short", "pb", 2),
		}},
	}
}

// checkCovers requires every interval's two-step coverage to meet its requirement: the
// integer step's feasibility.
func checkCovers(t *testing.T, r *whatif.RosterResult) {
	t.Helper()
	for _, iv := range r.Intervals {
		for _, c := range iv.Pools {
			assert.GreaterOrEqual(t, c.TwoStep, c.Required, "interval %s pool %s: two-step coverage", iv.Interval, c.Pool)
		}
	}
}

func TestRoster(t *testing.T) {
	res := runWhatIf(t, rosterWhatIf(), whatif.Options{Workers: 2})
	r := res.Roster
	require.NotNil(t, r)
	checkCovers(t, r)
	assert.Greater(t, r.LPBound, 0.0)
	assert.GreaterOrEqual(t, r.TwoStep.Cost, r.LPBound-1e-9, "the LP is a lower bound")
	assert.InDelta(t, (r.TwoStep.Cost-r.LPBound)/r.LPBound, r.Gap, 1e-12)
	assert.True(t, r.Final.Met, "final roster meets the targets: %+v", r.Iterations)
	assert.Len(t, r.Intervals, 16)
	// The two-step roster's shifts cost what the summary says.
	cost := 0.0
	for _, s := range r.TwoStepShifts {
		cost += s.Cost
	}
	assert.InDelta(t, r.TwoStep.Cost, cost, 1e-9)
	// Shrinkage: pa's on-duty agents are ⌊covering × 0.8⌋.
	for _, iv := range r.Intervals {
		c := iv.Pools[0]
		assert.Equal(t, int(float64(c.Covering)*0.8+1e-9), c.OnDuty, "interval %s", iv.Interval)
	}
	var b bytes.Buffer
	require.NoError(t, res.WriteTable(&b))
	for _, s := range []string{"Roster", "LP bound", "two-step", "final"} {
		assert.Contains(t, b.String(), s)
	}
	t.Logf("%s", b.String())
}

// TestRosterRepairMeetsTargets: the solver capped at 2 agents a pool under-staffs, so the
// two-step roster misses targets, and repair adds shifts until every target holds.
func TestRosterRepairMeetsTargets(t *testing.T) {
	w := rosterWhatIf()
	w.Solve.MaxAgents = 2
	w.Roster.MaxIterations = 30
	res := runWhatIf(t, w, whatif.Options{})
	r := res.Roster
	assert.False(t, r.TwoStep.Met, "the capped two-step roster misses targets")
	assert.True(t, r.Final.Met, "repair meets them: %+v", r.Iterations)
	assert.Greater(t, r.Final.Cost, r.TwoStep.Cost)
	for _, iv := range r.Intervals {
		assert.True(t, iv.Met, "interval %s: %v", iv.Interval, iv.Targets)
	}
}

// TestRosterDeterministic: the roster does not depend on the workers, and the merge of
// shards completed with CompleteRoster equals the unsharded run byte for byte.
func TestRosterDeterministic(t *testing.T) {
	w := rosterWhatIf()
	one := encode(t, runWhatIf(t, w, whatif.Options{Workers: 1}))
	three := encode(t, runWhatIf(t, w, whatif.Options{Workers: 3}))
	assert.Equal(t, string(one["json"]), string(three["json"]), "workers 1 and 3")
	parts := shards(t, w, 2, whatif.Options{})
	for _, p := range parts {
		assert.Nil(t, p.Roster, "a shard builds no roster")
	}
	merged, err := whatif.Merge(parts, nil)
	require.NoError(t, err)
	require.NoError(t, whatif.CompleteRoster(context.Background(), merged, whatif.Options{}))
	assert.Equal(t, string(one["json"]), string(encode(t, merged)["json"]), "merged and completed")
}

func TestRosterErrors(t *testing.T) {
	h := func(x float64) sim.Duration { return dur(time.Duration(x * float64(time.Hour))) }
	for _, tc := range []struct {
		name string
		edit func(w *whatif.WhatIf)
		err  string
	}{
		{"longer than the cycle", func(w *whatif.WhatIf) { w.Roster.Templates[0].Length = h(9) },
			"roster.templates[0] (a-long).length: 9h0m0s is longer than the cycle, 8h0m0s"},
		{"break outside", func(w *whatif.WhatIf) { w.Roster.Templates[0].Breaks[0].Before = h(5) },
			"roster.templates[0] (a-long).breaks[0]: window 1h0m0s..5h0m0s is outside the shift, 0..4h0m0s (interval 05:00"},
		{"break too long", func(w *whatif.WhatIf) { w.Roster.Templates[0].Breaks[0].Length = h(3) }, "does not fit its window"},
		{"uncovered interval", func(w *whatif.WhatIf) {
			w.Roster.Templates = w.Roster.Templates[:3] // no b-short
			w.Roster.Templates[2].LatestStart = h(2)    // b-long ends by 06:00
		}, `no template of pool "pb" covers interval 06:00`},
		{"unknown pool", func(w *whatif.WhatIf) { w.Roster.Templates[1].Pool = "pc" }, `roster.templates[1] (a-short).pool: unknown pool "pc"`},
		{"days without a week", func(w *whatif.WhatIf) { w.Roster.Templates[1].Days = []string{"Mon"} }, "days of the week need a weekly cycle"},
		{"start not whole", func(w *whatif.WhatIf) { w.Roster.Templates[1].EarliestStart = dur(10 * time.Minute) }, "not whole"},
		{"min over max", func(w *whatif.WhatIf) { w.Roster.Templates[1].Min, w.Roster.Templates[1].Max = 3, 2 }, "min 3 and max 2"},
		{"duplicate", func(w *whatif.WhatIf) { w.Roster.Templates[1].Name = "a-long" }, `duplicate template "a-long"`},
		{"no solver", func(w *whatif.WhatIf) { w.Solve, w.Pools = nil, nil }, "roster: a roster needs the staffing solver"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := rosterWhatIf()
			tc.edit(w)
			_, err := whatif.Run(context.Background(), w, whatif.Options{})
			require.Error(t, err)
			assert.True(t, errors.Is(err, whatif.ErrInvalid) && strings.Contains(err.Error(), tc.err), "Run: %v; want an ErrInvalid saying %q", err, tc.err)
		})
	}
}

// TestRosterIntegerFeasible: with only shifts that have a staggered break, the LP's solution
// is fractional, so the integer step must add shifts in both pools; the two-step roster
// covers every requirement, honours a template's minimum and maximum, and costs at least the
// LP bound up to the staggering of breaks (see Roster).
func TestRosterIntegerFeasible(t *testing.T) {
	w := rosterWhatIf()
	w.Roster.Templates = []whatif.ShiftTemplate{w.Roster.Templates[0], w.Roster.Templates[2]}
	w.Roster.Templates[1].Min = 30
	w.Roster.Templates[0].Max = 40
	w.Roster.MaxIterations = 1
	res := runWhatIf(t, w, whatif.Options{})
	r := res.Roster
	checkCovers(t, r)
	per := map[string]int{}
	for _, s := range r.TwoStepShifts {
		per[s.Template] += s.Agents
	}
	assert.GreaterOrEqual(t, per["b-long"], 30, "b-long's minimum")
	assert.LessOrEqual(t, per["a-long"], 40, "a-long's maximum")
	assert.Len(t, r.Iterations, 1, "one simulation: the two-step roster")
	assert.GreaterOrEqual(t, r.TwoStep.Cost, 0.98*r.LPBound)
	t.Logf("LP %.1f, integer %.1f, gap %.2f%%", r.LPBound, r.TwoStep.Cost, 100*r.Gap)
}
