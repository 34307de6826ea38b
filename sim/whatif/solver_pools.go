package whatif

import (
	"fmt"
	"math"
	"slices"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// The solver's pools (a routing profile's agents, split by proficiencies when groups carry
// them) and their primary queues.

// PoolInfo describes a pool: the routing profile whose agents it merges, and its primary
// queues, the queues it serves first without delay, whose load its Erlang C staffing
// carries.
type PoolInfo struct {
	Pool   string   `json:"pool"`
	Queues []string `json:"queues"`
}

// buildSolver finds the pools and the intervals to solve.
func (p *plan) buildSolver() error {
	sc := p.spec.Scenario
	if sc.Trace != nil {
		return whatIfErr("solve", "the solver needs arrival streams; the scenario replays a trace")
	}
	for _, g := range sc.AgentGroups {
		if p.poolOf(&g) < 0 {
			pl := pool{name: g.RoutingProfileID, profile: g.RoutingProfileID, profs: g.Proficiencies, acw: g.AfterContactWork}
			if len(g.Proficiencies) > 0 {
				pl.name += "/" + g.ID
			}
			p.pools = append(p.pools, pl)
		}
	}
	p.assignPrimaryQueues()
	if err := p.streamShares(); err != nil {
		return err
	}
	s := p.spec.Solve
	switch {
	case s.Horizon <= 0 || s.Horizon > sim.MaxTime:
		return whatIfErr("solve.horizon", "%v is out of range", s.Horizon)
	case s.Warmup < 0 || s.Warmup > sim.MaxTime:
		return whatIfErr("solve.warmup", "%v is out of range", s.Warmup)
	case s.MaxAgents < 0 || s.MaxAgents > 1_000_000:
		return whatIfErr("solve.maxAgents", "%d is out of range 1..1000000", s.MaxAgents)
	}
	m := p.base
	if len(s.Intervals) == 0 {
		for k := range len(m.Intervals) {
			if p.intervalRate(k) > 0 {
				p.intervals = append(p.intervals, k)
			}
		}
		return nil
	}
	for i, key := range s.Intervals {
		k := -1
		for j := range len(m.Intervals) {
			if m.Intervals[j] == key {
				k = j
			}
		}
		switch {
		case k < 0:
			return whatIfErr(fmt.Sprintf("solve.intervals[%d]", i), "%q is not the start of an interval of the cycle, such as %q", key, m.Intervals[0])
		case slices.Contains(p.intervals, k):
			return whatIfErr(fmt.Sprintf("solve.intervals[%d]", i), "%q is listed twice", key)
		}
		p.intervals = append(p.intervals, k)
	}
	slices.Sort(p.intervals)
	return nil
}

// poolOf returns the index of the pool of agent group g, or -1: the groups of a routing
// profile with the same proficiencies (in any order) share a pool.
func (p *plan) poolOf(g *sim.AgentGroup) int {
	return slices.IndexFunc(p.pools, func(pl pool) bool {
		return pl.profile == g.RoutingProfileID && sameProficiencies(pl.profs, g.Proficiencies)
	})
}

func sameProficiencies(a, b []routing.Proficiency) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// assignPrimaryQueues gives each queue to the first pool that serves it among its
// best-priority entries without delay, or else to the first pool that serves it at all.
func (p *plan) assignPrimaryQueues() {
	sc := p.spec.Scenario
	profile := func(id string) *routing.ProfileConfig {
		for i := range sc.RoutingProfiles {
			if sc.RoutingProfiles[i].ID == id {
				return &sc.RoutingProfiles[i]
			}
		}
		return nil
	}
	for q, qc := range sc.Queues {
		first, primary := -1, -1
		for i, pl := range p.pools {
			pr := profile(pl.profile)
			best := math.MaxInt
			for _, e := range pr.Queues {
				best = min(best, e.Priority)
			}
			for _, e := range pr.Queues {
				if e.QueueID != qc.ID {
					continue
				}
				if first < 0 {
					first = i
				}
				if primary < 0 && e.Priority == best && e.DelaySeconds == 0 {
					primary = i
				}
			}
		}
		if primary < 0 {
			primary = first
		}
		if primary >= 0 {
			p.pools[primary].queues = append(p.pools[primary].queues, q)
		}
	}
}

// poolInfo returns the pools for the result.
func (p *plan) poolInfo() []PoolInfo {
	out := make([]PoolInfo, len(p.pools))
	for i, pl := range p.pools {
		out[i] = PoolInfo{Pool: pl.name, Queues: []string{}}
		for _, q := range pl.queues {
			out[i].Queues = append(out[i].Queues, p.base.Queues[q])
		}
	}
	return out
}
