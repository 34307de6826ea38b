package sim

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// Defaults applied to zero fields of a Scenario.
const (
	DefaultInterval     = Duration(15 * time.Minute)
	DefaultCycle        = Duration(24 * time.Hour)
	DefaultReplications = 10
	// DefaultStart is the Start of a scenario that gives none: Monday 1 January 2024,
	// 00:00 UTC.
	DefaultStart = "2024-01-01T00:00:00Z"
	// DefaultClass is the class of contacts that name none.
	DefaultClass = "default"
)

// DefaultServiceLevel is the service-level threshold used when a scenario lists none.
var DefaultServiceLevel = []Duration{Duration(20 * time.Second)}

// maxTime bounds every configured duration (about 100 years) so that time arithmetic in
// nanoseconds never overflows.
const maxTime = Duration(100 * 365 * 24 * time.Hour)

// Validate checks the scenario and returns the first error, a *ScenarioError wrapping
// ErrInvalidScenario that names the field by its JSON path, such as
// "agentGroups[1].count: -3 is negative". It reads the trace file, if any, to the end.
func (sc *Scenario) Validate() error {
	if err := sc.validateRun(); err != nil {
		return err
	}
	if err := sc.validateCentre(); err != nil {
		return err
	}
	if err := sc.validateClasses(); err != nil {
		return err
	}
	if err := sc.validateCriteria(); err != nil {
		return err
	}
	if err := sc.validateArrivals(); err != nil {
		return err
	}
	if err := sc.validateRealism(); err != nil {
		return err
	}
	if err := sc.validateFlows(); err != nil {
		return err
	}
	if sc.Trace != nil {
		return sc.validateTrace()
	}
	return nil
}

func (sc *Scenario) interval() Duration { return cmpOr(sc.Interval, DefaultInterval) }
func (sc *Scenario) cycle() Duration    { return cmpOr(sc.Cycle, DefaultCycle) }
func (sc *Scenario) reps() int {
	if sc.Replications == 0 {
		return DefaultReplications
	}
	return sc.Replications
}
func (sc *Scenario) serviceLevel() []Duration {
	if len(sc.ServiceLevel) == 0 {
		return DefaultServiceLevel
	}
	return sc.ServiceLevel
}

// nIntervals returns the number of intervals in a cycle.
func (sc *Scenario) nIntervals() int { return int(sc.cycle() / sc.interval()) }

// StartTime returns the wall-clock instant of simulated time 0: Start parsed as RFC 3339, or
// DefaultStart when Start is empty. An invalid Start (which Validate rejects) gives an error
// naming the field.
func (sc *Scenario) StartTime() (time.Time, error) {
	s := sc.Start
	if s == "" {
		s = DefaultStart
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fieldErr("start", "%q is not an RFC 3339 time such as %q", s, DefaultStart)
	}
	return t, nil
}

func cmpOr(d, def Duration) Duration {
	if d == 0 {
		return def
	}
	return d
}

func (sc *Scenario) validateRun() error {
	switch {
	case sc.Horizon <= 0:
		return fieldErr("horizon", "must be positive, got %v", sc.Horizon)
	case sc.Horizon > maxTime:
		return fieldErr("horizon", "%v is longer than 100 years", sc.Horizon)
	case sc.Warmup < 0:
		return fieldErr("warmup", "%v is negative", sc.Warmup)
	case sc.Warmup >= sc.Horizon:
		return fieldErr("warmup", "%v is not shorter than the horizon %v", sc.Warmup, sc.Horizon)
	case sc.Interval < 0:
		return fieldErr("interval", "%v is negative", sc.Interval)
	case sc.Cycle < 0 || sc.Cycle > maxTime:
		return fieldErr("cycle", "%v is out of range", sc.Cycle)
	case sc.cycle()%sc.interval() != 0:
		return fieldErr("cycle", "%v is not a whole number of intervals of %v", sc.cycle(), sc.interval())
	case sc.nIntervals() > 100_000:
		return fieldErr("interval", "%v makes %d intervals per cycle; at most 100000", sc.interval(), sc.nIntervals())
	case sc.Replications < 0:
		return fieldErr("replications", "%d is negative", sc.Replications)
	}
	for i, t := range sc.ServiceLevel {
		if t < 0 || t > maxTime {
			return fieldErr(fmt.Sprintf("serviceLevel[%d]", i), "%v is out of range", t)
		}
	}
	_, err := sc.StartTime()
	return err
}

