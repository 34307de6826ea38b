package routing

import (
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
)

// Advance fires every timer due at the clock's current time (profile delays expiring,
// after-contact work ending) and routes what became routable. Every other method does this
// first; a driver calls Advance on its own when the time from NextWake arrives. The cost is
// O(k log n) for k due timers (a step expiry moves its contact between queues, O(1)
// amortized and O(log n) worst case each, and costs O(log s) in the timer heap for s step
// shapes), plus the routing they allow (see the package doc's Cost).
func (in *Instance) Advance() {
	in.lock()
	in.mu.Unlock()
}

// NextWake returns the earliest time at which a timer of the instance is due, and false when
// none is pending. The simulator schedules an Advance then; the emulator arms a timer.
// The cost is O(1) amortised.
func (in *Instance) NextWake() (time.Time, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for len(in.wakes) > 0 && in.stale(&in.wakes[0]) {
		in.popWake()
	}
	if len(in.wakes) == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, in.wakes[0].at), true
}

func (in *Instance) advance(now time.Time) {
	ns := now.UnixNano()
	for len(in.wakes) > 0 && in.wakes[0].at <= ns {
		in.fireInstant(in.wakes[0].at, now)
	}
}

// fireInstant fires every timer due at the instant at, in two steps, so that what several
// timers of one instant make routable is matched as a whole: first every contact whose delay
// expired enters its tier and every slot whose after-contact work ended is freed; then, in
// timer creation order, each newly eligible contact is offered to the agent idle longest, who
// takes its best contact (which may be another of the instant's); last, each freed agent, now
// at the back of the idle order, takes its best of what is left.
func (in *Instance) fireInstant(at int64, now time.Time) {
	batch := in.batch[:0]
	for len(in.wakes) > 0 && in.wakes[0].at == at {
		w := in.popWake()
		if in.stale(&w) {
			continue
		}
		switch {
		case w.ag != nil:
			in.endACW(w.ag, w, now)
		case w.tier != nil:
			in.expire(w)
		default:
			in.expireStep(w)
		}
		batch = append(batch, w)
	}
	for i := range batch {
		w := &batch[i]
		switch {
		case w.ag != nil:
		case w.tier != nil:
			if !in.stale(w) {
				in.offerContact(w.r, w.tier.delay, now)
			}
		case w.r.seq == w.cseq && w.r.state == Waiting:
			// A step expired: the contact is offered at the delays it has reached.
			in.offerContact(w.r, w.r.reached(), now)
		}
	}
	for i := range batch {
		if w := &batch[i]; w.ag != nil {
			in.offerAgent(w.ag, now)
		}
	}
	clear(batch)
	in.batch = batch[:0]
}

// stale reports whether a delay wake refers to a contact no longer waiting, or a step wake to
// a step no longer active (the contact's criteria were replaced).
func (in *Instance) stale(w *wake) bool {
	if w.ag != nil {
		return false
	}
	r := w.r
	if r.seq != w.cseq || r.state != Waiting {
		return true
	}
	return w.tier == nil && w.seq != r.stepWk
}

// expire moves a contact whose real wait reached a tier's delay into the tier. Delays expire
// in ascending order, so the tiers a contact is in are always the first ones of its lane.
func (in *Instance) expire(w wake) {
	r := w.r
	if r.lane.tiers[len(r.tiers)] != w.tier {
		panic(fmt.Sprintf("routing: internal error: contact %q enters tier %v out of order", r.c.ID, w.tier.delay))
	}
	h, err := r.pushIn(len(r.tiers))
	if err != nil {
		panic(fmt.Sprintf("routing: internal error: tier push: %v", err))
	}
	r.tiers = append(r.tiers, h)
}

func (in *Instance) endACW(a *agent, w wake, now time.Time) {
	ch := w.ch
	in.track(a, w.at)
	a.used[ch]--
	a.busy--
	a.acw--
	a.freed(w.at)
	in.refresh(a)
	in.emit(Event{Kind: AfterContactWorkEnded, Time: now, ContactID: w.id, AgentID: a.id,
		Channel: contact.Channels[ch]})
}
