package fairness

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// The fairness suite (suite*.go) crosses a fixed set of scenarios (demand and staffing) with a
// fixed set of rule sets (how contacts are routed) and measures every cell with the fairness
// metrics of this package over independent replications. The README's "Routing fairness" section describes it.
//
// Every scenario serves contacts with the same exponential handle time and Poisson arrivals,
// so that queueing theory gives the answer wherever a rule set allows one (SuiteTheory).
// Every cell of a scenario runs with the same seed, so its rule sets see the same arrivals,
// handle times and patience draws (common random numbers): differences between rule sets
// are measured more precisely than the figures themselves. Scenarios get seeds of their own
// (Suite.ScenarioSeed), so their errors are independent.

// SuiteClass is a class of contacts of a suite scenario: its share of the arrivals and what
// the rule sets make of it.
type SuiteClass struct {
	// ID names the class; classes are listed from the highest (routed first under
	// priorities) to the lowest.
	ID string `json:"id"`
	// Share is the class's share of each queue's arrivals (the shares sum to 1).
	Share float64 `json:"share"`
	// Priority is the class's QueuePriority under the rule sets that use priorities; 1 is
	// routed first. Classes may share a priority.
	Priority int64 `json:"priority"`
	// AgeBonus is the routing-age adjustment the priority-plus-age rule set gives the class
	// when it enters the queue (a callback's time already waited, say).
	AgeBonus sim.Duration `json:"ageBonus,omitempty"`
}

// SuiteQueue is a queue of a suite scenario with the team of agents that serves it first.
type SuiteQueue struct {
	// ID names the queue; its team's group is ID + "-team".
	ID string `json:"id"`
	// Agents is the size of the team.
	Agents int `json:"agents"`
	// Load is the queue's offered load per agent of its team, λ/(cμ): arrivals come at
	// Load·Agents/Handle.
	Load float64 `json:"load"`
}

// SuiteScenario is one row of the suite: the centre and its demand. With one queue, its team
// serves it alone; with two, each team also serves the other team's queue as overflow, at
// routing-profile priority 2, after the rule set's overflow delay (none unless the rule set
// sets one).
type SuiteScenario struct {
	// Name is a short identifier ("balanced"); Title says what it models.
	Name  string `json:"name"`
	Title string `json:"title"`
	// Queues are one or two queues with their teams.
	Queues []SuiteQueue `json:"queues"`
	// Handle is the mean of the exponential handle time, the same for every contact.
	Handle sim.Duration `json:"handle"`
	// Patience is the mean of the exponential patience; 0 means contacts never abandon.
	Patience sim.Duration `json:"patience,omitempty"`
	// Classes is the class mix of every queue's arrivals, highest class first.
	Classes []SuiteClass `json:"classes"`
	// Hours is the measured time of one replication, in hours (between the suite's warm-up
	// and cool-down).
	Hours float64 `json:"hours"`
}

// Agents returns the agents of every team.
func (s *SuiteScenario) Agents() int {
	n := 0
	for _, q := range s.Queues {
		n += q.Agents
	}
	return n
}

// Load returns the offered load per agent over the whole centre, Σλ/(cμ).
func (s *SuiteScenario) Load() float64 {
	var erl float64
	for _, q := range s.Queues {
		erl += q.Load * float64(q.Agents)
	}
	return erl / float64(s.Agents())
}

// ArrivalRate returns the arrival rate of queue q in contacts per second.
func (s *SuiteScenario) ArrivalRate(q int) float64 {
	return s.Queues[q].Load * float64(s.Queues[q].Agents) / s.Handle.Seconds()
}

