package whatif

import (
	"fmt"
	"slices"
	"time"

	"github.com/routesim/routesim/sim"
)

// Roster asks for a roster built from shift templates: how many agents start each template
// at each of its start times, at least cost, so that every interval the solver staffed gets
// the agents it needs after shrinkage (PoolStaffing.Required), then verified by simulating
// the whole scenario with those agents and repaired where targets are missed. The steps:
//
//  1. the covering program's LP relaxation, min Σ cost·x over shifts x >= 0 with
//     coverage >= requirement in every interval (breaks count as the average share of their
//     window an agent is on break), and minimum and maximum counts per template;
//  2. an integer roster: the LP's solution rounded down, then the cheapest shift per interval
//     short added until every interval is covered with breaks staggered (agent j of a start
//     takes its break at the (j mod P)-th of the P places in its window), then shifts
//     removed, the dearest first, while coverage holds: the two-step roster, whose cost
//     is reported with the LP bound and the gap;
//  3. the roster simulated with the full scenario (routing, classes, rules, abandonment, the
//     what-if's replications): per interval, agents on duty = ⌊covering agents·(1 -
//     shrinkage)⌋. While targets are missed, the cheapest shift covering each missed
//     interval is added to the pool with the least coverage against its requirement there
//     (the next pool in that order when the interval was missed again);
//     once every target holds, shifts whose intervals have the most slack are removed one at
//     a time, each kept out only if every target still holds. Each simulation is one
//     iteration, at most MaxIterations.
//
// Every simulation of the roster runs with the same seed (TaskSeed of "roster"), so rosters
// differ by their agents, not by their draws; the result depends on nothing else.
type Roster struct {
	// Templates are the shifts agents can work; each interval with demand must be covered
	// by some template of each pool with demand in it.
	Templates []ShiftTemplate `json:"templates"`
	// MaxIterations bounds the simulations of step 3 (the first simulates the two-step
	// roster); 10 when 0.
	MaxIterations int `json:"maxIterations,omitempty"`
}

// DefaultMaxIterations is Roster.MaxIterations when 0.
const DefaultMaxIterations = 10

// ShiftTemplate is a kind of shift of one pool: when it may start, how long it lasts, its
// breaks, its cost and how many may be worked.
type ShiftTemplate struct {
	// Name names the template in the roster; required, unique.
	Name string `json:"name"`
	// Pool is the solver pool whose agents work it (PoolInfo.Pool).
	Pool string `json:"pool"`
	// EarliestStart and LatestStart bound its start, as a time of day when the cycle is a
	// whole number of days (an offset in the cycle otherwise); StartEvery is the step
	// between starts, the scenario's interval when 0. All are whole intervals.
	EarliestStart sim.Duration `json:"earliestStart"`
	LatestStart   sim.Duration `json:"latestStart"`
	StartEvery    sim.Duration `json:"startEvery,omitempty"`
	// Length is the shift's length, breaks included: whole intervals, at most the cycle. A
	// shift may run past the end of the cycle into the next one.
	Length sim.Duration `json:"length"`
	// Breaks are unpaid-for-coverage pauses inside the shift.
	Breaks []Break `json:"breaks,omitempty"`
	// CostPerShift is what one agent working the shift costs; when 0, the pool's
	// CostPerHour × Length, or Length in hours when the pool has no cost either (the roster
	// then minimises agent-hours).
	CostPerShift float64 `json:"costPerShift,omitempty"`
	// Min and Max bound the number of shifts of the template over the cycle (every day and
	// start together); Max 0 is no bound.
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
	// Days lists the days ("Mon" .. "Sun") the template is worked when the cycle is a week,
	// which starts on a Monday; every day when empty.
	Days []string `json:"days,omitempty"`
}

// Break is a pause of Length that starts no earlier than After and ends no later than Before,
// both offsets from the shift's start, in whole intervals.
type Break struct {
	Length sim.Duration `json:"length"`
	After  sim.Duration `json:"after"`
	Before sim.Duration `json:"before"`
}

// weekDays are the days of a weekly cycle, from its start.
var weekDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

