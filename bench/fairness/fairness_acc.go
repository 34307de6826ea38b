package fairness

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Accumulating observations into a Report: per class and pooled, in one pass, in sequence
// order.

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
