package routing

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// Instance is one contact-centre instance: its queues, routing profiles, agents and contacts,
// and the router that matches them. Every method reads the time from the instance's Clock,
// first fires the timers that are due (profile delays expiring, after-contact work ending),
// then does its work, routing whatever became routable.
//
// An Instance is safe for concurrent use: one lock guards it. Build one with
// Service.AddInstance or NewInstance; the zero value is not usable.
type Instance struct {
	mu       sync.Mutex
	id       string
	clock    Clock
	obs      Observer
	wants    uint64 // kinds obs receives, as bits 1<<kind (kindMask)
	queues   map[string]*queueState
	qorder   []*queueState
	profiles map[string]*profile
	porder   []*profile // profiles in configuration, then creation, order
	agents   map[string]*agent
	aorder   []*agent
	// ready has, per channel, a bit per agent (by seq) set while the agent is in its
	// profile's ready heap for the channel (see agentHeap), so that readyMatching intersects
	// it with an expr's match set instead of reading every matching agent, mostly busy ones:
	// BenchmarkSimDefaultCentre/criteria=yes 598k to 650k contacts per CPU-second (+8.7%,
	// p=0.000, n=10, alternating runs); criteria=no and SimContacts -2.1% and -1.4%, both
	// within noise (p=0.16 and 0.22, n=12).
	ready    [len(contact.Channels)][]uint64
	contacts contactTable
	wakes    wakeHeap
	wakeSeq  uint64
	arrSeq   uint64
	genSeq   uint64
	retain   int
	ended    []contact.ID // ring of retained ended contacts, growing to retain
	oldest   int          // index of the oldest in ended once it is full
	pool     []*record
	meta     map[*record]*contactMeta // names, attributes and transfer links (contact_meta.go)
	batch    []wake                   // fireInstant's scratch
	attrs    map[string]*attrDef
	attrGen  uint64 // bumped by every change of attrs, so that prepared criteria recheck
	exprs    map[string]*expr
	exprList []*expr // by id; nil for a freed id
	freeIDs  []int   // ids of freed exprs, for the next ones
	markGen  uint64  // readyMatching's stamp of the profiles serving a lane
	// stepQueues hold step timers by shape (see stepqueue.go); stepQueueOf indexes them by
	// (start, end) offset, 1-based.
	stepQueues  []*stepQueue
	stepQueueOf map[[2]int64]int32
	hist        *history // nil when the instance keeps no history
}

