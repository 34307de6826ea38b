package chart

import (
	"fmt"
	"math"
	"time"
)

// Data is what the charts of a capacity what-if draw: the sweep's axes, variants and points,
// and the staffing the solver found. Callers fill it from their results (routesim converts a
// sim/whatif result); chart depends on no routesim package. The zero value has nothing to
// draw.
type Data struct {
	// Name titles the charts ("what-if" when empty); Reps and Confidence describe the
	// confidence bands.
	Name       string
	Reps       int
	Confidence float64
	// Threshold is the service-level threshold that the ServiceLevel metric is measured at.
	Threshold time.Duration
	// Axes are the sweep's axes of agents and Variants its rule variants, in order; Queues
	// and Classes name the series of every sweep panel; Pools the solver's pools.
	Axes     []Axis
	Variants []string
	Queues   []string
	Classes  []string
	Pools    []string
	// Points are the sweep's points, in any order.
	Points []Point
	// Targets are the goals drawn as grey dashed lines on the charts of their metric.
	Targets []Target
	// Staffing are the intervals the solver solved, in order.
	Staffing []Interval
	// Coverage is a roster's coverage of the cycle; nil without a roster.
	Coverage *Coverage
}

// Axis is one axis of a sweep: its name, the agent groups it sets, its values in ascending
// order, and its base, the value the charts of the other axes hold it at.
type Axis struct {
	Name   string
	Groups []string
	Values []int
	Base   int
}

// Point is one point of a sweep: its variant, the agents of each axis (by axis name), and
// the figures of each queue and class (by ID).
type Point struct {
	Variant string
	Agents  map[string]int
	Queues  map[string]Figures
	Classes map[string]Figures
}

// Figures are the figures a sweep chart draws of one queue or class at one point.
type Figures struct {
	// ServiceLevel is the share answered within Data.Threshold; AbandonRate the share that
	// abandoned; ASA the average speed of answer in seconds.
	ServiceLevel Estimate
	ASA          Estimate
	AbandonRate  Estimate
}

// Estimate is a figure over replications: its mean and the half-width of its confidence
// interval, NaN when unknown (a NaN mean is left off the chart, a NaN half-width draws no
// band).
type Estimate struct {
	Mean, HalfWidth float64
}

// NaN is the estimate of a figure with nothing to measure.
var NaN = Estimate{Mean: math.NaN(), HalfWidth: math.NaN()}

// Lo returns the lower end of the confidence interval.
func (e Estimate) Lo() float64 { return e.Mean - e.HalfWidth }

// Hi returns the upper end of the confidence interval.
func (e Estimate) Hi() float64 { return e.Mean + e.HalfWidth }

// Target is the bound of a goal on a metric, in the metric's own unit (a share for
// ServiceLevel and Abandonment, seconds for ASA).
type Target struct {
	Metric Metric
	Bound  float64
}

// Interval is one interval of the cycle the solver staffed: its start and length in the
// cycle, and each pool's staffing in the order of Data.Pools.
type Interval struct {
	Start, Length time.Duration
	Pools         []PoolStaffing
}

// PoolStaffing is one pool's staffing in one interval: the agents the simulation needs, the
// agents Erlang C and Erlang A need for the same load, and the agents the scenario schedules.
type PoolStaffing struct {
	Agents, ErlangC, Scheduled int
	// ErlangA is the agents Erlang A needs; drawn when some interval has one.
	ErlangA int
}

// check returns an error when d's points or intervals do not match its axes and pools.
func (d *Data) check() error {
	for _, a := range d.Axes {
		if len(a.Values) == 0 || len(a.Groups) == 0 {
			return fmt.Errorf("chart: axis %s has no values or no groups", a.Name)
		}
	}
	for i, p := range d.Points {
		for _, a := range d.Axes {
			if _, ok := p.Agents[a.Name]; !ok {
				return fmt.Errorf("chart: point %d has no agents for axis %s", i, a.Name)
			}
		}
	}
	for i, s := range d.Staffing {
		if len(s.Pools) != len(d.Pools) {
			return fmt.Errorf("chart: interval %d has %d pools; want %d", i, len(s.Pools), len(d.Pools))
		}
	}
	return nil
}
