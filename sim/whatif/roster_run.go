package whatif

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/routesim/routesim/sim"
)

// RosterResult is the roster a what-if built (Roster) and how it fared in simulation.
type RosterResult struct {
	// LPBound is the cost of the LP relaxation, a lower bound on any roster that covers the
	// requirements; Gap is (TwoStep.Cost - LPBound) / LPBound.
	LPBound float64 `json:"lpBound"`
	Gap     float64 `json:"gap"`
	// TwoStep is the integer roster of step 2 alone (requirements, then cover them);
	// Final the roster after simulation and repair.
	TwoStep RosterSummary `json:"twoStep"`
	Final   RosterSummary `json:"final"`
	// Seed is the seed of every simulation of the roster.
	Seed uint64 `json:"seed"`
	// Shifts are the final roster's shifts worked by at least one agent, in template and
	// start order; TwoStepShifts the same for the two-step roster.
	Shifts        []RosterShift `json:"shifts"`
	TwoStepShifts []RosterShift `json:"twoStepShifts"`
	// Intervals are the intervals of the cycle: each pool's requirement and coverage, and
	// the goals checked on the interval's contacts in the final simulation.
	Intervals []RosterInterval `json:"intervals"`
	// Targets are the what-if's targets (per queue, class, all contacts, and pool
	// occupancy) over the whole run of the final roster.
	Targets []TargetResult `json:"targets"`
	// Iterations lists the simulations of step 3, the first of the two-step roster.
	Iterations []RosterIteration `json:"iterations"`
	// Timing holds the wall-clock time of each step when Options.Clock is set; it is not
	// part of the result file, so equal runs still give equal bytes.
	Timing RosterTiming `json:"-"`
}

// RosterSummary describes one roster.
type RosterSummary struct {
	// Cost is the shifts' cost; AgentHours the hours of the shifts, breaks included; Shifts
	// the agents' shifts.
	Cost       float64 `json:"cost"`
	AgentHours float64 `json:"agentHours"`
	Shifts     int     `json:"shifts"`
	// IntervalsMissed counts the intervals where a goal was missed in its simulation;
	// TargetsMet reports whether every whole-run target was met; Met both.
	IntervalsMissed int  `json:"intervalsMissed"`
	TargetsMet      bool `json:"targetsMet"`
	Met             bool `json:"met"`
}

// RosterShift is the agents starting one template at one time.
type RosterShift struct {
	Template string `json:"template"`
	Pool     string `json:"pool"`
	// Start is the interval of the cycle the shift starts in ("d2 08:00"); End the one
	// after its last.
	Start  string  `json:"start"`
	End    string  `json:"end"`
	Agents int     `json:"agents"`
	Cost   float64 `json:"cost"`
}

// RosterInterval is one interval of the cycle under the final roster.
type RosterInterval struct {
	Interval string        `json:"interval"`
	Start    sim.Duration  `json:"start"`
	Pools    []RosterCover `json:"pools"`
	// Targets are the goals checked on the interval's contacts (all queues and classes: the
	// simulator keeps per-interval figures for all contacts only), with their confidence
	// intervals; Met reports whether all are met.
	Targets []TargetResult `json:"targets"`
	Met     bool           `json:"met"`
}

// RosterCover is one pool's coverage in one interval: agents required (the solver's, after
// shrinkage), covering (on shift, not on break) under the two-step and the final roster,
// and on duty in the final simulation (covering after shrinkage).
type RosterCover struct {
	Pool     string `json:"pool"`
	Required int    `json:"required"`
	TwoStep  int    `json:"twoStep"`
	Covering int    `json:"covering"`
	OnDuty   int    `json:"onDuty"`
}

// RosterIteration is one simulation of step 3: what changed before it, and the outcome.
type RosterIteration struct {
	Iteration       int     `json:"iteration"`
	Action          string  `json:"action"`
	Cost            float64 `json:"cost"`
	IntervalsMissed int     `json:"intervalsMissed"`
	TargetsMet      bool    `json:"targetsMet"`
	Kept            bool    `json:"kept"`
}

// RosterTiming is the wall-clock time of the roster's steps: the LP relaxation, the
// integer step, the simulation of the two-step roster, and the repair (its simulations
// included).
type RosterTiming struct {
	LP, Integer, Simulation, Repair time.Duration
}

