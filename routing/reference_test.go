package routing_test

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// refRouter is a brute-force reference router, written from doc.go without looking at the
// core's data structures: plain maps and slices, every decision recomputed by scanning all
// contacts and agents. No heaps, no tiers, no ready sets.
//
// Its semantics, from doc.go:
//   - Before an operation at time now, due timers fire in (time, creation) order, each at
//     its own time: a contact reaching a profile delay d (one timer per distinct d > 0 of
//     its queue and channel, made when it arrives, ascending d) becomes eligible for the
//     profiles with that delay and is offered; an agent's after-contact work ends, its slot
//     frees (the agent goes to the back of the idle order) and it takes what it may.
//   - An agent that frees, or goes available, takes contacts one by one, each the minimum
//     by (profile priority, QueuePriority, EnqueuedAt - AgeAdjustment, arrival) over the
//     contacts eligible for one of its profile's entries whose channel it may take now.
//   - A contact that arrives (eligible for delay-0 entries) or reaches a delay goes to the
//     agent, among those that may take its channel now and for which it is eligible, that
//     is minimal by (slots held, including after-contact work; time last freed;
//     configuration order).
//   - Routing criteria (doc.go, "Routing criteria"): a contact with criteria may go only to
//     agents that also match its active step's expression; a step with a duration expires
//     that long after it became active (steps of duration 0 at once), the next becoming
//     active, and the contact is then offered as a contact whose delay expired is; once all
//     have expired any agent may take it. Step timers are timers like delays (made when the
//     step becomes active). A join marks the active step JOINED. New criteria replace the
//     old, step 1 active from the call. A proficiency change lets the agent take what it now
//     matches.
type refRouter struct {
	cfg      routing.InstanceConfig
	now      time.Duration // since t0
	contacts map[string]*refContact
	order    []string // contact IDs in arrival order
	agents   []*refAgent
	timers   []refTimer
	timerSeq int
	arrSeq   int
	routes   []string // "contact>agent", in order
	ever     map[refLane][]time.Duration
}

type refContact struct {
	id       string
	queue    string
	ch       contact.Channel
	enq      time.Duration
	prio     int64
	adj      time.Duration
	seq      int
	state    routing.ContactState
	reason   routing.EndReason
	agent    string
	routedAt time.Duration
	endedAt  time.Duration
	fired    map[time.Duration]bool // delays reached (their timer fired)
	crit     *routing.RoutingCriteriaInput
	active   int  // the active step; len(crit.Steps) once all expired
	joined   bool // taken while active restricted it
	critAt   time.Duration
	critN    int // criteria set so far
}

// key is the contact's routing-age key: smaller is older for routing.
func (c *refContact) key() time.Duration { return c.enq - c.adj }

type refAgent struct {
	id       string
	idx      int
	prof     *routing.ProfileConfig
	avail    bool
	held     map[contact.Channel]int // slots: contacts in progress and after-contact work
	contacts []string
	acw      int
	lastAct  time.Duration // went available or freed a slot
	lastIn   time.Duration // freed a slot (ended an inbound contact)
	custom   bool          // in a custom status
	over     map[contact.Channel]int
	profs    map[[2]string]int // level by (attribute, value)
}

// idle is the agent's idle-order key: by its profile's availability timer, the last
// activity (going available or freeing a slot) or the last inbound contact only.
func (a *refAgent) idle() time.Duration {
	if a.prof.AgentAvailabilityTimer == routing.TimerLastInbound {
		return a.lastIn
	}
	return a.lastAct
}

type refTimer struct {
	at      time.Duration
	seq     int
	contact string          // a delay expiry of this contact, or
	delay   time.Duration   // ... at this delay;
	agent   *refAgent       // or the end of this agent's after-contact work
	ch      contact.Channel // on this channel
	isStep  bool            // or the expiry of this contact's step
	step    int             // ... of this index
	critN   int             // ... of its criteria number critN
}

