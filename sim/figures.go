package sim

import (
	"encoding/json"
	"fmt"
	"math"
)

// Figures are the figures of one cell (the whole centre, one queue, one class or one
// interval of the cycle) over the contacts that arrived in it after the warm-up. T is
// float64 for one replication and Estimate for a run. Durations are in seconds.
//
// A contact is offered when it arrives; handled when it is routed to an agent (answered),
// with its wait then; abandoned when its patience runs out first, with its time in queue as
// its wait; and waiting at the end when the horizon comes first. Rates divide by the contacts
// that left the queue, handled + abandoned. A figure with nothing to measure (the ASA of a
// cell where none was handled) is NaN for a replication, and replications where it is NaN
// are left out of its Estimate.
type Figures[T any] struct {
	Offered      T `json:"offered"`
	Handled      T `json:"handled"`
	Abandoned    T `json:"abandoned"`
	WaitingAtEnd T `json:"waitingAtEnd"`
	// AbandonRate is abandoned / (handled + abandoned).
	AbandonRate T `json:"abandonRate"`
	// PWait is the share of handled and abandoned contacts that waited at all (wait > 0).
	PWait T `json:"pWait"`
	// ASA, the average speed of answer, is the mean wait of handled contacts.
	ASA T `json:"asa"`
	// WaitMean, WaitP50, WaitP90, WaitP99 and WaitMax describe the real wait (never changed
	// by routing-age adjustments) of handled and abandoned contacts. Percentiles come from a
	// histogram with relative error at most 0.4%; the mean and max are exact.
	WaitMean T `json:"waitMean"`
	WaitP50  T `json:"waitP50"`
	WaitP90  T `json:"waitP90"`
	WaitP99  T `json:"waitP99"`
	WaitMax  T `json:"waitMax"`
	// ServiceLevel holds, per threshold t of Scenario.ServiceLevel, the share of contacts
	// answered within t: handled with wait <= t / (handled + abandoned).
	ServiceLevel []T `json:"serviceLevel"`
	// Inversions counts pairs of contacts of the same queue and channel routed against
	// arrival order: when a contact is routed, each contact that arrived before it and still
	// waits makes one inversion. Overtakes counts the routed contacts that made at least one.
	Inversions T `json:"inversions"`
	Overtakes  T `json:"overtakes"`
}

// each calls fn with the name and address of every figure, in a fixed order; sl names the
// service-level thresholds (nil: their names are empty).
func (f *Figures[T]) each(sl []Duration, fn func(name string, v *T)) {
	fn("offered", &f.Offered)
	fn("handled", &f.Handled)
	fn("abandoned", &f.Abandoned)
	fn("waitingAtEnd", &f.WaitingAtEnd)
	fn("abandonRate", &f.AbandonRate)
	fn("pWait", &f.PWait)
	fn("asa", &f.ASA)
	fn("waitMean", &f.WaitMean)
	fn("waitP50", &f.WaitP50)
	fn("waitP90", &f.WaitP90)
	fn("waitP99", &f.WaitP99)
	fn("waitMax", &f.WaitMax)
	for i := range f.ServiceLevel {
		name := ""
		if sl != nil {
			name = "serviceLevel@" + sl[i].String()
		}
		fn(name, &f.ServiceLevel[i])
	}
	fn("inversions", &f.Inversions)
	fn("overtakes", &f.Overtakes)
}

// GroupFigures are the figures of one agent group over the measured part of the horizon
// (after the warm-up). Times are in hours.
type GroupFigures[T any] struct {
	// Agents is the group's size.
	Agents T `json:"agents"`
	// Handled counts contacts the group's agents took.
	Handled T `json:"handled"`
	// StaffedHours is agent time on duty or still busy after going off duty.
	StaffedHours T `json:"staffedHours"`
	// BusyHours is agent time holding at least one contact or after-contact work.
	BusyHours T `json:"busyHours"`
	// Occupancy is BusyHours / StaffedHours.
	Occupancy T `json:"occupancy"`
}

func (g *GroupFigures[T]) each(fn func(name string, v *T)) {
	fn("agents", &g.Agents)
	fn("handled", &g.Handled)
	fn("staffedHours", &g.StaffedHours)
	fn("busyHours", &g.BusyHours)
	fn("occupancy", &g.Occupancy)
}

// Keyed is the figures of one queue, class or interval.
type Keyed[T any] struct {
	// Key is the queue or class ID, or the interval's start in the cycle ("08:15").
	Key string `json:"key"`
	Figures[T]
}

// Group is the figures of one agent group.
type Group[T any] struct {
	Key string `json:"key"`
	GroupFigures[T]
}

