package sim

import (
	"context"
	"fmt"
	"sync"
)

// RunOptions configure Run. The zero value runs the scenario's replications with its seed on
// every core, at 95% confidence.
type RunOptions struct {
	// Reps overrides Scenario.Replications when positive.
	Reps int
	// Seed overrides Scenario.Seed when not nil.
	Seed *uint64
	// Workers is how many replications run at once; runtime.GOMAXPROCS(0) when 0. The
	// results do not depend on it.
	Workers int
	// Confidence is the level of the confidence intervals; 0.95 when 0.
	Confidence float64
	// Progress, when set, is called with the replications done (a fraction counts the
	// simulated share of those running) and the total. Calls never overlap.
	Progress func(done float64, total int)
	// OnContact, when set, receives every contact of every replication (see
	// Hooks.OnContact), with the replication's index. Calls never overlap, and the contacts
	// of one replication come in their order; replications may interleave when Workers > 1.
	OnContact func(rep int, rec ContactRecord)
	// OnReplicationDone, when set, is called once a replication has handed its last contact
	// to OnContact (whether or not it succeeded), with its index; it lets a caller close
	// what it keeps per replication. Calls never overlap with each other or with OnContact.
	OnReplicationDone func(rep int)
	// IntervalDetail, when true, keeps each queue's, class's and agent group's figures per
	// interval of the cycle too (Result.QueueIntervals, ClassIntervals, GroupIntervals),
	// with memory O(intervals × (queues + classes + groups)) per worker. Every other figure
	// is the same with or without it, bit for bit.
	IntervalDetail bool
}

// Result is the outcome of a run: every figure as an estimate over the replications.
type Result struct {
	Scenario     string     `json:"scenario,omitempty"`
	Seed         uint64     `json:"seed"`
	Replications int        `json:"replications"`
	Confidence   float64    `json:"confidence"`
	Horizon      Duration   `json:"horizon"`
	Warmup       Duration   `json:"warmup"`
	ServiceLevel []Duration `json:"serviceLevelThresholds"`
	// Overall covers every contact; Queues, Classes and Intervals (of the cycle) break it
	// down, in scenario order; Groups are the agent groups.
	Overall   Figures[Estimate] `json:"overall"`
	Queues    []Keyed[Estimate] `json:"queues"`
	Classes   []Keyed[Estimate] `json:"classes"`
	Intervals []Keyed[Estimate] `json:"intervals"`
	// Attempts, when a stream redials (Arrivals.Redial), break every figure down by
	// attempt: "first" and "redial".
	Attempts []Keyed[Estimate] `json:"attempts,omitempty"`
	// QueueIntervals, ClassIntervals and GroupIntervals, with RunOptions.IntervalDetail,
	// break each queue's, class's and agent group's figures down by interval of the cycle
	// (contacts by the interval they arrived in, agent time by the interval it was spent
	// in, a group's handled contacts by the interval they were routed in), in scenario
	// order; absent otherwise.
	QueueIntervals []Breakdown[Keyed[Estimate]] `json:"queueIntervals,omitempty"`
	ClassIntervals []Breakdown[Keyed[Estimate]] `json:"classIntervals,omitempty"`
	GroupIntervals []Breakdown[Group[Estimate]] `json:"groupIntervals,omitempty"`
	// Flows are the queue-capacity, transfer and callback figures (flows.go), when the
	// scenario has them.
	Flows *Flows[Estimate] `json:"flows,omitempty"`
	// Steps are the routing-criteria figures of the classes with criteria, in class order.
	Steps  []ClassSteps[Estimate] `json:"steps,omitempty"`
	Groups []Group[Estimate]      `json:"groups"`
	// Contacts counts the contacts simulated over all replications, warm-up included, and
	// Events the engine's events.
	Contacts int64  `json:"contacts"`
	Events   uint64 `json:"events"`
	// Reps holds each replication's own figures, in order.
	Reps []*Replication `json:"-"`
}

// Run runs the scenario's replications on opts.Workers goroutines, each replication with
// its own random streams derived from (seed, index), and aggregates them in index order, so
// the result is the same bit for bit whatever the number of workers. It validates sc first
// and returns its *ScenarioError; ctx cancels the run (the error is ctx's).
func Run(ctx context.Context, sc *Scenario, opts RunOptions) (*Result, error) {
	m, err := compile(sc)
	if err != nil {
		return nil, err
	}
	reps := sc.reps()
	if opts.Reps > 0 {
		reps = opts.Reps
	}
	seed := sc.Seed
	if opts.Seed != nil {
		seed = *opts.Seed
	}
	conf := opts.Confidence
	if conf == 0 {
		conf = 0.95
	}
	if !(conf > 0 && conf < 1) {
		return nil, fmt.Errorf("sim: confidence %v is not in (0, 1)", conf)
	}
	if opts.IntervalDetail {
		m.enableDetail()
	}
	out, err := runWorkers(ctx, m, seed, reps, opts.Workers, &opts)
	if err != nil {
		return nil, err
	}
	return aggregate(m, seed, conf, out), nil
}

