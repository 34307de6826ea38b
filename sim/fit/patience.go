package fit

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/routesim/routesim/sim"
)

// PatienceFit is the patience of one arrival stream: how long its contacts wait before
// they abandon, estimated from the abandoned waits, censored by the waits of contacts that
// left the queue otherwise (answered, transferred, still waiting).
type PatienceFit struct {
	// Abandoned and Censored count the waits of each kind.
	Abandoned int `json:"abandoned"`
	Censored  int `json:"censored"`
	// Median is the Kaplan-Meier median patience in seconds, or -1 when the survival curve
	// never falls to one half (most contacts are answered before they would give up).
	Median float64 `json:"medianSeconds"`
	// Dist is the fitted patience (nil when no contact abandoned): exponential or
	// lognormal by censored maximum likelihood, the lower AIC chosen; Mean its mean in
	// seconds with the confidence interval [MeanLo, MeanHi] (exponential: exact, from the
	// χ² distribution of the total time on test; lognormal: the delta method on the
	// observed information; both -1 when the information matrix is singular).
	Dist   *sim.Dist `json:"dist,omitempty"`
	Mean   float64   `json:"meanSeconds"`
	MeanLo float64   `json:"meanLoSeconds"`
	MeanHi float64   `json:"meanHiSeconds"`
	// KMGap is the goodness of fit: the largest distance between the Kaplan-Meier survival
	// curve and the fitted one at the observed times where at least max(30, 1% of the
	// contacts) were still at risk (beyond, the curve is too noisy to judge).
	KMGap float64 `json:"kmGap"`
	// Candidates are the families tried with their log-likelihood and AIC.
	Candidates []Candidate `json:"candidates,omitempty"`
}

// wait is one observed wait: an abandonment (event) or a censored one, weighted by how many
// contacts share that value (records give whole seconds).
type wait struct {
	t        float64
	ev, cens float64
}

// waits groups observations by value, in increasing order.
func groupWaits(ab, cens []float64) []wait {
	var ws []wait
	for _, t := range ab {
		ws = append(ws, wait{t: max(t, zeroSeconds), ev: 1})
	}
	for _, t := range cens {
		ws = append(ws, wait{t: max(t, zeroSeconds), cens: 1})
	}
	slices.SortFunc(ws, func(a, b wait) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	out := ws[:0]
	for _, w := range ws {
		if n := len(out); n > 0 && out[n-1].t == w.t {
			out[n-1].ev += w.ev
			out[n-1].cens += w.cens
			continue
		}
		out = append(out, w)
	}
	return out
}

// FitPatience fits patience to abandoned waits ab and censored waits cens (seconds) at the
// confidence level conf. The cost is O(n log n) for n waits, plus a 2-parameter
// optimisation over the distinct values.
func FitPatience(ab, cens []float64, conf float64) PatienceFit {
	p := PatienceFit{Abandoned: len(ab), Censored: len(cens), Median: -1}
	ws := groupWaits(ab, cens)
	// Kaplan-Meier.
	atRisk := float64(len(ab) + len(cens))
	km := make([]float64, len(ws))
	s := 1.0
	minRisk := max(30, 0.01*atRisk)
	for i, w := range ws {
		if w.ev > 0 {
			s *= 1 - w.ev/atRisk
		}
		km[i] = s
		if atRisk < minRisk {
			km[i] = math.NaN() // too few at risk for the curve to judge a fit
		}
		if p.Median < 0 && s <= 0.5 {
			p.Median = w.t
		}
		atRisk -= w.ev + w.cens
	}
	if len(ab) == 0 {
		return p
	}
	var total, d float64
	for _, w := range ws {
		total += w.t * (w.ev + w.cens)
		d += w.ev
	}
	// Exponential: mean = total time on test / events; 2·total/mean ~ χ²(2d).
	mean := total / d
	expLL := -d*math.Log(mean) - total/mean
	lo := 2 * total / distuv.ChiSquared{K: 2 * d}.Quantile(0.5+conf/2)
	hi := 2 * total / distuv.ChiSquared{K: 2 * d}.Quantile(0.5-conf/2)
	expDist := sim.Exp(secs(mean))
	p.Candidates = append(p.Candidates, Candidate{Dist: expDist, LogLik: expLL, AIC: 2 - 2*expLL})
	p.Dist, p.Mean, p.MeanLo, p.MeanHi = &expDist, mean, lo, hi
	expS := func(t float64) float64 { return math.Exp(-t / mean) }
	p.KMGap = kmGap(ws, km, expS)
	if d < 2 {
		return p
	}
	mu, sigma, llLN, ok := lognormalCensored(ws)
	if !ok {
		return p
	}
	lnDist := sim.Dist{Type: sim.LogNormal, Mean: secs(math.Exp(mu + sigma*sigma/2)), CV: round4(math.Sqrt(math.Expm1(sigma * sigma)))}
	p.Candidates = append(p.Candidates, Candidate{Dist: lnDist, LogLik: llLN, AIC: 4 - 2*llLN})
	if 4-2*llLN < 2-2*expLL {
		p.Dist = &lnDist
		p.Mean = math.Exp(mu + sigma*sigma/2)
		p.MeanLo, p.MeanHi = lognormalMeanCI(ws, mu, sigma, conf)
		if math.IsNaN(p.MeanLo) || math.IsNaN(p.MeanHi) {
			p.MeanLo, p.MeanHi = -1, -1
		}
		ln := distuv.LogNormal{Mu: mu, Sigma: sigma}
		p.KMGap = kmGap(ws, km, ln.Survival)
	}
	return p
}

func kmGap(ws []wait, km []float64, surv func(float64) float64) float64 {
	var g float64
	for i, w := range ws {
		if !math.IsNaN(km[i]) {
			g = max(g, math.Abs(km[i]-surv(w.t)))
		}
	}
	return g
}

// lognormalNLL is the negative log-likelihood of censored waits under a lognormal with
// parameters (μ, ln σ).
func lognormalNLL(ws []wait, x []float64) float64 {
	mu, sigma := x[0], math.Exp(x[1])
	var ll float64
	for _, w := range ws {
		z := (math.Log(w.t) - mu) / sigma
		if w.ev > 0 {
			ll += w.ev * (-math.Log(w.t*sigma) - 0.5*math.Log(2*math.Pi) - z*z/2)
		}
		if w.cens > 0 {
			ll += w.cens * math.Log(max(0.5*math.Erfc(z/math.Sqrt2), 1e-300))
		}
	}
	return -ll
}

// lognormalCensored maximises the censored lognormal likelihood by Nelder-Mead from the
// moments of the abandoned waits' logarithms.
func lognormalCensored(ws []wait) (mu, sigma, ll float64, ok bool) {
	var n, s, ss float64
	for _, w := range ws {
		if w.ev > 0 {
			l := math.Log(w.t)
			n += w.ev
			s += w.ev * l
			ss += w.ev * l * l
		}
	}
	m := s / n
	v := max(ss/n-m*m, 0.01)
	x, f := nelderMead(func(x [2]float64) float64 { return lognormalNLL(ws, x[:]) }, [2]float64{m + 1, 0.5 * math.Log(v)})
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, 0, 0, false
	}
	return x[0], math.Exp(x[1]), -f, true
}

