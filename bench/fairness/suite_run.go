package fairness

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// SuiteOptions configure RunSuite. The zero value runs on every core, quietly.
type SuiteOptions struct {
	// Workers is how many replications run at once; runtime.GOMAXPROCS(0) when 0. The
	// results do not depend on it.
	Workers int
	// Progress, when set, is called with the replications done and the total, after each
	// one. Calls never overlap.
	Progress func(done, total int)
}

// SuiteCell is the outcome of one cell: a scenario under a rule set, over the suite's
// replications.
type SuiteCell struct {
	Scenario string `json:"scenario"`
	RuleSet  string `json:"ruleSet"`
	// Contacts counts the contacts simulated over every replication, warm-up and cool-down
	// included.
	Contacts int64 `json:"contacts"`
	// Overall pools the classes; Classes lists them in the scenario's order.
	Overall SuiteClassFigures[sim.Estimate]   `json:"overall"`
	Classes []SuiteClassFigures[sim.Estimate] `json:"classes"`
	Across  SuiteAcrossFigures[sim.Estimate]  `json:"across"`
	// Theory sets the figures queueing theory gives beside the simulated ones.
	Theory []TheoryCheck `json:"theory,omitempty"`
	// Reps holds each replication's own figures, in order.
	Reps []SuiteRep `json:"-"`
}

// SuiteResult is the outcome of a suite: its cells, scenario by scenario, rule set by rule
// set in the suite's order.
type SuiteResult struct {
	Suite *Suite      `json:"suite"`
	Cells []SuiteCell `json:"cells"`
	// Contacts counts the contacts simulated over every cell.
	Contacts int64 `json:"contacts"`
}

// Cell returns the cell of the named scenario and rule set, or nil.
func (r *SuiteResult) Cell(scenario, ruleSet string) *SuiteCell {
	for i := range r.Cells {
		if c := &r.Cells[i]; c.Scenario == scenario && c.RuleSet == ruleSet {
			return c
		}
	}
	return nil
}

// RunSuite runs every replication of every cell of s, on opts.Workers goroutines, and
// aggregates each cell's figures over its replications, with the theory beside them. The
// result depends only on s, never on the workers. It validates s first and returns its error;
// ctx cancels the run (the error is then ctx's).
//
// Each replication's contacts are measured from their sim.ContactRecord: those that arrived
// after the warm-up and before the cool-down, in the order they left the queue (routed to
// an agent, or abandoned; ties in order of arrival). A replication keeps its measured
// contacts, 56 bytes each, until it ends, to put them in that order.
func RunSuite(ctx context.Context, s *Suite, opts SuiteOptions) (*SuiteResult, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	nr := len(s.RuleSets)
	cells := make([]*sim.Scenario, len(s.Scenarios)*nr)
	for c := range cells {
		cells[c], _ = s.Build(c/nr, c%nr) // Validate built them all
	}
	// Job k is replication k%s.Reps of cell k/s.Reps.
	out, err := sim.Replicate(ctx, len(cells)*s.Reps, opts.Workers, func() sim.Job[SuiteRep] {
		var rr Replicator
		return func(ctx context.Context, k int) (SuiteRep, error) {
			c := k / s.Reps
			return rr.run(ctx, s, &s.Scenarios[c/nr], cells[c], k%s.Reps)
		}
	}, opts.Progress)
	if err != nil {
		return nil, err
	}
	reps := make([][]SuiteRep, len(cells))
	for c := range reps {
		reps[c] = out[c*s.Reps : (c+1)*s.Reps : (c+1)*s.Reps]
	}
	res := &SuiteResult{Suite: s}
	for c := range cells {
		cell := aggregateCell(s, c/nr, c%nr, reps[c])
		res.Contacts += cell.Contacts
		res.Cells = append(res.Cells, cell)
	}
	return res, nil
}

// aggregateCell turns the replications of cell (i, j) into its estimates and theory.
func aggregateCell(s *Suite, i, j int, reps []SuiteRep) SuiteCell {
	cell := SuiteCell{Scenario: s.Scenarios[i].Name, RuleSet: s.RuleSets[j].Name, Reps: reps}
	overall := make([]*SuiteClassFigures[float64], len(reps))
	across := make([]*SuiteAcrossFigures[float64], len(reps))
	for r := range reps {
		overall[r], across[r] = &reps[r].Overall, &reps[r].Across
		cell.Contacts += reps[r].Contacts
	}
	cell.Overall = aggregateClass(overall, s.WaitThresholds, s.Confidence)
	cell.Across = aggregateAcross(across, s.Confidence)
	for k := range s.Scenarios[i].Classes {
		fs := make([]*SuiteClassFigures[float64], len(reps))
		for r := range reps {
			fs[r] = &reps[r].Classes[k]
		}
		cell.Classes = append(cell.Classes, aggregateClass(fs, s.WaitThresholds, s.Confidence))
	}
	cell.Theory = SuiteTheory(&s.Scenarios[i], &s.RuleSets[j], &cell)
	return cell
}

