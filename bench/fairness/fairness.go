package fairness

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Errors reported by the fairness metrics. Match them with errors.Is.
var (
	// ErrInvalid: an observation or a setting is out of its domain (a NaN time, a contact
	// leaving the queue before it arrived, a negative threshold, ...).
	ErrInvalid = errors.New("fairness: invalid input")
	// ErrOrder: contacts were not added in the order they left the queue, or an arrival
	// sequence number came twice or below Config.FirstSeq.
	ErrOrder = errors.New("fairness: contact out of order")
)

// Defaults of Config.
const (
	// DefaultWindow is the width of the sliding windows, in seconds: 15 minutes, the interval
	// of Amazon Connect's historical metrics.
	DefaultWindow = 900.0
	// DefaultMinWindowCount is the fewest served contacts a window needs to be scored: a p99
	// over fewer than 100 waits is just the largest of them.
	DefaultMinWindowCount = 100
)

// ContactObs is what the fairness metrics need to know about one contact that left a queue,
// served by an agent or abandoned. Times are in seconds on one clock; Arrival is the real
// enqueue time, which routing-age adjustments never change (they reorder the queue, they do
// not alter reported waits).
type ContactObs struct {
	// ArrivalSeq numbers contacts in arrival order; it breaks ties between equal arrival
	// times, as the router does. For memory bounded by the contacts in flight, number every
	// contact FirstSeq, FirstSeq+1, ... and Add or Skip each one (see Accumulator).
	ArrivalSeq uint64
	// Class is the contact's class. By convention a larger number is a lower class, as a
	// larger QueuePriority is routed later: the lowest class is the largest Class seen.
	Class int
	// Arrival is when the contact entered the queue.
	Arrival float64
	// Dequeued is when the contact left the queue: routed to an agent when Served, abandoned
	// otherwise. Service order is the order of Dequeued, ties in the order of Add.
	Dequeued float64
	// Handle is the handle time of a served contact; ignored when not Served.
	Handle float64
	// Served is true when an agent took the contact, false when it abandoned.
	Served bool
}

// Wait returns the real time the contact spent in queue, Dequeued - Arrival: its answer time
// when served, its time to abandon otherwise.
func (c ContactObs) Wait() float64 { return c.Dequeued - c.Arrival }

// Slowdown returns the wait relative to the handle time, Wait() / Handle: 0 for a contact
// served at once, 2 for one that waited twice as long as it was handled. The classic
// response-time slowdown (Wait + Handle) / Handle is 1 + Slowdown. It is +Inf or NaN when
// Handle is 0.
func (c ContactObs) Slowdown() float64 { return c.Wait() / c.Handle }

func (c ContactObs) check() error {
	switch {
	case !(math.Abs(c.Arrival) <= fairMaxTime) || !(math.Abs(c.Dequeued) <= fairMaxTime):
		return fmt.Errorf("%w: contact %d arrival %v s, dequeued %v s; want times within ±%g s",
			ErrInvalid, c.ArrivalSeq, c.Arrival, c.Dequeued, fairMaxTime)
	case c.Dequeued < c.Arrival:
		return fmt.Errorf("%w: contact %d dequeued at %v s before its arrival at %v s",
			ErrInvalid, c.ArrivalSeq, c.Dequeued, c.Arrival)
	case c.Served && !(c.Handle >= 0 && fairFinite(c.Handle)):
		return fmt.Errorf("%w: contact %d handle time %v s; want finite and >= 0",
			ErrInvalid, c.ArrivalSeq, c.Handle)
	}
	return nil
}

// fairMaxTime bounds the magnitude of times, in seconds (some 30 million years), so that no sum of
// waits overflows.
const fairMaxTime = 1e15

func fairFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Config sets what an Accumulator measures. The zero value selects every
// default: no thresholds, DefaultWindow, DefaultMinWindowCount, sequences from 0.
type Config struct {
	// WaitThresholds lists the waits t, in seconds, for which each ClassStats reports
	// PWaitOver, the share of served contacts that waited longer than t.
	WaitThresholds []float64
	// Window is the width in seconds of the sliding windows of WorstWindowP99; windows start
	// every Window/2. Zero selects DefaultWindow.
	Window float64
	// MinWindowCount is the fewest served contacts a window needs to be scored. Zero selects
	// DefaultMinWindowCount; 1 scores every non-empty window.
	MinWindowCount int
	// FirstSeq is the smallest ArrivalSeq that will be added; routing.Instance numbers its
	// contacts from 1.
	FirstSeq uint64
}

func (cfg Config) resolve() (Config, error) {
	for _, t := range cfg.WaitThresholds {
		if !(t >= 0) || math.IsInf(t, 1) {
			return cfg, fmt.Errorf("%w: wait threshold %v s; want finite and >= 0", ErrInvalid, t)
		}
	}
	if !(cfg.Window >= 0) || math.IsInf(cfg.Window, 1) {
		return cfg, fmt.Errorf("%w: window %v s; want finite and > 0, or 0 for the default", ErrInvalid, cfg.Window)
	}
	if cfg.MinWindowCount < 0 {
		return cfg, fmt.Errorf("%w: min window count %d; want >= 1, or 0 for the default", ErrInvalid, cfg.MinWindowCount)
	}
	cfg.WaitThresholds = slices.Clone(cfg.WaitThresholds)
	if cfg.Window == 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.MinWindowCount == 0 {
		cfg.MinWindowCount = DefaultMinWindowCount
	}
	return cfg, nil
}

// ClassStats holds the figures of one class of contacts, or of all of them pooled (then Class
// is -1). Wait figures are over served contacts: their answer time, as Amazon Connect's queue
// answer time counts it. Abandoned contacts have their own time to abandon. Figures over no
// contacts are 0.
type ClassStats struct {
	Class int
	// Count = Served + Abandoned.
	Count, Served, Abandoned uint64
	// MeanWait and MaxWait are exact; P50, P95 and P99 are nearest-rank percentiles within
	// relative error HistRelErr.
	MeanWait, P50, P95, P99, MaxWait float64
	// MeanSlowdown is the mean of Wait/Handle over served contacts with Handle > 0 (and a
	// finite quotient).
	MeanSlowdown float64
	// PWaitOver[i] is the share of served contacts that waited longer than
	// Config.WaitThresholds[i] (exact). Amazon Connect's service level differs: it
	// also counts abandoned contacts in its denominator.
	PWaitOver []float64
	// MeanAbandonWait and MaxAbandonWait are over abandoned contacts' time to abandon.
	MeanAbandonWait, MaxAbandonWait float64
	// Inversions counts the pairs of served contacts of the class in which the later arrival
	// was served first; KendallTau is Kendall's tau between their arrival and service order
	// (1 with fewer than two served).
	Inversions uint64
	KendallTau float64
	// WorstWindowP99 is the largest p99 of served waits over the sliding windows of dequeue
	// time that held at least MinWindowCount served contacts; WorstWindowStart is that
	// window's start and Windows the number of windows scored (both figures are 0 when it is
	// 0).
	WorstWindowP99, WorstWindowStart float64
	Windows                          int
}