// progress serialises progress reports and contact records from the workers.
type progress struct {
	mu      sync.Mutex
	opts    *RunOptions
	total   int
	done    int
	running map[int]float64
}

func (p *progress) report(rep int, frac float64, finished bool) {
	if p.opts.Progress == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if finished {
		p.done++
		delete(p.running, rep)
	} else {
		p.running[rep] = frac
	}
	sum := float64(p.done)
	for _, f := range p.running {
		sum += f
	}
	p.opts.Progress(sum, p.total)
}

// flush hands a batch of contact records to OnContact.
func (p *progress) flush(rep int, batch []ContactRecord) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range batch {
		p.opts.OnContact(rep, r)
	}
}

// repDone hands the end of replication rep to OnReplicationDone.
func (p *progress) repDone(rep int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opts.OnReplicationDone(rep)
}

func runWorkers(ctx context.Context, m *model, seed uint64, reps, workers int, opts *RunOptions) ([]*Replication, error) {
	p := &progress{opts: opts, total: reps, running: map[int]float64{}}
	out, err := Replicate(ctx, reps, workers, func() Job[*Replication] {
		e := newEngine(m)
		var batch []ContactRecord
		return func(ctx context.Context, rep int) (*Replication, error) {
			hooks := Hooks{Progress: func(f float64) { p.report(rep, f, false) }}
			if opts.OnContact != nil {
				hooks.OnContact = func(r ContactRecord) {
					batch = append(batch, r)
					if len(batch) == cap(batch) && len(batch) >= 1024 {
						p.flush(rep, batch)
						batch = batch[:0]
					}
				}
				if batch == nil {
					batch = make([]ContactRecord, 0, 1024)
				}
			}
			r, err := e.run(ctx, seed, rep, hooks)
			if len(batch) > 0 {
				p.flush(rep, batch)
				batch = batch[:0]
			}
			if opts.OnReplicationDone != nil {
				p.repDone(rep)
			}
			if err != nil {
				return nil, err
			}
			p.report(rep, 1, true)
			return r, nil
		}
	}, nil)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func aggregate(m *model, seed uint64, conf float64, reps []*Replication) *Result {
	sl := m.slDur
	res := &Result{Scenario: m.sc.Name, Seed: seed, Replications: len(reps), Confidence: conf,
		Horizon: m.sc.Horizon, Warmup: m.sc.Warmup, ServiceLevel: sl, Reps: reps}
	pick := func(f func(r *Replication) *Figures[float64]) Figures[Estimate] {
		fs := make([]*Figures[float64], len(reps))
		for i, r := range reps {
			fs[i] = f(r)
		}
		return aggregateFigures(fs, sl, conf)
	}
	res.Overall = pick(func(r *Replication) *Figures[float64] { return &r.Overall })
	keyed := func(n int, sel func(r *Replication) []Keyed[float64]) []Keyed[Estimate] {
		out := make([]Keyed[Estimate], n)
		for i := range n {
			out[i] = Keyed[Estimate]{Key: sel(reps[0])[i].Key, Figures: pick(func(r *Replication) *Figures[float64] { return &sel(r)[i].Figures })}
		}
		return out
	}
	res.Queues = keyed(len(m.queues), func(r *Replication) []Keyed[float64] { return r.Queues })
	res.Classes = keyed(len(m.classes), func(r *Replication) []Keyed[float64] { return r.Classes })
	res.Intervals = keyed(m.nInt, func(r *Replication) []Keyed[float64] { return r.Intervals })
	if m.redials {
		res.Attempts = keyed(len(attemptKeys), func(r *Replication) []Keyed[float64] { return r.Attempts })
	}
	for k, c := range m.stepClasses {
		fs := make([]*StepFigures[float64], len(reps))
		for i, r := range reps {
			fs[i] = &r.Steps[k].StepFigures
		}
		res.Steps = append(res.Steps, ClassSteps[Estimate]{Key: m.classes[c].id, StepFigures: aggregateSteps(fs, m.classes[c].steps, conf)})
	}
	for g := range m.groups {
		fs := make([]*GroupFigures[float64], len(reps))
		for i, r := range reps {
			fs[i] = &r.Groups[g].GroupFigures
		}
		res.Groups = append(res.Groups, Group[Estimate]{Key: m.groups[g].id, GroupFigures: aggregateGroup(fs, conf)})
	}
	aggregateDetail(m, conf, reps, res)
	res.Flows = aggregateFlows(m, reps, conf)
	for _, r := range reps {
		res.Contacts += r.Totals.Arrived
		res.Events += r.Events
	}
	return res
}
