package routing

import (
	"time"
	"unsafe"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/internal/prefetch"
	"github.com/routesim/routesim/queue"
)

// refresh puts a into, or takes it out of, its profile's ready heaps. O(log a) per channel.
func (in *Instance) refresh(a *agent) {
	for ch := range a.p.conc {
		if a.p.conc[ch] == 0 {
			continue
		}
		if a.canTake(ch) {
			a.p.ready[ch].set(a)
		} else {
			a.p.ready[ch].remove(a)
		}
	}
}

// offerContact offers a waiting contact, eligible for the profiles that serve its lane with a
// delay up to maxDelay, to the agent idle longest among those ready for it. That agent takes
// its own best contacts (offerAgent); since every earlier step left no ready agent with an
// eligible contact, that is this contact unless another became eligible at the same instant.
// It repeats until the contact is routed or no agent is ready for it. The delay is the
// timer's, not the real wait at the time of the call, so that a late Advance routes as if the
// timers had fired one instant at a time.
func (in *Instance) offerContact(r *record, maxDelay time.Duration, now time.Time) {
	if r.grp != nil {
		in.offerRestricted(r, maxDelay, now)
		return
	}
	ch := r.lane.ch
	for r.state == Waiting {
		var best *agent
		for _, ref := range r.lane.refs {
			if ref.delay > maxDelay {
				continue
			}
			if a := ref.p.ready[ch].peek(); a != nil && (best == nil || agentLess(a, best)) {
				best = a
			}
		}
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

// offerAgent lets an agent with free capacity take contacts until it is full or nothing it
// may take is waiting.
func (in *Instance) offerAgent(a *agent, now time.Time) {
	for a.state == AgentAvailable {
		e, src, g := in.pickFor(a)
		if e == nil {
			return
		}
		in.assign(e, src, g, a, now)
	}
}

// pickFor returns the entry, and the heap or group queue holding at its head the contact
// agent a takes next (the other is nil):
// among its profile's entries for channels it may take now, the lowest profile priority that
// has an eligible contact; within it, the best contact by (QueuePriority, routing age,
// arrival). The heaps are the entries' own (contacts without a restricting step) and, for
// each expression a matches that has been active (see activate), that expression's group in
// the entry's lane. It compares
// the heads of the heaps by the keys the heaps hold, and reads a contact only to break a tie.
// It returns nil when a may take nothing. Cost: O(entries · (1 + exprs a matches)).
func (in *Instance) pickFor(a *agent) (*profEntry, *queue.Heap, *grpQueue) {
	var best *profEntry
	var bestPrio, bestKey int64
	bestEntryPrio := 0
	for i := range a.p.entries {
		e := &a.p.entries[i]
		if best != nil && e.prio > bestEntryPrio {
			break
		}
		if !a.canTake(int(e.ch)) {
			continue
		}
		prio, key, ok := e.src.PeekKey()
		if !ok {
			continue
		}
		if best == nil || prio < bestPrio || prio == bestPrio && (key < bestKey || key == bestKey && firstArrived(e.src, best.src)) {
			best, bestPrio, bestKey, bestEntryPrio = e, prio, key, e.prio
		}
	}
	if len(a.xs) > 0 {
		return in.pickGroups(a, best, bestPrio, bestKey)
	}
	if best == nil {
		return nil, nil, nil
	}
	return best, best.src, nil
}

// firstArrived breaks a tie between the heads of two heaps with equal routing keys: the
// contact that arrived in the instance first goes first.
func firstArrived(x, y *queue.Heap) bool {
	cx, _ := x.Peek()
	cy, _ := y.Peek()
	return recordOf(cx).seq < recordOf(cy).seq
}

// recordOf returns the record holding c. Every contact in the instance's queues is the field c
// of a record, and c is record's first field, so the conversion is exact.
func recordOf(c *contact.Contact) *record {
	// The cast saves a lookup by ID on the routing path.
	return (*record)(unsafe.Pointer(c))
}

// recordOf's cast is exact only while record.c is a contact.Contact at offset 0 of record.
// These two declarations fail to build when either stops being true, whatever happens to the
// size or layout of record or contact.Contact: an array of Offsetof(c) elements is assignable
// to [0]struct{} only when the offset is 0, and &r.c is a *contact.Contact only when c has
// that type. They cost nothing at run time.
var _ [0]struct{} = [unsafe.Offsetof(record{}.c)]struct{}{}

func _() {
	var r record
	var _ *contact.Contact = &r.c
}

// assign routes the contact at the head of heap src, or of group queue g when src is nil, of
// entry e, to agent a. It pops the head, which needs only the heap, rather than removing the
// contact by the handles in its record.
func (in *Instance) assign(e *profEntry, src *queue.Heap, g *grpQueue, a *agent, now time.Time) {
	var r *record
	if g != nil {
		r = g.peek()
		prefetchRecord(r)
		g.pop(r)
	} else {
		c, _ := src.Peek()
		r = recordOf(c)
		// The record is a cache miss away: start it on its way before the pop, and do the
		// agent's bookkeeping before touching the record, so that the miss overlaps that work.
		prefetchRecord(r)
		src.Pop()
	}
	ch := int(e.ch)
	in.track(a, now.UnixNano())
	a.used[ch]++
	a.busy++
	a.contacts = append(a.contacts, r)
	in.refresh(a)
	in.unqueue(r, e.lane, src, g)
	r.state, r.agent, r.routedAt = WithAgent, a, now
	if in.hist != nil { // the estimator serves the emulator, which keeps a history
		e.lane.noteAnswer(now)
	}
	in.emitContact(ContactRouted, r, now)
	if r.hasCrit {
		// Its criteria stay for DescribeContact, but no longer hold their exprs.
		in.unref(r.cs.crit)
	}
}

// prefetchRecord starts loading the lines of r, which routing it reads and writes: a record
// is 256 bytes from the start of a line (see record.cs), four lines.
func prefetchRecord(r *record) {
	p := unsafe.Pointer(r)
	for off := uintptr(0); off < unsafe.Sizeof(*r); off += 64 {
		prefetch.Pointer(unsafe.Add(p, off))
	}
}

// unqueue takes a waiting contact out of the heaps of its lane l or of its group, all but
// popped or gp, the heap or group queue the caller has already popped it from (nil for
// none). It reads the record's tier handles only when l has tiers. The caller then releases
// the exprs of a contact's criteria (unref), since it waits no more.
func (in *Instance) unqueue(r *record, l *lane, popped *queue.Heap, gp *grpQueue) {
	if r.hasCrit {
		// Popped: routed, a join if the active step restricted the contact. Not popped: it
		// ends while waiting, and its steps stay as they were.
		r.joined = gp != nil
		in.leave(r, popped, gp)
		return
	}
	if l.all != popped {
		l.all.Remove(r.all)
	}
	if len(l.tiers) == 0 {
		return
	}
	for i, h := range r.tiers {
		if t := l.tiers[i].eligible; t != popped {
			t.Remove(h)
		}
	}
	r.tiers = r.tiers[:0]
}
