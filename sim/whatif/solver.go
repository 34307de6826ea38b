package whatif

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/theory"
)

// The staffing solver. For one interval of the cycle it builds a stationary scenario: the
// interval's arrival rates held constant, one agent group per pool (routing profile, and
// proficiencies when the groups carry some) on
// duty throughout, replications of Solve.Warmup + Solve.Horizon. It then searches agent
// counts with the simulator:
//
//  1. start from the Erlang C staffing of each pool (theory.StaffErlangC on the load of its
//     primary queues);
//  2. while some target is missed, add one agent to the pool whose extra agent leaves the
//     least shortfall (ties: the first pool);
//  3. while some pool can lose an agent with every target still met, remove one from the pool
//     whose removal leaves the most slack (ties: the first pool).
//
// The answer is minimal in the sense that removing any one agent misses a target; with one
// pool it is the fewest agents that meet the targets, as long as the figures fall with the
// agents (they do under common random numbers, up to noise at the boundary). Every staffing
// of one interval runs with the same seed, so they differ by their agents, not their draws.
// Runs are memoised, so no staffing is simulated twice.

// StaffingInterval is the solver's answer for one interval of the cycle.
type StaffingInterval struct {
	// Index is the task's index in the what-if; Key is "solve@" + Interval.
	Index    int    `json:"index"`
	Key      string `json:"key"`
	Interval string `json:"interval"`
	// Start is the interval's start in the cycle and Length its length.
	Start  sim.Duration `json:"start"`
	Length sim.Duration `json:"length"`
	Seed   uint64       `json:"seed"`
	// Pools holds each pool's staffing, in the order of PoolInfo.
	Pools []PoolStaffing `json:"pools"`
	// Met reports whether the staffing found meets every target; false only when some pool
	// reached Solve.MaxAgents first.
	Met bool `json:"met"`
	// Targets are the figures of the staffing found against each goal.
	Targets []TargetResult `json:"targets"`
	// Evaluations counts the staffings simulated.
	Evaluations int `json:"evaluations"`
}

// PoolStaffing is one pool's staffing in one interval.
type PoolStaffing struct {
	Pool string `json:"pool"`
	// RatePerHour and LoadErlangs are the arrival rate and offered load (rate × mean handle
	// time) of the pool's primary queues.
	RatePerHour float64 `json:"ratePerHour"`
	LoadErlangs float64 `json:"loadErlangs"`
	// ErlangC is the Erlang C staffing for that load and the pool's service-level targets;
	// ErlangA the Erlang A (M/M/c+M) staffing for the same load, the rate-weighted patience
	// of its callers and its service-level and abandonment targets (ErlangC when none
	// abandons); both hold at least load / maxOccupancy agents. Agents is the simulator's;
	// Scheduled is what the scenario's shifts put on duty at the interval's start.
	ErlangC   int `json:"erlangC"`
	ErlangA   int `json:"erlangA"`
	Agents    int `json:"agents"`
	Scheduled int `json:"scheduled"`
	// Shrinkage is the pool's shrinkage in the interval (PoolGoal); Required the agents to
	// schedule so that Agents remain, ⌈Agents / (1 - Shrinkage)⌉; Cost what Required agents
	// cost over the interval at the pool's CostPerHour (0 when not given).
	Shrinkage float64 `json:"shrinkage"`
	Required  int     `json:"required"`
	Cost      float64 `json:"cost"`
}

// streamRate returns arrival stream s's rate per hour in interval k of the cycle.
func (p *plan) streamRate(s, k int) float64 {
	a := &p.spec.Scenario.Arrivals[s]
	if len(a.RatesPerHour) > 0 {
		return a.RatesPerHour[k]
	}
	return a.RatePerHour
}

func (p *plan) intervalRate(k int) float64 {
	r := 0.0
	for s := range p.spec.Scenario.Arrivals {
		r += p.streamRate(s, k)
	}
	return r
}

