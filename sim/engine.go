package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

type slotState uint8

const (
	slotFree slotState = iota
	slotWaiting
	slotWithAgent
)

// slot is the engine's state of one live contact. Slots are recycled, and with them the
// contact IDs (the routing core forgets ended contacts), so a run allocates none per
// contact; gen tells a recycled slot's events from its current ones.
type slot struct {
	id                     contact.ID
	gen                    uint32
	state                  slotState
	measured               bool
	queue, lane, class     int32
	interval, agent        int32
	seq, laneSeq           uint64
	arrival, routed        int64
	handle, patience, prio int64
	overtook               int32
	// crit indexes model.crits: the contact's routing criteria, active since critAt; -1
	// for none.
	crit   int32
	critAt int64
	// joined is the step the contact joined at, from the core's ContactRouted event: 1..n,
	// or 0 for none (no criteria, or every step expired).
	joined int32
	// stream is the arrival stream, -1 for a trace row; redial is true for a redial.
	stream int32
	redial bool
	// initiation is how the contact's current segment began (flows.go), 0 for an arrival.
	initiation initiation
}

type streamState struct {
	m        *streamModel
	arr, cls *rand.Rand
	handle   sampler
	patience sampler
	redial   redialState
}

type agentState struct {
	onDuty                bool
	slots                 int32
	last                  int64
	busy, present, served int64
}

// clock is the virtual clock the routing core reads.
type clock struct{ ns int64 }

// Now returns the virtual time.
func (c *clock) Now() time.Time { return time.Unix(0, c.ns).UTC() }

// engine runs replications of one model. An engine is reused across the replications a
// worker runs, keeping its slices. Not safe for concurrent use.
type engine struct {
	m       *model
	clk     clock
	cal     calendar
	in      *routing.Instance
	slots   []slot
	free    []int32
	streams []streamState
	acw     []sampler
	agents  []agentState
	groupOn []int
	cells   []cell
	steps   []stepCell                  // per class with criteria (model.stepClasses)
	prep    []*routing.PreparedCriteria // per model.crits, prepared for in
	orders  []arrivalOrder
	wakeAt  int64
	seq     uint64
	totals  Totals
	hooks   Hooks
	trace   *traceReader
	row     traceRow
	events  uint64
	err     error
	// verify, for tests, checks the routing core's invariants after every event, and that
	// the step each contact routed by the event joined at is the one DescribeContact reports.
	verify    bool
	routedNow []int32
	// factor is the replication's busyness factor (1 without uncertain demand); ctHandle
	// and ctACW draw the class-times overrides, per model.classTimes.
	factor          float64
	ctHandle, ctACW []sampler
	// groupIv holds each agent group's figures per interval (model.detail), group-major.
	groupIv []groupInterval
	// fl is the state of queue capacity, transfers and callbacks (engine_flows.go).
	fl flowEngine
}

func newEngine(m *model) *engine {
	e := &engine{m: m}
	e.cells = make([]cell, m.nCells)
	e.steps = make([]stepCell, len(m.stepClasses))
	e.orders = make([]arrivalOrder, len(m.lanes))
	e.agents = make([]agentState, len(m.agents))
	e.groupOn = make([]int, len(m.groups))
	return e
}

// RunReplication runs replication rep of a run of sc seeded with seed: the same figures as
// Run's replication rep. It validates sc first. ctx cancels it between events.
func RunReplication(ctx context.Context, sc *Scenario, seed uint64, rep int, hooks Hooks) (*Replication, error) {
	m, err := compile(sc)
	if err != nil {
		return nil, err
	}
	return newEngine(m).run(ctx, seed, rep, hooks)
}