func newRefRouter(cfg routing.InstanceConfig) *refRouter {
	r := &refRouter{cfg: cfg, contacts: map[string]*refContact{}}
	for i, ac := range cfg.Agents {
		var prof *routing.ProfileConfig
		for j := range cfg.RoutingProfiles {
			if cfg.RoutingProfiles[j].ID == ac.RoutingProfileID {
				prof = &r.cfg.RoutingProfiles[j]
			}
		}
		a := &refAgent{id: ac.ID, idx: i, prof: prof, held: map[contact.Channel]int{},
			lastAct: -time.Duration(1 << 62), lastIn: -time.Duration(1 << 62), profs: map[[2]string]int{},
			over: map[contact.Channel]int{}}
		for _, p := range ac.Proficiencies {
			a.profs[[2]string{p.AttributeName, p.AttributeValue}] = int(p.Level)
		}
		r.agents = append(r.agents, a)
	}
	r.noteDelays()
	return r
}

func (a *refAgent) busy() int {
	n := 0
	for _, v := range a.held {
		n += v
	}
	return n
}

// limit is the profile's concurrency for ch: as configured, else 1 for a channel it serves.
func (a *refAgent) limit(ch contact.Channel) int {
	if n, ok := a.prof.Concurrency[ch]; ok {
		return n
	}
	for _, e := range a.prof.Queues {
		if e.Channel == ch {
			return 1
		}
	}
	return 0
}

// mayTake reports whether the agent may be offered a contact of ch now.
func (a *refAgent) mayTake(ch contact.Channel) bool {
	return a.avail && a.held[ch] < a.limit(ch) && (a.prof.CrossChannel || a.busy() == a.held[ch] || a.anyChannel(ch))
}

// anyChannel reports whether every other channel the agent holds lets it be offered
// another (the profile's RouteAnyChannel).
func (a *refAgent) anyChannel(ch contact.Channel) bool {
	for o, n := range a.held {
		if o != ch && n > 0 && !slices.Contains(a.prof.RouteAnyChannel, o) {
			return false
		}
	}
	return true
}

// status is what the agent is doing.
func (a *refAgent) status() routing.AgentStatus {
	switch {
	case len(a.contacts) > 0:
		return routing.StatusOnContact
	case a.acw > 0:
		return routing.StatusAfterContactWork
	case a.avail:
		return routing.StatusAvailable
	case a.custom:
		return routing.StatusCustom
	}
	return routing.StatusOffline
}

// eligible reports whether waiting contact c is eligible for profile entry e.
func eligible(c *refContact, e routing.ProfileQueueConfig) bool {
	return c.state == routing.Waiting && e.QueueID == c.queue && e.Channel == c.ch &&
		(e.DelaySeconds == 0 || c.fired[sec(e.DelaySeconds)])
}

// entryFor returns the profile's entry for c's queue and channel, if any.
func entryFor(p *routing.ProfileConfig, c *refContact) (routing.ProfileQueueConfig, bool) {
	for _, e := range p.Queues {
		if e.QueueID == c.queue && e.Channel == c.ch {
			return e, true
		}
	}
	return routing.ProfileQueueConfig{}, false
}

// delays returns the distinct delays > 0 that the profiles serving (queue, ch) have ever
// had (doc of tierAt: a lane keeps every delay it was ever given), ascending.
func (r *refRouter) delays(queue string, ch contact.Channel) []time.Duration {
	r.noteDelays()
	return r.ever[refLane{queue, ch}]
}

// refLane is a (queue, channel).
type refLane struct {
	queue string
	ch    contact.Channel
}

// noteDelays adds the profiles' current delays to those ever used per lane.
func (r *refRouter) noteDelays() {
	if r.ever == nil {
		r.ever = map[refLane][]time.Duration{}
	}
	for _, p := range r.cfg.RoutingProfiles {
		for _, e := range p.Queues {
			l, d := refLane{e.QueueID, e.Channel}, sec(e.DelaySeconds)
			if e.DelaySeconds > 0 && !slices.Contains(r.ever[l], d) {
				r.ever[l] = append(r.ever[l], d)
				slices.Sort(r.ever[l])
			}
		}
	}
}