const day = sim.Duration(24 * time.Hour)

// template is a validated ShiftTemplate in intervals of the cycle.
type template struct {
	name       string
	pool       int
	length     int // intervals
	cost       float64
	hours      float64
	min, max   int
	breakShare []float64 // per offset in the shift: average share of agents on break (LP)
	breaks     []brk
}

// brk is a break in intervals: length, and its P = window - length + 1 places from offset a.
type brk struct{ a, length, places int }

// shift is one start of one template: a column of the covering program.
type shift struct {
	tpl   int
	start int // interval of the cycle
}

// buildRoster validates the roster's templates and lists its shifts; it runs after the
// solver's pools are known.
func (p *plan) buildRoster() error {
	r := p.spec.Roster
	if r == nil {
		return nil
	}
	if p.spec.Solve == nil {
		return whatIfErr("roster", "a roster needs the staffing solver's requirements; add \"solve\": {}")
	}
	if len(r.Templates) == 0 {
		return whatIfErr("roster.templates", "no shift templates")
	}
	if r.MaxIterations < 0 {
		return whatIfErr("roster.maxIterations", "%d is negative", r.MaxIterations)
	}
	iv := p.base.Interval
	nInt := len(p.base.Intervals)
	cycle := sim.Duration(nInt) * iv
	period := cycle // the span a start time is given in
	if cycle%day == 0 {
		period = day
	}
	names := map[string]bool{}
	for ti, st := range r.Templates {
		f := fmt.Sprintf("roster.templates[%d]", ti)
		if st.Name == "" {
			return whatIfErr(f+".name", "must not be empty")
		}
		if names[st.Name] {
			return whatIfErr(f+".name", "duplicate template %q", st.Name)
		}
		names[st.Name] = true
		f += fmt.Sprintf(" (%s)", st.Name)
		tp, err := p.checkTemplate(f, st, iv, cycle, period)
		if err != nil {
			return err
		}
		days, err := templateDays(f, st.Days, cycle, period)
		if err != nil {
			return err
		}
		step := st.StartEvery
		if step == 0 {
			step = iv
		}
		p.templates = append(p.templates, tp)
		for _, d := range days {
			for s := st.EarliestStart; s <= st.LatestStart; s += step {
				p.shifts = append(p.shifts, shift{tpl: ti, start: int((sim.Duration(d)*period + s) / iv)})
			}
		}
	}
	return p.checkCoverable(func(i, k int) string {
		rate := 0.0
		for s := range p.spec.Scenario.Arrivals {
			rate += p.streamRate(s, k) * p.shares[i][s]
		}
		if rate > 0 {
			return fmt.Sprintf("where it has %.4g contacts an hour", rate)
		}
		return ""
	})
}