// Report holds the fairness figures of a run. Across-class figures take the classes
// with at least one served contact.
type Report struct {
	// WaitThresholds, Window and MinWindowCount are the settings used.
	WaitThresholds []float64
	Window         float64
	MinWindowCount int
	// Overall pools every class (Class -1); Classes lists each class, Class ascending.
	Overall ClassStats
	Classes []ClassStats
	// JainMeanWait and JainMeanSlowdown are Jain's index of the classes' MeanWait and
	// MeanSlowdown: 1 when all classes wait alike, 1/k when one of k classes does all the
	// waiting.
	JainMeanWait, JainMeanSlowdown float64
	// MaxClassRatio is the largest MeanWait of a class over the smallest, and
	// MaxClassSlowdownRatio the same for MeanSlowdown: 1 with fewer than two classes or all
	// zero, +Inf when the smallest is 0 and the largest is not (mind it when encoding JSON).
	MaxClassRatio, MaxClassSlowdownRatio float64
	// Inversions counts the pairs of served contacts, of any classes, in which the later
	// arrival was served first; InversionsWithinClass those whose two contacts share a class.
	// KendallTau is Kendall's tau between arrival and service order of all served contacts:
	// arrival order is ArrivalSeq and service order the order of Add, so neither has ties
	// and tau = 1 - 4·Inversions/(n(n-1)). Priorities alone make it fall below 1; within a
	// class, age adjustments and profile delays do.
	Inversions, InversionsWithinClass uint64
	KendallTau                        float64
	// LowestClass is the largest Class seen (-1 when none). StarvationMaxWait is the longest
	// time in queue of a contact of that class, served or abandoned (a starved contact may
	// leave before an agent takes it); StarvationWindowP99 is its WorstWindowP99.
	LowestClass                            int
	StarvationMaxWait, StarvationWindowP99 float64
	// Agents is the number of agents given to Report; AgentOccupancyJain and AgentIdleJain are
	// JainOccupancy and JainIdleShare of them (1 when there are none).
	Agents                            int
	AgentOccupancyJain, AgentIdleJain float64
}

// classAcc accumulates the figures of one class, or of all classes pooled.
type classAcc struct {
	class                    int
	count, served, abandoned uint64
	sumWait, maxWait         float64
	wait                     logHist
	sumSlow                  float64
	nSlow                    uint64
	over                     []uint64 // per threshold
	sumAb, maxAb             float64
	win                      windowP99
}

func newClassAcc(class int, cfg *Config) *classAcc {
	return &classAcc{
		class: class,
		over:  make([]uint64, len(cfg.WaitThresholds)),
		win:   windowP99{half: cfg.Window / 2, minCount: uint64(cfg.MinWindowCount)},
	}
}

func (c *classAcc) add(o ContactObs, thresholds []float64) {
	c.count++
	w := o.Wait()
	if !o.Served {
		c.abandoned++
		c.sumAb += w
		c.maxAb = max(c.maxAb, w)
		return
	}
	c.served++
	c.sumWait += w
	c.maxWait = max(c.maxWait, w)
	c.wait.add(w)
	if sd := w / o.Handle; o.Handle > 0 && fairFinite(sd) {
		c.sumSlow += sd
		c.nSlow++
	}
	for i, t := range thresholds {
		if w > t {
			c.over[i]++
		}
	}
	c.win.add(o.Dequeued, w)
}

func (c *classAcc) stats(inv, served uint64) ClassStats {
	s := ClassStats{
		Class: c.class, Count: c.count, Served: c.served, Abandoned: c.abandoned,
		MeanWait: fairRatio(c.sumWait, c.served), MaxWait: c.maxWait,
		P50: c.wait.quantile(0.50), P95: c.wait.quantile(0.95), P99: c.wait.quantile(0.99),
		MeanSlowdown:    fairRatio(c.sumSlow, c.nSlow),
		PWaitOver:       make([]float64, len(c.over)),
		MeanAbandonWait: fairRatio(c.sumAb, c.abandoned), MaxAbandonWait: c.maxAb,
		Inversions: inv, KendallTau: tauFromInversions(inv, served),
	}
	for i, n := range c.over {
		s.PWaitOver[i] = fairRatio(float64(n), c.served)
	}
	s.WorstWindowP99, s.WorstWindowStart, s.Windows = c.win.result()
	return s
}

func fairRatio(sum float64, n uint64) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// Accumulator computes a Report from contacts added one at a time, in the
// order they leave the queue, as a simulation produces them.
//
// Memory does not grow with the number of contacts: per class, a log-bucketed histogram
// (relative error HistRelErr, size set by the range of the waits) and two window histograms;
// for the order metrics, a Fenwick tree per class over a window of arrival sequences that
// starts at the oldest sequence not yet added or skipped. When ArrivalSeq numbers contacts
// densely from FirstSeq and every contact is added (or skipped, say a contact that arrived
// during a warm-up and is not measured), that window spans the arrivals since the oldest
// contact still waiting, and memory follows the contacts in flight. A gap that is never
// filled pins the window and memory then grows with the sequences after it; results stay
// exact either way.
//
// The zero value is ready to use with the zero Config. An Accumulator is not
// safe for concurrent use.
type Accumulator struct {
	cfg      Config
	ready    bool
	last     float64 // latest Dequeued
	classIdx map[int]int
	classes  []*classAcc // by class index, in order of first appearance
	all      *classAcc
	order    orderCounter
}

