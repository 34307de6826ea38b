package chart

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Coverage is a roster's coverage of the cycle: per pool and interval, the agents required
// and those on shift (not on break) under the two-step and the final roster.
type Coverage struct {
	// Interval is the length of an interval; every pool lists one value per interval of the
	// cycle, from its start.
	Interval time.Duration
	Pools    []CoveragePool
}

// CoveragePool is one pool's coverage over the cycle.
type CoveragePool struct {
	Name                     string
	Required, TwoStep, Final []int
}

// CoverageChart returns the chart of a roster's coverage against its requirement: one panel
// per pool, with, as steps over the cycle, the agents required after shrinkage (grey), the
// two-step roster's coverage (dashed) and the final roster's (solid). It returns an error
// when res has no roster coverage or a pool's lists differ in length.
func CoverageChart(res *Data) (*Figure, error) {
	c := res.Coverage
	if c == nil || len(c.Pools) == 0 {
		return nil, fmt.Errorf("chart: the result has no roster")
	}
	f := &Figure{
		Title:  fmt.Sprintf("%s: roster coverage against requirement", titleOf(res)),
		Width:  11 * vg.Inch,
		Height: vg.Length(len(c.Pools))*3*vg.Inch + titleHeight,
	}
	for i, pl := range c.Pools {
		if len(pl.TwoStep) != len(pl.Required) || len(pl.Final) != len(pl.Required) {
			return nil, fmt.Errorf("chart: pool %s: %d required, %d two-step and %d final values", pl.Name, len(pl.Required), len(pl.TwoStep), len(pl.Final))
		}
		p, err := coveragePanel(c, pl, i == 0)
		if err != nil {
			return nil, err
		}
		f.Plots = append(f.Plots, []*plot.Plot{p})
	}
	return f, nil
}

func coveragePanel(c *Coverage, pl CoveragePool, legend bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "pool " + pl.Name
	p.Y.Label.Text = "agents"
	p.Y.Min = 0
	p.Add(plotter.NewGrid())
	kinds := []struct {
		label string
		vals  []int
		color color.Color
		dash  []vg.Length
		width vg.Length
	}{
		{"required", pl.Required, color.Gray{Y: 0x80}, nil, vg.Points(3)},
		{"two-step roster", pl.TwoStep, plotutil.Color(1), []vg.Length{vg.Points(5), vg.Points(3)}, vg.Points(1.5)},
		{"final roster", pl.Final, plotutil.Color(0), nil, vg.Points(1.5)},
	}
	span := hours(time.Duration(len(pl.Required)) * c.Interval)
	for _, k := range kinds {
		xys := make(plotter.XYs, 0, len(k.vals)+1)
		for j, v := range k.vals {
			xys = append(xys, plotter.XY{X: hours(time.Duration(j) * c.Interval), Y: float64(v)})
		}
		if n := len(k.vals); n > 0 {
			xys = append(xys, plotter.XY{X: span, Y: float64(k.vals[n-1])})
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.StepStyle = plotter.PostStep
		l.Color, l.Dashes, l.Width = k.color, k.dash, k.width
		p.Add(l)
		if legend {
			p.Legend.Add(k.label, l)
		}
	}
	p.X.Min, p.X.Max = 0, span
	p.Y.Max *= 1.3
	p.Y.Tick.Marker = plainTicks{}
	p.X.Label.Text = "time of day"
	if span > 48 {
		p.X.Label.Text = "day of the cycle"
	}
	p.X.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick {
		var ts []plot.Tick
		if max-min > 48 {
			for h := 0.0; h <= max; h += 24 {
				ts = append(ts, plot.Tick{Value: h, Label: fmt.Sprintf("d%d", int(h/24))})
				for q := h + 6; q < h+24 && q <= max; q += 6 {
					ts = append(ts, plot.Tick{Value: q})
				}
			}
			return ts
		}
		return hourTicks(min, max)
	})
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = 9
	return p, nil
}
