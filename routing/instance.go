package routing

import (
	"cmp"
	"fmt"
	"github.com/routesim/routesim/internal/prefetch"
	"slices"
	"sync"
	"time"
	"unsafe"

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
	agents   map[string]*agent
	aorder   []*agent
	contacts contactTable
	wakes    wakeHeap
	wakeSeq  uint64
	arrSeq   uint64
	genSeq   uint64
	retain   int
	ended    []contact.ID // ring of retained ended contacts, growing to retain
	oldest   int          // index of the oldest in ended once it is full
	pool     []*record
	batch    []wake // fireInstant's scratch
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
	if in.retain == 0 {
		in.retain = DefaultRetainEnded
	}
	for _, qc := range cfg.Queues {
		qs := &queueState{id: qc.ID, name: qc.Name}
		for ch := range qs.lanes {
			qs.lanes[ch] = &lane{q: qs, ch: ch, all: queue.NewHeap()}
		}
		in.queues[qc.ID] = qs
		in.qorder = append(in.qorder, qs)
	}
	for _, pc := range cfg.RoutingProfiles {
		in.profiles[pc.ID] = in.buildProfile(pc)
	}
	for i, ac := range cfg.Agents {
		p := in.profiles[ac.RoutingProfileID]
		a := &agent{id: ac.ID, seq: i, p: p, heapIdx: [4]int{-1, -1, -1, -1}}
		p.agents = append(p.agents, a)
		in.agents[ac.ID] = a
		in.aorder = append(in.aorder, a)
	}
	return in, nil
}

