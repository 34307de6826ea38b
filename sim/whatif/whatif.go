package whatif

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"github.com/routesim/routesim/internal/jsonnames"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// A what-if is the planner's question put to the simulator: a scenario, a sweep of agent
// counts and rule variants to run it under, targets, and a staffing solver. The README's "Capacity what-if" section
// documents the file format with the built-in default (Default) as its example.
//
// A what-if is cut into tasks: first the sweep's points, the cartesian product of the
// variants and the agent counts (variant outermost, then the ranges in the order listed, the
// last one fastest), then the solver's intervals in the order of the cycle. Task i has a
// fixed index and key whatever the sharding, and so a fixed seed (the base seed for every
// sweep point, TaskSeed of its key for a solver interval): shard k of n runs the tasks whose
// index is k modulo n, and Merge joins the shards' results into exactly the result of
// the unsharded run.

// Format names the version of the what-if result format; Merge refuses results
// of another version.
const Format = "routesim-whatif/1"

// Defaults of a what-if's fields.
const (
	// DefaultConfidence is the level of every confidence interval.
	DefaultConfidence = 0.95
	// DefaultSolveHorizon and DefaultSolveWarmup are the measured time and the warm-up of
	// each replication of an interval's stationary run.
	DefaultSolveHorizon = sim.Duration(2 * time.Hour)
	DefaultSolveWarmup  = sim.Duration(30 * time.Minute)
	// DefaultMaxAgents bounds the solver's search per pool.
	DefaultMaxAgents = 1000
	// maxTasks bounds the tasks of one what-if.
	maxTasks = 1_000_000
)

// WhatIf is a what-if file: the scenario (inline or as a file), the replications and seed of
// every run, a sweep, targets and the staffing solver. The zero Sweep runs the scenario as it
// is, once; a nil Solve skips the solver.
//
// A WhatIf is plain data, decoded with Decode or Load or built in Go; Run
// resolves it (loads the scenario file, fills defaults, applies the variants' patches) and
// validates it. It is not modified by a run.
type WhatIf struct {
	// Name labels the what-if in reports; optional.
	Name string `json:"name,omitempty"`
	// Scenario is the centre, inline; or ScenarioFile names a scenario file, relative to the
	// what-if file's directory. Exactly one of the two.
	Scenario     *sim.Scenario `json:"scenario,omitempty"`
	ScenarioFile string        `json:"scenarioFile,omitempty"`
	// Reps is the number of replications of every run (each sweep point, each staffing the
	// solver tries); the scenario's Replications (10 by default) when 0.
	Reps int `json:"reps,omitempty"`
	// Seed is the base seed of every run; the scenario's Seed when nil.
	Seed *uint64 `json:"seed,omitempty"`
	// Confidence is the level of the confidence intervals; 0.95 when 0.
	Confidence float64 `json:"confidence,omitempty"`
	// Sweep lists agent counts and rule variants to run the scenario under.
	Sweep Sweep `json:"sweep,omitzero"`
	// Targets are the service goals the solver staffs for and the sweep's points are checked
	// against. With none and a solver, every queue gets 80% within 20 s and at most 5%
	// abandonment (DefaultTargets).
	Targets []Target `json:"targets,omitempty"`
	// Solve, when set, runs the staffing solver.
	Solve *Solve `json:"solve,omitempty"`
	// Pools set each solver pool's shrinkage, occupancy bound and cost of an agent-hour
	// (PoolGoal); a pool not listed has none. They need Solve.
	Pools []PoolGoal `json:"pools,omitempty"`
	// Roster, when set, builds a roster from shift templates that covers the solver's
	// requirements at least cost, and verifies and repairs it by simulation. It needs Solve.
	Roster *Roster `json:"roster,omitempty"`

	// dir resolves ScenarioFile and the scenario's trace.
	dir string
}

// Sweep is the grid of a what-if: every variant with every combination of agent counts.
// Without Variants the scenario runs as given, under the name "base"; without Agents each
// variant runs with the scenario's agent counts.
type Sweep struct {
	Agents   []AgentRange `json:"agents,omitempty"`
	Variants []Variant    `json:"variants,omitempty"`
}

