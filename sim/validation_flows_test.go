package sim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/simtest"
	"github.com/routesim/routesim/sim/theory"
)

// TestValidationMMcK: a queue whose maxContacts is K - c, served by c agents with Poisson
// arrivals and exponential handle times, is an M/M/c/K system: the share of arrivals it
// blocks is the M/M/c/K blocking probability P_K (theory.MMcKBlocking; Gross and Harris,
// Fundamentals of Queueing Theory, §2.5), inside the 99% interval. The mean wait of the
// admitted contacts is checked too: by Little's law on the same chain,
// W = L_q / (λ(1 - P_K)), L_q = Σ_{n>c} (n - c)·p_n.
func TestValidationMMcK(t *testing.T) {
	simtest.SkipLong(t)
	const c, mu = 5, 1.0 / 300 // 5 agents, 5-minute handle time
	for _, tc := range []struct {
		name     string
		waiting  int // maxContacts = K - c
		rho      float64
		contacts float64
	}{
		{"K=c+1,rho=0.9", 1, 0.9, 2e6},
		{"K=c+3,rho=1.2", 3, 1.2, 2e6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lambda := tc.rho * c * mu
			sc := mmc(c, lambda, mu, hoursFor(tc.contacts, lambda, 20), 20)
			sc.Queues[0].MaxContacts = ptr(tc.waiting)
			res := run(t, sc)
			require.NotNil(t, res.Flows)
			k := c + tc.waiting
			pk, err := theory.MMcKBlocking(c, k, lambda/mu)
			require.NoError(t, err)
			meets(t, "blocked share", res.Flows.Queues[0].BlockRate, pk)
			meets(t, "mean wait (s)", res.Overall.WaitMean, mmckWait(c, k, lambda, mu))
		})
	}
}

// mmckWait is the mean wait in queue of the admitted contacts of an M/M/c/K queue, by
// Little's law on its stationary distribution (Gross and Harris, §2.5).
func mmckWait(c, k int, lambda, mu float64) float64 {
	a := lambda / mu
	p := make([]float64, k+1)
	p[0] = 1
	sum := 1.0
	for n := 1; n <= k; n++ {
		p[n] = p[n-1] * a / float64(min(n, c))
		sum += p[n]
	}
	var lq float64
	for n := c + 1; n <= k; n++ {
		lq += float64(n-c) * p[n] / sum
	}
	return lq / (lambda * (1 - p[k]/sum))
}

// TestValidationCapacityZero: a queue of maxContacts 0 refuses every contact, even with
// agents free, as the routing core does (and Connect's "Transfer to queue" block, which
// compares the contacts in queue with the limit before the contact enters): the Erlang B
// system M/M/c/c is not a queue of capacity 0 in routesim. An at-capacity branch to a
// queue of capacity K - c > 0 gives the M/M/c/K share instead (TestValidationMMcK).
func TestValidationCapacityZero(t *testing.T) {
	sc := mmc(5, 0.01, 1.0/300, 2, 2)
	sc.Queues[0].MaxContacts = ptr(0)
	res := run(t, sc)
	require.NotNil(t, res.Flows)
	require.Positive(t, res.Flows.Overall.Attempts.Mean)
	require.Equal(t, 1.0, res.Flows.Overall.BlockRate.Mean, "capacity 0 blocks all")
	require.Equal(t, 0.0, res.Overall.Offered.Mean, "no contact entered the queue")
}

// TestValidationTransferAndCallback: contacts transferred at once (After 0) from a queue no
// one serves into an M/M/c queue see Erlang C there, their waits counted from the transfer;
// contacts that all accept a callback at once (both from a queue they all wait in), queued after a fixed delay d and always
// connecting, are a Poisson stream delayed by d: their callback segments wait as Erlang C
// says and their callback wait (arrival to connection) is d + the Erlang C mean wait.
func TestValidationTransferAndCallback(t *testing.T) {
	simtest.SkipLong(t)
	const c, mu, rho = 5, 1.0 / 300, 0.85
	lambda := rho * c * mu
	w, err := theory.ErlangCMeanWait(c, lambda, mu)
	require.NoError(t, err)
	pw := theory.ErlangC(c, lambda/mu)
	t.Run("transfer", func(t *testing.T) {
		sc := frontQueue(mmc(c, lambda, mu, hoursFor(8e6, lambda, 20), 20))
		sc.Classes = []sim.Class{{ID: "default", Rules: []sim.Rule{{After: 0, TransferTo: "q"}}}}
		res := run(t, sc)
		q := res.Queues[0]
		meets(t, "P(wait) in q", q.PWait, pw)
		meets(t, "mean wait in q (s)", q.WaitMean, w)
		meets(t, "transfers in / offered", ratioEst(res.Flows.Queues[0].TransfersIn, q.Offered), 1)
	})
	t.Run("callback", func(t *testing.T) {
		const d = 60
		sc := frontQueue(mmc(c, lambda, mu, hoursFor(8e6, lambda, 20), 20))
		sc.Classes = []sim.Class{{ID: "default", Rules: []sim.Rule{{After: 0, Callback: &sim.Callback{Share: 1, Queue: "q",
			InitialCallDelaySeconds: d, MaximumConnectionAttempts: 1}}}}}
		res := run(t, sc)
		meets(t, "P(wait) of callbacks", res.Queues[0].PWait, pw)
		meets(t, "mean wait of callbacks (s)", res.Queues[0].WaitMean, w)
		meets(t, "callback wait (s)", res.Flows.Overall.CallbackWait, d+w)
	})
}

// frontQueue makes the arrivals of an mmc centre enter a queue "front" that its agents
// serve only after 9999 s (in effect never): every contact waits there, for its rule.
func frontQueue(sc *sim.Scenario) *sim.Scenario {
	sc.Queues = append(sc.Queues, routing.QueueConfig{ID: "front"})
	sc.RoutingProfiles[0].Queues = append(sc.RoutingProfiles[0].Queues,
		routing.ProfileQueueConfig{QueueID: "front", Channel: contact.Voice, Priority: 2, DelaySeconds: 9999})
	sc.Arrivals[0].Queue = "front"
	return sc
}

// ratioEst is a plain ratio of two means, as an exact estimate.
func ratioEst(a, b sim.Estimate) sim.Estimate {
	return sim.Estimate{Mean: a.Mean / b.Mean, N: a.N}
}

// TestValidationErlangBZeroPatience: Erlang B's loss system M/M/c/c, the one a queue of
// capacity 0 is not in routesim (TestValidationCapacityZero), is a queue whose contacts wait
// for nobody: patience 0, so a contact no agent takes on arrival leaves at once. Its
// abandonment share is then the Erlang B blocking probability B(c, a) (Erlang 1917; Gross and
// Harris §2.6), and no answered contact waits.
func TestValidationErlangBZeroPatience(t *testing.T) {
	simtest.SkipLong(t)
	const c, mu, rho = 5, 1.0 / 300, 0.9
	lambda := rho * c * mu
	sc := mmc(c, lambda, mu, hoursFor(2e6, lambda, 20), 20)
	zero := sim.Fixed(0)
	sc.Arrivals[0].Patience = &zero
	res := run(t, sc)
	meets(t, "abandoned share", res.Overall.AbandonRate, theory.ErlangB(c, lambda/mu))
	assert.Zero(t, res.Overall.WaitMax.Mean, "no answered contact waits")
}
