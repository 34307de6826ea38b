package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// ContactRecord describes one contact of a replication, from arrival to the end of its
// life, for per-contact metrics computed outside the engine (the engine keeps none). Times
// are since the start of the replication; Routed and Ended are -1 when that did not happen
// before the horizon.
type ContactRecord struct {
	// Seq numbers the replication's contacts in order of arrival, from 0.
	Seq uint64
	// Arrival is when the contact entered its queue.
	Arrival Duration
	// Queue, Channel and Class say where it waited and what it was; QueueIndex and
	// ClassIndex index Result.Queues and Result.Classes.
	Queue      string
	QueueIndex int
	Channel    contact.Channel
	Class      string
	ClassIndex int
	// Priority is the initial QueuePriority.
	Priority int64
	// Routed is when it went to an agent; Agent and Group name the agent (AgentIndex indexes
	// Replication.Agents, -1 when never routed).
	Routed     Duration
	Agent      string
	AgentIndex int
	Group      string
	// HandleTime is the time an agent spends on it (drawn at arrival, or the trace's).
	HandleTime Duration
	// Ended is when it completed or abandoned.
	Ended Duration
	// AfterContactWork is the after-contact work its agent did after it completed (drawn
	// for the agent's group); 0 otherwise.
	AfterContactWork Duration
	// Reason is routing.Completed, routing.Abandoned, or routing.NotEnded for a contact
	// still waiting or with an agent at the horizon.
	Reason routing.EndReason
	// Warmup is true for a contact that arrived before the warm-up ended; the figures leave
	// it out.
	Warmup bool
	// Overtook counts the contacts of its queue and channel that arrived before it and were
	// still waiting when it was routed (its order inversions).
	Overtook int
	// Step is the step of its routing criteria that was active when an agent took it, from
	// 1; the number of steps + 1 when every step had expired; 0 when it carried no criteria
	// then or was never routed.
	Step int
	// Redial is true for a contact that is a redial of an abandoned one (Arrivals.Redial).
	Redial bool
	// Initiation is how its last queue segment began, as a Connect contact record's
	// InitiationMethod: "QUEUE_TRANSFER" after a transfer rule, "CALLBACK" for a queued
	// callback, "" for an arrival (flows.go). The record describes that segment: Arrival
	// is when it entered its queue.
	Initiation string
}

// Wait returns the real time the contact waited in queue: until it was routed, until it
// abandoned, or, still waiting, until end.
func (r *ContactRecord) Wait(end Duration) Duration {
	switch {
	case r.Routed >= 0:
		return r.Routed - r.Arrival
	case r.Ended >= 0:
		return r.Ended - r.Arrival
	}
	return end - r.Arrival
}

// Hooks let a caller watch one replication. A nil hook is skipped.
type Hooks struct {
	// OnContact is called once per contact when its life ends (completed or abandoned) and,
	// at the horizon, for every contact still waiting or with an agent, in order of
	// arrival. Calls come from the replication's goroutine, one at a time.
	OnContact func(ContactRecord)
	// Progress is called now and then with the fraction of the horizon simulated.
	Progress func(fraction float64)
}

// Totals counts every contact of a replication, warm-up included, by where it was at the
// horizon: Arrived = Completed + Abandoned + Waiting + InService + Blocked + CallbacksFailed
// always (the last two are 0 without flows). A callback waiting for its delay is Waiting.
type Totals struct {
	Arrived   int64 `json:"arrived"`
	Completed int64 `json:"completed"`
	Abandoned int64 `json:"abandoned"`
	Waiting   int64 `json:"waiting"`
	InService int64 `json:"inService"`
	// Blocked counts the contacts a full queue refused and no at-capacity branch took;
	// CallbacksFailed those whose callback used every attempt (see flows.go). Both add to
	// the sum above.
	Blocked         int64 `json:"blocked,omitempty"`
	CallbacksFailed int64 `json:"callbacksFailed,omitempty"`
}

