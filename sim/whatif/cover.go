package whatif

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// The covering problem of a roster (steps 1 and 2 of Roster): per pool, an LP relaxation and
// an integer roster by rounding plus repair. Pools share no shift, so each is its own
// program.

// coverage returns, per pool and interval of the cycle, the agents on shift and not on break
// under counts (agents starting each of p.shifts). The cost is O(Σ shifts' lengths × breaks).
func (p *plan) coverage(counts []int) [][]int {
	nInt := len(p.base.Intervals)
	cov := make([][]int, len(p.pools))
	for i := range cov {
		cov[i] = make([]int, nInt)
	}
	for j, n := range counts {
		if n > 0 {
			p.addCoverage(cov, j, n, 1)
		}
	}
	return cov
}

// addCoverage adds (sign 1) or takes away (sign -1) the coverage of n agents on shift j.
func (p *plan) addCoverage(cov [][]int, j, n, sign int) {
	p.addPoolCoverage(cov[p.templates[p.shifts[j].tpl].pool], j, n, sign)
}

// addPoolCoverage is addCoverage on the coverage of shift j's pool alone.
func (p *plan) addPoolCoverage(cov []int, j, n, sign int) {
	sh := p.shifts[j]
	tp := &p.templates[sh.tpl]
	nInt := len(p.base.Intervals)
	for o := range tp.length {
		cov[(sh.start+o)%nInt] += sign * (n - tp.onBreak(n, o))
	}
}

// gain returns the coverage one more agent on shift j adds at offset o of the shift.
func (p *plan) gain(j, n, o int) int {
	tp := &p.templates[p.shifts[j].tpl]
	return 1 - tp.onBreak(n+1, o) + tp.onBreak(n, o)
}

// checkCoverable reports, as an error naming the pool and the interval, an interval where
// a pool needs agents and no shift of the pool covers it; need(i, k) says what pool i needs
// in interval k, "" for nothing.
func (p *plan) checkCoverable(need func(i, k int) string) error {
	nInt := len(p.base.Intervals)
	for i := range p.pools {
		can := make([]bool, nInt)
		for _, sh := range p.shifts {
			tp := &p.templates[sh.tpl]
			if tp.pool != i {
				continue
			}
			for o := range tp.length {
				if tp.breakShare[o] < 1-1e-9 {
					can[(sh.start+o)%nInt] = true
				}
			}
		}
		for k := range nInt {
			if n := need(i, k); n != "" && !can[k] {
				return whatIfErr("roster.templates", "no template of pool %q covers interval %s, %s; add a template whose shifts span it",
					p.pools[i].name, p.base.Intervals[k], n)
			}
		}
	}
	return nil
}

// poolShifts returns the indices of the shifts of pool i.
func (p *plan) poolShifts(i int) []int {
	var out []int
	for j, sh := range p.shifts {
		if p.templates[sh.tpl].pool == i {
			out = append(out, j)
		}
	}
	return out
}

// solveLP solves the LP relaxation of pool i's covering program against requirement req
// (per interval) and returns the fractional count of each of its shifts (cols) and the cost.
func (p *plan) solveLP(i int, cols []int, req []int) ([]float64, float64, error) {
	nInt := len(p.base.Intervals)
	var rows []int
	for k, r := range req {
		if r > 0 {
			rows = append(rows, k)
		}
	}
	rowOf := make([]int, nInt)
	for k := range rowOf {
		rowOf[k] = -1
	}
	for r, k := range rows {
		rowOf[k] = r
	}
	// Template bounds become rows too: Σ x >= min, -Σ x >= -max.
	type bound struct {
		tpl  int
		sign float64
		v    int
	}
	var bounds []bound
	for t, tp := range p.templates {
		if tp.pool != i {
			continue
		}
		if tp.min > 0 {
			bounds = append(bounds, bound{t, 1, tp.min})
		}
		if tp.max > 0 {
			bounds = append(bounds, bound{t, -1, tp.max})
		}
	}
	m, n := len(rows)+len(bounds), len(cols)
	if n == 0 || m == 0 {
		return make([]float64, n), 0, nil
	}
	lp := &coverLP{m: m, n: n, g: make([]float64, m*n), h: make([]float64, m), c: make([]float64, n)}
	for r, k := range rows {
		lp.h[r] = float64(req[k])
	}
	for b, bd := range bounds {
		lp.h[len(rows)+b] = bd.sign * float64(bd.v)
	}
	for c, j := range cols {
		sh := p.shifts[j]
		tp := &p.templates[sh.tpl]
		lp.c[c] = tp.cost
		for o := range tp.length {
			if r := rowOf[(sh.start+o)%nInt]; r >= 0 {
				lp.g[r*n+c] += 1 - tp.breakShare[o]
			}
		}
		for b, bd := range bounds {
			if bd.tpl == sh.tpl {
				lp.g[(len(rows)+b)*n+c] = bd.sign
			}
		}
	}
	x, cost, err := lp.solve()
	if err != nil {
		return nil, 0, fmt.Errorf("%w (pool %s: check the templates' minimum and maximum counts)", err, p.pools[i].name)
	}
	return x, cost, nil
}

