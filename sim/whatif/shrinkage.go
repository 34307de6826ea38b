package whatif

import (
	"fmt"
	"math"
	"slices"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/theory"
)

// PoolGoal sets the workforce figures of one of the solver's pools (PoolInfo.Pool: a
// routing profile, or "profile/group" for a pool with proficiencies): the share of scheduled
// time its agents are unavailable, its highest occupancy, and what an agent-hour costs.
//
// Shrinkage turns the agents the solver finds (on duty, taking contacts) into the agents to
// schedule: Required = ⌈Agents / (1 - shrinkage)⌉, and a roster's scheduled agents s put
// ⌊s·(1 - shrinkage)⌋ on duty in the simulation. MaxOccupancy, when positive, is a target
// of the solver and of a roster: the pool's simulated occupancy (busy / staffed time) must
// not exceed it, and the Erlang staffings hold at least load / MaxOccupancy agents.
type PoolGoal struct {
	// Pool names the pool; required.
	Pool string `json:"pool"`
	// Shrinkage is the share of scheduled time lost (breaks not in the roster, meetings,
	// absence, training), in [0, 1); ShrinkageByInterval, when given, has one share per
	// interval of the cycle and replaces it.
	Shrinkage           float64   `json:"shrinkage,omitempty"`
	ShrinkageByInterval []float64 `json:"shrinkageByInterval,omitempty"`
	// MaxOccupancy, when positive, is the highest share of staffed time the pool's agents
	// may be busy, in (0, 1].
	MaxOccupancy float64 `json:"maxOccupancy,omitempty"`
	// CostPerHour is the cost of one scheduled agent-hour (any currency); 0 leaves costs out.
	// Shift templates without their own cost are priced from it.
	CostPerHour float64 `json:"costPerHour,omitempty"`
}

// validatePoolGoals checks w.Pools against the solver's pools; it runs once they are known.
func (p *plan) validatePoolGoals() error {
	w := p.spec
	if len(w.Pools) > 0 && w.Solve == nil {
		return whatIfErr("pools", "pool goals need the staffing solver; add \"solve\": {}")
	}
	p.goals = make([]*PoolGoal, len(p.pools))
	for i, g := range w.Pools {
		f := fmt.Sprintf("pools[%d]", i)
		k := slices.IndexFunc(p.pools, func(pl pool) bool { return pl.name == g.Pool })
		switch {
		case k < 0:
			var names []string
			for _, pl := range p.pools {
				names = append(names, pl.name)
			}
			return whatIfErr(f+".pool", "unknown pool %q; the solver's pools are %q", g.Pool, names)
		case p.goals[k] != nil:
			return whatIfErr(f+".pool", "pool %q is listed twice", g.Pool)
		case !(g.Shrinkage >= 0 && g.Shrinkage < 1):
			return whatIfErr(f+".shrinkage", "%v is not a share in [0, 1)", g.Shrinkage)
		case len(g.ShrinkageByInterval) > 0 && len(g.ShrinkageByInterval) != len(p.base.Intervals):
			return whatIfErr(f+".shrinkageByInterval", "%d values; want one per interval of the cycle, %d", len(g.ShrinkageByInterval), len(p.base.Intervals))
		case !(g.MaxOccupancy >= 0 && g.MaxOccupancy <= 1):
			return whatIfErr(f+".maxOccupancy", "%v is not a share in (0, 1]", g.MaxOccupancy)
		case !(g.CostPerHour >= 0) || math.IsInf(g.CostPerHour, 0):
			return whatIfErr(f+".costPerHour", "%v is not a cost >= 0", g.CostPerHour)
		}
		for j, s := range g.ShrinkageByInterval {
			if !(s >= 0 && s < 1) {
				return whatIfErr(fmt.Sprintf("%s.shrinkageByInterval[%d]", f, j), "%v (interval %s) is not a share in [0, 1)", s, p.base.Intervals[j])
			}
		}
		p.goals[k] = &w.Pools[i]
	}
	return nil
}

// shrinkage returns pool i's shrinkage in interval k of the cycle.
func (p *plan) shrinkage(i, k int) float64 {
	g := p.goals[i]
	switch {
	case g == nil:
		return 0
	case len(g.ShrinkageByInterval) > 0:
		return g.ShrinkageByInterval[k]
	}
	return g.Shrinkage
}

