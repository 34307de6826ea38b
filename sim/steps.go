package sim

import (
	"fmt"
	"strconv"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// StepFigures are the routing-criteria figures of one class: where the contacts it handled
// (after the warm-up) were joined, as shares of them. T is float64 for one replication and
// Estimate for a run; every share is NaN for a replication that handled none of the class.
// The shares sum to 1.
type StepFigures[T any] struct {
	// Joined holds, per step of the class's routing criteria (the most steps of its
	// criteria, when rules set others), the share of handled contacts an agent took while
	// that step was active: a join at the step (DescribeContact's JOINED).
	Joined []T `json:"joined"`
	// AfterExpiry is the share taken after every step of their criteria had expired, by any
	// agent of the queue.
	AfterExpiry T `json:"afterExpiry"`
	// NoCriteria is the share taken while they carried no criteria (before a rule set some).
	NoCriteria T `json:"noCriteria"`
}

// each calls fn with the name and address of every figure, in a fixed order:
// "joinedStep1" .. "joinedStepN", "joinedAfterExpiry", "joinedNoCriteria".
func (s *StepFigures[T]) each(fn func(name string, v *T)) {
	for i := range s.Joined {
		fn("joinedStep"+strconv.Itoa(i+1), &s.Joined[i])
	}
	fn("joinedAfterExpiry", &s.AfterExpiry)
	fn("joinedNoCriteria", &s.NoCriteria)
}

// ClassSteps is the routing-criteria figures of one class.
type ClassSteps[T any] struct {
	// Key is the class ID.
	Key string `json:"key"`
	StepFigures[T]
}

// MarshalJSON writes {"key", "joined", "afterExpiry", "noCriteria"}, NaN as null.
func (c ClassSteps[T]) MarshalJSON() ([]byte, error) {
	return writeObject([]jsonField{{"key", c.Key}, {"joined", c.Joined}, {"afterExpiry", c.AfterExpiry}, {"noCriteria", c.NoCriteria}})
}

// stepCell counts, for one class of one replication, the handled contacts by the step of
// their criteria active when they were taken: joined[i] for step i, joined[n] after every
// step expired, none without criteria.
type stepCell struct {
	joined []int64
	none   int64
}

func (c *stepCell) reset(steps int) {
	if cap(c.joined) < steps+1 {
		c.joined = make([]int64, steps+1)
	}
	c.joined = c.joined[:steps+1]
	clear(c.joined)
	c.none = 0
}

func (c *stepCell) figures() StepFigures[float64] {
	total := float64(c.none)
	for _, k := range c.joined {
		total += float64(k)
	}
	n := len(c.joined) - 1
	f := StepFigures[float64]{Joined: make([]float64, n), AfterExpiry: ratio(float64(c.joined[n]), total),
		NoCriteria: ratio(float64(c.none), total)}
	for i := range n {
		f.Joined[i] = ratio(float64(c.joined[i]), total)
	}
	return f
}

// aggregateSteps turns per-replication step figures of a class into estimates.
func aggregateSteps(reps []*StepFigures[float64], steps int, conf float64) StepFigures[Estimate] {
	out := StepFigures[Estimate]{Joined: make([]Estimate, steps)}
	Aggregate(out.each, reps, (*StepFigures[float64]).each, conf)
	return out
}

// count counts a handled contact of the cell's class at the step the routing core reported.
func (c *stepCell) count(sl *slot) {
	switch {
	case sl.crit < 0:
		c.none++
	case sl.joined > 0:
		c.joined[sl.joined-1]++
	default:
		c.joined[len(c.joined)-1]++
	}
}

// setCriteria applies rule r, which sets routing criteria, to the waiting contact of slot s.
// The core's timers due now fire first, so a contact they route is counted under its old
// criteria; the slot takes the new criteria before the call, in which the core may route
// the contact at once.
func (e *engine) setCriteria(s int32, r *ruleModel) error {
	e.in.Advance()
	sl := &e.slots[s]
	if sl.state != slotWaiting {
		return nil
	}
	crit, at := sl.crit, sl.critAt
	sl.crit, sl.critAt = int32(r.crit), e.clk.ns
	var u contact.RoutingUpdate
	if r.hasUpd {
		u = r.upd
	}
	err := e.in.UpdateRoutingCriteria(sl.id, e.m.crits[r.crit].rc, u)
	if err != nil {
		sl = &e.slots[s]
		sl.crit, sl.critAt = crit, at
	}
	return err
}

// verifySteps checks, for tests, that the contacts routed by the last event joined at the
// step the core's event reported, as DescribeContact reports it and as the step durations
// say (model.stepAt).
func (e *engine) verifySteps() error {
	defer func() { e.routedNow = e.routedNow[:0] }()
	for _, s := range e.routedNow {
		sl := &e.slots[s]
		if sl.state != slotWithAgent {
			continue // completed in the same event (zero handle time)
		}
		info, err := e.in.DescribeContact(sl.id)
		if err != nil {
			return err
		}
		want := -1 // no criteria
		if sl.crit >= 0 {
			n := len(e.m.crits[sl.crit].ends)
			want = n
			if sl.joined > 0 {
				want = int(sl.joined) - 1
			}
			if at := e.m.crits[sl.crit].stepAt(sl.routed - sl.critAt); at != want {
				return fmt.Errorf("contact %s joined at step %d by the core's event; its step durations say %d", sl.id, want, at)
			}
		}
		got := -1
		if rc := info.RoutingCriteria; rc != nil {
			got = len(rc.Steps)
			for i, st := range rc.Steps {
				if st.Status == routing.StepJoined {
					got = i
				}
			}
		}
		if got != want {
			return fmt.Errorf("contact %s joined at step %d by DescribeContact, %d by the core's event", sl.id, got, want)
		}
	}
	return nil
}
