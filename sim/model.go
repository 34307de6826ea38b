package sim

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// model is a validated scenario compiled for the engine: names resolved to indices, rates
// per nanosecond, schedules as breakpoints. It is read-only and shared by the engines of a
// run's workers.
type model struct {
	sc                                    *Scenario
	horizon, warmup, interval, cycle      int64
	nInt                                  int
	sl                                    []int64
	slDur                                 []Duration
	queues                                []string
	queueIdx                              map[string]int
	classes                               []classModel
	classIdx                              map[string]int
	lanes                                 []laneModel
	laneIdx                               map[laneKey]int
	streams                               []streamModel
	groups                                []groupModel
	agents                                []agentModel
	agentIdx                              map[string]int32
	cfg                                   routing.InstanceConfig
	needWake                              bool
	tracePath                             string
	defaultClass                          int
	crits                                 []critModel
	stepClasses                           []int // the classes with routing criteria, in order
	nCells, cellQueue, cellClass, cellInt int
	// demandCV is Scenario.DemandCV; classTimes the groups' overrides (groupModel.times
	// indexes them); redials is true when a stream redials, and then the cells
	// cellAttempt (first attempts) and cellAttempt+1 (redials) exist.
	demandCV    float64
	classTimes  []classTimesModel
	redials     bool
	cellAttempt int
	// detail, when not nil, places the per-interval cells of queues and classes
	// (RunOptions.IntervalDetail).
	detail *detailLayout
	// flows is true when a queue has a capacity, a class an at-capacity branch (atCap, per
	// class, -1 for none) or a transfer or callback rule; callbacks when a callback rule
	// exists, nCallbacks of them (flows.go).
	flows, callbacks bool
	atCap            []int
	nCallbacks       int
}

type laneKey struct {
	queue int
	ch    contact.Channel
}

type laneModel struct {
	queue int
	ch    contact.Channel
}

type classModel struct {
	id    string
	prio  int64
	adj   time.Duration
	rules []ruleModel
	crit  int // index in model.crits of the criteria set at arrival, or -1
	steps int // the most steps of the class's criteria (0: none)
	// stepIdx indexes model.stepClasses (and the engine's step cells), -1 for a class
	// without criteria.
	stepIdx int
}

type ruleModel struct {
	after  int64
	upd    contact.RoutingUpdate
	hasUpd bool
	crit   int       // index in model.crits of the criteria the rule sets, or -1
	flow   *flowRule // a transfer or callback rule, or nil
}

// critModel is one routing criteria of the scenario (a class's or a rule's).
type critModel struct {
	rc *routing.RoutingCriteriaInput
	// ends[i] is when step i expires, counted from the criteria's activation, or -1 for
	// never (as routing's package doc: a step's duration counts from when it became active).
	ends []int64
}

// stepAt returns the step active after d of activation: the first whose end is later (a
// duration that has just passed has expired, at the same instant, before any offer), or
// len(ends) once every step has expired.
func (c *critModel) stepAt(d int64) int {
	for i, e := range c.ends {
		if e < 0 || d < e {
			return i
		}
	}
	return len(c.ends)
}

// addCrit compiles rc and returns its index in m.crits.
func (m *model) addCrit(rc *routing.RoutingCriteriaInput) int {
	c := critModel{rc: rc, ends: make([]int64, len(rc.Steps))}
	var end int64
	for i, st := range rc.Steps {
		switch {
		case end < 0:
		case st.Expiry == nil || st.Expiry.DurationInSeconds == nil:
			end = -1
		default:
			end += int64(*st.Expiry.DurationInSeconds) * int64(time.Second)
		}
		c.ends[i] = end
	}
	m.crits = append(m.crits, c)
	return len(m.crits) - 1
}

type streamModel struct {
	queue, lane int
	ch          contact.Channel
	rate        float64   // constant rate per ns, or 0 when rates is set
	rates       []float64 // per interval of the cycle, per ns
	perCycle    float64   // expected arrivals in a whole cycle, when rates is set
	classes     []int     // class mix: classes[i] with cumulative weight cum[i]
	cum         []float64
	handle      *Dist
	patience    *Dist
	redial      *Redial // nil, or a positive probability
}

type groupModel struct {
	id      string
	count   int
	first   int // index of the group's first agent
	acw     *Dist
	bps     []breakpoint // ascending offsets in the cycle, the first at 0
	profile string
	// times, when the group overrides class times, gives per class the index in
	// model.classTimes, or -1.
	times []int32
}