// NewAccumulator returns an empty accumulator with the settings of cfg. It returns an
// error wrapping ErrInvalid if a threshold or the window is negative, NaN or infinite, or
// MinWindowCount is negative.
func NewAccumulator(cfg Config) (*Accumulator, error) {
	a := new(Accumulator)
	if err := a.init(cfg); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *Accumulator) init(cfg Config) error {
	cfg, err := cfg.resolve()
	if err != nil {
		return err
	}
	a.cfg, a.ready = cfg, true
	a.last = math.Inf(-1)
	a.classIdx = make(map[int]int)
	a.all = newClassAcc(-1, &a.cfg)
	a.order.start(cfg.FirstSeq)
	return nil
}

func (a *Accumulator) lazyInit() {
	if !a.ready {
		_ = a.init(Config{}) // the zero config is valid
	}
}

// Add records a contact that left the queue. Contacts must come in the order they left it:
// Dequeued non-decreasing, and among equal times in the order they were routed, which is
// taken as service order. It returns an error wrapping ErrInvalid for a time that is NaN or
// beyond ±1e15 s,
// a contact dequeued before it arrived, or a served contact with a negative or non-finite
// handle time; one wrapping ErrOrder for a Dequeued earlier than the previous contact's, or
// an ArrivalSeq added or skipped before or below FirstSeq. On error nothing is recorded. The
// cost is O(log w + len(WaitThresholds)) amortized, w the span of arrival sequences since the
// oldest contact not yet added.
func (a *Accumulator) Add(c ContactObs) error {
	a.lazyInit()
	if err := c.check(); err != nil {
		return err
	}
	if c.Dequeued < a.last {
		return fmt.Errorf("%w: contact %d dequeued at %v s, before the previous contact at %v s",
			ErrOrder, c.ArrivalSeq, c.Dequeued, a.last)
	}
	if math.Abs(c.Dequeued/a.all.win.half) >= 1<<62 {
		return fmt.Errorf("%w: contact %d dequeued at %v s, too far from 0 for windows of %v s",
			ErrInvalid, c.ArrivalSeq, c.Dequeued, a.cfg.Window)
	}
	if err := a.checkSeq(c.ArrivalSeq); err != nil {
		return err
	}
	ci, ok := a.classIdx[c.Class]
	if !ok {
		ci = len(a.classes)
		a.classIdx[c.Class] = ci
		a.classes = append(a.classes, newClassAcc(c.Class, &a.cfg))
		a.order.addClass()
	}
	a.last = c.Dequeued
	a.order.add(c.ArrivalSeq, ci, c.Served)
	a.classes[ci].add(c, a.cfg.WaitThresholds)
	a.all.add(c, a.cfg.WaitThresholds)
	return nil
}

// Skip records that the contact numbered seq will never be added, so that the window of
// arrival sequences can move past it; it changes no figure. It returns an error wrapping
// ErrOrder if seq was added or skipped before or is below FirstSeq. The cost is that of Add.
func (a *Accumulator) Skip(seq uint64) error {
	a.lazyInit()
	if err := a.checkSeq(seq); err != nil {
		return err
	}
	a.order.skip(seq)
	return nil
}

func (a *Accumulator) checkSeq(seq uint64) error {
	if a.order.taken(seq) {
		return fmt.Errorf("%w: arrival sequence %d added or skipped twice, or below the first %d",
			ErrOrder, seq, a.cfg.FirstSeq)
	}
	return nil
}

