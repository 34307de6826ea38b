package sim

// MaxTime is the longest duration a scenario accepts (a horizon, warm-up, delay or
// threshold): 100 years, so that sums of times never overflow.
const MaxTime = maxTime

// Layout is how a validated scenario's figures are laid out, for the programs built on the
// engine (what-if sweeps, the fairness suite): its queues, classes and intervals of the
// cycle in the order a Result lists them, and its agent groups' schedules. NewLayout builds
// one; the zero value has no groups (OnDuty panics on it). It is read-only, so safe for
// concurrent use.
type Layout struct {
	// Queues and Classes are the keys of Result.Queues and Result.Classes, in order;
	// Classes ends with DefaultClass when contacts may arrive without a declared class.
	Queues  []string
	Classes []string
	// Interval is the length of an interval of the cycle; Intervals are their keys
	// ("08:15"), those of Result.Intervals.
	Interval  Duration
	Intervals []string
	m         *model
}

// NewLayout validates sc and returns its layout, or sc's *ScenarioError. The cost is that
// of compiling the scenario, O(size of sc).
func NewLayout(sc *Scenario) (*Layout, error) {
	m, err := compile(sc)
	if err != nil {
		return nil, err
	}
	l := &Layout{Queues: m.queues, Interval: Duration(m.interval), m: m}
	for _, c := range m.classes {
		l.Classes = append(l.Classes, c.id)
	}
	for k := range m.nInt {
		l.Intervals = append(l.Intervals, m.intervalKey(k))
	}
	return l, nil
}

// OnDuty returns the agents of agent group g (its index in Scenario.AgentGroups) on duty
// at offset at of the cycle under the group's shift or staffing schedule. The cost is
// O(changes in the schedule). It panics when g is not the index of a group.
func (l *Layout) OnDuty(g int, at Duration) int {
	on := 0
	for _, bp := range l.m.groups[g].bps {
		if bp.off <= int64(at) {
			on = bp.n
		}
	}
	return on
}

// Dir returns the directory that relative trace paths are resolved against (see SetDir).
func (sc *Scenario) Dir() string { return sc.dir }

// TracePath returns the path of the trace file, resolved against Dir; "" without a trace.
func (sc *Scenario) TracePath() string { return sc.tracePath() }
