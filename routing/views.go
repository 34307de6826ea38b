package routing

import (
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/internal/prefetch"
)

// ContactInfo describes a contact, as DescribeContact reports it.
type ContactInfo struct {
	ID      contact.ID
	QueueID string
	Channel contact.Channel
	Tag     int
	State   ContactState
	Reason  EndReason
	// EnqueuedAt is the real time the contact entered its queue.
	EnqueuedAt time.Time
	// Priority is the QueuePriority; AgeAdjustment the cumulative routing-age adjustment.
	Priority      int64
	AgeAdjustment time.Duration
	// AgentID is the agent the contact was routed to, if any.
	AgentID string
	// RoutedAt and EndedAt are zero until those happen.
	RoutedAt time.Time
	EndedAt  time.Time
	// RoutingCriteria are the contact's latest routing criteria with each step's status,
	// or nil when it has none. Its Expressions are shared with the instance: read them, do
	// not modify them.
	RoutingCriteria *RoutingCriteria
	// Name, Description and Attributes are what StartTaskContact and
	// UpdateContactAttributes set; Attributes is a copy, nil when none was set.
	Name, Description string
	Attributes        map[string]string
	// PreviousContactID and InitialContactID link a contact TransferContact made to the
	// contact it came from and to the first of the chain; empty for a contact not made by a
	// transfer. Transfers counts the chain's transfers up to this contact.
	PreviousContactID, InitialContactID contact.ID
	Transfers                           int
	// AttributesUpdated is when UpdateContactAttributes last changed the attributes; zero
	// if it never did.
	AttributesUpdated time.Time
}

// DescribeContact returns what the instance knows of a contact, waiting, with an agent, or
// ended and still retained (see InstanceConfig.RetainEnded). Error:
// *ResourceNotFoundException. The cost is O(1), plus O(attributes) for a contact with user-defined attributes.
func (in *Instance) DescribeContact(id contact.ID) (ContactInfo, error) {
	prefetch.String(string(id)) // overlaps the ID's cache miss with the lock; see prefetch.String
	in.lock()
	defer in.mu.Unlock()
	r, ok := in.contacts.get(id)
	if !ok {
		return ContactInfo{}, notFound("contact %q not found in instance %q", id, in.id)
	}
	info := ContactInfo{ID: r.c.ID, QueueID: r.c.QueueID, Channel: r.c.Channel, Tag: r.tag,
		State: r.state, Reason: r.reason, EnqueuedAt: r.c.EnqueuedAt, Priority: r.c.Priority,
		AgeAdjustment: r.c.AgeAdjustment, RoutedAt: r.routedAt, EndedAt: r.endedAt,
		RoutingCriteria: r.describeCriteria()}
	if r.agent != nil {
		info.AgentID = r.agent.id
	}
	in.describeMeta(r, &info)
	return info, nil
}

// ContactPosition returns a waiting contact's 1-based place in routing order among the
// contacts of its queue and channel, the ones competing for the same agents
// (POSITION_IN_QUEUE). Errors: *ResourceNotFoundException, *ResourceConflictException for a
// contact not waiting. The cost is O(k + p) for a result p and k priorities in use in the
// queue.
func (in *Instance) ContactPosition(id contact.ID) (int, error) {
	prefetch.String(string(id)) // overlaps the ID's cache miss with the lock; see prefetch.String
	in.lock()
	defer in.mu.Unlock()
	r, err := in.waiting(id)
	if err != nil {
		return 0, err
	}
	if !r.lane.grouped() {
		p, _ := r.lane.all.Position(r.all)
		return p, nil
	}
	return r.lane.rank(r), nil
}

// grouped reports whether a contact waits in one of the lane's groups: only then does a
// position need rank, which merges the lane's heap with the groups'. Whether empty groups
// exist (they stay once made) does not change a position, so that an instance restored from
// a snapshot, which makes only the groups its waiting contacts need, answers alike. O(groups).
func (l *lane) grouped() bool {
	for _, g := range l.glist {
		if g.all.len() > 0 {
			return true
		}
	}
	return false
}