// NewInstance builds an instance from cfg, reading time from clock. It returns an error
// wrapping ErrInvalidConfig, as a *ConfigError naming the bad field, when cfg is invalid.
func NewInstance(cfg InstanceConfig, clock Clock) (*Instance, error) {
	if clock == nil {
		return nil, configErr("clock", "must not be nil")
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	in := &Instance{
		id:       cfg.ID,
		clock:    clock,
		obs:      cfg.Observer,
		wants:    kindMask(cfg.Observer),
		queues:   make(map[string]*queueState, len(cfg.Queues)),
		profiles: make(map[string]*profile, len(cfg.RoutingProfiles)),
		agents:   make(map[string]*agent, len(cfg.Agents)),
		contacts: newContactTable(),
		retain:   cfg.RetainEnded,
	}
	if cfg.History != nil {
		in.hist = newHistory(cfg.History)
	}
	if in.retain == 0 {
		in.retain = DefaultRetainEnded
	}
	for _, qc := range cfg.Queues {
		in.addQueue(qc, time.Time{})
	}
	for _, pc := range cfg.RoutingProfiles {
		in.profiles[pc.ID] = in.buildProfile(pc)
		in.porder = append(in.porder, in.profiles[pc.ID])
	}
	for _, p := range in.profiles {
		for i := range p.entries {
			if e := &p.entries[i]; e.delay > 0 {
				e.ti = int32(slices.IndexFunc(e.lane.tiers, func(t *tier) bool { return t.delay == e.delay }))
			}
		}
	}
	for _, ac := range cfg.PredefinedAttributes {
		in.putAttr(ac.Name, ac.Values, time.Time{})
	}
	for i, ac := range cfg.Agents {
		p := in.profiles[ac.RoutingProfileID]
		a := &agent{id: ac.ID, seq: i, p: p, heapIdx: [4]int{-1, -1, -1, -1}}
		for _, pc := range ac.Proficiencies {
			a.profs = append(a.profs, Proficiency(pc))
		}
		sortProfs(a.profs)
		p.agents = append(p.agents, a)
		in.agents[ac.ID] = a
		in.aorder = append(in.aorder, a)
	}
	return in, nil
}

func (in *Instance) buildProfile(pc ProfileConfig) *profile {
	p := &profile{id: pc.ID, cross: pc.CrossChannel, inbound: pc.AgentAvailabilityTimer == TimerLastInbound,
		name: pc.Name, desc: pc.Description, outbound: pc.DefaultOutboundQueueID}
	for _, ch := range pc.RouteAnyChannel {
		p.anyCh |= 1 << ch.Index()
	}
	if p.cross {
		p.anyCh = 1<<len(contact.Channels) - 1
	}
	for ch, n := range pc.Concurrency {
		p.conc[ch.Index()] = n
	}
	for ch := range p.ready {
		p.ready[ch].ch, p.ready[ch].ready = ch, &in.ready[ch]
	}
	for _, e := range pc.Queues {
		qs := in.queues[e.QueueID]
		ch := e.Channel.Index()
		if p.conc[ch] == 0 {
			p.conc[ch] = 1
		}
		l := qs.lanes[ch]
		d := time.Duration(e.DelaySeconds) * time.Second
		src := l.all
		if d > 0 {
			src = l.tierFor(d).eligible
		}
		p.entries = append(p.entries, profEntry{lane: l, ch: int32(ch), prio: e.Priority, delay: d, src: src, ti: -1})
		l.refs = append(l.refs, laneRef{p: p, delay: d})
		if !slices.Contains(qs.profiles, p) {
			qs.profiles = append(qs.profiles, p)
		}
	}
	slices.SortStableFunc(p.entries, func(a, b profEntry) int { return cmp.Compare(a.prio, b.prio) })
	return p
}

// tierFor returns the lane's tier for delay d > 0, creating it.
func (l *lane) tierFor(d time.Duration) *tier {
	i, found := slices.BinarySearchFunc(l.tiers, d, func(t *tier, d time.Duration) int { return cmp.Compare(t.delay, d) })
	if !found {
		l.tiers = slices.Insert(l.tiers, i, &tier{lane: l, delay: d, eligible: queue.NewHeap()})
	}
	return l.tiers[i]
}

// ID returns the instance ID.
func (in *Instance) ID() string { return in.id }

// lock takes the lock, reads the clock and fires due timers; it returns the time.
func (in *Instance) lock() time.Time {
	in.mu.Lock()
	now := in.clock.Now()
	in.advance(now)
	return now
}

func (in *Instance) emit(e Event) {
	if in.wants&(1<<e.Kind) != 0 {
		in.obs.Observe(e)
	}
}

func (in *Instance) emitContact(k EventKind, r *record, now time.Time) {
	if in.wants&(1<<k) == 0 {
		return
	}
	e := Event{Kind: k, Time: now, ContactID: r.c.ID, QueueID: r.lane.q.id, Channel: r.c.Channel,
		Tag: r.tag, EnqueuedAt: r.c.EnqueuedAt, Priority: r.c.Priority, AgeAdjustment: r.c.AgeAdjustment,
		Reason: r.reason}
	if r.agent != nil {
		e.AgentID = r.agent.id
	}
	if k == ContactRouted && r.joined {
		e.JoinedStep = int(r.cs.step) + 1
	}
	in.obs.Observe(e)
}
