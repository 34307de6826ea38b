package sim

import "math/rand/v2"

// The engine's side of realism.go: class-times overrides, the busyness factor and redials.
// With none of them configured, none of this draws a number or schedules an event, so a
// scenario without them gives the figures it gave before they existed, bit for bit.

// attemptKeys name the cells of the attempt breakdown.
var attemptKeys = [2]string{"first", "redial"}

// redialState is a stream's redial streams; zero when the stream does not redial.
type redialState struct {
	coin             *rand.Rand
	delay            sampler
	handle, patience sampler
}

// resetRealism sets up a replication's factor, override samplers and redial streams.
func (e *engine) resetRealism(key uint64) {
	m := e.m
	e.factor = 1
	if m.demandCV > 0 {
		e.factor = demandFactor(m.demandCV, newStream(key, purposeDemand, 0))
	}
	e.ctHandle, e.ctACW = e.ctHandle[:0], e.ctACW[:0]
	for i, ct := range m.classTimes {
		var h, a sampler
		if ct.handle != nil {
			h = newSampler(ct.handle, newStream(key, purposeClassHandle, i))
		}
		if ct.acw != nil {
			a = newSampler(ct.acw, newStream(key, purposeClassACW, i))
		}
		e.ctHandle, e.ctACW = append(e.ctHandle, h), append(e.ctACW, a)
	}
	for i := range e.streams {
		st := &e.streams[i]
		r := st.m.redial
		if r == nil {
			continue
		}
		st.redial = redialState{coin: rand.New(newStream(key, purposeRedial, i)),
			delay:  newSampler(&r.Delay, newStream(key, purposeRedialDelay, i)),
			handle: newSampler(st.m.handle, newStream(key, purposeRedialHandle, i))}
		if st.m.patience != nil {
			st.redial.patience = newSampler(st.m.patience, newStream(key, purposeRedialPatience, i))
		}
	}
}

// override returns the class-times override of the group of agent a for class, or -1.
func (e *engine) override(g int, class int32) int32 {
	if t := e.m.groups[g].times; t != nil {
		return t[class]
	}
	return -1
}

// overrideHandle replaces the handle time of a contact just routed to agent a when a's
// group overrides its class's.
func (e *engine) overrideHandle(sl *slot, a int32) {
	if k := e.override(e.m.agents[a].group, sl.class); k >= 0 && e.m.classTimes[k].handle != nil {
		sl.handle = e.ctHandle[k].sample()
	}
}

// drawACW draws the after-contact work of group g for a contact of class: the class-times
// override's, or the group's, or none.
func (e *engine) drawACW(g int, class int32) int64 {
	if k := e.override(g, class); k >= 0 && e.m.classTimes[k].acw != nil {
		return e.ctACW[k].sample()
	}
	if e.m.groups[g].acw != nil {
		return e.acw[g].sample()
	}
	return 0
}

// attemptCell returns the attempt cell of a contact, nil without redials.
func (e *engine) attemptCell(sl *slot) *cell {
	if !e.m.redials {
		return nil
	}
	k := e.m.cellAttempt
	if sl.redial {
		k++
	}
	return &e.cells[k]
}

// maybeRedial, for a contact of a redialing stream that just abandoned, tosses the coin
// and schedules its redial.
func (e *engine) maybeRedial(sl *slot, now int64) {
	st := &e.streams[sl.stream]
	if st.m.redial == nil || st.redial.coin.Float64() >= st.m.redial.Probability {
		return
	}
	if at := now + st.redial.delay.sample(); at < e.m.horizon {
		e.cal.push(event{at: at, kind: evRedial, idx: sl.stream, aux: sl.class})
	}
}

// redialArrival starts a redial of stream ev.idx, class ev.aux.
func (e *engine) redialArrival(ev *event) {
	st := &e.streams[ev.idx]
	sm := st.m
	patience := int64(-1)
	if sm.patience != nil {
		patience = st.redial.patience.sample()
	}
	e.arrive(sm.queue, sm.lane, sm.ch, int(ev.aux), 0, st.redial.handle.sample(), patience, ev.idx, true)
}

// finishRealism adds the attempt breakdown and the factor to a replication's figures.
func (e *engine) finishRealism(r *Replication) {
	if e.m.demandCV > 0 {
		r.DemandFactor = e.factor
	}
	if e.m.redials {
		for i, k := range attemptKeys {
			r.Attempts = append(r.Attempts, Keyed[float64]{Key: k, Figures: e.cells[e.m.cellAttempt+i].figures()})
		}
	}
}