// nelderMead minimises f over two variables from x0 (initial steps 0.5), to a relative
// tolerance of 1e-10 in f or 2000 evaluations.
func nelderMead(f func([2]float64) float64, x0 [2]float64) ([2]float64, float64) {
	type pt struct {
		x [2]float64
		f float64
	}
	mk := func(x [2]float64) pt { return pt{x, f(x)} }
	s := [3]pt{mk(x0), mk([2]float64{x0[0] + 0.5, x0[1]}), mk([2]float64{x0[0], x0[1] + 0.5})}
	lin := func(a, b [2]float64, t float64) [2]float64 {
		return [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
	}
	for range 1000 {
		slices.SortFunc(s[:], func(a, b pt) int { return cmpF(a.f, b.f) })
		if math.Abs(s[2].f-s[0].f) <= 1e-10*(math.Abs(s[0].f)+1e-10) {
			break
		}
		c := lin(s[0].x, s[1].x, 0.5) // centroid of the best two
		r := mk(lin(c, s[2].x, -1))
		switch {
		case r.f < s[0].f:
			if e := mk(lin(c, s[2].x, -2)); e.f < r.f {
				r = e
			}
			s[2] = r
		case r.f < s[1].f:
			s[2] = r
		default:
			if k := mk(lin(c, s[2].x, 0.5)); k.f < s[2].f {
				s[2] = k
				continue
			}
			s[1] = mk(lin(s[0].x, s[1].x, 0.5))
			s[2] = mk(lin(s[0].x, s[2].x, 0.5))
		}
	}
	slices.SortFunc(s[:], func(a, b pt) int { return cmpF(a.f, b.f) })
	return s[0].x, s[0].f
}

func cmpF(a, b float64) int {
	switch {
	case a < b || (math.IsNaN(b) && !math.IsNaN(a)):
		return -1
	case a > b || math.IsNaN(a):
		return 1
	}
	return 0
}

// lognormalMeanCI is the delta-method interval of exp(μ + σ²/2) from the numerical Hessian
// of the negative log-likelihood in (μ, ln σ).
func lognormalMeanCI(ws []wait, mu, sigma, conf float64) (lo, hi float64) {
	x := []float64{mu, math.Log(sigma)}
	const h = 1e-4
	f := func(a, b float64) float64 { return lognormalNLL(ws, []float64{x[0] + a, x[1] + b}) }
	f0 := f(0, 0)
	h00 := (f(h, 0) - 2*f0 + f(-h, 0)) / (h * h)
	h11 := (f(0, h) - 2*f0 + f(0, -h)) / (h * h)
	h01 := (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h)
	det := h00*h11 - h01*h01
	mean := math.Exp(mu + sigma*sigma/2)
	if !(det > 0) {
		return math.NaN(), math.NaN()
	}
	// Covariance = inverse Hessian; gradient of the mean in (μ, ln σ) = mean·(1, σ²).
	c00, c11, c01 := h11/det, h00/det, -h01/det
	g0, g1 := mean, mean*sigma*sigma
	se := math.Sqrt(g0*g0*c00 + 2*g0*g1*c01 + g1*g1*c11)
	z := distuv.UnitNormal.Quantile(0.5 + conf/2)
	return mean - z*se, mean + z*se
}