// breakpoint: from offset off in the cycle, n agents of the group are on duty.
type breakpoint struct {
	off int64
	n   int
}

type agentModel struct {
	id    string
	group int
}

// compile validates sc and builds its model.
func compile(sc *Scenario) (*model, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	m := &model{
		sc: sc, horizon: int64(sc.Horizon), warmup: int64(sc.Warmup),
		interval: int64(sc.interval()), cycle: int64(sc.cycle()), nInt: sc.nIntervals(),
		slDur: sc.serviceLevel(), queueIdx: map[string]int{}, classIdx: map[string]int{},
		laneIdx: map[laneKey]int{}, agentIdx: map[string]int32{},
	}
	for _, t := range m.slDur {
		m.sl = append(m.sl, int64(t))
	}
	for i, q := range sc.Queues {
		m.queues = append(m.queues, q.ID)
		m.queueIdx[q.ID] = i
	}
	m.compileClasses()
	m.compileStreams()
	if err := m.compileGroups(); err != nil {
		return nil, err
	}
	m.cellQueue = 1
	m.cellClass = m.cellQueue + len(m.queues)
	m.cellInt = m.cellClass + len(m.classes)
	m.nCells = m.cellInt + m.nInt
	m.compileRealism()
	m.compileFlows()
	if sc.Trace != nil {
		m.tracePath = sc.tracePath()
		// Lanes the trace uses are not known before reading it: add every (queue, channel)
		// that a profile serves.
		for _, p := range sc.RoutingProfiles {
			for _, e := range p.Queues {
				m.lane(m.queueIdx[e.QueueID], e.Channel)
			}
		}
	}
	return m, nil
}

func (m *model) compileClasses() {
	sc := m.sc
	for _, c := range sc.Classes {
		cm := classModel{id: c.ID, prio: cmpOrInt(c.Priority, contact.DefaultPriority), adj: c.AgeAdjustment.D(), crit: -1, stepIdx: -1}
		if c.RoutingCriteria != nil {
			cm.crit = m.addCrit(c.RoutingCriteria)
			cm.steps = len(c.RoutingCriteria.Steps)
		}
		rules := slices.Clone(c.Rules)
		slices.SortStableFunc(rules, func(a, b Rule) int { return cmp.Compare(a.After, b.After) })
		for _, r := range rules {
			rm := ruleModel{after: int64(r.After), crit: -1, flow: m.flowRuleOf(&r)}
			switch {
			case r.SetPriority != nil:
				rm.upd, rm.hasUpd = contact.SetPriority(*r.SetPriority), true
			case r.AddAge != nil:
				rm.upd, rm.hasUpd = contact.AdjustAge(r.AddAge.D()), true
			}
			if r.SetRoutingCriteria != nil {
				rm.crit = m.addCrit(r.SetRoutingCriteria)
				cm.steps = max(cm.steps, len(r.SetRoutingCriteria.Steps))
			}
			cm.rules = append(cm.rules, rm)
		}
		if cm.crit >= 0 || cm.steps > 0 {
			cm.stepIdx = len(m.stepClasses)
			m.stepClasses = append(m.stepClasses, len(m.classes))
		}
		m.classIdx[c.ID] = len(m.classes)
		m.classes = append(m.classes, cm)
	}
	m.defaultClass = -1
	if i, ok := m.classIdx[DefaultClass]; ok {
		m.defaultClass = i
		return
	}
	needDefault := sc.Trace != nil
	for _, a := range sc.Arrivals {
		needDefault = needDefault || a.Class == DefaultClass || (a.Class == "" && len(a.Classes) == 0)
		for _, cw := range a.Classes {
			needDefault = needDefault || cw.Class == DefaultClass
		}
	}
	if needDefault {
		m.defaultClass = len(m.classes)
		m.classIdx[DefaultClass] = m.defaultClass
		m.classes = append(m.classes, classModel{id: DefaultClass, prio: contact.DefaultPriority, crit: -1, stepIdx: -1})
	}
}

func cmpOrInt(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}

// lane returns the index of (queue, ch), adding it.
func (m *model) lane(q int, ch contact.Channel) int {
	k := laneKey{q, ch}
	if i, ok := m.laneIdx[k]; ok {
		return i
	}
	m.laneIdx[k] = len(m.lanes)
	m.lanes = append(m.lanes, laneModel{queue: q, ch: ch})
	return len(m.lanes) - 1
}

const nsPerHour = float64(time.Hour)

