package whatif

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// plan is a resolved, validated what-if cut into tasks. It is read-only once built and
// shared by the workers of a run.
type plan struct {
	spec        *WhatIf
	canonical   []byte
	fingerprint string
	base        *sim.Layout
	variants    []*sim.Scenario
	// strides[i] is how many points one step of axis i moves; nPoints is the sweep's size.
	strides   []int
	nPoints   int
	intervals []int // the solver's intervals of the cycle, in order
	pools     []pool
	// shares[i][s] is the share of arrival stream s whose load pool i's Erlang C staffing
	// carries (streamShares).
	shares [][]float64
	// goals[i] is pool i's PoolGoal, nil when the what-if gives none.
	goals []*PoolGoal
	// templates and shifts are the roster's templates and their starts (columns).
	templates []template
	shifts    []shift
}

// pool is the agents of one routing profile, as the solver staffs them: every agent group
// with the profile, merged.
type pool struct {
	// name is the pool's name in results: the profile, or "profile/group" for a pool of
	// agents with proficiencies, named after its first group.
	name    string
	profile string
	profs   []routing.Proficiency
	acw     *sim.Dist
	// queues are the pool's primary queues, whose load its Erlang C staffing carries.
	queues []int
}

// newPlan resolves and validates w and lists its tasks.
func newPlan(w *WhatIf, reps int, seed *uint64) (*plan, error) {
	spec, err := w.resolve(reps, seed)
	if err != nil {
		return nil, err
	}
	p := &plan{spec: spec}
	if p.base, err = sim.NewLayout(spec.Scenario); err != nil {
		return nil, &Error{Field: "scenario", Err: err}
	}
	if err := p.buildVariants(); err != nil {
		return nil, err
	}
	if err := p.buildAxes(); err != nil {
		return nil, err
	}
	if spec.Solve != nil {
		if err := p.buildSolver(); err != nil {
			return nil, err
		}
	}
	if err := p.validatePoolGoals(); err != nil {
		return nil, err
	}
	if err := p.buildRoster(); err != nil {
		return nil, err
	}
	if p.nTasks() > maxTasks {
		return nil, whatIfErr("sweep", "%d tasks; at most %d", p.nTasks(), maxTasks)
	}
	if p.canonical, err = json.Marshal(spec); err != nil {
		return nil, err
	}
	if p.fingerprint, err = fingerprint(p.canonical, spec.Scenario); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *plan) buildVariants() error {
	names := map[string]bool{}
	for i, v := range p.spec.Sweep.Variants {
		f := fmt.Sprintf("sweep.variants[%d]", i)
		switch {
		case v.Name == "":
			return whatIfErr(f+".name", "must not be empty")
		case names[v.Name]:
			return whatIfErr(f+".name", "duplicate variant %q", v.Name)
		}
		names[v.Name] = true
		sc, err := applyPatch(p.spec.Scenario, v.Patch)
		if err != nil {
			return &Error{Field: f + ".patch", Err: err}
		}
		// Every point reports the same service-level thresholds, the what-if's.
		sc.ServiceLevel = p.spec.Scenario.ServiceLevel
		if err := sc.Validate(); err != nil {
			return &Error{Field: f + ".patch", Reason: fmt.Sprintf("variant %q", v.Name), Err: err}
		}
		p.variants = append(p.variants, sc)
	}
	return nil
}

func (p *plan) buildAxes() error {
	axes := p.spec.Sweep.Agents
	names, onAxis := map[string]bool{}, map[string]bool{}
	for i, a := range axes {
		f := fmt.Sprintf("sweep.agents[%d]", i)
		switch {
		case a.Name == "":
			return whatIfErr(f+".name", "must not be empty")
		case names[a.Name]:
			return whatIfErr(f+".name", "duplicate axis %q", a.Name)
		}
		names[a.Name] = true
		for j, v := range a.Values {
			if v < 0 || v > 1_000_000 {
				return whatIfErr(fmt.Sprintf("%s.values[%d]", f, j), "%d is out of range 0..1000000", v)
			}
		}
		for j, g := range a.Groups {
			gf := fmt.Sprintf("%s.groups[%d]", f, j)
			if onAxis[g] {
				return whatIfErr(gf, "group %q is on two axes", g)
			}
			onAxis[g] = true
			for vi, sc := range p.variants {
				k := slices.IndexFunc(sc.AgentGroups, func(ag sim.AgentGroup) bool { return ag.ID == g })
				switch {
				case k < 0:
					return whatIfErr(gf, "unknown agent group %q (in variant %q)", g, p.spec.Sweep.Variants[vi].Name)
				case len(sc.AgentGroups[k].Staffing) > 0:
					return whatIfErr(gf, "group %q has a per-interval staffing list; sweep groups with shifts or none", g)
				}
			}
		}
	}
	p.strides = make([]int, len(axes))
	n := 1
	for i := len(axes) - 1; i >= 0; i-- {
		p.strides[i] = n
		n *= len(axes[i].Values)
		if n > maxTasks {
			return whatIfErr("sweep.agents", "more than %d points", maxTasks)
		}
	}
	p.nPoints = n * len(p.variants)
	return nil
}

