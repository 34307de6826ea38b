package whatif

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/routesim/routesim/sim"
)

// A target checked against simulated figures: which goals were met, by what margin, and how
// the result reads.

// TargetResult is one goal of a target checked against simulated figures.
type TargetResult struct {
	// Target names the contacts: "queue sales", "class vip" or "all".
	Target string `json:"target"`
	// Metric is "serviceLevel@20s", "abandonRate" or "asa" (seconds); Op is ">=" or "<=";
	// Bound is the goal.
	Metric string  `json:"metric"`
	Op     string  `json:"op"`
	Bound  float64 `json:"bound"`
	// Value is the simulated figure; Met reports whether its mean meets the goal. A NaN
	// mean, nothing measured, meets it when no contact was offered, and misses it when
	// contacts were offered and none left the queue (none handled, none abandoned: routing
	// criteria no agent on duty matches, say), a queue that grows without bound.
	Value sim.Estimate `json:"value"`
	Met   bool         `json:"met"`
}

// margin returns how far the goal is met, relative to the bound (negative: missed).
func (t *TargetResult) margin() float64 {
	v := t.Value.Mean
	if math.IsNaN(v) {
		if t.Met {
			return math.Inf(1)
		}
		return -1
	}
	den := math.Max(math.Abs(t.Bound), 0.01)
	if t.Metric == "asa" {
		den = math.Max(math.Abs(t.Bound), 1)
	}
	if t.Op == ">=" {
		return (v - t.Bound) / den
	}
	return (t.Bound - v) / den
}

// evalTargets checks every goal of targets against figures; sl lists the figures'
// service-level thresholds.
func evalTargets(targets []Target, sl []sim.Duration, overall *sim.Figures[sim.Estimate], queues, classes []sim.Keyed[sim.Estimate]) []TargetResult {
	var out []TargetResult
	for _, g := range targets {
		name, f := "all", overall
		switch {
		case g.Queue != "":
			name, f = "queue "+g.Queue, findKeyed(queues, g.Queue)
		case g.Class != "":
			name, f = "class "+g.Class, findKeyed(classes, g.Class)
		}
		add := func(metric, op string, bound float64, get func(*sim.Figures[sim.Estimate]) sim.Estimate) {
			v := sim.Estimate{Mean: math.NaN(), StdDev: math.NaN(), HalfWidth: math.NaN()}
			if f != nil {
				v = get(f)
			}
			r := TargetResult{Target: name, Metric: metric, Op: op, Bound: bound, Value: v}
			r.Met = !math.IsNaN(v.Mean) && r.margin() >= 0 || math.IsNaN(v.Mean) && !starved(f)
			out = append(out, r)
		}
		if i := slices.Index(sl, g.Within); g.ServiceLevel > 0 && i >= 0 {
			add("serviceLevel@"+g.Within.String(), ">=", g.ServiceLevel, func(f *sim.Figures[sim.Estimate]) sim.Estimate { return f.ServiceLevel[i] })
		}
		if g.MaxAbandon != nil {
			add("abandonRate", "<=", *g.MaxAbandon, func(f *sim.Figures[sim.Estimate]) sim.Estimate { return f.AbandonRate })
		}
		if g.MaxASA > 0 {
			add("asa", "<=", g.MaxASA.Seconds(), func(f *sim.Figures[sim.Estimate]) sim.Estimate { return f.ASA })
		}
	}
	return out
}

// starved reports whether the cell f was offered contacts of which none left the queue.
func starved(f *sim.Figures[sim.Estimate]) bool {
	return f != nil && f.Offered.Mean > 0 && f.Handled.Mean == 0 && f.Abandoned.Mean == 0
}

func findKeyed(ks []sim.Keyed[sim.Estimate], key string) *sim.Figures[sim.Estimate] {
	for i := range ks {
		if ks[i].Key == key {
			return &ks[i].Figures
		}
	}
	return nil
}

// goal formats the goal alone: "queue sales serviceLevel@20s >= 80%".
func (t TargetResult) goal() string {
	b := strconv.FormatFloat(100*t.Bound, 'f', -1, 64) + "%"
	if t.Metric == "asa" {
		b = strconv.FormatFloat(t.Bound, 'f', -1, 64) + "s"
	}
	return fmt.Sprintf("%s %s %s %s", t.Target, t.Metric, t.Op, b)
}

// String formats the goal as "queue sales serviceLevel@20s 81.2% ± 1.3 >= 80% ok".
func (t TargetResult) String() string {
	pct := !strings.HasPrefix(t.Metric, "asa")
	f := func(v float64) string {
		if pct {
			return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(v, 'f', 1, 64) + "s"
	}
	ok := "met"
	if !t.Met {
		ok = "MISSED"
	}
	return fmt.Sprintf("%s %s %s %s %s: %s", t.Target, t.Metric, f(t.Value.Mean), t.Op, f(t.Bound), ok)
}