// AgentRange is one axis of the sweep: the number of agents of one or more agent groups
// (each set to the value, such as an early and a late shift of the same team). The values
// are either Values or From..To by Step (Step 1 when 0).
type AgentRange struct {
	// Name names the axis in tables and charts; required.
	Name string `json:"name"`
	// Groups are the agent groups the axis sets; [Name] when empty. A group may be on one
	// axis only and must not have a per-interval Staffing list.
	Groups []string `json:"groups,omitempty"`
	From   int      `json:"from,omitempty"`
	To     int      `json:"to,omitempty"`
	Step   int      `json:"step,omitempty"`
	Values []int    `json:"values,omitempty"`
}

// Variant is a named change of the scenario's rules: Patch is a JSON merge patch (RFC 7386)
// of the scenario (any field but serviceLevel, which is the what-if's for every point), extended for arrays of objects: where the scenario has an array and the
// patch an object, each key of the object names the elements to patch by their "id", their
// "queueId", or "queueId/channel" (an entry of a routing profile), and its value patches them
// (null removes them). An array in the patch replaces the scenario's, as in RFC 7386:
//
//	{"name": "no-vip-priority", "patch": {"classes": {"vip": {"priority": 5}}}}
//	{"name": "overflow-30s", "patch": {"routingProfiles": {"sales": {"queues": {"support": {"delaySeconds": 30}}}}}}
type Variant struct {
	Name  string          `json:"name"`
	Patch json.RawMessage `json:"patch,omitempty"`
}

// Target is a service goal for the contacts of one queue, one class, or all contacts (when
// neither Queue nor Class is set). Each goal it sets is met when the point estimate over the
// replications meets it; the confidence interval is reported beside it. A goal with nothing
// to measure (no contacts) is met.
type Target struct {
	Queue string `json:"queue,omitempty"`
	Class string `json:"class,omitempty"`
	// ServiceLevel, when positive, is the least share of contacts answered within Within
	// (20 s when 0), of those handled or abandoned.
	ServiceLevel float64      `json:"serviceLevel,omitempty"`
	Within       sim.Duration `json:"within,omitempty"`
	// MaxAbandon, when set, is the largest share of contacts that may abandon.
	MaxAbandon *float64 `json:"maxAbandon,omitempty"`
	// MaxASA, when positive, is the largest average speed of answer.
	MaxASA sim.Duration `json:"maxASA,omitempty"`
}

// DefaultWithin is a Target's Within when 0.
const DefaultWithin = sim.Duration(20 * time.Second)

// Solve configures the staffing solver: for each interval of the cycle, it simulates the
// centre in steady state at that interval's arrival rates, with one agent group per routing
// profile (a pool) on duty throughout, and searches the fewest agents per pool that meet
// the targets.
type Solve struct {
	// Intervals lists the intervals to solve by their start in the cycle ("10:00"); every
	// interval with arrivals when empty.
	Intervals []string `json:"intervals,omitempty"`
	// Horizon is the measured time of each replication, after Warmup; 2h and 30m when 0.
	Horizon sim.Duration `json:"horizon,omitempty"`
	Warmup  sim.Duration `json:"warmup,omitempty"`
	// MaxAgents bounds the agents of one pool; 1000 when 0. An interval whose targets need
	// more is reported as not met.
	MaxAgents int `json:"maxAgents,omitempty"`
}

// DefaultTargets returns the targets of a what-if with a solver and no targets: for every
// queue of sc, 80% answered within 20 s and at most 5% abandoned.
func DefaultTargets(sc *sim.Scenario) []Target {
	var ts []Target
	for _, q := range sc.Queues {
		ab := 0.05
		ts = append(ts, Target{Queue: q.ID, ServiceLevel: 0.8, Within: DefaultWithin, MaxAbandon: &ab})
	}
	return ts
}

// ErrInvalid is wrapped by every error in a what-if file; use errors.As with
// *Error to read the field.
var ErrInvalid = errors.New("whatif: invalid what-if")

// Error names the what-if field that is wrong as a path such as
// "sweep.agents[0].groups[1]", and why; Err, when set, is the scenario's error behind it.
type Error struct {
	Field  string
	Reason string
	Err    error
}

