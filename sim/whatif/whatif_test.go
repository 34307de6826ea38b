package whatif_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/theory"
	"github.com/routesim/routesim/sim/whatif"
	"github.com/stretchr/testify/require"
)

func dur(d time.Duration) sim.Duration { return sim.Duration(d) }

// tinyWhatIf is a what-if small enough for the race detector: two queues and two groups
// (group a overflows to queue b after 30 s), two hourly intervals, a 2×2 sweep of agents
// under two variants and the solver on both intervals: 8 points and 2 intervals, 3
// replications each.
func tinyWhatIf() *whatif.WhatIf {
	patience := sim.Exp(dur(5 * time.Minute))
	ab := 0.1
	return &whatif.WhatIf{
		Name: "tiny",
		Scenario: &sim.Scenario{
			Horizon: dur(2 * time.Hour), Interval: dur(time.Hour), Cycle: dur(2 * time.Hour),
			Queues: []routing.QueueConfig{{ID: "a"}, {ID: "b"}},
			RoutingProfiles: []routing.ProfileConfig{
				{ID: "pa", Queues: []routing.ProfileQueueConfig{
					{QueueID: "a", Channel: contact.Voice, Priority: 1},
					{QueueID: "b", Channel: contact.Voice, Priority: 2, DelaySeconds: 30}}},
				{ID: "pb", Queues: []routing.ProfileQueueConfig{{QueueID: "b", Channel: contact.Voice, Priority: 1}}},
			},
			AgentGroups: []sim.AgentGroup{{ID: "ga", Count: 3, RoutingProfileID: "pa"}, {ID: "gb", Count: 3, RoutingProfileID: "pb"}},
			Classes:     []sim.Class{{ID: "std"}, {ID: "vip", Priority: 1}},
			Arrivals: []sim.Arrivals{
				{Queue: "a", RatesPerHour: []float64{30, 40}, Classes: []sim.ClassWeight{{Class: "std", Weight: 4}, {Class: "vip", Weight: 1}},
					HandleTime: sim.Exp(dur(4 * time.Minute)), Patience: &patience},
				{Queue: "b", RatePerHour: 30, Class: "std", HandleTime: sim.Exp(dur(4 * time.Minute)), Patience: &patience},
			},
		},
		Reps: 3,
		Sweep: whatif.Sweep{
			Agents: []whatif.AgentRange{{Name: "ga", From: 2, To: 3}, {Name: "gb", Values: []int{2, 3}}},
			Variants: []whatif.Variant{{Name: "base"},
				{Name: "no-vip", Patch: json.RawMessage(`{"classes":{"vip":{"priority":5}}}`)}},
		},
		Targets: []whatif.Target{
			{Queue: "a", ServiceLevel: 0.8, MaxAbandon: &ab},
			{Queue: "b", ServiceLevel: 0.8, MaxAbandon: &ab},
		},
		Solve: &whatif.Solve{Horizon: dur(time.Hour), Warmup: dur(15 * time.Minute)},
	}
}

func runWhatIf(t *testing.T, w *whatif.WhatIf, opts whatif.Options) *whatif.Result {
	t.Helper()
	res, err := whatif.Run(context.Background(), w, opts)
	require.NoError(t, err)
	return res
}

// encode returns every output of res: JSON and the three CSVs.
func encode(t *testing.T, res *whatif.Result) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, f := range map[string]func(*bytes.Buffer) error{
		"json":      func(b *bytes.Buffer) error { return res.WriteJSON(b) },
		"points":    func(b *bytes.Buffer) error { return res.WritePointsCSV(b) },
		"occupancy": func(b *bytes.Buffer) error { return res.WriteOccupancyCSV(b) },
		"staffing":  func(b *bytes.Buffer) error { return res.WriteStaffingCSV(b) },
	} {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatal(err)
		}
		out[name] = b.Bytes()
	}
	return out
}

// roundTrip writes res as JSON and reads it back, as a partial file goes from a shard to
// merge.
func roundTrip(t *testing.T, res *whatif.Result) *whatif.Result {
	t.Helper()
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	r, err := whatif.ReadResult(&b)
	require.NoError(t, err)
	return r
}

