package theory

import (
	"errors"
	"fmt"
	"math"
)

// Errors reported by this package. Match them with errors.Is.
var (
	// ErrInvalid: an input is out of its domain (negative rate, no agents, ...).
	ErrInvalid = errors.New("theory: invalid input")
	// ErrUnstable: the offered load is not below the number of agents.
	ErrUnstable = errors.New("theory: unstable system")
)

func checkMMc(c int, lambda, mu float64) error {
	switch {
	case c < 1:
		return fmt.Errorf("%w: %d agents; want at least 1", ErrInvalid, c)
	case !(lambda >= 0) || math.IsInf(lambda, 0):
		return fmt.Errorf("%w: arrival rate %v", ErrInvalid, lambda)
	case !(mu > 0) || math.IsInf(mu, 0):
		return fmt.Errorf("%w: service rate %v", ErrInvalid, mu)
	}
	return nil
}

// ErlangB returns the Erlang B blocking probability B(c, a) for c agents and offered load a,
// by the stable recursion B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)). The cost is O(c).
func ErlangB(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC returns the probability of waiting C(c, a) = B / (1 - ρ(1 - B)), ρ = a/c, for an
// M/M/c queue. It returns 1 when a >= c (every arrival waits in an unstable system). The cost
// is O(c).
func ErlangC(c int, a float64) float64 {
	rho := a / float64(c)
	if rho >= 1 {
		return 1
	}
	b := ErlangB(c, a)
	return b / (1 - rho*(1-b))
}

// ErlangCMeanWait returns the mean wait in queue C/(cμ - λ) of an M/M/c queue, over all
// arrivals. The cost is O(c).
func ErlangCMeanWait(c int, lambda, mu float64) (float64, error) {
	if err := checkStable(c, lambda, mu); err != nil {
		return 0, err
	}
	return ErlangC(c, lambda/mu) / (float64(c)*mu - lambda), nil
}

// ErlangCServiceLevel returns P(W <= t) = 1 - C·exp(-(cμ - λ)t) for an M/M/c queue.
func ErlangCServiceLevel(c int, lambda, mu, t float64) (float64, error) {
	if err := checkStable(c, lambda, mu); err != nil {
		return 0, err
	}
	if t < 0 {
		return 0, fmt.Errorf("%w: threshold %v is negative", ErrInvalid, t)
	}
	return 1 - ErlangC(c, lambda/mu)*math.Exp(-(float64(c)*mu-lambda)*t), nil
}

func checkStable(c int, lambda, mu float64) error {
	if err := checkMMc(c, lambda, mu); err != nil {
		return err
	}
	if lambda >= float64(c)*mu {
		return fmt.Errorf("%w: load %.4g Erlangs on %d agents", ErrUnstable, lambda/mu, c)
	}
	return nil
}

// Cobham returns the mean wait in queue of each class of an M/M/c queue with non-preemptive
// priority classes, all served at rate μ, class 0 highest (Cobham 1954; for c agents see e.g.
// Gross & Harris, Fundamentals of Queueing Theory, §3.4):
//
//	W_k = C(c, a) / (cμ (1 - σ_{k-1})(1 - σ_k)),  σ_k = Σ_{i<=k} λ_i / (cμ),
//
// with a = Σλ_i/μ. The cost is O(c + k).
func Cobham(c int, mu float64, lambdas []float64) ([]float64, error) {
	total := 0.0
	for i, l := range lambdas {
		if !(l >= 0) {
			return nil, fmt.Errorf("%w: class %d arrival rate %v", ErrInvalid, i, l)
		}
		total += l
	}
	if err := checkStable(c, total, mu); err != nil {
		return nil, err
	}
	cmu := float64(c) * mu
	pw := ErlangC(c, total/mu)
	w := make([]float64, len(lambdas))
	sigma := 0.0
	for k, l := range lambdas {
		prev := sigma
		sigma += l / cmu
		w[k] = pw / (cmu * (1 - prev) * (1 - sigma))
	}
	return w, nil
}

// StaffErlangC returns the fewest agents c for which an M/M/c queue with arrival rate λ and
// service rate μ answers at least the share target of contacts within t (P(W <= t) >= target).
// It returns an error for target outside [0, 1) or invalid rates. The cost is O(c²) at worst,
// O(c) per step in practice since the search starts at the load.
func StaffErlangC(lambda, mu, t, target float64) (int, error) {
	if err := checkMMc(1, lambda, mu); err != nil {
		return 0, err
	}
	if !(target >= 0 && target < 1) || t < 0 {
		return 0, fmt.Errorf("%w: target %v within %v; want 0 <= target < 1 and t >= 0", ErrInvalid, target, t)
	}
	if lambda == 0 {
		return 0, nil
	}
	for c := max(1, int(math.Floor(lambda/mu))+1); ; c++ {
		sl, err := ErlangCServiceLevel(c, lambda, mu, t)
		if err != nil {
			return 0, err
		}
		if sl >= target {
			return c, nil
		}
	}
}
