package fairness

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/chart"
)

// SuiteChart is a chart of a suite result, drawn with sim/chart's Figure.
type SuiteChart struct {
	// Name is the base name of its files ("class-waits").
	Name   string
	Figure *chart.Figure
}

// SuiteCharts returns the charts of r:
//
//   - class-waits: per scenario, the wait distribution of each class under each rule set,
//     a bar from the median to the 99th percentile with a dot at the 95th and a triangle
//     at the mean (means over the replications);
//   - fairness-index: per scenario and rule set, Jain's index of the classes' mean waits and
//     the inversions of arrival order per served contact, with their confidence intervals.
//
// Charts depend only on r, so equal results give equal files.
func SuiteCharts(r *SuiteResult) ([]SuiteChart, error) {
	w, err := classWaitsChart(r)
	if err != nil {
		return nil, err
	}
	f, err := fairnessIndexChart(r)
	if err != nil {
		return nil, err
	}
	return []SuiteChart{{SuiteChartNames[0], w}, {SuiteChartNames[1], f}}, nil
}

// SuiteChartNames are the names of the charts of SuiteCharts, in order.
var SuiteChartNames = []string{"class-waits", "fairness-index"}

// errPoints are points with vertical error bars, for plotter.NewYErrorBars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// slotX returns the x of item k of n around category x: items spread over 60% of the gap.
func slotX(x float64, k, n int) float64 {
	if n < 2 {
		return x
	}
	return x + 0.6*(float64(k)/float64(n-1)-0.5)
}

func ruleSetNames(s *Suite) []string {
	names := make([]string, len(s.RuleSets))
	for j, rs := range s.RuleSets {
		names[j] = rs.Name
	}
	return names
}

// tiltLabels tilts the category labels of the x axis so long names do not overlap.
func tiltLabels(p *plot.Plot) {
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
}

// figureGrid lays plots out in rows of cols.
func figureGrid(ps []*plot.Plot, cols int) [][]*plot.Plot {
	var grid [][]*plot.Plot
	for i := 0; i < len(ps); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, ps[i:min(i+cols, len(ps))])
		grid = append(grid, row)
	}
	return grid
}

func classWaitsChart(r *SuiteResult) (*chart.Figure, error) {
	s := r.Suite
	var plots []*plot.Plot
	for i := range s.Scenarios {
		p, err := classWaitsPanel(r, i)
		if err != nil {
			return nil, err
		}
		plots = append(plots, p)
	}
	const cols = 2
	grid := figureGrid(plots, cols)
	return &chart.Figure{
		Title: fmt.Sprintf("Wait per class: median to p99 (bar), p95 (dot), mean (triangle); %d replications", s.Reps),
		Plots: grid,
		Width: cols * 4.8 * vg.Inch, Height: vg.Length(len(grid))*3.4*vg.Inch + 0.45*vg.Inch,
	}, nil
}

func classWaitsPanel(r *SuiteResult, i int) (*plot.Plot, error) {
	s := r.Suite
	sc := &s.Scenarios[i]
	p := plot.New()
	p.Title.Text = sc.Name
	p.Y.Label.Text = "wait (s)"
	p.Add(plotter.NewGrid())
	p.NominalX(ruleSetNames(s)...)
	tiltLabels(p)
	top := 0.0
	for k, cl := range sc.Classes {
		var bars errPoints
		var means plotter.XYs
		for j := range s.RuleSets {
			c := r.Cell(sc.Name, s.RuleSets[j].Name)
			if c == nil {
				continue
			}
			f := &c.Classes[k]
			x := slotX(float64(j), k, len(sc.Classes))
			p50, p95, p99 := f.P50.Mean, f.P95.Mean, f.P99.Mean
			if math.IsNaN(p50) || math.IsNaN(p95) || math.IsNaN(p99) {
				continue
			}
			bars.XYs = append(bars.XYs, plotter.XY{X: x, Y: p95})
			bars.YErrors = append(bars.YErrors, struct{ Low, High float64 }{p95 - p50, p99 - p95})
			if m := f.MeanWait.Mean; !math.IsNaN(m) {
				means = append(means, plotter.XY{X: x, Y: m})
			}
			top = max(top, p99)
		}
		if len(bars.XYs) == 0 {
			continue
		}
		col := plotutil.Color(k)
		eb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return nil, err
		}
		eb.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2.5)}
		eb.CapWidth = vg.Points(4)
		dots, err := plotter.NewScatter(bars.XYs)
		if err != nil {
			return nil, err
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(eb, dots)
		if len(means) > 0 {
			m, err := plotter.NewScatter(means)
			if err != nil {
				return nil, err
			}
			m.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(2.5), Shape: draw.PyramidGlyph{}}
			p.Add(m)
		}
		p.Legend.Add(cl.ID, dots)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = 9
	p.X.Min, p.X.Max = -0.6, float64(len(s.RuleSets))-0.4
	p.Y.Min, p.Y.Max = 0, math.Max(1, 1.3*top) // headroom for the legend
	p.Y.Tick.Marker = plainTicks{}
	return p, nil
}

