package fit

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/sim"
)

// Options configure Fit. The zero value fits 15-minute intervals of the day in UTC at 95%
// confidence.
type Options struct {
	// Interval is the length of a rate and staffing interval; 15 minutes when 0. It must
	// divide a day.
	Interval time.Duration
	// Location is the time zone whose clock the intervals of the day follow; UTC when nil.
	Location *time.Location
	// Confidence is the level of every interval of the report; 0.95 when 0.
	Confidence float64
}

// WeeklyDays is the span, in days, from which Fit gives rates and staffing per day of the
// week (a cycle of 7 days) rather than per day.
const WeeklyDays = 14

// ErrNoArrivals is returned by Fit when no record entered a queue.
var ErrNoArrivals = errors.New("fit: no contact record entered a queue")

// Result is what Fit makes: the scenario and the report of how it was fitted.
type Result struct {
	Scenario *sim.Scenario
	Report   Report
}

// Report says what was read and fitted, with sample sizes, estimates with their
// intervals, and warnings.
type Report struct {
	Files, Objects, Bad int
	BadExamples         []string
	Duplicates          int
	Contacts, NotQueued int
	// Methods counts the kept contacts by InitiationMethod.
	Methods map[string]int
	// First and Last are the first and last enqueue times; Days the whole days of the
	// clock of Location from the first to the last, inclusive.
	First, Last time.Time
	Days        int
	Weekly      bool
	Interval    time.Duration
	Location    string
	Confidence  float64
	Lanes       []LaneReport
	Groups      []GroupReport
	Warnings    []string
}

// LaneReport is the fit of one arrival stream (queue and channel).
type LaneReport struct {
	Queue   string
	Channel contact.Channel
	// Arrivals counts its queued contacts (every record with a Queue.EnqueueTimestamp: an
	// inbound contact, a transfer, a callback each counts once in the queue it entered);
	// Methods breaks them down by InitiationMethod.
	Arrivals int
	Methods  map[string]int
	// Rate is the mean arrival rate per hour over the cycle, with its exact Poisson
	// interval [RateLo, RateHi]; Peak the highest interval rate and PeakAt its interval.
	Rate, RateLo, RateHi float64
	Peak                 float64
	PeakAt               string
	// Answered and Abandoned count its contacts taken by an agent and given up in queue.
	Answered, Abandoned int
	Handle              *DistFit
	ACW                 *DistFit
	Patience            *PatienceFit
}

// GroupReport is one agent group: the agents of one routing profile.
type GroupReport struct {
	ID string
	// Agents is the largest number on duty in an interval; Staffing per interval of the
	// cycle, both estimated (see the package doc).
	Agents   int
	Staffing []int
	Handled  int
	Lanes    []string
	ACW      *DistFit
	// Concurrency is, per channel other than voice, the most contacts of it one agent of
	// the group held at once in the records (at most 10), written to the routing profile;
	// channels where no agent held two are left at 1.
	Concurrency map[contact.Channel]int `json:",omitempty"`
}

type laneKey struct {
	queue   int32
	channel contact.Channel
}

// fitter holds the state of one Fit.
type fitter struct {
	d     *Data
	opts  Options
	loc   *time.Location
	nInt  int   // intervals per day
	nCyc  int   // intervals per cycle
	day0  int64 // civil day number of the first day
	nDays int
	// slot0 and slot1 are the first and last (day - day0)·nInt + interval observed: the
	// window whose intervals count in the exposure.
	slot0, slot1 int64
	lanes        []laneKey
	laneIdx      map[laneKey]int
	rep          Report
	warnings     []string
	intervalS    int64
}

// Fit fits a scenario to d (see the package doc for how). It returns ErrNoArrivals when no
// record entered a queue, and an error naming the option when Interval does not divide a
// day or Confidence is not in (0, 1). The cost is O(n log n) for n contacts.
func Fit(d *Data, opts Options) (*Result, error) {
	if opts.Interval == 0 {
		opts.Interval = 15 * time.Minute
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Confidence == 0 {
		opts.Confidence = 0.95
	}
	switch {
	case opts.Interval < time.Second || opts.Interval%time.Second != 0 || (24*time.Hour)%opts.Interval != 0:
		return nil, fmt.Errorf("fit: interval %v does not divide a day into whole seconds", opts.Interval)
	case !(opts.Confidence > 0 && opts.Confidence < 1):
		return nil, fmt.Errorf("fit: confidence %v is not in (0, 1)", opts.Confidence)
	}
	f := &fitter{d: d, opts: opts, loc: opts.Location, laneIdx: map[laneKey]int{}, intervalS: int64(opts.Interval / time.Second)}
	f.nInt = int(24 * time.Hour / opts.Interval)
	if err := f.span(); err != nil {
		return nil, err
	}
	sc := &sim.Scenario{Name: fmt.Sprintf("fitted from %d contact records", d.Contacts()), Replications: sim.DefaultReplications, Seed: 1,
		Interval: sim.Duration(opts.Interval), Cycle: sim.Duration(time.Duration(f.nCyc) * opts.Interval), ServiceLevel: []sim.Duration{sim.Duration(20 * time.Second)}}
	sc.Horizon = sc.Cycle
	sc.Start = f.start().Format(time.RFC3339)
	f.arrivals(sc)
	f.agents(sc)
	f.rep.Warnings = f.warnings
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("fit: internal error: the fitted scenario is invalid: %w", err)
	}
	return &Result{Scenario: sc, Report: f.rep}, nil
}

