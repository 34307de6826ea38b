package fit_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/fit"
)

// wholeSeconds rounds draws to whole seconds, as contact records hold them.
func draws(n int, rnd func() float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Round(rnd())
	}
	return xs
}

func TestFitDistRecoversFamilyAndMean(t *testing.T) {
	src := rand.NewPCG(1, 2)
	s2 := math.Log1p(0.8 * 0.8)
	for _, tc := range []struct {
		name   string
		rnd    func() float64
		family string
		mean   float64
		cv     float64
	}{
		{"lognormal 180s cv 0.8", distuv.LogNormal{Mu: math.Log(180) - s2/2, Sigma: math.Sqrt(s2), Src: src}.Rand, sim.LogNormal, 180, 0.8},
		{"gamma 300s cv 0.5", distuv.Gamma{Alpha: 4, Beta: 4.0 / 300, Src: src}.Rand, sim.Gamma, 300, 0.5},
		{"exponential 240s", distuv.Exponential{Rate: 1.0 / 240, Src: src}.Rand, "", 240, 1},
		{"deterministic 30s", func() float64 { return 30 }, sim.Deterministic, 30, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fit.FitDist(draws(5000, tc.rnd), 0.99)
			assert.Equal(t, 5000, f.N)
			if tc.family != "" {
				assert.Equal(t, tc.family, f.Dist.Type, "chosen family; candidates %+v", f.Candidates)
			} else {
				assert.InDelta(t, 1, cvOfDist(f.Dist), 0.05, "an exponential sample fits with cv near 1: %+v", f.Dist)
			}
			assert.True(t, f.MeanLo <= tc.mean && tc.mean <= f.MeanHi, "mean %v outside the 99%% interval [%v, %v]", tc.mean, f.MeanLo, f.MeanHi)
			assert.InDelta(t, tc.cv, cvOfDist(f.Dist), 0.05)
			assert.Less(t, f.KS, f.KSCritical+1e-9, "KS distance of the chosen family")
		})
	}
}

func cvOfDist(d sim.Dist) float64 {
	if d.Type == sim.Exponential {
		return 1
	}
	return d.CV
}

// censored draws n contacts whose patience comes from pat and who are answered after a
// wait from ans, whichever is first: the abandoned waits and the censored ones.
func censored(n int, pat, ans func() float64) (ab, cens []float64) {
	for range n {
		p, a := pat(), ans()
		if p < a {
			ab = append(ab, math.Round(p))
		} else {
			cens = append(cens, math.Round(a))
		}
	}
	return ab, cens
}

func TestFitPatienceCensored(t *testing.T) {
	src := rand.NewPCG(3, 4)
	ans := distuv.Exponential{Rate: 1.0 / 60, Src: src}.Rand
	t.Run("exponential 180s", func(t *testing.T) {
		ab, cens := censored(20000, distuv.Exponential{Rate: 1.0 / 180, Src: src}.Rand, ans)
		p := fit.FitPatience(ab, cens, 0.99)
		require.NotNil(t, p.Dist)
		assert.Equal(t, sim.Exponential, p.Dist.Type, "candidates %+v", p.Candidates)
		assert.True(t, p.MeanLo <= 180 && 180 <= p.MeanHi, "180 outside [%v, %v]", p.MeanLo, p.MeanHi)
		// The naive mean of the abandoned waits is far below: censoring matters.
		var s float64
		for _, x := range ab {
			s += x
		}
		assert.Less(t, s/float64(len(ab)), 60.0)
		assert.Less(t, p.KMGap, 0.05)
	})
	t.Run("lognormal 120s cv 1.5", func(t *testing.T) {
		s2 := math.Log1p(1.5 * 1.5)
		ab, cens := censored(20000, distuv.LogNormal{Mu: math.Log(120) - s2/2, Sigma: math.Sqrt(s2), Src: src}.Rand, ans)
		p := fit.FitPatience(ab, cens, 0.99)
		require.NotNil(t, p.Dist)
		assert.Equal(t, sim.LogNormal, p.Dist.Type, "candidates %+v", p.Candidates)
		assert.True(t, p.MeanLo <= 120 && 120 <= p.MeanHi, "120 outside [%v, %v]", p.MeanLo, p.MeanHi)
		assert.InDelta(t, 1.5, p.Dist.CV, 0.2)
	})
	t.Run("nobody abandons", func(t *testing.T) {
		p := fit.FitPatience(nil, []float64{1, 2, 3}, 0.95)
		assert.Nil(t, p.Dist)
		assert.Equal(t, -1.0, p.Median)
	})
}
