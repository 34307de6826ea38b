package whatif_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
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

// mmcPlusM is one queue and one pool, 240 calls an hour of 5 minutes, with impatient callers
// (mean patience 3 minutes): an Erlang A queue.
func mmcPlusM() *whatif.WhatIf {
	patience := sim.Exp(dur(3 * time.Minute))
	ab := 0.05
	return &whatif.WhatIf{
		Scenario: &sim.Scenario{
			Horizon: dur(time.Hour), Interval: dur(time.Hour), Cycle: dur(time.Hour),
			Queues:          []routing.QueueConfig{{ID: "q"}},
			RoutingProfiles: []routing.ProfileConfig{{ID: "p", Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
			AgentGroups:     []sim.AgentGroup{{ID: "agents", Count: 1, RoutingProfileID: "p"}},
			Arrivals:        []sim.Arrivals{{Queue: "q", RatePerHour: 240, HandleTime: sim.Exp(dur(5 * time.Minute)), Patience: &patience}},
		},
		Reps:    5,
		Targets: []whatif.Target{{Queue: "q", ServiceLevel: 0.8, MaxAbandon: &ab}},
		Solve:   &whatif.Solve{Horizon: dur(2 * time.Hour), Warmup: dur(30 * time.Minute)},
	}
}

// TestSolverErlangA: the reported Erlang A staffing is theory.StaffErlangA's for the pool's
// load and patience, and the table says which closed form the simulation agrees with.
func TestSolverErlangA(t *testing.T) {
	res := runWhatIf(t, mmcPlusM(), whatif.Options{})
	p := res.Staffing[0].Pools[0]
	want, err := theory.StaffErlangA(240.0/3600, 1.0/300, 1.0/180, 20, 0.8, 0.05)
	require.NoError(t, err)
	assert.Equal(t, want, p.ErlangA, "Erlang A staffing")
	assert.LessOrEqual(t, p.ErlangA, p.ErlangC, "impatient callers need no more agents than Erlang C says")
	t.Logf("sim %d, Erlang A %d, Erlang C %d", p.Agents, p.ErlangA, p.ErlangC)
	// With exponential patience the simulated queue is an Erlang A queue: within one agent.
	assert.InDelta(t, p.ErlangA, p.Agents, 1, "sim against Erlang A")
	var b bytes.Buffer
	require.NoError(t, res.WriteTable(&b))
	assert.Contains(t, b.String(), "the simulation agrees best with Erlang A", "table:\n%s", b.String())
	assert.Contains(t, b.String(), "ErlangA")
}

// TestSolverPoolGoals: shrinkage raises the agents to schedule to ⌈agents / (1 - s)⌉, cost is
// priced per agent-hour, and a maximum occupancy is a target the staffing meets.
func TestSolverPoolGoals(t *testing.T) {
	w := mmcPlusM()
	w.Pools = []whatif.PoolGoal{{Pool: "p", Shrinkage: 0.3, MaxOccupancy: 0.7, CostPerHour: 20}}
	res := runWhatIf(t, w, whatif.Options{})
	st := res.Staffing[0]
	p := st.Pools[0]
	assert.Equal(t, 0.3, p.Shrinkage)
	assert.Equal(t, int(math.Ceil(float64(p.Agents)/0.7-1e-9)), p.Required, "required after 30%% shrinkage for %d agents", p.Agents)
	assert.InDelta(t, float64(p.Required)*20, p.Cost, 1e-9, "cost of an hour")
	// 20 Erlangs at 70% occupancy at most: at least 29 agents, in both closed forms too.
	assert.GreaterOrEqual(t, p.Agents, 29, "agents")
	assert.GreaterOrEqual(t, p.ErlangA, 29, "Erlang A")
	assert.GreaterOrEqual(t, p.ErlangC, 29, "Erlang C")
	var occ *whatif.TargetResult
	for i := range st.Targets {
		if st.Targets[i].Metric == "occupancy" {
			occ = &st.Targets[i]
		}
	}
	require.NotNil(t, occ, "an occupancy target in %v", st.Targets)
	assert.Equal(t, "pool p", occ.Target)
	assert.True(t, occ.Met && occ.Value.Mean <= 0.7, "occupancy %v <= 70%%", occ.Value.Mean)
	var b bytes.Buffer
	require.NoError(t, res.WriteTable(&b))
	assert.Contains(t, b.String(), "after shrinkage:", "table:\n%s", b.String())
}

func TestPoolGoalErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(w *whatif.WhatIf)
		err  string
	}{
		{"unknown pool", func(w *whatif.WhatIf) { w.Pools = []whatif.PoolGoal{{Pool: "nope"}} }, `pools[0].pool: unknown pool "nope"`},
		{"twice", func(w *whatif.WhatIf) { w.Pools = []whatif.PoolGoal{{Pool: "pa"}, {Pool: "pa"}} }, `pools[1].pool: pool "pa" is listed twice`},
		{"shrinkage 1", func(w *whatif.WhatIf) { w.Pools = []whatif.PoolGoal{{Pool: "pa", Shrinkage: 1}} }, "pools[0].shrinkage: 1 is not a share"},
		{"short list", func(w *whatif.WhatIf) { w.Pools = []whatif.PoolGoal{{Pool: "pa", ShrinkageByInterval: []float64{0.1}}} }, "pools[0].shrinkageByInterval: 1 values; want one per interval of the cycle, 2"},
		{"bad interval", func(w *whatif.WhatIf) {
			w.Pools = []whatif.PoolGoal{{Pool: "pa", ShrinkageByInterval: []float64{0.1, -1}}}
		}, "pools[0].shrinkageByInterval[1]: -1 (interval 01:00)"},
		{"occupancy", func(w *whatif.WhatIf) { w.Pools = []whatif.PoolGoal{{Pool: "pa", MaxOccupancy: 1.5}} }, "pools[0].maxOccupancy"},
		{"cost", func(w *whatif.WhatIf) { w.Pools = []whatif.PoolGoal{{Pool: "pa", CostPerHour: -1}} }, "pools[0].costPerHour"},
		{"no solver", func(w *whatif.WhatIf) { w.Solve = nil; w.Pools = []whatif.PoolGoal{{Pool: "pa"}} }, "pools: pool goals need the staffing solver"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tinyWhatIf()
			tc.edit(w)
			_, err := whatif.Run(context.Background(), w, whatif.Options{})
			require.Error(t, err)
			assert.True(t, errors.Is(err, whatif.ErrInvalid) && strings.Contains(err.Error(), tc.err), "Run: %v; want an ErrInvalid saying %q", err, tc.err)
		})
	}
}