func (r *refRouter) agent(id string) *refAgent {
	for _, a := range r.agents {
		if a.id == id {
			return a
		}
	}
	return nil
}

// choice is an agent's candidate contact, ordered by (profile priority, QueuePriority,
// routing key, arrival).
type choice struct {
	pprio int
	c     *refContact
}

func (x choice) compare(y choice) int {
	return cmp.Or(cmp.Compare(x.pprio, y.pprio), cmp.Compare(x.c.prio, y.c.prio),
		cmp.Compare(x.c.key(), y.c.key()), cmp.Compare(x.c.seq, y.c.seq))
}

// pick returns the contact agent a takes next, or nil.
func (r *refRouter) pick(a *refAgent) *refContact {
	var cands []choice
	for _, id := range r.order {
		c := r.contacts[id]
		if e, ok := entryFor(a.prof, c); ok && eligible(c, e) && a.mayTake(c.ch) && matches(c, a) {
			cands = append(cands, choice{e.Priority, c})
		}
	}
	if len(cands) == 0 {
		return nil
	}
	slices.SortFunc(cands, choice.compare)
	return cands[0].c
}

// takeAll lets agent a take contacts until it is full or nothing it may take waits.
func (r *refRouter) takeAll(a *refAgent) {
	for a.avail {
		c := r.pick(a)
		if c == nil {
			return
		}
		r.assign(c, a)
	}
}

// offer gives contact c, just made eligible, to the agent idle longest that may take it.
func (r *refRouter) offer(c *refContact) {
	var cands []*refAgent
	for _, a := range r.agents {
		if e, ok := entryFor(a.prof, c); ok && eligible(c, e) && a.mayTake(c.ch) && matches(c, a) {
			cands = append(cands, a)
		}
	}
	if len(cands) == 0 {
		return
	}
	slices.SortFunc(cands, func(x, y *refAgent) int {
		return cmp.Or(cmp.Compare(x.busy(), y.busy()), cmp.Compare(x.idle(), y.idle()), cmp.Compare(x.idx, y.idx))
	})
	// The agent idle longest takes its own best contacts: c, unless another contact became
	// eligible at the same instant and ranks better for it; then c is offered again.
	r.takeAll(cands[0])
	if c.state == routing.Waiting {
		r.offer(c)
	}
}

func (r *refRouter) assign(c *refContact, a *refAgent) {
	c.state, c.agent, c.routedAt = routing.WithAgent, a.id, r.now
	c.joined = c.crit != nil && c.active < len(c.crit.Steps)
	a.held[c.ch]++
	a.contacts = append(a.contacts, c.id)
	r.routes = append(r.routes, c.id+">"+a.id)
}

func (r *refRouter) addTimer(t refTimer) {
	r.timerSeq++
	t.seq = r.timerSeq
	r.timers = append(r.timers, t)
}

// live reports whether a timer will do something when it fires.
func (r *refRouter) live(t refTimer) bool {
	if t.agent != nil {
		return true
	}
	c := r.contacts[t.contact]
	return c.state == routing.Waiting && (!t.isStep || t.critN == c.critN && t.step == c.active)
}

// nextTimer returns the index of the first timer by (time, creation), or -1.
func (r *refRouter) nextTimer() int {
	best := -1
	for i, t := range r.timers {
		if best < 0 || t.at < r.timers[best].at || (t.at == r.timers[best].at && t.seq < r.timers[best].seq) {
			best = i
		}
	}
	return best
}

// nextWake returns when the next live timer fires.
func (r *refRouter) nextWake() (time.Duration, bool) {
	var at time.Duration
	found := false
	for _, t := range r.timers {
		if r.live(t) && (!found || t.at < at) {
			at, found = t.at, true
		}
	}
	return at, found
}

