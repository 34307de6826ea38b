package routing

import (
	"fmt"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// Agents changed at run time: CreateAgent (CreateUser) and UpdateAgentRoutingProfile
// (UpdateUserRoutingProfile). Custom statuses are SetAgentState with AgentCustom.

// CreateAgent adds an agent, offline, with its routing profile and proficiencies checked as
// a configured agent's are. An agent that has handled no contact counts as idle from its
// creation when its profile's timer is TimerLastInbound. Errors: *InvalidParameterException
// naming the bad field; *DuplicateResourceException for an ID in use;
// *ResourceNotFoundException for an unknown routing profile. A failed call changes nothing.
// The cost is O(x·s + p log p) for the x expressions the instance has seen, of s conditions,
// and p proficiencies.
func (in *Instance) CreateAgent(ac AgentConfig) error {
	now := in.lock()
	defer in.mu.Unlock()
	switch {
	case ac.ID == "":
		return invalidParam("agent ID must not be empty")
	case in.agents[ac.ID] != nil:
		return &DuplicateResourceException{Message: fmt.Sprintf("agent %q already exists in instance %q", ac.ID, in.id)}
	}
	p, err := in.profileByID(ac.RoutingProfileID)
	if err != nil {
		return err
	}
	attrs := make(map[string]map[string]bool, len(in.attrs))
	for name, d := range in.attrs {
		attrs[name] = d.set
	}
	if err := validateProfConfigs(ac.Proficiencies, attrs, "Proficiencies"); err != nil {
		return asInvalid(err)
	}
	t := now.UnixNano()
	a := &agent{id: ac.ID, seq: len(in.aorder), p: p, heapIdx: [4]int{-1, -1, -1, -1}, lastAct: t, lastIn: t, lastFreed: t}
	for _, pc := range ac.Proficiencies {
		a.profs = append(a.profs, Proficiency(pc))
	}
	sortProfs(a.profs)
	p.agents = append(p.agents, a)
	in.agents[a.id] = a
	in.aorder = append(in.aorder, a)
	words := (len(in.aorder) + 63) / 64
	for _, x := range in.exprList {
		if x == nil { // a freed id
			continue
		}
		if len(x.match) < words {
			x.match = append(x.match, make([]uint64, words-len(x.match))...)
		}
		if x.n.matches(a) {
			x.match[a.seq>>6] |= 1 << (a.seq & 63)
			if x.listed {
				a.xs = append(a.xs, x.id)
			}
		}
	}
	return nil
}

// UpdateAgentRoutingProfile moves an agent to another routing profile. Contacts in progress
// stay with it (past the new profile's concurrency, if they exceed it: it then takes no
// more of that channel until below); from now on it takes contacts by the new profile, at
// once if it is available, and its place in the idle order follows the new profile's
// availability timer. Moving an agent to the profile it has changes nothing. Errors:
// *ResourceNotFoundException for an unknown agent or profile. The cost is O(a + log a) for
// a agents of the old profile, plus the agent's choices as EndContact's.
func (in *Instance) UpdateAgentRoutingProfile(agentID, profileID string) error {
	now := in.lock()
	defer in.mu.Unlock()
	a, ok := in.agents[agentID]
	if !ok {
		return notFound("agent %q not found in instance %q", agentID, in.id)
	}
	p, err := in.profileByID(profileID)
	if err != nil {
		return err
	}
	if a.p == p {
		return nil
	}
	in.track(a, now.UnixNano()) // the history files the time so far under the old profile
	old := a.p
	for ch := range old.ready {
		old.ready[ch].remove(a)
	}
	old.agents = slices.DeleteFunc(old.agents, func(x *agent) bool { return x == a })
	a.p = p
	p.agents = append(p.agents, a)
	a.lastFreed = a.idleKey()
	a.noteOver()
	in.refresh(a)
	in.offerAgent(a, now)
	return nil
}

// AgentIDsOf returns the IDs of the agents of a routing profile, in the order they joined
// it. Error: *ResourceNotFoundException. The cost is O(a).
func (in *Instance) AgentIDsOf(profileID string) ([]string, error) {
	in.lock()
	defer in.mu.Unlock()
	p, err := in.profileByID(profileID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(p.agents))
	for i, a := range p.agents {
		ids[i] = a.id
	}
	return ids, nil
}

// AgentLoad is what an agent holds now, as GetCurrentUserData reports it.
type AgentLoad struct {
	RoutingProfileID string
	State            AgentState
	Status           AgentStatus
	// Max, Active and Available give, per channel the profile handles, its concurrency,
	// the slots held (contacts and after-contact work) and the slots it may be offered now
	// (0 unless it is available and the channel is open to it).
	Max, Active, Available map[contact.Channel]int
	// Contacts are the contacts in progress, in the order the agent took them.
	Contacts []HeldContact
}

// HeldContact is a contact in progress with an agent.
type HeldContact struct {
	ID       contact.ID
	Channel  contact.Channel
	QueueID  string
	RoutedAt time.Time
	// PreviousContactID is the contact TransferContact made this one from; empty for a
	// contact that was started.
	PreviousContactID contact.ID
}

// AgentLoad returns what an agent holds now. Error: *ResourceNotFoundException. The cost is
// O(c) for c contacts held.
func (in *Instance) AgentLoad(agentID string) (AgentLoad, error) {
	in.lock()
	defer in.mu.Unlock()
	a, ok := in.agents[agentID]
	if !ok {
		return AgentLoad{}, notFound("agent %q not found in instance %q", agentID, in.id)
	}
	l := AgentLoad{RoutingProfileID: a.p.id, State: a.state, Status: a.status(),
		Max: map[contact.Channel]int{}, Active: map[contact.Channel]int{}, Available: map[contact.Channel]int{}}
	for ch, n := range a.p.conc {
		if n == 0 {
			continue
		}
		c := contact.Channels[ch]
		l.Max[c], l.Active[c] = n, a.used[ch]
		if a.canTake(ch) {
			l.Available[c] = n - a.used[ch]
		} else {
			l.Available[c] = 0
		}
	}
	for _, r := range a.contacts {
		hc := HeldContact{ID: r.c.ID, Channel: r.c.Channel, QueueID: r.c.QueueID, RoutedAt: r.routedAt}
		if m := in.meta[r]; m != nil {
			hc.PreviousContactID = m.prev
		}
		l.Contacts = append(l.Contacts, hc)
	}
	slices.SortFunc(l.Contacts, func(x, y HeldContact) int { return x.RoutedAt.Compare(y.RoutedAt) })
	return l, nil
}
