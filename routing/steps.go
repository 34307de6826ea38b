package routing

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// PreparedCriteria are routing criteria checked and compiled once for an instance, so that
// contacts started with them (ContactSpec.Criteria) pay neither again: what the simulator
// does for a class of contacts that all carry the same criteria. A PreparedCriteria is
// immutable and safe for concurrent use; it belongs to the instance that prepared it. The
// zero value is not usable.
type PreparedCriteria struct {
	in    *Instance
	input RoutingCriteriaInput // a deep copy, for DescribeContact
	steps []prepStep
	gen   uint64 // the instance's attrGen when checked
}

// prepStep is one compiled step: its interned expression, when it expires, counted from the
// criteria's activation (the sum of its duration and those before it), or -1 for never, and
// the step queue (1-based) of its shape for a step that expires.
type prepStep struct {
	x   *expr
	end int64
	// sq saves arming the step's timer a map lookup by shape, a hash of two int64 per
	// contact started with criteria and per step expiry.
	sq int32
}

// PrepareRoutingCriteria checks rc as ValidateRoutingCriteria does against the instance's
// attributes and agents, and compiles it. Error: *InvalidParameterException naming the
// field. The criteria's expressions stay interned for the instance's life (see the package
// doc's Cost). The cost is O(size of rc), plus O(a·s) for each expression of s conditions
// not in use, for a agents.
func (in *Instance) PrepareRoutingCriteria(rc *RoutingCriteriaInput) (*PreparedCriteria, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	p, err := in.prepare(rc)
	if err == nil {
		in.pin(p)
	}
	return p, err
}

func (in *Instance) prepare(rc *RoutingCriteriaInput) (*PreparedCriteria, error) {
	if err := ValidateRoutingCriteria(rc, catalog{in}); err != nil {
		return nil, err
	}
	return in.compile(rc)
}

// compile is prepare without the check against the instance, for criteria already checked.
func (in *Instance) compile(rc *RoutingCriteriaInput) (*PreparedCriteria, error) {
	p := &PreparedCriteria{in: in, gen: in.attrGen, steps: make([]prepStep, len(rc.Steps))}
	b, err := json.Marshal(rc)
	if err == nil {
		err = json.Unmarshal(b, &p.input)
	}
	if err != nil {
		return nil, &InternalServiceException{Message: fmt.Sprintf("routing: copying routing criteria: %v", err)}
	}
	var end int64
	for i := range rc.Steps {
		s := &rc.Steps[i]
		p.steps[i].x = in.intern(compileExpr(s.Expression))
		switch {
		case end < 0:
		case s.Expiry == nil || s.Expiry.DurationInSeconds == nil:
			end = -1
		default:
			end += int64(*s.Expiry.DurationInSeconds) * int64(time.Second)
		}
		p.steps[i].end = end
		if end >= 0 {
			var start int64
			if i > 0 {
				start = p.steps[i-1].end
			}
			p.steps[i].sq = in.stepQueueFor(start, end)
		}
	}
	return p, nil
}

// recheck makes sure prepared criteria still name attributes and values the instance has.
func (in *Instance) recheck(p *PreparedCriteria) error {
	if p.in != in {
		return invalidParam("routing criteria prepared for instance %q used in instance %q", p.in.id, in.id)
	}
	if p.gen == in.attrGen {
		return nil
	}
	return ValidateRoutingCriteria(&p.input, catalog{in})
}

// criteriaFor resolves a spec's criteria, nil for none.
func (in *Instance) criteriaFor(spec *ContactSpec) (*PreparedCriteria, error) {
	switch {
	case spec.RoutingCriteria != nil && spec.Criteria != nil:
		return nil, invalidParam("a contact spec may set RoutingCriteria or Criteria, not both")
	case spec.RoutingCriteria != nil:
		return in.prepare(spec.RoutingCriteria)
	case spec.Criteria != nil:
		return spec.Criteria, in.recheck(spec.Criteria)
	}
	return nil, nil
}

// stepEnd returns when r's active step expires, Unix ns, or -1 for never.
func (r *record) stepEnd() int64 {
	if !r.hasCrit || int(r.cs.step) >= len(r.cs.crit.steps) {
		return -1
	}
	if e := r.cs.crit.steps[r.cs.step].end; e >= 0 {
		return r.cs.critAt + e
	}
	return -1
}

// reached returns the largest profile delay r's real wait has reached (0 for none), as its
// tiers say.
func (r *record) reached() time.Duration {
	if len(r.tiers) == 0 {
		return 0
	}
	return r.lane.tiers[len(r.tiers)-1].delay
}

