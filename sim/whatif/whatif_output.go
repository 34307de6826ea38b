package whatif

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/routesim/routesim/sim"
)

// WriteJSON writes the result as indented JSON, the what-if's result file (whatif.json, or a
// shard's partial-i-of-n.json). Equal results give equal bytes.
func (r *Result) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// slName names service-level threshold t in CSV headers: "service_level_20s".
func slName(t sim.Duration) string {
	return "service_level_" + strings.ReplaceAll(t.String(), ".", "_")
}

// WritePointsCSV writes the sweep as CSV, one row per point and cell (all contacts, each
// queue, each class), for pandas or a spreadsheet: the point's variant and axis values, then
// the figures, each estimate as mean with the lower and upper ends of its confidence
// interval. Empty cells are figures with nothing to measure.
func (r *Result) WritePointsCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"point", "variant"}
	for _, a := range r.Axes {
		head = append(head, a.Name)
	}
	head = append(head, "total_agents", "cell_type", "cell", "offered", "handled", "abandoned")
	est := []string{"abandon_rate", "asa", "wait_mean", "wait_p90", "p_wait"}
	for _, t := range r.ServiceLevel {
		est = append(est, slName(t))
	}
	for _, e := range est {
		head = append(head, e, e+"_lo", e+"_hi")
	}
	head = append(head, "meets_targets")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, p := range r.Points {
		lead := []string{strconv.Itoa(p.Index), p.Variant}
		for _, a := range r.Axes {
			lead = append(lead, strconv.Itoa(p.Agents[a.Name]))
		}
		lead = append(lead, strconv.Itoa(p.TotalAgents))
		row := func(kind, cell string, f *sim.Figures[sim.Estimate]) error {
			rec := append(append([]string(nil), lead...), kind, cell,
				sim.CSVFloat(f.Offered.Mean), sim.CSVFloat(f.Handled.Mean), sim.CSVFloat(f.Abandoned.Mean))
			es := []sim.Estimate{f.AbandonRate, f.ASA, f.WaitMean, f.WaitP90, f.PWait}
			es = append(es, f.ServiceLevel...)
			for _, e := range es {
				rec = append(rec, sim.CSVFloat(e.Mean), sim.CSVFloat(e.Lo()), sim.CSVFloat(e.Hi()))
			}
			rec = append(rec, strconv.FormatBool(p.MeetsTargets))
			return cw.Write(rec)
		}
		if err := row("all", "all", &p.Overall); err != nil {
			return err
		}
		for i := range p.Queues {
			if err := row("queue", p.Queues[i].Key, &p.Queues[i].Figures); err != nil {
				return err
			}
		}
		for i := range p.Classes {
			if err := row("class", p.Classes[i].Key, &p.Classes[i].Figures); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteOccupancyCSV writes the agent groups of every sweep point as CSV: agents, contacts
// handled, staffed and busy hours, and occupancy with its confidence interval.
func (r *Result) WriteOccupancyCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"point", "variant"}
	for _, a := range r.Axes {
		head = append(head, a.Name)
	}
	head = append(head, "group", "agents", "handled", "staffed_hours", "busy_hours", "occupancy", "occupancy_lo", "occupancy_hi")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, p := range r.Points {
		for _, g := range p.Groups {
			rec := []string{strconv.Itoa(p.Index), p.Variant}
			for _, a := range r.Axes {
				rec = append(rec, strconv.Itoa(p.Agents[a.Name]))
			}
			rec = append(rec, g.Key, sim.CSVFloat(g.Agents.Mean), sim.CSVFloat(g.Handled.Mean), sim.CSVFloat(g.StaffedHours.Mean),
				sim.CSVFloat(g.BusyHours.Mean), sim.CSVFloat(g.Occupancy.Mean), sim.CSVFloat(g.Occupancy.Lo()), sim.CSVFloat(g.Occupancy.Hi()))
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteStaffingCSV writes the solver's answer as CSV, one row per interval and pool: arrival
// rate and load of the pool's primary queues, the scenario's scheduled agents, Erlang C's
// and Erlang A's staffing and the simulator's, the shrinkage, the agents to schedule after
// it and their cost, and whether the simulator's staffing meets every target.
func (r *Result) WriteStaffingCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"interval", "pool", "rate_per_hour", "load_erlangs", "scheduled", "erlang_c", "erlang_a", "simulated", "shrinkage", "required", "cost", "met"}); err != nil {
		return err
	}
	for _, s := range r.Staffing {
		for _, p := range s.Pools {
			rec := []string{s.Interval, p.Pool, sim.CSVFloat(p.RatePerHour), sim.CSVFloat(p.LoadErlangs), strconv.Itoa(p.Scheduled),
				strconv.Itoa(p.ErlangC), strconv.Itoa(p.ErlangA), strconv.Itoa(p.Agents), sim.CSVFloat(p.Shrinkage), strconv.Itoa(p.Required),
				sim.CSVFloat(p.Cost), strconv.FormatBool(s.Met)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes the result as aligned text tables for a terminal: one row per sweep
// point (service level per queue and class at the first threshold, ASA and abandonment of
// all contacts, targets met), then one row per solver interval (each pool's simulated,
// Erlang A, Erlang C and scheduled agents, and the agents to schedule after shrinkage and
// their cost when the what-if gives them), with the Agreement line.
func (r *Result) WriteTable(w io.Writer) error {
	bw := bufio.NewWriter(w)
	title := r.Name
	if title == "" {
		title = "what-if"
	}
	fmt.Fprintf(bw, "%s: %d replications per run, seed %d, %.0f%% confidence intervals\n", title, r.Reps, r.Seed, 100*r.Confidence)
	if !r.Complete {
		fmt.Fprintf(bw, "PARTIAL: %d of %d tasks finished\n", len(r.Points)+len(r.Staffing), r.Tasks)
	}
	r.writeTargets(bw)
	if len(r.Points) > 0 {
		r.writePointsTable(bw)
		r.writeCheapest(bw)
	}
	if len(r.Staffing) > 0 {
		r.writeStaffingTable(bw)
	}
	if r.Roster != nil {
		r.writeRosterTable(bw)
	}
	return bw.Flush()
}

// writeTargets lists the goals, as the first point or interval checked them.
func (r *Result) writeTargets(w io.Writer) {
	var ts []TargetResult
	switch {
	case len(r.Points) > 0:
		ts = r.Points[0].Targets
	case len(r.Staffing) > 0:
		ts = r.Staffing[0].Targets
	}
	if len(ts) == 0 {
		return
	}
	var goals []string
	for _, t := range ts {
		goals = append(goals, t.goal())
	}
	fmt.Fprintf(w, "targets (met when the mean meets them): %s\n", strings.Join(goals, "; "))
}

// writeCheapest names, per variant, the sweep point with the fewest agents that meets every
// target.
func (r *Result) writeCheapest(w io.Writer) {
	if len(r.Points) == 0 || len(r.Points[0].Targets) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFewest agents meeting every target, per variant:")
	for _, v := range r.Variants {
		var best *SweepPoint
		for i := range r.Points {
			p := &r.Points[i]
			if p.Variant == v && p.MeetsTargets && (best == nil || p.TotalAgents < best.TotalAgents) {
				best = p
			}
		}
		if best == nil {
			fmt.Fprintf(w, "  %s: no point of the sweep meets every target\n", v)
			continue
		}
		var axes []string
		for _, a := range r.Axes {
			axes = append(axes, fmt.Sprintf("%s %d", a.Name, best.Agents[a.Name]))
		}
		fmt.Fprintf(w, "  %s: %s (%d agents)\n", v, strings.Join(axes, ", "), best.TotalAgents)
	}
}

func pct(e sim.Estimate) string {
	if math.IsNaN(e.Mean) {
		return "-"
	}
	if math.IsNaN(e.HalfWidth) {
		return fmt.Sprintf("%.1f%%", 100*e.Mean)
	}
	return fmt.Sprintf("%.1f%% ±%.1f", 100*e.Mean, 100*e.HalfWidth)
}

func secs(e sim.Estimate) string {
	if math.IsNaN(e.Mean) {
		return "-"
	}
	if math.IsNaN(e.HalfWidth) {
		return fmt.Sprintf("%.1fs", e.Mean)
	}
	return fmt.Sprintf("%.1fs ±%.1f", e.Mean, e.HalfWidth)
}

func (r *Result) writePointsTable(w io.Writer) {
	sl := "SL"
	if len(r.ServiceLevel) > 0 {
		sl = "SL" + r.ServiceLevel[0].String()
	}
	fmt.Fprintf(w, "\nSweep: %s = share answered within %v (± half-width of the %.0f%% interval)\n", sl, r.firstThreshold(), 100*r.Confidence)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"variant"}
	for _, a := range r.Axes {
		head = append(head, a.Name)
	}
	head = append(head, "agents")
	for _, q := range r.Queues {
		head = append(head, sl+" "+q)
	}
	for _, c := range r.Classes {
		head = append(head, sl+" "+c)
	}
	head = append(head, "ASA", "abandoned", "targets")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	prev := ""
	for _, p := range r.Points {
		if p.Variant != prev && prev != "" {
			fmt.Fprintln(tw, strings.Repeat("\t", len(head)))
		}
		prev = p.Variant
		row := []string{p.Variant}
		for _, a := range r.Axes {
			row = append(row, strconv.Itoa(p.Agents[a.Name]))
		}
		row = append(row, strconv.Itoa(p.TotalAgents))
		for _, q := range r.Queues {
			row = append(row, pctAt(findKeyed(p.Queues, q), 0))
		}
		for _, c := range r.Classes {
			row = append(row, pctAt(findKeyed(p.Classes, c), 0))
		}
		met := 0
		for _, t := range p.Targets {
			if t.Met {
				met++
			}
		}
		row = append(row, secs(p.Overall.ASA), pct(p.Overall.AbandonRate), fmt.Sprintf("%d/%d", met, len(p.Targets)))
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}

func (r *Result) firstThreshold() sim.Duration {
	if len(r.ServiceLevel) == 0 {
		return 0
	}
	return r.ServiceLevel[0]
}

func pctAt(f *sim.Figures[sim.Estimate], i int) string {
	if f == nil || i >= len(f.ServiceLevel) {
		return "-"
	}
	return pct(f.ServiceLevel[i])
}