// rank is r's 1-based place in routing order among all the waiting contacts of its lane,
// in its heap and in its lane's groups. O(n).
func (l *lane) rank(r *record) int {
	p := 1
	count := func(c *contact.Contact) bool {
		if o := recordOf(c); o != r && before(o, r) {
			p++
		}
		return true
	}
	l.all.Each(count)
	for _, g := range l.glist {
		g.all.each(count)
	}
	return p
}

// before reports whether waiting contact x is routed before y: (QueuePriority, routing age,
// arrival).
func before(x, y *record) bool {
	if x.c.Priority != y.c.Priority {
		return x.c.Priority < y.c.Priority
	}
	if kx, ky := x.c.RoutingKey(), y.c.RoutingKey(); kx != ky {
		return kx < ky
	}
	return x.seq < y.seq
}

// QueueMetrics are the current metrics of one queue, over the channels asked for.
type QueueMetrics struct {
	QueueID string
	// ContactsInQueue counts waiting contacts (CONTACTS_IN_QUEUE).
	ContactsInQueue int
	// OldestContactAge is the real wait of the contact waiting longest, never changed by
	// routing-age adjustments (OLDEST_CONTACT_AGE); 0 when none waits.
	OldestContactAge time.Duration
	// Agents whose routing profile serves the queue on one of the channels:
	// AgentsOnline are not offline, or still busy (AGENTS_ONLINE); AgentsAvailable are set
	// available and hold no contact or after-contact work (AGENTS_AVAILABLE); AgentsOnContact
	// hold at least one contact (AGENTS_ON_CONTACT); AgentsAfterContactWork hold only
	// after-contact work (AGENTS_AFTER_CONTACT_WORK).
	AgentsOnline           int
	AgentsAvailable        int
	AgentsOnContact        int
	AgentsAfterContactWork int
}

// QueueMetrics returns the current metrics of a queue over the given channels (all four when
// none is given). Errors: *ResourceNotFoundException for an unknown queue,
// *InvalidParameterException for an invalid channel. The cost is O(c + a) for c channels and
// a agents serving the queue.
func (in *Instance) QueueMetrics(queueID string, channels ...contact.Channel) (QueueMetrics, error) {
	now := in.lock()
	defer in.mu.Unlock()
	qs, ok := in.queues[queueID]
	if !ok {
		return QueueMetrics{}, notFound("queue %q not found in instance %q", queueID, in.id)
	}
	var want [len(contact.Channels)]bool
	if len(channels) == 0 {
		want = [len(contact.Channels)]bool{true, true, true, true}
	}
	for _, ch := range channels {
		if !ch.Valid() {
			return QueueMetrics{}, invalidParam("channel %q is not VOICE, CHAT, TASK or EMAIL", ch)
		}
		want[ch.Index()] = true
	}
	m := QueueMetrics{QueueID: qs.id}
	for ch, l := range qs.lanes {
		if !want[ch] {
			continue
		}
		m.addLane(l, now)
	}
	for _, p := range qs.profiles {
		if !servesAny(p, qs, want) {
			continue
		}
		for _, a := range p.agents {
			m.countAgent(a)
		}
	}
	return m, nil
}