// maxOccupancy returns pool i's occupancy bound, 0 for none.
func (p *plan) maxOccupancy(i int) float64 {
	if p.goals[i] == nil {
		return 0
	}
	return p.goals[i].MaxOccupancy
}

// costPerHour returns pool i's cost of an agent-hour, 0 when not given.
func (p *plan) costPerHour(i int) float64 {
	if p.goals[i] == nil {
		return 0
	}
	return p.goals[i].CostPerHour
}

// withShrinkage returns the agents to schedule so that agents remain after shrinkage s:
// ⌈agents / (1 - s)⌉, computed so that ⌊result·(1 - s)⌋ >= agents.
func withShrinkage(agents int, s float64) int {
	if s == 0 || agents == 0 {
		return agents
	}
	n := int(math.Ceil(float64(agents)/(1-s) - 1e-9))
	for afterShrinkage(n, s) < agents {
		n++
	}
	return n
}

// afterShrinkage returns the agents on duty out of n scheduled under shrinkage s:
// ⌊n·(1 - s)⌋, with a tolerance for rounding.
func afterShrinkage(n int, s float64) int {
	if s == 0 {
		return n
	}
	return int(math.Floor(float64(n)*(1-s) + 1e-9))
}

// poolTargets checks each pool's occupancy bound against the groups of a run whose agent
// groups are the pools, named after them.
func (p *plan) poolTargets(groups []sim.Group[sim.Estimate]) []TargetResult {
	var out []TargetResult
	for i, pl := range p.pools {
		mo := p.maxOccupancy(i)
		if mo == 0 {
			continue
		}
		v := sim.Estimate{Mean: math.NaN(), StdDev: math.NaN(), HalfWidth: math.NaN()}
		for _, g := range groups {
			if g.Key == pl.name {
				v = g.Occupancy
			}
		}
		r := TargetResult{Target: "pool " + pl.name, Metric: "occupancy", Op: "<=", Bound: mo, Value: v}
		r.Met = math.IsNaN(v.Mean) || r.margin() >= 0
		out = append(out, r)
	}
	return out
}

// patienceRate returns the rate-weighted abandonment rate θ (1/mean patience) of the
// streams pool i carries in interval k, 0 when none abandons. Erlang A assumes exponential
// patience; for another law it takes the one with the same mean.
func (p *plan) patienceRate(i, k int) float64 {
	var rate, sum float64
	for s, a := range p.spec.Scenario.Arrivals {
		r := p.streamRate(s, k) * p.shares[i][s]
		if r == 0 {
			continue
		}
		rate += r
		if a.Patience != nil {
			if m := a.Patience.MeanSeconds(); m > 0 && !math.IsInf(m, 0) {
				sum += r / m
			}
		}
	}
	if rate == 0 {
		return 0
	}
	return sum / rate
}

// poolAbandonBound returns the strictest abandonment goal for pool i: those of its primary
// queues, or else those of all contacts; 1 when none.
func (p *plan) poolAbandonBound(i int) float64 {
	own, all := 1.0, 1.0
	for _, g := range p.spec.Targets {
		switch {
		case g.MaxAbandon == nil || g.Class != "":
		case g.Queue == "":
			all = min(all, *g.MaxAbandon)
		case slices.Contains(p.pools[i].queues, slices.Index(p.base.Queues, g.Queue)):
			own = min(own, *g.MaxAbandon)
		}
	}
	if own < 1 {
		return own
	}
	return all
}

// erlangA returns pool i's Erlang A staffing in interval k for arrival rate lambda and
// service rate mu (per second), its goals as poolGoals and poolAbandonBound give them; c,
// its Erlang C staffing, when its callers never abandon.
func (p *plan) erlangA(i, k int, lambda, mu float64, c int) (int, error) {
	theta := p.patienceRate(i, k)
	if theta == 0 {
		return c, nil
	}
	maxAb := p.poolAbandonBound(i)
	goals := p.poolGoals(i)
	if len(goals) == 0 && maxAb == 1 {
		return c, nil
	}
	n := 1
	if len(goals) == 0 {
		goals = []Target{{}}
	}
	for _, g := range goals {
		sl := min(g.ServiceLevel, 1-1e-9)
		a, err := theory.StaffErlangA(lambda, mu, theta, g.Within.Seconds(), sl, maxAb)
		if err != nil {
			return 0, fmt.Errorf("whatif: Erlang A staffing of pool %s at %s: %w", p.pools[i].name, p.base.Intervals[k], err)
		}
		n = max(n, a)
	}
	return n, nil
}
