package routing_test

import (
	"cmp"
	"maps"
	"slices"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The reference router's runtime changes, from profile_admin.go's and agent_admin.go's
// docs: after a profile's entries, concurrency or timer change, its available agents, idle
// longest first (ordered before any of them takes), take what they may; a delay new to a
// (queue, channel) makes the contacts waiting there at least that long eligible at once and
// arms a timer, in arrival order, for the others; a moved agent keeps its contacts and takes
// by its new profile. An agent above a lowered limit keeps what it holds.

// profile returns the reference's configuration of profile id.
func (r *refRouter) profile(id string) *routing.ProfileConfig {
	for i := range r.cfg.RoutingProfiles {
		if r.cfg.RoutingProfiles[i].ID == id {
			return &r.cfg.RoutingProfiles[i]
		}
	}
	return nil
}

// setEntries replaces a profile's entries (already checked).
func (r *refRouter) setEntries(p *routing.ProfileConfig, es []routing.ProfileQueueConfig) {
	conc := maps.Clone(p.Concurrency)
	if conc == nil {
		conc = map[contact.Channel]int{}
	}
	for _, e := range append(slices.Clone(p.Queues), es...) { // a channel once served keeps its limit
		if _, ok := conc[e.Channel]; !ok {
			conc[e.Channel] = 1
		}
	}
	p.Concurrency = conc
	for _, e := range es {
		l, d := refLane{e.QueueID, e.Channel}, sec(e.DelaySeconds)
		if e.DelaySeconds == 0 || slices.Contains(r.ever[l], d) {
			continue
		}
		for _, id := range r.order {
			c := r.contacts[id]
			if c.state != routing.Waiting || c.queue != e.QueueID || c.ch != e.Channel {
				continue
			}
			if r.now-c.enq >= d {
				c.fired[d] = true
			} else {
				r.addTimer(refTimer{at: c.enq + d, contact: id, delay: d})
			}
		}
		r.ever[l] = append(r.ever[l], d)
		slices.Sort(r.ever[l])
	}
	p.Queues = slices.Clone(es)
	r.profileChanged(p)
}

// profileChanged lets the profile's agents, idle longest first, take what they may.
func (r *refRouter) profileChanged(p *routing.ProfileConfig) {
	var as []*refAgent
	for _, a := range r.agents {
		if a.prof == p {
			as = append(as, a)
		}
	}
	slices.SortFunc(as, func(x, y *refAgent) int {
		return cmp.Or(cmp.Compare(x.busy(), y.busy()), cmp.Compare(x.idle(), y.idle()), cmp.Compare(x.idx, y.idx))
	})
	for _, a := range as {
		r.takeAll(a)
	}
}

// noteOver records the slots an agent holds past its limit, which it keeps.
func (a *refAgent) noteOver() {
	for ch, n := range a.held {
		if n > a.limit(ch) {
			a.over[ch] = max(a.over[ch], n)
		}
	}
}

// move gives an agent another profile.
func (r *refRouter) move(a *refAgent, p *routing.ProfileConfig) {
	if a.prof == p {
		return
	}
	a.prof = p
	a.noteOver()
	r.takeAll(a)
}

// setTimer sets a profile's availability timer.
func (r *refRouter) setTimer(p *routing.ProfileConfig, timer string) {
	p.AgentAvailabilityTimer = timer
	r.profileChanged(p)
}

// setConcurrency sets a profile's chat limit and which channels route any channel.
func (r *refRouter) setConcurrency(p *routing.ProfileConfig, chats int, anyCh []contact.Channel) {
	conc := maps.Clone(p.Concurrency)
	if conc == nil {
		conc = map[contact.Channel]int{}
	}
	conc[contact.Chat] = chats
	p.Concurrency = conc
	p.RouteAnyChannel = slices.Clone(anyCh)
	p.CrossChannel = len(anyCh) == len(contact.Channels)
	for _, a := range r.agents {
		if a.prof == p {
			a.noteOver()
		}
	}
	r.profileChanged(p)
}

// createAgent adds an offline agent; with no contact handled yet, it counts as idle from now.
func (r *refRouter) createAgent(id string, p *routing.ProfileConfig) {
	r.agents = append(r.agents, &refAgent{id: id, idx: len(r.agents), prof: p, held: map[contact.Channel]int{},
		lastAct: r.now, lastIn: r.now, profs: map[[2]string]int{}, over: map[contact.Channel]int{}})
}
