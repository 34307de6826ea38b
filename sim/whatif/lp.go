package whatif

import (
	"encoding/binary"
	"errors"
	"math"
)

// coverLP is a covering linear program in inequality form:
//
//	minimise cᵀx  subject to  G x >= h,  x >= 0,
//
// with c >= 0 (a shift never pays to be worked). G is dense, m rows of n columns.
type coverLP struct {
	m, n int
	g    []float64 // row-major, m × n
	h, c []float64
}

// errLPInfeasible: no x >= 0 meets G x >= h (the dual is unbounded).
var errLPInfeasible = errors.New("whatif: the covering program is infeasible")

// errLPIterations: the simplex did not finish within its iteration bound (cycling, or
// numerical trouble).
var errLPIterations = errors.New("whatif: the covering program's simplex did not converge")

const lpTol = 1e-9

// solve returns an optimal x and its cost, by the primal simplex method on the dual
//
//	maximise hᵀy  subject to  Gᵀy + s = c,  y, s >= 0,
//
// whose slack basis (y = 0, s = c) is feasible because c >= 0, so no first phase is needed.
// At the dual's optimum the primal x is the reduced cost of the slacks, and cᵀx = hᵀy.
// The tableau is dense, n rows by m + n columns; each pivot costs O(n·(m+n)). Entering
// columns follow Dantzig's rule (most negative reduced cost) and switch to Bland's rule
// after a run of degenerate pivots, which cannot cycle.
//
// Rows with equal coefficients are merged first (merged). gonum's lp.Simplex solves the same
// program (TestCoverLPMatchesGonum) but refactors a dense m × m basis on every pivot: 17 s
// for a week of 15-minute intervals (672 rows, 504 columns) where this tableau takes about
// 0.1 s (BenchmarkCoverLP).
func (p *coverLP) solve() (x []float64, cost float64, err error) {
	p = p.merged()
	m, n := p.m, p.n
	w := m + n // tableau columns: y (m), then s (n)
	t := make([]float64, n*w)
	rhs := make([]float64, n)
	for j := range n {
		row := t[j*w : (j+1)*w]
		for i := range m {
			row[i] = p.g[i*n+j]
		}
		row[m+j] = 1
		rhs[j] = p.c[j]
	}
	d := make([]float64, w) // reduced costs of minimising -hᵀy
	for i := range m {
		d[i] = -p.h[i]
	}
	basis := make([]int, n)
	for j := range n {
		basis[j] = m + j
	}
	nz := make([]int, 0, w) // the pivot row's nonzero columns, reused by every pivot
	degenerate, bland := 0, false
	maxIter := 50 * (m + n)
	for iter := 0; ; iter++ {
		if iter > maxIter {
			return nil, 0, errLPIterations
		}
		e := enteringColumn(d, bland)
		if e < 0 {
			break
		}
		// Ratio test: the row whose basic variable reaches zero first.
		r, best := -1, math.Inf(1)
		for j := range n {
			a := t[j*w+e]
			if a <= lpTol {
				continue
			}
			q := rhs[j] / a
			if q < best-lpTol || (q <= best+lpTol && r >= 0 && basis[j] < basis[r]) {
				r, best = j, q
			}
		}
		if r < 0 {
			return nil, 0, errLPInfeasible
		}
		if best <= lpTol {
			degenerate++
			if degenerate > 50 {
				bland = true
			}
		} else {
			degenerate = 0
		}
		nz = pivot(t, rhs, d, w, n, r, e, nz[:0])
		basis[r] = e
	}
	x = make([]float64, n)
	for j := range n {
		x[j] = math.Max(0, d[m+j])
		cost += p.c[j] * x[j]
	}
	return x, cost, nil
}

// merged returns the program with rows of equal coefficients merged into one that keeps
// the largest right-hand side, which implies the others: the intervals inside an hour that
// the same shifts cover, say. It returns p itself when no two rows are equal. The cost is
// O(m·n).
func (p *coverLP) merged() *coverLP {
	seen := make(map[string]int, p.m)
	var keep []int
	h := make([]float64, 0, p.m)
	for i := range p.m {
		row := p.g[i*p.n : (i+1)*p.n]
		key := string(floatBytes(row))
		if k, ok := seen[key]; ok {
			h[k] = math.Max(h[k], p.h[i])
			continue
		}
		seen[key] = len(keep)
		keep = append(keep, i)
		h = append(h, p.h[i])
	}
	if len(keep) == p.m {
		return p
	}
	q := &coverLP{m: len(keep), n: p.n, g: make([]float64, 0, len(keep)*p.n), h: h, c: p.c}
	for _, i := range keep {
		q.g = append(q.g, p.g[i*p.n:(i+1)*p.n]...)
	}
	return q
}

// floatBytes returns the bits of xs as bytes, a map key for a row.
func floatBytes(xs []float64) []byte {
	b := make([]byte, 0, 8*len(xs))
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// enteringColumn returns the column with the most negative reduced cost (Dantzig), or the
// first negative one (Bland); -1 when none is negative: optimal.
func enteringColumn(d []float64, bland bool) int {
	e, most := -1, -lpTol
	for k, v := range d {
		if v < most {
			e, most = k, v
			if bland {
				return e
			}
		}
	}
	return e
}

// pivot makes column e basic in row r of the tableau t (rows of width w), updating the
// right-hand sides and the reduced costs d. Only the pivot row's nonzero columns change the
// other rows, so they are listed once, in nz (returned for reuse): the tableau stays sparse
// for many pivots.
func pivot(t, rhs, d []float64, w, n, r, e int, nz []int) []int {
	pr := t[r*w : (r+1)*w]
	inv := 1 / pr[e]
	for k := range pr {
		if pr[k] != 0 {
			pr[k] *= inv
			nz = append(nz, k)
		}
	}
	pr[e] = 1
	rhs[r] *= inv
	update := func(row []float64) {
		f := row[e]
		for _, k := range nz {
			row[k] -= f * pr[k]
		}
		row[e] = 0
	}
	for j := range n {
		if j == r || t[j*w+e] == 0 {
			continue
		}
		f := t[j*w+e]
		update(t[j*w : (j+1)*w])
		rhs[j] -= f * rhs[r]
	}
	if d[e] != 0 {
		update(d)
	}
	return nz
}
