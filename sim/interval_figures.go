package sim

// Per-interval figures of each queue, each class and each agent group
// (RunOptions.IntervalDetail). They stream like every other figure: one cell per queue or
// class and interval of the cycle, and three counters per agent group and interval, so
// their memory grows with intervals × (queues + classes + groups), never with contacts or
// the horizon. The engine touches them only when they are asked for.

// Breakdown is one queue's, class's or agent group's figures per interval of the cycle.
// It is plain data: the zero value is empty, and it is not modified once Run returns it.
type Breakdown[F any] struct {
	// Key is the queue, class or agent group ID.
	Key string `json:"key"`
	// Intervals are its figures in each interval of the cycle, in cycle order, each keyed
	// by the interval's start ("08:15", "d2 08:15").
	Intervals []F `json:"intervals"`
}

// detailLayout places the per-interval cells of queues and classes in engine.cells: queue q
// in interval k at queue + q*nInt + k, class c at class + c*nInt + k.
type detailLayout struct {
	queue, class int
}

// enableDetail adds the per-interval cells of queues and classes to the model's cells.
func (m *model) enableDetail() {
	d := &detailLayout{queue: m.nCells}
	d.class = d.queue + len(m.queues)*m.nInt
	m.nCells = d.class + len(m.classes)*m.nInt
	m.detail = d
}

// groupInterval is one agent group's time and contacts in one interval of the cycle, over
// the measured part of a replication, in nanoseconds.
type groupInterval struct {
	busy, present, handled int64
}

// detailCells returns the per-interval cells of the contact's queue and class, or nils when
// the run keeps none.
func (e *engine) detailCells(sl *slot) (q, c *cell) {
	d := e.m.detail
	if d == nil {
		return nil, nil
	}
	n := e.m.nInt
	return &e.cells[d.queue+int(sl.queue)*n+int(sl.interval)], &e.cells[d.class+int(sl.class)*n+int(sl.interval)]
}

// resetDetail clears the agent groups' per-interval counters.
func (e *engine) resetDetail() {
	if e.m.detail == nil {
		return
	}
	n := len(e.m.groups) * e.m.nInt
	if cap(e.groupIv) < n {
		e.groupIv = make([]groupInterval, n)
	}
	e.groupIv = e.groupIv[:n]
	clear(e.groupIv)
}

// accountIntervals spreads agent a's time from..to (after the warm-up) over the intervals
// of the cycle it spans, as busy and staffed time of its group. The cost is O(1) per
// interval boundary crossed.
func (e *engine) accountIntervals(a int32, from, to int64) {
	ag := &e.agents[a]
	busy, present := ag.slots > 0, ag.onDuty || ag.slots > 0
	if !present {
		return
	}
	m := e.m
	base := m.agents[a].group * m.nInt
	for t := from; t < to; {
		end := min((t/m.interval+1)*m.interval, to)
		gi := &e.groupIv[base+int((t%m.cycle)/m.interval)]
		gi.present += end - t
		if busy {
			gi.busy += end - t
		}
		t = end
	}
}

// countServed counts a contact routed now to agent a in its group's current interval.
func (e *engine) countServed(a int32) {
	m := e.m
	now := e.clk.ns
	e.groupIv[m.agents[a].group*m.nInt+int((now%m.cycle)/m.interval)].handled++
}

// finishDetail adds the per-interval figures to the replication's.
func (e *engine) finishDetail(r *Replication) {
	m := e.m
	d := m.detail
	if d == nil {
		return
	}
	keyed := func(id string, first int) Breakdown[Keyed[float64]] {
		b := Breakdown[Keyed[float64]]{Key: id, Intervals: make([]Keyed[float64], m.nInt)}
		for k := range m.nInt {
			b.Intervals[k] = Keyed[float64]{Key: m.intervalKey(k), Figures: e.cells[first+k].figures()}
		}
		return b
	}
	for i, q := range m.queues {
		r.QueueIntervals = append(r.QueueIntervals, keyed(q, d.queue+i*m.nInt))
	}
	for i, c := range m.classes {
		r.ClassIntervals = append(r.ClassIntervals, keyed(c.id, d.class+i*m.nInt))
	}
	for g, gm := range m.groups {
		b := Breakdown[Group[float64]]{Key: gm.id, Intervals: make([]Group[float64], m.nInt)}
		for k := range m.nInt {
			gi := &e.groupIv[g*m.nInt+k]
			gf := GroupFigures[float64]{Agents: float64(gm.count), Handled: float64(gi.handled),
				StaffedHours: float64(gi.present) / nsPerHour, BusyHours: float64(gi.busy) / nsPerHour}
			gf.Occupancy = ratio(gf.BusyHours, gf.StaffedHours)
			b.Intervals[k] = Group[float64]{Key: m.intervalKey(k), GroupFigures: gf}
		}
		r.GroupIntervals = append(r.GroupIntervals, b)
	}
}

// aggregateDetail sets the run's per-interval figures of queues, classes and agent groups
// from its replications', when they kept them.
func aggregateDetail(m *model, conf float64, reps []*Replication, res *Result) {
	if m.detail == nil || len(reps) == 0 {
		return
	}
	sl := m.slDur
	keyed := func(sel func(r *Replication) []Breakdown[Keyed[float64]]) []Breakdown[Keyed[Estimate]] {
		out := make([]Breakdown[Keyed[Estimate]], len(sel(reps[0])))
		fs := make([]*Figures[float64], len(reps))
		for i := range out {
			out[i] = Breakdown[Keyed[Estimate]]{Key: sel(reps[0])[i].Key, Intervals: make([]Keyed[Estimate], m.nInt)}
			for k := range m.nInt {
				for j, r := range reps {
					fs[j] = &sel(r)[i].Intervals[k].Figures
				}
				out[i].Intervals[k] = Keyed[Estimate]{Key: m.intervalKey(k), Figures: aggregateFigures(fs, sl, conf)}
			}
		}
		return out
	}
	res.QueueIntervals = keyed(func(r *Replication) []Breakdown[Keyed[float64]] { return r.QueueIntervals })
	res.ClassIntervals = keyed(func(r *Replication) []Breakdown[Keyed[float64]] { return r.ClassIntervals })
	gs := make([]*GroupFigures[float64], len(reps))
	for g, gm := range m.groups {
		b := Breakdown[Group[Estimate]]{Key: gm.id, Intervals: make([]Group[Estimate], m.nInt)}
		for k := range m.nInt {
			for j, r := range reps {
				gs[j] = &r.GroupIntervals[g].Intervals[k].GroupFigures
			}
			b.Intervals[k] = Group[Estimate]{Key: m.intervalKey(k), GroupFigures: aggregateGroup(gs, conf)}
		}
		res.GroupIntervals = append(res.GroupIntervals, b)
	}
}
