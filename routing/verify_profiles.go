package routing

import (
	"fmt"
	"slices"

	"github.com/routesim/routesim/contact"
)

// verifyProfiles checks the structure that runtime profile and agent changes maintain:
// each profile's entries in priority order, each entry reading its lane's heap for its delay
// (tier index included), each lane's references and each queue's profile list matching the
// entries, each lane's tiers in ascending distinct delays with one heap per tier in each
// group and gheaps laid out from them, each agent listed by exactly its profile, its
// idle-order key the one its profile's timer asks for, and the ready heaps holding only
// agents of their profile at the index they record. O(p·e + l·(t + g·t) + a).
func (in *Instance) verifyProfiles() error {
	listed := map[*agent]int{}
	for _, p := range in.porder {
		if in.profiles[p.id] != p {
			return fmt.Errorf("routing: verify: profile %q is not filed under its ID", p.id)
		}
		if err := p.verifyEntries(); err != nil {
			return err
		}
		for _, a := range p.agents {
			listed[a]++
			if a.p != p {
				return fmt.Errorf("routing: verify: profile %q lists agent %q of profile %q", p.id, a.id, a.p.id)
			}
		}
		for ch := range p.ready {
			for i, a := range p.ready[ch].a {
				if a.p != p || a.heapIdx[ch] != i {
					return fmt.Errorf("routing: verify: ready heap %s of profile %q holds agent %q (profile %q) at %d, index %d",
						ch2s(ch), p.id, a.id, a.p.id, i, a.heapIdx[ch])
				}
			}
		}
	}
	if len(in.porder) != len(in.profiles) {
		return fmt.Errorf("routing: verify: %d profiles in order, %d by ID", len(in.porder), len(in.profiles))
	}
	for _, a := range in.aorder {
		if listed[a] != 1 {
			return fmt.Errorf("routing: verify: agent %q listed %d times by profiles", a.id, listed[a])
		}
		if a.lastFreed != a.idleKey() {
			return fmt.Errorf("routing: verify: agent %q idle key %d; its profile's timer asks for %d", a.id, a.lastFreed, a.idleKey())
		}
	}
	for _, qs := range in.qorder {
		for _, l := range qs.lanes {
			if err := in.verifyLane(l); err != nil {
				return err
			}
		}
	}
	return nil
}

func ch2s(ch int) string { return string(contact.Channels[ch]) }

// verifyEntries checks a profile's entries against their lanes.
func (p *profile) verifyEntries() error {
	for i := range p.entries {
		e := &p.entries[i]
		switch {
		case i > 0 && p.entries[i-1].prio > e.prio:
			return fmt.Errorf("routing: verify: profile %q entries out of priority order at %d", p.id, i)
		case int(e.ch) != e.lane.ch:
			return fmt.Errorf("routing: verify: profile %q entry %d channel %d; lane %d", p.id, i, e.ch, e.lane.ch)
		case p.conc[e.ch] == 0:
			return fmt.Errorf("routing: verify: profile %q serves %s with concurrency 0", p.id, ch2s(int(e.ch)))
		case e.delay == 0 && (e.src != e.lane.all || e.ti != -1):
			return fmt.Errorf("routing: verify: profile %q entry %d of delay 0 does not read its lane", p.id, i)
		case e.delay > 0 && (e.ti < 0 || int(e.ti) >= len(e.lane.tiers) || e.lane.tiers[e.ti].delay != e.delay || e.src != e.lane.tiers[e.ti].eligible):
			return fmt.Errorf("routing: verify: profile %q entry %d of delay %v reads the wrong tier (%d)", p.id, i, e.delay, e.ti)
		case !slices.Contains(e.lane.refs, laneRef{p: p, delay: e.delay}):
			return fmt.Errorf("routing: verify: profile %q entry %d has no reference from its lane", p.id, i)
		case !slices.Contains(e.lane.q.profiles, p):
			return fmt.Errorf("routing: verify: queue %q does not list profile %q", e.lane.q.id, p.id)
		}
	}
	return nil
}

// verifyLane checks a lane's references, tiers and group heaps.
func (in *Instance) verifyLane(l *lane) error {
	for _, ref := range l.refs {
		n := 0
		for _, e := range ref.p.entries {
			if e.lane == l && e.delay == ref.delay {
				n++
			}
		}
		if n != 1 || in.profiles[ref.p.id] != ref.p {
			return fmt.Errorf("routing: verify: lane %s/%s refers to profile %q, which has %d entries for it", l.q.id, ch2s(l.ch), ref.p.id, n)
		}
	}
	for _, p := range l.q.profiles {
		if !slices.ContainsFunc(p.entries, func(e profEntry) bool { return e.lane.q == l.q }) {
			return fmt.Errorf("routing: verify: queue %q lists profile %q, which does not serve it", l.q.id, p.id)
		}
	}
	for i, t := range l.tiers {
		if t.lane != l || i > 0 && l.tiers[i-1].delay >= t.delay {
			return fmt.Errorf("routing: verify: lane %s/%s tier %d (%v) out of order or misfiled", l.q.id, ch2s(l.ch), i, t.delay)
		}
	}
	stride := 1 + len(l.tiers)
	for _, g := range l.glist {
		if len(g.tiers) != len(l.tiers) {
			return fmt.Errorf("routing: verify: lane %s/%s group has %d tiers; lane %d", l.q.id, ch2s(l.ch), len(g.tiers), len(l.tiers))
		}
		base := g.x.id * stride
		if base+stride > len(l.gheaps) || l.gheaps[base] != &g.all {
			return fmt.Errorf("routing: verify: lane %s/%s gheaps misses group %d", l.q.id, ch2s(l.ch), g.x.id)
		}
		for i, h := range g.tiers {
			if l.gheaps[base+1+i] != h || h.ti != i {
				return fmt.Errorf("routing: verify: lane %s/%s gheaps misplaces tier %d of group %d", l.q.id, ch2s(l.ch), i, g.x.id)
			}
		}
	}
	return nil
}