// AgentTotals is one agent's time over the measured part of a replication (after the
// warm-up): Staffed is time on duty or still busy after going off duty, Busy time holding at
// least one contact or after-contact work, Staffed - Busy idle. Handled counts the contacts
// it took.
type AgentTotals struct {
	ID      string   `json:"id"`
	Group   string   `json:"group"`
	Handled int64    `json:"handled"`
	Staffed Duration `json:"staffed"`
	Busy    Duration `json:"busy"`
}

// Replication is the outcome of one replication.
type Replication struct {
	// Index is the replication's index in its run.
	Index     int              `json:"index"`
	Overall   Figures[float64] `json:"overall"`
	Queues    []Keyed[float64] `json:"queues"`
	Classes   []Keyed[float64] `json:"classes"`
	Intervals []Keyed[float64] `json:"intervals"`
	// Steps are the routing-criteria figures of the classes with criteria, in class order.
	Steps  []ClassSteps[float64] `json:"steps,omitempty"`
	Groups []Group[float64]      `json:"groups"`
	Agents []AgentTotals         `json:"agents"`
	Totals Totals                `json:"totals"`
	// Attempts, when a stream redials, break the figures down by attempt: "first" and
	// "redial".
	Attempts []Keyed[float64] `json:"attempts,omitempty"`
	// QueueIntervals, ClassIntervals and GroupIntervals, with RunOptions.IntervalDetail,
	// break each queue's, class's and agent group's figures down by interval of the cycle.
	QueueIntervals []Breakdown[Keyed[float64]] `json:"queueIntervals,omitempty"`
	ClassIntervals []Breakdown[Keyed[float64]] `json:"classIntervals,omitempty"`
	GroupIntervals []Breakdown[Group[float64]] `json:"groupIntervals,omitempty"`
	// DemandFactor is the replication's busyness factor when Scenario.DemandCV is
	// positive; 0 otherwise.
	DemandFactor float64 `json:"demandFactor,omitempty"`
	// Flows are the queue-capacity, transfer and callback figures (flows.go); nil for a
	// scenario without them.
	Flows *Flows[float64] `json:"flows,omitempty"`
	// Events counts the events the engine processed.
	Events uint64 `json:"events"`
}

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
// past the horizon when none comes before it.
func (e *engine) nextArrival(st *streamState, t int64) int64 {
	m := e.m
	sm := st.m
	x := st.arr.ExpFloat64()
	if e.factor != 1 {
		// Rates × factor reach x when the rates reach x / factor.
		x /= e.factor
	}
	if sm.rates == nil {
		if sm.rate == 0 {
			return math.MaxInt64
		}
		need := x / sm.rate
		if need >= float64(m.horizon-t) {
			return math.MaxInt64
		}
		return t + int64(math.Round(need))
	}
	if sm.perCycle == 0 {
		return math.MaxInt64
	}
	for t < m.horizon {
		if t%m.cycle == 0 && x >= sm.perCycle {
			// Skip whole cycles at once, so a long run of zero rates costs nothing.
			n := math.Floor(x / sm.perCycle)
			if n*float64(m.cycle) >= float64(m.horizon-t) {
				return math.MaxInt64
			}
			x = max(x-n*sm.perCycle, 0)
			t += int64(n) * m.cycle
			continue
		}
		k := (t / m.interval) % int64(m.nInt)
		end := (t/m.interval + 1) * m.interval
		r := sm.rates[k]
		if r > 0 {
			need := x / r
			if float64(end-t) > need {
				return t + int64(math.Round(need))
			}
			x -= r * float64(end-t)
		}
		t = end
	}
	return math.MaxInt64
}

func (e *engine) streamArrival(ev *event) {
	st := &e.streams[ev.idx]
	sm := st.m
	class := sm.classes[0]
	if len(sm.cum) > 0 {
		u := st.cls.Float64() * sm.cum[len(sm.cum)-1]
		i := 0
		for i < len(sm.cum)-1 && sm.cum[i] <= u {
			i++
		}
		class = sm.classes[i]
	}
	handle := st.handle.sample()
	patience := int64(-1)
	if sm.patience != nil {
		patience = st.patience.sample()
	}
	e.arrive(sm.queue, sm.lane, sm.ch, class, 0, handle, patience, ev.idx, false)
	if t := e.nextArrival(st, ev.at); t < e.m.horizon {
		e.cal.push(event{at: t, kind: evArrival, idx: ev.idx})
	}
}

