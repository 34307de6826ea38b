package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// ErlangAServiceLevel returns the share of arrivals to an M/M/c+M queue (arrival rate λ,
// service rate μ, c agents, exponential patience of rate θ) answered within t: those that
// find a free agent, plus those that wait at most t and are still there when an agent takes
// them. It is the service level routesim's simulator reports (answered within t over
// handled and abandoned), in steady state.
//
// An arrival that finds k contacts waiting ahead of it is answered after k+1 departures
// from the head of the queue, each at rate cμ + jθ (j still ahead); racing its own
// patience, it is answered with probability cμ/(cμ+(k+1)θ), and then after a time
// distributed as the (k+1)-th smallest of cμ/θ+k+1 exponential(θ) variables, whose law
// P(≤ t) = I_p(k+1, cμ/θ+1), p = 1-e^{-θt} (regularized incomplete beta) holds for a
// fractional count too. So
//
//	SL(t) = Σ_{n<c} π_n + Σ_{k>=0} π_{c+k} · cμ/(cμ+(k+1)θ) · I_{1-e^{-θt}}(k+1, cμ/θ+1)
//
// with π the stationary law of the birth-death chain (PASTA), truncated once terms fall
// below 1e-16 of the total. At t = 0 it is 1 - P(W>0); as t grows it tends to 1 - P(Ab)
// (ErlangA); as θ → 0 it tends to ErlangCServiceLevel. The cost is O(c + q) for q
// significant queue lengths.
func ErlangAServiceLevel(c int, lambda, mu, theta, t float64) (float64, error) {
	if err := checkMMc(c, lambda, mu); err != nil {
		return 0, err
	}
	if !(theta > 0) || math.IsInf(theta, 0) || !(t >= 0) {
		return 0, fmt.Errorf("%w: abandonment rate %v, threshold %v", ErrInvalid, theta, t)
	}
	if lambda == 0 {
		return 1, nil
	}
	logs := birthDeathLogs(c, lambda, mu, theta)
	maxLog := math.Inf(-1)
	for _, l := range logs {
		maxLog = max(maxLog, l)
	}
	cmu := float64(c) * mu
	p := -math.Expm1(-theta * t)
	b := cmu/theta + 1
	var z, sl float64
	for n, l := range logs {
		w := math.Exp(l - maxLog)
		z += w
		if n < c {
			sl += w
			continue
		}
		k := float64(n - c)
		if p > 0 {
			sl += w * cmu / (cmu + (k+1)*theta) * mathext.RegIncBeta(k+1, b, p)
		}
	}
	return sl / z, nil
}

// birthDeathLogs returns the logs of the unnormalised stationary probabilities of the
// M/M/c+M birth-death chain (birth λ, death min(n,c)μ + max(n-c,0)θ), up to the state where
// they fall below 1e-18 of the largest.
func birthDeathLogs(c int, lambda, mu, theta float64) []float64 {
	logs := []float64{0}
	lp, maxLog := 0.0, 0.0
	for n := 1; ; n++ {
		death := float64(min(n, c))*mu + float64(max(n-c, 0))*theta
		lp += math.Log(lambda) - math.Log(death)
		logs = append(logs, lp)
		maxLog = max(maxLog, lp)
		if n > c && lp-maxLog < math.Log(1e-18) {
			return logs
		}
	}
}

// StaffErlangA returns the fewest agents c for which an M/M/c+M queue (arrival rate λ,
// service rate μ, patience rate θ > 0) answers at least the share slTarget of arrivals
// within t and loses at most the share maxAbandon (give slTarget 0 or maxAbandon 1 to drop
// either goal). Erlang A is stable at any load, so the search starts at one agent. It returns
// an error for goals outside [0, 1] or invalid rates. The cost is O(c·(c + q)).
func StaffErlangA(lambda, mu, theta, t, slTarget, maxAbandon float64) (int, error) {
	if err := checkMMc(1, lambda, mu); err != nil {
		return 0, err
	}
	switch {
	case !(slTarget >= 0 && slTarget < 1) || !(t >= 0):
		return 0, fmt.Errorf("%w: target %v within %v; want 0 <= target < 1 and t >= 0", ErrInvalid, slTarget, t)
	case !(maxAbandon >= 0 && maxAbandon <= 1):
		return 0, fmt.Errorf("%w: abandonment bound %v; want a share in [0, 1]", ErrInvalid, maxAbandon)
	case !(theta > 0) || math.IsInf(theta, 0):
		return 0, fmt.Errorf("%w: abandonment rate %v", ErrInvalid, theta)
	}
	if lambda == 0 {
		return 0, nil
	}
	for c := 1; ; c++ {
		a, err := ErlangA(c, lambda, mu, theta)
		if err != nil {
			return 0, err
		}
		if a.PAbandon > maxAbandon {
			continue
		}
		if slTarget == 0 {
			return c, nil
		}
		sl, err := ErlangAServiceLevel(c, lambda, mu, theta, t)
		if err != nil {
			return 0, err
		}
		if sl >= slTarget {
			return c, nil
		}
	}
}
