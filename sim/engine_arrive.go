package sim

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// Arrivals: each stream's next arrival, trace replay, and a contact's entry into the routing
// core with its timers.

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

// maxCells is the most cells a contact counts in (see cellsOf).
const maxCells = 7

// cellsOf returns the cells a contact counts in, cs[:n]: overall, its queue, class and
// interval; its attempt's when the scenario redials; its queue's and its class's in its
// interval when the run keeps interval detail.
func (e *engine) cellsOf(sl *slot) (cs [maxCells]*cell, n int) {
	m := e.m
	cs[0], cs[1] = &e.cells[0], &e.cells[m.cellQueue+int(sl.queue)]
	cs[2], cs[3] = &e.cells[m.cellClass+int(sl.class)], &e.cells[m.cellInt+int(sl.interval)]
	n = 4
	if c := e.attemptCell(sl); c != nil {
		cs[n] = c
		n++
	}
	if q, c := e.detailCells(sl); q != nil {
		cs[n], cs[n+1] = q, c
		n += 2
	}
	return cs, n
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
		cs, n := e.cellsOf(sl)
		for _, c := range cs[:n] {
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