func (e *engine) traceArrival() {
	m := e.m
	r := &e.row
	q := m.queueIdx[r.queue]
	e.arrive(q, m.laneIdx[laneKey{q, r.channel}], r.channel, m.classIdx[r.class], r.priority, r.handle, r.patience, -1, false)
	e.readTrace()
}

// readTrace reads the next trace row and schedules it.
func (e *engine) readTrace() {
	row, err := e.trace.next()
	if errors.Is(err, io.EOF) {
		return
	}
	if err != nil {
		e.err = fmt.Errorf("sim: trace %s: %w", e.trace.path, err)
		return
	}
	e.row = row
	if row.at < e.m.horizon {
		e.cal.push(event{at: row.at, kind: evArrival, idx: -1})
	}
}

func (e *engine) alloc() int32 {
	if n := len(e.free); n > 0 {
		s := e.free[n-1]
		e.free = e.free[:n-1]
		return s
	}
	e.slots = append(e.slots, slot{id: contact.ID("c" + strconv.Itoa(len(e.slots)))})
	return int32(len(e.slots) - 1)
}

func (e *engine) release(s int32) {
	sl := &e.slots[s]
	sl.state = slotFree
	sl.gen++
	e.free = append(e.free, s)
}

// cellsOf returns the cells a contact counts in: overall, its queue, class and interval.
func (e *engine) cellsOf(sl *slot) [4]*cell {
	m := e.m
	return [4]*cell{&e.cells[0], &e.cells[m.cellQueue+int(sl.queue)], &e.cells[m.cellClass+int(sl.class)],
		&e.cells[m.cellInt+int(sl.interval)]}
}

// arrive puts a new contact in its queue; prio 0 means its class's; stream is -1 for a
// trace row.
func (e *engine) arrive(q, lane int, ch contact.Channel, class int, prio, handle, patience int64, stream int32, redial bool) {
	m := e.m
	now := e.clk.ns
	cm := &m.classes[class]
	if prio == 0 {
		prio = cm.prio
	}
	s := e.alloc()
	sl := &e.slots[s]
	sl.state, sl.measured = slotWaiting, now >= m.warmup
	sl.queue, sl.lane, sl.class = int32(q), int32(lane), int32(class)
	sl.interval = int32((now % m.cycle) / m.interval)
	sl.agent, sl.overtook = -1, 0
	sl.seq, sl.laneSeq = e.seq, e.orders[lane].arrive()
	sl.arrival, sl.routed, sl.handle, sl.patience, sl.prio = now, -1, handle, patience, prio
	sl.crit, sl.critAt = int32(cm.crit), now
	sl.stream, sl.redial, sl.initiation = stream, redial, 0
	e.seq++
	e.totals.Arrived++
	if sl.measured {
		for _, c := range e.cellsOf(sl) {
			c.offered++
		}
		if c := e.attemptCell(sl); c != nil {
			c.offered++
		}
		if q, c := e.detailCells(sl); q != nil {
			q.offered++
			c.offered++
		}
	}
	spec := routing.ContactSpec{ID: sl.id, QueueID: m.queues[q], Channel: ch, Priority: prio, AgeAdjustment: cm.adj, Tag: int(s)}
	if cm.crit >= 0 {
		spec.Criteria = e.prep[cm.crit]
	}
	if m.flows {
		e.flowArrive(s)
	}
	_, err := e.in.StartContact(spec)
	if err != nil && m.flows {
		err = e.arriveRefused(s, spec, err)
	}
	if err != nil {
		e.fail("StartContact", err)
		return
	}
	sl = &e.slots[s]
	if sl.state != slotWaiting {
		return
	}
	if patience >= 0 {
		e.cal.push(event{at: now + patience, kind: evPatience, idx: s, gen: sl.gen})
	}
	if len(cm.rules) > 0 {
		e.cal.push(event{at: now + cm.rules[0].after, kind: evRule, idx: s, gen: sl.gen})
	}
}