// integerRoster turns the LP solution x of pool i (over cols) into whole counts, written into
// counts (indexed like p.shifts): x rounded down, template minimums met, then the shift with
// the least cost per agent-interval of shortfall it covers added until no interval of req
// is short, then shifts removed, dearest first, while no interval becomes short.
func (p *plan) integerRoster(i int, cols []int, x []float64, req []int, counts []int) error {
	for c, j := range cols {
		counts[j] = int(math.Floor(x[c] + 1e-7))
	}
	cov := p.coverage(counts)[i]
	perTpl := map[int]int{}
	for _, j := range cols {
		perTpl[p.shifts[j].tpl] += counts[j]
	}
	add := func(j int) {
		p.addPoolCoverage(cov, j, counts[j], -1)
		counts[j]++
		p.addPoolCoverage(cov, j, counts[j], 1)
		perTpl[p.shifts[j].tpl]++
	}
	// score returns shift j's cost per agent-interval of shortfall that one more agent
	// covers; +Inf when it covers none or is at its template's maximum.
	score := func(j int) float64 {
		tp := &p.templates[p.shifts[j].tpl]
		if tp.max > 0 && perTpl[p.shifts[j].tpl] >= tp.max {
			return math.Inf(1)
		}
		nInt := len(p.base.Intervals)
		covered := 0
		for o := range tp.length {
			k := (p.shifts[j].start + o) % nInt
			if short := req[k] - cov[k]; short > 0 {
				covered += min(short, p.gain(j, counts[j], o))
			}
		}
		if covered == 0 {
			return math.Inf(1)
		}
		return tp.cost / float64(covered)
	}
	best := func(ok func(j int) bool) int {
		b, bs := -1, math.Inf(1)
		for _, j := range cols {
			if !ok(j) {
				continue
			}
			s := score(j)
			if tp := &p.templates[p.shifts[j].tpl]; math.IsInf(s, 1) && (tp.max == 0 || perTpl[p.shifts[j].tpl] < tp.max) {
				s = math.MaxFloat64 // no shortfall left to cover: any start will do
			}
			if s < bs {
				b, bs = j, s
			}
		}
		return b
	}
	for t, tp := range p.templates {
		for tp.pool == i && perTpl[t] < tp.min {
			j := best(func(j int) bool { return p.shifts[j].tpl == t })
			if j < 0 {
				return whatIfErr("roster.templates", "template %q cannot reach its minimum %d", tp.name, tp.min)
			}
			add(j)
		}
	}
	for k := 0; k < len(req); {
		if cov[k] >= req[k] {
			k++
			continue
		}
		j := best(func(j int) bool { return p.covers(j, k) && !math.IsInf(score(j), 1) })
		if j < 0 {
			return whatIfErr("roster.templates", "pool %q: interval %s needs %d agents and every template covering it is at its maximum",
				p.pools[i].name, p.base.Intervals[k], req[k])
		}
		add(j)
	}
	p.prune(i, cols, req, counts, cov, perTpl)
	return nil
}

// covers reports whether shift j has an agent on duty, break aside, in interval k.
func (p *plan) covers(j, k int) bool {
	sh := p.shifts[j]
	tp := &p.templates[sh.tpl]
	nInt := len(p.base.Intervals)
	o := ((k-sh.start)%nInt + nInt) % nInt
	return o < tp.length && tp.breakShare[o] < 1-1e-9
}

// prune removes agents from pool i's shifts, dearest first (ties: the later start), while
// coverage cov still meets req and every template keeps its minimum.
func (p *plan) prune(i int, cols []int, req []int, counts []int, cov []int, perTpl map[int]int) {
	order := slices.Clone(cols)
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(p.templates[p.shifts[b].tpl].cost, p.templates[p.shifts[a].tpl].cost), cmp.Compare(b, a))
	})
	nInt := len(p.base.Intervals)
	for _, j := range order {
		sh := p.shifts[j]
		tp := &p.templates[sh.tpl]
		for counts[j] > 0 && perTpl[sh.tpl] > tp.min {
			ok := true
			for o := range tp.length {
				k := (sh.start + o) % nInt
				lost := p.gain(j, counts[j]-1, o)
				if req[k] > 0 && cov[k]-lost < req[k] {
					ok = false
					break
				}
			}
			if !ok {
				break
			}
			p.addPoolCoverage(cov, j, counts[j], -1)
			counts[j]--
			p.addPoolCoverage(cov, j, counts[j], 1)
			perTpl[sh.tpl]--
		}
	}
}