// rosterEval is the outcome of simulating one roster.
type rosterEval struct {
	intervals []RosterInterval
	targets   []TargetResult
	margins   []float64 // per interval, the least margin of its goals (+Inf with no contact)
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
	return out, nil
}

// repair runs the iterations after the first (see Roster) and returns the evaluation of
// the roster it leaves in counts.
func (p *plan) repair(ctx context.Context, counts []int, req [][]int, ev *rosterEval, out *RosterResult, workers int) (*rosterEval, error) {
	budget := cmp.Or(p.spec.Roster.MaxIterations, DefaultMaxIterations)
	tried := map[int]bool{}
	rounds := make([]int, len(p.base.Intervals)) // rounds in which each interval got a shift
	for it := 1; it < budget; it++ {
		if !ev.met() {
			added := p.addShifts(counts, req, ev, rounds)
			if len(added) == 0 {
				break
			}
			next, err := p.simRoster(ctx, counts, out.Seed, workers)
			if err != nil {
				return nil, err
			}
			ev = next
			out.Iterations = append(out.Iterations, p.iteration(it, "added "+p.shiftList(added), counts, ev, true))
			continue
		}
		j := p.removalCandidate(counts, ev, tried)
		if j < 0 {
			break
		}
		counts[j]--
		next, err := p.simRoster(ctx, counts, out.Seed, workers)
		if err != nil {
			return nil, err
		}
		kept := next.met()
		out.Iterations = append(out.Iterations, p.iteration(it, "removed "+p.shiftList([]int{j}), counts, next, kept))
		if kept {
			ev = next
		} else {
			counts[j]++
			tried[j] = true
		}
	}
	return ev, nil
}

// addShifts adds, for each interval missed in ev (or, when only whole-run targets are
// missed, the interval with the least margin), one agent on the cheapest shift covering it
// of the pool with the least coverage against its requirement there, unless a shift added
// in this round already covers it for that pool. An interval missed again takes the pool
// next in that order (rounds counts the rounds each interval got a shift in): per-interval
// figures cover all queues, so they do not say which pool is short. It returns the shifts
// added.
func (p *plan) addShifts(counts []int, req [][]int, ev *rosterEval, rounds []int) []int {
	cov := p.coverage(counts)
	var missed []int
	for k, iv := range ev.intervals {
		if !iv.Met {
			missed = append(missed, k)
		}
	}
	if len(missed) == 0 {
		worst := -1
		for k, m := range ev.margins {
			if !math.IsInf(m, 1) && (worst < 0 || m < ev.margins[worst]) {
				worst = k
			}
		}
		if worst < 0 {
			return nil
		}
		missed = []int{worst}
	}
	perTpl := make([]int, len(p.templates))
	for j, n := range counts {
		perTpl[p.shifts[j].tpl] += n
	}
	var added []int
	for _, k := range missed {
		order := p.poolsByNeed(cov, req, k)
		if len(order) == 0 {
			continue
		}
		i := order[rounds[k]%len(order)]
		if slices.ContainsFunc(added, func(j int) bool { return p.templates[p.shifts[j].tpl].pool == i && p.covers(j, k) }) {
			continue
		}
		best := -1
		for j, sh := range p.shifts {
			tp := &p.templates[sh.tpl]
			if tp.pool != i || !p.covers(j, k) || (tp.max > 0 && perTpl[sh.tpl] >= tp.max) {
				continue
			}
			if best < 0 || tp.cost < p.templates[p.shifts[best].tpl].cost {
				best = j
			}
		}
		if best < 0 {
			continue
		}
		p.addCoverage(cov, best, counts[best], -1)
		counts[best]++
		p.addCoverage(cov, best, counts[best], 1)
		perTpl[p.shifts[best].tpl]++
		added = append(added, best)
		rounds[k]++
	}
	return added
}

// poolsByNeed returns the pools with shifts covering interval k, the least covered against
// their requirement there first (coverage / requirement; pools without requirement last;
// ties in pool order).
func (p *plan) poolsByNeed(cov, req [][]int, k int) []int {
	var out []int
	ratio := make([]float64, len(p.pools))
	for i := range p.pools {
		if !slices.ContainsFunc(p.poolShifts(i), func(j int) bool { return p.covers(j, k) }) {
			continue
		}
		ratio[i] = math.MaxFloat64
		if req[i][k] > 0 {
			ratio[i] = float64(cov[i][k]) / float64(req[i][k])
		}
		out = append(out, i)
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(ratio[a], ratio[b]) })
	return out
}

