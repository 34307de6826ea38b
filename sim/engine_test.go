package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

func load(t *testing.T, path string) *sim.Scenario {
	t.Helper()
	sc, err := sim.LoadScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// fingerprint encodes a result and each replication's figures: equal fingerprints mean equal
// results bit for bit (JSON writes float64s exactly, NaN as null).
func fingerprint(t *testing.T, res *sim.Result) string {
	t.Helper()
	b, err := json.Marshal(struct {
		R    *sim.Result
		Reps []*sim.Replication
	}{res, res.Reps})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDeterminism runs the example scenario three times, and on one and two workers: a
// seed reproduces every figure bit for bit.
func TestDeterminism(t *testing.T) {
	sc := load(t, "testdata/example.json")
	sc.Horizon = sim.Duration(12 * time.Hour)
	opts := sim.RunOptions{Reps: 4, Workers: 2}
	var first string
	for i := range 3 {
		res, err := sim.Run(context.Background(), sc, opts)
		if err != nil {
			t.Fatal(err)
		}
		fp := fingerprint(t, res)
		if i == 0 {
			first = fp
			if res.Overall.Handled.Mean == 0 {
				t.Fatal("nothing handled")
			}
		} else if fp != first {
			t.Fatalf("run %d differs from run 0", i)
		}
	}
	opts.Workers = 1
	res, err := sim.Run(context.Background(), sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fingerprint(t, res) != first {
		t.Fatal("1 worker differs from 2 workers")
	}
	seed := uint64(7)
	opts.Seed = &seed
	res, err = sim.Run(context.Background(), sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fingerprint(t, res) == first {
		t.Fatal("another seed gave the same result")
	}
}

// TestReplicationMatchesRun: RunReplication(seed, i) is Run's replication i.
func TestReplicationMatchesRun(t *testing.T) {
	sc := load(t, "testdata/example.json")
	sc.Horizon = sim.Duration(6 * time.Hour)
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 3})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := sim.RunReplication(context.Background(), sc, sc.Seed, 2, sim.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(rep)
	b, _ := json.Marshal(res.Reps[2])
	if string(a) != string(b) {
		t.Fatal("RunReplication(seed, 2) differs from Run's replication 2")
	}
}

// TestTraceByHand replays testdata/trace.csv, one agent, and checks every figure against
// the schedule worked out by hand:
//
//	contact  arrives  handle  patience  priority  fate
//	0        0 s      10 s    -         5         routed at 0, done at 10
//	1        2 s      5 s     -         5         waits; routed at 13 (wait 11), done at 18
//	2        3 s      1 s     4 s       5         abandons at 7 (wait 4)
//	3        4 s      3 s     -         1         routed at 10 (wait 6) ahead of 1, done at 13
func TestTraceByHand(t *testing.T) {
	sc := &sim.Scenario{
		Horizon: sim.Duration(100 * time.Second), Interval: sim.Duration(100 * time.Second), Cycle: sim.Duration(100 * time.Second),
		ServiceLevel: []sim.Duration{sim.Duration(5 * time.Second), sim.Duration(10 * time.Second)},
		Queues:       []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p",
			Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups: []sim.AgentGroup{{ID: "a", Count: 1, RoutingProfileID: "p"}},
		Trace:       &sim.Trace{File: "trace.csv"},
	}
	sc.SetDir("testdata")
	var recs []sim.ContactRecord
	rep, err := sim.RunReplication(context.Background(), sc, 1, 0, sim.Hooks{OnContact: func(r sim.ContactRecord) { recs = append(recs, r) }})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"offered", o.Offered, 4},
		{"handled", o.Handled, 3},
		{"abandoned", o.Abandoned, 1},
		{"waitingAtEnd", o.WaitingAtEnd, 0},
		{"abandonRate", o.AbandonRate, 0.25},
		{"pWait", o.PWait, 0.75},
		{"asa", o.ASA, (0 + 6 + 11) / 3.0},
		{"waitMean", o.WaitMean, (0 + 6 + 11 + 4) / 4.0},
		{"waitMax", o.WaitMax, 11},
		{"serviceLevel@5s", o.ServiceLevel[0], 0.25},
		{"serviceLevel@10s", o.ServiceLevel[1], 0.5},
		{"inversions", o.Inversions, 1},
		{"overtakes", o.Overtakes, 1},
		{"busyHours", rep.Groups[0].BusyHours, 18.0 / 3600},
		{"staffedHours", rep.Groups[0].StaffedHours, 100.0 / 3600},
		{"occupancy", rep.Groups[0].Occupancy, 0.18},
		{"agent handled", float64(rep.Agents[0].Handled), 3},
	} {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v; want %v", c.name, c.got, c.want)
		}
	}
	// p50 by nearest rank of {0, 4, 6, 11} is 4, read within the histogram's 0.4%.
	if math.Abs(o.WaitP50-4) > 4*0.004 {
		t.Errorf("waitP50 = %v; want 4 within 0.4%%", o.WaitP50)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records; want 4", len(recs))
	}
	byID := map[uint64]sim.ContactRecord{}
	for _, r := range recs {
		byID[r.Seq] = r
	}
	s := func(x float64) sim.Duration { return sim.Duration(x * float64(time.Second)) }
	for seq, want := range []struct {
		routed, ended sim.Duration
		reason        routing.EndReason
		overtook      int
	}{
		{0, s(10), routing.Completed, 0},
		{s(13), s(18), routing.Completed, 0},
		{-1, s(7), routing.Abandoned, 0},
		{s(10), s(13), routing.Completed, 1},
	} {
		r := byID[uint64(seq)]
		if r.Routed != want.routed || r.Ended != want.ended || r.Reason != want.reason || r.Overtook != want.overtook {
			t.Errorf("contact %d: routed %v ended %v %v overtook %d; want %v %v %v %d", seq, r.Routed, r.Ended, r.Reason,
				r.Overtook, want.routed, want.ended, want.reason, want.overtook)
		}
	}
}