// Wants implements routing.EventFilter: the engine hears only of the two kinds Observe uses.
func (e *engine) Wants(k routing.EventKind) bool {
	return k == routing.ContactRouted || k == routing.AfterContactWorkEnded
}

// Observe implements routing.Observer: the routing core reports routing decisions and the
// end of after-contact work here, during the engine's own calls into it.
func (e *engine) Observe(ev routing.Event) {
	switch ev.Kind {
	case routing.ContactRouted:
		e.routed(int32(ev.Tag), e.m.agentIdx[ev.AgentID], int32(ev.JoinedStep))
	case routing.AfterContactWorkEnded:
		a := e.m.agentIdx[ev.AgentID]
		e.account(a)
		e.agents[a].slots--
	}
}

// routed records a contact going to agent a and schedules its completion.
func (e *engine) routed(s, a, joined int32) {
	now := e.clk.ns
	sl := &e.slots[s]
	sl.state, sl.routed, sl.agent, sl.joined = slotWithAgent, now, a, joined
	ord := &e.orders[sl.lane]
	ahead := ord.ahead(sl.laneSeq)
	ord.leave(sl.laneSeq)
	sl.overtook = int32(ahead)
	if sl.measured {
		wait := now - sl.arrival
		for _, c := range e.cellsOf(sl) {
			c.handle(wait, ahead, e.m.sl)
		}
		if c := e.attemptCell(sl); c != nil {
			c.handle(wait, ahead, e.m.sl)
		}
		if q, c := e.detailCells(sl); q != nil {
			q.handle(wait, ahead, e.m.sl)
			c.handle(wait, ahead, e.m.sl)
		}
		if k := e.m.classes[sl.class].stepIdx; k >= 0 {
			e.steps[k].count(sl)
		}
	}
	if e.verify {
		e.routedNow = append(e.routedNow, s)
	}
	e.account(a)
	ag := &e.agents[a]
	ag.slots++
	if now >= e.m.warmup {
		ag.served++
		if e.m.detail != nil {
			e.countServed(a)
		}
	}
	if e.m.classTimes != nil {
		e.overrideHandle(sl, a)
	}
	if e.m.callbacks {
		e.dial(s)
	}
	e.cal.push(event{at: now + sl.handle, kind: evComplete, idx: s, gen: sl.gen})
}

func (e *engine) complete(ev *event) {
	sl := &e.slots[ev.idx]
	if sl.gen != ev.gen || sl.state != slotWithAgent {
		return
	}
	if e.m.callbacks && e.fl.slots[ev.idx].noAnswer {
		e.unanswered(ev)
		return
	}
	a := sl.agent
	g := e.m.agents[a].group
	acw := e.drawACW(g, sl.class)
	if err := e.in.EndContact(sl.id, routing.Completed, time.Duration(acw)); err != nil {
		e.fail("EndContact", err)
		return
	}
	if acw == 0 {
		e.account(a)
		e.agents[a].slots--
	}
	e.totals.Completed++
	e.emitACW(sl, routing.Completed, ev.at, acw)
	e.release(ev.idx)
}

