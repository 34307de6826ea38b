package fairness

import (
	"slices"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/theory"
)

// Laws of queueing theory the suite sets beside simulated figures (package sim/theory names
// their sources).
const (
	// LawErlangC: one queue served first come, first served, no abandonment: every class
	// waits as the whole M/M/c queue, C(c, a)/(cμ - λ).
	LawErlangC = "Erlang C"
	// LawCobham: one queue with static non-preemptive priorities, no abandonment: each
	// priority level waits C/(cμ(1-σ_{k-1})(1-σ_k)); classes at one level wait alike. Under
	// priority plus age it gives the wait of the top level, which has strict priority over
	// the others.
	LawCobham = "Cobham"
	// LawConservation: any work-conserving, non-anticipating rule with equal exponential
	// service and no abandonment keeps the arrival-weighted mean wait at Erlang C's
	// (Kleinrock's conservation law).
	LawConservation = "conservation (Erlang C)"
	// LawErlangA: one queue first come, first served, exponential patience: the M/M/c+M
	// figures of Garnett, Mandelbaum & Reiman (2002).
	LawErlangA = "Erlang A"
)

// TheoryCheck sets a simulated figure beside the value queueing theory gives for it.
type TheoryCheck struct {
	// Class is the class, or "all"; Figure names the figure as SuiteClassFigures does
	// ("meanWait", "meanTimeInQueue", "abandonRate").
	Class  string `json:"class"`
	Figure string `json:"figure"`
	// Law is one of the Law constants.
	Law    string  `json:"law"`
	Theory float64 `json:"theory"`
	// Sim is the simulated estimate; Inside reports whether Theory lies inside its
	// confidence interval.
	Sim    sim.Estimate `json:"sim"`
	Inside bool         `json:"inside"`
}

// SuiteTheory returns the theory checks of cell, the outcome of scenario sc under rule set
// rs:
//
//   - without abandonment, under a work-conserving rule set: the overall mean wait against
//     Erlang C (LawErlangC under FIFO on one queue, LawConservation otherwise), every class
//     against Erlang C under FIFO on one queue, every class against Cobham under priorities
//     only on one queue, the top class against Cobham under priority plus age on one queue;
//   - with abandonment, under FIFO on one queue: the overall mean time in queue and
//     abandonment rate against Erlang A.
//
// Delayed overflow idles agents while contacts wait, so no law covers it; neither does any
// rule but FIFO with abandonment. Theory that fails (an unstable load) is left out.
func SuiteTheory(sc *SuiteScenario, rs *RuleSet, cell *SuiteCell) []TheoryCheck {
	var out []TheoryCheck
	check := func(f *SuiteClassFigures[sim.Estimate], figure, law string, v float64) {
		var e sim.Estimate
		switch figure {
		case "meanWait":
			e = f.MeanWait
		case "meanTimeInQueue":
			e = f.MeanTimeInQueue
		case "abandonRate":
			e = f.AbandonRate
		}
		out = append(out, TheoryCheck{Class: f.Class, Figure: figure, Law: law, Theory: v, Sim: e, Inside: e.Contains(v)})
	}
	c, mu := sc.Agents(), 1/sc.Handle.Seconds()
	var lambda float64
	for q := range sc.Queues {
		lambda += sc.ArrivalRate(q)
	}
	single := len(sc.Queues) == 1
	if sc.Patience > 0 {
		if single && rs.FIFO() {
			a, err := theory.ErlangA(c, lambda, mu, 1/sc.Patience.Seconds())
			if err == nil {
				check(&cell.Overall, "meanTimeInQueue", LawErlangA, a.MeanWait)
				check(&cell.Overall, "abandonRate", LawErlangA, a.PAbandon)
			}
		}
		return out
	}
	if !rs.WorkConserving() {
		return out
	}
	w, err := theory.ErlangCMeanWait(c, lambda, mu)
	if err != nil {
		return out
	}
	if single && rs.FIFO() {
		check(&cell.Overall, "meanWait", LawErlangC, w)
		for k := range cell.Classes {
			check(&cell.Classes[k], "meanWait", LawErlangC, w)
		}
		return out
	}
	check(&cell.Overall, "meanWait", LawConservation, w)
	if !single {
		return out
	}
	levels, waits := cobhamLevels(sc, rs, c, mu, lambda)
	for k, cl := range sc.Classes {
		l := slices.Index(levels, rs.Priority(cl))
		switch {
		case waits == nil:
		case rs.PriorityOnly():
			check(&cell.Classes[k], "meanWait", LawCobham, waits[l])
		case rs.AgeBonus && rs.EscalateEvery == 0 && l == 0:
			check(&cell.Classes[k], "meanWait", LawCobham, waits[0])
		}
	}
	return out
}

// cobhamLevels returns the distinct priorities rs gives sc's classes, ascending, and
// Cobham's wait of each level (nil if theory fails).
func cobhamLevels(sc *SuiteScenario, rs *RuleSet, c int, mu, lambda float64) ([]int64, []float64) {
	var levels []int64
	for _, cl := range sc.Classes {
		if p := rs.Priority(cl); !slices.Contains(levels, p) {
			levels = append(levels, p)
		}
	}
	slices.Sort(levels)
	lambdas := make([]float64, len(levels))
	for _, cl := range sc.Classes {
		lambdas[slices.Index(levels, rs.Priority(cl))] += cl.Share * lambda
	}
	w, err := theory.Cobham(c, mu, lambdas)
	if err != nil {
		return levels, nil
	}
	return levels, w
}
