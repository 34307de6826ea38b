package sim

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// ClassTimes is one override of AgentGroup.ClassTimes: when an agent of the group takes a
// contact of Class, its handle time is drawn from HandleTime (instead of the one its
// stream drew on arrival) and its after-contact work from AfterContactWork (instead of the
// group's). At least one of the two; each class at most once per group. Trace contacts are
// overridden too. The draws come from streams of their own (per group and override), so
// adding an override leaves every other draw as it was.
type ClassTimes struct {
	Class            string `json:"class"`
	HandleTime       *Dist  `json:"handleTime,omitempty"`
	AfterContactWork *Dist  `json:"afterContactWork,omitempty"`
}

// Redial is how the contacts of a stream that abandon call again: each abandonment (of a
// first attempt or of a redial) is followed, with Probability, by a new contact of the same
// stream (queue, channel and class) after Delay, unless that falls past the horizon. A
// redial draws its handle time and patience from the stream's distributions, on streams of
// its own, so the first attempts' draws are those of a run without redials. Figures add a
// breakdown by attempt ("first", "redial"); Probability 0 is the same as no Redial.
type Redial struct {
	Probability float64 `json:"probability"`
	Delay       Dist    `json:"delay"`
}

// maxDemandCV bounds Scenario.DemandCV: beyond, the gamma factor is mostly near 0.
const maxDemandCV = 10

// validateRealism checks the fields of this file; it runs after the centre and the
// classes are checked.
func (sc *Scenario) validateRealism() error {
	if !(sc.DemandCV >= 0 && sc.DemandCV <= maxDemandCV) {
		return fieldErr("demandCV", "%v is not a number in [0, %d]", sc.DemandCV, maxDemandCV)
	}
	for i := range sc.AgentGroups {
		seen := map[string]bool{}
		for j, ct := range sc.AgentGroups[i].ClassTimes {
			f := fmt.Sprintf("agentGroups[%d].classTimes[%d]", i, j)
			switch {
			case !sc.hasClass(ct.Class):
				return fieldErr(f+".class", "unknown class %q", ct.Class)
			case seen[ct.Class]:
				return fieldErr(f+".class", "class %q is overridden twice in this group", ct.Class)
			case ct.HandleTime == nil && ct.AfterContactWork == nil:
				return fieldErr(f, "give handleTime, afterContactWork or both")
			}
			seen[ct.Class] = true
			if ct.HandleTime != nil {
				if err := ct.HandleTime.validate(f + ".handleTime"); err != nil {
					return err
				}
			}
			if ct.AfterContactWork != nil {
				if err := ct.AfterContactWork.validate(f + ".afterContactWork"); err != nil {
					return err
				}
			}
		}
	}
	for i := range sc.Arrivals {
		r := sc.Arrivals[i].Redial
		if r == nil {
			continue
		}
		f := fmt.Sprintf("arrivals[%d].redial", i)
		if !(r.Probability >= 0 && r.Probability <= 1) {
			return fieldErr(f+".probability", "%v is not in [0, 1]", r.Probability)
		}
		if err := r.Delay.validate(f + ".delay"); err != nil {
			return err
		}
	}
	return nil
}

// classTimesModel is one compiled ClassTimes.
type classTimesModel struct {
	handle, acw *Dist
}

// compileRealism compiles the overrides, the demand factor and the redials into m.
func (m *model) compileRealism() {
	sc := m.sc
	m.demandCV = sc.DemandCV
	for g := range sc.AgentGroups {
		cts := sc.AgentGroups[g].ClassTimes
		if len(cts) == 0 {
			continue
		}
		m.groups[g].times = make([]int32, len(m.classes))
		for c := range m.groups[g].times {
			m.groups[g].times[c] = -1
		}
		for _, ct := range cts {
			m.groups[g].times[m.classIdx[ct.Class]] = int32(len(m.classTimes))
			m.classTimes = append(m.classTimes, classTimesModel{handle: ct.HandleTime, acw: ct.AfterContactWork})
			m.needWake = m.needWake || ct.AfterContactWork != nil
		}
	}
	for i := range sc.Arrivals {
		if r := sc.Arrivals[i].Redial; r != nil && r.Probability > 0 {
			m.streams[i].redial = r
			m.redials = true
		}
	}
	if m.redials {
		m.cellAttempt = m.nCells
		m.nCells += 2
	}
}

// demandFactor draws a replication's busyness factor: gamma with mean 1 and cv cv.
func demandFactor(cv float64, src *rand.PCG) float64 {
	a := 1 / (cv * cv)
	// gonum's Beta is the rate: mean = Alpha/Beta = 1.
	return max(distuv.Gamma{Alpha: a, Beta: a, Src: src}.Rand(), 1e-12)
}