// RuleSet is one column of the suite: how contacts are ordered in queue and which agents
// see them. It is plain data; Apply turns it into the classes and routing profiles of a
// scenario. The zero value is plain FIFO.
type RuleSet struct {
	// Name is a short identifier ("fifo"); Title says what it does.
	Name  string `json:"name"`
	Title string `json:"title"`
	// Priorities gives each class its SuiteClass.Priority; otherwise every contact has the
	// default priority 5 and no age adjustment, and the queue is first come, first served.
	Priorities bool `json:"priorities,omitempty"`
	// AgeBonus keeps priority 1 for the classes that have it and puts every other class at
	// priority 2 with its SuiteClass.AgeBonus as initial age adjustment: strict tiers below
	// the top become soft ones (a contact of a higher class counts as older by the
	// difference of the bonuses). It needs Priorities.
	AgeBonus bool `json:"ageBonus,omitempty"`
	// EscalateEvery, when positive, raises a waiting contact's priority by one level each
	// time it has waited another EscalateEvery, until priority 1, and adds EscalateEvery to
	// its routing age at each step (credit for the wait, against the contacts already at the
	// new level). It needs Priorities.
	EscalateEvery sim.Duration `json:"escalateEvery,omitempty"`
	// OverflowDelay, when positive, delays overflow: with two queues, each team sees the
	// other queue's contacts only once they have waited OverflowDelay; with one queue, a
	// backup team of BackupShare of the agents (rounded down, at least one) sees the queue's contacts only
	// once they have waited OverflowDelay, the rest seeing them at once.
	OverflowDelay sim.Duration `json:"overflowDelay,omitempty"`
	BackupShare   float64      `json:"backupShare,omitempty"`
	// ExpertWait, when positive, makes the top class (the scenario's first) skill-matched:
	// its contacts carry routing criteria whose one step matches the experts, ExpertShare of
	// each team's agents (rounded down, at least one, fewer than the team) holding the
	// proficiency Expertise=<class> at level 5, and expires after ExpertWait (whole
	// seconds), after which any agent of the queue may take them.
	ExpertWait  sim.Duration `json:"expertWait,omitempty"`
	ExpertShare float64      `json:"expertShare,omitempty"`
}

// WorkConserving reports whether no agent stays idle while a contact it may take waits: true
// unless the rule set delays overflow or holds contacts for experts.
func (r *RuleSet) WorkConserving() bool { return r.OverflowDelay == 0 && r.ExpertWait == 0 }

// FIFO reports whether the rule set orders every queue first come, first served.
func (r *RuleSet) FIFO() bool { return !r.Priorities && r.WorkConserving() }

// PriorityOnly reports whether the rule set is static priorities and nothing else.
func (r *RuleSet) PriorityOnly() bool {
	return r.Priorities && !r.AgeBonus && r.EscalateEvery == 0 && r.WorkConserving()
}

// Suite is a set of scenarios crossed with a set of rule sets, run with the same settings:
// every cell runs Reps replications of Warmup + Hours + Cooldown. Contacts that arrive during
// the warm-up or the cool-down load the centre but are not measured; the cool-down lets the
// measured contacts leave the queue before the horizon, so that long waits are not cut off.
type Suite struct {
	Name      string          `json:"name"`
	Scenarios []SuiteScenario `json:"scenarios"`
	RuleSets  []RuleSet       `json:"ruleSets"`
	// Reps is the number of replications of every cell; at least 2 for an interval.
	Reps int `json:"reps"`
	// Seed seeds every cell: replication r of a cell of scenario sc uses the seed
	// ScenarioSeed(sc.Name) and index r, so that the rule sets of a scenario share their
	// random numbers and scenarios do not.
	Seed uint64 `json:"seed"`
	// Warmup and Cooldown are the unmeasured start and end of every replication.
	Warmup   sim.Duration `json:"warmup"`
	Cooldown sim.Duration `json:"cooldown"`
	// Confidence is the level of the confidence intervals, in (0, 1).
	Confidence float64 `json:"confidence"`
	// WaitThresholds are the waits t, in seconds, whose exceedance P(wait > t) every class
	// reports.
	WaitThresholds []float64 `json:"waitThresholds"`
	// Window is the width of the windows of the starvation figure (Config.Window):
	// a window needs DefaultMinWindowCount contacts of the lowest class to count.
	Window sim.Duration `json:"window"`
}

