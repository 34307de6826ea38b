package fit_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/fit"
	"github.com/routesim/routesim/sim/simtest"
)

// knownScenario is the round trip's truth: one voice queue at 120 contacts an hour,
// lognormal handle time (mean 4 min, cv 0.8), exponential patience (mean 3 min), 10 agents
// on duty all the time with gamma after-contact work (mean 30 s, cv 0.5): 8 Erlangs of
// handle time plus 1 of after-contact work on 10 agents, so contacts wait and some abandon.
func knownScenario(days int) *sim.Scenario {
	acw := sim.Dist{Type: sim.Gamma, Mean: sim.Duration(30 * time.Second), CV: 0.5}
	patience := sim.Exp(sim.Duration(3 * time.Minute))
	return &sim.Scenario{
		Horizon: sim.Duration(time.Duration(days) * 24 * time.Hour), Replications: 2, Seed: 8,
		Start:           "2024-03-04T00:00:00Z",
		Queues:          []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p", Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups:     []sim.AgentGroup{{ID: "g", Count: 10, RoutingProfileID: "p", AfterContactWork: &acw}},
		Arrivals: []sim.Arrivals{{Queue: "q", Channel: contact.Voice, RatePerHour: 120,
			HandleTime: sim.Dist{Type: sim.LogNormal, Mean: sim.Duration(4 * time.Minute), CV: 0.8}, Patience: &patience}},
	}
}

// simulate runs sc and returns its contacts as contact records, one JSON object a line.
func simulate(t testing.TB, sc *sim.Scenario) []byte {
	t.Helper()
	var buf bytes.Buffer
	rw, err := fit.NewRecordWriter(&buf, sc, sc.Seed)
	require.NoError(t, err)
	var werr error
	_, err = sim.Run(context.Background(), sc, sim.RunOptions{Workers: 1, OnContact: func(rep int, c sim.ContactRecord) {
		if werr == nil {
			werr = rw.Write(rep, &c)
		}
	}})
	require.NoError(t, err)
	require.NoError(t, werr)
	require.NoError(t, rw.Flush())
	return buf.Bytes()
}

// TestRoundTrip simulates a known scenario, writes its records, fits them, and requires
// the fitted rate, mean handle time, mean after-contact work and mean patience to hold the
// originals inside their 99% intervals (fixed seed 8; each interval misses 1 time in 100
// by design, and seed 7 happens to draw a sample mean handle time 2.6 standard errors
// above 240 s). 2 replications of 2 days by default
// (daily cycle); with ROUTESIM_LONG=1, 2 of 10 days (20 days: the weekly cycle).
func TestRoundTrip(t *testing.T) {
	days := 2
	if simtest.Long() {
		days = 10
	}
	sc := knownScenario(days)
	recs := simulate(t, sc)
	d := fit.NewData()
	require.NoError(t, d.Read("sim", bytes.NewReader(recs)))
	require.Zero(t, d.Bad, "bad records: %v", d.BadExamples)
	res, err := fit.Fit(d, fit.Options{Confidence: 0.99})
	require.NoError(t, err)
	rep := res.Report
	assert.Equal(t, 2*days, rep.Days, "replications follow one another in time")
	assert.Equal(t, 2*days >= fit.WeeklyDays, rep.Weekly)
	assert.Equal(t, sc.Start, res.Scenario.Start, "the fitted cycle starts where the simulation did (a Monday)")
	require.Len(t, rep.Lanes, 1)
	l := rep.Lanes[0]
	assert.Equal(t, "q", l.Queue)
	inside := func(what string, want, lo, hi float64) {
		t.Helper()
		assert.True(t, lo <= want && want <= hi, "%s: %v outside the fitted 99%% interval [%v, %v]", what, want, lo, hi)
	}
	inside("rate per hour", 120, l.RateLo, l.RateHi)
	require.NotNil(t, l.Handle)
	inside("mean handle s", 240, l.Handle.MeanLo, l.Handle.MeanHi)
	assert.Equal(t, sim.LogNormal, l.Handle.Dist.Type)
	require.NotNil(t, l.Patience)
	require.NotNil(t, l.Patience.Dist)
	assert.Positive(t, l.Patience.Abandoned)
	inside("mean patience s", 180, l.Patience.MeanLo, l.Patience.MeanHi)
	require.Len(t, rep.Groups, 1)
	g := rep.Groups[0]
	assert.Equal(t, "p", g.ID, "the group is named for its routing profile")
	require.NotNil(t, g.ACW)
	inside("mean after-contact work s", 30, g.ACW.MeanLo, g.ACW.MeanHi)
	assert.Equal(t, 10, g.Agents, "all 10 agents are seen busy in the busiest interval")
	// On another clock (UTC+1), the days are cut elsewhere, the first and last local days
	// are partial, and the rate still holds: only the observed intervals count.
	cet, err := fit.Fit(d, fit.Options{Confidence: 0.99, Location: time.FixedZone("CET", 3600)})
	require.NoError(t, err)
	assert.Equal(t, "2024-03-04T00:00:00+01:00", cet.Scenario.Start)
	assert.Equal(t, 2*days+1, cet.Report.Days)
	inside("rate per hour in UTC+1", 120, cet.Report.Lanes[0].RateLo, cet.Report.Lanes[0].RateHi)
	// The fitted scenario runs.
	fsc := res.Scenario
	fsc.Replications = 1
	_, err = sim.Run(context.Background(), fsc, sim.RunOptions{Workers: 1})
	require.NoError(t, err)
}

