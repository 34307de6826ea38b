package sim_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim"
)

// detailScenario is the default centre over two days of its one-day cycle with a warm-up,
// so each interval's cells add up two cycles and agent time before the warm-up is left out.
func detailScenario() *sim.Scenario {
	sc := sim.DefaultScenario()
	sc.Horizon = sim.Duration(48 * time.Hour)
	sc.Warmup = sim.Duration(9 * time.Hour)
	return sc
}

func runDetail(t *testing.T, sc *sim.Scenario, workers int, detail bool) *sim.Result {
	t.Helper()
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 3, Workers: workers, IntervalDetail: detail})
	require.NoError(t, err)
	return res
}

// TestIntervalDetailLeavesFiguresAlone: asking for the per-interval breakdown changes no
// other figure of the run or of its replications, bit for bit, and without it the JSON has
// none of its fields.
func TestIntervalDetailLeavesFiguresAlone(t *testing.T) {
	sc := detailScenario()
	plain := runDetail(t, sc, 2, false)
	detail := runDetail(t, sc, 2, true)
	require.NotEmpty(t, detail.QueueIntervals, "the breakdown was asked for")
	want := fingerprint(t, plain)
	for _, k := range []string{"queueIntervals", "classIntervals", "groupIntervals"} {
		assert.NotContains(t, want, `"`+k+`"`, "a run without IntervalDetail writes no %s", k)
	}
	detail.QueueIntervals, detail.ClassIntervals, detail.GroupIntervals = nil, nil, nil
	for _, r := range detail.Reps {
		r.QueueIntervals, r.ClassIntervals, r.GroupIntervals = nil, nil, nil
	}
	assert.Equal(t, want, fingerprint(t, detail), "the other figures with IntervalDetail differ from those without")
}

// TestIntervalDetailDeterminism: the breakdown is the same bit for bit on one and two
// workers.
func TestIntervalDetailDeterminism(t *testing.T) {
	sc := detailScenario()
	one, two := runDetail(t, sc, 1, true), runDetail(t, sc, 2, true)
	assert.Equal(t, fingerprint(t, one), fingerprint(t, two), "1 worker differs from 2 workers")
}