// group returns the lane's group for expr x, making it on first use.
func (l *lane) group(x *expr) *group {
	if x.id < len(l.groups) {
		if g := l.groups[x.id]; g != nil {
			return g
		}
	} else {
		l.groups = append(l.groups, make([]*group, x.id+1-len(l.groups))...)
	}
	g := &group{lane: l, x: x, tiers: make([]*grpQueue, len(l.tiers))}
	g.all.init(-1)
	for i := range g.tiers {
		g.tiers[i] = new(grpQueue)
		g.tiers[i].init(i)
	}
	l.groups[x.id] = g
	l.glist = append(l.glist, g)
	x.groups = append(x.groups, g)
	stride := 1 + len(l.tiers)
	if need := (x.id + 1) * stride; need > len(l.gheaps) {
		l.gheaps = append(l.gheaps, make([]*grpQueue, need-len(l.gheaps))...)
	}
	l.gheaps[x.id*stride] = &g.all
	copy(l.gheaps[x.id*stride+1:], g.tiers)
	return g
}

// gq returns r's group's queue i: its all for i < 0, else its tier i. r must be in a group.
func (r *record) gq(i int) *grpQueue {
	if i < 0 {
		return &r.grp.all
	}
	return r.grp.tiers[i]
}

// pushIn adds r to the queue i (all for i < 0, else tier i) of its active step: its group's
// while the step restricts it, else its lane's. It returns r's handle there.
func (r *record) pushIn(i int) (queue.Handle, error) {
	switch {
	case r.grp != nil:
		return r.gq(i).push(r)
	case i < 0:
		return r.lane.all.Push(&r.c)
	}
	return r.lane.tiers[i].eligible.Push(&r.c)
}

// fixIn restores r's place in queue i of its step after its routing fields changed.
func (r *record) fixIn(i int) {
	switch {
	case r.grp != nil:
		r.gq(i).fix(r)
	case i < 0:
		r.lane.all.Fix(r.all)
	default:
		r.lane.tiers[i].eligible.Fix(r.tiers[i])
	}
}

// inQueue reports whether r is in queue i of its step, as its handle says (for Verify).
func (r *record) inQueue(i int) bool {
	if r.grp != nil {
		return r.gq(i).has(r)
	}
	h, src := r.all, r.lane.all
	if i >= 0 {
		h, src = r.tiers[i], r.lane.tiers[i].eligible
	}
	c, ok := src.Contact(h)
	return ok && c == &r.c
}

// enter puts a waiting contact in the queues of its active step (its group, or its lane once
// every step has expired or when it has none), in all and in the first k tiers.
func (in *Instance) enter(r *record, k int) error {
	if r.hasCrit && int(r.cs.step) < len(r.cs.crit.steps) {
		x := r.cs.crit.steps[r.cs.step].x
		r.grp = r.lane.group(x)
		in.activate(x)
	}
	h, err := r.pushIn(-1)
	if err != nil {
		in.leaveGroup(r)
		return err
	}
	r.all = h
	for i := range k {
		h, err := r.pushIn(i)
		if err != nil {
			panic(fmt.Sprintf("routing: internal error: tier push: %v", err))
		}
		r.tiers = append(r.tiers, h)
	}
	return nil
}

// leave takes a waiting contact out of every queue it is in but the one it was popped from
// (ph among its lane's heaps, or gp among its group's queues; nil for none), and returns how
// many tiers it had entered.
func (in *Instance) leave(r *record, ph *queue.Heap, gp *grpQueue) int {
	k := len(r.tiers)
	if g := r.grp; g != nil {
		if &g.all != gp {
			g.all.remove(r)
		}
		for i := range r.tiers {
			if t := g.tiers[i]; t != gp {
				t.remove(r)
			}
		}
		r.runs = 0 // out of every run, gp's too (pop leaves its bit)
	} else {
		if r.lane.all != ph {
			r.lane.all.Remove(r.all)
		}
		for i, h := range r.tiers {
			if t := r.lane.tiers[i].eligible; t != ph {
				t.Remove(h)
			}
		}
	}
	r.tiers = r.tiers[:0]
	in.leaveGroup(r)
	return k
}

func (in *Instance) leaveGroup(r *record) {
	if r.grp != nil {
		in.deactivate(r.grp.x)
		r.grp = nil
	}
}

// skipSteps passes over the steps of r that have expired by at (those of duration 0 at
// activation), then arms the timer of the step left active, if it expires.
func (in *Instance) skipSteps(r *record, at int64) {
	for e := r.stepEnd(); e >= 0 && e <= at; e = r.stepEnd() {
		r.cs.step++
	}
	r.stepWk = 0
	if e := r.stepEnd(); e >= 0 {
		in.wakeSeq++
		r.stepWk = in.wakeSeq
		in.armStep(wake{at: e, seq: in.wakeSeq, r: r, cseq: r.seq, step: r.cs.step}, r.cs.crit.steps[r.cs.step].sq)
	}
}