// validateCentre checks queues, routing profiles (with the routing core's own checks, whose
// field paths are the scenario's) and agent groups.
func (sc *Scenario) validateCentre() error {
	switch {
	case len(sc.Queues) == 0:
		return fieldErr("queues", "a scenario needs at least one queue")
	case len(sc.RoutingProfiles) == 0:
		return fieldErr("routingProfiles", "a scenario needs at least one routing profile")
	case len(sc.AgentGroups) == 0:
		return fieldErr("agentGroups", "a scenario needs at least one agent group")
	}
	cfg := routing.InstanceConfig{ID: "scenario", Queues: sc.Queues, RoutingProfiles: sc.RoutingProfiles,
		PredefinedAttributes: sc.PredefinedAttributes}
	if _, err := routing.NewInstance(cfg, routing.NewManualClock(time.Unix(0, 0))); err != nil {
		var ce *routing.ConfigError
		if errors.As(err, &ce) {
			return fieldErr(ce.Field, "%s", ce.Reason)
		}
		return &ScenarioError{Reason: err.Error()}
	}
	profiles := make(map[string]bool, len(sc.RoutingProfiles))
	for _, p := range sc.RoutingProfiles {
		profiles[p.ID] = true
	}
	ids := make(map[string]bool, len(sc.AgentGroups))
	for i := range sc.AgentGroups {
		if err := sc.validateGroup(i, profiles, ids); err != nil {
			return err
		}
	}
	return nil
}

func (sc *Scenario) validateGroup(i int, profiles, ids map[string]bool) error {
	g := &sc.AgentGroups[i]
	f := fmt.Sprintf("agentGroups[%d]", i)
	switch {
	case g.ID == "":
		return fieldErr(f+".id", "must not be empty")
	case ids[g.ID]:
		return fieldErr(f+".id", "duplicate agent group id %q", g.ID)
	case g.Count < 0:
		return fieldErr(f+".count", "%d is negative", g.Count)
	case g.Count > 1_000_000:
		return fieldErr(f+".count", "%d is more than 1000000", g.Count)
	case !profiles[g.RoutingProfileID]:
		return fieldErr(f+".routingProfileId", "unknown routing profile %q", g.RoutingProfileID)
	case len(g.Shifts) > 0 && len(g.Staffing) > 0:
		return fieldErr(f+".staffing", "give shifts or staffing, not both")
	case len(g.Staffing) > 0 && len(g.Staffing) != sc.nIntervals():
		return fieldErr(f+".staffing", "%d entries; want one per interval of the cycle, %d", len(g.Staffing), sc.nIntervals())
	}
	ids[g.ID] = true
	for j, n := range g.Staffing {
		if n < 0 || n > g.Count {
			return fieldErr(fmt.Sprintf("%s.staffing[%d]", f, j), "%d is out of range 0..%d (the group's count)", n, g.Count)
		}
	}
	for j, s := range g.Shifts {
		h := fmt.Sprintf("%s.shifts[%d]", f, j)
		switch {
		case s.Start < 0 || s.Start >= sc.cycle():
			return fieldErr(h+".start", "%v is outside the cycle [0, %v)", s.Start, sc.cycle())
		case s.End <= s.Start:
			return fieldErr(h+".end", "%v is not after the start %v", s.End, s.Start)
		case s.End-s.Start > sc.cycle():
			return fieldErr(h+".end", "the shift %v..%v is longer than the cycle %v", s.Start, s.End, sc.cycle())
		}
	}
	if g.AfterContactWork != nil {
		return g.AfterContactWork.validate(f + ".afterContactWork")
	}
	return nil
}

func (sc *Scenario) validateClasses() error {
	ids := make(map[string]bool, len(sc.Classes))
	for i := range sc.Classes {
		c := &sc.Classes[i]
		f := fmt.Sprintf("classes[%d]", i)
		switch {
		case c.ID == "":
			return fieldErr(f+".id", "must not be empty")
		case ids[c.ID]:
			return fieldErr(f+".id", "duplicate class id %q", c.ID)
		case c.Priority < 0:
			return fieldErr(f+".priority", "%d is out of range %d..%d", c.Priority, contact.MinPriority, contact.MaxPriority)
		case c.AgeAdjustment > maxTime || c.AgeAdjustment < -maxTime:
			return fieldErr(f+".ageAdjustment", "%v is beyond ±100 years", c.AgeAdjustment)
		}
		ids[c.ID] = true
		for j, r := range c.Rules {
			g := fmt.Sprintf("%s.rules[%d]", f, j)
			switch {
			case r.After < 0 || r.After > maxTime:
				return fieldErr(g+".after", "%v is out of range", r.After)
			case r.SetPriority != nil && r.AddAge != nil:
				return fieldErr(g, "set at most one of setPriority and addAge")
			case r.SetPriority == nil && r.AddAge == nil && r.SetRoutingCriteria == nil && !r.isFlow():
				return fieldErr(g, "set setPriority, addAge, setRoutingCriteria, transferTo or callback")
			case r.SetPriority != nil && *r.SetPriority < contact.MinPriority:
				return fieldErr(g+".setPriority", "%d is out of range %d..%d", *r.SetPriority, contact.MinPriority, contact.MaxPriority)
			case r.AddAge != nil && (*r.AddAge > maxTime || *r.AddAge < -maxTime):
				return fieldErr(g+".addAge", "%v is beyond ±100 years", *r.AddAge)
			}
		}
	}
	return nil
}