func (f *fitter) warn(format string, args ...any) {
	f.warnings = append(f.warnings, fmt.Sprintf(format, args...))
}

// local returns the civil day number and the interval of that day of Unix time ns.
func (f *fitter) local(ns int64) (day int64, k int) {
	_, off := time.Unix(0, ns).In(f.loc).Zone()
	s := ns/1e9 + int64(off)
	day = floorDiv(s, 86400)
	return day, int((s - day*86400) / f.intervalS)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// cyc returns the interval of the cycle of local day day and interval k: weekly cycles
// start on Monday.
func (f *fitter) cyc(day int64, k int) int {
	if f.nCyc == f.nInt {
		return k
	}
	// Civil day 0 (1970-01-01) was a Thursday: Monday-based weekday = (day + 3) mod 7.
	return int((day+3)%7+7)%7*f.nInt + k
}

// span finds the lanes and the days the arrivals cover.
func (f *fitter) span() error {
	d := f.d
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range d.rows {
		r := &d.rows[i]
		if r.queue < 0 {
			continue
		}
		first, last = min(first, r.enq), max(last, r.enq)
		k := laneKey{r.queue, r.channel()}
		if _, ok := f.laneIdx[k]; !ok {
			f.laneIdx[k] = len(f.lanes)
			f.lanes = append(f.lanes, k)
		}
	}
	if len(f.lanes) == 0 {
		return ErrNoArrivals
	}
	slices.SortFunc(f.lanes, func(a, b laneKey) int {
		return cmp.Or(cmp.Compare(d.nameOf[a.queue], d.nameOf[b.queue]), cmp.Compare(a.channel, b.channel))
	})
	for i, k := range f.lanes {
		f.laneIdx[k] = i
	}
	d0, k0 := f.local(first)
	d1, k1 := f.local(last)
	f.day0, f.nDays = d0, int(d1-d0+1)
	f.slot0, f.slot1 = int64(k0), (d1-d0)*int64(f.nInt)+int64(k1)
	f.nCyc = f.nInt
	if f.nDays >= WeeklyDays {
		f.nCyc = 7 * f.nInt
	}
	r := &f.rep
	r.Files, r.Objects, r.Bad, r.BadExamples, r.Duplicates = d.Files, d.Objects, d.Bad, d.BadExamples, d.Duplicates
	r.Contacts, r.NotQueued, r.Methods = d.Contacts(), d.NotQueued, d.methods
	r.First, r.Last = time.Unix(0, first).In(f.loc), time.Unix(0, last).In(f.loc)
	r.Days, r.Weekly, r.Interval, r.Location, r.Confidence = f.nDays, f.nCyc > f.nInt, f.opts.Interval, f.loc.String(), f.opts.Confidence
	if d.Bad > 0 {
		f.warn("%d bad records were left out (the first are named above)", d.Bad)
	}
	if f.nDays < 7 {
		f.warn("the data spans %d day(s): rates per interval rest on %d observation(s) each", f.nDays, f.nDays)
	}
	return nil
}

// start returns the wall-clock time of the cycle's start: midnight of the first day in
// Location, or of the Monday on or before it for a weekly cycle.
func (f *fitter) start() time.Time {
	day := f.day0
	if f.nCyc > f.nInt {
		day -= ((day+3)%7 + 7) % 7
	}
	t := time.Unix(day*86400, 0).UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, f.loc)
}

// exposure returns how many intervals of the observed window, from the first arrival's
// interval to the last's, fall on interval c of the cycle.
func (f *fitter) exposure() []float64 {
	ex := make([]float64, f.nCyc)
	for slot := f.slot0; slot <= f.slot1; slot++ {
		ex[f.cyc(f.day0+slot/int64(f.nInt), int(slot%int64(f.nInt)))]++
	}
	return ex
}

// poissonCI is the exact (Garwood) interval of a Poisson mean given n events.
func poissonCI(n, conf float64) (lo, hi float64) {
	a := 1 - conf
	if n > 0 {
		lo = distuv.ChiSquared{K: 2 * n}.Quantile(a/2) / 2
	}
	hi = distuv.ChiSquared{K: 2*n + 2}.Quantile(1-a/2) / 2
	return lo, hi
}

// timeIn returns the local time of Unix nanoseconds ns in loc and its offset from UTC in
// seconds.
func timeIn(ns int64, loc *time.Location) (time.Time, int64) {
	t := time.Unix(0, ns).In(loc)
	_, off := t.Zone()
	return t, int64(off)
}