func shards(t *testing.T, w *whatif.WhatIf, n int, opts whatif.Options) []*whatif.Result {
	t.Helper()
	var parts []*whatif.Result
	for i := range n {
		o := opts
		o.Shard = whatif.Shard{Index: i, Count: n}
		parts = append(parts, roundTrip(t, runWhatIf(t, w, o)))
	}
	return parts
}

func TestWhatIfShardsMergeToWhole(t *testing.T) {
	w := tinyWhatIf()
	whole := runWhatIf(t, w, whatif.Options{})
	if got, want := len(whole.Points)+len(whole.Staffing), 10; got != want || !whole.Complete {
		t.Fatalf("whole run: %d tasks, complete %v; want %d, true", got, whole.Complete, want)
	}
	want := encode(t, whole)
	for _, n := range []int{1, 2, 3, 13} { // 13 > 10 tasks: some shards are empty
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			parts := shards(t, w, n, whatif.Options{Workers: 1})
			// Merge takes the parts in any order.
			parts[0], parts[n-1] = parts[n-1], parts[0]
			merged, err := whatif.Merge(parts, nil)
			require.NoError(t, err)
			got := encode(t, merged)
			for k := range want {
				if !bytes.Equal(got[k], want[k]) {
					t.Errorf("merged %s differs from the unsharded run's:\n%s", k, firstDiff(got[k], want[k]))
				}
			}
		})
	}
}

// firstDiff shows where two outputs first differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("at byte %d: got ...%q; want ...%q", i, a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}

func TestWhatIfWorkersDoNotChangeResults(t *testing.T) {
	w := tinyWhatIf()
	a := encode(t, runWhatIf(t, w, whatif.Options{Workers: 1}))
	b := encode(t, runWhatIf(t, w, whatif.Options{Workers: 4}))
	if !bytes.Equal(a["json"], b["json"]) {
		t.Errorf("1 worker and 4 give different results:\n%s", firstDiff(a["json"], b["json"]))
	}
}

// TestWhatIfBasePointIsPlainRun: sweep points run with the base seed itself, so the base
// variant at the scenario's own counts gives the figures of a plain Run.
func TestWhatIfBasePointIsPlainRun(t *testing.T) {
	w := tinyWhatIf()
	w.Solve = nil
	res := runWhatIf(t, w, whatif.Options{})
	seed := uint64(0)
	plain, err := sim.Run(context.Background(), w.Scenario, sim.RunOptions{Reps: 3, Seed: &seed})
	require.NoError(t, err)
	for _, p := range res.Points {
		if p.Variant != "base" || p.Agents["ga"] != 3 || p.Agents["gb"] != 3 {
			continue
		}
		got, _ := json.Marshal(p.Overall)
		want, _ := json.Marshal(plain.Overall)
		if !bytes.Equal(got, want) {
			t.Errorf("base point %s:\n got %s\nwant %s", p.Key, got, want)
		}
		return
	}
	t.Fatal("no base point at ga=3, gb=3")
}

func TestWhatIfTaskKeysAndSeeds(t *testing.T) {
	res := runWhatIf(t, tinyWhatIf(), whatif.Options{})
	wantKeys := []string{
		"variant=base,ga=2,gb=2", "variant=base,ga=2,gb=3", "variant=base,ga=3,gb=2", "variant=base,ga=3,gb=3",
		"variant=no-vip,ga=2,gb=2", "variant=no-vip,ga=2,gb=3", "variant=no-vip,ga=3,gb=2", "variant=no-vip,ga=3,gb=3",
	}
	for i, p := range res.Points {
		if p.Index != i || p.Key != wantKeys[i] || p.Seed != 0 {
			t.Errorf("point %d: index %d key %q seed %d; want %d %q 0", i, p.Index, p.Key, p.Seed, i, wantKeys[i])
		}
	}
	for i, s := range res.Staffing {
		key := "solve@0" + fmt.Sprint(i) + ":00"
		if s.Index != 8+i || s.Key != key || s.Seed != whatif.TaskSeed(0, key) {
			t.Errorf("interval %d: index %d key %q seed %d; want %d %q %d", i, s.Index, s.Key, s.Seed, 8+i, key, whatif.TaskSeed(0, key))
		}
	}
}

