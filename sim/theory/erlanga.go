package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// ErlangAResult holds the stationary figures of an Erlang A (M/M/c+M) queue.
type ErlangAResult struct {
	// PWait is the probability that an arrival waits (all agents busy).
	PWait float64
	// PAbandon is the probability that an arrival abandons.
	PAbandon float64
	// MeanWait is the mean time in queue over all arrivals, served or abandoning; by Little's
	// law and exponential patience it equals PAbandon/θ.
	MeanWait float64
}

// ErlangA returns the figures of an M/M/c+M queue: arrival rate λ, service rate μ, c agents and
// exponential patience with rate θ (mean patience 1/θ), after Garnett, Mandelbaum & Reiman,
// "Designing a call center with impatient customers", M&SOM 4(3), 2002, in the form of
// Mandelbaum & Zeltyn's note on the Palm/Erlang-A queue:
//
//	A(x, y)   = x e^y y^-x γ(x, y),   γ the lower incomplete gamma function
//	P(W > 0)  = A(cμ/θ, λ/θ) B / (1 + (A(cμ/θ, λ/θ) - 1) B),   B = ErlangB(c, λ/μ)
//	P(Ab|W>0) = 1/(ρ A(cμ/θ, λ/θ)) + 1 - 1/ρ,   ρ = λ/(cμ)
//	E[W]      = P(Ab) / θ
//
// It is stable at any load. γ comes from gonum's regularized incomplete gamma, evaluated in
// logarithms so large arguments do not overflow.
func ErlangA(c int, lambda, mu, theta float64) (ErlangAResult, error) {
	if err := checkMMc(c, lambda, mu); err != nil {
		return ErlangAResult{}, err
	}
	if !(theta > 0) || math.IsInf(theta, 0) {
		return ErlangAResult{}, fmt.Errorf("%w: abandonment rate %v", ErrInvalid, theta)
	}
	if lambda == 0 {
		return ErlangAResult{}, nil
	}
	A := erlangAFunc(float64(c)*mu/theta, lambda/theta)
	b := ErlangB(c, lambda/mu)
	pWait := A * b / (1 + (A-1)*b)
	rho := lambda / (float64(c) * mu)
	pAbGivenWait := 1/(rho*A) + 1 - 1/rho
	pAb := pWait * pAbGivenWait
	return ErlangAResult{PWait: pWait, PAbandon: pAb, MeanWait: pAb / theta}, nil
}

// erlangAFunc returns A(x, y) = x e^y y^-x γ(x, y). It uses gonum's regularized incomplete
// gamma in logarithms; where that underflows (patience so long that y^x e^-y/Γ(x) is below
// the smallest float64), it sums the equivalent series A(x, y) = Σ_{n>=0} Π_{j=1..n} y/(x+j),
// whose terms are all positive, so it loses no precision.
func erlangAFunc(x, y float64) float64 {
	lg, _ := math.Lgamma(x)
	p := mathext.GammaIncReg(x, y)
	if p > 0 {
		if a := math.Exp(math.Log(x) + y - x*math.Log(y) + lg + math.Log(p)); !math.IsInf(a, 0) && !math.IsNaN(a) {
			return a
		}
	}
	sum, term := 1.0, 1.0
	for j := 1.0; term > 1e-17*sum; j++ {
		term *= y / (x + j)
		sum += term
	}
	return sum
}

// ErlangABirthDeath computes the same figures as ErlangA by summing the stationary
// distribution of the birth-death chain directly (birth λ, death min(k,c)μ + max(k-c,0)θ),
// truncated once terms fall below 1e-16 of the running total. It is an independent check on
// ErlangA; the cost is O(c + q) for q significant queue lengths.
func ErlangABirthDeath(c int, lambda, mu, theta float64) (ErlangAResult, error) {
	if err := checkMMc(c, lambda, mu); err != nil {
		return ErlangAResult{}, err
	}
	if !(theta > 0) {
		return ErlangAResult{}, fmt.Errorf("%w: abandonment rate %v", ErrInvalid, theta)
	}
	// Work in logs of unnormalised probabilities to avoid overflow.
	var logs []float64
	lp := 0.0
	logs = append(logs, lp)
	maxLog := 0.0
	for k := 1; ; k++ {
		death := float64(min(k, c))*mu + float64(max(k-c, 0))*theta
		lp += math.Log(lambda) - math.Log(death)
		logs = append(logs, lp)
		maxLog = max(maxLog, lp)
		if k > c && lp-maxLog < math.Log(1e-18) {
			break
		}
	}
	var z, pWait, lq float64
	for k, l := range logs {
		p := math.Exp(l - maxLog)
		z += p
		if k >= c {
			pWait += p
			lq += float64(k-c) * p
		}
	}
	pWait /= z
	lq /= z
	return ErlangAResult{PWait: pWait, PAbandon: theta * lq / lambda, MeanWait: lq / lambda}, nil
}
