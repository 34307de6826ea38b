package routing

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// Restoring what run-time administration adds to an InstanceState (snapshot_runtime.go):
// checked before anything is installed, so that a refused state changes nothing.

// tierPlan holds, per lane the state lists, the delay tiers it will have once restored.
type tierPlan map[*lane][]time.Duration

// delays returns the delays of l's tiers once restored.
func (tp tierPlan) delays(l *lane) []time.Duration {
	if ds, ok := tp[l]; ok || l == nil {
		return ds
	}
	ds := make([]time.Duration, len(l.tiers))
	for i, t := range l.tiers {
		ds[i] = t.delay
	}
	return ds
}

// checkLanes checks the lanes' tiers and answer times and plans the tiers.
func (in *Instance) checkLanes(st *InstanceState) (tierPlan, error) {
	tp := tierPlan{}
	for i := range st.Lanes {
		ls := &st.Lanes[i]
		f := fmt.Sprintf("lanes[%d]", i)
		qs, ok := in.queues[ls.QueueID]
		switch {
		case !ok:
			return nil, snapErr(f+".queueId", "unknown queue %q", ls.QueueID)
		case !ls.Channel.Valid():
			return nil, snapErr(f+".channel", "%q is not VOICE, CHAT, TASK or EMAIL", ls.Channel)
		case len(ls.Answered) > estimatorSamples || uint64(len(ls.Answered)) != min(ls.AnsweredCount, estimatorSamples):
			return nil, snapErr(f+".answered", "%d answer times for %d answered; the lane keeps the last %d",
				len(ls.Answered), ls.AnsweredCount, estimatorSamples)
		}
		l := qs.lanes[ls.Channel.Index()]
		if _, dup := tp[l]; dup {
			return nil, snapErr(f, "queue %q channel %s appears twice", ls.QueueID, ls.Channel)
		}
		for j, d := range ls.TierDelaysNs {
			if d <= 0 || d > MaxProfileDelay || j > 0 && d <= ls.TierDelaysNs[j-1] {
				return nil, snapErr(fmt.Sprintf("%s.tierDelaysNs[%d]", f, j), "%v is not a delay above the previous one, up to %v", d, MaxProfileDelay)
			}
		}
		for _, t := range l.tiers {
			if !slices.Contains(ls.TierDelaysNs, t.delay) {
				return nil, snapErr(f+".tierDelaysNs", "lacks the delay %v the configuration's profiles give queue %q on %s",
					t.delay, ls.QueueID, ls.Channel)
			}
		}
		tp[l] = slices.Clone(ls.TierDelaysNs)
	}
	return tp, nil
}

// checkRuntime checks the queues' times, the profiles' agent order, the contacts' data
// and the history.
func (in *Instance) checkRuntime(st *InstanceState, rs map[contact.ID]*restored) error {
	for id := range st.QueuesModified {
		if in.queues[id] == nil {
			return snapErr("queuesModified", "unknown queue %q", id)
		}
	}
	for id, ags := range st.ProfileAgents {
		p := in.profiles[id]
		if p == nil {
			return snapErr("profileAgents", "unknown routing profile %q", id)
		}
		have := make([]string, len(p.agents))
		for i, a := range p.agents {
			have[i] = a.id
		}
		if !slices.Equal(slices.Sorted(slices.Values(have)), slices.Sorted(slices.Values(ags))) {
			return snapErr("profileAgents["+id+"]", "%q are not the agents %q of routing profile %q", ags, have, id)
		}
	}
	for i := range st.Contacts {
		if m := st.Contacts[i].Meta; m != nil && (m.AttributeSet < 0 || m.AttributeSet > len(st.AttributeSets) || m.Transfers < 0) {
			return snapErr(fmt.Sprintf("contacts[%d].meta", i), "attribute set %d of %d, %d transfers",
				m.AttributeSet, len(st.AttributeSets), m.Transfers)
		}
	}
	return in.checkHistory(st)
}

