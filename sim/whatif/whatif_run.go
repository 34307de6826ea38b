package whatif

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/routesim/routesim/sim"
)

// Options configure Run. The zero value runs every task of the what-if with its
// own replications and seed on every core.
type Options struct {
	// Reps overrides WhatIf.Reps when positive; Seed overrides WhatIf.Seed when not nil.
	Reps int
	Seed *uint64
	// Workers is how many simulations run at once; runtime.GOMAXPROCS(0) when 0. The results
	// do not depend on it.
	Workers int
	// Shard, when its Count is positive, runs only that shard's tasks and marks the result as
	// a partial for Merge.
	Shard Shard
	// Progress, when set, is called with the tasks finished and the tasks to run, once
	// before the first starts and after each finishes. Calls never overlap.
	Progress func(done, total int)
	// Clock, when set, times the roster's steps (RosterResult.Timing), such as time.Now;
	// the figures never depend on it.
	Clock func() time.Time
}

// Result is the outcome of a what-if, or of one shard of it. Its JSON is the
// what-if's result file: equal runs give equal bytes (no times, no host names), so the
// merge of a sweep's shards can be compared byte for byte with the unsharded run.
type Result struct {
	// Format is Format; Fingerprint hashes the resolved what-if (see Merge).
	Format      string `json:"format"`
	Name        string `json:"name,omitempty"`
	Fingerprint string `json:"fingerprint"`
	// Shard is set on a shard's partial result; nil on a whole one.
	Shard *Shard `json:"shard,omitempty"`
	// Complete is false when the run was cancelled before all its tasks finished: the
	// finished ones are kept.
	Complete bool `json:"complete"`
	// Tasks is the number of tasks of the whole what-if, every shard's.
	Tasks      int     `json:"tasks"`
	Seed       uint64  `json:"seed"`
	Reps       int     `json:"reps"`
	Confidence float64 `json:"confidence"`
	// ServiceLevel lists the service-level thresholds of every Figures' ServiceLevel.
	ServiceLevel []sim.Duration `json:"serviceLevelThresholds"`
	// Axes and Variants describe the sweep; Queues and Classes name the cells of the
	// points, in scenario order; Pools the solver's pools.
	Axes     []Axis     `json:"axes"`
	Variants []string   `json:"variants"`
	Queues   []string   `json:"queues"`
	Classes  []string   `json:"classes"`
	Pools    []PoolInfo `json:"pools"`
	// Points are the sweep's points and Staffing the solver's intervals that were run, in
	// task order.
	Points   []SweepPoint       `json:"points"`
	Staffing []StaffingInterval `json:"staffing"`
	// Roster is the roster built from the staffing when the what-if asks for one: by Run
	// when unsharded, by CompleteRoster after a merge; nil on a shard's partial result.
	Roster *RosterResult `json:"roster,omitempty"`
	// Spec is the resolved what-if, with its scenario inline and every default filled in.
	Spec json.RawMessage `json:"spec"`
}

// Axis is one axis of the sweep as run: its name, the agent groups it sets, its values, and
// its base, the value nearest the scenario's own count of its first group (the value other
// axes' charts hold it at).
type Axis struct {
	Name   string   `json:"name"`
	Groups []string `json:"groups"`
	Values []int    `json:"values"`
	Base   int      `json:"base"`
}

// SweepPoint is the outcome of one point of the sweep: every figure over the replications,
// for all contacts, per queue and per class, and per agent group, and the targets checked.
// Per-interval figures are left out (run the point's scenario with Run for those).
type SweepPoint struct {
	Index   int    `json:"index"`
	Key     string `json:"key"`
	Variant string `json:"variant"`
	// Agents is the count of each axis; TotalAgents the agents of every group.
	Agents      map[string]int `json:"agents"`
	TotalAgents int            `json:"totalAgents"`
	Seed        uint64         `json:"seed"`
	// Contacts counts the contacts simulated over all replications, warm-up included.
	Contacts int64                     `json:"contacts"`
	Overall  sim.Figures[sim.Estimate] `json:"overall"`
	Queues   []sim.Keyed[sim.Estimate] `json:"queues"`
	Classes  []sim.Keyed[sim.Estimate] `json:"classes"`
	Groups   []sim.Group[sim.Estimate] `json:"groups"`
	// Steps are the routing-criteria figures of the classes with criteria (sim.StepFigures).
	Steps        []sim.ClassSteps[sim.Estimate] `json:"steps,omitempty"`
	Targets      []TargetResult                 `json:"targets"`
	MeetsTargets bool                           `json:"meetsTargets"`
}

// Run resolves and validates w, then runs its tasks (those of opts.Shard) on
// opts.Workers goroutines: sweep points and solver intervals run side by side, each
// simulation on one worker unless there are fewer tasks than workers. A task's figures
// depend only on the what-if and its index, never on the workers or the sharding.
//
// Errors in w wrap ErrInvalid. When ctx is cancelled, Run returns the result of
// the tasks that finished, with Complete false, and ctx's error.
func Run(ctx context.Context, w *WhatIf, opts Options) (*Result, error) {
	p, err := newPlan(w, opts.Reps, opts.Seed)
	if err != nil {
		return nil, err
	}
	if err := opts.Shard.validate(); err != nil {
		return nil, err
	}
	var mine []int
	for i := range p.nTasks() {
		if opts.Shard.has(i) {
			mine = append(mine, i)
		}
	}
	res := p.newResult()
	if opts.Shard.Count > 0 {
		s := opts.Shard
		res.Shard = &s
	}
	done, err := p.runTasks(ctx, mine, opts)
	for _, t := range done {
		switch v := t.(type) {
		case *SweepPoint:
			res.Points = append(res.Points, *v)
		case *StaffingInterval:
			res.Staffing = append(res.Staffing, *v)
		}
	}
	res.Complete = err == nil
	if err == nil && opts.Shard.Count == 0 && p.spec.Roster != nil {
		res.Roster, err = p.roster(ctx, res.Staffing, opts)
		res.Complete = err == nil
	}
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return res, err
		}
		return nil, err
	}
	return res, nil
}