// Validate checks the suite: names unique, shares summing to 1, rule sets consistent, and
// every cell a valid sim.Scenario. Errors name the scenario or rule set.
func (s *Suite) Validate() error {
	switch {
	case len(s.Scenarios) == 0 || len(s.RuleSets) == 0:
		return fmt.Errorf("%w: suite %q: no scenarios or no rule sets", ErrInvalid, s.Name)
	case s.Reps < 1:
		return fmt.Errorf("%w: suite %q: %d replications; want at least 1", ErrInvalid, s.Name, s.Reps)
	case !(s.Confidence > 0 && s.Confidence < 1):
		return fmt.Errorf("%w: suite %q: confidence %v; want in (0, 1)", ErrInvalid, s.Name, s.Confidence)
	case s.Warmup < 0 || s.Cooldown < 0 || s.Window <= 0:
		return fmt.Errorf("%w: suite %q: warm-up %v, cool-down %v, window %v; want >= 0, >= 0, > 0", ErrInvalid, s.Name, s.Warmup, s.Cooldown, s.Window)
	}
	seen := map[string]bool{}
	for _, sc := range s.Scenarios {
		if seen["s:"+sc.Name] || sc.Name == "" {
			return fmt.Errorf("%w: scenario name %q empty or repeated", ErrInvalid, sc.Name)
		}
		seen["s:"+sc.Name] = true
	}
	for _, rs := range s.RuleSets {
		if seen["r:"+rs.Name] || rs.Name == "" {
			return fmt.Errorf("%w: rule set name %q empty or repeated", ErrInvalid, rs.Name)
		}
		seen["r:"+rs.Name] = true
	}
	for i := range s.Scenarios {
		for j := range s.RuleSets {
			if _, err := s.Build(i, j); err != nil {
				return err
			}
		}
	}
	return nil
}

// Build returns the sim.Scenario of cell (scenario i, rule set j): the scenario's queues,
// teams and arrivals with the rule set's classes and routing profiles, run for Warmup +
// Hours + Cooldown with the scenario's seed and the suite's replications. It returns an
// error wrapping ErrInvalid for an inconsistent scenario or rule set, or the scenario's
// validation error.
func (s *Suite) Build(i, j int) (*sim.Scenario, error) {
	sc, rs := &s.Scenarios[i], &s.RuleSets[j]
	if err := sc.check(); err != nil {
		return nil, err
	}
	if err := rs.check(); err != nil {
		return nil, err
	}
	measured := time.Duration(sc.Hours * float64(time.Hour))
	h := s.Warmup + dur(measured) + s.Cooldown
	out := &sim.Scenario{
		Name:         sc.Name + "/" + rs.Name,
		Horizon:      h,
		Warmup:       s.Warmup,
		Interval:     h,
		Cycle:        h,
		Replications: s.Reps,
		Seed:         s.ScenarioSeed(sc.Name),
		Classes:      rs.classes(sc.Classes),
	}
	weights := make([]sim.ClassWeight, len(sc.Classes))
	for k, c := range sc.Classes {
		weights[k] = sim.ClassWeight{Class: c.ID, Weight: c.Share}
	}
	for q, sq := range sc.Queues {
		out.Queues = append(out.Queues, routing.QueueConfig{ID: sq.ID})
		a := sim.Arrivals{Queue: sq.ID, RatePerHour: sc.ArrivalRate(q) * 3600, Classes: weights,
			HandleTime: sim.Exp(sc.Handle)}
		if sc.Patience > 0 {
			p := sim.Exp(sc.Patience)
			a.Patience = &p
		}
		out.Arrivals = append(out.Arrivals, a)
	}
	rs.teams(sc, out)
	rs.experts(sc.Classes[0].ID, out)
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("fairness: cell %s: %w", out.Name, err)
	}
	return out, nil
}