// removalCandidate returns the shift to try without one agent: among shifts with agents,
// not tried, above their template's minimum, and whose intervals all met their goals,
// the one whose least margin over its intervals is largest (ties: the dearest, then the
// first); -1 when none.
func (p *plan) removalCandidate(counts []int, ev *rosterEval, tried map[int]bool) int {
	perTpl := make([]int, len(p.templates))
	for j, n := range counts {
		perTpl[p.shifts[j].tpl] += n
	}
	nInt := len(p.base.Intervals)
	best, bestSlack := -1, 0.0
	for j, n := range counts {
		sh := p.shifts[j]
		tp := &p.templates[sh.tpl]
		if n == 0 || tried[j] || perTpl[sh.tpl] <= tp.min {
			continue
		}
		slack := math.Inf(1)
		for o := range tp.length {
			slack = min(slack, ev.margins[(sh.start+o)%nInt])
		}
		if !(slack > 0) {
			continue
		}
		if best < 0 || slack > bestSlack || (slack == bestSlack && tp.cost > p.templates[p.shifts[best].tpl].cost) {
			best, bestSlack = j, slack
		}
	}
	return best
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
	res, err := sim.Run(ctx, sc, sim.RunOptions{Reps: p.spec.Reps, Seed: &seed, Workers: workers, Confidence: p.spec.Confidence})
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
	goals := p.intervalGoals()
	for k, key := range p.base.Intervals {
		iv := RosterInterval{Interval: key, Start: sim.Duration(k) * p.base.Interval, Met: true, Targets: []TargetResult{}}
		for i, pl := range p.pools {
			iv.Pools = append(iv.Pools, RosterCover{Pool: pl.name, OnDuty: onDuty[i][k]})
		}
		margin := math.Inf(1)
		if f := findKeyed(res.Intervals, key); f != nil && f.Offered.Mean > 0 {
			iv.Targets = evalTargets(goals, res.ServiceLevel, f, nil, nil)
			for _, t := range iv.Targets {
				iv.Met = iv.Met && t.Met
				margin = min(margin, t.margin())
			}
		}
		if !iv.Met {
			ev.missed++
		}
		ev.intervals = append(ev.intervals, iv)
		ev.margins = append(ev.margins, margin)
	}
	return ev, nil
}

// intervalGoals returns the goals checked on each interval's contacts, of all queues and
// classes together (the simulator keeps per-interval figures for all contacts only): the
// all-contacts targets when there are some; otherwise, per metric, the weakest bound of the
// queue targets when every queue has one, which their contacts together meet whenever each
// queue meets its own. Class targets are checked over the whole run only.
func (p *plan) intervalGoals() []Target {
	var all, queues []Target
	for _, g := range p.spec.Targets {
		switch {
		case g.Class != "":
		case g.Queue == "":
			all = append(all, g)
		default:
			queues = append(queues, g)
		}
	}
	if len(all) > 0 {
		return all
	}
	covered := func(has func(Target) bool) bool {
		for _, q := range p.base.Queues {
			if !slices.ContainsFunc(queues, func(g Target) bool { return g.Queue == q && has(g) }) {
				return false
			}
		}
		return true
	}
	var out []Target
	for _, g := range queues {
		if g.ServiceLevel == 0 || slices.ContainsFunc(out, func(t Target) bool { return t.Within == g.Within }) {
			continue
		}
		w := g.Within
		if !covered(func(t Target) bool { return t.ServiceLevel > 0 && t.Within == w }) {
			continue
		}
		t := Target{ServiceLevel: 1, Within: w}
		for _, q := range queues {
			if q.ServiceLevel > 0 && q.Within == w {
				t.ServiceLevel = min(t.ServiceLevel, q.ServiceLevel)
			}
		}
		out = append(out, t)
	}
	var loose Target
	if covered(func(t Target) bool { return t.MaxAbandon != nil }) && len(queues) > 0 {
		v := 0.0
		for _, q := range queues {
			if q.MaxAbandon != nil {
				v = max(v, *q.MaxAbandon)
			}
		}
		loose.MaxAbandon = &v
	}
	if covered(func(t Target) bool { return t.MaxASA > 0 }) && len(queues) > 0 {
		for _, q := range queues {
			loose.MaxASA = max(loose.MaxASA, q.MaxASA)
		}
	}
	if loose.MaxAbandon != nil || loose.MaxASA > 0 {
		out = append(out, loose)
	}
	return out
}