// advance fires the timers due by now, an instant at a time: first every timer of the
// instant takes effect (delays mark contacts eligible, after-contact work frees slots), then,
// in creation order, newly eligible contacts are offered, and last freed agents (at the back
// of the idle order) take their best contacts.
func (r *refRouter) advance(now time.Duration) {
	for {
		i := r.nextTimer()
		if i < 0 || r.timers[i].at > now {
			break
		}
		at := r.timers[i].at
		var batch []refTimer
		for i >= 0 && r.timers[i].at == at {
			if t := r.timers[i]; !t.isStep || r.live(t) { // a dead step timer does nothing
				batch = append(batch, t)
			}
			r.timers = slices.Delete(r.timers, i, i+1)
			i = r.nextTimer()
		}
		r.now = max(r.now, at)
		for _, t := range batch {
			r.settle(t)
		}
		for _, t := range batch {
			if t.agent == nil {
				r.fire(t)
			}
		}
		for _, t := range batch {
			if t.agent != nil {
				r.fire(t)
			}
		}
	}
	r.now = max(r.now, now)
}

// settle makes a timer take effect without routing.
func (r *refRouter) settle(t refTimer) {
	if a := t.agent; a != nil {
		a.held[t.ch]--
		a.acw--
		a.lastAct, a.lastIn = t.at, t.at
		return
	}
	if t.isStep {
		if r.live(t) {
			c := r.contacts[t.contact]
			c.active++
			r.armStep(c, t.at)
		}
		return
	}
	if c := r.contacts[t.contact]; c.state == routing.Waiting {
		c.fired[t.delay] = true
	}
}

// fire routes what a settled timer made routable.
func (r *refRouter) fire(t refTimer) {
	if a := t.agent; a != nil {
		r.takeAll(a)
		return
	}
	if c := r.contacts[t.contact]; c.state == routing.Waiting && (t.isStep || c.fired[t.delay]) {
		r.offer(c)
	}
}

// start puts a new contact in a queue; prio 0 means the default.
func (r *refRouter) start(id, queue string, ch contact.Channel, prio int64, adj time.Duration) {
	r.startWith(id, queue, ch, prio, adj, nil)
}

// startWith is start with routing criteria (nil for none).
func (r *refRouter) startWith(id, queue string, ch contact.Channel, prio int64, adj time.Duration, rc *routing.RoutingCriteriaInput) {
	if prio == 0 {
		prio = contact.DefaultPriority
	}
	r.arrSeq++
	c := &refContact{id: id, queue: queue, ch: ch, enq: r.now, prio: prio, adj: adj, seq: r.arrSeq,
		state: routing.Waiting, fired: map[time.Duration]bool{}}
	r.contacts[id] = c
	r.order = append(r.order, id)
	if rc != nil {
		r.setCriteria(c, rc)
	}
	for _, d := range r.delays(queue, ch) {
		r.addTimer(refTimer{at: r.now + d, contact: id, delay: d})
	}
	r.offer(c)
}

// update applies a routing update; it returns the exception code expected, or "".
func (r *refRouter) update(id string, prio *int64, adj *time.Duration) string {
	c, ok := r.contacts[id]
	switch {
	case (prio == nil) == (adj == nil) || (prio != nil && *prio < 1):
		return "InvalidParameterException"
	case !ok:
		return "ResourceNotFoundException"
	case c.state != routing.Waiting:
		return "ResourceConflictException"
	case prio != nil:
		c.prio = *prio
	default:
		c.adj += *adj
	}
	return ""
}

func (r *refRouter) setState(a *refAgent, avail bool) {
	st := routing.AgentOffline
	if avail {
		st = routing.AgentAvailable
	}
	r.setStateTo(a, st)
}

// setStateTo sets an agent offline, available or in a custom status; custom takes nothing.
func (r *refRouter) setStateTo(a *refAgent, st routing.AgentState) {
	avail, custom := st == routing.AgentAvailable, st == routing.AgentCustom
	if a.avail == avail && a.custom == custom {
		return
	}
	a.avail, a.custom = avail, custom
	if avail { // doc.go: going available sends an agent to the back (by last activity)
		a.lastAct = r.now
	}
	r.takeAll(a)
}

