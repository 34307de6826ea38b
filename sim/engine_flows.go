package sim

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The engine's side of flows.go: capacity refusals, transfers and callbacks. Without
// flows (model.flows false) none of this runs.

// initiation is how a contact's segment began.
type initiation uint8

const (
	initArrival initiation = iota
	initTransfer
	initCallback
)

// String returns the InitiationMethod of a Connect contact record for a segment that
// began so; "" for an arrival (whose method depends on the channel).
func (i initiation) String() string {
	switch i {
	case initTransfer:
		return "QUEUE_TRANSFER"
	case initCallback:
		return "CALLBACK"
	}
	return ""
}

// flowSlot is the flows' state of one contact slot.
type flowSlot struct {
	// first is the contact's first arrival: its rules and its callback wait count from it.
	first int64
	// cb is the callback the contact accepted, until it connects; offQ is the queue where
	// it was offered, cbQueue where the callback is routed.
	cb            *callbackModel
	offQ, cbQueue int32
	tries         int32 // dials made
	// noAnswer is true while an agent holds a dial the customer does not answer; handle
	// keeps the contact's handle time meanwhile.
	noAnswer bool
	handle   int64
}

// flowCell accumulates the FlowFigures of one queue (or all) in a replication.
type flowCell struct {
	attempts, blocked, overflowed, transfersOut, transfersIn int64
	cbOffered, cbAccepted, cbConnected, cbFailed             int64
	cbWait                                                   sum128
}

// flowEngine is the engine's flow state: per slot, per queue (then one for all queues),
// and per callback rule its two coins.
type flowEngine struct {
	slots           []flowSlot
	cells           []flowCell
	accept, connect []*rand.Rand
}

// resetFlows sets up a replication's flow cells and callback coins.
func (e *engine) resetFlows(key uint64) {
	m := e.m
	if !m.flows {
		return
	}
	fe := &e.fl
	fe.cells = append(fe.cells[:0], make([]flowCell, len(m.queues)+1)...)
	fe.accept, fe.connect = fe.accept[:0], fe.connect[:0]
	for i := range m.nCallbacks {
		fe.accept = append(fe.accept, rand.New(newStream(key, purposeCallbackAccept, i)))
		fe.connect = append(fe.connect, rand.New(newStream(key, purposeCallbackConnect, i)))
	}
}

// count adds to the flow figure that f selects of queue q and of all queues, for a measured
// contact.
func (e *engine) count(sl *slot, q int32, f func(c *flowCell)) {
	if sl.measured {
		f(&e.fl.cells[q])
		f(&e.fl.cells[len(e.m.queues)])
	}
}

// flowArrive starts the flow state of a contact arriving at slot s.
func (e *engine) flowArrive(s int32) {
	for len(e.fl.slots) < len(e.slots) {
		e.fl.slots = append(e.fl.slots, flowSlot{})
	}
	sl := &e.slots[s]
	e.fl.slots[s] = flowSlot{first: e.clk.ns}
	e.count(sl, sl.queue, func(c *flowCell) { c.attempts++ })
}

// ruleBase is when the rules of the contact at slot s count from: its first arrival.
func (e *engine) ruleBase(s int32) int64 {
	if e.m.flows {
		return e.fl.slots[s].first
	}
	return e.slots[s].arrival
}

// segment is what a new queue segment changes in a slot.
type segment struct {
	queue, lane, crit int32
	laneSeq           uint64
	arrival, critAt   int64
}

// enterSegment makes slot s a new segment in queue q, counted as offered in its cells.
func (e *engine) enterSegment(s int32, q int) segment {
	sl := &e.slots[s]
	old := segment{queue: sl.queue, lane: sl.lane, crit: sl.crit, laneSeq: sl.laneSeq, arrival: sl.arrival, critAt: sl.critAt}
	ch := e.m.lanes[sl.lane].ch
	lane := e.m.laneIdx[laneKey{q, ch}]
	sl.queue, sl.lane, sl.laneSeq = int32(q), int32(lane), e.orders[lane].arrive()
	sl.arrival, sl.crit, sl.critAt = e.clk.ns, int32(e.m.classes[sl.class].crit), e.clk.ns
	e.offer(sl, 1)
	return old
}

// leaveSegment undoes enterSegment: the segment never was.
func (e *engine) leaveSegment(s int32, old segment) {
	sl := &e.slots[s]
	e.offer(sl, -1)
	e.orders[sl.lane].leave(sl.laneSeq)
	sl.queue, sl.lane, sl.crit, sl.laneSeq, sl.arrival, sl.critAt = old.queue, old.lane, old.crit, old.laneSeq, old.arrival, old.critAt
}

// offer adds d to the offered count of the contact's cells.
func (e *engine) offer(sl *slot, d int64) {
	if !sl.measured {
		return
	}
	cs, n := e.cellsOf(sl) // the interval is the contact's first arrival's
	for _, c := range cs[:n] {
		c.offered += d
	}
}

// transferOut counts the contact's segment as having left its queue without being
// handled or abandoned, and takes it off its lane.
func (e *engine) transferOut(sl *slot) {
	e.orders[sl.lane].leave(sl.laneSeq)
	if !sl.measured {
		return
	}
	cs, n := e.cellsOf(sl)
	for _, c := range cs[:n] {
		c.left++
	}
}