// nTasks returns the number of tasks: sweep points, then solver intervals.
func (p *plan) nTasks() int { return p.nPoints + len(p.intervals) }

// point returns the variant and the agent count of each axis of sweep point i.
func (p *plan) point(i int) (variant int, counts []int) {
	per := p.nPoints / len(p.variants)
	variant, rest := i/per, i%per
	counts = make([]int, len(p.strides))
	for a, s := range p.strides {
		vals := p.spec.Sweep.Agents[a].Values
		counts[a] = vals[rest/s]
		rest %= s
	}
	return variant, counts
}

// taskKey returns the key of task i: "variant=base,sales=8,support=12" for a sweep point,
// "solve@10:00" for a solver interval.
func (p *plan) taskKey(i int) string {
	if i >= p.nPoints {
		return "solve@" + p.base.Intervals[p.intervals[i-p.nPoints]]
	}
	v, counts := p.point(i)
	var b strings.Builder
	b.WriteString("variant=" + p.spec.Sweep.Variants[v].Name)
	for a, c := range counts {
		b.WriteString("," + p.spec.Sweep.Agents[a].Name + "=" + strconv.Itoa(c))
	}
	return b.String()
}

// taskSeed returns the seed of task i. Every sweep point runs with the base seed itself
// (common random numbers: points differ by their agents and rules, not by their draws, and
// the base point reproduces a plain run of the scenario); each solver interval with
// TaskSeed(seed, its key).
func (p *plan) taskSeed(i int) uint64 {
	if i < p.nPoints {
		return *p.spec.Seed
	}
	return TaskSeed(*p.spec.Seed, p.taskKey(i))
}

// TaskSeed returns the seed of a what-if task with the given key under base seed seed: the
// first 8 bytes, big-endian, of SHA-256("routesim-whatif\x00" + decimal seed + "\x00" + key).
// It depends on nothing else, so a task gets the same seed whatever the sharding.
func TaskSeed(seed uint64, key string) uint64 {
	h := sha256.Sum256([]byte("routesim-whatif\x00" + strconv.FormatUint(seed, 10) + "\x00" + key))
	return binary.BigEndian.Uint64(h[:8])
}

// pointScenario returns the scenario of sweep point i.
func (p *plan) pointScenario(i int) (*sim.Scenario, string, []int) {
	v, counts := p.point(i)
	sc := *p.variants[v]
	sc.AgentGroups = slices.Clone(sc.AgentGroups)
	for a, c := range counts {
		for _, g := range p.spec.Sweep.Agents[a].Groups {
			k := slices.IndexFunc(sc.AgentGroups, func(ag sim.AgentGroup) bool { return ag.ID == g })
			sc.AgentGroups[k].Count = c
		}
	}
	return &sc, p.spec.Sweep.Variants[v].Name, counts
}

// fingerprint hashes the result format, the canonical what-if and the trace file, if any:
// results with equal fingerprints come from the same question.
func fingerprint(canonical []byte, sc *sim.Scenario) (string, error) {
	h := sha256.New()
	io.WriteString(h, Format+"\n")
	h.Write(canonical)
	if sc.Trace != nil {
		b, err := os.ReadFile(sc.TracePath())
		if err != nil {
			return "", fmt.Errorf("whatif: trace: %w", err)
		}
		io.WriteString(h, "\ntrace\n")
		h.Write(b)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// Fingerprint returns the fingerprint that Run of w with the given overrides of its
// replications and seed (Options.Reps and Options.Seed) writes in its result, without running
// it: a merge uses it to tell this run's partial results from stale ones. Its errors are
// Run's for an invalid what-if. The cost is resolving and validating w.
func Fingerprint(w *WhatIf, reps int, seed *uint64) (string, error) {
	p, err := newPlan(w, reps, seed)
	if err != nil {
		return "", err
	}
	return p.fingerprint, nil
}
