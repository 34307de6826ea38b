package whatif

import (
	"math"
	"slices"

	"github.com/routesim/routesim/sim"
)

// RosterGoal is one goal of the what-if checked in every interval of the cycle under the
// final roster: how many intervals had something to check it on, how many met it, and
// which missed it. It is plain data; the zero value is a goal never checked.
type RosterGoal struct {
	// Goal names it: "queue sales serviceLevel@20s >= 80%", "pool sales occupancy <= 90%".
	Goal string `json:"goal"`
	// Checked counts the intervals where it was checked: those with contacts of its queue,
	// class or (all) centre, or with agents of its pool on duty; Met those that met it.
	Checked int `json:"checked"`
	Met     int `json:"met"`
	// Missed lists the intervals that missed it, in cycle order.
	Missed []string `json:"missed"`
}

// intervalTargets checks every goal of the what-if on interval k of res, a run with the
// per-interval figures of every queue, class and agent group (each pool an agent group
// named after it): each queue or class target on that queue's or class's contacts that
// arrived in the interval, each all-contacts target on all of them, and each pool's
// occupancy bound on its agents' time in the interval when the roster has some of them on
// duty there (onDuty[pool][k] > 0: agents finishing a contact after their shift ended are
// no occupancy to bound). A goal with nothing to check (no contact of its queue, class or
// centre, or no agent of its pool on duty) is left out. It
// returns the results, and the pools a missed goal points to: the pool of an occupancy
// bound, the pools whose primary queue is a missed queue target's (none for a class or
// all-contacts goal).
func (p *plan) intervalTargets(res *sim.Result, onDuty [][]int, k int) (out []TargetResult, short []int) {
	out = []TargetResult{}
	for _, g := range p.spec.Targets {
		var f *sim.Figures[sim.Estimate]
		switch {
		case g.Queue != "":
			f = breakdownAt(res.QueueIntervals, g.Queue, k)
		case g.Class != "":
			f = breakdownAt(res.ClassIntervals, g.Class, k)
		default:
			f = &res.Intervals[k].Figures
		}
		if f == nil || !(f.Offered.Mean > 0) {
			continue
		}
		cell := []sim.Keyed[sim.Estimate]{{Key: g.Queue + g.Class, Figures: *f}}
		rs := evalTargets([]Target{g}, res.ServiceLevel, f, cell, cell)
		for _, r := range rs {
			if !r.Met && g.Queue != "" {
				q := slices.Index(p.base.Queues, g.Queue)
				for i := range p.pools {
					if slices.Contains(p.pools[i].queues, q) && !slices.Contains(short, i) {
						short = append(short, i)
					}
				}
			}
		}
		out = append(out, rs...)
	}
	for i, pl := range p.pools {
		mo := p.maxOccupancy(i)
		if mo == 0 || onDuty[i][k] == 0 {
			continue
		}
		var v sim.Estimate
		for _, b := range res.GroupIntervals {
			if b.Key == pl.name {
				v = b.Intervals[k].Occupancy
			}
		}
		if v.N == 0 || math.IsNaN(v.Mean) {
			continue
		}
		r := TargetResult{Target: "pool " + pl.name, Metric: "occupancy", Op: "<=", Bound: mo, Value: v}
		r.Met = r.margin() >= 0
		if !r.Met && !slices.Contains(short, i) {
			short = append(short, i)
		}
		out = append(out, r)
	}
	return out, short
}

// breakdownAt returns interval k's figures of the queue or class key, nil when absent.
func breakdownAt(bs []sim.Breakdown[sim.Keyed[sim.Estimate]], key string, k int) *sim.Figures[sim.Estimate] {
	for i := range bs {
		if bs[i].Key == key && k < len(bs[i].Intervals) {
			return &bs[i].Intervals[k].Figures
		}
	}
	return nil
}

// rosterGoals sums up, per goal, the intervals that checked and met it, in the order the
// goals are first checked.
func rosterGoals(ivs []RosterInterval) []RosterGoal {
	out := []RosterGoal{}
	at := map[string]int{}
	for _, iv := range ivs {
		for _, t := range iv.Targets {
			name := t.goal()
			j, ok := at[name]
			if !ok {
				j = len(out)
				at[name] = j
				out = append(out, RosterGoal{Goal: name, Missed: []string{}})
			}
			g := &out[j]
			g.Checked++
			if t.Met {
				g.Met++
			} else {
				g.Missed = append(g.Missed, iv.Interval)
			}
		}
	}
	return out
}
