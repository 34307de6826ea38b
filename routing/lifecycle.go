package routing

import (
	"fmt"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/internal/prefetch"
)

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
	// RoutingCriteria, when not nil, are the criteria a flow's "Set routing criteria" block
	// set before "Transfer to queue": step 1 is active from the contact's arrival. They are
	// checked as ValidateRoutingCriteria does.
	RoutingCriteria *RoutingCriteriaInput
	// Criteria, when not nil, are criteria prepared once with PrepareRoutingCriteria; they
	// route like RoutingCriteria without the per-contact cost of checking and compiling
	// them. At most one of RoutingCriteria and Criteria may be set.
	Criteria *PreparedCriteria
	// Name, Description and Attributes are kept for DescribeContact and
	// GetContactAttributes (StartTaskContact's members); routing ignores them.
	Name, Description string
	Attributes        map[string]string
}

// StartContact puts a new contact into a queue at the clock's time and routes it if an agent
// can take it. Errors: *InvalidParameterException for a bad channel, negative priority, an
// overflowing age adjustment, a duplicate ID or bad routing criteria (naming the field);
// *ResourceNotFoundException for an unknown queue; *InvalidRequestException wrapping
// ErrQueueDisabled for a DISABLED queue; *ServiceQuotaExceededException wrapping
// ErrQueueAtCapacity for a queue holding its MaxContacts. A failed call changes nothing.
// Name, Description and Attributes are kept for DescribeContact and GetContactAttributes
// (O(size of Attributes) more). The cost is O(log n + p log a) for p profiles serving the
// queue, plus O(lanes + groups) for a queue with a status or limit; with criteria whose
// first step restricts the contact, O(1) amortized (O(log n) worst case; see the package
// doc's Cost) to queue it and O(p + a/64 + m) to find its agent, for a agents, m matching
// the step, plus, for RoutingCriteria (not prepared Criteria), O(size of the criteria) and
// O(a·s) for each expression not in use.
func (in *Instance) StartContact(spec ContactSpec) (contact.ID, error) {
	prefetch.String(string(spec.ID)) // overlaps the ID's cache miss with the lock; see prefetch.String
	now := in.lock()
	defer in.mu.Unlock()
	id, err := in.start(spec, now)
	if err == nil && (spec.Name != "" || spec.Description != "" || spec.Attributes != nil) {
		in.attachMeta(id, &contactMeta{name: spec.Name, desc: spec.Description, attrs: newAttrSet(spec.Attributes)})
	}
	return id, err
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
	if qs.adm.gated { // a field test on the common path; admit is not inlined
		if err := qs.admit(0); err != nil {
			return "", err
		}
	}
	r := in.newRecord()
	r.c = contact.Contact{ID: id, QueueID: qs.id, Channel: spec.Channel, EnqueuedAt: now, Priority: spec.Priority}
	if err := r.c.CheckAdjustment(spec.AgeAdjustment); err != nil {
		in.pool = append(in.pool, r)
		return "", invalidParam("%v", err)
	}
	r.c.AgeAdjustment = spec.AgeAdjustment
	l := qs.lanes[ch]
	if spec.RoutingCriteria != nil || spec.Criteria != nil {
		r.idHash = idHash
		return in.startWithCriteria(r, &spec, l, now)
	}
	h, err := l.all.Push(&r.c)
	if err != nil {
		in.pool = append(in.pool, r)
		return "", invalidParam("%v", err)
	}
	r.all = h
	in.arrSeq++
	r.seq, r.tag, r.state, r.lane, r.idHash = in.arrSeq, spec.Tag, Waiting, l, idHash
	in.queued(r, now)
	return id, nil
}

// queued files a new waiting contact, arms its delay timers and offers it.
func (in *Instance) queued(r *record, now time.Time) {
	in.contacts.add(r)
	for _, t := range r.lane.tiers {
		in.wakeSeq++
		in.wakes.push(wake{at: now.Add(t.delay).UnixNano(), seq: in.wakeSeq, tier: t, r: r, cseq: r.seq})
	}
	in.emitContact(ContactQueued, r, now)
	in.offerContact(r, 0, now)
}

