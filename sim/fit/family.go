package fit

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/routesim/routesim/sim"
)

// DistFit is a duration distribution fitted to a sample by maximum likelihood among the
// simulator's families (exponential, gamma, lognormal; deterministic when every value is
// equal), the one with the lowest AIC chosen.
type DistFit struct {
	// N is the sample size.
	N int `json:"n"`
	// Mean is the sample mean in seconds, with its confidence interval [MeanLo, MeanHi]
	// (Student t); CV the sample coefficient of variation.
	Mean   float64 `json:"meanSeconds"`
	MeanLo float64 `json:"meanLoSeconds"`
	MeanHi float64 `json:"meanHiSeconds"`
	CV     float64 `json:"cv"`
	// Dist is the chosen distribution, as a scenario writes it.
	Dist sim.Dist `json:"dist"`
	// KS is the Kolmogorov-Smirnov distance between the sample and Dist (the goodness of
	// fit: 0 is perfect); KSCritical is the 5% critical value 1.358/√N, which a fit with
	// estimated parameters should stay well under.
	KS         float64 `json:"ks"`
	KSCritical float64 `json:"ksCritical"`
	// Candidates are every family tried, with its log-likelihood, AIC and KS distance.
	Candidates []Candidate `json:"candidates"`
}

// Candidate is one family fitted to a sample.
type Candidate struct {
	Dist   sim.Dist `json:"dist"`
	LogLik float64  `json:"logLik"`
	AIC    float64  `json:"aic"`
	KS     float64  `json:"ks"`
}

// zeroSeconds stands in for a duration of 0 s in the likelihoods of the continuous
// families: records give whole seconds, so 0 means "under a second"; half of it.
const zeroSeconds = 0.5

// FitDist fits xs (seconds, >= 0; at least one) at the confidence level conf. It sorts xs
// in place. The cost is O(n log n).
func FitDist(xs []float64, conf float64) DistFit {
	slices.Sort(xs)
	n := float64(len(xs))
	var sum, sumLog float64
	for _, x := range xs {
		sum += x
		sumLog += math.Log(max(x, zeroSeconds))
	}
	mean := sum / n
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	f := DistFit{N: len(xs), Mean: mean, MeanLo: mean, MeanHi: mean}
	if len(xs) > 1 {
		sd := math.Sqrt(ss / (n - 1))
		f.CV = sd / mean
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.5 + conf/2)
		f.MeanLo, f.MeanHi = mean-t*sd/math.Sqrt(n), mean+t*sd/math.Sqrt(n)
	}
	f.KSCritical = 1.358 / math.Sqrt(n)
	if xs[0] == xs[len(xs)-1] || mean == 0 {
		f.Dist = sim.Fixed(secs(mean))
		f.Candidates = []Candidate{{Dist: f.Dist}}
		return f
	}
	meanLog := sumLog / n
	var ssLog float64
	for _, x := range xs {
		d := math.Log(max(x, zeroSeconds)) - meanLog
		ssLog += d * d
	}
	sigma2 := ssLog / n
	alpha := gammaShape(math.Log(mean) - meanLog)
	cands := []struct {
		d   sim.Dist
		k   float64
		cdf func(float64) float64
		ll  float64
	}{
		{sim.Exp(secs(mean)), 1, func(x float64) float64 { return 1 - math.Exp(-x/mean) },
			-n*math.Log(mean) - sum/mean},
		{sim.Dist{Type: sim.Gamma, Mean: secs(mean), CV: round4(1 / math.Sqrt(alpha))}, 2,
			distuv.Gamma{Alpha: alpha, Beta: alpha / mean}.CDF,
			n*(alpha*math.Log(alpha/mean)-lgamma(alpha)) + (alpha-1)*sumLog - alpha/mean*sum},
		{sim.Dist{Type: sim.LogNormal, Mean: secs(math.Exp(meanLog + sigma2/2)), CV: round4(math.Sqrt(math.Expm1(sigma2)))}, 2,
			distuv.LogNormal{Mu: meanLog, Sigma: math.Sqrt(sigma2)}.CDF,
			-sumLog - n/2*math.Log(2*math.Pi*sigma2) - n/2},
	}
	best := math.Inf(1)
	for _, c := range cands {
		cand := Candidate{Dist: c.d, LogLik: c.ll, AIC: 2*c.k - 2*c.ll, KS: ksDistance(xs, c.cdf)}
		f.Candidates = append(f.Candidates, cand)
		if cand.AIC < best && !math.IsNaN(cand.AIC) {
			best, f.Dist, f.KS = cand.AIC, c.d, cand.KS
		}
	}
	return f
}

// secs converts seconds to a Duration rounded to the millisecond, as a scenario reads best.
func secs(s float64) sim.Duration {
	d, err := sim.Seconds(math.Round(s*1e3) / 1e3)
	if err != nil {
		return 0
	}
	return d
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// gammaShape solves the gamma MLE equation ln α - ψ(α) = s (s = ln mean - mean ln x > 0)
// by Minka's starting point and Newton steps.
func gammaShape(s float64) float64 {
	if !(s > 0) {
		return 1e6 // no spread: nearly deterministic
	}
	a := (3 - s + math.Sqrt((s-3)*(s-3)+24*s)) / (12 * s)
	for range 20 {
		g := math.Log(a) - mathext.Digamma(a) - s
		dg := 1/a - trigamma(a)
		next := a - g/dg
		if next <= 0 {
			next = a / 2
		}
		if math.Abs(next-a) < 1e-10*a {
			return next
		}
		a = next
	}
	return a
}

// trigamma is ψ'(x) for x > 0: recurrence up to 6, then the asymptotic series.
func trigamma(x float64) float64 {
	var v float64
	for x < 6 {
		v += 1 / (x * x)
		x++
	}
	x2 := 1 / (x * x)
	return v + 1/x + x2/2 + x2/x*(1.0/6-x2*(1.0/30-x2*(1.0/42-x2/30)))
}

// ksDistance is the Kolmogorov-Smirnov distance between the sorted sample xs and cdf,
// evaluated once per distinct value (records hold whole seconds, so few).
func ksDistance(xs []float64, cdf func(float64) float64) float64 {
	n := float64(len(xs))
	var d float64
	for i := 0; i < len(xs); {
		j := i
		for j < len(xs) && xs[j] == xs[i] {
			j++
		}
		f := cdf(xs[i])
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(j)/n))
		i = j
	}
	return d
}

// round4 rounds a coefficient of variation to 4 decimals.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
