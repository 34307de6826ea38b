package sim_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// TestRealismOffIsBitForBit: the example scenario with the features present but off
// (demandCV 0, redial probability 0 on every stream) gives the figures of the scenario
// without them, bit for bit; and each feature on changes them (so the comparison can
// fail). The figures without them were also checked against the commit before the
// features existed (routesim run -format json, same SHA-256).
func TestRealismOffIsBitForBit(t *testing.T) {
	base := load(t, "testdata/example.json")
	want := fingerprint(t, runWorkers(t, base, 2))
	off := load(t, "testdata/example.json")
	off.DemandCV = 0
	for i := range off.Arrivals {
		off.Arrivals[i].Redial = &sim.Redial{Probability: 0, Delay: sim.Exp(sim.Duration(time.Minute))}
	}
	assert.Equal(t, want, fingerprint(t, runWorkers(t, off, 2)), "features off")
	for name, on := range map[string]func(sc *sim.Scenario){
		"demand": func(sc *sim.Scenario) { sc.DemandCV = 0.1 },
		"redial": func(sc *sim.Scenario) {
			sc.Arrivals[0].Redial = &sim.Redial{Probability: 0.5, Delay: sim.Exp(sim.Duration(time.Minute))}
		},
		"class times": func(sc *sim.Scenario) {
			sc.AgentGroups[0].ClassTimes = []sim.ClassTimes{{Class: "gold", HandleTime: ptr(sim.Fixed(sim.Duration(time.Minute)))}}
		},
	} {
		sc := load(t, "testdata/example.json")
		on(sc)
		a, b := fingerprint(t, runWorkers(t, sc, 1)), fingerprint(t, runWorkers(t, sc, 2))
		assert.Equal(t, a, b, "%s: the same on 1 and 2 workers", name)
		assert.NotEqual(t, want, a, "%s on changes the figures", name)
	}
}

func ptr[T any](v T) *T { return &v }

func runWorkers(t *testing.T, sc *sim.Scenario, workers int) *sim.Result {
	t.Helper()
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Workers: workers})
	require.NoError(t, err)
	return res
}

func TestRealismFieldErrors(t *testing.T) {
	exp := sim.Exp(sim.Duration(time.Minute))
	for _, tc := range []struct {
		name   string
		break_ func(sc *sim.Scenario)
		want   string
	}{
		{"demand cv", func(sc *sim.Scenario) { sc.DemandCV = -1 }, "demandCV: -1 is not a number in [0, 10]"},
		{"demand NaN", func(sc *sim.Scenario) { sc.DemandCV = math.NaN() }, "demandCV: NaN"},
		{"class times class", func(sc *sim.Scenario) {
			sc.AgentGroups[1].ClassTimes = []sim.ClassTimes{{Class: "x", HandleTime: &exp}}
		},
			`agentGroups[1].classTimes[0].class: unknown class "x"`},
		{"class times twice", func(sc *sim.Scenario) {
			sc.AgentGroups[0].ClassTimes = []sim.ClassTimes{{Class: "gold", HandleTime: &exp}, {Class: "gold", AfterContactWork: &exp}}
		}, `agentGroups[0].classTimes[1].class: class "gold" is overridden twice`},
		{"class times empty", func(sc *sim.Scenario) { sc.AgentGroups[0].ClassTimes = []sim.ClassTimes{{Class: "gold"}} },
			"agentGroups[0].classTimes[0]: give handleTime, afterContactWork or both"},
		{"class times dist", func(sc *sim.Scenario) {
			sc.AgentGroups[0].ClassTimes = []sim.ClassTimes{{Class: "gold", AfterContactWork: &sim.Dist{Type: "weibull"}}}
		}, "agentGroups[0].classTimes[0].afterContactWork.type"},
		{"redial probability", func(sc *sim.Scenario) { sc.Arrivals[2].Redial = &sim.Redial{Probability: 1.5, Delay: exp} },
			"arrivals[2].redial.probability: 1.5 is not in [0, 1]"},
		{"redial delay", func(sc *sim.Scenario) { sc.Arrivals[0].Redial = &sim.Redial{Probability: 0.5} }, "arrivals[0].redial.delay.type: missing"},
		{"start", func(sc *sim.Scenario) { sc.Start = "monday" }, `start: "monday" is not an RFC 3339 time`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := load(t, "testdata/example.json")
			tc.break_(sc)
			err := sc.Validate()
			var se *sim.ScenarioError
			require.True(t, errors.As(err, &se), "got %v; want a *ScenarioError", err)
			assert.True(t, strings.Contains(err.Error(), tc.want), "got %q; want it to contain %q", err, tc.want)
		})
	}
}

