package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a distribution of durations (handle time, after-contact work, patience), as a
// scenario writes it:
//
//	{"type": "exponential", "mean": "3m"}
//	{"type": "lognormal", "mean": 180, "cv": 0.8}
//	{"type": "gamma", "mean": "3m", "cv": 0.5}
//	{"type": "deterministic", "mean": "30s"}
//	{"type": "empirical", "values": [60, 120, 300], "weights": [1, 2, 1]}
//
// Exponential, lognormal and gamma are parameterised by mean and coefficient of variation
// (standard deviation / mean; exponential's is 1): lognormal has σ² = ln(1 + cv²) and
// μ = ln(mean) - σ²/2, gamma has shape 1/cv² and scale mean·cv². Empirical draws one of its
// values, with probability proportional to its weight (equal weights by default).
// Sampling uses gonum's distuv distributions on the stream's own PCG source.
type Dist struct {
	Type    string     `json:"type"`
	Mean    Duration   `json:"mean,omitempty"`
	CV      float64    `json:"cv,omitempty"`
	Values  []Duration `json:"values,omitempty"`
	Weights []float64  `json:"weights,omitempty"`
}

// Distribution types.
const (
	Exponential   = "exponential"
	LogNormal     = "lognormal"
	Gamma         = "gamma"
	Deterministic = "deterministic"
	Empirical     = "empirical"
)

// Exp returns an exponential distribution with the given mean.
func Exp(mean Duration) Dist { return Dist{Type: Exponential, Mean: mean} }

// Fixed returns a deterministic distribution.
func Fixed(d Duration) Dist { return Dist{Type: Deterministic, Mean: d} }

// validate checks the distribution; path names it in errors.
func (d *Dist) validate(path string) error {
	switch d.Type {
	case Exponential, LogNormal, Gamma, Deterministic:
		if len(d.Values) > 0 || len(d.Weights) > 0 {
			return fieldErr(path+".values", "only an empirical distribution has values")
		}
	case Empirical:
		return d.validateEmpirical(path)
	case "":
		return fieldErr(path+".type", "missing; want exponential, lognormal, gamma, deterministic or empirical")
	default:
		return fieldErr(path+".type", "%q is not exponential, lognormal, gamma, deterministic or empirical", d.Type)
	}
	switch {
	case d.Mean < 0:
		return fieldErr(path+".mean", "%v is negative", d.Mean)
	case d.Mean == 0 && d.Type != Deterministic:
		return fieldErr(path+".mean", "must be positive")
	case !(d.CV >= 0) || math.IsInf(d.CV, 0):
		return fieldErr(path+".cv", "%v is not a non-negative number", d.CV)
	case d.Type == Exponential && d.CV != 0 && d.CV != 1:
		return fieldErr(path+".cv", "%v; an exponential's cv is 1 (leave it out)", d.CV)
	case d.Type == Deterministic && d.CV != 0:
		return fieldErr(path+".cv", "%v; a deterministic distribution has cv 0", d.CV)
	case (d.Type == LogNormal || d.Type == Gamma) && d.CV == 0:
		return fieldErr(path+".cv", "must be positive for a %s (use deterministic for cv 0)", d.Type)
	}
	return nil
}

func (d *Dist) validateEmpirical(path string) error {
	switch {
	case len(d.Values) == 0:
		return fieldErr(path+".values", "an empirical distribution needs at least one value")
	case len(d.Weights) > 0 && len(d.Weights) != len(d.Values):
		return fieldErr(path+".weights", "%d weights for %d values", len(d.Weights), len(d.Values))
	case d.Mean != 0 || d.CV != 0:
		return fieldErr(path+".mean", "an empirical distribution takes values (and weights), not mean or cv")
	}
	for i, v := range d.Values {
		if v < 0 {
			return fieldErr(fmt.Sprintf("%s.values[%d]", path, i), "%v is negative", v)
		}
	}
	sum := 0.0
	for i, w := range d.Weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fieldErr(fmt.Sprintf("%s.weights[%d]", path, i), "%v is not a non-negative number", w)
		}
		sum += w
	}
	if len(d.Weights) > 0 && sum <= 0 {
		return fieldErr(path+".weights", "the weights sum to 0")
	}
	return nil
}

// MeanSeconds returns the distribution's mean in seconds.
func (d *Dist) MeanSeconds() float64 {
	if d.Type != Empirical {
		return d.Mean.Seconds()
	}
	var s, w float64
	for i, v := range d.Values {
		wi := 1.0
		if len(d.Weights) > 0 {
			wi = d.Weights[i]
		}
		s += wi * v.Seconds()
		w += wi
	}
	return s / w
}

type distKind uint8

const (
	kindFixed distKind = iota
	kindExp
	kindLogNormal
	kindGamma
	kindEmpirical
)

// sampler draws durations in nanoseconds from one distribution and one random stream. Its
// zero value draws 0. Not safe for concurrent use.
type sampler struct {
	kind  distKind
	fixed int64
	exp   distuv.Exponential
	ln    distuv.LogNormal
	gam   distuv.Gamma
	vals  []int64
	cum   []float64 // cumulative weights, last = total
	rng   *rand.Rand
}

// newSampler builds a sampler for a valid d drawing from src (which it does not share).
func newSampler(d *Dist, src *rand.PCG) sampler {
	m := float64(d.Mean)
	switch d.Type {
	case Exponential:
		return sampler{kind: kindExp, exp: distuv.Exponential{Rate: 1 / m, Src: src}}
	case LogNormal:
		s2 := math.Log1p(d.CV * d.CV)
		return sampler{kind: kindLogNormal, ln: distuv.LogNormal{Mu: math.Log(m) - s2/2, Sigma: math.Sqrt(s2), Src: src}}
	case Gamma:
		alpha := 1 / (d.CV * d.CV)
		// gonum's Beta is the rate: mean = Alpha/Beta.
		return sampler{kind: kindGamma, gam: distuv.Gamma{Alpha: alpha, Beta: alpha / m, Src: src}}
	case Empirical:
		s := sampler{kind: kindEmpirical, rng: rand.New(src)}
		total := 0.0
		for i, v := range d.Values {
			w := 1.0
			if len(d.Weights) > 0 {
				w = d.Weights[i]
			}
			total += w
			s.vals = append(s.vals, int64(v))
			s.cum = append(s.cum, total)
		}
		return s
	}
	return sampler{kind: kindFixed, fixed: int64(d.Mean)}
}

// maxSample caps a draw at about 100 years so that time arithmetic never overflows.
const maxSample = float64(100 * 365 * 24 * 3600 * 1e9)

// sample draws one duration in nanoseconds. The cost is O(1), O(log n) for an empirical
// distribution of n values; it does not allocate.
func (s *sampler) sample() int64 {
	var x float64
	switch s.kind {
	case kindFixed:
		return s.fixed
	case kindExp:
		x = s.exp.Rand()
	case kindLogNormal:
		x = s.ln.Rand()
	case kindGamma:
		x = s.gam.Rand()
	case kindEmpirical:
		u := s.rng.Float64() * s.cum[len(s.cum)-1]
		i, _ := slices.BinarySearch(s.cum, u)
		// BinarySearch finds the first cum >= u; a u equal to a boundary belongs to the next
		// value, and zero-weight values (equal consecutive cum) are never drawn.
		for i < len(s.cum)-1 && s.cum[i] <= u {
			i++
		}
		return s.vals[i]
	}
	return int64(min(x, maxSample))
}
