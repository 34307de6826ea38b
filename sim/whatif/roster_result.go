package whatif

import (
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
	// every goal checked in the interval in the final simulation.
	Intervals []RosterInterval `json:"intervals"`
	// Goals sum up, per goal, the intervals that checked and met it in the final
	// simulation, and those that missed it.
	Goals []RosterGoal `json:"goals"`
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
	// Targets are every goal of the what-if checked in the interval, with its confidence
	// interval over the replications: each queue (class) target on the contacts of that
	// queue (class) that arrived in it, each all-contacts target on all of them, and each
	// pool's occupancy bound on its agents' time in it when some are on duty. A goal with
	// nothing to check there (no such contact, no agent of the pool on duty) is left out. Met reports whether all are met.
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