// expireStep makes the next step of w's contact active (or none, once all have expired)
// and moves the contact to the heaps of that step.
func (in *Instance) expireStep(w wake) {
	r := w.r
	k := in.leave(r, nil, nil)
	r.cs.step++
	in.skipSteps(r, w.at)
	if err := in.enter(r, k); err != nil {
		panic(fmt.Sprintf("routing: internal error: re-entering a contact: %v", err))
	}
}

// setCriteria gives a contact criteria p, step 1 active at now (passing over steps of
// duration 0), and arms the active step's timer. The caller takes the contact out of its
// heaps before and puts it in those of its new step after (enter).
func (in *Instance) setCriteria(r *record, p *PreparedCriteria, now time.Time) {
	in.ref(p) // before the old criteria's release, which could free an expr the two share
	if r.hasCrit {
		in.unref(r.cs.crit)
	}
	r.cs.crit, r.hasCrit, r.cs.step, r.joined, r.cs.critAt = p, true, 0, false, now.UnixNano()
	r.cs.critN++
	in.skipSteps(r, r.cs.critAt)
}

// UpdateRoutingCriteria replaces a waiting contact's routing criteria with rc, step 1 active
// from now, and, when u sets something, applies u too, both or neither. The contact goes to
// an agent at once if one that serves its queue and matches the active step is free.
// Errors: *ResourceNotFoundException, *ResourceConflictException (not waiting),
// *InvalidParameterException naming the bad field. A failed call changes nothing. The cost
// is O(size of rc + log n) per heap holding the contact, plus O(a·s) for each expression of
// s conditions not in use, plus O(p + a/64 + m) to find the agent for the contact (p
// profiles serving its queue, a agents, m matching the active step) and an agent's choice,
// plus O(g·(t+G)) for each expression of the replaced criteria left unused (see the package
// doc's Cost).
func (in *Instance) UpdateRoutingCriteria(id contact.ID, rc *RoutingCriteriaInput, u contact.RoutingUpdate) error {
	now := in.lock()
	defer in.mu.Unlock()
	r, err := in.waiting(id)
	if err != nil {
		return err
	}
	p, err := in.prepare(rc)
	if err != nil {
		return err
	}
	c := r.c
	if u.Priority != nil || u.AgeAdjustment != nil {
		if err := c.Apply(u); err != nil {
			in.sweep(p)
			return &InvalidParameterException{Message: err.Error()}
		}
	}
	k := in.leave(r, nil, nil)
	r.c.Priority, r.c.AgeAdjustment = c.Priority, c.AgeAdjustment
	in.setCriteria(r, p, now)
	if err := in.enter(r, k); err != nil {
		panic(fmt.Sprintf("routing: internal error: re-entering a contact: %v", err))
	}
	in.emitContact(ContactUpdated, r, now)
	in.offerContact(r, r.reached(), now)
	return nil
}

// ValidateRoutingCriteria checks rc against the instance's predefined attributes and agents,
// as UpdateRoutingCriteria and StartContact do; see the package function of that name.
func (in *Instance) ValidateRoutingCriteria(rc *RoutingCriteriaInput) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	return ValidateRoutingCriteria(rc, catalog{in})
}

// describeCriteria reports r's criteria as DescribeContact does.
func (r *record) describeCriteria() *RoutingCriteria {
	if !r.hasCrit {
		return nil
	}
	p := r.cs.crit
	at := time.Unix(0, r.cs.critAt).UTC()
	idx := r.cs.critN - 1
	out := &RoutingCriteria{ActivationTimestamp: &at, Index: &idx, Steps: make([]Step, len(p.steps))}
	for i := range p.steps {
		in := &p.input.Steps[i]
		s := &out.Steps[i]
		s.Expression = in.Expression
		switch {
		case i < int(r.cs.step):
			s.Status = StepExpired
		case i > int(r.cs.step):
			s.Status = StepInactive
		case r.joined:
			s.Status = StepJoined
		default:
			s.Status = StepActive
		}
		if in.Expiry != nil && in.Expiry.DurationInSeconds != nil {
			s.Expiry = &Expiry{DurationInSeconds: in.Expiry.DurationInSeconds}
			if i <= int(r.cs.step) {
				t := time.Unix(0, r.cs.critAt+p.steps[i].end).UTC()
				s.Expiry.ExpiryTimestamp = &t
			}
		}
	}
	return out
}
