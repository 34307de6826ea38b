package sim_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/simtest"
	"github.com/routesim/routesim/sim/theory"
)

// The validation tests compare the simulator with queueing theory (package theory, whose
// formulas name their sources): each figure's 99% confidence interval over independent
// replications must contain the oracle and be narrow, its half-width at most maxRelHW of
// the mean. They simulate tens of millions of contacts, so they skip under the race detector
// and -short, and run only when ROUTESIM_LONG=1 is set (see package simtest); CI runs them in a
// step of their own without -race.

const (
	confidence = 0.99
	maxRelHW   = 0.035 // "about ±3%"
)

// mmc returns an M/M/c centre: one voice queue, c agents, Poisson arrivals at lambda per
// second, exponential handle time of mean 1/mu seconds, observed for hours after a warm-up of
// one hour, over reps replications. Classes, when given, split the arrivals by weight.
func mmc(c int, lambda, mu, hours float64, reps int, classes ...sim.ClassWeight) *sim.Scenario {
	h := sim.Duration(time.Duration((hours + 1) * float64(time.Hour)))
	return &sim.Scenario{
		Name:         "mmc",
		Horizon:      h,
		Warmup:       sim.Duration(time.Hour),
		Interval:     h,
		Cycle:        h,
		Replications: reps,
		Seed:         20240501,
		ServiceLevel: []sim.Duration{sim.Duration(20 * time.Second)},
		Queues:       []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p",
			Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups: []sim.AgentGroup{{ID: "agents", Count: c, RoutingProfileID: "p"}},
		Arrivals: []sim.Arrivals{{Queue: "q", RatePerHour: lambda * 3600, Classes: classes,
			HandleTime: sim.Exp(sim.Duration(time.Duration(1 / mu * float64(time.Second))))}},
	}
}

func run(t *testing.T, sc *sim.Scenario) *sim.Result {
	t.Helper()
	start := time.Now()
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Confidence: confidence})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d replications, %d contacts in %v", res.Replications, res.Contacts, time.Since(start).Round(time.Millisecond))
	return res
}

// meets checks that the oracle lies inside the estimate's interval and that the interval is
// narrow.
func meets(t *testing.T, name string, got sim.Estimate, oracle float64) {
	t.Helper()
	t.Logf("%-28s sim %.5g ± %.3g (±%.1f%%, 99%%)   theory %.5g", name, got.Mean, got.HalfWidth, 100*got.RelHalfWidth(), oracle)
	if !got.Contains(oracle) {
		t.Errorf("%s: theory %.5g outside the 99%% interval %.5g ± %.3g", name, oracle, got.Mean, got.HalfWidth)
	}
	if got.RelHalfWidth() > maxRelHW {
		t.Errorf("%s: interval ±%.1f%% is wider than ±%.1f%%", name, 100*got.RelHalfWidth(), 100*maxRelHW)
	}
}

func TestValidationErlangC(t *testing.T) {
	simtest.SkipLong(t)
	const c, mu = 5, 1.0 / 300 // 5 agents, 5-minute handle time
	for _, tc := range []struct {
		rho      float64
		contacts float64
	}{
		{0.70, 4e6},
		{0.85, 8e6},
	} {
		t.Run("rho="+ftoa(tc.rho), func(t *testing.T) {
			lambda := tc.rho * c * mu
			res := run(t, mmc(c, lambda, mu, hoursFor(tc.contacts, lambda, 20), 20))
			w, err := theory.ErlangCMeanWait(c, lambda, mu)
			if err != nil {
				t.Fatal(err)
			}
			sl, err := theory.ErlangCServiceLevel(c, lambda, mu, 20)
			if err != nil {
				t.Fatal(err)
			}
			meets(t, "P(wait)", res.Overall.PWait, theory.ErlangC(c, lambda/mu))
			meets(t, "mean wait (s)", res.Overall.WaitMean, w)
			meets(t, "P(W <= 20 s)", res.Overall.ServiceLevel[0], sl)
		})
	}
}

