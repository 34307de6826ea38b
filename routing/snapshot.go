package routing

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// InstanceState is the dynamic state of an instance, beside its configuration as currently
// held (Instance.Config): every contact it holds (waiting, with an agent, or ended and
// retained), every agent's state, the pending timers and the counters that number what comes
// next. Instance.Restore installs it into a fresh instance built from that configuration, and
// the instance then answers and routes exactly as the one it was taken from: the same IDs,
// the same order among contacts of equal rank, the same timers in the same order.
//
// A new piece of dynamic state of the core belongs here (and in State and Restore), a new
// piece of configuration in InstanceConfig (and in Config).
type InstanceState struct {
	// Time is the instance's clock when the state was taken.
	Time time.Time `json:"time"`
	// Contacts are in arrival order.
	Contacts []ContactSnapshot `json:"contacts"`
	// Agents are in configuration order.
	Agents []AgentSnapshot `json:"agents"`
	// Timers are the pending timers, in firing order (time, then sequence).
	Timers []TimerSnapshot `json:"timers"`
	// Ended lists the retained ended contacts as a ring whose oldest is at EndedOldest.
	Ended       []contact.ID `json:"ended,omitempty"`
	EndedOldest int          `json:"endedOldest,omitempty"`
	// ArrivalSeq, TimerSeq and IDSeq are the last arrival sequence, timer sequence and
	// generated contact ID number given out.
	ArrivalSeq uint64 `json:"arrivalSeq"`
	TimerSeq   uint64 `json:"timerSeq"`
	IDSeq      uint64 `json:"idSeq"`
	// AttributesModified holds the LastModifiedTime of the predefined attributes changed
	// through the API (those of the configuration have none).
	AttributesModified map[string]time.Time `json:"attributesModified,omitempty"`
	// QueuesModified holds the LastModified time of the queues created or changed at run
	// time.
	QueuesModified map[string]time.Time `json:"queuesModified,omitempty"`
	// Lanes are the (queue, channel) lanes with delay tiers or answer times, in queue order.
	Lanes []LaneSnapshot `json:"lanes,omitempty"`
	// ProfileAgents lists, per routing profile, its agents in the order they joined it.
	ProfileAgents map[string][]string `json:"profileAgents,omitempty"`
	// AttributeSets are the contacts' user-defined attribute sets (ContactMetaSnapshot).
	AttributeSets []map[string]string `json:"attributeSets,omitempty"`
	// History is the history's buckets (see HistoryConfig), when the instance keeps one.
	History []HistoryBucketSnapshot `json:"history,omitempty"`
}

// ContactSnapshot is one contact's whole record.
type ContactSnapshot struct {
	ID            contact.ID      `json:"id"`
	QueueID       string          `json:"queueId"`
	Channel       contact.Channel `json:"channel"`
	EnqueuedAt    time.Time       `json:"enqueuedAt"`
	Priority      int64           `json:"priority"`
	AgeAdjustment time.Duration   `json:"ageAdjustmentNs"`
	// Seq is the contact's arrival sequence in the instance.
	Seq uint64 `json:"seq"`
	Tag int    `json:"tag,omitempty"`
	// State is WAITING, WITH_AGENT or ENDED.
	State string `json:"state"`
	// Reason is COMPLETED, ABANDONED, STOPPED, REMOVED or TRANSFERRED once the contact has
	// ended.
	Reason   string     `json:"reason,omitempty"`
	AgentID  string     `json:"agentId,omitempty"`
	RoutedAt *time.Time `json:"routedAt,omitempty"`
	EndedAt  *time.Time `json:"endedAt,omitempty"`
	// Joined is set when an agent took the contact while a restricting step was active.
	Joined   bool              `json:"joined,omitempty"`
	Criteria *CriteriaSnapshot `json:"criteria,omitempty"`
	// For a waiting contact: DelaysReached counts the profile delays of its queue and
	// channel its real wait has reached; Rank is its place in the push order of the heap it
	// waits in (queue.Heap.PushOrder), and TierRanks[i] in the heap of the i-th delay. They
	// keep the order of contacts of exactly equal rank (QueuePriority and routing age), now
	// and after any later update. For a contact whose active step restricts it, the heaps
	// are its group's queues, each a run in routing order and a heap beside it: Rank counts
	// the run's contacts first, in run order, then the heap's in push order, and Runs has
	// bit 0 set when the contact is in the run of the first queue, bit i+1 when in that of
	// the i-th delay's (0 for a contact in no group).
	DelaysReached int    `json:"delaysReached,omitempty"`
	Rank          int    `json:"rank,omitempty"`
	TierRanks     []int  `json:"tierRanks,omitempty"`
	Runs          uint64 `json:"runs,omitempty"`
	// Meta is what the API keeps of the contact beyond routing (name, description,
	// attributes, transfer links); nil when it has none.
	Meta *ContactMetaSnapshot `json:"meta,omitempty"`
}