func (in *Instance) checkHistory(st *InstanceState) error {
	if len(st.History) > 0 && in.hist == nil {
		return snapErr("history", "the configuration keeps no history (history is not set)")
	}
	seen := map[int64]map[histKey]bool{}
	for i := range st.History {
		b := &st.History[i]
		f := fmt.Sprintf("history[%d]", i)
		iv := b.Interval.UnixNano()
		k := histKey{queue: b.QueueID, profile: b.ProfileID, agent: b.AgentID, ch: -1}
		switch {
		case intervalOf(iv) != iv:
			return snapErr(f+".interval", "%v is not the start of a %v interval", b.Interval, HistoryInterval)
		case b.Channel != "" && !b.Channel.Valid():
			return snapErr(f+".channel", "%q is not VOICE, CHAT, TASK or EMAIL", b.Channel)
		}
		if b.Channel != "" {
			k.ch = int8(b.Channel.Index())
		}
		if seen[iv] == nil {
			seen[iv] = map[histKey]bool{}
		}
		if seen[iv][k] {
			return snapErr(f, "bucket appears twice")
		}
		seen[iv][k] = true
		for j, w := range b.AnswerWaits {
			if w[2] > w[1] || j > 0 && w[0] <= b.AnswerWaits[j-1][0] {
				return snapErr(fmt.Sprintf("%s.answerWaits[%d]", f, j), "%v: seconds must ascend, whole at most count", w)
			}
		}
	}
	return nil
}

// installTiers gives each lane the tiers the plan lists; the instance holds no contact yet,
// so that no timer is armed.
func (in *Instance) installTiers(tp tierPlan, now time.Time) {
	for l, ds := range tp {
		for _, d := range ds {
			in.tierAt(l, d, now)
		}
		l.fixTierIndexes()
	}
}

// installRuntime installs what checkRuntime and checkLanes checked, after the contacts and
// agents.
func (in *Instance) installRuntime(st *InstanceState, rs map[contact.ID]*restored) {
	for id, t := range st.QueuesModified {
		in.queues[id].adm.modified = t
	}
	for _, ls := range st.Lanes {
		l := in.queues[ls.QueueID].lanes[ls.Channel.Index()]
		l.nAnswered = ls.AnsweredCount
		for i, t := range ls.Answered {
			l.answered[i] = t.UnixNano()
		}
	}
	for id, ags := range st.ProfileAgents {
		p := in.profiles[id]
		for i, a := range ags {
			p.agents[i] = in.agents[a]
		}
	}
	sets := make([]*attrSet, len(st.AttributeSets))
	for i, m := range st.AttributeSets {
		if m == nil {
			m = map[string]string{}
		}
		sets[i] = &attrSet{m: maps.Clone(m)}
	}
	for i := range st.Contacts {
		c := &st.Contacts[i]
		if c.Meta == nil {
			continue
		}
		m := &contactMeta{name: c.Meta.Name, desc: c.Meta.Description, prev: c.Meta.PreviousContactID,
			initial: c.Meta.InitialContactID, transfers: c.Meta.Transfers, updated: c.Meta.AttributesUpdated}
		if c.Meta.AttributeSet > 0 {
			m.attrs = sets[c.Meta.AttributeSet-1]
		}
		in.attachMeta(c.ID, m)
	}
	if h := in.hist; h != nil {
		for i := range st.History {
			b := &st.History[i]
			iv := b.Interval.UnixNano()
			k := histKey{queue: b.QueueID, profile: b.ProfileID, agent: b.AgentID, ch: -1}
			if b.Channel != "" {
				k.ch = int8(b.Channel.Index())
			}
			m := h.ivs[iv]
			if m == nil {
				m = make(map[histKey]*HistoryStats)
				h.ivs[iv] = m
				h.order = append(h.order, iv)
			}
			s := &HistoryStats{Queued: b.Queued, Handled: b.Handled, Abandoned: b.Abandoned, AnswerWait: b.AnswerWait,
				AbandonWait: b.AbandonWait, MaxQueued: b.MaxQueued, Handle: b.Handle, AfterContactWork: b.AfterContactWork,
				OnContact: b.OnContact, Idle: b.Idle, NonProductive: b.NonProductive}
			for _, w := range b.AnswerWaits {
				s.answered = append(s.answered, waitBin{sec: w[0], n: w[1], whole: w[2]})
			}
			m[k] = s
			h.n++
		}
		slices.SortFunc(h.order, func(a, b int64) int { return cmp.Compare(a, b) })
	}
}