// startWithCriteria is the end of start for a contact with routing criteria: it waits in the
// group of its first step rather than in its lane.
func (in *Instance) startWithCriteria(r *record, spec *ContactSpec, l *lane, now time.Time) (contact.ID, error) {
	p, err := in.criteriaFor(spec)
	if err != nil {
		in.pool = append(in.pool, r)
		return "", err
	}
	r.lane = l
	in.arrSeq++ // before skipSteps, which arms a timer for the record's sequence
	r.seq = in.arrSeq
	in.setCriteria(r, p, now)
	if err := in.enter(r, 0); err != nil {
		in.unref(p)
		*r = record{tiers: r.tiers[:0]}
		in.pool = append(in.pool, r)
		return "", invalidParam("%v", err)
	}
	r.tag, r.state = spec.Tag, Waiting
	in.queued(r, now)
	return r.c.ID, nil
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
	r.fixIn(-1)
	for i := range r.tiers {
		r.fixIn(i)
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

// EndContact ends a contact. A waiting contact leaves its queue (reason Abandoned, Stopped or
// Removed); a contact with an agent ends (reason Completed, Stopped or Removed) and the agent's slot stays held
// for after-contact work acw (0: freed at once), after which the agent takes what waits.
// Errors: *ResourceNotFoundException for an unknown contact, *ResourceConflictException for
// one already ended, *InvalidParameterException for a reason that does not fit the state or a
// negative acw. A failed call changes nothing. The cost is O(log n) per heap holding the
// contact, plus the agent's choice of its next contacts, O(e·(1+x)) each for e entries of its
// profile and x active expressions it matches, and O(log n) to route each (O(1) amortized from
// a step's queue; see the package doc's Cost); freeing the expressions of a routed contact's
// criteria no other use names costs O(g·(t+G)) each for its g groups, of t delay tiers, in
// lanes of G groups.
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
	waiting := r.state == Waiting
	if waiting {
		in.unqueue(r, r.lane, nil, nil)
	} else {
		in.track(a, now.UnixNano())
		in.release(a, r, acw, now)
	}
	if in.hist != nil {
		in.contactEnded(r, waiting, reason, acw, now)
	}
	r.state, r.reason, r.endedAt = Ended, reason, now
	in.emitContact(ContactEnded, r, now)
	if waiting && r.hasCrit {
		in.unref(r.cs.crit) // before retire, which may recycle the record and its cs
	}
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
	case r.state == Waiting && reason != Abandoned && reason != Stopped && reason != Removed:
		return invalidParam("contact %q is waiting: it can be ABANDONED, STOPPED or REMOVED, not %s", r.c.ID, reason)
	case r.state == WithAgent && reason != Completed && reason != Stopped && reason != Removed:
		return invalidParam("contact %q is with an agent: it can be COMPLETED, STOPPED or REMOVED, not %s", r.c.ID, reason)
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
		in.wakes.push(wake{at: now.Add(acw).UnixNano(), seq: in.wakeSeq, ag: a, id: r.c.ID, ch: int32(ch)})
		return
	}
	a.used[ch]--
	a.busy--
	a.freed(now.UnixNano())
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
	if len(in.meta) > 0 {
		delete(in.meta, r)
	}
	*r = record{tiers: r.tiers[:0]} // keep the slice's room for the record's next use
	in.pool = append(in.pool, r)
}

// SetAgentState sets an agent available, offline or in a custom status. Going available puts
// the agent at the back of the longest-idle order (unless its profile's availability timer is
// TIME_SINCE_LAST_INBOUND, which counts from its last contact only) and lets it take what
// waits; going offline or custom stops new contacts and lets those in progress continue. Setting the state it already has changes nothing.
// Errors: *ResourceNotFoundException for an unknown agent, *InvalidParameterException for an
// unknown state. The cost is O(log a) per channel, plus the agent's choices as EndContact's.
func (in *Instance) SetAgentState(agentID string, st AgentState) error {
	now := in.lock()
	defer in.mu.Unlock()
	a, ok := in.agents[agentID]
	switch {
	case !ok:
		return notFound("agent %q not found in instance %q", agentID, in.id)
	case st != AgentOffline && st != AgentAvailable && st != AgentCustom:
		return invalidParam("agent state %d is not OFFLINE, AVAILABLE or CUSTOM", st)
	case a.state == st:
		return nil
	}
	in.track(a, now.UnixNano())
	a.state = st
	if st == AgentAvailable {
		a.lastAct = now.UnixNano()
		if !a.p.inbound {
			a.lastFreed = a.lastAct
		}
	}
	in.refresh(a)
	in.emit(Event{Kind: AgentStateChanged, Time: now, AgentID: a.id, AgentState: st})
	in.offerAgent(a, now)
	return nil
}