// CriteriaSnapshot is a contact's routing criteria and where it is in them.
type CriteriaSnapshot struct {
	Input RoutingCriteriaInput `json:"input"`
	// ActiveStep is the index of the active step; len(Input.Steps) once all have expired.
	ActiveStep int `json:"activeStep"`
	// Count is how many criteria were set on the contact (DescribeContact's Index + 1).
	Count       int       `json:"count"`
	ActivatedAt time.Time `json:"activatedAt"`
	// TimerSeq is the sequence of the active step's pending timer, 0 for none.
	TimerSeq uint64 `json:"timerSeq,omitempty"`
}

// AgentSnapshot is one agent's state.
type AgentSnapshot struct {
	ID string `json:"id"`
	// State is AVAILABLE, OFFLINE or CUSTOM.
	State string `json:"state"`
	// Slots counts the slots held per channel: contacts in progress and after-contact work.
	Slots map[contact.Channel]int `json:"slots,omitempty"`
	// AfterContactWork counts the slots held by after-contact work.
	AfterContactWork int `json:"afterContactWork,omitempty"`
	// LastFreed is the idle-order key: LastActivity or LastInbound, as the profile's
	// availability timer says. LastActivity is when the agent last went available or freed
	// a slot, LastInbound when it last freed a slot (the Unix epoch for never).
	LastFreed    time.Time `json:"lastFreed"`
	LastActivity time.Time `json:"lastActivity"`
	LastInbound  time.Time `json:"lastInbound"`
	// HistoryTrackedAt is when the history last counted the agent's time (the Unix epoch
	// for never).
	HistoryTrackedAt time.Time `json:"historyTrackedAt"`
	// Over holds, per channel, the slots the agent was allowed to keep past its profile's
	// concurrency when a change lowered it.
	Over map[contact.Channel]int `json:"over,omitempty"`
	// Contacts are the contacts in progress, in the agent's order.
	Contacts []contact.ID `json:"contacts,omitempty"`
}

// TimerKind says what a timer does when it fires.
type TimerKind string

// Timer kinds.
const (
	TimerDelay            TimerKind = "PROFILE_DELAY"
	TimerStep             TimerKind = "CRITERIA_STEP"
	TimerAfterContactWork TimerKind = "AFTER_CONTACT_WORK"
)

// TimerSnapshot is one pending timer.
type TimerSnapshot struct {
	At   time.Time `json:"at"`
	Seq  uint64    `json:"seq"`
	Kind TimerKind `json:"kind"`
	// ContactID is the delayed contact, the one whose step expires, or the one whose
	// after-contact work ends.
	ContactID contact.ID `json:"contactId"`
	// Delay is the profile delay a PROFILE_DELAY timer lets the contact reach.
	Delay time.Duration `json:"delayNs,omitempty"`
	// Step is the step a CRITERIA_STEP timer expires.
	Step int `json:"step,omitempty"`
	// AgentID and Channel name the slot an AFTER_CONTACT_WORK timer frees.
	AgentID string          `json:"agentId,omitempty"`
	Channel contact.Channel `json:"channel,omitempty"`
}

// Config returns the instance's configuration as currently held: its queues, routing
// profiles (by ID), agents with their current proficiencies, and predefined attributes (by
// name), as NewInstance takes it. The Observer is not included. The cost is O(size).
func (in *Instance) Config() InstanceConfig {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.config()
}

