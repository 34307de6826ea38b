package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Metric is a figure that Sweep charts against the agents.
type Metric int

// Metrics Sweep can chart.
const (
	// ServiceLevel is the share answered within the result's first threshold, in percent.
	ServiceLevel Metric = iota
	// ASA is the average speed of answer, in seconds.
	ASA
	// Abandonment is the share of contacts that abandoned, in percent.
	Abandonment
)

// FileName returns the base name of the metric's chart files: "service-level", "asa" or
// "abandonment".
func (m Metric) FileName() string {
	return [...]string{"service-level", "asa", "abandonment"}[m]
}

// label returns the metric's axis label.
func (m Metric) label(res *Data) string {
	switch m {
	case ServiceLevel:
		return fmt.Sprintf("answered within %v (%%)", res.Threshold)
	case ASA:
		return "average speed of answer (s)"
	}
	return "abandoned (%)"
}

// unit returns the unit of the metric's values.
func (m Metric) unit() string {
	if m == ASA {
		return " s"
	}
	return "%"
}

// value returns the metric of f, scaled for the chart.
func (m Metric) value(f *Figures) Estimate {
	scale := func(e Estimate, k float64) Estimate { return Estimate{Mean: k * e.Mean, HalfWidth: k * e.HalfWidth} }
	switch m {
	case ServiceLevel:
		return scale(f.ServiceLevel, 100)
	case ASA:
		return f.ASA
	}
	return scale(f.AbandonRate, 100)
}

// scale returns the factor from the metric's unit to the chart's (percent for shares).
func (m Metric) scale() float64 {
	if m == ASA {
		return 1
	}
	return 100
}

// series is one line of a sweep panel: a queue or a class.
type series struct {
	name  string
	dash  bool
	color color.Color
	get   func(p *Point) *Figures
}

func keyed(ks map[string]Figures, key string) *Figures {
	if f, ok := ks[key]; ok {
		return &f
	}
	return nil
}

// sweepSeries returns the lines of every panel: each queue (solid), then each class
// (dashed).
func sweepSeries(res *Data) []series {
	var ss []series
	for _, q := range res.Queues {
		ss = append(ss, series{name: "queue " + q, get: func(p *Point) *Figures { return keyed(p.Queues, q) }})
	}
	for _, c := range res.Classes {
		ss = append(ss, series{name: "class " + c, dash: true, get: func(p *Point) *Figures { return keyed(p.Classes, c) }})
	}
	for i := range ss {
		ss[i].color = plotutil.Color(i)
	}
	return ss
}

// Sweep returns the chart of metric m against the agents: one row of panels per variant,
// one column per axis of the sweep, and the legend on the right. A panel plots the points
// whose other axes are at their base values (Axis.Base), one line per queue (solid) and
// per class (dashed), each with its confidence band, and the targets on the metric as grey
// dashed lines. Every panel has the same vertical scale. It returns an error when the result
// has no axis, or when its points do not match its axes.
func Sweep(res *Data, m Metric) (*Figure, error) {
	if len(res.Axes) == 0 {
		return nil, fmt.Errorf("chart: the sweep has no agent axis to chart against")
	}
	if err := res.check(); err != nil {
		return nil, err
	}
	ss := sweepSeries(res)
	f := &Figure{
		Title:       fmt.Sprintf("%s: %s by agents, %d replications, %.0f%% bands", titleOf(res), m.label(res), res.Reps, 100*res.Confidence),
		Width:       vg.Length(len(res.Axes))*4.4*vg.Inch + legendWidth,
		Height:      vg.Length(len(res.Variants))*3.2*vg.Inch + titleHeight,
		LegendWidth: legendWidth,
	}
	var panels []*plot.Plot
	for _, v := range res.Variants {
		var row []*plot.Plot
		for ai := range res.Axes {
			p, err := sweepPanel(res, m, ss, v, ai)
			if err != nil {
				return nil, err
			}
			if ai > 0 {
				p.Y.Label.Text = ""
			}
			row = append(row, p)
			panels = append(panels, p)
		}
		f.Plots = append(f.Plots, row)
	}
	lo, hi := yRange(panels, m)
	for _, p := range panels {
		p.Y.Min, p.Y.Max = lo, hi
	}
	var err error
	f.Legend, err = legendPlot(res, m, ss)
	return f, err
}

// legendWidth is the width of the legend column.
const legendWidth = 1.9 * vg.Inch

// yRange returns a vertical range that holds every panel's data: from 0 for ASA and
// abandonment, up to 100 for the service level, with a margin.
func yRange(ps []*plot.Plot, m Metric) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		lo, hi = math.Min(lo, p.Y.Min), math.Max(hi, p.Y.Max)
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 1
	}
	if m == ServiceLevel {
		lo = math.Max(0, math.Floor(lo/5)*5)
		return lo, 100
	}
	return 0, hi + 0.05*(hi-lo)
}