func (in *Instance) buildProfile(pc ProfileConfig) *profile {
	p := &profile{id: pc.ID, cross: pc.CrossChannel}
	for ch, n := range pc.Concurrency {
		p.conc[ch.Index()] = n
	}
	for ch := range p.ready {
		p.ready[ch].ch = ch
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
		p.entries = append(p.entries, profEntry{lane: l, ch: ch, prio: e.Priority, delay: d, src: src})
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

// Advance fires every timer due at the clock's current time (profile delays expiring,
// after-contact work ending) and routes what became routable. Every other method does this
// first; a driver calls Advance on its own when the time from NextWake arrives. The cost is
// O(k log n) for k due timers.
func (in *Instance) Advance() {
	in.lock()
	in.mu.Unlock()
}

// NextWake returns the earliest time at which a timer of the instance is due, and false when
// none is pending. The simulator schedules an Advance then; the emulator arms a timer.
// The cost is O(1) amortised.
func (in *Instance) NextWake() (time.Time, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for len(in.wakes) > 0 && in.stale(&in.wakes[0]) {
		in.wakes.pop()
	}
	if len(in.wakes) == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, in.wakes[0].at), true
}

func (in *Instance) advance(now time.Time) {
	ns := now.UnixNano()
	for len(in.wakes) > 0 && in.wakes[0].at <= ns {
		in.fireInstant(in.wakes[0].at, now)
	}
}

// fireInstant fires every timer due at the instant at, in two steps, so that what several
// timers of one instant make routable is matched as a whole: first every contact whose delay
// expired enters its tier and every slot whose after-contact work ended is freed; then, in
// timer creation order, each newly eligible contact is offered to the agent idle longest, who
// takes its best contact (which may be another of the instant's); last, each freed agent, now
// at the back of the idle order, takes its best of what is left.
func (in *Instance) fireInstant(at int64, now time.Time) {
	batch := in.batch[:0]
	for len(in.wakes) > 0 && in.wakes[0].at == at {
		w := in.wakes.pop()
		if in.stale(&w) {
			continue
		}
		if w.ag != nil {
			in.endACW(w.ag, w, now)
		} else {
			in.expire(w)
		}
		batch = append(batch, w)
	}
	for i := range batch {
		if w := &batch[i]; w.ag == nil && !in.stale(w) {
			in.offerContact(w.r, w.tier.delay, now)
		}
	}
	for i := range batch {
		if w := &batch[i]; w.ag != nil {
			in.offerAgent(w.ag, now)
		}
	}
	clear(batch)
	in.batch = batch[:0]
}

// stale reports whether a delay wake refers to a contact no longer waiting.
func (in *Instance) stale(w *wake) bool {
	if w.ag != nil {
		return false
	}
	return w.r.seq != w.cseq || w.r.state != Waiting
}

// expire moves a contact whose real wait reached a tier's delay into the tier. Delays expire
// in ascending order, so the tiers a contact is in are always the first ones of its lane.
func (in *Instance) expire(w wake) {
	r := w.r
	if r.lane.tiers[len(r.tiers)] != w.tier {
		panic(fmt.Sprintf("routing: internal error: contact %q enters tier %v out of order", r.c.ID, w.tier.delay))
	}
	h, err := w.tier.eligible.Push(&r.c)
	if err != nil {
		panic(fmt.Sprintf("routing: internal error: tier push: %v", err))
	}
	r.tiers = append(r.tiers, h)
}

func (in *Instance) endACW(a *agent, w wake, now time.Time) {
	ch := w.ch
	a.used[ch]--
	a.busy--
	a.acw--
	a.lastFreed = w.at
	in.refresh(a)
	in.emit(Event{Kind: AfterContactWorkEnded, Time: now, ContactID: w.id, AgentID: a.id,
		Channel: contact.Channels[ch]})
}

// refresh puts a into, or takes it out of, its profile's ready heaps. O(log a) per channel.
func (in *Instance) refresh(a *agent) {
	for ch := range a.p.conc {
		if a.p.conc[ch] == 0 {
			continue
		}
		if a.canTake(ch) {
			a.p.ready[ch].set(a)
		} else {
			a.p.ready[ch].remove(a)
		}
	}
}

// offerContact offers a waiting contact, eligible for the profiles that serve its lane with a
// delay up to maxDelay, to the agent idle longest among those ready for it. That agent takes
// its own best contacts (offerAgent); since every earlier step left no ready agent with an
// eligible contact, that is this contact unless another became eligible at the same instant.
// It repeats until the contact is routed or no agent is ready for it. The delay is the
// timer's, not the real wait at the time of the call, so that a late Advance routes as if the
// timers had fired one instant at a time.
func (in *Instance) offerContact(r *record, maxDelay time.Duration, now time.Time) {
	ch := r.lane.ch
	for r.state == Waiting {
		var best *agent
		for _, ref := range r.lane.refs {
			if ref.delay > maxDelay {
				continue
			}
			if a := ref.p.ready[ch].peek(); a != nil && (best == nil || agentLess(a, best)) {
				best = a
			}
		}
		if best == nil {
			return
		}
		busy := best.busy
		in.offerAgent(best, now)
		if best.busy == busy {
			panic("routing: internal error: an agent ready for an eligible contact took nothing")
		}
	}
}

// offerAgent lets an agent with free capacity take contacts until it is full or nothing it
// may take is waiting.
func (in *Instance) offerAgent(a *agent, now time.Time) {
	for a.state == AgentAvailable {
		e := in.pickFor(a)
		if e == nil {
			return
		}
		in.assign(e, a, now)
	}
}

// pickFor returns the entry whose heap holds, at its head, the contact agent a takes next:
// among its profile's entries for channels it may take now, the lowest profile priority that
// has an eligible contact; within it, the best contact by (QueuePriority, routing age,
// arrival). It compares the heads of the entries' heaps by the keys the heaps hold, and reads
// a contact only to break a tie. It returns nil when a may take nothing. Cost: O(entries).
func (in *Instance) pickFor(a *agent) *profEntry {
	var best *profEntry
	var bestPrio, bestKey int64
	bestEntryPrio := 0
	for i := range a.p.entries {
		e := &a.p.entries[i]
		if best != nil && e.prio > bestEntryPrio {
			break
		}
		if !a.canTake(e.ch) {
			continue
		}
		prio, key, ok := e.src.PeekKey()
		if !ok {
			continue
		}
		if best == nil || prio < bestPrio || prio == bestPrio && (key < bestKey || key == bestKey && firstArrived(e.src, best.src)) {
			best, bestPrio, bestKey, bestEntryPrio = e, prio, key, e.prio
		}
	}
	return best
}

// firstArrived breaks a tie between the heads of two heaps with equal routing keys: the
// contact that arrived in the instance first goes first.
func firstArrived(x, y *queue.Heap) bool {
	cx, _ := x.Peek()
	cy, _ := y.Peek()
	return recordOf(cx).seq < recordOf(cy).seq
}

// recordOf returns the record holding c. Every contact in the instance's queues is the field c
// of a record, and c is record's first field, so the conversion is exact; it saves a map
// lookup by ID on the routing hot path.
func recordOf(c *contact.Contact) *record {
	return (*record)(unsafe.Pointer(c))
}

// assign routes the contact at the head of entry e's heap to agent a. It pops the head, which
// needs only the heap, rather than removing the contact by the handles in its record. The
// record is a cache miss away: assign starts it on its way before the pop and does the
// agent's bookkeeping before it touches the record, so that the miss overlaps that work.
func (in *Instance) assign(e *profEntry, a *agent, now time.Time) {
	c, _ := e.src.Peek()
	r := recordOf(c)
	prefetchRecord(r)
	e.src.Pop()
	ch := e.ch
	a.used[ch]++
	a.busy++
	a.contacts = append(a.contacts, r)
	in.refresh(a)
	in.unqueue(r, e.lane, e.src)
	r.state, r.agent, r.routedAt = WithAgent, a, now
	in.emitContact(ContactRouted, r, now)
}

// prefetchRecord starts loading the lines of r that routing it reads and writes: every field
// up to routedAt.
func prefetchRecord(r *record) {
	p := unsafe.Pointer(r)
	end := unsafe.Offsetof(r.routedAt) + unsafe.Sizeof(r.routedAt) - 1
	for off := uintptr(0); off < end; off += 64 {
		prefetch.Pointer(unsafe.Add(p, off))
	}
	prefetch.Pointer(unsafe.Add(p, end))
}

// unqueue takes a waiting contact out of the heaps of its lane l, all but popped, the heap
// the caller has already popped it from (nil for none). It reads the record's tier handles
// only when l has tiers.
func (in *Instance) unqueue(r *record, l *lane, popped *queue.Heap) {
	if l.all != popped {
		l.all.Remove(r.all)
	}
	if len(l.tiers) == 0 {
		return
	}
	for i, h := range r.tiers {
		if t := l.tiers[i].eligible; t != popped {
			t.Remove(h)
		}
	}
	r.tiers = r.tiers[:0]
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
	in.obs.Observe(e)
}

// ContactSpec describes a contact to start in a queue.
type ContactSpec struct {
	// ID identifies the contact; empty means the instance makes one up (deterministically).
	ID contact.ID
	// QueueID names the queue; required.
	QueueID string
	// Channel is the contact's channel; required.
	Channel contact.Channel
	// Priority is the initial QueuePriority, as the "Set routing priority / age" flow block
	// sets it; 0 means contact.DefaultPriority.
	Priority int64
	// AgeAdjustment is the initial routing-age adjustment, as the same flow block sets it.
	AgeAdjustment time.Duration
	// Tag is an opaque number carried to every Event about the contact (the simulator puts
	// the contact class in it).
	Tag int
}

// StartContact puts a new contact into a queue at the clock's time and routes it if an agent
// can take it. Errors: *InvalidParameterException for a bad channel, negative priority, an
// overflowing age adjustment or a duplicate ID; *ResourceNotFoundException for an unknown
// queue. A failed call changes nothing. The cost is O(log n + p log a) for p profiles serving
// the queue.
func (in *Instance) StartContact(spec ContactSpec) (contact.ID, error) {
	prefetch.String(string(spec.ID)) // overlaps the ID's cache miss with the lock; see prefetch.String
	now := in.lock()
	defer in.mu.Unlock()
	return in.start(spec, now)
}

func (in *Instance) start(spec ContactSpec, now time.Time) (contact.ID, error) {
	qs, ok := in.queues[spec.QueueID]
	if !ok {
		return "", notFound("queue %q not found in instance %q", spec.QueueID, in.id)
	}
	ch := spec.Channel.Index()
	if ch < 0 {
		return "", invalidParam("channel %q is not VOICE, CHAT, TASK or EMAIL", spec.Channel)
	}
	if spec.Priority < 0 {
		return "", invalidParam("priority %d is out of range %d..%d", spec.Priority, contact.MinPriority, contact.MaxPriority)
	}
	id := spec.ID
	if id == "" {
		id = in.newID()
	}
	idHash := in.contacts.hash(id)
	if in.contacts.has(id, idHash) {
		return "", invalidParam("contact %q already exists", id)
	}
	r := in.newRecord()
	r.c = contact.Contact{ID: id, QueueID: qs.id, Channel: spec.Channel, EnqueuedAt: now, Priority: spec.Priority}
	if err := r.c.CheckAdjustment(spec.AgeAdjustment); err != nil {
		in.pool = append(in.pool, r)
		return "", invalidParam("%v", err)
	}
	r.c.AgeAdjustment = spec.AgeAdjustment
	l := qs.lanes[ch]
	h, err := l.all.Push(&r.c)
	if err != nil {
		in.pool = append(in.pool, r)
		return "", invalidParam("%v", err)
	}
	r.all = h
	in.arrSeq++
	r.seq, r.tag, r.state, r.lane, r.idHash = in.arrSeq, spec.Tag, Waiting, l, idHash
	in.contacts.add(r)
	for _, t := range l.tiers {
		in.wakeSeq++
		in.wakes.push(wake{at: now.Add(t.delay).UnixNano(), seq: in.wakeSeq, tier: t, r: r, cseq: r.seq})
	}
	in.emitContact(ContactQueued, r, now)
	in.offerContact(r, 0, now)
	return id, nil
}

func (in *Instance) newID() contact.ID {
	for {
		in.genSeq++
		id := contact.ID(fmt.Sprintf("%08x-0000-4000-8000-%012x", in.genSeq>>48, in.genSeq&(1<<48-1)))
		if !in.contacts.has(id, in.contacts.hash(id)) {
			return id
		}
	}
}

func (in *Instance) newRecord() *record {
	if n := len(in.pool); n > 0 {
		r := in.pool[n-1]
		in.pool = in.pool[:n-1]
		return r
	}
	return new(record)
}

// UpdateRoutingData applies u to a waiting contact: sets its QueuePriority, or adds to its
// routing age. Real wait, and so every reported metric, is unchanged; only its place in queue
// moves. Errors: *ResourceNotFoundException for an unknown contact,
// *ResourceConflictException for a contact not waiting in a queue,
// *InvalidParameterException for an invalid update (wrapping contact.ErrInvalidUpdate). A
// failed call changes nothing. The cost is O(log n) per heap holding the contact.
func (in *Instance) UpdateRoutingData(id contact.ID, u contact.RoutingUpdate) error {
	prefetch.String(string(id)) // overlaps the ID's cache miss with the lock; see prefetch.String
	now := in.lock()
	defer in.mu.Unlock()
	r, err := in.waiting(id)
	if err != nil {
		return err
	}
	if err := r.c.Apply(u); err != nil {
		return &InvalidParameterException{Message: err.Error()}
	}
	r.lane.all.Fix(r.all)
	for i, h := range r.tiers {
		r.lane.tiers[i].eligible.Fix(h)
	}
	in.emitContact(ContactUpdated, r, now)
	return nil
}

// waiting returns the record of a waiting contact, or the API error saying why not.
func (in *Instance) waiting(id contact.ID) (*record, error) {
	r, ok := in.contacts.get(id)
	switch {
	case !ok:
		return nil, notFound("contact %q not found in instance %q", id, in.id)
	case r.state != Waiting:
		return nil, conflict("contact %q is not waiting in a queue (state %s)", id, r.state)
	}
	return r, nil
}

// EndContact ends a contact. A waiting contact leaves its queue (reason Abandoned or Stopped);
// a contact with an agent ends (reason Completed or Stopped) and the agent's slot stays held
// for after-contact work acw (0: freed at once), after which the agent takes what waits.
// Errors: *ResourceNotFoundException for an unknown contact, *ResourceConflictException for
// one already ended, *InvalidParameterException for a reason that does not fit the state or a
// negative acw. A failed call changes nothing.
func (in *Instance) EndContact(id contact.ID, reason EndReason, acw time.Duration) error {
	prefetch.String(string(id)) // overlaps the ID's cache miss with the lock; see prefetch.String
	now := in.lock()
	defer in.mu.Unlock()
	r, ok := in.contacts.get(id)
	if !ok {
		return notFound("contact %q not found in instance %q", id, in.id)
	}
	in.contacts.prefetchCount(r.idHash)
	if err := checkEnd(r, reason, acw); err != nil {
		return err
	}
	a := r.agent
	if r.state == Waiting {
		in.unqueue(r, r.lane, nil)
	} else {
		in.release(a, r, acw, now)
	}
	r.state, r.reason, r.endedAt = Ended, reason, now
	in.emitContact(ContactEnded, r, now)
	in.retire(r)
	if a != nil && acw <= 0 {
		in.offerAgent(a, now)
	}
	return nil
}

func checkEnd(r *record, reason EndReason, acw time.Duration) error {
	switch {
	case r.state == Ended:
		return conflict("contact %q has already ended (%s)", r.c.ID, r.reason)
	case acw < 0:
		return invalidParam("after-contact work %v is negative", acw)
	case r.state == Waiting && reason != Abandoned && reason != Stopped:
		return invalidParam("contact %q is waiting: it can be ABANDONED or STOPPED, not %s", r.c.ID, reason)
	case r.state == WithAgent && reason != Completed && reason != Stopped:
		return invalidParam("contact %q is with an agent: it can be COMPLETED or STOPPED, not %s", r.c.ID, reason)
	}
	return nil
}

// release takes a finished contact off its agent; the slot is freed now or after acw.
func (in *Instance) release(a *agent, r *record, acw time.Duration, now time.Time) {
	i := slices.Index(a.contacts, r)
	a.contacts[i] = a.contacts[len(a.contacts)-1]
	a.contacts[len(a.contacts)-1] = nil
	a.contacts = a.contacts[:len(a.contacts)-1]
	ch := r.lane.ch
	if acw > 0 {
		a.acw++
		in.wakeSeq++
		in.wakes.push(wake{at: now.Add(acw).UnixNano(), seq: in.wakeSeq, ag: a, id: r.c.ID, ch: ch})
		return
	}
	a.used[ch]--
	a.busy--
	a.lastFreed = now.UnixNano()
	in.refresh(a)
}

// retire keeps an ended contact for DescribeContact, or recycles its record.
func (in *Instance) retire(r *record) {
	switch {
	case in.retain < 0:
		in.forget(r)
	case len(in.ended) < in.retain:
		in.ended = append(in.ended, r.c.ID)
	default: // full: the oldest retained contact makes room
		old, _ := in.contacts.get(in.ended[in.oldest])
		in.forget(old)
		in.ended[in.oldest] = r.c.ID
		in.oldest = (in.oldest + 1) % in.retain
	}
}

func (in *Instance) forget(r *record) {
	in.contacts.remove(r)
	*r = record{tiers: r.tiers[:0]} // keep the slice's room for the record's next use
	in.pool = append(in.pool, r)
}

// SetAgentState sets an agent available or offline. Going available puts the agent at the back
// of the longest-idle order and lets it take what waits; going offline stops new contacts and
// lets those in progress continue. Setting the state it already has changes nothing.
// Errors: *ResourceNotFoundException for an unknown agent, *InvalidParameterException for an
// unknown state.
func (in *Instance) SetAgentState(agentID string, st AgentState) error {
	now := in.lock()
	defer in.mu.Unlock()
	a, ok := in.agents[agentID]
	switch {
	case !ok:
		return notFound("agent %q not found in instance %q", agentID, in.id)
	case st != AgentOffline && st != AgentAvailable:
		return invalidParam("agent state %d is not OFFLINE or AVAILABLE", st)
	case a.state == st:
		return nil
	}
	a.state = st
	if st == AgentAvailable {
		a.lastFreed = now.UnixNano()
	}
	in.refresh(a)
	in.emit(Event{Kind: AgentStateChanged, Time: now, AgentID: a.id, AgentState: st})
	in.offerAgent(a, now)
	return nil
}
