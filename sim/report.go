package sim

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// tableFigures are the columns of WriteTable, by name in Figures.each.
var tableFigures = []struct{ name, head string }{
	{"offered", "offered"}, {"handled", "handled"}, {"abandoned", "abandoned"},
	{"abandonRate", "abandon"}, {"pWait", "P(wait)"}, {"asa", "ASA(s)"},
	{"waitMean", "wait(s)"}, {"waitP50", "p50(s)"}, {"waitP90", "p90(s)"}, {"waitP99", "p99(s)"},
	{"waitMax", "max(s)"}, {"inversions", "inversions"},
}

// WriteTable writes the result as aligned text: a header line, then one row per cell
// (overall, each queue, class and interval of the cycle) with each figure as
// "mean±half-width", then, when classes carry routing criteria, one row per such class with
// the shares of its handled contacts joined at each step, after every step expired and
// without criteria, then, with flows (FlowFigures), one row for all queues and one per
// queue, then one row per agent group. Cells with nothing offered are left out.
// Every value is one whitespace-free token, so the table splits on spaces.
func (r *Result) WriteTable(w io.Writer) error {
	name := r.Scenario
	if name == "" {
		name = "(unnamed)"
	}
	fmt.Fprintf(w, "scenario %q: %d replications, seed %d, horizon %v, warm-up %v, %g%% confidence intervals, %d contacts\n\n",
		name, r.Replications, r.Seed, r.Horizon, r.Warmup, 100*r.Confidence, r.Contacts)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "scope\tkey\t")
	for _, c := range tableFigures {
		fmt.Fprintf(tw, "%s\t", c.head)
	}
	for _, t := range r.ServiceLevel {
		fmt.Fprintf(tw, "SL@%v\t", t)
	}
	fmt.Fprintln(tw)
	writeRow(tw, "overall", "-", &r.Overall)
	for _, sec := range []struct {
		scope string
		cells []Keyed[Estimate]
	}{{"queue", r.Queues}, {"class", r.Classes}, {"interval", r.Intervals}, {"attempt", r.Attempts}} {
		for i := range sec.cells {
			if c := &sec.cells[i]; c.Offered.Mean > 0 {
				writeRow(tw, sec.scope, c.Key, &c.Figures)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if err := r.writeSteps(w); err != nil {
		return err
	}
	if err := r.writeFlows(w); err != nil {
		return err
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "group\tagents\thandled\tstaffed(h)\tbusy(h)\toccupancy\t")
	for _, g := range r.Groups {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", token(g.Key), fmtEst(g.Agents), fmtEst(g.Handled),
			fmtEst(g.StaffedHours), fmtEst(g.BusyHours), fmtEst(g.Occupancy))
	}
	return tw.Flush()
}

// writeSteps writes the routing-criteria table, one row per class with criteria: the share
// of its handled contacts joined at each step, after every step expired, and without
// criteria; nothing when no class has criteria.
func (r *Result) writeSteps(w io.Writer) error {
	if len(r.Steps) == 0 {
		return nil
	}
	n := 0
	for _, c := range r.Steps {
		n = max(n, len(c.Joined))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "class\t")
	for i := range n {
		fmt.Fprintf(tw, "step%d\t", i+1)
	}
	fmt.Fprintln(tw, "expired\tnoCriteria\t")
	for _, c := range r.Steps {
		fmt.Fprintf(tw, "%s\t", token(c.Key))
		for i := range n {
			s := "-"
			if i < len(c.Joined) {
				s = fmtEst(c.Joined[i])
			}
			fmt.Fprintf(tw, "%s\t", s)
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", fmtEst(c.AfterExpiry), fmtEst(c.NoCriteria))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}

func writeRow(tw io.Writer, scope, key string, f *Figures[Estimate]) {
	vals := map[string]Estimate{}
	f.each(nil, func(name string, e *Estimate) { vals[name] = *e })
	fmt.Fprintf(tw, "%s\t%s\t", scope, token(key))
	for _, c := range tableFigures {
		fmt.Fprintf(tw, "%s\t", fmtEst(vals[c.name]))
	}
	for _, e := range f.ServiceLevel {
		fmt.Fprintf(tw, "%s\t", fmtEst(e))
	}
	fmt.Fprintln(tw)
}

// token makes a key one whitespace-free token.
func token(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == ' ' || c == '\t' {
			b[i] = '_'
		}
	}
	return string(b)
}

// fmtEst formats an estimate as "mean±half-width" with 4 significant digits, "-" for NaN.
func fmtEst(e Estimate) string {
	if math.IsNaN(e.Mean) {
		return "-"
	}
	s := strconv.FormatFloat(e.Mean, 'g', 4, 64)
	if math.IsNaN(e.HalfWidth) {
		return s
	}
	return s + "±" + strconv.FormatFloat(e.HalfWidth, 'g', 2, 64)
}

// WriteCSV writes the result in long form, one row per figure:
// scope,key,figure,mean,halfWidth,lo,hi,stdDev,n with scope overall, queue, class,
// interval, group or flows (FlowFigures: key "" for all queues, then each queue), and NaN
// as an empty field. A class with routing criteria also has,
// after the intervals, the rows joinedStep1 .. joinedStepN, joinedAfterExpiry and
// joinedNoCriteria (see StepFigures).
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"scope", "key", "figure", "mean", "halfWidth", "lo", "hi", "stdDev", "n"})
	row := func(scope, key, name string, e Estimate) {
		cw.Write([]string{scope, key, name, CSVFloat(e.Mean), CSVFloat(e.HalfWidth), CSVFloat(e.Lo()), CSVFloat(e.Hi()), CSVFloat(e.StdDev), strconv.Itoa(e.N)})
	}
	cells := func(scope, key string, f *Figures[Estimate]) {
		f.each(r.ServiceLevel, func(name string, e *Estimate) { row(scope, key, name, *e) })
	}
	cells("overall", "", &r.Overall)
	for _, sec := range []struct {
		scope string
		cells []Keyed[Estimate]
	}{{"queue", r.Queues}, {"class", r.Classes}, {"interval", r.Intervals}, {"attempt", r.Attempts}} {
		for i := range sec.cells {
			cells(sec.scope, sec.cells[i].Key, &sec.cells[i].Figures)
		}
	}
	for i := range r.Steps {
		c := &r.Steps[i]
		c.each(func(name string, e *Estimate) { row("class", c.Key, name, *e) })
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		g.each(func(name string, e *Estimate) { row("group", g.Key, name, *e) })
	}
	r.flowRows(row)
	cw.Flush()
	return cw.Error()
}

// CSVFloat formats v for a CSV cell as every routesim CSV file does: its shortest exact
// form, and an empty cell for NaN or an infinity (a figure with nothing to measure).
func CSVFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
