package routing

import (
	"fmt"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// Routing profiles changed at run time: CreateRoutingProfile, its queues (associate,
// disassociate, update), its concurrency and its agent availability timer. Routing follows
// at once: after a change, the profile's available agents, idle longest first, take what
// became eligible for them. Contacts in progress stay with their agents.

// MaxProfileQueues is the most (queue, channel) entries a routing profile may have: Amazon
// Connect's quota of queues per routing profile.
const MaxProfileQueues = 50

// ProfileQueueRef names one entry of a routing profile: a queue and a channel.
type ProfileQueueRef struct {
	QueueID string
	Channel contact.Channel
}

// ProfileInfo describes a routing profile, as DescribeRoutingProfile reports it.
type ProfileInfo struct {
	ID, Name, Description, DefaultOutboundQueueID string
	// AgentAvailabilityTimer is TimerLastActivity or TimerLastInbound.
	AgentAvailabilityTimer string
	// Concurrency gives the contacts of each channel an agent takes at once; channels the
	// profile does not handle are absent.
	Concurrency map[contact.Channel]int
	// RouteAnyChannel lists the channels whose contacts let their agent be offered others.
	RouteAnyChannel []contact.Channel
	// Queues are the profile's entries, in the order agents look at them (priority, then
	// the order they were added).
	Queues []ProfileQueueConfig
	// Agents counts the agents whose profile this is.
	Agents int
	// QueueNames gives the name of each queue of Queues, by ID.
	QueueNames map[string]string
}

// CreateRoutingProfile adds a routing profile, checked as a configured one is, except that
// it may have no queue (its agents then take nothing until queues are associated). Errors:
// *InvalidParameterException naming the bad field; *DuplicateResourceException for an ID
// or a Name in use; *LimitExceededException past MaxProfileQueues entries. A failed call
// changes nothing. The cost is O(e log e + q·n) for e entries, q of them with a delay new
// to their queue and channel, n contacts waiting there (see AssociateProfileQueues).
func (in *Instance) CreateRoutingProfile(pc ProfileConfig) error {
	now := in.lock()
	defer in.mu.Unlock()
	switch {
	case pc.ID == "":
		return invalidParam("routing profile ID must not be empty")
	case in.profiles[pc.ID] != nil:
		return &DuplicateResourceException{Message: fmt.Sprintf("routing profile %q already exists in instance %q", pc.ID, in.id)}
	case len(pc.Queues) > MaxProfileQueues:
		return &LimitExceededException{Message: fmt.Sprintf("routing profile %q has %d queue entries; at most %d", pc.ID, len(pc.Queues), MaxProfileQueues)}
	}
	if pc.Name != "" && slices.ContainsFunc(in.porder, func(p *profile) bool { return p.name == pc.Name }) {
		return &DuplicateResourceException{Message: fmt.Sprintf("a routing profile named %q already exists in instance %q", pc.Name, in.id)}
	}
	if err := in.checkEntries(pc.Queues, 0); err != nil {
		return err
	}
	if q := pc.DefaultOutboundQueueID; q != "" && in.queues[q] == nil {
		return notFound("DefaultOutboundQueueId: queue %q not found in instance %q", q, in.id)
	}
	if err := in.checkProfile(&pc); err != nil {
		return err
	}
	entries := pc.Queues
	pc.Queues = nil
	p := in.buildProfile(pc)
	for _, e := range entries {
		if ch := e.Channel.Index(); p.conc[ch] == 0 {
			p.conc[ch] = 1
		}
	}
	in.profiles[p.id] = p
	in.porder = append(in.porder, p)
	in.setEntries(p, entries, now)
	return nil
}

// checkProfile checks a profile configuration against the instance, as an
// *InvalidParameterException naming the field.
func (in *Instance) checkProfile(pc *ProfileConfig) error {
	queues := make(map[string]bool, len(in.queues))
	for id := range in.queues {
		queues[id] = true
	}
	if err := pc.validateBody("", queues); err != nil {
		return asInvalid(err)
	}
	return nil
}

// asInvalid turns a *ConfigError from the configuration checks into the API's exception.
func asInvalid(err error) error {
	if ce, ok := err.(*ConfigError); ok {
		f := ce.Field
		if len(f) > 0 && f[0] == '.' {
			f = f[1:]
		}
		return invalidParam("%s: %s", f, ce.Reason)
	}
	return err
}

// profile returns the profile with the given ID, or *ResourceNotFoundException.
func (in *Instance) profileByID(id string) (*profile, error) {
	p := in.profiles[id]
	if p == nil {
		return nil, notFound("routing profile %q not found in instance %q", id, in.id)
	}
	return p, nil
}

// entryConfigs returns p's entries as configurations, in p's order.
func (p *profile) entryConfigs() []ProfileQueueConfig {
	out := make([]ProfileQueueConfig, len(p.entries))
	for i, e := range p.entries {
		out[i] = ProfileQueueConfig{QueueID: e.lane.q.id, Channel: contact.Channels[e.ch], Priority: e.prio,
			DelaySeconds: int(e.delay / time.Second)}
	}
	return out
}

// AssociateProfileQueues adds entries to a routing profile. A (queue, channel) the profile
// already has is an error (UpdateProfileQueues changes it); a channel the profile had no
// concurrency for gets 1. Errors: *ResourceNotFoundException for an unknown profile or
// queue; *InvalidParameterException naming the bad entry; *LimitExceededException past
// MaxProfileQueues. A failed call changes nothing. The cost is O(e log e) for the profile's
// e entries, plus, for each delay new to its queue and channel, O(n log n) for the n
// contacts waiting there (each that has waited that long enters a new heap; the others get
// a timer), plus the routing of what became eligible, O(a log a) to order the profile's a
// agents and each one's choices as EndContact's.
func (in *Instance) AssociateProfileQueues(profileID string, entries []ProfileQueueConfig) error {
	return in.changeProfile(profileID, func(p *profile, now time.Time) error {
		cfgs := append(p.entryConfigs(), entries...)
		if err := in.checkEntries(cfgs, len(p.entries)); err != nil {
			return err
		}
		if len(cfgs) > MaxProfileQueues {
			return &LimitExceededException{Message: fmt.Sprintf("routing profile %q would have %d queue entries; at most %d", p.id, len(cfgs), MaxProfileQueues)}
		}
		for _, e := range entries {
			if ch := e.Channel.Index(); p.conc[ch] == 0 {
				p.conc[ch] = 1
			}
		}
		in.setEntries(p, cfgs, now)
		return nil
	})
}

// checkEntries checks entries from index from on (those before are the profile's own), as
// a profile's configuration is checked.
func (in *Instance) checkEntries(cfgs []ProfileQueueConfig, from int) error {
	seen := make(map[ProfileQueueRef]bool, len(cfgs))
	for i, e := range cfgs {
		k := ProfileQueueRef{e.QueueID, e.Channel}
		if i >= from {
			f := fmt.Sprintf("QueueConfigs[%d]", i-from)
			if err := in.checkEntry(e, f); err != nil {
				return err
			}
			if seen[k] {
				return invalidParam("%s: queue %q with channel %s is already in the routing profile", f, e.QueueID, e.Channel)
			}
		}
		seen[k] = true
	}
	return nil
}

// checkEntry checks one entry, named f in errors.
func (in *Instance) checkEntry(e ProfileQueueConfig, f string) error {
	switch {
	case in.queues[e.QueueID] == nil:
		return notFound("%s.QueueReference.QueueId: queue %q not found in instance %q", f, e.QueueID, in.id)
	case !e.Channel.Valid():
		return invalidParam("%s.QueueReference.Channel: %q is not VOICE, CHAT, TASK or EMAIL", f, e.Channel)
	case e.Priority < MinProfilePriority || e.Priority > MaxProfilePriority:
		return invalidParam("%s.Priority: %d is out of range %d..%d", f, e.Priority, MinProfilePriority, MaxProfilePriority)
	case e.DelaySeconds < 0 || time.Duration(e.DelaySeconds)*time.Second > MaxProfileDelay:
		return invalidParam("%s.Delay: %d is out of range 0..%d", f, e.DelaySeconds, int(MaxProfileDelay/time.Second))
	}
	return nil
}

// DisassociateProfileQueues removes entries from a routing profile. Contacts in progress
// stay with their agents; contacts waiting stay in their queues. Errors:
// *ResourceNotFoundException for an unknown profile; *InvalidParameterException for an
// entry the profile does not have (naming it). A failed call changes nothing. The cost is
// O(e log e + l) for e entries and l references of the lanes touched.
func (in *Instance) DisassociateProfileQueues(profileID string, refs []ProfileQueueRef) error {
	return in.changeProfile(profileID, func(p *profile, now time.Time) error {
		cfgs := p.entryConfigs()
		drop := make(map[ProfileQueueRef]bool, len(refs))
		for i, r := range refs {
			if !slices.ContainsFunc(cfgs, func(c ProfileQueueConfig) bool { return c.QueueID == r.QueueID && c.Channel == r.Channel }) {
				return invalidParam("QueueReferences[%d]: queue %q with channel %q is not in routing profile %q", i, r.QueueID, r.Channel, p.id)
			}
			drop[r] = true
		}
		cfgs = slices.DeleteFunc(cfgs, func(c ProfileQueueConfig) bool { return drop[ProfileQueueRef{c.QueueID, c.Channel}] })
		in.setEntries(p, cfgs, now)
		return nil
	})
}

// UpdateProfileQueues changes the priority and delay of entries a routing profile has.
// Errors: *ResourceNotFoundException for an unknown profile; *InvalidParameterException for
// an entry the profile does not have, or a bad priority or delay, naming it. A failed call
// changes nothing. The cost is that of AssociateProfileQueues.
func (in *Instance) UpdateProfileQueues(profileID string, entries []ProfileQueueConfig) error {
	return in.changeProfile(profileID, func(p *profile, now time.Time) error {
		cfgs := p.entryConfigs()
		next := slices.Clone(cfgs)
		for i, e := range entries {
			j := slices.IndexFunc(cfgs, func(c ProfileQueueConfig) bool { return c.QueueID == e.QueueID && c.Channel == e.Channel })
			if j < 0 {
				return invalidParam("QueueConfigs[%d]: queue %q with channel %q is not in routing profile %q; associate it first", i, e.QueueID, e.Channel, p.id)
			}
			if err := in.checkEntry(e, fmt.Sprintf("QueueConfigs[%d]", i)); err != nil {
				return err
			}
			next[j] = e
		}
		in.setEntries(p, next, now)
		return nil
	})
}

// UpdateProfileConcurrency sets, for each channel in conc, how many contacts of it an agent
// of the profile takes at once (VOICE 1, others 1..MaxConcurrency); other channels keep
// theirs. anyChannel, when not nil, replaces the channels whose contacts let their agent be
// offered other channels (ROUTE_ANY_CHANNEL). An agent holding more contacts of a channel
// than its new limit keeps them and takes no more of it until below. Errors:
// *ResourceNotFoundException; *InvalidParameterException naming the channel. A failed call
// changes nothing. The cost is O(a log a) for the profile's a agents, plus their choices.
func (in *Instance) UpdateProfileConcurrency(profileID string, conc map[contact.Channel]int, anyChannel []contact.Channel) error {
	return in.changeProfile(profileID, func(p *profile, now time.Time) error {
		for i, ch := range anyChannel {
			if !ch.Valid() {
				return invalidParam("MediaConcurrencies: cross-channel channel [%d] %q is not VOICE, CHAT, TASK or EMAIL", i, ch)
			}
		}
		for ch, n := range conc {
			switch {
			case !ch.Valid():
				return invalidParam("MediaConcurrencies: channel %q is not VOICE, CHAT, TASK or EMAIL", ch)
			case ch == contact.Voice && n != 1:
				return invalidParam("MediaConcurrencies[VOICE].Concurrency: %d; VOICE concurrency must be 1", n)
			case n < 1 || n > MaxConcurrency:
				return invalidParam("MediaConcurrencies[%s].Concurrency: %d is out of range 1..%d", ch, n, MaxConcurrency)
			}
		}
		for _, a := range p.agents {
			for ch := range p.ready {
				p.ready[ch].remove(a)
			}
		}
		for ch, n := range conc {
			p.conc[ch.Index()] = n
		}
		if anyChannel != nil {
			p.anyCh = 0
			for _, ch := range anyChannel {
				p.anyCh |= 1 << ch.Index()
			}
			p.cross = p.anyCh == 1<<len(contact.Channels)-1
		}
		for _, a := range p.agents {
			a.noteOver()
		}
		in.offerProfile(p, now)
		return nil
	})
}

// noteOver records the slots a holds past its profile's concurrency, which it keeps.
func (a *agent) noteOver() {
	for ch, n := range a.used {
		if n > a.p.conc[ch] {
			a.over[ch] = max(a.over[ch], uint8(n))
		}
	}
}

// UpdateProfileAvailabilityTimer sets what a profile's idle order counts from: TimerLastActivity
// (the agent's last contact or change to available) or TimerLastInbound (its last contact
// only; an agent that has handled none counts from its creation, the instance's start for
// configured agents). Errors: *ResourceNotFoundException; *InvalidParameterException for
// another timer. The cost is O(a log a) for the profile's a agents.
func (in *Instance) UpdateProfileAvailabilityTimer(profileID, timer string) error {
	return in.changeProfile(profileID, func(p *profile, now time.Time) error {
		if timer != TimerLastActivity && timer != TimerLastInbound {
			return invalidParam("AgentAvailabilityTimer %q is not %s or %s", timer, TimerLastActivity, TimerLastInbound)
		}
		p.inbound = timer == TimerLastInbound
		for _, a := range p.agents {
			a.lastFreed = a.idleKey()
		}
		in.offerProfile(p, now)
		return nil
	})
}

// idleKey is the idle-order key a's profile's availability timer asks for.
func (a *agent) idleKey() int64 {
	if a.p.inbound {
		return a.lastIn
	}
	return a.lastAct
}

// DescribeRoutingProfile returns a routing profile. Error: *ResourceNotFoundException. The
// cost is O(e) for e entries.
func (in *Instance) DescribeRoutingProfile(profileID string) (ProfileInfo, error) {
	in.lock()
	defer in.mu.Unlock()
	p, err := in.profileByID(profileID)
	if err != nil {
		return ProfileInfo{}, err
	}
	return p.info(), nil
}

func (p *profile) info() ProfileInfo {
	info := ProfileInfo{ID: p.id, Name: p.name, Description: p.desc, DefaultOutboundQueueID: p.outbound,
		AgentAvailabilityTimer: TimerLastActivity, Concurrency: map[contact.Channel]int{},
		Queues: p.entryConfigs(), Agents: len(p.agents), QueueNames: map[string]string{}}
	for _, e := range p.entries {
		info.QueueNames[e.lane.q.id] = e.lane.q.name
	}
	if p.inbound {
		info.AgentAvailabilityTimer = TimerLastInbound
	}
	for ch, n := range p.conc {
		if n > 0 {
			info.Concurrency[contact.Channels[ch]] = n
		}
		if p.anyCh&(1<<ch) != 0 {
			info.RouteAnyChannel = append(info.RouteAnyChannel, contact.Channels[ch])
		}
	}
	return info
}

// RoutingProfiles returns every routing profile, in configuration then creation order.
// The cost is O(total entries).
func (in *Instance) RoutingProfiles() []ProfileInfo {
	in.lock()
	defer in.mu.Unlock()
	out := make([]ProfileInfo, len(in.porder))
	for i, p := range in.porder {
		out[i] = p.info()
	}
	return out
}

// changeProfile runs change on routing profile profileID under the instance's lock, with
// the time of the call. Errors: *ResourceNotFoundException for an unknown profile, and
// change's. The cost is change's.
func (in *Instance) changeProfile(profileID string, change func(p *profile, now time.Time) error) error {
	now := in.lock()
	defer in.mu.Unlock()
	p, err := in.profileByID(profileID)
	if err != nil {
		return err
	}
	return change(p, now)
}