func (sc *SuiteScenario) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: scenario %q: %s", ErrInvalid, sc.Name, fmt.Sprintf(format, args...))
	}
	switch {
	case len(sc.Queues) < 1 || len(sc.Queues) > 2:
		return bad("%d queues; want 1 or 2", len(sc.Queues))
	case sc.Handle <= 0 || sc.Patience < 0:
		return bad("handle %v, patience %v; want handle > 0, patience >= 0", sc.Handle, sc.Patience)
	case len(sc.Classes) == 0:
		return bad("no classes")
	case !(sc.Hours > 0) || sc.Hours > 1e6:
		return bad("%v measured hours; want in (0, 1e6]", sc.Hours)
	}
	for _, q := range sc.Queues {
		if q.Agents < 1 || !(q.Load > 0) || math.IsInf(q.Load, 0) {
			return bad("queue %q: %d agents at load %v; want at least 1 agent and a load > 0", q.ID, q.Agents, q.Load)
		}
	}
	sum := 0.0
	for k, c := range sc.Classes {
		if !(c.Share > 0) || c.Priority < 1 || (k > 0 && c.Priority < sc.Classes[k-1].Priority) {
			return bad("class %q: share %v, priority %d; want share > 0, priorities >= 1 and non-decreasing", c.ID, c.Share, c.Priority)
		}
		sum += c.Share
	}
	if math.Abs(sum-1) > 1e-9 {
		return bad("class shares sum to %v; want 1", sum)
	}
	return nil
}

func (rs *RuleSet) check() error {
	if (rs.AgeBonus || rs.EscalateEvery != 0) && !rs.Priorities {
		return fmt.Errorf("%w: rule set %q: age bonus and escalation need priorities", ErrInvalid, rs.Name)
	}
	if rs.EscalateEvery < 0 || rs.OverflowDelay < 0 || rs.OverflowDelay > dur(9999*time.Second) ||
		rs.OverflowDelay%dur(time.Second) != 0 || !(rs.BackupShare >= 0 && rs.BackupShare < 1) {
		return fmt.Errorf("%w: rule set %q: escalation every %v, overflow delay %v, backup share %v; want >= 0, whole seconds up to 9999 s, share in [0, 1)",
			ErrInvalid, rs.Name, rs.EscalateEvery, rs.OverflowDelay, rs.BackupShare)
	}
	if rs.ExpertWait < 0 || rs.ExpertWait%dur(time.Second) != 0 || rs.ExpertWait > dur(math.MaxInt32*time.Second) ||
		rs.ExpertWait > 0 && !(rs.ExpertShare > 0 && rs.ExpertShare < 1) {
		return fmt.Errorf("%w: rule set %q: expert wait %v, expert share %v; want whole seconds >= 0, and a share in (0, 1) with a wait",
			ErrInvalid, rs.Name, rs.ExpertWait, rs.ExpertShare)
	}
	return nil
}

// Priority returns the initial QueuePriority the rule set gives class c.
func (rs *RuleSet) Priority(c SuiteClass) int64 {
	switch {
	case !rs.Priorities:
		return contact.DefaultPriority
	case rs.AgeBonus:
		return min(c.Priority, 2)
	}
	return c.Priority
}

// classes returns the sim classes of cs under the rule set.
func (rs *RuleSet) classes(cs []SuiteClass) []sim.Class {
	out := make([]sim.Class, len(cs))
	for k, c := range cs {
		sc := sim.Class{ID: c.ID, Priority: rs.Priority(c)}
		if rs.AgeBonus && sc.Priority > 1 {
			sc.AgeAdjustment = c.AgeBonus
		}
		if rs.ExpertWait > 0 && k == 0 {
			sc.RoutingCriteria = rs.expertCriteria(c.ID)
		}
		if rs.EscalateEvery > 0 {
			for step, p := int64(1), sc.Priority-1; p >= 1; step, p = step+1, p-1 {
				at := sim.Duration(step) * rs.EscalateEvery
				prio, age := p, rs.EscalateEvery
				sc.Rules = append(sc.Rules, sim.Rule{After: at, SetPriority: &prio}, sim.Rule{After: at, AddAge: &age})
			}
		}
		out[k] = sc
	}
	return out
}

