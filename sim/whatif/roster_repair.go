package whatif

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// repair runs the iterations after the first (see Roster) and returns the evaluation of
// the roster it leaves in counts.
func (p *plan) repair(ctx context.Context, counts []int, req [][]int, ev *rosterEval, out *RosterResult, workers int) (*rosterEval, error) {
	budget := cmp.Or(p.spec.Roster.MaxIterations, DefaultMaxIterations)
	tried := map[int]bool{}
	rounds := make([]int, len(p.base.Intervals)) // rounds in which each interval got a shift
	for it := 1; it < budget; it++ {
		if !ev.met() {
			added := p.addShifts(counts, req, ev, rounds)
			if len(added) == 0 {
				break
			}
			next, err := p.simRoster(ctx, counts, out.Seed, workers)
			if err != nil {
				return nil, err
			}
			ev = next
			out.Iterations = append(out.Iterations, p.iteration(it, "added "+p.shiftList(added), counts, ev, true))
			continue
		}
		j := p.removalCandidate(counts, ev, tried)
		if j < 0 {
			break
		}
		counts[j]--
		next, err := p.simRoster(ctx, counts, out.Seed, workers)
		if err != nil {
			return nil, err
		}
		kept := next.met()
		out.Iterations = append(out.Iterations, p.iteration(it, "removed "+p.shiftList([]int{j}), counts, next, kept))
		if kept {
			ev = next
		} else {
			counts[j]++
			tried[j] = true
		}
	}
	return ev, nil
}

// addShifts adds, for each interval missed in ev (or, when only whole-run targets are
// missed, the interval with the least margin), one agent on the cheapest shift covering it
// of the pool with the least coverage against its requirement there, among the pools its
// missed goals point to (a missed occupancy bound to its pool, a missed queue goal to the
// pools with that primary queue; every pool for class and all-contacts goals), unless a
// shift added in this round already covers it for that pool. An interval missed again
// takes the pool next in that order (rounds counts the rounds each interval got a shift
// in). It returns the shifts added.
func (p *plan) addShifts(counts []int, req [][]int, ev *rosterEval, rounds []int) []int {
	cov := p.coverage(counts)
	var missed []int
	for k, iv := range ev.intervals {
		if !iv.Met {
			missed = append(missed, k)
		}
	}
	if len(missed) == 0 {
		worst := -1
		for k, m := range ev.margins {
			if !math.IsInf(m, 1) && (worst < 0 || m < ev.margins[worst]) {
				worst = k
			}
		}
		if worst < 0 {
			return nil
		}
		missed = []int{worst}
	}
	perTpl := make([]int, len(p.templates))
	for j, n := range counts {
		perTpl[p.shifts[j].tpl] += n
	}
	var added []int
	for _, k := range missed {
		order := p.poolsByNeed(cov, req, k)
		if s := ev.short[k]; len(s) > 0 {
			if f := slices.DeleteFunc(slices.Clone(order), func(i int) bool { return !slices.Contains(s, i) }); len(f) > 0 {
				order = f
			}
		}
		if len(order) == 0 {
			continue
		}
		i := order[rounds[k]%len(order)]
		if slices.ContainsFunc(added, func(j int) bool { return p.templates[p.shifts[j].tpl].pool == i && p.covers(j, k) }) {
			continue
		}
		best := -1
		for j, sh := range p.shifts {
			tp := &p.templates[sh.tpl]
			if tp.pool != i || !p.covers(j, k) || (tp.max > 0 && perTpl[sh.tpl] >= tp.max) {
				continue
			}
			if best < 0 || tp.cost < p.templates[p.shifts[best].tpl].cost {
				best = j
			}
		}
		if best < 0 {
			continue
		}
		p.addCoverage(cov, best, counts[best], -1)
		counts[best]++
		p.addCoverage(cov, best, counts[best], 1)
		perTpl[p.shifts[best].tpl]++
		added = append(added, best)
		rounds[k]++
	}
	return added
}

// poolsByNeed returns the pools with shifts covering interval k, the least covered against
// their requirement there first (coverage / requirement; pools without requirement last;
// ties in pool order).
func (p *plan) poolsByNeed(cov, req [][]int, k int) []int {
	var out []int
	ratio := make([]float64, len(p.pools))
	for i := range p.pools {
		if !slices.ContainsFunc(p.poolShifts(i), func(j int) bool { return p.covers(j, k) }) {
			continue
		}
		ratio[i] = math.MaxFloat64
		if req[i][k] > 0 {
			ratio[i] = float64(cov[i][k]) / float64(req[i][k])
		}
		out = append(out, i)
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(ratio[a], ratio[b]) })
	return out
}

// removalCandidate returns the shift to try without one agent: among shifts with agents,
// not tried, above their template's minimum, and whose intervals all met their goals,
// the one whose least margin over its intervals is largest (ties: the dearest, then the
// first); -1 when none.
func (p *plan) removalCandidate(counts []int, ev *rosterEval, tried map[int]bool) int {
	perTpl := make([]int, len(p.templates))
	for j, n := range counts {
		perTpl[p.shifts[j].tpl] += n
	}
	nInt := len(p.base.Intervals)
	best, bestSlack := -1, 0.0
	for j, n := range counts {
		sh := p.shifts[j]
		tp := &p.templates[sh.tpl]
		if n == 0 || tried[j] || perTpl[sh.tpl] <= tp.min {
			continue
		}
		slack := math.Inf(1)
		for o := range tp.length {
			slack = min(slack, ev.margins[(sh.start+o)%nInt])
		}
		if !(slack > 0) {
			continue
		}
		if best < 0 || slack > bestSlack || (slack == bestSlack && tp.cost > p.templates[p.shifts[best].tpl].cost) {
			best, bestSlack = j, slack
		}
	}
	return best
}
