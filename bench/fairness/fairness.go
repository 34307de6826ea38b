package fairness

import (
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
