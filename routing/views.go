package routing

import (
	"fmt"
	"github.com/routesim/routesim/internal/prefetch"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
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
}

// DescribeContact returns what the instance knows of a contact, waiting, with an agent, or
// ended and still retained (see InstanceConfig.RetainEnded). Error:
// *ResourceNotFoundException. The cost is O(1).
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
		AgeAdjustment: r.c.AgeAdjustment, RoutedAt: r.routedAt, EndedAt: r.endedAt}
	if r.agent != nil {
		info.AgentID = r.agent.id
	}
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
	p, _ := r.lane.all.Position(r.all)
	return p, nil
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
		m.ContactsInQueue += l.all.Len()
		if c, ok := l.all.Oldest(); ok {
			m.OldestContactAge = max(m.OldestContactAge, c.QueueWait(now))
		}
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
			m.ContactsInQueue += l.all.Len()
			if c, ok := l.all.Oldest(); ok {
				m.OldestContactAge = max(m.OldestContactAge, c.QueueWait(now))
			}
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
}

// DescribeAgent returns an agent's state and contacts. Error: *ResourceNotFoundException.
func (in *Instance) DescribeAgent(agentID string) (AgentInfo, error) {
	in.lock()
	defer in.mu.Unlock()
	a, ok := in.agents[agentID]
	if !ok {
		return AgentInfo{}, notFound("agent %q not found in instance %q", agentID, in.id)
	}
	info := AgentInfo{ID: a.id, RoutingProfileID: a.p.id, State: a.state, Status: a.status(), AfterContactWork: a.acw}
	for _, r := range a.contacts {
		info.Contacts = append(info.Contacts, r.c.ID)
	}
	return info, nil
}

// QueueIDs returns the instance's queue IDs in configuration order.
func (in *Instance) QueueIDs() []string {
	ids := make([]string, len(in.qorder))
	for i, q := range in.qorder {
		ids[i] = q.id
	}
	return ids
}

// AgentIDs returns the instance's agent IDs in configuration order.
func (in *Instance) AgentIDs() []string {
	ids := make([]string, len(in.aorder))
	for i, a := range in.aorder {
		ids[i] = a.id
	}
	return ids
}

// Verify checks the instance's internal invariants and returns the first violation: every
// contact in exactly one place, queue and tier membership matching state and delay,
// concurrency respected, ready heaps holding exactly the agents that can take a channel, and
// no ready agent with an eligible contact waiting. It is for tests; the cost is O(n + a).
func (in *Instance) Verify() error {
	now := in.lock()
	defer in.mu.Unlock()
	if err := in.verifyContacts(now); err != nil {
		return err
	}
	if err := in.verifyWakes(now); err != nil {
		return err
	}
	return in.verifyAgents(now)
}

// verifyWakes checks the timers: the wake heap in (at, seq) heap order, none due by now (lock
// fired them), none numbered past the last armed, and for each waiting contact exactly one
// live timer per tier of its lane that it has not entered yet, due at its arrival plus the
// tier's delay.
func (in *Instance) verifyWakes(now time.Time) error {
	type key struct {
		r *record
		t *tier
	}
	armed := map[key]int64{}
	for i := range in.wakes {
		w := &in.wakes[i]
		switch {
		case i > 0 && in.wakes.less(i, (i-1)/2):
			return fmt.Errorf("routing: verify: timer %d comes before its parent", w.seq)
		case w.at <= now.UnixNano():
			return fmt.Errorf("routing: verify: timer %d due at %v is still pending at %v", w.seq, time.Unix(0, w.at), now)
		case w.seq == 0 || w.seq > in.wakeSeq:
			return fmt.Errorf("routing: verify: timer numbered %d; last armed %d", w.seq, in.wakeSeq)
		}
		if w.ag != nil || in.stale(w) {
			continue
		}
		if _, dup := armed[key{w.r, w.tier}]; dup {
			return fmt.Errorf("routing: verify: contact %q has two timers for tier %v", w.r.c.ID, w.tier.delay)
		}
		armed[key{w.r, w.tier}] = w.at
	}
	for r := range in.contacts.records() {
		if r.state != Waiting {
			continue
		}
		for _, t := range r.lane.tiers[len(r.tiers):] {
			at, ok := armed[key{r, t}]
			if want := r.c.EnqueuedAt.Add(t.delay).UnixNano(); !ok || at != want {
				return fmt.Errorf("routing: verify: waiting contact %q has timer %t at %v for tier %v; want one at %v",
					r.c.ID, ok, time.Unix(0, at), t.delay, time.Unix(0, want))
			}
		}
	}
	return nil
}