// Report returns the figures of the contacts added so far, with the agent figures of agents
// (which may be nil). It does not change the accumulator: more contacts may be added after
// it. It returns an error wrapping ErrInvalid if an agent's time is negative, NaN or
// infinite. The cost is O(classes·(log classes + buckets) + agents).
func (a *Accumulator) Report(agents []AgentObs) (Report, error) {
	a.lazyInit()
	occ, err := JainOccupancy(agents)
	if err != nil {
		return Report{}, err
	}
	idle, _ := JainIdleShare(agents) // same checks as JainOccupancy
	r := Report{
		WaitThresholds: slices.Clone(a.cfg.WaitThresholds),
		Window:         a.cfg.Window,
		MinWindowCount: a.cfg.MinWindowCount,
		Inversions:     a.order.inv,
		KendallTau:     tauFromInversions(a.order.inv, a.order.served),
		LowestClass:    -1,
		Agents:         len(agents), AgentOccupancyJain: occ, AgentIdleJain: idle,
	}
	r.Overall = a.all.stats(a.order.inv, a.order.served)
	for ci, c := range a.classes {
		r.Classes = append(r.Classes, c.stats(a.order.invCls[ci], a.order.servedCls[ci]))
		r.InversionsWithinClass += a.order.invCls[ci]
	}
	slices.SortFunc(r.Classes, func(x, y ClassStats) int { return cmp.Compare(x.Class, y.Class) })
	r.acrossClasses()
	if n := len(r.Classes); n > 0 {
		low := r.Classes[n-1]
		r.LowestClass = low.Class
		r.StarvationMaxWait = max(low.MaxWait, low.MaxAbandonWait)
		r.StarvationWindowP99 = low.WorstWindowP99
	}
	return r, nil
}

// acrossClasses fills the Jain indices and ratios from r.Classes.
func (r *Report) acrossClasses() {
	var waits, slows []float64
	for _, c := range r.Classes {
		if c.Served > 0 {
			waits = append(waits, c.MeanWait)
			slows = append(slows, c.MeanSlowdown)
		}
	}
	r.JainMeanWait, r.JainMeanSlowdown = Jain(waits), Jain(slows)
	r.MaxClassRatio, r.MaxClassSlowdownRatio = classRatio(waits), classRatio(slows)
}

// classRatio returns max(xs)/min(xs) for non-negative xs: 1 when xs has fewer than two values
// or all are 0, +Inf when the smallest is 0 and the largest is not.
func classRatio(xs []float64) float64 {
	if len(xs) < 2 {
		return 1
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	if hi == 0 {
		return 1
	}
	return hi / lo // +Inf when lo == 0
}

// Measure returns the report of obs, contacts in any order, with the agent figures of
// agents. It sorts a copy of obs by Dequeued, keeping the order of obs among equal times as
// service order, and renumbers ArrivalSeq densely (their order is kept; FirstSeq is ignored),
// so the sequence numbers need only be distinct. Errors are those of NewAccumulator,
// Add and Report; a repeated ArrivalSeq wraps ErrOrder. The cost is O(n log n) time and O(n)
// memory.
func Measure(obs []ContactObs, agents []AgentObs, cfg Config) (Report, error) {
	cfg.FirstSeq = 0
	a, err := NewAccumulator(cfg)
	if err != nil {
		return Report{}, err
	}
	for _, o := range obs {
		if err := o.check(); err != nil {
			return Report{}, err
		}
	}
	byDeq := slices.Clone(obs)
	slices.SortStableFunc(byDeq, func(x, y ContactObs) int { return cmp.Compare(x.Dequeued, y.Dequeued) })
	seqs := make([]uint64, len(obs))
	for i, o := range obs {
		seqs[i] = o.ArrivalSeq
	}
	slices.Sort(seqs)
	for i := 1; i < len(seqs); i++ {
		if seqs[i] == seqs[i-1] {
			return Report{}, fmt.Errorf("%w: arrival sequence %d repeated", ErrOrder, seqs[i])
		}
	}
	for _, o := range byDeq {
		rank, _ := slices.BinarySearch(seqs, o.ArrivalSeq)
		o.ArrivalSeq = uint64(rank)
		if err := a.Add(o); err != nil {
			return Report{}, err
		}
	}
	return a.Report(agents)
}
