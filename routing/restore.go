package routing

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/routesim/routesim/contact"
)

// ErrInvalidSnapshot is wrapped by every error of Instance.Restore; match it with errors.Is,
// or use errors.As with *SnapshotError to read the field.
var ErrInvalidSnapshot = errors.New("routing: invalid snapshot")

// SnapshotError names the field of an InstanceState that is wrong, as a path such as
// "contacts[3].queueId", and why.
type SnapshotError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *SnapshotError) Error() string {
	return fmt.Sprintf("routing: invalid snapshot: %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidSnapshot.
func (e *SnapshotError) Is(target error) bool { return target == ErrInvalidSnapshot }

func snapErr(field, format string, args ...any) error {
	return &SnapshotError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Restore installs st, taken by Snapshot, into the instance, which must be fresh: built by
// NewInstance from the configuration taken with st, with no contact started and no agent
// changed since. The instance then routes exactly as the one st was taken from. The
// instance's clock is not read or moved. Errors: a *SnapshotError (wrapping
// ErrInvalidSnapshot) naming the first inconsistent field; the instance's contacts, agents and
// timers are then unchanged. The cost is O(n log n) for n contacts.
func (in *Instance) Restore(st InstanceState) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.arrSeq != 0 || in.contacts.live != 0 || in.wakeSeq != 0 {
		return snapErr("instance", "instance %q is not fresh: restore into one just built", in.id)
	}
	tp, err := in.checkLanes(&st)
	if err != nil {
		return err
	}
	rs, err := in.checkContacts(&st, tp)
	if err != nil {
		in.sweepUnused() // checkContacts interns the criteria's exprs
		return err
	}
	if err := in.checkAgents(&st, rs); err != nil {
		in.sweepUnused()
		return err
	}
	if err := in.checkTimers(&st, rs, tp); err != nil {
		in.sweepUnused()
		return err
	}
	if err := in.checkRuntime(&st, rs); err != nil {
		in.sweepUnused()
		return err
	}
	in.installTiers(tp, st.Time)
	in.install(&st, rs)
	in.installRuntime(&st, rs)
	return nil
}

// restored is a contact of the snapshot, checked, and its record, not yet filed.
type restored struct {
	snap *ContactSnapshot
	r    *record
}

func parseContactState(s string) (ContactState, bool) {
	for _, st := range []ContactState{Waiting, WithAgent, Ended} {
		if st.String() == s {
			return st, true
		}
	}
	return 0, false
}

func parseEndReason(s string) (EndReason, bool) {
	for _, r := range []EndReason{Completed, Abandoned, Stopped, Removed, Transferred} {
		if r.String() == s {
			return r, true
		}
	}
	return NotEnded, s == ""
}

func parseAgentState(s string) (AgentState, bool) {
	switch s {
	case "AVAILABLE":
		return AgentAvailable, true
	case "OFFLINE":
		return AgentOffline, true
	case "CUSTOM":
		return AgentCustom, true
	}
	return 0, false
}

// checkContacts checks every contact and builds its record.
func (in *Instance) checkContacts(st *InstanceState, tp tierPlan) (map[contact.ID]*restored, error) {
	rs := make(map[contact.ID]*restored, len(st.Contacts))
	seqs := make(map[uint64]bool, len(st.Contacts))
	for i := range st.Contacts {
		c := &st.Contacts[i]
		f := fmt.Sprintf("contacts[%d]", i)
		r, err := in.checkContact(c, f, st.ArrivalSeq, len(tp.delays(in.laneOf(c))))
		if err != nil {
			return nil, err
		}
		if rs[c.ID] != nil {
			return nil, snapErr(f+".id", "contact %q appears twice", c.ID)
		}
		if seqs[c.Seq] {
			return nil, snapErr(f+".seq", "arrival sequence %d appears twice", c.Seq)
		}
		rs[c.ID], seqs[c.Seq] = &restored{snap: c, r: r}, true
	}
	for i, id := range st.Ended {
		if x := rs[id]; x == nil || x.r.state != Ended {
			return nil, snapErr(fmt.Sprintf("ended[%d]", i), "%q is not an ended contact of the snapshot", id)
		}
	}
	if in.retain < 0 && len(st.Ended) > 0 || len(st.Ended) > max(in.retain, 0) ||
		st.EndedOldest < 0 || st.EndedOldest > 0 && st.EndedOldest >= len(st.Ended) {
		return nil, snapErr("ended", "%d retained contacts from %d do not fit retainEnded %d", len(st.Ended), st.EndedOldest, in.retain)
	}
	return rs, nil
}

// laneOf returns the lane of a contact of the snapshot, nil for an unknown queue or channel.
func (in *Instance) laneOf(c *ContactSnapshot) *lane {
	if qs := in.queues[c.QueueID]; qs != nil && c.Channel.Valid() {
		return qs.lanes[c.Channel.Index()]
	}
	return nil
}

func (in *Instance) checkContact(c *ContactSnapshot, f string, lastSeq uint64, tiers int) (*record, error) {
	qs, ok := in.queues[c.QueueID]
	switch {
	case c.ID == "":
		return nil, snapErr(f+".id", "must not be empty")
	case !ok:
		return nil, snapErr(f+".queueId", "unknown queue %q", c.QueueID)
	case !c.Channel.Valid():
		return nil, snapErr(f+".channel", "%q is not VOICE, CHAT, TASK or EMAIL", c.Channel)
	case c.Seq == 0 || c.Seq > lastSeq:
		return nil, snapErr(f+".seq", "%d is out of range 1..arrivalSeq %d", c.Seq, lastSeq)
	}
	state, ok := parseContactState(c.State)
	if !ok {
		return nil, snapErr(f+".state", "%q is not WAITING, WITH_AGENT or ENDED", c.State)
	}
	reason, ok := parseEndReason(c.Reason)
	if !ok || (state == Ended) != (reason != NotEnded) {
		return nil, snapErr(f+".reason", "%q does not fit state %s", c.Reason, c.State)
	}
	l := qs.lanes[c.Channel.Index()]
	r := &record{c: contact.Contact{ID: c.ID, QueueID: c.QueueID, Channel: c.Channel, EnqueuedAt: c.EnqueuedAt,
		Priority: c.Priority, AgeAdjustment: c.AgeAdjustment}, seq: c.Seq, tag: c.Tag, state: state, reason: reason,
		lane: l, joined: c.Joined, idHash: in.contacts.hash(c.ID)}
	if c.Priority < contact.MinPriority {
		return nil, snapErr(f+".priority", "%d is below %d", c.Priority, contact.MinPriority)
	}
	if c.AgentID != "" {
		if r.agent = in.agents[c.AgentID]; r.agent == nil {
			return nil, snapErr(f+".agentId", "unknown agent %q", c.AgentID)
		}
	} else if state == WithAgent {
		return nil, snapErr(f+".agentId", "a contact WITH_AGENT needs its agent")
	}
	if c.RoutedAt != nil {
		r.routedAt = *c.RoutedAt
	}
	if c.EndedAt != nil {
		r.endedAt = *c.EndedAt
	}
	if err := in.checkCriteria(c, r, f); err != nil {
		return nil, err
	}
	if state == Waiting && (c.DelaysReached < 0 || c.DelaysReached > tiers || len(c.TierRanks) != c.DelaysReached) {
		return nil, snapErr(f+".delaysReached", "%d delays reached (with %d tier ranks) of the %d of queue %q on %s",
			c.DelaysReached, len(c.TierRanks), tiers, c.QueueID, c.Channel)
	}
	return r, checkRuns(c, r, f)
}

// checkCriteria compiles a contact's criteria; a waiting contact's must hold against the
// instance's attributes and agents now, others only say what DescribeContact shows.
func (in *Instance) checkCriteria(c *ContactSnapshot, r *record, f string) error {
	cr := c.Criteria
	if cr == nil {
		return nil
	}
	var p *PreparedCriteria
	var err error
	if r.state == Waiting {
		p, err = in.prepare(&cr.Input)
	} else if err = ValidateRoutingCriteria(&cr.Input, anyCatalog{}); err == nil {
		p, err = in.compile(&cr.Input)
	}
	if err != nil {
		return snapErr(f+".criteria.input", "%v", err)
	}
	if cr.ActiveStep < 0 || cr.ActiveStep > len(p.steps) || cr.Count < 1 {
		return snapErr(f+".criteria", "active step %d of %d, count %d", cr.ActiveStep, len(p.steps), cr.Count)
	}
	r.hasCrit = true
	r.cs = critState{crit: p, step: int32(cr.ActiveStep), critN: int32(cr.Count), critAt: cr.ActivatedAt.UnixNano()}
	r.stepWk = cr.TimerSeq
	return nil
}

func (in *Instance) checkAgents(st *InstanceState, rs map[contact.ID]*restored) error {
	seen := make(map[string]bool, len(st.Agents))
	held := make(map[contact.ID]bool)
	for i := range st.Agents {
		as := &st.Agents[i]
		f := fmt.Sprintf("agents[%d]", i)
		a := in.agents[as.ID]
		if a == nil || seen[as.ID] {
			return snapErr(f+".id", "%q is not an agent of the instance, or appears twice", as.ID)
		}
		seen[as.ID] = true
		if _, ok := parseAgentState(as.State); !ok {
			return snapErr(f+".state", "%q is not AVAILABLE, OFFLINE or CUSTOM", as.State)
		}
		for ch, n := range as.Over {
			if !ch.Valid() || n < 0 || n > MaxConcurrency {
				return snapErr(fmt.Sprintf("%s.over[%s]", f, ch), "%d slots kept over the concurrency; at most %d", n, MaxConcurrency)
			}
		}
		var used [len(contact.Channels)]int
		busy := 0
		for ch, n := range as.Slots {
			if ix := ch.Index(); ix < 0 || n < 0 || n > max(a.p.conc[ix], as.Over[ch]) {
				return snapErr(fmt.Sprintf("%s.slots[%s]", f, ch), "%d slots; the profile allows %d", n, a.p.conc[max(ix, 0)])
			}
			used[ch.Index()] = n
			busy += n
		}
		if as.AfterContactWork < 0 || as.AfterContactWork+len(as.Contacts) != busy {
			return snapErr(f+".afterContactWork", "%d slots of after-contact work and %d contacts do not fill the %d slots held",
				as.AfterContactWork, len(as.Contacts), busy)
		}
		for j, id := range as.Contacts {
			x := rs[id]
			if x == nil || x.r.state != WithAgent || x.r.agent != a || held[id] {
				return snapErr(fmt.Sprintf("%s.contacts[%d]", f, j), "%q is not a contact WITH_AGENT %q", id, as.ID)
			}
			held[id] = true
		}
	}
	for id, x := range rs {
		if x.r.state == WithAgent && !held[id] {
			return snapErr("agents", "contact %q is WITH_AGENT %q, whose contacts do not list it", id, x.r.agent.id)
		}
	}
	return nil
}

func (in *Instance) checkTimers(st *InstanceState, rs map[contact.ID]*restored, tp tierPlan) error {
	for i := range st.Timers {
		t := &st.Timers[i]
		f := fmt.Sprintf("timers[%d]", i)
		if t.Seq == 0 || t.Seq > st.TimerSeq {
			return snapErr(f+".seq", "%d is out of range 1..timerSeq %d", t.Seq, st.TimerSeq)
		}
		x := rs[t.ContactID]
		switch t.Kind {
		case TimerAfterContactWork:
			if in.agents[t.AgentID] == nil || !t.Channel.Valid() {
				return snapErr(f, "after-contact work of unknown agent %q or channel %q", t.AgentID, t.Channel)
			}
		case TimerDelay, TimerStep:
			if x == nil || x.r.state != Waiting {
				return snapErr(f+".contactId", "%q is not a waiting contact", t.ContactID)
			}
			if t.Kind == TimerDelay && !slices.Contains(tp.delays(x.r.lane)[x.snap.DelaysReached:], t.Delay) {
				return snapErr(f+".delayNs", "%v is not a delay contact %q has yet to reach", t.Delay, t.ContactID)
			}
			if t.Kind == TimerStep && (!x.r.hasCrit || t.Step != int(x.r.cs.step) || t.Seq != x.r.stepWk || t.Step >= len(x.r.cs.crit.steps)) {
				return snapErr(f+".step", "step %d is not the active step of contact %q with timer %d", t.Step, t.ContactID, t.Seq)
			}
		default:
			return snapErr(f+".kind", "%q is not %s, %s or %s", t.Kind, TimerDelay, TimerStep, TimerAfterContactWork)
		}
	}
	return nil
}

// install files the checked records, puts the waiting ones in their heaps in their ranks'
// order, sets the agents and arms the timers.
func (in *Instance) install(st *InstanceState, rs map[contact.ID]*restored) {
	for name, t := range st.AttributesModified {
		if d := in.attrs[name]; d != nil {
			d.modified = t
		}
	}
	var waiting []*restored
	for i := range st.Contacts {
		x := rs[st.Contacts[i].ID]
		in.contacts.add(x.r)
		if x.r.state == Waiting {
			waiting = append(waiting, x)
		}
	}
	slices.SortStableFunc(waiting, func(a, b *restored) int { return cmp.Compare(a.snap.Rank, b.snap.Rank) })
	for _, x := range waiting {
		if x.r.hasCrit {
			in.ref(x.r.cs.crit)
		}
		if err := in.enterRestored(x.r, x.snap.Runs); err != nil {
			panic(fmt.Sprintf("routing: internal error: restoring contact %q: %v", x.r.c.ID, err))
		}
	}
	for i := 0; ; i++ {
		var tier []*restored
		for _, x := range waiting {
			if x.snap.DelaysReached > i {
				tier = append(tier, x)
			}
		}
		if len(tier) == 0 {
			break
		}
		slices.SortStableFunc(tier, func(a, b *restored) int { return cmp.Compare(a.snap.TierRanks[i], b.snap.TierRanks[i]) })
		for _, x := range tier {
			h, err := x.r.pushAs(i, x.snap.Runs)
			if err != nil {
				panic(fmt.Sprintf("routing: internal error: restoring contact %q: %v", x.r.c.ID, err))
			}
			x.r.tiers = append(x.r.tiers, h)
		}
	}
	for i := range st.Agents {
		in.installAgent(&st.Agents[i], rs)
	}
	for i := range st.Timers {
		in.installTimer(&st.Timers[i], rs)
	}
	in.arrSeq, in.wakeSeq, in.genSeq = st.ArrivalSeq, st.TimerSeq, st.IDSeq
	in.ended, in.oldest = slices.Clone(st.Ended), st.EndedOldest
	in.sweepUnused() // the exprs of criteria of contacts no longer waiting
}

func (in *Instance) installAgent(as *AgentSnapshot, rs map[contact.ID]*restored) {
	a := in.agents[as.ID]
	a.state, _ = parseAgentState(as.State)
	a.lastFreed, a.lastAct, a.lastIn = as.LastFreed.UnixNano(), as.LastActivity.UnixNano(), as.LastInbound.UnixNano()
	a.histAt = as.HistoryTrackedAt.UnixNano()
	for ch, n := range as.Over {
		a.over[ch.Index()] = uint8(n)
	}
	a.acw = as.AfterContactWork
	for ch, n := range as.Slots {
		a.used[ch.Index()] = n
		a.busy += n
	}
	for _, id := range as.Contacts {
		a.contacts = append(a.contacts, rs[id].r)
	}
	in.refresh(a)
}

func (in *Instance) installTimer(t *TimerSnapshot, rs map[contact.ID]*restored) {
	w := wake{at: t.At.UnixNano(), seq: t.Seq}
	switch t.Kind {
	case TimerAfterContactWork:
		w.ag, w.id, w.ch = in.agents[t.AgentID], t.ContactID, int32(t.Channel.Index())
		in.wakes.push(w)
	case TimerDelay:
		r := rs[t.ContactID].r
		w.r, w.cseq = r, r.seq
		w.tier = r.lane.tiers[slices.IndexFunc(r.lane.tiers, func(tr *tier) bool { return tr.delay == t.Delay })]
		in.wakes.push(w)
	case TimerStep:
		r := rs[t.ContactID].r
		w.r, w.cseq, w.step = r, r.seq, int32(t.Step)
		if sq := r.cs.crit.steps[t.Step].sq; sq > 0 {
			in.armStep(w, sq)
		} else {
			in.wakes.push(w)
		}
	}
}

// anyCatalog has every attribute value and agent: the criteria of a contact no longer
// waiting may name ones deleted since.
type anyCatalog struct{}

func (anyCatalog) HasValue(string, string) bool { return true }
func (anyCatalog) HasAgent(string) bool         { return true }
