package sim

import (
	"slices"
	"time"

	"github.com/routesim/routesim/routing"
)

// The engine's events after arrival: a contact routed, completed or abandoned, a timed rule,
// a shift change, an agent's time accounted, and the replication's figures at its end.

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
		cs, n := e.cellsOf(sl)
		for _, c := range cs[:n] {
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
		cs, n := e.cellsOf(sl)
		for _, c := range cs[:n] {
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
