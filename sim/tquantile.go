package sim

import (
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// tQuantiles caches Student t quantiles by degrees of freedom and confidence level: one
// costs about 5 µs to compute, and a run with per-interval figures (RunOptions.IntervalDetail)
// asks for tens of thousands, all with the same few arguments.
var tQuantiles sync.Map // tKey -> float64

type tKey struct {
	nu   int
	conf float64
}

// tQuantile returns the quantile 1 - (1-conf)/2 of Student's t with nu degrees of freedom:
// the same value, bit for bit, as computing it each time. Safe for concurrent use.
func tQuantile(nu int, conf float64) float64 {
	k := tKey{nu, conf}
	if v, ok := tQuantiles.Load(k); ok {
		return v.(float64)
	}
	v := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(nu)}.Quantile(1 - (1-conf)/2)
	tQuantiles.Store(k, v)
	return v
}