func TestWhatIfCancelKeepsFinishedTasks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := whatif.Options{Workers: 1, Progress: func(done, total int) {
		if done == 3 {
			cancel()
		}
	}}
	res, err := whatif.Run(ctx, tinyWhatIf(), opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if res == nil || res.Complete {
		t.Fatalf("result %v; want a partial result", res)
	}
	if n := len(res.Points) + len(res.Staffing); n < 3 || n >= res.Tasks {
		t.Errorf("%d tasks kept of %d; want the 3 finished before the cancel, at least", n, res.Tasks)
	}
	full := runWhatIf(t, tinyWhatIf(), whatif.Options{})
	for i, p := range res.Points {
		got, _ := json.Marshal(p)
		want, _ := json.Marshal(full.Points[p.Index])
		if !bytes.Equal(got, want) {
			t.Errorf("kept point %d differs from the full run's", i)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want whatif.Shard
		err  string
	}{
		{in: "0/1", want: whatif.Shard{Index: 0, Count: 1}},
		{in: "3/4", want: whatif.Shard{Index: 3, Count: 4}},
		{in: "", err: "want i/n"},
		{in: "2", err: "want i/n"},
		{in: "a/b", err: "whole numbers"},
		{in: "4/4", err: "index must be in 0..3"},
		{in: "-1/3", err: "index must be in 0..2"},
		{in: "0/0", err: "at least 1"},
		{in: "1/-2", err: "at least 1"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := whatif.ParseShard(tc.in)
			if tc.err != "" {
				if !errors.Is(err, whatif.ErrShard) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseShard(%q) = %v, %v; want an ErrShard saying %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseShard(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestMergeErrors(t *testing.T) {
	w := tinyWhatIf()
	w.Solve = nil
	parts := shards(t, w, 3, whatif.Options{})
	other := tinyWhatIf()
	other.Solve = nil
	seed := uint64(7)
	otherSeed := shards(t, other, 3, whatif.Options{Seed: &seed})
	whole := runWhatIf(t, w, whatif.Options{})
	two := shards(t, w, 2, whatif.Options{})
	incomplete := *parts[1]
	incomplete.Complete = false
	stray := *parts[2]
	stray.Points = append([]whatif.SweepPoint{parts[0].Points[0]}, stray.Points...)
	for _, tc := range []struct {
		name  string
		parts []*whatif.Result
		err   string
	}{
		{"none", nil, "no partial results"},
		{"other seed", []*whatif.Result{parts[0], otherSeed[1], parts[2]}, "from a different what-if"},
		{"shard twice", []*whatif.Result{parts[0], parts[1], parts[1], parts[2]}, "shard 1/3 is given twice"},
		{"missing shard", []*whatif.Result{parts[0], parts[2]}, "missing shard(s) 1/3"},
		{"shard counts", []*whatif.Result{parts[0], two[1]}, "shard counts differ"},
		{"whole result", []*whatif.Result{whole}, "not a shard's partial result"},
		{"cancelled shard", []*whatif.Result{parts[0], &incomplete, parts[2]}, "incomplete"},
		{"task in the wrong shard", []*whatif.Result{parts[0], parts[1], &stray}, "belongs to shard 0/3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := whatif.Merge(tc.parts, nil)
			if !errors.Is(err, whatif.ErrMerge) || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Merge: %v; want an ErrMerge saying %q", err, tc.err)
			}
		})
	}
}

// TestSolverMatchesErlangC: for an M/M/c queue with one class and no abandonment, the
// solver's staffing for 80% within 20 s is Erlang C's (theory.StaffErlangC), within one
// agent (the simulated service level is an estimate).
func TestSolverMatchesErlangC(t *testing.T) {
	const handle = 300.0 // seconds
	for _, perHour := range []float64{60, 240, 480} {
		t.Run(fmt.Sprint(perHour), func(t *testing.T) {
			w := &whatif.WhatIf{
				Scenario: &sim.Scenario{
					Horizon: dur(time.Hour), Interval: dur(time.Hour), Cycle: dur(time.Hour),
					Queues:          []routing.QueueConfig{{ID: "q"}},
					RoutingProfiles: []routing.ProfileConfig{{ID: "p", Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
					AgentGroups:     []sim.AgentGroup{{ID: "agents", Count: 1, RoutingProfileID: "p"}},
					Arrivals:        []sim.Arrivals{{Queue: "q", RatePerHour: perHour, HandleTime: sim.Exp(dur(handle * time.Second))}},
				},
				Reps:    10,
				Targets: []whatif.Target{{Queue: "q", ServiceLevel: 0.8, Within: dur(20 * time.Second)}},
				Solve:   &whatif.Solve{Horizon: dur(6 * time.Hour), Warmup: dur(time.Hour)},
			}
			res := runWhatIf(t, w, whatif.Options{})
			if len(res.Staffing) != 1 || len(res.Staffing[0].Pools) != 1 {
				t.Fatalf("staffing %+v; want one interval, one pool", res.Staffing)
			}
			got := res.Staffing[0].Pools[0]
			want, err := theory.StaffErlangC(perHour/3600, 1/handle, 20, 0.8)
			require.NoError(t, err)
			t.Logf("λ = %v/h: solver %d agents (%d staffings simulated), Erlang C %d; %v", perHour, got.Agents, res.Staffing[0].Evaluations, want, res.Staffing[0].Targets)
			if got.ErlangC != want {
				t.Errorf("reported Erlang C %d; want %d", got.ErlangC, want)
			}
			if d := got.Agents - want; d < -1 || d > 1 || !res.Staffing[0].Met {
				t.Errorf("solver: %d agents (met %v); want Erlang C's %d within one", got.Agents, res.Staffing[0].Met, want)
			}
		})
	}
}

// TestSolverAbandonmentLowersStaffing: with impatient callers the simulator needs fewer
// agents than Erlang C, which ignores abandonment, for the same service level.
func TestSolverAbandonmentLowersStaffing(t *testing.T) {
	patience := sim.Exp(dur(time.Minute))
	w := &whatif.WhatIf{
		Scenario: &sim.Scenario{
			Horizon: dur(time.Hour), Interval: dur(time.Hour), Cycle: dur(time.Hour),
			Queues:          []routing.QueueConfig{{ID: "q"}},
			RoutingProfiles: []routing.ProfileConfig{{ID: "p", Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
			AgentGroups:     []sim.AgentGroup{{ID: "agents", Count: 1, RoutingProfileID: "p"}},
			Arrivals:        []sim.Arrivals{{Queue: "q", RatePerHour: 240, HandleTime: sim.Exp(dur(5 * time.Minute)), Patience: &patience}},
		},
		Reps:    5,
		Targets: []whatif.Target{{Queue: "q", ServiceLevel: 0.8}},
		Solve:   &whatif.Solve{Horizon: dur(2 * time.Hour), Warmup: dur(30 * time.Minute)},
	}
	res := runWhatIf(t, w, whatif.Options{})
	p := res.Staffing[0].Pools[0]
	t.Logf("solver %d agents, Erlang C %d", p.Agents, p.ErlangC)
	if p.Agents >= p.ErlangC {
		t.Errorf("with a 1-minute patience: solver %d agents, Erlang C %d; want fewer than Erlang C", p.Agents, p.ErlangC)
	}
}

func TestWhatIfErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(w *whatif.WhatIf)
		err  string
	}{
		{"no scenario", func(w *whatif.WhatIf) { w.Scenario = nil }, "scenario: missing"},
		{"both scenarios", func(w *whatif.WhatIf) { w.ScenarioFile = "x.json" }, "not both"},
		{"bad scenario", func(w *whatif.WhatIf) { w.Scenario.Horizon = 0 }, "scenario: sim: invalid scenario: horizon"},
		{"unknown group", func(w *whatif.WhatIf) { w.Sweep.Agents[0].Groups = []string{"nope"} }, `sweep.agents[0].groups[0]: unknown agent group "nope"`},
		{"group on two axes", func(w *whatif.WhatIf) { w.Sweep.Agents[1].Groups = []string{"ga"} }, "on two axes"},
		{"empty range", func(w *whatif.WhatIf) { w.Sweep.Agents[0].From = 5 }, "not a range"},
		{"values and range", func(w *whatif.WhatIf) { w.Sweep.Agents[1].To = 4 }, "not both"},
		{"negative count", func(w *whatif.WhatIf) { w.Sweep.Agents[1].Values = []int{-1} }, "out of range"},
		{"duplicate variant", func(w *whatif.WhatIf) { w.Sweep.Variants[1].Name = "base" }, `duplicate variant "base"`},
		{"patch of an unknown class", func(w *whatif.WhatIf) {
			w.Sweep.Variants[1].Patch = json.RawMessage(`{"classes":{"gold":{"priority":1}}}`)
		}, `sweep.variants[1].patch: classes: no element with id`},
		{"patch breaks the scenario", func(w *whatif.WhatIf) {
			w.Sweep.Variants[1].Patch = json.RawMessage(`{"classes":{"vip":{"priority":-1}}}`)
		}, `variant "no-vip"`},
		{"unknown target queue", func(w *whatif.WhatIf) { w.Targets[0].Queue = "z" }, `targets[0].queue: unknown queue "z"`},
		{"target without goal", func(w *whatif.WhatIf) { w.Targets[0] = whatif.Target{Queue: "a"} }, "sets no goal"},
		{"service level over 1", func(w *whatif.WhatIf) { w.Targets[0].ServiceLevel = 80 }, "not a share"},
		{"unknown interval", func(w *whatif.WhatIf) { w.Solve.Intervals = []string{"07:30"} }, `solve.intervals[0]: "07:30"`},
		{"bad confidence", func(w *whatif.WhatIf) { w.Confidence = 2 }, "confidence"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tinyWhatIf()
			tc.edit(w)
			_, err := whatif.Run(context.Background(), w, whatif.Options{})
			if !errors.Is(err, whatif.ErrInvalid) || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Run: %v; want an ErrInvalid saying %q", err, tc.err)
			}
		})
	}
}

func TestDecodeWhatIf(t *testing.T) {
	t.Run("plain scenario", func(t *testing.T) {
		sc, _ := json.Marshal(tinyWhatIf().Scenario)
		w, err := whatif.Decode(bytes.NewReader(sc))
		require.NoError(t, err)
		res := runWhatIf(t, w, whatif.Options{Reps: 2})
		if len(res.Points) != 1 || res.Points[0].Key != "variant=base" || len(res.Staffing) != 2 {
			t.Fatalf("a plain scenario gave %d points (%v) and %d intervals; want one point, variant=base, and the solver on 2 intervals",
				len(res.Points), res.Points, len(res.Staffing))
		}
		if got := len(res.Points[0].Targets); got != 4 {
			t.Errorf("%d goals checked; want the default targets' 4 (service level and abandonment, 2 queues)", got)
		}
	})
	t.Run("round trip", func(t *testing.T) {
		b, err := json.Marshal(whatif.Default())
		require.NoError(t, err)
		w, err := whatif.Decode(bytes.NewReader(b))
		require.NoError(t, err)
		b2, _ := json.Marshal(w)
		if !bytes.Equal(b, b2) {
			t.Errorf("the default what-if does not survive a JSON round trip")
		}
	})
	t.Run("unknown nested field names its path", func(t *testing.T) {
		_, err := whatif.Decode(strings.NewReader(`{"scenarioFile": "x.json", "sweep": {"agnets": []}}`))
		require.ErrorIs(t, err, whatif.ErrInvalid)
		require.ErrorContains(t, err, "sweep.agnets")
	})
	t.Run("unknown field", func(t *testing.T) {
		_, err := whatif.Decode(strings.NewReader(`{"scenarioFile": "x.json", "sweeps": {}}`))
		if !errors.Is(err, whatif.ErrInvalid) || !strings.Contains(err.Error(), "sweeps") {
			t.Fatalf("err = %v; want an ErrInvalid naming the unknown field", err)
		}
	})
}

// TestDefaultWhatIfPlan checks the built-in what-if's size without running it (the benchmark
// BenchmarkWhatIfDefault in bench/ runs it): 4 variants × 3 × 5 agent counts, and the solver
// on the 48 open intervals.
func TestDefaultWhatIfPlan(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := whatif.Run(ctx, whatif.Default(), whatif.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if res.Tasks != 60+48 || len(res.Axes) != 2 || len(res.Variants) != 4 || len(res.Pools) != 2 {
		t.Errorf("default what-if: %d tasks, %d axes, %d variants, %d pools; want 108, 2, 4, 2", res.Tasks, len(res.Axes), len(res.Variants), len(res.Pools))
	}
	if res.Axes[0].Base != 10 || res.Axes[1].Base != 16 {
		t.Errorf("axis bases %d, %d; want the scenario's 10 and 16", res.Axes[0].Base, res.Axes[1].Base)
	}
	if got := fmt.Sprint(res.Pools); got != "[{sales [sales]} {support [support]}]" {
		t.Errorf("pools %s; want sales serving sales, support serving support", got)
	}
}