// place puts slot s into queue q through start, or, when q is full, into its class's
// at-capacity queue. It returns the queue entered, -1 when it was blocked, -2 after an
// internal error. Each try is a new segment.
func (e *engine) place(s int32, q int, start func(queueID string) error) int {
	tries := [2]int{q, e.m.atCap[e.slots[s].class]}
	for i, to := range tries {
		if to < 0 || (i == 1 && to == q) {
			continue
		}
		old := e.enterSegment(s, to)
		err := start(e.m.queues[to])
		if err == nil {
			if i == 1 {
				e.count(&e.slots[s], int32(q), func(c *flowCell) { c.overflowed++ })
			}
			return to
		}
		e.leaveSegment(s, old)
		if !errors.Is(err, routing.ErrQueueAtCapacity) {
			e.fail("placing a contact", err)
			return -2
		}
	}
	return -1
}

// block ends the contact at slot s, refused by queue q and its at-capacity branch.
func (e *engine) block(s int32, q int) {
	sl := &e.slots[s]
	e.count(sl, int32(q), func(c *flowCell) { c.blocked++ })
	e.totals.Blocked++
	e.release(s)
}

// arriveRefused handles a refusal of StartContact on arrival: when the queue is full, the
// contact takes its class's at-capacity branch. It returns the error when it is another.
func (e *engine) arriveRefused(s int32, spec routing.ContactSpec, err error) error {
	if !errors.Is(err, routing.ErrQueueAtCapacity) {
		return err
	}
	sl := &e.slots[s]
	q := int(sl.queue)
	e.offer(sl, -1)
	e.orders[sl.lane].leave(sl.laneSeq)
	alt := e.m.atCap[sl.class]
	if alt >= 0 && alt != q {
		e.enterSegment(s, alt)
		spec.QueueID = e.m.queues[alt]
		_, err = e.in.StartContact(spec)
		if err == nil {
			e.count(&e.slots[s], int32(q), func(c *flowCell) { c.overflowed++ })
			return nil
		}
		if !errors.Is(err, routing.ErrQueueAtCapacity) {
			return err
		}
		sl = &e.slots[s]
		e.offer(sl, -1)
		e.orders[sl.lane].leave(sl.laneSeq)
	}
	e.block(s, q)
	return nil
}

// flowRule applies a transfer or callback rule to the contact at slot s and schedules
// its class's next rule.
func (e *engine) flowRule(ev *event, fr *flowRule) {
	s := ev.idx
	// Fire the core's timers due now first: one may route the contact at this instant.
	e.in.Advance()
	if sl := &e.slots[s]; sl.state != slotWaiting || sl.gen != ev.gen {
		return
	}
	if fr.cb != nil {
		e.offerCallback(s, fr.cb)
	} else {
		e.transfer(s, fr.transfer)
	}
	sl := &e.slots[s]
	if sl.state != slotWaiting || sl.gen != ev.gen {
		return
	}
	rules := e.m.classes[sl.class].rules
	if next := ev.aux + 1; int(next) < len(rules) {
		e.cal.push(event{at: e.fl.slots[s].first + rules[next].after, kind: evRule, idx: s, aux: next, gen: sl.gen})
	}
}

// startFn returns how the contact at slot s is started in a queue: StartContact with the
// given priority and age adjustment and its class's criteria.
func (e *engine) startFn(s int32, prio int64, adj time.Duration) func(string) error {
	sl := &e.slots[s]
	cm := &e.m.classes[sl.class]
	spec := routing.ContactSpec{ID: sl.id, Channel: e.m.lanes[sl.lane].ch, Priority: prio, AgeAdjustment: adj, Tag: int(s)}
	if cm.crit >= 0 {
		spec.Criteria = e.prep[cm.crit]
	}
	return func(qid string) error {
		spec.QueueID = qid
		_, err := e.in.StartContact(spec)
		return err
	}
}

// transfer moves the waiting contact at slot s to queue dest (see flows.go).
func (e *engine) transfer(s int32, dest int) {
	sl := &e.slots[s]
	m := e.m
	cm := &m.classes[sl.class]
	from := sl.queue
	ch := m.lanes[sl.lane].ch
	e.count(sl, int32(dest), func(c *flowCell) { c.attempts++ })
	core := ch == contact.Task || ch == contact.Email
	var start func(string) error
	if core {
		spec := routing.TransferSpec{Priority: cm.prio, AgeAdjustment: cm.adj}
		if cm.crit >= 0 {
			spec.RoutingCriteria = m.crits[cm.crit].rc
		}
		start = func(qid string) error {
			spec.QueueID = qid
			id, err := e.in.TransferContact(e.slots[s].id, spec)
			if err == nil {
				e.slots[s].id = id
			}
			return err
		}
	} else {
		if err := e.in.EndContact(sl.id, routing.Removed, 0); err != nil {
			e.fail("EndContact (transfer)", err)
			return
		}
		start = e.startFn(s, cm.prio, cm.adj)
	}
	e.transferOut(sl)
	switch to := e.place(s, dest, start); to {
	case -2:
	case -1:
		if core {
			if err := e.in.EndContact(e.slots[s].id, routing.Removed, 0); err != nil {
				e.fail("EndContact (blocked transfer)", err)
				return
			}
		}
		e.block(s, dest)
	default:
		sl = &e.slots[s]
		sl.initiation = initTransfer
		e.count(sl, from, func(c *flowCell) { c.transfersOut++ })
		e.count(sl, int32(to), func(c *flowCell) { c.transfersIn++ })
	}
}