func (e *engine) reset(seed uint64, rep int, hooks Hooks) error {
	m := e.m
	e.hooks = hooks
	e.clk.ns = 0
	e.cal.reset()
	cfg := m.cfg
	cfg.Observer = e
	in, err := routing.NewInstance(cfg, &e.clk)
	if err != nil {
		return fmt.Errorf("sim: building the instance: %w", err)
	}
	e.in = in
	e.prep = e.prep[:0]
	for i := range m.crits {
		p, err := in.PrepareRoutingCriteria(m.crits[i].rc)
		if err != nil {
			return fmt.Errorf("sim: preparing routing criteria: %w", err)
		}
		e.prep = append(e.prep, p)
	}
	for i, c := range m.stepClasses {
		e.steps[i].reset(m.classes[c].steps)
	}
	e.free = e.free[:0]
	for i := len(e.slots) - 1; i >= 0; i-- {
		e.slots[i].state = slotFree
		e.slots[i].gen++
		e.free = append(e.free, int32(i))
	}
	key := repKey(seed, rep)
	e.streams = e.streams[:0]
	for i := range m.streams {
		sm := &m.streams[i]
		st := streamState{m: sm,
			arr:    rand.New(newStream(key, purposeArrivals, i)),
			cls:    rand.New(newStream(key, purposeClass, i)),
			handle: newSampler(sm.handle, newStream(key, purposeHandle, i)),
		}
		if sm.patience != nil {
			st.patience = newSampler(sm.patience, newStream(key, purposePatience, i))
		}
		e.streams = append(e.streams, st)
	}
	e.acw = e.acw[:0]
	for i := range m.groups {
		var s sampler
		if g := &m.groups[i]; g.acw != nil {
			s = newSampler(g.acw, newStream(key, purposeACW, i))
		}
		e.acw = append(e.acw, s)
	}
	e.resetRealism(key)
	e.resetFlows(key)
	clear(e.agents)
	clear(e.groupOn)
	for i := range e.cells {
		e.cells[i].reset(len(m.sl))
	}
	e.resetDetail()
	for i := range e.orders {
		e.orders[i].reset()
	}
	e.wakeAt = math.MaxInt64
	e.seq, e.events, e.err = 0, 0, nil
	e.totals = Totals{}
	return nil
}

// run runs one replication: the loop of the package doc.
func (e *engine) run(ctx context.Context, seed uint64, rep int, hooks Hooks) (*Replication, error) {
	if err := e.reset(seed, rep, hooks); err != nil {
		return nil, err
	}
	if err := e.start(); err != nil {
		return nil, err
	}
	defer e.closeTrace()
	m := e.m
	for {
		ev := e.cal.pop()
		e.clk.ns = ev.at
		if ev.kind == evEnd {
			break
		}
		e.dispatch(&ev)
		if e.err != nil {
			return nil, e.err
		}
		if e.verify {
			if err := e.verifySteps(); err != nil {
				return nil, fmt.Errorf("sim: at %v after event kind %d: %w", time.Duration(ev.at), ev.kind, err)
			}
		}
		if m.needWake {
			e.checkWake()
		}
		if e.verify {
			if err := e.in.Verify(); err != nil {
				return nil, fmt.Errorf("sim: at %v after event kind %d: %w", time.Duration(ev.at), ev.kind, err)
			}
		}
		e.events++
		if e.events&0xfff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if e.hooks.Progress != nil {
				e.hooks.Progress(float64(ev.at) / float64(m.horizon))
			}
		}
	}
	return e.finish(rep), nil
}

// start sets the initial staffing and schedules the first events: schedule breakpoints
// first, then the horizon, then each stream's first arrival in scenario order, then the
// trace's.
func (e *engine) start() error {
	m := e.m
	for g := range m.groups {
		e.setOnDuty(g, m.groups[g].bps[0].n)
		if len(m.groups[g].bps) > 1 {
			e.cal.push(event{at: m.groups[g].bps[1].off, kind: evShift, idx: int32(g), aux: 1})
		}
	}
	e.cal.push(event{at: m.horizon, kind: evEnd})
	for i := range e.streams {
		if t := e.nextArrival(&e.streams[i], 0); t < m.horizon {
			e.cal.push(event{at: t, kind: evArrival, idx: int32(i)})
		}
	}
	if m.tracePath != "" {
		t, err := openTrace(m.tracePath)
		if err != nil {
			return fmt.Errorf("sim: trace: %w", err)
		}
		e.trace = t
		e.readTrace()
	}
	if m.needWake {
		e.checkWake()
	}
	return e.err
}

func (e *engine) closeTrace() {
	if e.trace != nil {
		e.trace.close()
		e.trace = nil
	}
}

func (e *engine) dispatch(ev *event) {
	switch ev.kind {
	case evArrival:
		if ev.idx < 0 {
			e.traceArrival()
		} else {
			e.streamArrival(ev)
		}
	case evComplete:
		e.complete(ev)
	case evPatience:
		e.abandon(ev)
	case evRule:
		e.rule(ev)
	case evShift:
		e.shift(ev)
	case evRedial:
		e.redialArrival(ev)
	case evCallback:
		e.callbackEnter(ev)
	case evWake:
		if ev.at == e.wakeAt {
			e.wakeAt = math.MaxInt64
		}
		e.in.Advance()
	}
}

func (e *engine) fail(what string, err error) {
	if e.err == nil {
		e.err = fmt.Errorf("sim: internal error: %s at %v: %w", what, time.Duration(e.clk.ns), err)
	}
}

// nextArrival returns the first arrival of a stream after t: piecewise-constant Poisson by
// inversion, one Exp(1) draw spent across intervals at their rates. It returns a time at or