// TestPiecewiseRates: per-interval offered counts follow the piecewise-constant rates,
// zero where the rate is zero.
func TestPiecewiseRates(t *testing.T) {
	rates := []float64{0, 3600, 0, 7200}
	sc := &sim.Scenario{
		Horizon: sim.Duration(10 * time.Hour), Interval: sim.Duration(15 * time.Minute), Cycle: sim.Duration(time.Hour),
		Queues: []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p",
			Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups: []sim.AgentGroup{{ID: "a", Count: 10, RoutingProfileID: "p"}},
		Arrivals:    []sim.Arrivals{{Queue: "q", RatesPerHour: rates, HandleTime: sim.Fixed(sim.Duration(time.Second))}},
	}
	rep, err := sim.RunReplication(context.Background(), sc, 3, 0, sim.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rates {
		want := r * 0.25 * 10 // per hour × 15 minutes × 10 cycles
		got := rep.Intervals[i].Offered
		// Poisson: within 4 standard deviations.
		if math.Abs(got-want) > 4*math.Sqrt(want) || (want == 0 && got != 0) {
			t.Errorf("interval %s: %v arrivals; want %v", rep.Intervals[i].Key, got, want)
		}
	}
	if k := rep.Intervals[1].Key; k != "00:15" {
		t.Errorf("interval 1 key %q; want 00:15", k)
	}
}

// TestSparseRates: one busy second an hour, 1000 hours; arrivals skip the empty intervals in
// whole cycles and still number about one per cycle.
func TestSparseRates(t *testing.T) {
	rates := make([]float64, 3600)
	rates[1800] = 3600 // one contact a second, for one second an hour
	sc := &sim.Scenario{
		Horizon: sim.Duration(1000 * time.Hour), Interval: sim.Duration(time.Second), Cycle: sim.Duration(time.Hour),
		Queues: []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p",
			Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups: []sim.AgentGroup{{ID: "a", Count: 1, RoutingProfileID: "p"}},
		Arrivals:    []sim.Arrivals{{Queue: "q", RatesPerHour: rates, HandleTime: sim.Fixed(sim.Duration(time.Second))}},
	}
	var recs []sim.ContactRecord
	rep, err := sim.RunReplication(context.Background(), sc, 5, 0, sim.Hooks{OnContact: func(r sim.ContactRecord) { recs = append(recs, r) }})
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Totals.Arrived; math.Abs(float64(n)-1000) > 4*math.Sqrt(1000) {
		t.Errorf("%d arrivals; want about 1000", n)
	}
	for _, r := range recs {
		if off := r.Arrival.D() % time.Hour; off < 1800*time.Second || off >= 1801*time.Second {
			t.Fatalf("contact arrived at %v, outside the busy second", r.Arrival)
		}
	}
}

// TestSchedules: staffed hours follow shifts (including one that wraps past the cycle's
// end) and per-interval staffing.
func TestSchedules(t *testing.T) {
	h := func(x float64) sim.Duration { return sim.Duration(x * float64(time.Hour)) }
	sc := &sim.Scenario{
		Horizon: h(48), Interval: h(6), Cycle: h(24),
		Queues: []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p",
			Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups: []sim.AgentGroup{
			{ID: "day", Count: 2, RoutingProfileID: "p", Shifts: []sim.Shift{{Start: h(8), End: h(16)}}},
			{ID: "night", Count: 1, RoutingProfileID: "p", Shifts: []sim.Shift{{Start: h(22), End: h(30)}}},
			{ID: "staffed", Count: 3, RoutingProfileID: "p", Staffing: []int{1, 2, 0, 3}},
			{ID: "always", Count: 1, RoutingProfileID: "p"},
		},
		Arrivals: []sim.Arrivals{{Queue: "q", RatePerHour: 0.001, HandleTime: sim.Fixed(sim.Duration(time.Second))}},
	}
	rep, err := sim.RunReplication(context.Background(), sc, 1, 0, sim.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{2 * 8 * 2, 6 + 8 + 2, (1 + 2 + 0 + 3) * 6 * 2, 48} {
		if got := rep.Groups[i].StaffedHours; math.Abs(got-want) > 1e-6 {
			t.Errorf("group %s staffed %v h; want %v", rep.Groups[i].Key, got, want)
		}
	}
}

func TestCancel(t *testing.T) {
	sc := load(t, "testdata/example.json")
	sc.Horizon = sim.Duration(1000 * time.Hour)
	sc.Cycle = sim.Duration(24 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := sim.Run(ctx, sc, sim.RunOptions{Reps: 4, Progress: func(done float64, total int) {
		calls++
		if done > 0.01 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want context.Canceled", err)
	}
	if calls == 0 {
		t.Fatal("no progress reported")
	}
}

// TestOnContactAllReps: Run hands every contact of every replication to OnContact.
func TestOnContactAllReps(t *testing.T) {
	sc := load(t, "testdata/example.json")
	sc.Horizon = sim.Duration(6 * time.Hour)
	counts := map[int]int64{}
	last := map[int]int64{}
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 3, Workers: 2, OnContact: func(rep int, r sim.ContactRecord) {
		counts[rep]++
		last[rep] = int64(r.Seq)
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res.Reps {
		if counts[i] != r.Totals.Arrived {
			t.Errorf("replication %d: %d records; %d arrived", i, counts[i], r.Totals.Arrived)
		}
	}
}

// TestScenarioDoc: the example in docs/scenario.md ("Example") is testdata/example.json, and
// it is valid.
func TestScenarioDoc(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "scenario.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(doc), "\n## Example\n")
	_, rest, ok := strings.Cut(section, "```json\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/scenario.md has no json block under \"## Example\"")
	}
	file, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(block) != strings.TrimSpace(string(file)) {
		t.Fatal("the example in docs/scenario.md (Example) differs from sim/testdata/example.json")
	}
	sc, err := sim.DecodeScenario(strings.NewReader(block))
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
}
