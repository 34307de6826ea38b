package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

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
