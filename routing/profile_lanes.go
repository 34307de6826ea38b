package routing

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// How a routing profile's entries change: the lanes' references, the queues' profile lists,
// the delay tiers (inserted into a lane and its groups, never removed) and the routing that
// follows.

// setEntries makes cfgs (checked) p's entries, ordered by priority then by their order in
// cfgs, and keeps the lanes' references, the queues' profile lists and the delay tiers in
// step; then p's agents take what became eligible.
func (in *Instance) setEntries(p *profile, cfgs []ProfileQueueConfig, now time.Time) {
	touched := map[*lane]bool{}
	for _, e := range p.entries {
		l := e.lane
		l.refs = slices.DeleteFunc(l.refs, func(r laneRef) bool { return r.p == p })
		l.q.profiles = slices.DeleteFunc(l.q.profiles, func(x *profile) bool { return x == p })
		touched[l] = true
	}
	p.entries = p.entries[:0]
	for _, c := range cfgs {
		qs := in.queues[c.QueueID]
		l := qs.lanes[c.Channel.Index()]
		d := time.Duration(c.DelaySeconds) * time.Second
		src := l.all
		if d > 0 {
			src = in.tierAt(l, d, now).eligible
		}
		p.entries = append(p.entries, profEntry{lane: l, ch: int32(l.ch), prio: c.Priority, delay: d, src: src, ti: -1})
		l.refs = append(l.refs, laneRef{p: p, delay: d})
		if !slices.Contains(qs.profiles, p) {
			qs.profiles = append(qs.profiles, p)
		}
		touched[l] = true
	}
	slices.SortStableFunc(p.entries, func(a, b profEntry) int { return cmp.Compare(a.prio, b.prio) })
	for l := range touched {
		l.fixTierIndexes()
	}
	in.offerProfile(p, now)
}

// fixTierIndexes sets the tier index of every profile entry on l.
func (l *lane) fixTierIndexes() {
	for _, ref := range l.refs {
		for i := range ref.p.entries {
			if e := &ref.p.entries[i]; e.lane == l && e.delay > 0 {
				e.ti = int32(slices.IndexFunc(l.tiers, func(t *tier) bool { return t.delay == e.delay }))
			}
		}
	}
}

// tierAt returns l's tier for delay d > 0. A new tier is inserted in delay order, in the
// lane and in each of its groups (whose queues of longer delays move up one index, see
// grpQueue.retag): the waiting contacts whose real wait reached d enter it now; the others
// get a timer for it. Tiers are never removed (a lane keeps one per
// distinct delay ever used on it, at most MaxProfileDelay in seconds). O(n log n) for n
// contacts waiting in the lane when the tier is new, O(log t) otherwise.
func (in *Instance) tierAt(l *lane, d time.Duration, now time.Time) *tier {
	i, found := slices.BinarySearchFunc(l.tiers, d, func(t *tier, d time.Duration) int { return cmp.Compare(t.delay, d) })
	if found {
		return l.tiers[i]
	}
	t := &tier{lane: l, delay: d, eligible: queue.NewHeap()}
	l.tiers = slices.Insert(l.tiers, i, t)
	for _, g := range l.glist {
		for j := len(g.tiers) - 1; j >= i; j-- {
			g.tiers[j].retag(j + 1)
		}
		q := new(grpQueue)
		q.init(i)
		g.tiers = slices.Insert(g.tiers, i, q)
	}
	l.rebuildGheaps()
	var rs []*record
	collect := func(c *contact.Contact) bool { rs = append(rs, recordOf(c)); return true }
	l.all.Each(collect)
	for _, g := range l.glist {
		g.all.each(collect)
	}
	// Timers in arrival order, so that contacts reaching d at one instant are offered in it.
	slices.SortFunc(rs, func(x, y *record) int { return cmp.Compare(x.seq, y.seq) })
	for _, r := range rs {
		if r.c.QueueWait(now) < d {
			in.wakeSeq++
			in.wakes.push(wake{at: r.c.EnqueuedAt.Add(d).UnixNano(), seq: in.wakeSeq, tier: t, r: r, cseq: r.seq})
			continue
		}
		// Its wait reached every shorter delay too, whose timers lock fired: it is in the
		// first i tiers.
		h, err := r.pushIn(i)
		if err != nil {
			panic(fmt.Sprintf("routing: internal error: tier push: %v", err))
		}
		r.tiers = slices.Insert(r.tiers, i, h)
	}
	return t
}

// rebuildGheaps lays out l.gheaps again after l's tiers changed (see lane.gheaps).
func (l *lane) rebuildGheaps() {
	stride := 1 + len(l.tiers)
	n := 0
	for _, g := range l.glist {
		n = max(n, (g.x.id+1)*stride)
	}
	l.gheaps = make([]*grpQueue, n)
	for _, g := range l.glist {
		l.gheaps[g.x.id*stride] = &g.all
		copy(l.gheaps[g.x.id*stride+1:], g.tiers)
	}
}

// offerProfile lets p's available agents, idle longest first, take what they may.
// O(a log a) plus their choices.
func (in *Instance) offerProfile(p *profile, now time.Time) {
	as := slices.Clone(p.agents)
	slices.SortFunc(as, func(x, y *agent) int {
		if agentLess(x, y) {
			return -1
		}
		return 1
	})
	for _, a := range as {
		in.refresh(a)
	}
	for _, a := range as {
		in.offerAgent(a, now)
	}
}
