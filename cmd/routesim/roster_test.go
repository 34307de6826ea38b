package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/simtest"
	"github.com/routesim/routesim/sim/whatif"
)

// rosterFile writes a small what-if with a roster: a 6-hour cycle of 30-minute intervals,
// one queue and pool, 2- and 4-hour shifts.
func rosterFile(t *testing.T) string {
	t.Helper()
	spec := `{
  "name": "small roster",
  "scenario": {
    "horizon": "6h", "interval": "30m", "cycle": "6h",
    "queues": [{"id": "q"}],
    "routingProfiles": [{"id": "p", "queues": [{"queueId": "q", "channel": "VOICE", "priority": 1}]}],
    "agentGroups": [{"id": "agents", "count": 5, "routingProfileId": "p"}],
    "arrivals": [{"queue": "q", "ratesPerHour": [30, 50, 70, 90, 90, 70, 60, 60, 50, 40, 30, 20],
      "handleTime": {"type": "exponential", "mean": "4m"}, "patience": {"type": "exponential", "mean": "3m"}}]
  },
  "reps": 3,
  "targets": [{"queue": "q", "serviceLevel": 0.75, "within": "20s", "maxAbandon": 0.08}],
  "solve": {"horizon": "1h", "warmup": "15m"},
  "pools": [{"pool": "p", "shrinkage": 0.2, "costPerHour": 25}],
  "roster": {"maxIterations": 6, "templates": [
    {"name": "long", "pool": "p", "earliestStart": "0s", "latestStart": "2h", "length": "4h",
     "breaks": [{"length": "30m", "after": "1h", "before": "3h"}]},
    {"name": "short", "pool": "p", "earliestStart": "0s", "latestStart": "4h", "length": "2h"}
  ]}
}`
	path := filepath.Join(t.TempDir(), "roster.json")
	require.NoError(t, os.WriteFile(path, []byte(spec), 0o644))
	return path
}

// TestWhatIfRosterShardsMerge: a what-if with a roster writes roster.csv, coverage.csv and
// goals.csv and
// prints the roster; its shards build none, and merge builds the roster exactly as the
// unsharded run does, byte for byte.
func TestWhatIfRosterShardsMerge(t *testing.T) {
	spec := rosterFile(t)
	tmp := t.TempDir()
	whole, parts, merged := filepath.Join(tmp, "whole"), filepath.Join(tmp, "parts"), filepath.Join(tmp, "merged")
	out := mustRunCommand(t, "whatif", "-scenario", spec, "-out", whole, "-charts=false")
	for _, s := range []string{"Roster from shift templates", "LP bound", "two-step", "roster search took: LP", "goals per interval", "roster.csv", "coverage.csv", "goals.csv"} {
		assert.Contains(t, out, s)
	}
	for i := range 2 {
		mustRunCommand(t, "whatif", "-scenario", spec, "-out", parts, "-shard", fmt.Sprintf("%d/2", i), "-workers", "1")
	}
	mustRunCommand(t, "merge", "-out", merged, "-charts=false", "-workers", "1", parts)
	for _, f := range []string{"whatif.json", "staffing.csv", "roster.csv", "coverage.csv", "goals.csv"} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "merged %s differs from the unsharded run's", f)
	}
	csv, err := os.ReadFile(filepath.Join(whole, "roster.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(csv), "roster,template,pool,start,end,agents,cost\n"), "roster.csv: %s", csv)
	assert.Contains(t, string(csv), "final,")
	goals, err := os.ReadFile(filepath.Join(whole, "goals.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(goals), "interval,target,metric,op,bound,mean,half_width,n,met\n"), "goals.csv: %.200s", goals)
	assert.Contains(t, string(goals), ",queue ", "goals.csv checks queue goals per interval")
}

// TestWhatIfRosterWeekExample checks the documented weekly example
// (docs/whatif-roster-week.json): always that it is a valid what-if; with ROUTESIM_LONG=1
// (3 to 10 s on 2 cores) that it runs and that the final roster meets every goal in every
// interval, with fewer intervals missed than the two-step roster.
func TestWhatIfRosterWeekExample(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "whatif-roster-week.json")
	w, err := whatif.Load(path)
	require.NoError(t, err)
	_, err = whatif.Fingerprint(w, 0, nil)
	require.NoError(t, err, "the example is a valid what-if")
	if os.Getenv("ROUTESIM_LONG") == "" || simtest.Race {
		t.Skip("running a week of two pools: set ROUTESIM_LONG=1")
	}
	dir := t.TempDir()
	start := time.Now()
	out := mustRunCommand(t, "whatif", "-scenario", path, "-out", dir, "-charts=false")
	t.Logf("the weekly example took %v", time.Since(start))
	assert.Contains(t, out, "Roster from shift templates")
	b, err := os.ReadFile(filepath.Join(dir, "whatif.json"))
	require.NoError(t, err)
	res, err := whatif.ReadResult(bytes.NewReader(b))
	require.NoError(t, err)
	r := res.Roster
	require.NotNil(t, r)
	assert.Less(t, r.Final.IntervalsMissed, r.TwoStep.IntervalsMissed, "repair")
	assert.True(t, r.Final.Met, "the final roster meets every target")
	// Every goal (each queue's, the VIPs', each pool's occupancy cap) is checked in every
	// open interval, and met in each by the final roster.
	require.Len(t, r.Goals, 7)
	for _, g := range r.Goals {
		assert.Equal(t, g.Checked, g.Met, "%s: missed in %v", g.Goal, g.Missed)
		assert.Greater(t, g.Checked, 270, "%s: checked in every open interval", g.Goal)
	}
}