// CompleteRoster builds the roster of a merged result (Merge) whose what-if asks for one,
// as the unsharded Run would have: equal bytes. The roster's iterations depend on one
// another, so it does not shard; its simulations use opts.Workers cores. It does nothing
// when res has a roster already or its what-if asks for none, and fails for a partial or
// incomplete result, or one whose spec does not give its fingerprint.
func CompleteRoster(ctx context.Context, res *Result, opts Options) error {
	if res.Roster != nil {
		return nil
	}
	if res.Shard != nil || !res.Complete {
		return fmt.Errorf("whatif: a roster needs the whole, complete result; merge the shards first")
	}
	w, err := Decode(bytes.NewReader(res.Spec))
	if err != nil {
		return fmt.Errorf("whatif: the result's spec: %w", err)
	}
	if w.Roster == nil {
		return nil
	}
	p, err := newPlan(w, 0, nil)
	if err != nil {
		return fmt.Errorf("whatif: the result's spec: %w", err)
	}
	if p.fingerprint != res.Fingerprint {
		return fmt.Errorf("whatif: the result's spec gives fingerprint %s, not the result's %s", short(p.fingerprint), short(res.Fingerprint))
	}
	r, err := p.roster(ctx, res.Staffing, opts)
	if err != nil {
		return err
	}
	res.Roster = r
	return nil
}

// newResult returns the result's header, with no tasks.
func (p *plan) newResult() *Result {
	s := p.spec
	res := &Result{Format: Format, Name: s.Name, Fingerprint: p.fingerprint, Tasks: p.nTasks(),
		Seed: *s.Seed, Reps: s.Reps, Confidence: s.Confidence, ServiceLevel: s.Scenario.ServiceLevel,
		Axes: []Axis{}, Variants: []string{}, Queues: slices.Clone(p.base.Queues), Classes: []string{},
		Pools: p.poolInfo(), Points: []SweepPoint{}, Staffing: []StaffingInterval{}, Spec: p.canonical}
	res.Classes = append(res.Classes, p.base.Classes...)
	for _, v := range s.Sweep.Variants {
		res.Variants = append(res.Variants, v.Name)
	}
	for _, a := range s.Sweep.Agents {
		res.Axes = append(res.Axes, Axis{Name: a.Name, Groups: a.Groups, Values: a.Values, Base: axisBase(s.Scenario, a)})
	}
	return res
}

// axisBase returns the value of a nearest the scenario's count of its first group (the
// smaller on a tie).
func axisBase(sc *sim.Scenario, a AgentRange) int {
	own := 0
	for _, g := range sc.AgentGroups {
		if g.ID == a.Groups[0] {
			own = g.Count
		}
	}
	best := a.Values[0]
	for _, v := range a.Values {
		if d, bd := abs(v-own), abs(best-own); d < bd || (d == bd && v < best) {
			best = v
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// runTasks runs the given tasks with sim.Replicate and returns the finished ones in task
// order: *SweepPoint or *StaffingInterval. On an error it returns the finished tasks and the
// error.
func (p *plan) runTasks(ctx context.Context, tasks []int, opts Options) ([]any, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	outer := max(1, min(workers, len(tasks)))
	inner := max(1, workers/outer)
	if opts.Progress != nil {
		opts.Progress(0, len(tasks))
	}
	out, err := sim.Replicate(ctx, len(tasks), outer, func() sim.Job[any] {
		return func(ctx context.Context, j int) (any, error) { return p.runTask(ctx, tasks[j], inner) }
	}, opts.Progress)
	finished := make([]any, 0, len(out))
	for _, r := range out {
		if r != nil {
			finished = append(finished, r)
		}
	}
	return finished, err
}

// runTask runs task i with the given workers per simulation.
func (p *plan) runTask(ctx context.Context, i, workers int) (any, error) {
	if i >= p.nPoints {
		return p.solveInterval(ctx, i, p.intervals[i-p.nPoints], workers)
	}
	sc, variant, counts := p.pointScenario(i)
	seed := p.taskSeed(i)
	r, err := sim.Run(ctx, sc, sim.RunOptions{Reps: p.spec.Reps, Seed: &seed, Workers: workers, Confidence: p.spec.Confidence})
	if err != nil {
		if ctx.Err() == nil {
			err = fmt.Errorf("whatif: what-if point %s: %w", p.taskKey(i), err)
		}
		return nil, err
	}
	pt := &SweepPoint{Index: i, Key: p.taskKey(i), Variant: variant, Agents: map[string]int{}, Seed: seed,
		Contacts: r.Contacts, Overall: r.Overall, Queues: r.Queues, Classes: r.Classes, Groups: r.Groups, Steps: r.Steps}
	for a, c := range counts {
		pt.Agents[p.spec.Sweep.Agents[a].Name] = c
	}
	for _, g := range sc.AgentGroups {
		pt.TotalAgents += g.Count
	}
	pt.Targets = evalTargets(p.spec.Targets, r.ServiceLevel, &r.Overall, r.Queues, r.Classes)
	if pt.Targets == nil {
		pt.Targets = []TargetResult{}
	}
	pt.MeetsTargets = true
	for _, t := range pt.Targets {
		pt.MeetsTargets = pt.MeetsTargets && t.Met
	}
	return pt, nil
}