// CombinedMetrics returns the current metrics of several queues taken together, over the
// given channels (all four when none is given): waiting contacts are summed, the oldest wait
// is the largest, and each agent whose profile serves one of the queues on one of the
// channels is counted once, however many of the queues it serves. QueueID is set only when
// queueIDs names one queue; an empty queueIDs means every queue of the instance. Errors:
// *ResourceNotFoundException for an unknown queue, *InvalidParameterException for an invalid
// channel. The cost is O(q·c + a) for q queues, c channels and a agents serving them.
func (in *Instance) CombinedMetrics(queueIDs []string, channels ...contact.Channel) (QueueMetrics, error) {
	now := in.lock()
	defer in.mu.Unlock()
	var want [len(contact.Channels)]bool
	if len(channels) == 0 {
		want = [len(contact.Channels)]bool{true, true, true, true}
	}
	for _, ch := range channels {
		if !ch.Valid() {
			return QueueMetrics{}, invalidParam("channel %q is not VOICE, CHAT, TASK or EMAIL", ch)
		}
		want[ch.Index()] = true
	}
	qss := in.qorder
	if len(queueIDs) > 0 {
		qss = make([]*queueState, 0, len(queueIDs))
		for _, id := range queueIDs {
			qs, ok := in.queues[id]
			if !ok {
				return QueueMetrics{}, notFound("queue %q not found in instance %q", id, in.id)
			}
			if !slices.Contains(qss, qs) {
				qss = append(qss, qs)
			}
		}
	}
	var m QueueMetrics
	if len(qss) == 1 {
		m.QueueID = qss[0].id
	}
	var profiles []*profile
	for _, qs := range qss {
		for ch, l := range qs.lanes {
			if !want[ch] {
				continue
			}
			m.addLane(l, now)
		}
		for _, p := range qs.profiles {
			if servesAny(p, qs, want) && !slices.Contains(profiles, p) {
				profiles = append(profiles, p)
			}
		}
	}
	for _, p := range profiles {
		for _, a := range p.agents {
			m.countAgent(a)
		}
	}
	return m, nil
}

// addLane counts the waiting contacts of l, with or without a restricting step.
func (m *QueueMetrics) addLane(l *lane, now time.Time) {
	m.addHeap(l.all.Len(), l.all.Oldest, now)
	for _, g := range l.glist {
		m.addHeap(g.all.len(), g.all.oldest, now)
	}
}

func (m *QueueMetrics) addHeap(n int, oldest func() (*contact.Contact, bool), now time.Time) {
	m.ContactsInQueue += n
	if c, ok := oldest(); ok {
		m.OldestContactAge = max(m.OldestContactAge, c.QueueWait(now))
	}
}

func servesAny(p *profile, qs *queueState, want [len(contact.Channels)]bool) bool {
	for _, e := range p.entries {
		if e.lane.q == qs && want[e.lane.ch] {
			return true
		}
	}
	return false
}

func (m *QueueMetrics) countAgent(a *agent) {
	st := a.status()
	if st != StatusOffline {
		m.AgentsOnline++
	}
	switch st {
	case StatusAvailable:
		m.AgentsAvailable++
	case StatusOnContact:
		m.AgentsOnContact++
	case StatusAfterContactWork:
		m.AgentsAfterContactWork++
	}
}

// AgentInfo describes an agent.
type AgentInfo struct {
	ID               string
	RoutingProfileID string
	State            AgentState
	Status           AgentStatus
	// Contacts are the contacts the agent is handling now.
	Contacts []contact.ID
	// AfterContactWork counts slots held for after-contact work.
	AfterContactWork int
	// Proficiencies are the agent's proficiencies, by (AttributeName, AttributeValue).
	Proficiencies []Proficiency
}

// DescribeAgent returns an agent's state and contacts. Error: *ResourceNotFoundException.
func (in *Instance) DescribeAgent(agentID string) (AgentInfo, error) {
	in.lock()
	defer in.mu.Unlock()
	a, ok := in.agents[agentID]
	if !ok {
		return AgentInfo{}, notFound("agent %q not found in instance %q", agentID, in.id)
	}
	info := AgentInfo{ID: a.id, RoutingProfileID: a.p.id, State: a.state, Status: a.status(), AfterContactWork: a.acw,
		Proficiencies: slices.Clone(a.profs)}
	for _, r := range a.contacts {
		info.Contacts = append(info.Contacts, r.c.ID)
	}
	return info, nil
}

// QueueIDs returns the instance's queue IDs in configuration order, then those CreateQueue
// added. The cost is O(q).
func (in *Instance) QueueIDs() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	ids := make([]string, len(in.qorder))
	for i, q := range in.qorder {
		ids[i] = q.id
	}
	return ids
}

// AgentIDs returns the instance's agent IDs in configuration order.
func (in *Instance) AgentIDs() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	ids := make([]string, len(in.aorder))
	for i, a := range in.aorder {
		ids[i] = a.id
	}
	return ids
}
