package fairness

import (
	"math"

	"github.com/routesim/routesim/sim"
)

// SuiteClassFigures are the figures of one class of a cell, or of all classes pooled (Class
// "all"). T is float64 for one replication and sim.Estimate over the replications. Times
// are in seconds. Waits are those of served contacts (their answer time), as ClassStats
// reports them; MeanTimeInQueue also counts abandoned contacts' time to abandon. A figure
// with nothing to measure (the wait of a class none of whose contacts was served) is NaN for
// a replication and left out of the estimate.
type SuiteClassFigures[T any] struct {
	Class string `json:"class"`
	// Contacts counts the measured contacts that left the queue; Served and Abandoned split
	// them.
	Contacts  T `json:"contacts"`
	Served    T `json:"served"`
	Abandoned T `json:"abandoned"`
	// AbandonRate is Abandoned / Contacts.
	AbandonRate T `json:"abandonRate"`
	MeanWait    T `json:"meanWait"`
	P50         T `json:"p50"`
	P95         T `json:"p95"`
	P99         T `json:"p99"`
	MaxWait     T `json:"maxWait"`
	// MeanSlowdown is the mean of wait / handle time.
	MeanSlowdown T `json:"meanSlowdown"`
	// MeanTimeInQueue is the mean time in queue of served and abandoned contacts alike.
	MeanTimeInQueue T `json:"meanTimeInQueue"`
	// PWaitOver[i] is the share of served contacts that waited longer than the suite's
	// WaitThresholds[i].
	PWaitOver []T `json:"pWaitOver"`
	// InversionsPerContact is the pairs of served contacts (of this class, or of any for
	// "all") served against arrival order, per served contact; KendallTau is Kendall's tau
	// between their arrival and service orders.
	InversionsPerContact T `json:"inversionsPerContact"`
	KendallTau           T `json:"kendallTau"`
}

// each calls fn with the name and address of every figure but Class, in a fixed order;
// thresholds name the PWaitOver entries.
func (f *SuiteClassFigures[T]) each(thresholds []float64, fn func(name string, v *T)) {
	fn("contacts", &f.Contacts)
	fn("served", &f.Served)
	fn("abandoned", &f.Abandoned)
	fn("abandonRate", &f.AbandonRate)
	fn("meanWait", &f.MeanWait)
	fn("p50", &f.P50)
	fn("p95", &f.P95)
	fn("p99", &f.P99)
	fn("maxWait", &f.MaxWait)
	fn("meanSlowdown", &f.MeanSlowdown)
	fn("meanTimeInQueue", &f.MeanTimeInQueue)
	for i := range f.PWaitOver {
		fn("pWaitOver@"+ftoa(thresholds[i])+"s", &f.PWaitOver[i])
	}
	fn("inversionsPerContact", &f.InversionsPerContact)
	fn("kendallTau", &f.KendallTau)
}

// SuiteAcrossFigures are the figures of a cell across its classes and agents (see
// Report). T is float64 for one replication and sim.Estimate over the replications.
type SuiteAcrossFigures[T any] struct {
	// JainMeanWait and JainMeanSlowdown are Jain's index of the classes' mean waits and mean
	// slowdowns; MaxClassRatio the largest class mean wait over the smallest (NaN for a
	// replication in which the smallest is 0).
	JainMeanWait     T `json:"jainMeanWait"`
	JainMeanSlowdown T `json:"jainMeanSlowdown"`
	MaxClassRatio    T `json:"maxClassRatio"`
	// WithinClassInversionsPerContact is the pairs of served contacts of the same class
	// served against arrival order, per served contact.
	WithinClassInversionsPerContact T `json:"withinClassInversionsPerContact"`
	// StarvationMaxWait is the longest time in queue of a contact of the lowest class;
	// StarvationWindowP99 the worst p99 wait of that class over 15-minute windows.
	StarvationMaxWait   T `json:"starvationMaxWait"`
	StarvationWindowP99 T `json:"starvationWindowP99"`
	// AgentOccupancyJain and AgentIdleJain are Jain's index of the agents' occupancy and of
	// their idle time.
	AgentOccupancyJain T `json:"agentOccupancyJain"`
	AgentIdleJain      T `json:"agentIdleJain"`
	// Censored counts measured contacts still waiting at the horizon, left out of every
	// figure (0 when the cool-down is long enough).
	Censored T `json:"censored"`
}

func (f *SuiteAcrossFigures[T]) each(fn func(name string, v *T)) {
	fn("jainMeanWait", &f.JainMeanWait)
	fn("jainMeanSlowdown", &f.JainMeanSlowdown)
	fn("maxClassRatio", &f.MaxClassRatio)
	fn("withinClassInversionsPerContact", &f.WithinClassInversionsPerContact)
	fn("starvationMaxWait", &f.StarvationMaxWait)
	fn("starvationWindowP99", &f.StarvationWindowP99)
	fn("agentOccupancyJain", &f.AgentOccupancyJain)
	fn("agentIdleJain", &f.AgentIdleJain)
	fn("censored", &f.Censored)
}

