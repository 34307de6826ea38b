package whatif

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// TestCoverLPHandSolved: three intervals needing 2, 3 and 1 agents; shift A covers the
// first two at cost 2, shift B the last two at cost 2, shift C the middle one alone at cost
// 1. By hand: the first interval forces x_A >= 2 and the last x_B >= 1, cost at least 6;
// x = (2, 1, 0) costs 6 and gives the middle 3: it is optimal.
func TestCoverLPHandSolved(t *testing.T) {
	p := &coverLP{m: 3, n: 3,
		g: []float64{
			1, 0, 0,
			1, 1, 1,
			0, 1, 0,
		},
		h: []float64{2, 3, 1},
		c: []float64{2, 2, 1},
	}
	x, cost, err := p.solve()
	require.NoError(t, err)
	assert.InDelta(t, 6, cost, 1e-9, "optimal cost")
	assert.InDeltaSlice(t, []float64{2, 1, 0}, x, 1e-9, "optimal x")
}

func TestCoverLPInfeasible(t *testing.T) {
	// x >= 2 and -x >= -1 (at most 1).
	p := &coverLP{m: 2, n: 1, g: []float64{1, -1}, h: []float64{2, -1}, c: []float64{1}}
	_, _, err := p.solve()
	assert.ErrorIs(t, err, errLPInfeasible)
}

// randomCover returns a covering program of m intervals and n shifts of random span.
func randomCover(rng *rand.Rand, m, n int) *coverLP {
	p := &coverLP{m: m, n: n, g: make([]float64, m*n), h: make([]float64, m), c: make([]float64, n)}
	for j := range n {
		start, span := rng.IntN(m), 1+rng.IntN(m/2+1)
		for k := range span {
			p.g[((start+k)%m)*n+j] = 1
		}
		if rng.IntN(3) == 0 { // a break: a fractional coverage
			p.g[((start+span/2)%m)*n+j] = 0.5
		}
		p.c[j] = float64(span) * (1 + rng.Float64())
	}
	for i := range m {
		p.h[i] = float64(rng.IntN(10))
	}
	return p
}

// TestCoverLPMatchesGonum: on random covering programs, the tableau's optimum equals
// gonum's lp.Simplex on the standard form [G -I][x; s] = h.
func TestCoverLPMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 30 {
		m, n := 4+rng.IntN(12), 6+rng.IntN(20)
		p := randomCover(rng, m, n)
		// Every interval coverable: add a one-interval shift for each.
		q := &coverLP{m: m, n: n + m, g: make([]float64, m*(n+m)), h: p.h, c: append(append([]float64(nil), p.c...), make([]float64, m)...)}
		for i := range m {
			copy(q.g[i*(n+m):], p.g[i*n:(i+1)*n])
			q.g[i*(n+m)+n+i] = 1
			q.c[n+i] = 5
		}
		x, cost, err := q.solve()
		require.NoError(t, err)
		for i := range m {
			s := 0.0
			for j := range q.n {
				s += q.g[i*q.n+j] * x[j]
			}
			assert.GreaterOrEqual(t, s, q.h[i]-1e-7, "trial %d row %d covered", trial, i)
		}
		a := mat.NewDense(m, q.n+m, nil)
		c := make([]float64, q.n+m)
		copy(c, q.c)
		for i := range m {
			for j := range q.n {
				a.Set(i, j, q.g[i*q.n+j])
			}
			a.Set(i, q.n+i, -1)
		}
		want, _, err := lp.Simplex(c, a, q.h, 1e-10, nil)
		require.NoError(t, err)
		assert.InDelta(t, want, cost, 1e-6*math.Max(1, want), "trial %d: cost against gonum's", trial)
	}
}

// weekCover is the benchmark's program: a week of 15-minute intervals, open all the time
// (672 rows, every one with demand), and three templates (8 h with a break, 6 h and 10 h)
// starting on every hour of every day: 504 columns.
func weekCover() *coverLP {
	const m = 672
	type col struct{ start, span int }
	var cols []col
	for _, span := range []int{32, 24, 40} {
		for s := 0; s < m; s += 4 {
			cols = append(cols, col{s, span})
		}
	}
	n := len(cols)
	p := &coverLP{m: m, n: n, g: make([]float64, m*n), h: make([]float64, m), c: make([]float64, n)}
	for j, cl := range cols {
		for k := range cl.span {
			v := 1.0
			if cl.span == 32 && k >= 14 && k < 18 { // a 30-minute break placed in a 1-hour window
				v = 0.5
			}
			p.g[((cl.start+k)%m)*n+j] = v
		}
		p.c[j] = float64(cl.span) / 4 * 20
	}
	for i := range m {
		h := float64(i%96) / 4
		p.h[i] = math.Round(10 + 20*math.Exp(-(h-13)*(h-13)/18))
	}
	return p
}

func TestCoverLPWeekIsFast(t *testing.T) {
	p := weekCover()
	start := time.Now()
	_, cost, err := p.solve()
	took := time.Since(start)
	require.NoError(t, err)
	t.Logf("672 × 504: cost %.1f in %v", cost, took)
	assert.Greater(t, cost, 0.0)
}

func BenchmarkCoverLP(b *testing.B) {
	p := weekCover()
	_, want, err := p.solve()
	if err != nil || want <= 0 {
		b.Fatalf("fixture: cost %v, %v", want, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, cost, _ := p.solve()
		if math.Abs(cost-want) > 1e-6*want {
			b.Fatalf("cost %v; want %v", cost, want)
		}
	}
}

// TestCoverLPMergesEqualRows: rows with equal coefficients become one, with the largest
// right-hand side; the optimum is the hand-solved one's.
func TestCoverLPMergesEqualRows(t *testing.T) {
	p := &coverLP{m: 4, n: 3,
		g: []float64{
			1, 0, 0,
			1, 1, 1,
			0, 1, 0,
			1, 0, 0, // the first row again, needing 1 instead of 2
		},
		h: []float64{2, 3, 1, 1},
		c: []float64{2, 2, 1},
	}
	q := p.merged()
	assert.Equal(t, 3, q.m, "rows after merging")
	assert.Equal(t, []float64{2, 3, 1}, q.h)
	_, cost, err := p.solve()
	require.NoError(t, err)
	assert.InDelta(t, 6, cost, 1e-9, "optimal cost")
	assert.Same(t, q, q.merged(), "nothing left to merge")
}
