package routing

import (
	mbits "math/bits"
	"time"

	"github.com/routesim/routesim/queue"
)

// The routing decisions for contacts whose active step restricts them: an agent's choice
// among the heads of the groups of the exprs it matches, and a restricted contact's offer to
// the ready agents that match its step.

// pickGroups extends pickFor's choice best (nil for none) with the heads of the groups of the
// exprs agent a matches, over the entries of a's profile up to best's profile priority. It
// returns the entry and the heap (best's) or group queue holding the contact a takes next.
// Cost: O(entries · len(a.xs)).
func (in *Instance) pickGroups(a *agent, best *profEntry, bestPrio, bestKey int64) (*profEntry, *queue.Heap, *grpQueue) {
	var src *queue.Heap
	var gsrc *grpQueue
	bestEntryPrio := 0
	if best != nil {
		src, bestEntryPrio = best.src, best.prio
	}
	for i := range a.p.entries {
		e := &a.p.entries[i]
		if best != nil && e.prio > bestEntryPrio {
			break
		}
		if !a.canTake(int(e.ch)) {
			continue
		}
		// Each head costs a read of its queue's first line (peekKey). Two ways to read fewer
		// were measured on BenchmarkRouterCriteria (~90 heads per decision) and not kept:
		//  - the heads' keys in one flat array per lane, synced after every change to a
		//    group's heaps: 2.06 vs 2.10 us (p=0.60, n=15) and 1.93 vs 1.99 us (p=0.23, n=14);
		//  - a winner tree of the heads per (profile, expr), updated along one path when a
		//    head changes, so that an agent free on every channel read one root per expr:
		//    2.251 vs 2.254 us (p=0.51, n=12, with group queues, on a loaded machine): the
		//    updates (two full paths per routed contact, since the routed head and the
		//    expired one are both their trees' winners) cost what the reads saved;
		//  - the best head per (profile, expr) cached, marked stale by a write when a head of
		//    its lanes changed, rescanned by the next agent that needs it: 2.21 vs 2.62 us
		//    (p=0.22, n=10): the rescans, though fewer, read heads that fewer agents keep
		//    warm, and stall on each.
		heaps, stride, off := e.lane.gheaps, 1+len(e.lane.tiers), int(e.ti)+1
		for _, id := range a.xs {
			i := id*stride + off
			if i >= len(heaps) || heaps[i] == nil {
				continue
			}
			h := heaps[i]
			prio, key, ok := h.peekKey()
			if !ok {
				continue
			}
			if best == nil || e.prio < bestEntryPrio || prio < bestPrio ||
				prio == bestPrio && (key < bestKey || key == bestKey && h.topSeq < headOf(src, gsrc).seq) {
				best, src, gsrc, bestPrio, bestKey, bestEntryPrio = e, nil, h, prio, key, e.prio
			}
		}
	}
	return best, src, gsrc
}

// headOf returns the record at the head of heap h, or of group queue g when h is nil.
func headOf(h *queue.Heap, g *grpQueue) *record {
	if h == nil {
		return g.peek()
	}
	c, _ := h.Peek()
	return recordOf(c)
}

// offerRestricted is offerContact for a contact whose active step restricts who may take it:
// the agent idle longest among those ready for it that match the step. Cost per agent
// offered: O(s + a/64 + m) for s profiles serving the lane, a agents and m matching the
// step (see readyMatching).
func (in *Instance) offerRestricted(r *record, maxDelay time.Duration, now time.Time) {
	for r.state == Waiting && r.grp != nil {
		best := in.readyMatching(r.grp.x, r.lane, maxDelay)
		if best == nil {
			return
		}
		busy := best.busy
		in.offerAgent(best, now)
		if best.busy == busy {
			panic("routing: internal error: an agent ready for an eligible contact took nothing")
		}
	}
}

// readyMatching returns the agent idle longest among those matching x that are ready for
// lane l's channel in a profile serving l with a delay up to maxDelay, or nil. It walks the
// ready agents of those profiles when they are few (at most two per word of x's match set),
// else the agents both ready for the channel and matching x, from the intersection of the
// instance's ready set and x's match set. O(s + a/64 + m) for s profiles serving l, a agents,
// m of them ready and matching x.
func (in *Instance) readyMatching(x *expr, l *lane, maxDelay time.Duration) *agent {
	ch := l.ch
	in.markGen++
	ready := 0
	for _, ref := range l.refs {
		if ref.delay <= maxDelay {
			ref.p.mark = in.markGen
			ready += len(ref.p.ready[ch].a)
		}
	}
	var best *agent
	if ready <= 2*len(x.match) {
		for _, ref := range l.refs {
			if ref.delay > maxDelay {
				continue
			}
			for _, a := range ref.p.ready[ch].a {
				if x.matches(a) && (best == nil || agentLess(a, best)) {
					best = a
				}
			}
		}
		return best
	}
	rb := in.ready[ch]
	for w, bits := range x.match[:min(len(x.match), len(rb))] {
		bits &= rb[w]
		for bits != 0 {
			a := in.aorder[w<<6+mbits.TrailingZeros64(bits)]
			bits &= bits - 1
			if a.p.mark == in.markGen && (best == nil || agentLess(a, best)) {
				best = a
			}
		}
	}
	return best
}