// Estimate is a figure over independent replications: its mean, sample standard deviation,
// the number of replications that measured it, and the half-width of the Student t
// confidence interval at the run's confidence level (NaN with fewer than two replications).
type Estimate struct {
	Mean      float64
	StdDev    float64
	HalfWidth float64
	N         int
}

// Lo returns the lower end of the confidence interval.
func (e Estimate) Lo() float64 { return e.Mean - e.HalfWidth }

// Hi returns the upper end of the confidence interval.
func (e Estimate) Hi() float64 { return e.Mean + e.HalfWidth }

// Contains reports whether v lies inside the confidence interval.
func (e Estimate) Contains(v float64) bool { return v >= e.Lo() && v <= e.Hi() }

// RelHalfWidth returns HalfWidth / |Mean|.
func (e Estimate) RelHalfWidth() float64 { return e.HalfWidth / math.Abs(e.Mean) }

// String formats the estimate as "mean ± half-width".
func (e Estimate) String() string {
	if math.IsNaN(e.HalfWidth) {
		return fmt.Sprintf("%.6g", e.Mean)
	}
	return fmt.Sprintf("%.6g ± %.3g", e.Mean, e.HalfWidth)
}

type estimateJSON struct {
	Mean      *float64 `json:"mean"`
	StdDev    *float64 `json:"stdDev"`
	HalfWidth *float64 `json:"halfWidth"`
	N         int      `json:"n"`
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// MarshalJSON writes {"mean", "stdDev", "halfWidth", "n"}, with null for NaN.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(estimateJSON{finite(e.Mean), finite(e.StdDev), finite(e.HalfWidth), e.N})
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var j estimateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	get := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*e = Estimate{Mean: get(j.Mean), StdDev: get(j.StdDev), HalfWidth: get(j.HalfWidth), N: j.N}
	return nil
}

// NewEstimate summarises per-replication values, leaving out NaNs, with a Student t
// confidence interval at level conf (such as 0.95). The cost is O(n).
func NewEstimate(values []float64, conf float64) Estimate {
	var n int
	var sum float64
	for _, v := range values {
		if !math.IsNaN(v) {
			n++
			sum += v
		}
	}
	if n == 0 {
		return Estimate{Mean: math.NaN(), StdDev: math.NaN(), HalfWidth: math.NaN()}
	}
	mean := sum / float64(n)
	if n == 1 {
		return Estimate{Mean: mean, StdDev: math.NaN(), HalfWidth: math.NaN(), N: 1}
	}
	var ss float64
	for _, v := range values {
		if !math.IsNaN(v) {
			ss += (v - mean) * (v - mean)
		}
	}
	sd := math.Sqrt(ss / float64(n-1))
	t := tQuantile(n-1, conf)
	return Estimate{Mean: mean, StdDev: sd, HalfWidth: t * sd / math.Sqrt(float64(n)), N: n}
}

// Aggregate sets each estimate that out enumerates to the estimate, at confidence conf
// (see NewEstimate), of the values that figures enumerates in the same place for each of
// reps. Every figure set of routesim (Figures, GroupFigures, the fairness suite's)
// enumerates its figures by a method that calls fn with each figure's name and address in
// a fixed order, the same order for T float64 (one replication) as for T Estimate; out and
// figures are such enumerations. The cost is O(figures × replications).
func Aggregate[R any](out func(fn func(name string, e *Estimate)), reps []R, figures func(rep R, fn func(name string, v *float64)), conf float64) {
	var dst []*Estimate
	out(func(_ string, e *Estimate) { dst = append(dst, e) })
	vals := make([][]float64, len(dst))
	for _, r := range reps {
		i := 0
		figures(r, func(_ string, v *float64) { vals[i] = append(vals[i], *v); i++ })
	}
	for i, e := range dst {
		*e = NewEstimate(vals[i], conf)
	}
}

// aggregateFigures turns per-replication figures into estimates.
func aggregateFigures(reps []*Figures[float64], sl []Duration, conf float64) Figures[Estimate] {
	out := Figures[Estimate]{ServiceLevel: make([]Estimate, len(sl))}
	Aggregate(func(fn func(string, *Estimate)) { out.each(nil, fn) }, reps,
		func(r *Figures[float64], fn func(string, *float64)) { r.each(nil, fn) }, conf)
	return out
}

// aggregateGroup turns per-replication figures of an agent group into estimates.
func aggregateGroup(reps []*GroupFigures[float64], conf float64) GroupFigures[Estimate] {
	var out GroupFigures[Estimate]
	Aggregate(out.each, reps, (*GroupFigures[float64]).each, conf)
	return out
}
