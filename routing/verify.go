package routing

import (
	"fmt"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// Verify checks the instance's internal invariants and returns the first violation: every
// contact in exactly one place, queue and tier membership matching state and delay, each
// contact with criteria in the heaps of its active step's expression with a live timer for
// that step's expiry, each expression's cached match set and active count right and each
// agent's list of active expressions it matches exact, concurrency respected, ready heaps
// holding exactly the agents that can take a channel, and no ready agent with an eligible
// contact waiting; queues' status and limits and contacts' names and transfer links
// consistent (verifyAdmin). It is for tests; the cost is O(n + a·x) for x expressions.
func (in *Instance) Verify() error {
	now := in.lock()
	defer in.mu.Unlock()
	if err := in.verifyContacts(now); err != nil {
		return err
	}
	if err := in.verifyWakes(now); err != nil {
		return err
	}
	if err := in.verifyExprs(); err != nil {
		return err
	}
	if err := in.verifyAdmin(); err != nil {
		return err
	}
	if err := in.verifyProfiles(); err != nil {
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
		if w.ag != nil || w.tier == nil || in.stale(w) {
			continue
		}
		if _, dup := armed[key{w.r, w.tier}]; dup {
			return fmt.Errorf("routing: verify: contact %q has two timers for tier %v", w.r.c.ID, w.tier.delay)
		}
		armed[key{w.r, w.tier}] = w.at
	}
	steps, err := in.verifyStepTimers()
	if err != nil {
		return err
	}
	for r := range in.contacts.records() {
		if r.state != Waiting {
			continue
		}
		if at, ok := steps[r]; r.stepEnd() >= 0 && !ok {
			return fmt.Errorf("routing: verify: contact %q has no timer for its step %d, due at %v", r.c.ID, r.cs.step, time.Unix(0, r.stepEnd()))
		} else if ok && at != r.stepEnd() || !ok && r.hasCrit && r.stepWk != 0 {
			return fmt.Errorf("routing: verify: contact %q has a step timer at %v; want %v", r.c.ID, time.Unix(0, at), time.Unix(0, r.stepEnd()))
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
			if err := in.verifyStep(r); err != nil {
				return err
			}
			if !r.inQueue(-1) {
				return fmt.Errorf("routing: verify: waiting contact %q is not in its queue", id)
			}
			if len(r.tiers) > len(r.lane.tiers) {
				return fmt.Errorf("routing: verify: contact %q in %d tiers of a lane with %d", id, len(r.tiers), len(r.lane.tiers))
			}
			for i, t := range r.lane.tiers {
				entered := i < len(r.tiers)
				if entered {
					if !r.inQueue(i) {
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
			for _, g := range l.glist {
				if err := g.verify(); err != nil {
					return err
				}
				total += g.all.len()
				for _, t := range g.tiers {
					tiered += t.len()
				}
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
			if a.used[ch] > a.p.conc[ch] && a.used[ch] > int(a.over[ch]) {
				return fmt.Errorf("routing: verify: agent %q holds %d %s slots; concurrency %d", a.id, a.used[ch], contact.Channels[ch], a.p.conc[ch])
			}
		}
		if sum != a.busy || a.busy != len(a.contacts)+a.acw {
			return fmt.Errorf("routing: verify: agent %q busy %d, slots %d, contacts %d, acw %d", a.id, a.busy, sum, len(a.contacts), a.acw)
		}
		for ch := range a.p.conc {
			w := a.seq >> 6
			if inSet, inHeap := w < len(in.ready[ch]) && in.ready[ch][w]&(1<<(a.seq&63)) != 0, a.heapIdx[ch] >= 0; inSet != inHeap {
				return fmt.Errorf("routing: verify: agent %q in the %s ready set = %v but in heap = %v", a.id, contact.Channels[ch], inSet, inHeap)
			}
			if a.p.conc[ch] == 0 {
				continue
			}
			if inHeap := a.heapIdx[ch] >= 0; inHeap != a.canTake(ch) {
				return fmt.Errorf("routing: verify: agent %q ready for %s = %v but in heap = %v", a.id, contact.Channels[ch], a.canTake(ch), inHeap)
			}
		}
		if a.state == AgentAvailable && !pickNone(in.pickFor(a)) {
			return fmt.Errorf("routing: verify: agent %q can take a waiting contact but was not given it", a.id)
		}
	}
	return nil
}

func pickNone(e *profEntry, _ *queue.Heap, _ *grpQueue) bool { return e == nil }

// verifyStep checks a waiting contact's routing criteria: the active step not yet due to
// expire, the contact in the group of its active step's expression (in none once every step
// has expired or when it has none), and no agent that can take it matching that step idle.
func (in *Instance) verifyStep(r *record) error {
	id := r.c.ID
	if r.hasCrit && r.cs.crit == nil {
		return fmt.Errorf("routing: verify: contact %q has hasCrit set but no criteria", id)
	}
	if !r.hasCrit {
		if r.joined || r.grp != nil || r.cs != (critState{}) {
			return fmt.Errorf("routing: verify: contact %q without criteria has joined %v, group %v, criteria state %+v", id, r.joined, r.grp != nil, r.cs)
		}
		return nil
	}
	var want *group
	if int(r.cs.step) < len(r.cs.crit.steps) {
		x := r.cs.crit.steps[r.cs.step].x
		if x.id < len(r.lane.groups) {
			want = r.lane.groups[x.id]
		}
		if want == nil {
			return fmt.Errorf("routing: verify: contact %q: no group for its active step %d", id, r.cs.step)
		}
	}
	switch {
	case r.grp != want:
		return fmt.Errorf("routing: verify: contact %q waits in the wrong group for step %d", id, r.cs.step)
	case r.joined:
		return fmt.Errorf("routing: verify: waiting contact %q has joined", id)
	case r.cs.step > int32(len(r.cs.crit.steps)) || r.cs.step < 0:
		return fmt.Errorf("routing: verify: contact %q at step %d of %d", id, r.cs.step, len(r.cs.crit.steps))
	}
	return nil
}

// verifyExprs checks the interned expressions: each one's match set equal to its tree's
// verdict on every agent, its active count equal to the waiting contacts whose active step it
// is, and each agent's xs holding exactly the active exprs it matches.
func (in *Instance) verifyExprs() error {
	active := map[*expr]int{}
	refs := map[*expr]int{}
	for r := range in.contacts.records() {
		if r.state == Waiting && r.grp != nil {
			active[r.grp.x]++
		}
		if r.state == Waiting && r.hasCrit {
			for _, s := range r.cs.crit.steps {
				refs[s.x]++
				if s.x.freed || in.exprList[s.x.id] != s.x {
					return fmt.Errorf("routing: verify: contact %q waits with criteria naming freed expression %s", r.c.ID, s.x.n.key)
				}
			}
		}
	}
	live := 0
	for id, x := range in.exprList {
		if x == nil {
			if !slices.Contains(in.freeIDs, id) {
				return fmt.Errorf("routing: verify: expression id %d is neither used nor free", id)
			}
			continue
		}
		live++
		switch {
		case x.id != id || x.freed || in.exprs[x.n.key] != x:
			return fmt.Errorf("routing: verify: expression %s at id %d has id %d, freed %v, interned %v", x.n.key, id, x.id, x.freed, in.exprs[x.n.key] == x)
		case x.refs != x.pins+refs[x] || x.refs == 0:
			return fmt.Errorf("routing: verify: expression %s has %d refs; %d pins and %d steps of waiting contacts", x.n.key, x.refs, x.pins, refs[x])
		case x.active != active[x]:
			return fmt.Errorf("routing: verify: expression %s active for %d contacts; %d counted", x.n.key, x.active, active[x])
		case x.active > 0 && !x.listed:
			return fmt.Errorf("routing: verify: expression %s is active for %d contacts but not listed in the agents' xs", x.n.key, x.active)
		}
		for _, a := range in.aorder {
			if x.matches(a) != x.n.matches(a) {
				return fmt.Errorf("routing: verify: expression %s: cached match of agent %q is %v", x.n.key, a.id, x.matches(a))
			}
		}
	}
	if live != len(in.exprs) || live+len(in.freeIDs) != len(in.exprList) {
		return fmt.Errorf("routing: verify: %d live expressions, %d interned, %d free ids of %d", live, len(in.exprs), len(in.freeIDs), len(in.exprList))
	}
	for _, a := range in.aorder {
		n := 0
		for _, x := range in.exprList {
			if x != nil && x.listed && x.matches(a) {
				n++
				if !slices.Contains(a.xs, x.id) {
					return fmt.Errorf("routing: verify: agent %q matches listed expression %s but does not list it", a.id, x.n.key)
				}
			}
		}
		if n != len(a.xs) {
			return fmt.Errorf("routing: verify: agent %q lists %d expressions; it matches %d listed ones", a.id, len(a.xs), n)
		}
	}
	return nil
}

// verifyStepTimers checks the step queues (each sorted by (at, seq), its head in the wake
// heap when not empty, and only then) and returns the due time of the live step timer of
// each contact, from the queues and the heap, failing on two for one contact.
func (in *Instance) verifyStepTimers() (map[*record]int64, error) {
	steps := map[*record]int64{}
	add := func(w *wake) error {
		if in.stale(w) {
			return nil
		}
		if _, dup := steps[w.r]; dup {
			return fmt.Errorf("routing: verify: contact %q has two live step timers", w.r.c.ID)
		}
		steps[w.r] = w.at
		return nil
	}
	inHeap := map[int32]int{}
	for i := range in.wakes {
		w := &in.wakes[i]
		if w.ag != nil || w.tier != nil {
			continue
		}
		if w.ch > 0 {
			inHeap[w.ch]++
			if q := in.stepQueues[w.ch-1]; q.n == 0 || q.front().seq != w.seq {
				return nil, fmt.Errorf("routing: verify: step timer %d in the heap is not the head of its queue", w.seq)
			}
			continue
		}
		if err := add(w); err != nil {
			return nil, err
		}
	}
	for i, q := range in.stepQueues {
		if q.inHeap != (q.n > 0) || inHeap[int32(i+1)] != map[bool]int{true: 1}[q.n > 0] {
			return nil, fmt.Errorf("routing: verify: step queue %d holds %d timers, in the heap %v (%d times)", i, q.n, q.inHeap, inHeap[int32(i+1)])
		}
		for j := range q.n {
			w := &q.buf[(q.head+j)%len(q.buf)]
			if j > 0 {
				p := &q.buf[(q.head+j-1)%len(q.buf)]
				if p.at > w.at || p.at == w.at && p.seq > w.seq {
					return nil, fmt.Errorf("routing: verify: step queue %d out of order at %d", i, j)
				}
			}
			if err := add(w); err != nil {
				return nil, err
			}
		}
	}
	return steps, nil
}
