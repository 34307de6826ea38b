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

// Staffing returns the chart of the solver's staffing over the day: one panel per pool and,
// with several pools, one for their total; in each, as steps over the intervals solved, the
// simulator's staffing (solid), Erlang C's and Erlang A's for the same load (dashed; Erlang
// A when the data has it) and the scenario's schedule (dotted grey). It returns an error when the result has no solver intervals, or
// when an interval does not have a staffing for every pool.
func Staffing(res *Data) (*Figure, error) {
	if len(res.Staffing) == 0 {
		return nil, fmt.Errorf("chart: the result has no staffing intervals")
	}
	if err := res.check(); err != nil {
		return nil, err
	}
	panels := len(res.Pools)
	if panels > 1 {
		panels++
	}
	f := &Figure{
		Title:  fmt.Sprintf("%s: agents needed per interval, simulation against Erlang A and C", titleOf(res)),
		Width:  9 * vg.Inch,
		Height: vg.Length(panels)*3*vg.Inch + titleHeight,
	}
	for i := range panels {
		name := "all pools"
		pick := func(s *Interval, get func(PoolStaffing) int) float64 {
			n := 0
			for _, p := range s.Pools {
				n += get(p)
			}
			return float64(n)
		}
		if i < len(res.Pools) {
			name = "pool " + res.Pools[i]
			pick = func(s *Interval, get func(PoolStaffing) int) float64 {
				return float64(get(s.Pools[i]))
			}
		}
		p, err := staffingPanel(res, name, pick, i == 0)
		if err != nil {
			return nil, err
		}
		f.Plots = append(f.Plots, []*plot.Plot{p})
	}
	return f, nil
}

func staffingPanel(res *Data, name string, pick func(*Interval, func(PoolStaffing) int) float64, legend bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = name
	p.X.Label.Text = "time of day"
	p.Y.Label.Text = "agents"
	p.Y.Min = 0
	p.Add(plotter.NewGrid())
	kinds := []struct {
		label string
		get   func(PoolStaffing) int
		color color.Color
		dash  []vg.Length
		width vg.Length
	}{
		{"scheduled", func(s PoolStaffing) int { return s.Scheduled }, color.Gray{Y: 0x90}, []vg.Length{vg.Points(1), vg.Points(2)}, vg.Points(1.5)},
		{"Erlang C", func(s PoolStaffing) int { return s.ErlangC }, plotutil.Color(1), []vg.Length{vg.Points(5), vg.Points(3)}, vg.Points(1.5)},
		{"Erlang A", func(s PoolStaffing) int { return s.ErlangA }, plotutil.Color(2), []vg.Length{vg.Points(2), vg.Points(2)}, vg.Points(1.5)},
		{"simulated", func(s PoolStaffing) int { return s.Agents }, plotutil.Color(0), nil, vg.Points(2)},
	}
	hasA := false
	for _, s := range res.Staffing {
		for _, ps := range s.Pools {
			hasA = hasA || ps.ErlangA > 0
		}
	}
	lo, hi := 24.0, 0.0
	for _, k := range kinds {
		if k.label == "Erlang A" && !hasA {
			continue
		}
		for j, seg := range segments(res.Staffing) {
			var xys plotter.XYs
			for _, s := range seg {
				xys = append(xys, plotter.XY{X: hours(s.Start), Y: pick(s, k.get)})
			}
			last := seg[len(seg)-1]
			xys = append(xys, plotter.XY{X: hours(last.Start + last.Length), Y: pick(last, k.get)})
			lo, hi = min(lo, xys[0].X), max(hi, xys[len(xys)-1].X)
			l, err := plotter.NewLine(xys)
			if err != nil {
				return nil, err
			}
			l.StepStyle = plotter.PostStep
			l.Color, l.Dashes, l.Width = k.color, k.dash, k.width
			p.Add(l)
			if legend && j == 0 {
				p.Legend.Add(k.label, l)
			}
		}
	}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Max *= 1.3 // room for the legend
	p.Y.Tick.Marker = plainTicks{}
	p.X.Tick.Marker = plot.TickerFunc(hourTicks)
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = 9
	return p, nil
}

// hourTicks labels whole hours between min and max (in hours of the cycle) as times of day,
// every hour over up to 8 hours, every other hour beyond.
func hourTicks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	step := 1.0
	if max-min > 8 {
		step = 2
	}
	for h := float64(int(min)); h <= max; h += step {
		if h >= min {
			ts = append(ts, plot.Tick{Value: h, Label: fmt.Sprintf("%02d:00", int(h)%24)})
		}
	}
	return ts
}

// hours converts an offset in the cycle to hours.
func hours(d time.Duration) float64 { return d.Hours() }

// segments splits the intervals into runs of consecutive ones, so that the chart leaves the
// gaps between them empty.
func segments(st []Interval) [][]*Interval {
	var out [][]*Interval
	for i := range st {
		s := &st[i]
		if n := len(out); n > 0 {
			prev := out[n-1][len(out[n-1])-1]
			if prev.Start+prev.Length == s.Start {
				out[n-1] = append(out[n-1], s)
				continue
			}
		}
		out = append(out, []*Interval{s})
	}
	return out
}