func (e *engine) abandon(ev *event) {
	sl := &e.slots[ev.idx]
	if sl.gen != ev.gen || sl.state != slotWaiting {
		return
	}
	if err := e.in.EndContact(sl.id, routing.Abandoned, 0); err != nil {
		// A timer of the core due at this instant (a profile delay expiring) may have routed
		// the contact first: then it did not abandon.
		if sl.state != slotWaiting {
			return
		}
		e.fail("EndContact", err)
		return
	}
	e.orders[sl.lane].leave(sl.laneSeq)
	if sl.measured {
		for _, c := range e.cellsOf(sl) {
			c.abandon(ev.at - sl.arrival)
		}
		if c := e.attemptCell(sl); c != nil {
			c.abandon(ev.at - sl.arrival)
		}
		if q, c := e.detailCells(sl); q != nil {
			q.abandon(ev.at - sl.arrival)
			c.abandon(ev.at - sl.arrival)
		}
	}
	e.totals.Abandoned++
	e.emit(sl, routing.Abandoned, ev.at)
	if e.m.redials && sl.stream >= 0 {
		e.maybeRedial(sl, ev.at)
	}
	e.release(ev.idx)
}

func (e *engine) rule(ev *event) {
	sl := &e.slots[ev.idx]
	if sl.gen != ev.gen || sl.state != slotWaiting {
		return
	}
	rules := e.m.classes[sl.class].rules
	r := &rules[ev.aux]
	if r.flow != nil {
		e.flowRule(ev, r.flow)
		return
	}
	var err error
	if r.crit >= 0 {
		err = e.setCriteria(ev.idx, r)
	} else {
		err = e.in.UpdateRoutingData(sl.id, r.upd)
	}
	if err != nil {
		if sl.state != slotWaiting {
			return // routed by a core timer due at this instant
		}
		e.fail("UpdateRoutingData", err)
		return
	}
	if sl.state != slotWaiting {
		return
	}
	if next := ev.aux + 1; int(next) < len(rules) {
		e.cal.push(event{at: e.ruleBase(ev.idx) + rules[next].after, kind: evRule, idx: ev.idx, aux: next, gen: sl.gen})
	}
}

// shift applies breakpoint ev.aux of group ev.idx and schedules the next.
func (e *engine) shift(ev *event) {
	g := &e.m.groups[ev.idx]
	bp := g.bps[ev.aux]
	e.setOnDuty(int(ev.idx), bp.n)
	next := int(ev.aux) + 1
	at := ev.at - bp.off
	if next == len(g.bps) {
		next = 0
		at += e.m.cycle
	}
	at += g.bps[next].off
	if at < e.m.horizon {
		e.cal.push(event{at: at, kind: evShift, idx: ev.idx, aux: int32(next)})
	}
}

// setOnDuty makes agents 1..n of group g available and the others offline; an agent going
// offline finishes what it holds.
func (e *engine) setOnDuty(g, n int) {
	gm := &e.m.groups[g]
	for k := e.groupOn[g]; k < n; k++ {
		e.setAgent(int32(gm.first+k), true)
	}
	for k := e.groupOn[g] - 1; k >= n; k-- {
		e.setAgent(int32(gm.first+k), false)
	}
	e.groupOn[g] = n
}

func (e *engine) setAgent(a int32, on bool) {
	e.account(a)
	e.agents[a].onDuty = on
	st := routing.AgentOffline
	if on {
		st = routing.AgentAvailable
	}
	if err := e.in.SetAgentState(e.m.agents[a].id, st); err != nil {
		e.fail("SetAgentState", err)
	}
}

// account adds the time since the agent's last change to its busy and staffed totals,
// counting only time after the warm-up.
func (e *engine) account(a int32) {
	ag := &e.agents[a]
	now := e.clk.ns
	if from := max(ag.last, e.m.warmup); now > from {
		d := now - from
		if ag.slots > 0 {
			ag.busy += d
		}
		if ag.onDuty || ag.slots > 0 {
			ag.present += d
		}
		if e.m.detail != nil {
			e.accountIntervals(a, from, now)
		}
	}
	ag.last = now
}

// checkWake schedules a wake event at the routing core's next timer, unless one is already
// scheduled at or before it.
func (e *engine) checkWake() {
	t, ok := e.in.NextWake()
	if !ok {
		return
	}
	at := max(t.UnixNano(), e.clk.ns)
	if at < e.wakeAt && at < e.m.horizon {
		e.wakeAt = at
		e.cal.push(event{at: at, kind: evWake})
	}
}