// verifyContactTable checks the contact table: a power-of-two length at most half full, live
// counting the records filed (in cells, or pending), each cell holding the hash of its
// record's ID (also the record's idHash), reached from its home cell without crossing an
// empty cell, no record twice, and a filter of the size the cells call for, each counter
// equal to the number of records filed under it, or stuck at filterStuck.
func (in *Instance) verifyContactTable() error {
	t := &in.contacts
	n := len(t.cells)
	if n&(n-1) != 0 || 2*t.live > n {
		return fmt.Errorf("routing: verify: contact table has %d cells with %d live; want a power of two at most half full", n, t.live)
	}
	if n == 0 {
		if t.live != 0 || t.pend != nil || len(t.counts) != 0 {
			return fmt.Errorf("routing: verify: contact table has no cells but live = %d, a pending record %t, %d filter bytes",
				t.live, t.pend != nil, len(t.counts))
		}
		return nil
	}
	if want := 1 << filterBits(n) / perByte; len(t.counts) != want {
		return fmt.Errorf("routing: verify: contact filter of %d bytes for %d cells; want %d", len(t.counts), n, want)
	}
	seen := make(map[*record]bool, t.live)
	counts := make([]int32, perByte*len(t.counts)) // the filter's counters, recounted
	for i, c := range t.cells {
		if c.r == nil {
			continue
		}
		switch h := t.hash(c.r.c.ID); {
		case seen[c.r]:
			return fmt.Errorf("routing: verify: contact %q is in the contact table twice", c.r.c.ID)
		case c.hash != h || c.r.idHash != h:
			return fmt.Errorf("routing: verify: contact %q filed under hash %#x (record %#x); want %#x", c.r.c.ID, c.hash, c.r.idHash, h)
		}
		seen[c.r] = true
		counts[c.hash>>t.shift()]++
		for j := int(c.hash) & (n - 1); j != i; j = (j + 1) & (n - 1) {
			if t.cells[j].r == nil {
				return fmt.Errorf("routing: verify: contact %q (cell %d) lies past empty cell %d", c.r.c.ID, i, j)
			}
		}
	}
	if r := t.pend; r != nil {
		if h := t.hash(r.c.ID); seen[r] || r.idHash != h {
			return fmt.Errorf("routing: verify: pending contact %q also in a cell %t, filed under hash %#x; want %#x",
				r.c.ID, seen[r], r.idHash, h)
		}
		seen[r] = true
		counts[r.idHash>>t.shift()]++
	}
	if len(seen) != t.live {
		return fmt.Errorf("routing: verify: contact table holds %d contacts; want live = %d", len(seen), t.live)
	}
	for i, want := range counts {
		if got := t.count(uint32(i) << t.shift()); got != filterStuck && int32(got) != want {
			return fmt.Errorf("routing: verify: contact filter counter %d is %d; want %d", i, got, want)
		}
	}
	return nil
}

func (in *Instance) verifyContacts(now time.Time) error {
	waiting := 0
	inTiers := 0 // tier memberships the records claim
	if err := in.verifyContactTable(); err != nil {
		return err
	}
	for r := range in.contacts.records() {
		id := r.c.ID
		if r.state != Waiting {
			if len(r.tiers) > 0 {
				return fmt.Errorf("routing: verify: contact %q state %s still in %d tiers", id, r.state, len(r.tiers))
			}
		} else {
			waiting++
			if c, ok := r.lane.all.Contact(r.all); !ok || c != &r.c {
				return fmt.Errorf("routing: verify: waiting contact %q is not in its queue", id)
			}
			if len(r.tiers) > len(r.lane.tiers) {
				return fmt.Errorf("routing: verify: contact %q in %d tiers of a lane with %d", id, len(r.tiers), len(r.lane.tiers))
			}
			for i, t := range r.lane.tiers {
				entered := i < len(r.tiers)
				if entered {
					if c, ok := t.eligible.Contact(r.tiers[i]); !ok || c != &r.c {
						return fmt.Errorf("routing: verify: contact %q is not in tier %v, which it entered", id, t.delay)
					}
				}
				if reached := r.c.QueueWait(now) >= t.delay; entered != reached {
					return fmt.Errorf("routing: verify: contact %q in tier %v = %v after %v", id, t.delay, entered, r.c.QueueWait(now))
				}
			}
			inTiers += len(r.tiers)
		}
		if (r.state == WithAgent && r.agent == nil) || (r.state == Waiting && r.agent != nil) {
			return fmt.Errorf("routing: verify: contact %q state %s, agent %v", id, r.state, r.agent != nil)
		}
	}
	total, tiered := 0, 0
	for _, qs := range in.qorder {
		for _, l := range qs.lanes {
			total += l.all.Len()
			for _, t := range l.tiers {
				tiered += t.eligible.Len()
			}
		}
	}
	if total != waiting || tiered != inTiers {
		return fmt.Errorf("routing: verify: %d contacts in queues and %d in tiers; %d waiting records in %d tiers",
			total, tiered, waiting, inTiers)
	}
	return nil
}

func (in *Instance) verifyAgents(now time.Time) error {
	for _, a := range in.aorder {
		var used [len(contact.Channels)]int
		for _, r := range a.contacts {
			if r.agent != a || r.state != WithAgent {
				return fmt.Errorf("routing: verify: agent %q holds contact %q in state %s", a.id, r.c.ID, r.state)
			}
			used[r.lane.ch]++
		}
		sum := 0
		for ch := range used {
			sum += a.used[ch]
			if a.used[ch] > a.p.conc[ch] {
				return fmt.Errorf("routing: verify: agent %q holds %d %s slots; concurrency %d", a.id, a.used[ch], contact.Channels[ch], a.p.conc[ch])
			}
		}
		if sum != a.busy || a.busy != len(a.contacts)+a.acw {
			return fmt.Errorf("routing: verify: agent %q busy %d, slots %d, contacts %d, acw %d", a.id, a.busy, sum, len(a.contacts), a.acw)
		}
		for ch := range a.p.conc {
			if a.p.conc[ch] == 0 {
				continue
			}
			if inHeap := a.heapIdx[ch] >= 0; inHeap != a.canTake(ch) {
				return fmt.Errorf("routing: verify: agent %q ready for %s = %v but in heap = %v", a.id, contact.Channels[ch], a.canTake(ch), inHeap)
			}
		}
		if a.state == AgentAvailable && in.pickFor(a) != nil {
			return fmt.Errorf("routing: verify: agent %q can take a waiting contact but was not given it", a.id)
		}
	}
	return nil
}