// legendPlot returns a plot with no axes that holds the legend of the sweep's lines.
func legendPlot(res *Data, m Metric, ss []series) (*plot.Plot, error) {
	p := plot.New()
	p.HideAxes()
	for _, s := range ss {
		l, err := plotter.NewLine(plotter.XYs{{}}) // only its legend thumbnail is drawn
		if err != nil {
			return nil, err
		}
		styleLine(l, s)
		p.Legend.Add(s.name, l)
	}
	for _, b := range targetBounds(res, m) {
		l, _ := plotter.NewLine(plotter.XYs{{}})
		styleTarget(l)
		p.Legend.Add("target "+formatTick(b)+m.unit(), l)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = 10
	return p, nil
}

func titleOf(res *Data) string {
	if res.Name != "" {
		return res.Name
	}
	return "what-if"
}

// onLine returns the points of variant v along axis ai, the other axes at their base, in
// order of axis ai.
func onLine(res *Data, v string, ai int) []*Point {
	var pts []*Point
	for i := range res.Points {
		p := &res.Points[i]
		if p.Variant != v {
			continue
		}
		ok := true
		for bi, b := range res.Axes {
			if bi != ai && p.Agents[b.Name] != b.Base {
				ok = false
			}
		}
		if ok {
			pts = append(pts, p)
		}
	}
	name := res.Axes[ai].Name
	slices.SortFunc(pts, func(a, b *Point) int { return a.Agents[name] - b.Agents[name] })
	return pts
}

func sweepPanel(res *Data, m Metric, ss []series, variant string, ai int) (*plot.Plot, error) {
	ax := res.Axes[ai]
	p := plot.New()
	var others []string
	for bi, b := range res.Axes {
		if bi != ai {
			others = append(others, b.Name+" "+strconv.Itoa(b.Base))
		}
	}
	p.Title.Text = variant
	if len(others) > 0 {
		p.Title.Text += " (" + strings.Join(others, ", ") + ")"
	}
	p.X.Label.Text = ax.Name + " agents"
	if len(ax.Groups) > 1 || ax.Groups[0] != ax.Name {
		p.X.Label.Text += " (each of " + strings.Join(ax.Groups, ", ") + ")"
	}
	p.Y.Label.Text = m.label(res)
	var ticks plot.ConstantTicks
	for _, v := range ax.Values {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = float64(ax.Values[0]), float64(ax.Values[len(ax.Values)-1])
	p.Add(plotter.NewGrid())
	pts := onLine(res, variant, ai)
	for _, s := range ss {
		line, band, err := seriesPlotters(pts, ax.Name, m, s)
		if err != nil {
			return nil, err
		}
		if band != nil {
			p.Add(band)
		}
		if line != nil {
			p.Add(line)
		}
	}
	for _, b := range targetBounds(res, m) {
		l, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: b}, {X: p.X.Max, Y: b}})
		if err != nil {
			return nil, err
		}
		styleTarget(l)
		p.Add(l)
	}
	p.Y.Tick.Marker = plainTicks{}
	return p, nil
}

// seriesPlotters returns the line (with its points marked) and confidence band of one
// series; nil when it has no finite value.
func seriesPlotters(pts []*Point, axis string, m Metric, s series) (*plotter.Line, *plotter.Polygon, error) {
	var xys, lo, hi plotter.XYs
	for _, p := range pts {
		f := s.get(p)
		if f == nil {
			continue
		}
		e := m.value(f)
		if math.IsNaN(e.Mean) {
			continue
		}
		x := float64(p.Agents[axis])
		xys = append(xys, plotter.XY{X: x, Y: e.Mean})
		if !math.IsNaN(e.HalfWidth) {
			lo = append(lo, plotter.XY{X: x, Y: e.Lo()})
			hi = append(hi, plotter.XY{X: x, Y: e.Hi()})
		}
	}
	if len(xys) == 0 {
		return nil, nil, nil
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, nil, err
	}
	styleLine(line, s)
	var band *plotter.Polygon
	if len(lo) > 1 {
		ring := slices.Clone(lo)
		for i := len(hi) - 1; i >= 0; i-- {
			ring = append(ring, hi[i])
		}
		band, err = plotter.NewPolygon(ring)
		if err != nil {
			return nil, nil, err
		}
		r, g, b, _ := s.color.RGBA()
		band.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x38}
		band.LineStyle.Width = 0
	}
	return line, band, nil
}

func styleLine(l *plotter.Line, s series) {
	l.Color = s.color
	l.Width = vg.Points(1.5)
	if s.dash {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
}

func styleTarget(l *plotter.Line) {
	l.Color = color.Gray{Y: 0x70}
	l.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
}

// targetBounds returns the distinct bounds of the targets on m, scaled for the chart.
func targetBounds(res *Data, m Metric) []float64 {
	if len(res.Points) == 0 {
		return nil
	}
	var bounds []float64
	for _, t := range res.Targets {
		if b := m.scale() * t.Bound; t.Metric == m && !slices.Contains(bounds, b) {
			bounds = append(bounds, b)
		}
	}
	slices.Sort(bounds)
	return bounds
}

// plainTicks are gonum's default ticks labelled in the shortest form ("97.5", not "97.50").
type plainTicks struct{}

// Ticks implements plot.Ticker.
func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = formatTick(ts[i].Value)
		}
	}
	return ts
}

func formatTick(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