// Error implements error.
func (e *Error) Error() string {
	s := "whatif: invalid what-if"
	if e.Field != "" {
		s += ": " + e.Field
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the scenario error behind e, if any.
func (e *Error) Unwrap() error { return e.Err }

func whatIfErr(field, format string, args ...any) error {
	return &Error{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Load reads a what-if file. A file that has neither "scenario" nor "scenarioFile" at
// its top level is taken as a plain scenario: it runs as it is (one point, variant "base")
// and, unless it replays a trace, the staffing solver runs on it with DefaultTargets. It
// does not validate the what-if; Run does.
func Load(path string) (*WhatIf, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	w, err := Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	w.dir = filepath.Dir(path)
	if w.Scenario != nil {
		w.Scenario.SetDir(w.dir)
	}
	return w, nil
}

// Decode reads a what-if (or a plain scenario, as Load does) as JSON, rejecting
// unknown fields (names are case-sensitive); the error names the field's path.
func Decode(r io.Reader) (*WhatIf, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, &Error{Reason: err.Error()}
	}
	_, hasSc := top["scenario"]
	_, hasFile := top["scenarioFile"]
	if !hasSc && !hasFile {
		sc, err := sim.DecodeScenario(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		w := &WhatIf{Name: sc.Name, Scenario: sc}
		if sc.Trace == nil {
			w.Solve = &Solve{}
		}
		return w, nil
	}
	var unknown *jsonnames.Error
	if err := jsonnames.Check(b, reflect.TypeFor[WhatIf]()); errors.As(err, &unknown) {
		return nil, whatIfErr(unknown.Path, "unknown field %q (names are case-sensitive)", unknown.Name)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	w := new(WhatIf)
	if err := dec.Decode(w); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, whatIfErr(te.Field, "%v", err)
		}
		return nil, &Error{Reason: err.Error()}
	}
	return w, nil
}

// SetDir sets the directory that ScenarioFile and the scenario's trace are resolved against
// (Load sets it to the file's directory).
func (w *WhatIf) SetDir(dir string) {
	w.dir = dir
	if w.Scenario != nil {
		w.Scenario.SetDir(dir)
	}
}

// resolve returns the what-if with the scenario loaded and every default filled in: the
// canonical form, whose JSON the fingerprint hashes. overrides of reps and seed apply first.
func (w *WhatIf) resolve(reps int, seed *uint64) (*WhatIf, error) {
	r := *w
	r.Sweep.Agents = slices.Clone(w.Sweep.Agents)
	r.Sweep.Variants = slices.Clone(w.Sweep.Variants)
	r.Targets = slices.Clone(w.Targets)
	r.Pools = slices.Clone(w.Pools)
	switch {
	case w.Scenario != nil && w.ScenarioFile != "":
		return nil, whatIfErr("scenarioFile", "give scenario or scenarioFile, not both")
	case w.Scenario == nil && w.ScenarioFile == "":
		return nil, whatIfErr("scenario", "missing; give scenario or scenarioFile")
	case w.Scenario != nil:
		sc := *w.Scenario
		r.Scenario = &sc
	default:
		path := w.ScenarioFile
		if !filepath.IsAbs(path) && w.dir != "" {
			path = filepath.Join(w.dir, path)
		}
		sc, err := sim.LoadScenario(path)
		if err != nil {
			return nil, &Error{Field: "scenarioFile", Err: err}
		}
		r.Scenario, r.ScenarioFile = sc, ""
	}
	sc := r.Scenario
	if err := sc.Validate(); err != nil {
		return nil, &Error{Field: "scenario", Err: err}
	}
	if reps > 0 {
		r.Reps = reps
	}
	if r.Reps == 0 {
		r.Reps = cmp.Or(sc.Replications, sim.DefaultReplications)
	}
	if seed != nil {
		r.Seed = seed
	}
	if r.Seed == nil {
		s := sc.Seed
		r.Seed = &s
	}
	r.Confidence = cmp.Or(r.Confidence, DefaultConfidence)
	switch {
	case r.Reps < 0:
		return nil, whatIfErr("reps", "%d is negative", r.Reps)
	case !(r.Confidence > 0 && r.Confidence < 1):
		return nil, whatIfErr("confidence", "%v is not in (0, 1)", r.Confidence)
	}
	// The run's replications and seed are the what-if's; the scenario says the same so that
	// its JSON is not misleading.
	sc.Replications, sc.Seed = r.Reps, *r.Seed
	if r.Solve != nil {
		s := *r.Solve
		s.Horizon = cmp.Or(s.Horizon, DefaultSolveHorizon)
		s.Warmup = cmp.Or(s.Warmup, DefaultSolveWarmup)
		if s.MaxAgents == 0 {
			s.MaxAgents = DefaultMaxAgents
		}
		r.Solve = &s
		if r.Roster != nil {
			ro := *r.Roster
			ro.MaxIterations = cmp.Or(ro.MaxIterations, DefaultMaxIterations)
			r.Roster = &ro
		}
		if len(r.Targets) == 0 {
			r.Targets = DefaultTargets(sc)
		}
	}
	for i := range r.Targets {
		if r.Targets[i].ServiceLevel > 0 {
			r.Targets[i].Within = cmp.Or(r.Targets[i].Within, DefaultWithin)
		}
	}
	if err := r.validateTargets(); err != nil {
		return nil, err
	}
	sc.ServiceLevel = r.thresholds()
	if len(r.Sweep.Variants) == 0 {
		r.Sweep.Variants = []Variant{{Name: "base"}}
	}
	for i := range r.Sweep.Agents {
		a := &r.Sweep.Agents[i]
		if len(a.Groups) == 0 {
			a.Groups = []string{a.Name}
		}
		if len(a.Values) == 0 {
			step := a.Step
			if step == 0 {
				step = 1
			}
			if step < 0 || a.To < a.From || (a.To-a.From)/step >= maxTasks {
				return nil, whatIfErr(fmt.Sprintf("sweep.agents[%d]", i), "from %d to %d by %d is not a range; want from <= to and step > 0", a.From, a.To, a.Step)
			}
			for v := a.From; v <= a.To; v += step {
				a.Values = append(a.Values, v)
			}
		} else if a.From != 0 || a.To != 0 || a.Step != 0 {
			return nil, whatIfErr(fmt.Sprintf("sweep.agents[%d].values", i), "give values or from/to/step, not both")
		}
		a.From, a.To, a.Step = 0, 0, 0
	}
	return &r, nil
}

// thresholds returns the scenario's service-level thresholds and the targets', ascending,
// without repeats.
func (w *WhatIf) thresholds() []sim.Duration {
	t := slices.Clone(w.Scenario.ServiceLevel)
	if len(t) == 0 {
		t = slices.Clone(sim.DefaultServiceLevel)
	}
	for _, g := range w.Targets {
		if g.ServiceLevel > 0 {
			t = append(t, g.Within)
		}
	}
	slices.Sort(t)
	return slices.Compact(t)
}

func (w *WhatIf) validateTargets() error {
	sc := w.Scenario
	for i, g := range w.Targets {
		f := fmt.Sprintf("targets[%d]", i)
		switch {
		case g.Queue != "" && g.Class != "":
			return whatIfErr(f, "give queue or class, not both")
		case g.Queue != "" && !slices.ContainsFunc(sc.Queues, func(q routing.QueueConfig) bool { return q.ID == g.Queue }):
			return whatIfErr(f+".queue", "unknown queue %q", g.Queue)
		case g.Class != "" && !hasClass(sc, g.Class):
			return whatIfErr(f+".class", "unknown class %q", g.Class)
		case !(g.ServiceLevel >= 0 && g.ServiceLevel <= 1):
			return whatIfErr(f+".serviceLevel", "%v is not a share in [0, 1]", g.ServiceLevel)
		case g.Within < 0 || g.Within > sim.MaxTime:
			return whatIfErr(f+".within", "%v is out of range", g.Within)
		case g.MaxAbandon != nil && !(*g.MaxAbandon >= 0 && *g.MaxAbandon <= 1):
			return whatIfErr(f+".maxAbandon", "%v is not a share in [0, 1]", *g.MaxAbandon)
		case g.MaxASA < 0:
			return whatIfErr(f+".maxASA", "%v is negative", g.MaxASA)
		case g.ServiceLevel == 0 && g.MaxAbandon == nil && g.MaxASA == 0:
			return whatIfErr(f, "sets no goal; give serviceLevel, maxAbandon or maxASA")
		}
	}
	return nil
}

// hasClass reports whether contacts of sc can be of class id: a declared class, or
// sim.DefaultClass.
func hasClass(sc *sim.Scenario, id string) bool {
	return id == sim.DefaultClass || slices.ContainsFunc(sc.Classes, func(c sim.Class) bool { return c.ID == id })
}