func (e *engine) emit(sl *slot, reason routing.EndReason, ended int64) {
	e.emitACW(sl, reason, ended, 0)
}

func (e *engine) emitACW(sl *slot, reason routing.EndReason, ended, acw int64) {
	if e.hooks.OnContact == nil {
		return
	}
	m := e.m
	r := ContactRecord{Seq: sl.seq, Arrival: Duration(sl.arrival), Queue: m.queues[sl.queue], QueueIndex: int(sl.queue),
		Channel: m.lanes[sl.lane].ch, Class: m.classes[sl.class].id, ClassIndex: int(sl.class), Priority: sl.prio,
		Routed: Duration(sl.routed), AgentIndex: int(sl.agent), HandleTime: Duration(sl.handle), Ended: Duration(ended),
		AfterContactWork: Duration(acw), Reason: reason, Warmup: !sl.measured, Overtook: int(sl.overtook), Redial: sl.redial,
		Initiation: sl.initiation.String()}
	if sl.agent >= 0 {
		am := &m.agents[sl.agent]
		r.Agent, r.Group = am.id, m.groups[am.group].id
		if sl.crit >= 0 {
			r.Step = int(sl.joined)
			if r.Step == 0 {
				r.Step = len(m.crits[sl.crit].ends) + 1
			}
		}
	}
	e.hooks.OnContact(r)
}

// finish closes the books at the horizon and returns the replication's figures.
func (e *engine) finish(rep int) *Replication {
	m := e.m
	e.clk.ns = m.horizon
	for a := range e.agents {
		e.account(int32(a))
	}
	var open []int32
	for i := range e.slots {
		switch e.slots[i].state {
		case slotWaiting:
			e.totals.Waiting++
			open = append(open, int32(i))
		case slotWithAgent:
			e.totals.InService++
			open = append(open, int32(i))
		}
	}
	if e.hooks.OnContact != nil {
		slices.SortFunc(open, func(a, b int32) int { return int(e.slots[a].seq) - int(e.slots[b].seq) })
		for _, s := range open {
			e.emit(&e.slots[s], routing.NotEnded, -1)
		}
	}
	r := &Replication{Index: rep, Overall: e.cells[0].figures(), Totals: e.totals, Events: e.events}
	for i, q := range m.queues {
		r.Queues = append(r.Queues, Keyed[float64]{Key: q, Figures: e.cells[m.cellQueue+i].figures()})
	}
	for i, c := range m.classes {
		r.Classes = append(r.Classes, Keyed[float64]{Key: c.id, Figures: e.cells[m.cellClass+i].figures()})
	}
	for i := range m.nInt {
		r.Intervals = append(r.Intervals, Keyed[float64]{Key: m.intervalKey(i), Figures: e.cells[m.cellInt+i].figures()})
	}
	for i, c := range m.stepClasses {
		r.Steps = append(r.Steps, ClassSteps[float64]{Key: m.classes[c].id, StepFigures: e.steps[i].figures()})
	}
	e.finishRealism(r)
	e.finishDetail(r)
	e.finishFlows(r)
	r.Agents = make([]AgentTotals, len(m.agents))
	groups := make([]GroupFigures[float64], len(m.groups))
	for a, am := range m.agents {
		ag := &e.agents[a]
		r.Agents[a] = AgentTotals{ID: am.id, Group: m.groups[am.group].id, Handled: ag.served,
			Staffed: Duration(ag.present), Busy: Duration(ag.busy)}
		gf := &groups[am.group]
		gf.Handled += float64(ag.served)
		gf.StaffedHours += float64(ag.present) / nsPerHour
		gf.BusyHours += float64(ag.busy) / nsPerHour
	}
	for g, gm := range m.groups {
		gf := &groups[g]
		gf.Agents = float64(gm.count)
		gf.Occupancy = ratio(gf.BusyHours, gf.StaffedHours)
		r.Groups = append(r.Groups, Group[float64]{Key: gm.id, GroupFigures: *gf})
	}
	return r
}
