package whatif

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/routesim/routesim/sim"
)

// rosterEval is the outcome of simulating one roster.
type rosterEval struct {
	intervals []RosterInterval
	targets   []TargetResult
	margins   []float64 // per interval, the least margin of its goals (+Inf with none checked)
	short     [][]int   // per interval, the pools its missed goals point to (intervalTargets)
	missed    int
	cycleMet  bool
}

func (e *rosterEval) met() bool { return e.missed == 0 && e.cycleMet }

// roster runs the three steps of Roster on the solver's staffing.
func (p *plan) roster(ctx context.Context, staffing []StaffingInterval, opts Options) (*RosterResult, error) {
	clock := opts.Clock
	if clock == nil {
		clock = func() time.Time { return time.Time{} }
	}
	nInt := len(p.base.Intervals)
	req := make([][]int, len(p.pools))
	for i := range req {
		req[i] = make([]int, nInt)
	}
	for _, s := range staffing {
		k := int(s.Start / p.base.Interval)
		for i, ps := range s.Pools {
			req[i][k] = ps.Required
		}
	}
	if err := p.checkCoverable(func(i, k int) string {
		if req[i][k] > 0 {
			return fmt.Sprintf("which needs %d agents", req[i][k])
		}
		return ""
	}); err != nil {
		return nil, err
	}
	out := &RosterResult{Seed: TaskSeed(*p.spec.Seed, "roster")}
	counts := make([]int, len(p.shifts))
	t0 := clock()
	xs := make([][]float64, len(p.pools))
	for i := range p.pools {
		x, cost, err := p.solveLP(i, p.poolShifts(i), req[i])
		if err != nil {
			return nil, err
		}
		xs[i] = x
		out.LPBound += cost
	}
	t1 := clock()
	for i := range p.pools {
		if err := p.integerRoster(i, p.poolShifts(i), xs[i], req[i], counts); err != nil {
			return nil, err
		}
	}
	t2 := clock()
	out.Timing.LP, out.Timing.Integer = t1.Sub(t0), t2.Sub(t1)
	twoStep := slices.Clone(counts)
	workers := opts.Workers
	ev, err := p.simRoster(ctx, counts, out.Seed, workers)
	if err != nil {
		return nil, err
	}
	t3 := clock()
	out.Timing.Simulation = t3.Sub(t2)
	out.TwoStep = p.summary(twoStep, ev)
	out.Iterations = append(out.Iterations, p.iteration(0, "two-step roster", counts, ev, true))
	ev, err = p.repair(ctx, counts, req, ev, out, workers)
	if err != nil {
		return nil, err
	}
	out.Timing.Repair = clock().Sub(t3)
	out.Final = p.summary(counts, ev)
	if out.LPBound > 0 {
		out.Gap = (out.TwoStep.Cost - out.LPBound) / out.LPBound
	}
	out.Shifts, out.TwoStepShifts = p.rosterShifts(counts), p.rosterShifts(twoStep)
	cov, two := p.coverage(counts), p.coverage(twoStep)
	out.Intervals = ev.intervals
	for k := range out.Intervals {
		for i := range p.pools {
			c := &out.Intervals[k].Pools[i]
			c.Required, c.TwoStep, c.Covering = req[i][k], two[i][k], cov[i][k]
		}
	}
	out.Targets = ev.targets
	out.Goals = rosterGoals(ev.intervals)
	return out, nil
}

// shiftList names shifts: "early@d1 08:00, late@d1 12:00".
func (p *plan) shiftList(js []int) string {
	s := ""
	for n, j := range js {
		if n > 0 {
			s += ", "
		}
		s += p.templates[p.shifts[j].tpl].name + "@" + p.base.Intervals[p.shifts[j].start]
	}
	return s
}

// iteration records one simulation of a roster.
func (p *plan) iteration(it int, action string, counts []int, ev *rosterEval, kept bool) RosterIteration {
	cost, _, _ := p.rosterCost(counts)
	return RosterIteration{Iteration: it, Action: action, Cost: cost, IntervalsMissed: ev.missed, TargetsMet: ev.cycleMet, Kept: kept}
}

