package whatif

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

func (r *Result) writeStaffingTable(w io.Writer) {
	shrink, cost := false, false
	for _, s := range r.Staffing {
		for _, p := range s.Pools {
			shrink = shrink || p.Shrinkage > 0
			cost = cost || p.Cost > 0
		}
	}
	fmt.Fprintf(w, "\nStaffing per interval: fewest agents per pool meeting every target (sim), against Erlang A and Erlang C for the same load, and the scenario's schedule\n")
	if shrink {
		fmt.Fprintf(w, "(need = agents to schedule after shrinkage)\n")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"interval"}
	for _, p := range r.Pools {
		head = append(head, p.Pool+" load", p.Pool+" sim", p.Pool+" ErlangA", p.Pool+" ErlangC", p.Pool+" sched")
		if shrink {
			head = append(head, p.Pool+" need")
		}
	}
	head = append(head, "total sim", "total ErlangA", "total ErlangC", "total sched")
	if shrink {
		head = append(head, "total need")
	}
	if cost {
		head = append(head, "cost")
	}
	head = append(head, "targets")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	var sum staffingSums
	for _, s := range r.Staffing {
		row := []string{s.Interval}
		var t staffingSums
		for _, p := range s.Pools {
			row = append(row, fmt.Sprintf("%.1f", p.LoadErlangs), strconv.Itoa(p.Agents), strconv.Itoa(p.ErlangA), strconv.Itoa(p.ErlangC), strconv.Itoa(p.Scheduled))
			if shrink {
				row = append(row, strconv.Itoa(p.Required))
			}
			t.add(p)
		}
		met := "met"
		if !s.Met {
			met = "NOT MET"
		}
		row = append(row, strconv.Itoa(t.sim), strconv.Itoa(t.a), strconv.Itoa(t.c), strconv.Itoa(t.sched))
		if shrink {
			row = append(row, strconv.Itoa(t.need))
		}
		if cost {
			row = append(row, fmt.Sprintf("%.2f", t.cost))
		}
		row = append(row, met)
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		sum.merge(t)
	}
	tw.Flush()
	if sum.c > 0 {
		fmt.Fprintf(w, "agent-intervals: sim %d, Erlang A %d (%+.1f%%), Erlang C %d (%+.1f%%), scheduled %d\n", sum.sim,
			sum.a, 100*float64(sum.sim-sum.a)/float64(max(sum.a, 1)), sum.c, 100*float64(sum.sim-sum.c)/float64(sum.c), sum.sched)
		fmt.Fprintln(w, r.Agreement())
	}
	if shrink || cost {
		fmt.Fprintf(w, "after shrinkage: %d agent-intervals to schedule", sum.need)
		if cost {
			fmt.Fprintf(w, ", costing %.2f", sum.cost)
		}
		fmt.Fprintln(w)
	}
}

// staffingSums adds up the staffings of pools and intervals.
type staffingSums struct {
	sim, a, c, sched, need int
	cost                   float64
}

func (t *staffingSums) add(p PoolStaffing) {
	t.sim += p.Agents
	t.a += p.ErlangA
	t.c += p.ErlangC
	t.sched += p.Scheduled
	t.need += p.Required
	t.cost += p.Cost
}

func (t *staffingSums) merge(u staffingSums) {
	t.sim += u.sim
	t.a += u.a
	t.c += u.c
	t.sched += u.sched
	t.need += u.need
	t.cost += u.cost
}

// Agreement states which closed form the simulated staffing agrees with, over every pool
// and interval with load: the mean absolute difference in agents from Erlang A and from
// Erlang C, and the share of staffings each gets within one agent. The cost is O(intervals
// × pools).
func (r *Result) Agreement() string {
	var n, withinA, withinC int
	var dA, dC float64
	for _, s := range r.Staffing {
		for _, p := range s.Pools {
			if p.LoadErlangs == 0 {
				continue
			}
			n++
			a, c := abs(p.Agents-p.ErlangA), abs(p.Agents-p.ErlangC)
			dA += float64(a)
			dC += float64(c)
			if a <= 1 {
				withinA++
			}
			if c <= 1 {
				withinC++
			}
		}
	}
	if n == 0 {
		return "no interval with load: nothing to compare with Erlang A and C"
	}
	dA, dC = dA/float64(n), dC/float64(n)
	which := "Erlang A"
	switch {
	case dC < dA:
		which = "Erlang C"
	case dC == dA:
		which = "Erlang A and Erlang C equally"
	}
	return fmt.Sprintf("the simulation agrees best with %s: mean |sim - Erlang A| %.2f agents (within one agent in %.0f%% of %d pool-intervals), mean |sim - Erlang C| %.2f (within one in %.0f%%)",
		which, dA, 100*float64(withinA)/float64(n), n, dC, 100*float64(withinC)/float64(n))
}
