package whatif_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/whatif"
)

// TestRosterChecksEveryGoalPerInterval: each interval of the roster is checked against
// every goal of the what-if on its own figures: queue b's stricter service level on queue
// b's contacts (not the weakest bound on all contacts), the class goal on the class's, and
// pool pa's occupancy bound on pa's time in the interval; Goals sum them up and goals.csv
// lists them.
func TestRosterChecksEveryGoalPerInterval(t *testing.T) {
	w := rosterWhatIf()
	w.Targets[1].ServiceLevel = 0.9
	w.Targets = append(w.Targets, whatif.Target{Class: sim.DefaultClass, ServiceLevel: 0.6})
	w.Pools[0].MaxOccupancy = 0.95
	w.Roster.MaxIterations = 30
	res := runWhatIf(t, w, whatif.Options{Workers: 2})
	r := res.Roster
	require.NotNil(t, r)
	want := []string{
		"queue a serviceLevel@20s >= 70%", "queue a abandonRate <= 8%",
		"queue b serviceLevel@20s >= 90%", "queue b abandonRate <= 8%",
		"class " + sim.DefaultClass + " serviceLevel@20s >= 60%", "pool pa occupancy <= 95%",
	}
	rows := 0
	for _, iv := range r.Intervals {
		var got []string
		met := true
		for _, g := range iv.Targets {
			got = append(got, goalName(g))
			assert.Positive(t, g.Value.N, "interval %s %s: measured over replications", iv.Interval, goalName(g))
			ok := g.Value.Mean >= g.Bound
			if g.Op == "<=" {
				ok = g.Value.Mean <= g.Bound
			}
			assert.Equal(t, ok, g.Met, "interval %s %s: %v against %v", iv.Interval, goalName(g), g.Value, g.Bound)
			met = met && g.Met
		}
		// Every interval has contacts of both queues and pa on duty.
		assert.Equal(t, want, got, "interval %s: the goals checked", iv.Interval)
		assert.Equal(t, met, iv.Met, "interval %s: met is every goal met", iv.Interval)
		rows += len(iv.Targets)
	}
	require.Len(t, r.Goals, len(want))
	for i, g := range r.Goals {
		assert.Equal(t, want[i], g.Goal)
		assert.Equal(t, len(r.Intervals), g.Checked, "%s checked in every interval", g.Goal)
		assert.Equal(t, g.Checked-len(g.Missed), g.Met, "%s: met and missed add up", g.Goal)
		if r.Final.Met {
			assert.Empty(t, g.Missed, "%s: the final roster meets it everywhere", g.Goal)
		}
	}
	assert.True(t, r.Final.Met, "repair meets every goal in every interval: %+v", r.Iterations)
	var b bytes.Buffer
	require.NoError(t, res.WriteGoalsCSV(&b))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	assert.Equal(t, "interval,target,metric,op,bound,mean,half_width,n,met", lines[0])
	assert.Len(t, lines, rows+1, "goals.csv: a row per interval and goal")
	assert.True(t, strings.HasPrefix(lines[1], "00:00,queue a,serviceLevel@20s,>=,0.7,"), "goals.csv: %s", lines[1])
	b.Reset()
	require.NoError(t, res.WriteTable(&b))
	assert.Contains(t, b.String(), "queue b serviceLevel@20s >= 90%: 16 of 16")
}

// goalName is a goal's name as RosterGoal gives it.
func goalName(g whatif.TargetResult) string {
	return g.Target + " " + g.Metric + " " + g.Op + " " + strconv.FormatFloat(100*g.Bound, 'f', -1, 64) + "%"
}