func (m *model) compileStreams() {
	for i := range m.sc.Arrivals {
		a := &m.sc.Arrivals[i]
		ch := a.Channel
		if ch == "" {
			ch = contact.Voice
		}
		s := streamModel{queue: m.queueIdx[a.Queue], ch: ch, handle: &a.HandleTime, patience: a.Patience}
		s.lane = m.lane(s.queue, ch)
		s.rate = a.RatePerHour / nsPerHour
		for _, r := range a.RatesPerHour {
			s.rates = append(s.rates, r/nsPerHour)
			s.perCycle += r / nsPerHour * float64(m.interval)
		}
		switch {
		case len(a.Classes) > 0:
			total := 0.0
			for _, cw := range a.Classes {
				total += cw.Weight
				s.classes = append(s.classes, m.classIdx[cw.Class])
				s.cum = append(s.cum, total)
			}
		case a.Class != "":
			s.classes = []int{m.classIdx[a.Class]}
		default:
			s.classes = []int{m.defaultClass}
		}
		m.streams = append(m.streams, s)
	}
}

func (m *model) compileGroups() error {
	sc := m.sc
	attrs, err := sc.collectAttributes()
	if err != nil {
		return err
	}
	m.cfg = routing.InstanceConfig{ID: "sim", Queues: sc.Queues, RoutingProfiles: sc.RoutingProfiles, RetainEnded: -1,
		PredefinedAttributes: attrs}
	// Step expiries are the core's timers, like profile delays.
	hasDelay := len(m.crits) > 0
	for _, p := range sc.RoutingProfiles {
		for _, e := range p.Queues {
			hasDelay = hasDelay || e.DelaySeconds > 0
		}
	}
	m.needWake = hasDelay
	for gi := range sc.AgentGroups {
		g := &sc.AgentGroups[gi]
		gm := groupModel{id: g.ID, count: g.Count, first: len(m.agents), acw: g.AfterContactWork, profile: g.RoutingProfileID}
		m.needWake = m.needWake || g.AfterContactWork != nil
		gm.bps = m.breakpoints(g)
		var profs []routing.ProficiencyConfig
		for _, p := range g.Proficiencies {
			profs = append(profs, routing.ProficiencyConfig(p))
		}
		for k := 1; k <= g.Count; k++ {
			id := g.ID + "-" + strconv.Itoa(k)
			m.agentIdx[id] = int32(len(m.agents))
			m.agents = append(m.agents, agentModel{id: id, group: gi})
			m.cfg.Agents = append(m.cfg.Agents, routing.AgentConfig{ID: id, RoutingProfileID: g.RoutingProfileID, Proficiencies: profs})
		}
		m.groups = append(m.groups, gm)
	}
	return nil
}

// breakpoints returns a group's on-duty schedule over one cycle.
func (m *model) breakpoints(g *AgentGroup) []breakpoint {
	switch {
	case len(g.Staffing) > 0:
		bps := make([]breakpoint, len(g.Staffing))
		for i, n := range g.Staffing {
			bps[i] = breakpoint{off: int64(i) * m.interval, n: n}
		}
		return bps
	case len(g.Shifts) == 0:
		return []breakpoint{{0, g.Count}}
	}
	offs := []int64{0}
	for _, s := range g.Shifts {
		offs = append(offs, int64(s.Start)%m.cycle, int64(s.End)%m.cycle)
	}
	slices.Sort(offs)
	offs = slices.Compact(offs)
	bps := make([]breakpoint, 0, len(offs))
	for _, o := range offs {
		n := 0
		for _, s := range g.Shifts {
			if ((o-int64(s.Start))%m.cycle+m.cycle)%m.cycle < int64(s.End-s.Start) {
				n = g.Count
			}
		}
		bps = append(bps, breakpoint{off: o, n: n})
	}
	return bps
}

// intervalKey formats the start of interval i of the cycle as "hh:mm" (with seconds, or a
// day prefix, when needed).
func (m *model) intervalKey(i int) string {
	d := time.Duration(int64(i) * m.interval)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, mi, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	key := fmt.Sprintf("%02d:%02d", h, mi)
	if s != 0 || d%time.Second != 0 {
		key = fmt.Sprintf("%02d:%02d:%02d", h, mi, s)
		if d%time.Second != 0 {
			key = time.Duration(int64(i) * m.interval).String()
			return key
		}
	}
	if days > 0 {
		key = fmt.Sprintf("d%d %s", days, key)
	}
	return key
}
