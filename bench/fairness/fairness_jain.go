package fairness

import (
	"fmt"
	"math"
)

// Jain returns Jain's fairness index of xs, J = (Σx)² / (n·Σx²) (Jain, Chiu & Hawe, 1984). For
// n non-negative values J lies in [1/n, 1]: it is 1 when all values are equal and 1/n when
// one value holds everything; k equal non-zero values among n zeros give k/n. By convention J
// is 1 when xs is empty or all zero: nothing is shared unequally. J is scale-invariant; the
// values are divided by their maximum first, so large inputs do not overflow. It panics if a
// value is negative, NaN or infinite (a programmer error: the callers in this package check
// their inputs). The cost is O(n).
func Jain(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		if !(x >= 0) || math.IsInf(x, 1) {
			panic(fmt.Sprintf("fairness: Jain: value %v; want finite and >= 0", x))
		}
		m = max(m, x)
	}
	if m == 0 {
		return 1
	}
	var s, s2 float64
	for _, x := range xs {
		x /= m
		s += x
		s2 += x * x
	}
	return min(s*s/(float64(len(xs))*s2), 1) // min: rounding may exceed 1 by an ulp
}

// AgentObs is what one agent did over an observation period, in seconds: Busy on contacts
// (handle time, including after-contact work if the caller counts it as busy) and Idle
// (available with no contact). Offline time is in neither. The zero value is an agent that
// was never online.
type AgentObs struct {
	Busy, Idle float64
}

func (a AgentObs) check() error {
	if !(a.Busy >= 0) || !(a.Idle >= 0) || math.IsInf(a.Busy, 1) || math.IsInf(a.Idle, 1) {
		return fmt.Errorf("%w: agent busy %v s, idle %v s; want finite and >= 0", ErrInvalid, a.Busy, a.Idle)
	}
	return nil
}

// JainOccupancy returns Jain's index of the agents' occupancy, Busy / (Busy + Idle), as Amazon
// Connect defines occupancy; agents never online (Busy + Idle = 0) are left out. It is 1 when
// every agent was equally occupied. It returns an error wrapping ErrInvalid, and 0, if a time
// is negative, NaN or infinite. The cost is O(n).
func JainOccupancy(agents []AgentObs) (float64, error) {
	occ := make([]float64, 0, len(agents))
	for _, a := range agents {
		if err := a.check(); err != nil {
			return 0, err
		}
		if on := a.Busy + a.Idle; on > 0 {
			occ = append(occ, a.Busy/on)
		}
	}
	return Jain(occ), nil
}

// JainIdleShare returns Jain's index of the agents' shares of the total idle time, Idle /
// ΣIdle, which equals Jain's index of the idle times: near 1 when idle time is spread evenly,
// as longest-idle-agent-first routing does; near 1/n when a few agents do all the waiting.
// It compares raw idle times, so it suits agents online for the same period; compare agents on
// shifts of different lengths with JainOccupancy. Agents never online are left out. It returns an error wrapping ErrInvalid, and 0, if a time
// is negative, NaN or infinite. The cost is O(n).
func JainIdleShare(agents []AgentObs) (float64, error) {
	idle := make([]float64, 0, len(agents))
	for _, a := range agents {
		if err := a.check(); err != nil {
			return 0, err
		}
		if a.Busy+a.Idle > 0 {
			idle = append(idle, a.Idle)
		}
	}
	return Jain(idle), nil
}