// hasClass reports whether id names a class, the built-in default included.
func (sc *Scenario) hasClass(id string) bool {
	if id == DefaultClass {
		return true
	}
	for _, c := range sc.Classes {
		if c.ID == id {
			return true
		}
	}
	return false
}

func (sc *Scenario) validateArrivals() error {
	if len(sc.Arrivals) == 0 && sc.Trace == nil {
		return fieldErr("arrivals", "a scenario needs arrival streams or a trace")
	}
	for i := range sc.Arrivals {
		if err := sc.validateStream(i); err != nil {
			return err
		}
	}
	return nil
}

func (sc *Scenario) validateStream(i int) error {
	a := &sc.Arrivals[i]
	f := fmt.Sprintf("arrivals[%d]", i)
	if err := sc.checkLane(f, a.Queue, a.Channel); err != nil {
		return err
	}
	switch {
	case (a.RatePerHour != 0) == (len(a.RatesPerHour) > 0):
		if a.RatePerHour == 0 {
			return fieldErr(f+".ratePerHour", "set ratePerHour or ratesPerHour")
		}
		return fieldErr(f+".ratesPerHour", "set ratePerHour or ratesPerHour, not both")
	case !validRate(a.RatePerHour):
		return fieldErr(f+".ratePerHour", "%v is not a non-negative number", a.RatePerHour)
	case len(a.RatesPerHour) > 0 && len(a.RatesPerHour) != sc.nIntervals():
		return fieldErr(f+".ratesPerHour", "%d entries; want one per interval of the cycle, %d", len(a.RatesPerHour), sc.nIntervals())
	case a.Class != "" && len(a.Classes) > 0:
		return fieldErr(f+".classes", "give class or classes, not both")
	case a.Class != "" && !sc.hasClass(a.Class):
		return fieldErr(f+".class", "unknown class %q", a.Class)
	}
	for j, r := range a.RatesPerHour {
		if !validRate(r) {
			return fieldErr(fmt.Sprintf("%s.ratesPerHour[%d]", f, j), "%v is not a non-negative number", r)
		}
	}
	sum := 0.0
	for j, cw := range a.Classes {
		g := fmt.Sprintf("%s.classes[%d]", f, j)
		switch {
		case !sc.hasClass(cw.Class):
			return fieldErr(g+".class", "unknown class %q", cw.Class)
		case !validRate(cw.Weight):
			return fieldErr(g+".weight", "%v is not a non-negative number", cw.Weight)
		}
		sum += cw.Weight
	}
	if len(a.Classes) > 0 && sum <= 0 {
		return fieldErr(f+".classes", "the weights sum to 0")
	}
	if err := a.HandleTime.validate(f + ".handleTime"); err != nil {
		return err
	}
	if a.Patience != nil {
		return a.Patience.validate(f + ".patience")
	}
	return nil
}

func validRate(r float64) bool { return r >= 0 && !math.IsInf(r, 0) }

// checkLane checks that queue exists, that ch is a channel (empty for VOICE), and that some
// agent group's routing profile serves the pair: without one its contacts could never be
// answered.
func (sc *Scenario) checkLane(f, queue string, ch contact.Channel) error {
	found := false
	for _, q := range sc.Queues {
		found = found || q.ID == queue
	}
	if !found {
		return fieldErr(f+".queue", "unknown queue %q", queue)
	}
	if ch == "" {
		ch = contact.Voice
	}
	if !ch.Valid() {
		return fieldErr(f+".channel", "%q is not VOICE, CHAT, TASK or EMAIL", ch)
	}
	for _, g := range sc.AgentGroups {
		for _, p := range sc.RoutingProfiles {
			if p.ID != g.RoutingProfileID {
				continue
			}
			for _, e := range p.Queues {
				if e.QueueID == queue && e.Channel == ch {
					return nil
				}
			}
		}
	}
	return fieldErr(f+".queue", "no agent group's routing profile serves queue %q on channel %s", queue, ch)
}