// checkTemplate validates one template (field f) in intervals of length iv.
func (p *plan) checkTemplate(f string, st ShiftTemplate, iv, cycle, period sim.Duration) (template, error) {
	whole := func(d sim.Duration) bool { return d%iv == 0 }
	pool := slices.IndexFunc(p.pools, func(pl pool) bool { return pl.name == st.Pool })
	step := st.StartEvery
	if step == 0 {
		step = iv
	}
	switch {
	case pool < 0:
		var names []string
		for _, pl := range p.pools {
			names = append(names, pl.name)
		}
		return template{}, whatIfErr(f+".pool", "unknown pool %q; the solver's pools are %q", st.Pool, names)
	case st.Length <= 0 || !whole(st.Length):
		return template{}, whatIfErr(f+".length", "%v is not a positive whole number of %v intervals", st.Length, iv)
	case st.Length > cycle:
		return template{}, whatIfErr(f+".length", "%v is longer than the cycle, %v", st.Length, cycle)
	case st.EarliestStart < 0 || st.LatestStart < st.EarliestStart || st.LatestStart >= period:
		return template{}, whatIfErr(f, "starts from %v to %v: want 0 <= earliestStart <= latestStart < %v", st.EarliestStart, st.LatestStart, period)
	case !whole(st.EarliestStart) || !whole(st.LatestStart) || step <= 0 || !whole(step):
		return template{}, whatIfErr(f, "starts %v to %v every %v: not whole %v intervals", st.EarliestStart, st.LatestStart, step, iv)
	case st.Min < 0 || st.Max < 0 || (st.Max > 0 && st.Min > st.Max):
		return template{}, whatIfErr(f, "min %d and max %d: want 0 <= min <= max (max 0: no bound)", st.Min, st.Max)
	case !(st.CostPerShift >= 0):
		return template{}, whatIfErr(f+".costPerShift", "%v is negative", st.CostPerShift)
	}
	n := int(st.Length / iv)
	tp := template{name: st.Name, pool: pool, length: n, min: st.Min, max: st.Max, breakShare: make([]float64, n),
		hours: st.Length.D().Hours()}
	tp.cost = st.CostPerShift
	if tp.cost == 0 {
		tp.cost = tp.hours
		if c := p.costPerHour(pool); c > 0 {
			tp.cost = c * tp.hours
		}
	}
	for bi, b := range st.Breaks {
		bf := fmt.Sprintf("%s.breaks[%d]", f, bi)
		switch {
		case b.Length <= 0 || !whole(b.Length) || !whole(b.After) || !whole(b.Before):
			return template{}, whatIfErr(bf, "length %v within %v..%v: want whole %v intervals, length > 0", b.Length, b.After, b.Before, iv)
		case b.After < 0 || b.Before > st.Length:
			return template{}, whatIfErr(bf, "window %v..%v is outside the shift, 0..%v (interval %s of the shift's first start)", b.After, b.Before, st.Length, p.intervalAt(st.EarliestStart+b.Before))
		case b.Before-b.After < b.Length:
			return template{}, whatIfErr(bf, "a break of %v does not fit its window %v..%v", b.Length, b.After, b.Before)
		}
		bk := brk{a: int(b.After / iv), length: int(b.Length / iv)}
		bk.places = int((b.Before-b.After)/iv) - bk.length + 1
		for pl := range bk.places {
			for o := bk.a + pl; o < bk.a+pl+bk.length; o++ {
				tp.breakShare[o] += 1 / float64(bk.places)
			}
		}
		tp.breaks = append(tp.breaks, bk)
	}
	for o, s := range tp.breakShare {
		if s > 1+1e-9 {
			return template{}, whatIfErr(f+".breaks", "breaks overlap: more than every agent is on break %v into the shift", sim.Duration(o)*iv)
		}
	}
	return tp, nil
}

// intervalAt names the interval of the cycle holding offset at (wrapped).
func (p *plan) intervalAt(at sim.Duration) string {
	n := len(p.base.Intervals)
	k := int(at/p.base.Interval) % n
	return p.base.Intervals[(k+n)%n]
}

// templateDays returns the day indices a template is worked on.
func templateDays(f string, days []string, cycle, period sim.Duration) ([]int, error) {
	nDays := int(cycle / period)
	if len(days) == 0 {
		out := make([]int, nDays)
		for d := range out {
			out[d] = d
		}
		return out, nil
	}
	if cycle != 7*day {
		return nil, whatIfErr(f+".days", "days of the week need a weekly cycle (168h); the cycle is %v", cycle)
	}
	var out []int
	for i, d := range days {
		k := slices.Index(weekDays, d)
		switch {
		case k < 0:
			return nil, whatIfErr(fmt.Sprintf("%s.days[%d]", f, i), "%q is not a day; want one of %q", d, weekDays)
		case slices.Contains(out, k):
			return nil, whatIfErr(fmt.Sprintf("%s.days[%d]", f, i), "%q is listed twice", d)
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out, nil
}

// onBreak returns how many of n agents starting the same shift of template tp are on break
// at offset o of the shift, with breaks staggered round robin over their places.
func (tp *template) onBreak(n, o int) int {
	out := 0
	for _, b := range tp.breaks {
		for pl := range b.places {
			if o >= b.a+pl && o < b.a+pl+b.length {
				cnt := n / b.places
				if pl < n%b.places {
					cnt++
				}
				out += cnt
			}
		}
	}
	return out
}