// suiteObs is a measured contact of a replication, with the time it left the queue in
// nanoseconds to put contacts in that order exactly.
type suiteObs struct {
	deq sim.Duration
	obs ContactObs
}

// Replicator runs replications of a suite's cells one after the other, reusing its buffers.
// The zero value is ready to use. Not safe for concurrent use.
type Replicator struct {
	// built is the cell scenario of the last Run, (i, j) of suite s.
	built *sim.Scenario
	s     *Suite
	i, j  int

	obs  []suiteObs
	gaps []uint64
}

// Run runs replication rep of cell (i, j) of s, scenario i under rule set j, as RunSuite
// does, and returns its figures. It returns the error of s.Build(i, j); ctx cancels it.
// It builds the cell's scenario once for consecutive calls on the same cell, so s must not
// change between them.
func (rr *Replicator) Run(ctx context.Context, s *Suite, i, j, rep int) (SuiteRep, error) {
	if rr.built == nil || rr.s != s || rr.i != i || rr.j != j {
		cell, err := s.Build(i, j)
		if err != nil {
			return SuiteRep{}, err
		}
		rr.built, rr.s, rr.i, rr.j = cell, s, i, j
	}
	return rr.run(ctx, s, &s.Scenarios[i], rr.built, rep)
}

// run runs replication rep of the cell scenario built from sc and returns its figures.
func (rr *Replicator) run(ctx context.Context, s *Suite, sc *SuiteScenario, cell *sim.Scenario, rep int) (SuiteRep, error) {
	end := cell.Horizon - s.Cooldown
	rr.obs, rr.gaps = rr.obs[:0], rr.gaps[:0]
	first := uint64(math.MaxUint64)
	hook := func(r sim.ContactRecord) {
		if r.Warmup || r.Arrival >= end {
			return
		}
		first = min(first, r.Seq)
		o := suiteObs{obs: ContactObs{ArrivalSeq: r.Seq, Class: r.ClassIndex, Arrival: r.Arrival.Seconds(),
			Handle: r.HandleTime.Seconds()}}
		switch {
		case r.Routed >= 0:
			o.deq, o.obs.Served = r.Routed, true
		case r.Reason == routing.Abandoned:
			o.deq = r.Ended
		default: // still waiting at the horizon
			rr.gaps = append(rr.gaps, r.Seq)
			return
		}
		o.obs.Dequeued = o.deq.Seconds()
		rr.obs = append(rr.obs, o)
	}
	out, err := sim.RunReplication(ctx, cell, cell.Seed, rep, sim.Hooks{OnContact: hook})
	if err != nil {
		return SuiteRep{}, err
	}
	slices.SortFunc(rr.obs, func(a, b suiteObs) int {
		return cmp.Or(cmp.Compare(a.deq, b.deq), cmp.Compare(a.obs.ArrivalSeq, b.obs.ArrivalSeq))
	})
	cfg := Config{WaitThresholds: s.WaitThresholds, Window: s.Window.Seconds()}
	if first != math.MaxUint64 {
		cfg.FirstSeq = first
	}
	acc, err := NewAccumulator(cfg)
	if err != nil {
		return SuiteRep{}, err
	}
	for _, g := range rr.gaps {
		if err := acc.Skip(g); err != nil {
			return SuiteRep{}, fmt.Errorf("fairness: cell %s, replication %d: %w", cell.Name, rep, err)
		}
	}
	for _, o := range rr.obs {
		if err := acc.Add(o.obs); err != nil {
			return SuiteRep{}, fmt.Errorf("fairness: cell %s, replication %d: %w", cell.Name, rep, err)
		}
	}
	agents := make([]AgentObs, len(out.Agents))
	for a, t := range out.Agents {
		agents[a] = AgentObs{Busy: t.Busy.Seconds(), Idle: (t.Staffed - t.Busy).Seconds()}
	}
	report, err := acc.Report(agents)
	if err != nil {
		return SuiteRep{}, fmt.Errorf("fairness: cell %s, replication %d: %w", cell.Name, rep, err)
	}
	names := make([]string, len(sc.Classes))
	for k, c := range sc.Classes {
		names[k] = c.ID
	}
	r := repFigures(report, names, len(rr.gaps))
	r.Contacts = out.Totals.Arrived
	return r, nil
}