// TestIntervalDetailAddsUp: in each replication, a queue's (class's) counts over its
// intervals add up to its whole-run counts, a group's staffed and busy hours and handled
// contacts over its intervals to its whole-run figures; the estimates are over every
// replication, with a confidence interval.
func TestIntervalDetailAddsUp(t *testing.T) {
	sc := detailScenario()
	res := runDetail(t, sc, 2, true)
	require.Len(t, res.QueueIntervals, len(sc.Queues))
	require.Len(t, res.ClassIntervals, len(sc.Classes))
	require.Len(t, res.GroupIntervals, len(sc.AgentGroups))
	for _, r := range res.Reps {
		checkAddsUp(t, res, "queue", r.Queues, r.QueueIntervals)
		checkAddsUp(t, res, "class", r.Classes, r.ClassIntervals)
		for g, b := range r.GroupIntervals {
			var staffed, busy, handled float64
			for _, iv := range b.Intervals {
				staffed += iv.StaffedHours
				busy += iv.BusyHours
				handled += iv.Handled
				if iv.StaffedHours > 0 {
					assert.LessOrEqual(t, iv.Occupancy, 1.0, "group %s at %s", b.Key, iv.Key)
				}
			}
			w := r.Groups[g].GroupFigures
			assert.Equal(t, w.Handled, handled, "group %s handled over its intervals", b.Key)
			assert.InDelta(t, w.StaffedHours, staffed, 1e-9, "group %s staffed hours over its intervals", b.Key)
			assert.InDelta(t, w.BusyHours, busy, 1e-9, "group %s busy hours over its intervals", b.Key)
			// The early shifts start at 08:00: nobody is staffed at 07:45, and from 08:00 to
			// 08:15 all 10 or 16 agents are, for two cycles but the first is before the warm-up.
			assert.Zero(t, b.Intervals[31].StaffedHours, "group %s staffed at 07:45", b.Key)
		}
		assert.InDelta(t, 10*0.25, r.GroupIntervals[0].Intervals[32].StaffedHours, 1e-9, "sales-early staffed 08:00-08:15 after the warm-up")
	}
	// The estimates: the mean of the replications' values, with a confidence interval.
	iv := res.QueueIntervals[1].Intervals[58] // support at 14:30, the afternoon peak
	var vals []float64
	for _, r := range res.Reps {
		vals = append(vals, r.QueueIntervals[1].Intervals[58].ServiceLevel[0])
	}
	want := sim.NewEstimate(vals, 0.95)
	assert.Equal(t, want, iv.ServiceLevel[0], "support's service level at 14:30")
	assert.Equal(t, 3, iv.ServiceLevel[0].N)
	assert.Positive(t, iv.Offered.Mean, "support is offered contacts at 14:30")
	assert.False(t, math.IsNaN(iv.ServiceLevel[0].HalfWidth), "a confidence interval over 3 replications")
	b, err := json.Marshal(res.GroupIntervals[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"key":"sales-early","intervals":[{"key":"00:00","agents":`)
}

// TestIntervalDetailOneQueue: with one queue and one class, the queue's and the class's
// per-interval figures are the per-interval figures of all contacts, percentiles included.
func TestIntervalDetailOneQueue(t *testing.T) {
	sc := detailScenario()
	sc.Horizon = sim.Duration(24 * time.Hour)
	sc.Warmup = 0
	sc.Arrivals = sc.Arrivals[:1]
	sc.Arrivals[0].Classes, sc.Arrivals[0].Class = nil, "standard"
	sc.Classes = sc.Classes[:1]
	sc.Queues = sc.Queues[:1]
	sc.RoutingProfiles[0].Queues = sc.RoutingProfiles[0].Queues[:1]
	sc.RoutingProfiles = sc.RoutingProfiles[:1]
	sc.AgentGroups = sc.AgentGroups[:2]
	res := runDetail(t, sc, 2, true)
	require.Len(t, res.QueueIntervals, 1)
	a, _ := json.Marshal(res.Intervals)
	q, _ := json.Marshal(res.QueueIntervals[0].Intervals)
	c, _ := json.Marshal(res.ClassIntervals[0].Intervals)
	assert.JSONEq(t, string(a), string(q), "the one queue's intervals are all contacts' intervals")
	assert.JSONEq(t, string(a), string(c), "the one class's intervals are all contacts' intervals")
}

func nanZero(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// checkAddsUp: each breakdown's counts over its intervals add up to the whole-run figures of
// the same key.
func checkAddsUp(t *testing.T, res *sim.Result, what string, whole []sim.Keyed[float64], parts []sim.Breakdown[sim.Keyed[float64]]) {
	t.Helper()
	nInt := len(res.Intervals)
	for i, b := range parts {
		require.Equal(t, whole[i].Key, b.Key)
		require.Len(t, b.Intervals, nInt)
		var sum sim.Figures[float64]
		for k, iv := range b.Intervals {
			require.Equal(t, res.Intervals[k].Key, iv.Key)
			sum.Offered += iv.Offered
			sum.Handled += iv.Handled
			sum.Abandoned += iv.Abandoned
			sum.Inversions += iv.Inversions
			sum.WaitMax = math.Max(nanZero(sum.WaitMax), nanZero(iv.WaitMax))
		}
		w := whole[i].Figures
		assert.Equal(t, w.Offered, sum.Offered, "%s %s offered over its intervals", what, b.Key)
		assert.Equal(t, w.Handled, sum.Handled, "%s %s handled over its intervals", what, b.Key)
		assert.Equal(t, w.Abandoned, sum.Abandoned, "%s %s abandoned over its intervals", what, b.Key)
		assert.Equal(t, w.Inversions, sum.Inversions, "%s %s inversions over its intervals", what, b.Key)
		assert.Equal(t, nanZero(w.WaitMax), sum.WaitMax, "%s %s longest wait over its intervals", what, b.Key)
	}
}

// TestIntervalDetailAddsUpWithFlows: with a full queue overflowing, transfers between queues
// and callbacks, each queue's and class's counts over its intervals still add up to its
// whole-run counts (a transfer's segments count in the queue each entered).
func TestIntervalDetailAddsUpWithFlows(t *testing.T) {
	res := runDetail(t, busyFlowsScenario(), 2, true)
	require.NotEmpty(t, res.QueueIntervals)
	for _, r := range res.Reps {
		checkAddsUp(t, res, "queue", r.Queues, r.QueueIntervals)
		checkAddsUp(t, res, "class", r.Classes, r.ClassIntervals)
	}
}