// rosterCost returns the cost, agent-hours and shifts of the roster counts.
func (p *plan) rosterCost(counts []int) (cost, hours float64, shifts int) {
	for j, n := range counts {
		tp := &p.templates[p.shifts[j].tpl]
		cost += float64(n) * tp.cost
		hours += float64(n) * tp.hours
		shifts += n
	}
	return cost, hours, shifts
}

func (p *plan) summary(counts []int, ev *rosterEval) RosterSummary {
	cost, hours, n := p.rosterCost(counts)
	return RosterSummary{Cost: cost, AgentHours: hours, Shifts: n, IntervalsMissed: ev.missed, TargetsMet: ev.cycleMet, Met: ev.met()}
}

// rosterShifts lists the shifts with agents, in template then start order.
func (p *plan) rosterShifts(counts []int) []RosterShift {
	out := []RosterShift{}
	nInt := len(p.base.Intervals)
	for j, n := range counts {
		if n == 0 {
			continue
		}
		sh := p.shifts[j]
		tp := &p.templates[sh.tpl]
		out = append(out, RosterShift{Template: tp.name, Pool: p.pools[tp.pool].name, Start: p.base.Intervals[sh.start],
			End: p.base.Intervals[(sh.start+tp.length)%nInt], Agents: n, Cost: float64(n) * tp.cost})
	}
	return out
}

// rosterScenario returns the scenario with one agent group per pool, named after it, whose
// staffing in each interval is the roster's covering agents after shrinkage.
func (p *plan) rosterScenario(counts []int) (*sim.Scenario, [][]int) {
	cov := p.coverage(counts)
	sc := *p.spec.Scenario
	sc.AgentGroups = nil
	onDuty := make([][]int, len(p.pools))
	for i, pl := range p.pools {
		staff := make([]int, len(cov[i]))
		most := 0
		for k, c := range cov[i] {
			staff[k] = afterShrinkage(c, p.shrinkage(i, k))
			most = max(most, staff[k])
		}
		onDuty[i] = staff
		sc.AgentGroups = append(sc.AgentGroups, sim.AgentGroup{ID: pl.name, Count: most, RoutingProfileID: pl.profile,
			Staffing: staff, AfterContactWork: pl.acw, Proficiencies: pl.profs})
	}
	sc.SetDir(p.spec.Scenario.Dir())
	return &sc, onDuty
}

// simRoster simulates the roster counts with the full scenario and checks the targets.
func (p *plan) simRoster(ctx context.Context, counts []int, seed uint64, workers int) (*rosterEval, error) {
	sc, onDuty := p.rosterScenario(counts)
	res, err := sim.Run(ctx, sc, sim.RunOptions{Reps: p.spec.Reps, Seed: &seed, Workers: workers, Confidence: p.spec.Confidence,
		IntervalDetail: true})
	if err != nil {
		return nil, fmt.Errorf("whatif: simulating the roster: %w", err)
	}
	ev := &rosterEval{cycleMet: true}
	ev.targets = evalTargets(p.spec.Targets, res.ServiceLevel, &res.Overall, res.Queues, res.Classes)
	ev.targets = append(ev.targets, p.poolTargets(res.Groups)...)
	if ev.targets == nil {
		ev.targets = []TargetResult{}
	}
	for _, t := range ev.targets {
		ev.cycleMet = ev.cycleMet && t.Met
	}
	for k, key := range p.base.Intervals {
		iv := RosterInterval{Interval: key, Start: sim.Duration(k) * p.base.Interval, Met: true}
		for i, pl := range p.pools {
			iv.Pools = append(iv.Pools, RosterCover{Pool: pl.name, OnDuty: onDuty[i][k]})
		}
		margin := math.Inf(1)
		var short []int
		iv.Targets, short = p.intervalTargets(res, onDuty, k)
		for _, t := range iv.Targets {
			iv.Met = iv.Met && t.Met
			margin = min(margin, t.margin())
		}
		if !iv.Met {
			ev.missed++
		}
		ev.intervals = append(ev.intervals, iv)
		ev.margins = append(ev.margins, margin)
		ev.short = append(ev.short, short)
	}
	return ev, nil
}