// Snapshot returns the configuration as currently held and the dynamic state, both taken at
// one instant (after the timers due then have fired). The cost is O(n log n) for n contacts
// held, plus O(size of the configuration).
func (in *Instance) Snapshot() (InstanceConfig, InstanceState) {
	now := in.lock()
	defer in.mu.Unlock()
	return in.config(), in.state(now)
}

func (in *Instance) config() InstanceConfig {
	cfg := InstanceConfig{ID: in.id, RetainEnded: in.retain}
	if h := in.hist; h != nil {
		cfg.History = &HistoryConfig{RetentionDays: int(h.retention / (24 * time.Hour)), MaxBuckets: h.max}
	}
	for _, qs := range in.qorder {
		qc := QueueConfig{ID: qs.id, Name: qs.name, Description: qs.adm.desc, HoursOfOperationID: qs.adm.hours,
			Tags: maps.Clone(qs.adm.tags)}
		if qs.adm.disabled {
			qc.Status = QueueDisabled
		}
		if m := qs.adm.maxContacts; m >= 0 {
			qc.MaxContacts = &m
		}
		cfg.Queues = append(cfg.Queues, qc)
	}
	for _, p := range in.porder {
		cfg.RoutingProfiles = append(cfg.RoutingProfiles, p.config())
	}
	for _, name := range slices.Sorted(maps.Keys(in.attrs)) {
		cfg.PredefinedAttributes = append(cfg.PredefinedAttributes, AttributeConfig{Name: name, Values: slices.Clone(in.attrs[name].values)})
	}
	for _, a := range in.aorder {
		ac := AgentConfig{ID: a.id, RoutingProfileID: a.p.id}
		for _, pr := range a.profs {
			ac.Proficiencies = append(ac.Proficiencies, ProficiencyConfig(pr))
		}
		cfg.Agents = append(cfg.Agents, ac)
	}
	return cfg
}

// config returns the profile as a configuration that builds it again: its entries in its
// order, its concurrency, cross-channel behaviour, timer and the members it reports.
func (p *profile) config() ProfileConfig {
	pc := ProfileConfig{ID: p.id, Name: p.name, CrossChannel: p.cross, Concurrency: map[contact.Channel]int{},
		Description: p.desc, DefaultOutboundQueueID: p.outbound, Queues: p.entryConfigs()}
	if p.inbound {
		pc.AgentAvailabilityTimer = TimerLastInbound
	}
	for ch, n := range p.conc {
		if n > 0 {
			pc.Concurrency[contact.Channels[ch]] = n
		}
		if !p.cross && p.anyCh&(1<<ch) != 0 {
			pc.RouteAnyChannel = append(pc.RouteAnyChannel, contact.Channels[ch])
		}
	}
	return pc
}

