package theory_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/theory"
)

func TestErlangAServiceLevelLimits(t *testing.T) {
	for _, tt := range []struct {
		c                 int
		lambda, mu, theta float64
	}{
		{5, 4, 1, 0.5},
		{20, 1.0 / 10, 1.0 / 180, 1.0 / 120},
		{100, 100.0 / 300 * 1.05, 1.0 / 300, 1.0 / 600},
	} {
		t.Run(fmt.Sprintf("c=%d", tt.c), func(t *testing.T) {
			a, err := theory.ErlangA(tt.c, tt.lambda, tt.mu, tt.theta)
			require.NoError(t, err)
			at0, err := theory.ErlangAServiceLevel(tt.c, tt.lambda, tt.mu, tt.theta, 0)
			require.NoError(t, err)
			assert.InDelta(t, 1-a.PWait, at0, 1e-9, "SL(0) is 1 - P(wait)")
			atInf, err := theory.ErlangAServiceLevel(tt.c, tt.lambda, tt.mu, tt.theta, 1e7)
			require.NoError(t, err)
			assert.InDelta(t, 1-a.PAbandon, atInf, 1e-9, "SL(∞) is 1 - P(abandon)")
			prev := at0
			for _, x := range []float64{5, 20, 60, 300} {
				sl, err := theory.ErlangAServiceLevel(tt.c, tt.lambda, tt.mu, tt.theta, x)
				require.NoError(t, err)
				assert.GreaterOrEqual(t, sl, prev, "SL grows with t (t=%v)", x)
				prev = sl
			}
		})
	}
}

func TestErlangAServiceLevelTendsToErlangC(t *testing.T) {
	c, lambda, mu := 10, 8.0/300, 1.0/300
	want, err := theory.ErlangCServiceLevel(c, lambda, mu, 20)
	require.NoError(t, err)
	got, err := theory.ErlangAServiceLevel(c, lambda, mu, 1e-9, 20)
	require.NoError(t, err)
	assert.InDelta(t, want, got, 1e-5, "θ → 0: Erlang C's P(W <= 20 s)")
}

// TestErlangAServiceLevelMonteCarlo checks the closed form against a direct sampling of an
// arrival's fate: its state from the birth-death chain (ErlangABirthDeath's law), then the
// departures ahead of it racing its own exponential patience.
func TestErlangAServiceLevelMonteCarlo(t *testing.T) {
	c, lambda, mu, theta, thr := 4, 3.6, 1.0, 0.7, 0.5
	// Stationary law of the chain, truncated.
	var pi []float64
	p, z := 1.0, 0.0
	for n := 0; n < 200; n++ {
		if n > 0 {
			p *= lambda / (float64(min(n, c))*mu + float64(max(n-c, 0))*theta)
		}
		pi = append(pi, p)
		z += p
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const draws = 400_000
	ok := 0
	for range draws {
		u, n := rng.Float64()*z, 0
		for u > pi[n] {
			u -= pi[n]
			n++
		}
		if n < c {
			ok++
			continue
		}
		ahead, w, served := n-c, 0.0, false
		patience := rng.ExpFloat64() / theta
		for {
			w += rng.ExpFloat64() / (float64(c)*mu + float64(ahead)*theta)
			if w > patience {
				break
			}
			if ahead == 0 {
				served = true
				break
			}
			ahead--
		}
		if served && w <= thr {
			ok++
		}
	}
	got, err := theory.ErlangAServiceLevel(c, lambda, mu, theta, thr)
	require.NoError(t, err)
	mc := float64(ok) / draws
	se := math.Sqrt(mc * (1 - mc) / draws)
	assert.InDelta(t, mc, got, 4*se, "closed form %v against Monte Carlo %v ± %v", got, mc, se)
}

func TestStaffErlangA(t *testing.T) {
	lambda, mu, theta := 100.0/3600, 1.0/300, 1.0/180
	c, err := theory.StaffErlangA(lambda, mu, theta, 20, 0.8, 0.05)
	require.NoError(t, err)
	ok := func(c int) bool {
		a, _ := theory.ErlangA(c, lambda, mu, theta)
		sl, _ := theory.ErlangAServiceLevel(c, lambda, mu, theta, 20)
		return sl >= 0.8 && a.PAbandon <= 0.05
	}
	assert.True(t, ok(c), "%d agents meet the goals", c)
	assert.False(t, ok(c-1), "%d agents do not", c-1)
	cc, _ := theory.StaffErlangC(lambda, mu, 20, 0.8)
	assert.LessOrEqual(t, c, cc, "impatient callers never need more agents than Erlang C")
	_, err = theory.StaffErlangA(lambda, mu, 0, 20, 0.8, 0.05)
	assert.True(t, errors.Is(err, theory.ErrInvalid), "θ = 0: got %v; want ErrInvalid", err)
}