// TestClassTimesOverride: agents of group "slow" take contacts of class "b" in exactly
// 100 s and do 7 s of after-contact work for them; other contacts keep their stream's draws
// and the group's work.
func TestClassTimesOverride(t *testing.T) {
	sc := mmc(4, 120.0/3600, 1.0/180, 4, 2, sim.ClassWeight{Class: "a", Weight: 1}, sim.ClassWeight{Class: "b", Weight: 1})
	sc.Classes = []sim.Class{{ID: "a"}, {ID: "b"}}
	acw := sim.Fixed(sim.Duration(3 * time.Second))
	sc.AgentGroups = append(sc.AgentGroups, sim.AgentGroup{ID: "slow", Count: 4, RoutingProfileID: "p", AfterContactWork: &acw,
		ClassTimes: []sim.ClassTimes{{Class: "b", HandleTime: ptr(sim.Fixed(sim.Duration(100 * time.Second))), AfterContactWork: ptr(sim.Fixed(sim.Duration(7 * time.Second)))}}})
	counts := map[string]int{}
	_, err := sim.Run(context.Background(), sc, sim.RunOptions{Workers: 1, OnContact: func(_ int, c sim.ContactRecord) {
		if c.Routed < 0 {
			return
		}
		key := c.Group + "/" + c.Class
		counts[key]++
		is100 := c.HandleTime == sim.Duration(100*time.Second)
		if key == "slow/b" {
			assert.True(t, is100, "slow/b handle %v; want 100s", c.HandleTime)
			if c.Ended >= 0 {
				assert.Equal(t, sim.Duration(7*time.Second), c.AfterContactWork)
			}
		} else if c.Group == "slow" && c.Ended >= 0 {
			assert.Equal(t, sim.Duration(3*time.Second), c.AfterContactWork, "slow/a keeps the group's work")
		}
		if c.Group == "agents" {
			assert.Zero(t, c.AfterContactWork)
		}
	}})
	require.NoError(t, err)
	for _, k := range []string{"slow/a", "slow/b", "agents/a", "agents/b"} {
		assert.Greater(t, counts[k], 100, "%s: %v", k, counts)
	}
}

// TestDemandCVSpreadsReplications: with demandCV 0.3, offered contacts per replication vary
// far more than Poisson's √n, and the mean factor stays near 1.
func TestDemandCVSpreadsReplications(t *testing.T) {
	sc := mmc(200, 1000.0/3600, 1.0/60, 1, 60)
	sc.DemandCV = 0.3
	res := runWorkers(t, sc, 0)
	var sum, ss, fsum float64
	n := float64(len(res.Reps))
	for _, r := range res.Reps {
		sum += r.Overall.Offered
		fsum += r.DemandFactor
	}
	mean := sum / n
	for _, r := range res.Reps {
		ss += (r.Overall.Offered - mean) * (r.Overall.Offered - mean)
	}
	sd := math.Sqrt(ss / (n - 1))
	// Offered over the measured hour: mean 1000, sd √(1000 + (0.3·1000)²) ≈ 302 (a gamma
	// mixture of Poissons); Poisson alone would give 32.
	assert.Greater(t, sd, 150.0, "sd of offered per replication")
	assert.InDelta(t, 1000, mean, 4*302/math.Sqrt(n), "mean offered")
	assert.InDelta(t, 1, fsum/n, 4*0.3/math.Sqrt(n), "mean factor")
}

// TestRedials: every abandonment redials with probability 0.5 after 60 s; the redials
// counted equal the coin's successes within a 99.9% binomial band, and the attempt
// breakdown adds up to the overall figures.
func TestRedials(t *testing.T) {
	sc := mmc(3, 60.0/3600, 1.0/180, 4, 4)
	patience := sim.Exp(sim.Duration(time.Minute))
	sc.Arrivals[0].Patience = &patience
	sc.Arrivals[0].Redial = &sim.Redial{Probability: 0.5, Delay: sim.Fixed(sim.Duration(time.Minute))}
	var eligible, redials float64
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Workers: 1, OnContact: func(_ int, c sim.ContactRecord) {
		if c.Redial {
			redials++
		}
		if c.Reason == routing.Abandoned && c.Ended+sim.Duration(time.Minute) < sc.Horizon {
			eligible++
		}
	}})
	require.NoError(t, err)
	require.Greater(t, eligible, 500.0)
	assert.InDelta(t, 0.5*eligible, redials, 3.3*math.Sqrt(eligible*0.25)+1, "redials of %v abandonments", eligible)
	require.Len(t, res.Attempts, 2)
	assert.Equal(t, "first", res.Attempts[0].Key)
	for _, r := range res.Reps {
		assert.Equal(t, r.Overall.Offered, r.Attempts[0].Offered+r.Attempts[1].Offered)
		assert.Positive(t, r.Attempts[1].Offered)
	}
}