func TestValidationErlangA(t *testing.T) {
	simtest.SkipLong(t)
	const c, mu, theta = 20, 1.0 / 300, 1.0 / 600 // patience of mean 10 minutes
	for _, tc := range []struct {
		rho      float64
		contacts float64
	}{
		{0.95, 4e6},
		{1.10, 2e6},
	} {
		t.Run("rho="+ftoa(tc.rho), func(t *testing.T) {
			lambda := tc.rho * c * mu
			sc := mmc(c, lambda, mu, hoursFor(tc.contacts, lambda, 20), 20)
			sc.Arrivals[0].Patience = &sim.Dist{Type: sim.Exponential, Mean: sim.Duration(time.Duration(1 / theta * float64(time.Second)))}
			res := run(t, sc)
			a, err := theory.ErlangA(c, lambda, mu, theta)
			if err != nil {
				t.Fatal(err)
			}
			meets(t, "P(abandon)", res.Overall.AbandonRate, a.PAbandon)
			meets(t, "mean wait (s)", res.Overall.WaitMean, a.MeanWait)
			meets(t, "P(wait)", res.Overall.PWait, a.PWait)
		})
	}
}

func TestValidationCobham(t *testing.T) {
	simtest.SkipLong(t)
	const c, mu, rho = 5, 1.0 / 300, 0.8
	shares := []float64{0.2, 0.3, 0.5}
	lambda := rho * c * mu
	sc := mmc(c, lambda, mu, hoursFor(10e6, lambda, 20), 20,
		sim.ClassWeight{Class: "p1", Weight: shares[0]},
		sim.ClassWeight{Class: "p2", Weight: shares[1]},
		sim.ClassWeight{Class: "p3", Weight: shares[2]})
	sc.Classes = []sim.Class{{ID: "p1", Priority: 1}, {ID: "p2", Priority: 2}, {ID: "p3", Priority: 3}}
	res := run(t, sc)
	lambdas := []float64{shares[0] * lambda, shares[1] * lambda, shares[2] * lambda}
	w, err := theory.Cobham(c, mu, lambdas)
	if err != nil {
		t.Fatal(err)
	}
	for k := range w {
		meets(t, "mean wait (s), "+res.Classes[k].Key, res.Classes[k].WaitMean, w[k])
	}
}

// TestValidationConservation mixes priorities, initial age adjustments and timed rules; with
// equal exponential service, no abandonment and no profile delays every such rule is work
// conserving and non-anticipating, so the arrival-weighted mean wait is Erlang C's
// (Kleinrock's conservation law).
func TestValidationConservation(t *testing.T) {
	simtest.SkipLong(t)
	const c, mu, rho = 5, 1.0 / 300, 0.8
	lambda := rho * c * mu
	sc := mmc(c, lambda, mu, hoursFor(6e6, lambda, 20), 20,
		sim.ClassWeight{Class: "vip", Weight: 1},
		sim.ClassWeight{Class: "aged", Weight: 2},
		sim.ClassWeight{Class: "escalated", Weight: 3},
		sim.ClassWeight{Class: "default", Weight: 4})
	p1, p4 := int64(1), int64(4)
	plus, minus := sim.Duration(300*time.Second), sim.Duration(-120*time.Second)
	sc.Classes = []sim.Class{
		{ID: "vip", Priority: 2},
		{ID: "aged", AgeAdjustment: sim.Duration(600 * time.Second), Rules: []sim.Rule{{After: sim.Duration(60 * time.Second), AddAge: &minus}}},
		{ID: "escalated", Priority: 7, Rules: []sim.Rule{
			{After: sim.Duration(30 * time.Second), SetPriority: &p4},
			{After: sim.Duration(120 * time.Second), SetPriority: &p1},
			{After: sim.Duration(90 * time.Second), AddAge: &plus},
		}},
	}
	res := run(t, sc)
	w, err := theory.ErlangCMeanWait(c, lambda, mu)
	if err != nil {
		t.Fatal(err)
	}
	meets(t, "mean wait (s), all classes", res.Overall.WaitMean, w)
	for _, k := range res.Classes {
		t.Logf("  class %-10s mean wait %v", k.Key, k.WaitMean)
	}
}

// hoursFor returns the hours each of reps replications must run for contacts arrivals in
// all at lambda per second.
func hoursFor(contacts, lambda float64, reps int) float64 {
	return contacts / (lambda * 3600) / float64(reps)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