// stationary returns the stationary scenario of interval k, with every pool empty.
func (p *plan) stationary(k int) *sim.Scenario {
	base := p.spec.Scenario
	s := p.spec.Solve
	h := s.Warmup + s.Horizon
	sc := &sim.Scenario{Name: base.Name + " @" + p.base.Intervals[k], Horizon: h, Warmup: s.Warmup,
		Interval: h, Cycle: h, Replications: p.spec.Reps, ServiceLevel: base.ServiceLevel,
		Queues: base.Queues, RoutingProfiles: base.RoutingProfiles, Classes: base.Classes,
		PredefinedAttributes: base.PredefinedAttributes}
	for i, a := range base.Arrivals {
		r := p.streamRate(i, k)
		if r == 0 {
			continue
		}
		a.RatePerHour, a.RatesPerHour = r, nil
		sc.Arrivals = append(sc.Arrivals, a)
	}
	for _, pl := range p.pools {
		sc.AgentGroups = append(sc.AgentGroups, sim.AgentGroup{ID: pl.name, RoutingProfileID: pl.profile, AfterContactWork: pl.acw, Proficiencies: pl.profs})
	}
	sc.SetDir(base.Dir())
	return sc
}

// erlangC returns pool i's rate per hour, load, and Erlang C and Erlang A staffings in
// interval k.
func (p *plan) erlangC(i, k int) (rate, load float64, c, a int, err error) {
	sc := p.spec.Scenario
	pl := &p.pools[i]
	var work float64 // Σ λ·E[handle], Erlangs × 3600
	for s, a := range sc.Arrivals {
		if p.shares[i][s] == 0 {
			continue
		}
		r := p.streamRate(s, k) * p.shares[i][s]
		rate += r
		work += r * a.HandleTime.MeanSeconds()
	}
	load = work / 3600
	if rate == 0 || work == 0 {
		return rate, load, 0, 0, nil
	}
	lambda, mu := rate/3600, rate/work
	c = int(math.Floor(load)) + 1 // the least stable staffing, when no target applies
	goals := p.poolGoals(i)
	for _, g := range goals {
		sl := min(g.ServiceLevel, 1-1e-9)
		n, err := theory.StaffErlangC(lambda, mu, g.Within.Seconds(), sl)
		if err != nil {
			return rate, load, 0, 0, fmt.Errorf("whatif: Erlang C staffing of pool %s at %s: %w", pl.name, p.base.Intervals[k], err)
		}
		c = max(c, n)
	}
	if a, err = p.erlangA(i, k, lambda, mu, c); err != nil {
		return rate, load, 0, 0, err
	}
	if mo := p.maxOccupancy(i); mo > 0 {
		least := int(math.Ceil(load/mo - 1e-9))
		c, a = max(c, least), max(a, least)
	}
	return rate, load, c, a, nil
}