// TestRecordsAreDeterministicAndComplete: the same seed gives the same bytes; every
// contact after the warm-up is written once; contacts open at the horizon have no
// DisconnectTimestamp.
func TestRecordsAreDeterministicAndComplete(t *testing.T) {
	sc := knownScenario(1)
	sc.Warmup = sim.Duration(time.Hour)
	a, b := simulate(t, sc), simulate(t, sc)
	require.Equal(t, a, b)
	d := fit.NewData()
	require.NoError(t, d.Read("sim", bytes.NewReader(a)))
	assert.Zero(t, d.Duplicates, "ContactIds are unique across replications")
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Workers: 1})
	require.NoError(t, err)
	var measured int64
	for _, r := range res.Reps {
		measured += int64(r.Overall.Offered)
	}
	assert.Equal(t, int(measured), d.Contacts(), "one record per contact arrived after the warm-up")
	open := bytes.Count(a, []byte("\n")) - bytes.Count(a, []byte(`"DisconnectTimestamp"`))
	var atHorizon int64
	for _, r := range res.Reps {
		atHorizon += r.Totals.Waiting + r.Totals.InService
	}
	assert.Positive(t, atHorizon)
	assert.LessOrEqual(t, int64(open), atHorizon, "only contacts open at the horizon lack a DisconnectTimestamp")
	assert.Positive(t, open)
}

// TestRecordInitiation: a simulated contact's record carries INBOUND or API for an
// arrival, and the ContactRecord's Initiation (QUEUE_TRANSFER, CALLBACK) when set.
func TestRecordInitiation(t *testing.T) {
	rw, err := fit.NewRecordWriter(&bytes.Buffer{}, knownScenario(1), 1)
	require.NoError(t, err)
	for _, tc := range []struct {
		ch         contact.Channel
		initiation string
		want       string
	}{
		{contact.Voice, "", "INBOUND"},
		{contact.Task, "", "API"},
		{contact.Voice, "QUEUE_TRANSFER", "QUEUE_TRANSFER"},
		{contact.Voice, "CALLBACK", "CALLBACK"},
	} {
		c := &sim.ContactRecord{Queue: "q", Channel: tc.ch, Initiation: tc.initiation, Routed: -1, Ended: -1, Reason: routing.NotEnded}
		assert.Equal(t, tc.want, rw.Record(0, c).InitiationMethod, "%s %q", tc.ch, tc.initiation)
	}
}
