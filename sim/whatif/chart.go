package whatif

import (
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/chart"
)

// ChartData returns what the charts of res draw (see chart.WriteAll): package chart knows
// nothing of whatif, so whatif converts. The service level charted is at the first
// threshold, and the targets drawn are those on the charted metrics. The cost is
// O(size of res).
func (res *Result) ChartData() *chart.Data {
	d := &chart.Data{Name: res.Name, Reps: res.Reps, Confidence: res.Confidence, Variants: res.Variants,
		Queues: res.Queues, Classes: res.Classes}
	slName := ""
	if len(res.ServiceLevel) > 0 {
		d.Threshold = res.ServiceLevel[0].D()
		slName = "serviceLevel@" + res.ServiceLevel[0].String()
	}
	for _, a := range res.Axes {
		d.Axes = append(d.Axes, chart.Axis{Name: a.Name, Groups: a.Groups, Values: a.Values, Base: a.Base})
	}
	for _, p := range res.Pools {
		d.Pools = append(d.Pools, p.Pool)
	}
	for i := range res.Points {
		p := &res.Points[i]
		d.Points = append(d.Points, chart.Point{Variant: p.Variant, Agents: p.Agents,
			Queues: chartFigures(p.Queues), Classes: chartFigures(p.Classes)})
	}
	if len(res.Points) > 0 {
		metrics := map[string]chart.Metric{slName: chart.ServiceLevel, "asa": chart.ASA, "abandonRate": chart.Abandonment}
		for _, t := range res.Points[0].Targets {
			if m, ok := metrics[t.Metric]; ok && t.Metric != "" {
				d.Targets = append(d.Targets, chart.Target{Metric: m, Bound: t.Bound})
			}
		}
	}
	for _, s := range res.Staffing {
		iv := chart.Interval{Start: s.Start.D(), Length: s.Length.D()}
		for _, p := range s.Pools {
			iv.Pools = append(iv.Pools, chart.PoolStaffing{Agents: p.Agents, ErlangC: p.ErlangC, ErlangA: p.ErlangA, Scheduled: p.Scheduled})
		}
		d.Staffing = append(d.Staffing, iv)
	}
	if r := res.Roster; r != nil && len(r.Intervals) > 0 {
		c := &chart.Coverage{Interval: (r.Intervals[0].Start + r.intervalLength()).D() - r.Intervals[0].Start.D()}
		for i, p := range res.Pools {
			cp := chart.CoveragePool{Name: p.Pool}
			for _, iv := range r.Intervals {
				cv := iv.Pools[i]
				cp.Required, cp.TwoStep, cp.Final = append(cp.Required, cv.Required), append(cp.TwoStep, cv.TwoStep), append(cp.Final, cv.Covering)
			}
			c.Pools = append(c.Pools, cp)
		}
		d.Coverage = c
	}
	return d
}

// intervalLength returns the length of the roster's intervals.
func (r *RosterResult) intervalLength() sim.Duration {
	if len(r.Intervals) < 2 {
		return 0
	}
	return r.Intervals[1].Start - r.Intervals[0].Start
}

// chartFigures keeps the charted figures of each queue or class, by key.
func chartFigures(ks []sim.Keyed[sim.Estimate]) map[string]chart.Figures {
	est := func(e sim.Estimate) chart.Estimate { return chart.Estimate{Mean: e.Mean, HalfWidth: e.HalfWidth} }
	out := make(map[string]chart.Figures, len(ks))
	for _, k := range ks {
		f := chart.Figures{ServiceLevel: chart.NaN, ASA: est(k.ASA), AbandonRate: est(k.AbandonRate)}
		if len(k.ServiceLevel) > 0 {
			f.ServiceLevel = est(k.ServiceLevel[0])
		}
		out[k.Key] = f
	}
	return out
}