func (in *Instance) state(now time.Time) InstanceState {
	st := InstanceState{Time: now, ArrivalSeq: in.arrSeq, TimerSeq: in.wakeSeq, IDSeq: in.genSeq,
		Ended: slices.Clone(in.ended), EndedOldest: in.oldest}
	for name, d := range in.attrs {
		if !d.modified.IsZero() {
			if st.AttributesModified == nil {
				st.AttributesModified = make(map[string]time.Time)
			}
			st.AttributesModified[name] = d.modified
		}
	}
	ranks := in.ranks()
	for r := range in.contacts.records() {
		st.Contacts = append(st.Contacts, snapContact(r, ranks))
	}
	slices.SortFunc(st.Contacts, func(a, b ContactSnapshot) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, a := range in.aorder {
		st.Agents = append(st.Agents, snapAgent(a))
	}
	st.Timers = in.snapTimers()
	in.runtimeState(&st)
	return st
}

// heapRanks holds each waiting contact's place in the heaps it waits in.
type heapRanks struct {
	all   map[*record]int
	tiers map[*record][]int
}

// ranks reads every heap of every lane in the order the heap numbered its contacts (see
// queue.Heap.PushOrder), and every group queue in its push order (see grpQueue.pushOrder):
// pushed again in that order, they keep their order among equals.
func (in *Instance) ranks() heapRanks {
	hr := heapRanks{all: make(map[*record]int), tiers: make(map[*record][]int)}
	note := func(cs []*contact.Contact, tier int) {
		for i, c := range cs {
			r := recordOf(c)
			if tier < 0 {
				hr.all[r] = i
				continue
			}
			t := hr.tiers[r]
			for len(t) <= tier {
				t = append(t, 0)
			}
			t[tier] = i
			hr.tiers[r] = t
		}
	}
	for _, qs := range in.qorder {
		for _, l := range qs.lanes {
			note(l.all.PushOrder(), -1)
			for i, t := range l.tiers {
				note(t.eligible.PushOrder(), i)
			}
			for _, g := range l.glist {
				note(g.all.pushOrder(), -1)
				for i, q := range g.tiers {
					note(q.pushOrder(), i)
				}
			}
		}
	}
	return hr
}

func snapContact(r *record, hr heapRanks) ContactSnapshot {
	cs := ContactSnapshot{ID: r.c.ID, QueueID: r.c.QueueID, Channel: r.c.Channel, EnqueuedAt: r.c.EnqueuedAt.UTC(),
		Priority: r.c.Priority, AgeAdjustment: r.c.AgeAdjustment, Seq: r.seq, Tag: r.tag, State: r.state.String(),
		Joined: r.joined}
	if r.reason != NotEnded {
		cs.Reason = r.reason.String()
	}
	if r.agent != nil {
		cs.AgentID = r.agent.id
	}
	if !r.routedAt.IsZero() {
		t := r.routedAt.UTC()
		cs.RoutedAt = &t
	}
	if !r.endedAt.IsZero() {
		t := r.endedAt.UTC()
		cs.EndedAt = &t
	}
	if r.hasCrit {
		cs.Criteria = &CriteriaSnapshot{Input: r.cs.crit.input, ActiveStep: int(r.cs.step), Count: int(r.cs.critN),
			ActivatedAt: time.Unix(0, r.cs.critAt).UTC(), TimerSeq: r.stepWk}
	}
	if r.state == Waiting {
		cs.DelaysReached, cs.Rank, cs.TierRanks, cs.Runs = len(r.tiers), hr.all[r], slices.Clone(hr.tiers[r][:len(r.tiers)]), r.runs
	}
	return cs
}

func snapAgent(a *agent) AgentSnapshot {
	as := AgentSnapshot{ID: a.id, State: a.state.String(), AfterContactWork: a.acw, LastFreed: time.Unix(0, a.lastFreed).UTC(),
		LastActivity: time.Unix(0, a.lastAct).UTC(), LastInbound: time.Unix(0, a.lastIn).UTC(), HistoryTrackedAt: time.Unix(0, a.histAt).UTC()}
	for ch, n := range a.over {
		if n > 0 {
			if as.Over == nil {
				as.Over = make(map[contact.Channel]int)
			}
			as.Over[contact.Channels[ch]] = int(n)
		}
	}
	for ch, n := range a.used {
		if n > 0 {
			if as.Slots == nil {
				as.Slots = make(map[contact.Channel]int)
			}
			as.Slots[contact.Channels[ch]] = n
		}
	}
	for _, r := range a.contacts {
		as.Contacts = append(as.Contacts, r.c.ID)
	}
	return as
}

// snapTimers lists the live timers: the wake heap's, but for the heads of step queues,
// which are listed with their queues.
func (in *Instance) snapTimers() []TimerSnapshot {
	var ts []TimerSnapshot
	add := func(w *wake) {
		if in.stale(w) {
			return
		}
		t := TimerSnapshot{At: time.Unix(0, w.at).UTC(), Seq: w.seq}
		switch {
		case w.ag != nil:
			t.Kind, t.ContactID, t.AgentID, t.Channel = TimerAfterContactWork, w.id, w.ag.id, contact.Channels[w.ch]
		case w.tier != nil:
			t.Kind, t.ContactID, t.Delay = TimerDelay, w.r.c.ID, w.tier.delay
		default:
			t.Kind, t.ContactID, t.Step = TimerStep, w.r.c.ID, int(w.step)
		}
		ts = append(ts, t)
	}
	for i := range in.wakes {
		if w := &in.wakes[i]; w.tier != nil || w.ag != nil || w.ch == 0 {
			add(w)
		}
	}
	for _, q := range in.stepQueues {
		for i := range q.n {
			add(q.at(i))
		}
	}
	slices.SortFunc(ts, func(a, b TimerSnapshot) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Seq, b.Seq))
	})
	return ts
}