// expertCriteria returns the routing criteria of the skill-matched class id: one step,
// Expertise=id at level 5, expiring after ExpertWait.
func (rs *RuleSet) expertCriteria(id string) *routing.RoutingCriteriaInput {
	level, secs := 5.0, int32(rs.ExpertWait.Seconds())
	return &routing.RoutingCriteriaInput{Steps: []routing.RoutingCriteriaInputStep{{
		Expression: &routing.Expression{AttributeCondition: &routing.AttributeCondition{Name: "Expertise", Value: id,
			ProficiencyLevel: &level, ComparisonOperator: routing.OpGreaterOrEqual}},
		Expiry: &routing.RoutingCriteriaInputStepExpiry{DurationInSeconds: &secs},
	}}}
}

// experts splits off ExpertShare of each agent group of out into a group of experts of the
// top class, on the same routing profile: ID + "-experts", holding Expertise=top at level 5.
func (rs *RuleSet) experts(top string, out *sim.Scenario) {
	if rs.ExpertWait <= 0 {
		return
	}
	var groups []sim.AgentGroup
	for _, g := range out.AgentGroups {
		n := min(max(1, int(math.Floor(rs.ExpertShare*float64(g.Count)))), g.Count-1)
		if n < 1 {
			groups = append(groups, g)
			continue
		}
		e := g
		e.ID, e.Count = g.ID+"-experts", n
		e.Proficiencies = []routing.Proficiency{{AttributeName: "Expertise", AttributeValue: top, Level: 5}}
		g.Count -= n
		groups = append(groups, g, e)
	}
	out.AgentGroups = groups
}

// teams adds the routing profiles and agent groups of sc under the rule set to out.
func (rs *RuleSet) teams(sc *SuiteScenario, out *sim.Scenario) {
	delay := int(rs.OverflowDelay.Seconds())
	entry := func(q string, prio, delay int) routing.ProfileQueueConfig {
		return routing.ProfileQueueConfig{QueueID: q, Channel: contact.Voice, Priority: prio, DelaySeconds: delay}
	}
	add := func(id string, agents int, entries ...routing.ProfileQueueConfig) {
		out.RoutingProfiles = append(out.RoutingProfiles, routing.ProfileConfig{ID: id, Queues: entries})
		out.AgentGroups = append(out.AgentGroups, sim.AgentGroup{ID: id, Count: agents, RoutingProfileID: id})
	}
	if len(sc.Queues) == 2 {
		a, b := sc.Queues[0], sc.Queues[1]
		add(a.ID+"-team", a.Agents, entry(a.ID, 1, 0), entry(b.ID, 2, delay))
		add(b.ID+"-team", b.Agents, entry(b.ID, 1, 0), entry(a.ID, 2, delay))
		return
	}
	q := sc.Queues[0]
	if delay == 0 {
		add(q.ID+"-team", q.Agents, entry(q.ID, 1, 0))
		return
	}
	backup := min(max(1, int(math.Floor(rs.BackupShare*float64(q.Agents)))), q.Agents-1)
	if backup < 1 {
		add(q.ID+"-team", q.Agents, entry(q.ID, 1, 0))
		return
	}
	add(q.ID+"-team", q.Agents-backup, entry(q.ID, 1, 0))
	add(q.ID+"-backup", backup, entry(q.ID, 1, delay))
}

// ScenarioSeed returns the seed of the cells of the named scenario: Seed plus the 64-bit
// FNV-1a hash of the name.
func (s *Suite) ScenarioSeed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return s.Seed + h.Sum64()
}

// CellIndex returns the indices of the named scenario and rule set, or -1, -1 if either is
// missing.
func (s *Suite) CellIndex(scenario, ruleSet string) (int, int) {
	i := slices.IndexFunc(s.Scenarios, func(sc SuiteScenario) bool { return sc.Name == scenario })
	j := slices.IndexFunc(s.RuleSets, func(rs RuleSet) bool { return rs.Name == ruleSet })
	if i < 0 || j < 0 {
		return -1, -1
	}
	return i, j
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
