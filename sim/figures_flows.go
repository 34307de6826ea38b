package sim

// FlowFigures are the figures of queue capacity, transfers and callbacks (flows.go) of one
// queue, or of all queues, over the contacts that arrived after the warm-up. T is float64
// for one replication and Estimate for a run. They are reported only for a scenario with a
// queue capacity, an at-capacity branch or a transfer or callback rule.
type FlowFigures[T any] struct {
	// Attempts counts the contacts that tried to enter the queue: arrivals, transfers to it
	// and callback attempts into it (not those sent by another queue's at-capacity branch).
	Attempts T `json:"attempts"`
	// Blocked counts the attempts the queue refused, full, that its class's at-capacity
	// branch did not place either: they ended without entering any queue (not abandoned).
	// Overflowed counts those the at-capacity queue took.
	Blocked    T `json:"blocked"`
	Overflowed T `json:"overflowed"`
	// BlockRate is Blocked / Attempts.
	BlockRate T `json:"blockRate"`
	// TransfersOut and TransfersIn count the transfers that left and entered the queue.
	TransfersOut T `json:"transfersOut"`
	TransfersIn  T `json:"transfersIn"`
	// CallbacksOffered, CallbacksAccepted, CallbacksConnected and CallbacksFailed count
	// callback offers made to contacts waiting in the queue, the accepted ones, those whose
	// dial connected and those that used every attempt without connecting.
	CallbacksOffered   T `json:"callbacksOffered"`
	CallbacksAccepted  T `json:"callbacksAccepted"`
	CallbacksConnected T `json:"callbacksConnected"`
	CallbacksFailed    T `json:"callbacksFailed"`
	// CallbackWait is the mean time, in seconds, from a connected callback's original
	// arrival to its connection; NaN when none connected.
	CallbackWait T `json:"callbackWait"`
}

func (f *FlowFigures[T]) each(fn func(name string, v *T)) {
	fn("attempts", &f.Attempts)
	fn("blocked", &f.Blocked)
	fn("overflowed", &f.Overflowed)
	fn("blockRate", &f.BlockRate)
	fn("transfersOut", &f.TransfersOut)
	fn("transfersIn", &f.TransfersIn)
	fn("callbacksOffered", &f.CallbacksOffered)
	fn("callbacksAccepted", &f.CallbacksAccepted)
	fn("callbacksConnected", &f.CallbacksConnected)
	fn("callbacksFailed", &f.CallbacksFailed)
	fn("callbackWait", &f.CallbackWait)
}

// Flows are the flow figures of a run or replication: of all queues, and per queue in
// scenario order.
type Flows[T any] struct {
	Overall FlowFigures[T]  `json:"overall"`
	Queues  []KeyedFlows[T] `json:"queues"`
}

// KeyedFlows are the flow figures of one queue.
type KeyedFlows[T any] struct {
	Key string `json:"key"`
	FlowFigures[T]
}

func (c *flowCell) figures() FlowFigures[float64] {
	return FlowFigures[float64]{
		Attempts: float64(c.attempts), Blocked: float64(c.blocked), Overflowed: float64(c.overflowed),
		BlockRate:    ratio(float64(c.blocked), float64(c.attempts)),
		TransfersOut: float64(c.transfersOut), TransfersIn: float64(c.transfersIn),
		CallbacksOffered: float64(c.cbOffered), CallbacksAccepted: float64(c.cbAccepted),
		CallbacksConnected: float64(c.cbConnected), CallbacksFailed: float64(c.cbFailed),
		CallbackWait: ratio(c.cbWait.float(), float64(c.cbConnected)) / 1e9,
	}
}

// finishFlows adds the flow figures to a replication's.
func (e *engine) finishFlows(r *Replication) {
	m := e.m
	if !m.flows {
		return
	}
	f := &Flows[float64]{Overall: e.fl.cells[len(m.queues)].figures()}
	for i, q := range m.queues {
		f.Queues = append(f.Queues, KeyedFlows[float64]{Key: q, FlowFigures: e.fl.cells[i].figures()})
	}
	r.Flows = f
}

// aggregateFlows turns per-replication flow figures into estimates; nil without flows.
func aggregateFlows(m *model, reps []*Replication, conf float64) *Flows[Estimate] {
	if !m.flows || len(reps) == 0 {
		return nil
	}
	pick := func(sel func(r *Replication) *FlowFigures[float64]) FlowFigures[Estimate] {
		var out FlowFigures[Estimate]
		Aggregate(out.each, reps, func(r *Replication, fn func(string, *float64)) { sel(r).each(fn) }, conf)
		return out
	}
	out := &Flows[Estimate]{Overall: pick(func(r *Replication) *FlowFigures[float64] { return &r.Flows.Overall })}
	for i, q := range m.queues {
		out.Queues = append(out.Queues, KeyedFlows[Estimate]{Key: q,
			FlowFigures: pick(func(r *Replication) *FlowFigures[float64] { return &r.Flows.Queues[i].FlowFigures })})
	}
	return out
}

// MarshalJSON writes the figures as an object, NaN as null.
func (f FlowFigures[T]) MarshalJSON() ([]byte, error) {
	var fields []jsonField
	f.each(func(name string, v *T) { fields = append(fields, jsonField{name, *v}) })
	return writeObject(fields)
}

// MarshalJSON writes {"key": ..., figures...}, NaN as null.
func (k KeyedFlows[T]) MarshalJSON() ([]byte, error) {
	fields := []jsonField{{"key", k.Key}}
	k.FlowFigures.each(func(name string, v *T) { fields = append(fields, jsonField{name, *v}) })
	return writeObject(fields)
}