// SuiteRep is the outcome of one replication of a cell: the fairness report, and the
// figures drawn from it.
type SuiteRep struct {
	Report  Report
	Overall SuiteClassFigures[float64]
	Classes []SuiteClassFigures[float64]
	Across  SuiteAcrossFigures[float64]
	// Contacts counts every contact of the replication, warm-up and cool-down included.
	Contacts int64
}

// nan is the value of a figure with nothing to measure.
var nan = math.NaN()

func orNaN(v float64, ok bool) float64 {
	if !ok || math.IsInf(v, 0) {
		return nan
	}
	return v
}

// classFigures draws the figures of one class from its ClassStats.
func classFigures(name string, s ClassStats) SuiteClassFigures[float64] {
	served := s.Served > 0
	f := SuiteClassFigures[float64]{
		Class:                name,
		Contacts:             float64(s.Count),
		Served:               float64(s.Served),
		Abandoned:            float64(s.Abandoned),
		AbandonRate:          orNaN(float64(s.Abandoned)/float64(s.Count), s.Count > 0),
		MeanWait:             orNaN(s.MeanWait, served),
		P50:                  orNaN(s.P50, served),
		P95:                  orNaN(s.P95, served),
		P99:                  orNaN(s.P99, served),
		MaxWait:              orNaN(s.MaxWait, served),
		MeanSlowdown:         orNaN(s.MeanSlowdown, served),
		MeanTimeInQueue:      orNaN((s.MeanWait*float64(s.Served)+s.MeanAbandonWait*float64(s.Abandoned))/float64(s.Count), s.Count > 0),
		PWaitOver:            make([]float64, len(s.PWaitOver)),
		InversionsPerContact: orNaN(float64(s.Inversions)/float64(s.Served), served),
		KendallTau:           orNaN(s.KendallTau, served),
	}
	for i, p := range s.PWaitOver {
		f.PWaitOver[i] = orNaN(p, served)
	}
	return f
}

// emptyClass returns the figures of a class with no contacts in a replication.
func emptyClass(name string, thresholds int) SuiteClassFigures[float64] {
	return classFigures(name, ClassStats{PWaitOver: make([]float64, thresholds)})
}

// repFigures draws a replication's figures from its report; names are the classes by index.
func repFigures(r Report, names []string, censored int) SuiteRep {
	rep := SuiteRep{Report: r, Overall: classFigures("all", r.Overall)}
	for k, name := range names {
		f := emptyClass(name, len(r.WaitThresholds))
		for _, c := range r.Classes {
			if c.Class == k {
				f = classFigures(name, c)
			}
		}
		rep.Classes = append(rep.Classes, f)
	}
	served := r.Overall.Served > 0
	rep.Across = SuiteAcrossFigures[float64]{
		JainMeanWait:                    orNaN(r.JainMeanWait, served),
		JainMeanSlowdown:                orNaN(r.JainMeanSlowdown, served),
		MaxClassRatio:                   orNaN(r.MaxClassRatio, served),
		WithinClassInversionsPerContact: orNaN(float64(r.InversionsWithinClass)/float64(r.Overall.Served), served),
		StarvationMaxWait:               orNaN(r.StarvationMaxWait, r.LowestClass >= 0),
		StarvationWindowP99:             orNaN(r.StarvationWindowP99, r.LowestClass >= 0 && r.Classes[len(r.Classes)-1].Windows > 0),
		AgentOccupancyJain:              r.AgentOccupancyJain,
		AgentIdleJain:                   r.AgentIdleJain,
		Censored:                        float64(censored),
	}
	return rep
}

// aggregateClass turns the figures of one class over the replications into estimates.
func aggregateClass(reps []*SuiteClassFigures[float64], thresholds []float64, conf float64) SuiteClassFigures[sim.Estimate] {
	out := SuiteClassFigures[sim.Estimate]{Class: reps[0].Class, PWaitOver: make([]sim.Estimate, len(thresholds))}
	sim.Aggregate(func(fn func(string, *sim.Estimate)) { out.each(thresholds, fn) }, reps,
		func(r *SuiteClassFigures[float64], fn func(string, *float64)) { r.each(thresholds, fn) }, conf)
	return out
}

// aggregateAcross turns the across-class figures over the replications into estimates.
func aggregateAcross(reps []*SuiteAcrossFigures[float64], conf float64) SuiteAcrossFigures[sim.Estimate] {
	var out SuiteAcrossFigures[sim.Estimate]
	sim.Aggregate(out.each, reps, (*SuiteAcrossFigures[float64]).each, conf)
	return out
}