func fairnessIndexChart(r *SuiteResult) (*chart.Figure, error) {
	s := r.Suite
	jain, err := indexPanel(r, "Jain's index of class mean waits (1: all classes wait alike)", true,
		func(c *SuiteCell) sim.Estimate { return c.Across.JainMeanWait })
	if err != nil {
		return nil, err
	}
	inv, err := indexPanel(r, "inversions per served contact (earlier arrivals it overtook)", false,
		func(c *SuiteCell) sim.Estimate { return c.Overall.InversionsPerContact })
	if err != nil {
		return nil, err
	}
	legend := plot.New()
	legend.HideAxes()
	for j, rs := range s.RuleSets {
		g, err := plotter.NewScatter(plotter.XYs{{}}) // only its legend thumbnail is drawn
		if err != nil {
			return nil, err
		}
		g.GlyphStyle = ruleGlyph(j)
		legend.Legend.Add(rs.Name, g)
	}
	legend.Legend.Top, legend.Legend.Left = true, true
	const legendWidth = 1.6 * vg.Inch
	return &chart.Figure{
		Title:  fmt.Sprintf("Fairness by scenario and rule set, %s%% intervals over %d replications", ftoa(100*s.Confidence), s.Reps),
		Plots:  [][]*plot.Plot{{jain}, {inv}},
		Legend: legend, LegendWidth: legendWidth,
		Width: 7.5*vg.Inch + legendWidth, Height: 2*3.3*vg.Inch + 0.45*vg.Inch,
	}, nil
}

func ruleGlyph(j int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: plotutil.Color(j), Radius: vg.Points(3.5), Shape: plotutil.Shape(j)}
}

// indexPanel plots figure get of every cell: one category per scenario, one glyph per rule
// set with its interval; unit puts the vertical axis on [0, 1], otherwise on [0, max].
func indexPanel(r *SuiteResult, title string, unit bool, get func(*SuiteCell) sim.Estimate) (*plot.Plot, error) {
	s := r.Suite
	p := plot.New()
	p.Title.Text = title
	p.Add(plotter.NewGrid())
	names := make([]string, len(s.Scenarios))
	for i, sc := range s.Scenarios {
		names[i] = sc.Name
	}
	p.NominalX(names...)
	lo, hi := 0.0, 0.0
	for j, rs := range s.RuleSets {
		var pts errPoints
		for i, sc := range s.Scenarios {
			c := r.Cell(sc.Name, rs.Name)
			if c == nil {
				continue
			}
			e := get(c)
			if math.IsNaN(e.Mean) {
				continue
			}
			hw := e.HalfWidth
			if math.IsNaN(hw) {
				hw = 0
			}
			pts.XYs = append(pts.XYs, plotter.XY{X: slotX(float64(i), j, len(s.RuleSets)), Y: e.Mean})
			pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{hw, hw})
			lo, hi = min(lo, e.Mean-hw), max(hi, e.Mean+hw)
		}
		if len(pts.XYs) == 0 {
			continue
		}
		eb, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return nil, err
		}
		eb.LineStyle = draw.LineStyle{Color: plotutil.Color(j), Width: vg.Points(1)}
		eb.CapWidth = vg.Points(3)
		g, err := plotter.NewScatter(pts.XYs)
		if err != nil {
			return nil, err
		}
		g.GlyphStyle = ruleGlyph(j)
		p.Add(eb, g)
	}
	p.X.Min, p.X.Max = -0.6, float64(len(s.Scenarios))-0.4
	p.Y.Min, p.Y.Max = lo, 1.02
	if !unit {
		p.Y.Max = math.Max(1, 1.05*hi)
	}
	p.Y.Tick.Marker = plainTicks{}
	return p, nil
}

// plainTicks are gonum's default ticks labelled without trailing zeros ("5000", not
// "5000.00").
type plainTicks struct{}

// Ticks implements plot.Ticker.
func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', -1, 64)
		}
	}
	return ts
}
