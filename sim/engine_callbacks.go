package sim

import (
	"time"

	"github.com/routesim/routesim/routing"
)

// The engine's side of queued callbacks (see flows.go).

// offerCallback offers the waiting contact at slot s the callback cb; if it accepts, it
// leaves its queue and its callback is scheduled.
func (e *engine) offerCallback(s int32, cb *callbackModel) {
	sl := &e.slots[s]
	e.count(sl, sl.queue, func(c *flowCell) { c.cbOffered++ })
	if e.fl.accept[cb.index].Float64() >= cb.share {
		return
	}
	if err := e.in.EndContact(sl.id, routing.Removed, 0); err != nil {
		e.fail("EndContact (callback)", err)
		return
	}
	e.count(sl, sl.queue, func(c *flowCell) { c.cbAccepted++ })
	e.transferOut(sl)
	fs := &e.fl.slots[s]
	sl.initiation = initCallback
	fs.cb, fs.offQ, fs.cbQueue = cb, sl.queue, sl.queue
	if cb.queue >= 0 {
		fs.cbQueue = int32(cb.queue)
	}
	// A new generation: the contact's patience and later rules no longer apply. It stays
	// slotWaiting (waiting for its callback) until the callback connects.
	sl.gen++
	e.cal.push(event{at: e.clk.ns + cb.delay, kind: evCallback, idx: s, gen: sl.gen})
}

// callbackEnter queues the callback of slot ev.idx, an attempt at a time.
func (e *engine) callbackEnter(ev *event) {
	s := ev.idx
	sl := &e.slots[s]
	if sl.gen != ev.gen || sl.state != slotWaiting {
		return
	}
	fs := &e.fl.slots[s]
	cb := fs.cb
	prio := cb.prio
	if prio == 0 {
		prio = e.m.classes[sl.class].prio
	}
	e.count(sl, fs.cbQueue, func(c *flowCell) { c.attempts++ })
	if to := e.place(s, int(fs.cbQueue), e.startFn(s, prio, time.Duration(cb.adj))); to == -1 {
		// Refused by a full queue and its at-capacity branch: the callback fails, counted
		// as blocked where refused.
		e.count(sl, fs.cbQueue, func(c *flowCell) { c.blocked++ })
		e.failCallback(s)
	}
}

// failCallback ends the callback of slot s that will not connect.
func (e *engine) failCallback(s int32) {
	e.count(&e.slots[s], e.fl.slots[s].offQ, func(c *flowCell) { c.cbFailed++ })
	e.totals.CallbacksFailed++
	e.release(s)
}

// dial decides, as an agent takes the contact at slot s, whether a callback's dial
// connects; an unanswered one holds the agent for the callback's dial time instead of the
// handle time.
func (e *engine) dial(s int32) {
	fs := &e.fl.slots[s]
	cb := fs.cb
	if cb == nil {
		return
	}
	sl := &e.slots[s]
	fs.tries++
	if e.fl.connect[cb.index].Float64() < cb.connect {
		e.count(sl, fs.offQ, func(c *flowCell) {
			c.cbConnected++
			c.cbWait.add(e.clk.ns - fs.first)
		})
		fs.cb = nil
		return
	}
	fs.noAnswer, fs.handle = true, sl.handle
	sl.handle = cb.dial
}

// unanswered ends an unanswered dial of slot ev.idx: the agent is free, and the callback
// returns to the queue after the retry delay, or fails after its last attempt.
func (e *engine) unanswered(ev *event) {
	s := ev.idx
	sl := &e.slots[s]
	fs := &e.fl.slots[s]
	a := sl.agent
	if err := e.in.EndContact(sl.id, routing.Completed, 0); err != nil {
		e.fail("EndContact (unanswered callback)", err)
		return
	}
	e.account(a)
	e.agents[a].slots--
	sl = &e.slots[s]
	fs.noAnswer, sl.handle = false, fs.handle
	sl.state, sl.agent, sl.routed = slotWaiting, -1, -1
	sl.gen++
	if int(fs.tries) < fs.cb.attempts {
		e.cal.push(event{at: ev.at + fs.cb.retry, kind: evCallback, idx: s, gen: sl.gen})
		return
	}
	e.failCallback(s)
}
