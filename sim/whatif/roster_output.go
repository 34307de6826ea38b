package whatif

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/routesim/routesim/sim"
)

// WriteRosterCSV writes the roster as CSV, one row per shift worked in the two-step and
// in the final roster: the roster ("two-step" or "final"), template, pool, start and end
// interval, agents and cost. It writes the header alone when the result has no roster.
func (r *Result) WriteRosterCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"roster", "template", "pool", "start", "end", "agents", "cost"}); err != nil {
		return err
	}
	if r.Roster != nil {
		for _, set := range []struct {
			name   string
			shifts []RosterShift
		}{{"two-step", r.Roster.TwoStepShifts}, {"final", r.Roster.Shifts}} {
			for _, s := range set.shifts {
				if err := cw.Write([]string{set.name, s.Template, s.Pool, s.Start, s.End, strconv.Itoa(s.Agents), sim.CSVFloat(s.Cost)}); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCoverageCSV writes the roster's coverage as CSV, one row per interval and pool:
// agents required, covering under the two-step and the final roster, on duty in the final
// simulation, and whether the interval met its goals. It writes the header alone when the
// result has no roster.
func (r *Result) WriteCoverageCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"interval", "pool", "required", "two_step", "final", "on_duty", "met"}); err != nil {
		return err
	}
	if r.Roster != nil {
		for _, iv := range r.Roster.Intervals {
			for _, c := range iv.Pools {
				rec := []string{iv.Interval, c.Pool, strconv.Itoa(c.Required), strconv.Itoa(c.TwoStep), strconv.Itoa(c.Covering),
					strconv.Itoa(c.OnDuty), strconv.FormatBool(iv.Met)}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeRosterTable writes the roster: the LP bound, the two-step and final rosters side by
// side, the iterations, the final shifts, and the coverage of every interval with a
// requirement or contacts.
func (r *Result) writeRosterTable(w io.Writer) {
	ro := r.Roster
	fmt.Fprintf(w, "\nRoster from shift templates: LP bound %.2f; the two-step roster costs %.2f (gap %.1f%% over the bound)\n", ro.LPBound, ro.TwoStep.Cost, 100*ro.Gap)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "roster\tcost\tagent-hours\tshifts\tintervals missed\twhole-run targets\t")
	for _, s := range []struct {
		name string
		sum  RosterSummary
	}{{"two-step", ro.TwoStep}, {"final", ro.Final}} {
		t := "met"
		if !s.sum.TargetsMet {
			t = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.1f\t%d\t%d\t%s\t\n", s.name, s.sum.Cost, s.sum.AgentHours, s.sum.Shifts, s.sum.IntervalsMissed, t)
	}
	tw.Flush()
	if ro.TwoStep.Cost > 0 {
		fmt.Fprintf(w, "final against two-step: %+.2f (%+.1f%%); final meets every target: %v\n", ro.Final.Cost-ro.TwoStep.Cost,
			100*(ro.Final.Cost-ro.TwoStep.Cost)/ro.TwoStep.Cost, ro.Final.Met)
	}
	fmt.Fprintln(w, "iterations (each one simulation of the roster, seed", strconv.FormatUint(ro.Seed, 10)+"):")
	for _, it := range ro.Iterations {
		kept := ""
		if !it.Kept {
			kept = ", undone"
		}
		fmt.Fprintf(w, "  %d. %s: cost %.2f, %d intervals missed, whole-run targets met %v%s\n", it.Iteration, it.Action, it.Cost, it.IntervalsMissed, it.TargetsMet, kept)
	}
	fmt.Fprintln(w, "final shifts:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "template\tpool\tstart\tend\tagents\tcost\t")
	for _, s := range ro.Shifts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%.2f\t\n", s.Template, s.Pool, s.Start, s.End, s.Agents, s.Cost)
	}
	tw.Flush()
	fmt.Fprintln(w, "coverage per interval (required / two-step / final / on duty after shrinkage), and the interval's goals in the final simulation (met of checked; the missed, or else the closest):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"interval"}
	for _, p := range r.Pools {
		head = append(head, p.Pool)
	}
	head = append(head, "goals")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, iv := range ro.Intervals {
		busy := len(iv.Targets) > 0
		row := []string{iv.Interval}
		for _, c := range iv.Pools {
			busy = busy || c.Required > 0 || c.Covering > 0
			row = append(row, fmt.Sprintf("%d/%d/%d/%d", c.Required, c.TwoStep, c.Covering, c.OnDuty))
		}
		if !busy {
			continue
		}
		row = append(row, intervalGoals(iv.Targets))
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w, "goals per interval in the final simulation (intervals met of those checked):")
	for _, g := range ro.Goals {
		fmt.Fprintf(w, "  %s: %d of %d%s\n", g.Goal, g.Met, g.Checked, missedList(g.Missed))
	}
	if t := ro.Timing; t.LP+t.Integer+t.Simulation+t.Repair > 0 {
		fmt.Fprintf(w, "roster search took: LP %v, integer step %v, simulation of the two-step roster %v, repair %v\n", t.LP, t.Integer, t.Simulation, t.Repair)
	}
}

// intervalGoals formats an interval's goals: "7/7 met; closest queue sales SL@20s 83.1%
// ±2.0", or "6/7 met; MISSED pool sales occupancy 93.0% ±1.2".
func intervalGoals(ts []TargetResult) string {
	if len(ts) == 0 {
		return ""
	}
	met, closest := 0, -1
	var missed []string
	for j, t := range ts {
		if t.Met {
			met++
		} else {
			missed = append(missed, t.brief())
		}
		if closest < 0 || t.margin() < ts[closest].margin() {
			closest = j
		}
	}
	s := fmt.Sprintf("%d/%d met", met, len(ts))
	if len(missed) > 0 {
		return s + "; MISSED " + strings.Join(missed, ", ")
	}
	return s + "; closest " + ts[closest].brief()
}

// missedList formats the intervals that missed a goal: ", missed 08:00 09:15", at most 8
// of them.
func missedList(ivs []string) string {
	if len(ivs) == 0 {
		return ""
	}
	s := ", missed " + strings.Join(ivs[:min(len(ivs), 8)], ", ")
	if len(ivs) > 8 {
		s += fmt.Sprintf(" and %d more", len(ivs)-8)
	}
	return s
}

// WriteGoalsCSV writes every goal checked in every interval under the final roster as CSV,
// one row per interval and goal: the interval, the goal's target ("queue sales", "class
// vip", "all", "pool sales"), metric, op and bound, the simulated value's mean, half-width
// of its confidence interval and replications, and whether it was met. It writes the header
// alone when the result has no roster. The cost is O(intervals × goals).
func (r *Result) WriteGoalsCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"interval", "target", "metric", "op", "bound", "mean", "half_width", "n", "met"}); err != nil {
		return err
	}
	if r.Roster != nil {
		for _, iv := range r.Roster.Intervals {
			for _, t := range iv.Targets {
				rec := []string{iv.Interval, t.Target, t.Metric, t.Op, sim.CSVFloat(t.Bound), sim.CSVFloat(t.Value.Mean),
					sim.CSVFloat(t.Value.HalfWidth), strconv.Itoa(t.Value.N), strconv.FormatBool(t.Met)}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// brief formats a goal checked on an interval: "queue sales SL@20s 83.1% ±2.0".
func (t TargetResult) brief() string {
	v := pct(t.Value)
	if t.Metric == "asa" {
		v = secs(t.Value)
	}
	name := strings.Replace(strings.Replace(t.Metric, "serviceLevel", "SL", 1), "abandonRate", "abandoned", 1)
	return fmt.Sprintf("%s %s %s", t.Target, name, v)
}