// poolGoals returns the service-level targets Erlang C staffs pool i for: those of its
// primary queues, or else those of all contacts. Erlang C knows no classes and no
// abandonment; the simulator does.
func (p *plan) poolGoals(i int) []Target {
	var out, all []Target
	for _, g := range p.spec.Targets {
		switch {
		case g.ServiceLevel == 0 || g.Class != "":
		case g.Queue == "":
			all = append(all, g)
		case slices.Contains(p.pools[i].queues, slices.Index(p.base.Queues, g.Queue)):
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// scheduled returns the agents of pool i on duty at the start of interval k under the
// scenario's shifts and staffing lists.
func (p *plan) scheduled(i, k int) int {
	at := sim.Duration(k) * p.base.Interval
	n := 0
	for g := range p.spec.Scenario.AgentGroups {
		if p.poolOf(&p.spec.Scenario.AgentGroups[g]) == i {
			n += p.base.OnDuty(g, at)
		}
	}
	return n
}

// staffEval is the outcome of one staffing.
type staffEval struct {
	targets          []TargetResult
	met              bool
	shortfall, slack float64
}

// solveInterval runs the solver's search for interval k (task index idx).
func (p *plan) solveInterval(ctx context.Context, idx, k int, workers int) (*StaffingInterval, error) {
	seed := p.taskSeed(idx)
	out := &StaffingInterval{Index: idx, Key: p.taskKey(idx), Interval: p.base.Intervals[k],
		Start: sim.Duration(k) * p.base.Interval, Length: p.base.Interval, Seed: seed, Targets: []TargetResult{}}
	maxN := p.spec.Solve.MaxAgents
	x := make([]int, len(p.pools))
	for i, pl := range p.pools {
		rate, load, c, a, err := p.erlangC(i, k)
		if err != nil {
			return nil, err
		}
		out.Pools = append(out.Pools, PoolStaffing{Pool: pl.name, RatePerHour: rate, LoadErlangs: load,
			ErlangC: c, ErlangA: a, Scheduled: p.scheduled(i, k), Shrinkage: p.shrinkage(i, k)})
		x[i] = min(c, maxN)
	}
	base := p.stationary(k)
	cache := map[string]*staffEval{}
	eval := func(x []int) (*staffEval, error) {
		key := fmt.Sprint(x)
		if ev, ok := cache[key]; ok {
			return ev, nil
		}
		ev, err := p.evalStaffing(ctx, base, x, seed, workers)
		if err != nil {
			return nil, err
		}
		cache[key] = ev
		return ev, nil
	}
	x, ev, err := searchStaffing(x, maxN, eval)
	if err != nil {
		return nil, err
	}
	hours := p.base.Interval.D().Hours()
	for i := range x {
		ps := &out.Pools[i]
		ps.Agents = x[i]
		ps.Required = withShrinkage(x[i], ps.Shrinkage)
		ps.Cost = float64(ps.Required) * p.costPerHour(i) * hours
	}
	out.Met, out.Evaluations = ev.met, len(cache)
	if ev.targets != nil {
		out.Targets = ev.targets
	}
	return out, nil
}

// searchStaffing runs steps 2 and 3 of the search from x and returns the staffing found and
// its evaluation.
func searchStaffing(x []int, maxN int, eval func([]int) (*staffEval, error)) ([]int, *staffEval, error) {
	ev, err := eval(x)
	if err != nil {
		return nil, nil, err
	}
	for !ev.met {
		best, bestEv := -1, (*staffEval)(nil)
		for i := range x {
			if x[i] >= maxN {
				continue
			}
			y := slices.Clone(x)
			y[i]++
			e, err := eval(y)
			if err != nil {
				return nil, nil, err
			}
			if best < 0 || e.shortfall < bestEv.shortfall {
				best, bestEv = i, e
			}
		}
		if best < 0 {
			return x, ev, nil // every pool at its bound
		}
		x[best]++
		ev = bestEv
	}
	for {
		best, bestEv := -1, (*staffEval)(nil)
		for i := range x {
			if x[i] == 0 {
				continue
			}
			y := slices.Clone(x)
			y[i]--
			e, err := eval(y)
			if err != nil {
				return nil, nil, err
			}
			if e.met && (best < 0 || e.slack > bestEv.slack) {
				best, bestEv = i, e
			}
		}
		if best < 0 {
			return x, ev, nil
		}
		x[best]--
		ev = bestEv
	}
}

// evalStaffing simulates the stationary scenario base with x agents per pool.
func (p *plan) evalStaffing(ctx context.Context, base *sim.Scenario, x []int, seed uint64, workers int) (*staffEval, error) {
	sc := *base
	sc.AgentGroups = slices.Clone(base.AgentGroups)
	for i := range x {
		sc.AgentGroups[i].Count = x[i]
	}
	ev := &staffEval{}
	if len(sc.Arrivals) == 0 {
		ev.met = true
		ev.slack = math.Inf(1)
		return ev, nil
	}
	res, err := sim.Run(ctx, &sc, sim.RunOptions{Reps: p.spec.Reps, Seed: &seed, Workers: workers, Confidence: p.spec.Confidence})
	if err != nil {
		return nil, err
	}
	ev.targets = evalTargets(p.spec.Targets, res.ServiceLevel, &res.Overall, res.Queues, res.Classes)
	ev.targets = append(ev.targets, p.poolTargets(res.Groups)...)
	ev.met = true
	ev.slack = math.Inf(1)
	for _, t := range ev.targets {
		m := t.margin()
		ev.met = ev.met && t.Met
		ev.slack = min(ev.slack, m)
		ev.shortfall += max(0, -m)
	}
	return ev, nil
}
