package fairness

import (
	"time"

	"github.com/routesim/routesim/sim"
)

// The built-in suites: their scenarios, rule sets, replications and seed.

// Defaults of the fairness suite.
const (
	// DefaultSuiteReps is the replications per cell of DefaultSuite, QuickSuiteReps of
	// QuickSuite.
	DefaultSuiteReps = 20
	QuickSuiteReps   = 5
	// DefaultSuiteSeed seeds both suites.
	DefaultSuiteSeed = 20260701
	// DefaultSuiteConfidence is the level of the suite's intervals: 99%, as the oracle tests
	// of DESIGN.md ask.
	DefaultSuiteConfidence = 0.99
	// quickScale divides the measured hours of DefaultSuite's scenarios in QuickSuite.
	quickScale = 200
)

func dur(d time.Duration) sim.Duration { return sim.Duration(d) }

// tiers3 is the three-class mix of most scenarios: gold at priority 1, then silver and bronze;
// under priority plus age, silver counts as two minutes older than bronze.
func tiers3() []SuiteClass {
	return []SuiteClass{
		{ID: "gold", Share: 0.2, Priority: 1},
		{ID: "silver", Share: 0.3, Priority: 2, AgeBonus: dur(2 * time.Minute)},
		{ID: "bronze", Share: 0.5, Priority: 3},
	}
}

// DefaultScenarios returns the suite's scenarios: one queue of 10 agents (two teams of 6 in
// overflow), five-minute exponential handle times, Poisson arrivals.
func DefaultScenarios() []SuiteScenario {
	handle := dur(5 * time.Minute)
	one := func(load float64) []SuiteQueue { return []SuiteQueue{{ID: "q", Agents: 10, Load: load}} }
	return []SuiteScenario{
		{Name: "balanced", Title: "balanced load: 10 agents at 80%, gold/silver/bronze 20/30/50%",
			Queues: one(0.80), Handle: handle, Classes: tiers3(), Hours: 800},
		{Name: "heavy", Title: "heavy load: 10 agents at 95%",
			Queues: one(0.95), Handle: handle, Classes: tiers3(), Hours: 3600},
		{Name: "overload", Title: "overload with abandonment: 10 agents at 110%, patience 10 min",
			Queues: one(1.10), Handle: handle, Patience: dur(10 * time.Minute), Classes: tiers3(), Hours: 200},
		{Name: "vip-heavy", Title: "VIP-heavy mix: 10 agents at 90%, vip/standard/basic 60/30/10%",
			Queues: one(0.90), Handle: handle, Hours: 2600, Classes: []SuiteClass{
				{ID: "vip", Share: 0.6, Priority: 1},
				{ID: "standard", Share: 0.3, Priority: 2, AgeBonus: dur(2 * time.Minute)},
				{ID: "basic", Share: 0.1, Priority: 3},
			}},
		{Name: "callbacks", Title: "callbacks with age bonus: 10 agents at 85%, callbacks carry 5 min of waiting",
			Queues: one(0.85), Handle: handle, Hours: 1300, Classes: []SuiteClass{
				{ID: "vip", Share: 0.1, Priority: 1},
				{ID: "inbound", Share: 0.6, Priority: 2},
				{ID: "callback", Share: 0.3, Priority: 3, AgeBonus: dur(5 * time.Minute)},
			}},
		{Name: "overflow", Title: "overflow: two teams of 6 at 95% and 65%, each overflowing to the other",
			Queues: []SuiteQueue{{ID: "billing", Agents: 6, Load: 0.95}, {ID: "tech", Agents: 6, Load: 0.65}},
			Handle: handle, Classes: tiers3(), Hours: 800},
	}
}

// DefaultRuleSets returns the suite's rule sets.
func DefaultRuleSets() []RuleSet {
	return []RuleSet{
		{Name: "fifo", Title: "plain FIFO: every contact priority 5, no age adjustment"},
		{Name: "priority", Title: "priority only: each class its priority", Priorities: true},
		{Name: "priority+age", Title: "priority plus age: the top class keeps priority 1, the others share priority 2 with their age bonuses",
			Priorities: true, AgeBonus: true},
		{Name: "escalation", Title: "age escalation: every 2 min in queue, one priority level up and 2 min of routing age",
			Priorities: true, EscalateEvery: dur(2 * time.Minute)},
		{Name: "delayed-overflow", Title: "delayed overflow: priorities; overflow (or a backup quarter of the agents) after 60 s",
			Priorities: true, OverflowDelay: dur(60 * time.Second), BackupShare: 0.25},
		{Name: "expert-first", Title: "expert first: priorities; the top class waits up to 30 s for its experts (routing criteria; a third of each team), then goes to anyone",
			Priorities: true, ExpertWait: dur(30 * time.Second), ExpertShare: 1.0 / 3},
	}
}

// DefaultSuite returns the suite "routesim fairness" runs: DefaultScenarios crossed with
// DefaultRuleSets, DefaultSuiteReps replications per cell, a warm-up of two hours and a
// cool-down of four, 99% intervals.
func DefaultSuite() *Suite {
	return &Suite{
		Name:           "default",
		Scenarios:      DefaultScenarios(),
		RuleSets:       DefaultRuleSets(),
		Reps:           DefaultSuiteReps,
		Seed:           DefaultSuiteSeed,
		Warmup:         dur(2 * time.Hour),
		Cooldown:       dur(4 * time.Hour),
		Confidence:     DefaultSuiteConfidence,
		WaitThresholds: []float64{20, 60},
		Window:         dur(24 * time.Hour),
	}
}

// QuickSuite returns DefaultSuite with QuickSuiteReps replications per cell, each 200 times
// shorter, with a warm-up of one hour and a cool-down of two: the same cells in a few
// seconds, for tests and CI. Its intervals are wide and its heavy-load figures biased low
// (the warm-up is short for that load).
func QuickSuite() *Suite {
	s := DefaultSuite()
	s.Name = "quick"
	s.Reps = QuickSuiteReps
	s.Warmup, s.Cooldown = dur(time.Hour), dur(2*time.Hour)
	for i := range s.Scenarios {
		s.Scenarios[i].Hours /= quickScale
	}
	return s
}