// end ends a contact; it returns the exception code expected, or "".
func (r *refRouter) end(id string, reason routing.EndReason, acw time.Duration) string {
	c, ok := r.contacts[id]
	switch {
	case !ok:
		return "ResourceNotFoundException"
	case c.state == routing.Ended:
		return "ResourceConflictException"
	case c.state == routing.Waiting && reason != routing.Abandoned && reason != routing.Stopped,
		c.state == routing.WithAgent && reason != routing.Completed && reason != routing.Stopped:
		return "InvalidParameterException"
	}
	wasWith := c.state == routing.WithAgent
	c.state, c.reason, c.endedAt = routing.Ended, reason, r.now
	if !wasWith {
		return ""
	}
	a := r.agent(c.agent)
	a.contacts = slices.DeleteFunc(a.contacts, func(s string) bool { return s == id })
	if acw > 0 {
		a.acw++
		r.addTimer(refTimer{at: r.now + acw, agent: a, ch: c.ch})
		return ""
	}
	a.held[c.ch]--
	a.lastAct, a.lastIn = r.now, r.now
	r.takeAll(a)
	return ""
}

// position returns a waiting contact's 1-based place among the waiting contacts of its
// queue and channel.
func (r *refRouter) position(c *refContact) int {
	p := 1
	for _, o := range r.contacts {
		if o.state == routing.Waiting && o.queue == c.queue && o.ch == c.ch &&
			cmp.Or(cmp.Compare(o.prio, c.prio), cmp.Compare(o.key(), c.key()), cmp.Compare(o.seq, c.seq)) < 0 {
			p++
		}
	}
	return p
}

// metrics returns a queue's current metrics over the channels given (all when none).
func (r *refRouter) metrics(queue string, chs ...contact.Channel) routing.QueueMetrics {
	return r.combined([]string{queue}, chs...)
}

// combined returns the metrics of several queues together (all when none): contacts summed,
// the oldest wait the largest, each agent serving one of them on one of the channels counted
// once.
func (r *refRouter) combined(queues []string, chs ...contact.Channel) routing.QueueMetrics {
	if len(chs) == 0 {
		chs = contact.Channels[:]
	}
	if len(queues) == 0 {
		for _, q := range r.cfg.Queues {
			queues = append(queues, q.ID)
		}
	}
	var m routing.QueueMetrics
	if len(queues) == 1 {
		m.QueueID = queues[0]
	}
	for _, c := range r.contacts {
		if c.state == routing.Waiting && slices.Contains(queues, c.queue) && slices.Contains(chs, c.ch) {
			m.ContactsInQueue++
			m.OldestContactAge = max(m.OldestContactAge, r.now-c.enq)
		}
	}
	for _, a := range r.agents {
		serves := slices.ContainsFunc(a.prof.Queues, func(e routing.ProfileQueueConfig) bool {
			return slices.Contains(queues, e.QueueID) && slices.Contains(chs, e.Channel)
		})
		if !serves {
			continue
		}
		st := a.status()
		if st != routing.StatusOffline {
			m.AgentsOnline++
		}
		switch st {
		case routing.StatusAvailable:
			m.AgentsAvailable++
		case routing.StatusOnContact:
			m.AgentsOnContact++
		case routing.StatusAfterContactWork:
			m.AgentsAfterContactWork++
		}
	}
	return m
}

// selfCheck checks the reference's own invariant: no available agent may take an eligible
// contact, and no agent holds more than its concurrency.
func (r *refRouter) selfCheck() error {
	for _, a := range r.agents {
		if c := r.pick(a); c != nil && a.avail {
			return fmt.Errorf("reference: agent %s may take waiting %s", a.id, c.id)
		}
		for ch, n := range a.held {
			if n > max(a.limit(ch), a.over[ch]) || n < 0 {
				return fmt.Errorf("reference: agent %s holds %d %s slots", a.id, n, ch)
			}
		}
	}
	return nil
}
