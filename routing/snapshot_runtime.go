package routing

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// The parts of an InstanceState that run-time administration adds (queues' modification
// times, lanes' delay tiers and answer times, profiles' agent order, contacts' names,
// attributes and transfer links, the history), taken by state and installed by Restore
// (restore_runtime.go).

// LaneSnapshot is what one (queue, channel) keeps beyond its waiting contacts.
type LaneSnapshot struct {
	QueueID string          `json:"queueId"`
	Channel contact.Channel `json:"channel"`
	// TierDelaysNs are the lane's delay tiers, ascending: every distinct profile delay ever
	// used on it (a lane never drops a tier it was once given, so a profile's queues
	// changed at run time may leave tiers no profile uses now).
	TierDelaysNs []time.Duration `json:"tierDelaysNs,omitempty"`
	// Answered are the times the lane routed its last contacts (the wait estimator's
	// memory), as its ring holds them; AnsweredCount counts every contact it routed.
	Answered      []time.Time `json:"answered,omitempty"`
	AnsweredCount uint64      `json:"answeredCount,omitempty"`
}

// ContactMetaSnapshot is what the API keeps of a contact beyond its routing.
type ContactMetaSnapshot struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// AttributeSet indexes InstanceState.AttributeSets from 1 (0: no attributes): every
	// contact of a transfer chain shares one set.
	AttributeSet int `json:"attributeSet,omitempty"`
	// PreviousContactID and InitialContactID link a transferred contact to the one it came
	// from and the first of its chain; Transfers counts the chain's transfers so far.
	PreviousContactID contact.ID `json:"previousContactId,omitempty"`
	InitialContactID  contact.ID `json:"initialContactId,omitempty"`
	Transfers         int        `json:"transfers,omitempty"`
	// AttributesUpdated is when the attributes were last updated (LastUpdateTimestamp).
	AttributesUpdated time.Time `json:"attributesUpdated"`
}

// HistoryBucketSnapshot is one bucket of the history (see HistoryConfig): an interval and
// a (queue, channel, profile, agent) key, Channel empty for agent time.
type HistoryBucketSnapshot struct {
	Interval  time.Time       `json:"interval"`
	QueueID   string          `json:"queueId,omitempty"`
	Channel   contact.Channel `json:"channel,omitempty"`
	ProfileID string          `json:"profileId,omitempty"`
	AgentID   string          `json:"agentId,omitempty"`
	// The sums of HistoryStats; durations in nanoseconds.
	Queued           int64         `json:"queued,omitempty"`
	Handled          int64         `json:"handled,omitempty"`
	Abandoned        int64         `json:"abandoned,omitempty"`
	AnswerWait       time.Duration `json:"answerWaitNs,omitempty"`
	AbandonWait      time.Duration `json:"abandonWaitNs,omitempty"`
	MaxQueued        time.Duration `json:"maxQueuedNs,omitempty"`
	Handle           time.Duration `json:"handleNs,omitempty"`
	AfterContactWork time.Duration `json:"afterContactWorkNs,omitempty"`
	OnContact        time.Duration `json:"onContactNs,omitempty"`
	Idle             time.Duration `json:"idleNs,omitempty"`
	NonProductive    time.Duration `json:"nonProductiveNs,omitempty"`
	// AnswerWaits count handled contacts' waits by whole second rounded up, ascending:
	// [second, count, how many of them were whole seconds].
	AnswerWaits [][3]uint32 `json:"answerWaits,omitempty"`
}

// runtimeState fills in st what run-time administration added to the instance.
func (in *Instance) runtimeState(st *InstanceState) {
	for _, qs := range in.qorder {
		if !qs.adm.modified.IsZero() {
			if st.QueuesModified == nil {
				st.QueuesModified = make(map[string]time.Time)
			}
			st.QueuesModified[qs.id] = qs.adm.modified.UTC()
		}
		for _, l := range qs.lanes {
			if len(l.tiers) == 0 && l.nAnswered == 0 {
				continue
			}
			ls := LaneSnapshot{QueueID: qs.id, Channel: contact.Channels[l.ch], AnsweredCount: l.nAnswered}
			for _, t := range l.tiers {
				ls.TierDelaysNs = append(ls.TierDelaysNs, t.delay)
			}
			for i := range min(l.nAnswered, estimatorSamples) {
				ls.Answered = append(ls.Answered, time.Unix(0, l.answered[i]).UTC())
			}
			st.Lanes = append(st.Lanes, ls)
		}
	}
	st.ProfileAgents = make(map[string][]string, len(in.porder))
	for _, p := range in.porder {
		ids := make([]string, len(p.agents))
		for i, a := range p.agents {
			ids[i] = a.id
		}
		st.ProfileAgents[p.id] = ids
	}
	sets := map[*attrSet]int{}
	for i := range st.Contacts {
		c := &st.Contacts[i]
		r, _ := in.contacts.get(c.ID)
		m := in.meta[r]
		if m == nil {
			continue
		}
		ms := &ContactMetaSnapshot{Name: m.name, Description: m.desc, PreviousContactID: m.prev, InitialContactID: m.initial,
			Transfers: m.transfers, AttributesUpdated: m.updated.UTC()}
		if m.attrs != nil {
			if sets[m.attrs] == 0 {
				st.AttributeSets = append(st.AttributeSets, maps.Clone(m.attrs.m))
				sets[m.attrs] = len(st.AttributeSets)
			}
			ms.AttributeSet = sets[m.attrs]
		}
		c.Meta = ms
	}
	if in.hist != nil {
		st.History = in.hist.snapshot()
	}
}

// snapshot lists the history's buckets by interval, then queue, channel, profile and agent.
// O(b log b) for b buckets.
func (h *history) snapshot() []HistoryBucketSnapshot {
	out := make([]HistoryBucketSnapshot, 0, h.n)
	for _, iv := range h.order {
		start := len(out)
		for k, b := range h.ivs[iv] {
			bs := HistoryBucketSnapshot{Interval: time.Unix(0, iv).UTC(), QueueID: k.queue, ProfileID: k.profile, AgentID: k.agent,
				Queued: b.Queued, Handled: b.Handled, Abandoned: b.Abandoned, AnswerWait: b.AnswerWait, AbandonWait: b.AbandonWait,
				MaxQueued: b.MaxQueued, Handle: b.Handle, AfterContactWork: b.AfterContactWork, OnContact: b.OnContact, Idle: b.Idle,
				NonProductive: b.NonProductive}
			if k.ch >= 0 {
				bs.Channel = contact.Channels[k.ch]
			}
			for _, w := range b.answered {
				bs.AnswerWaits = append(bs.AnswerWaits, [3]uint32{w.sec, w.n, w.whole})
			}
			out = append(out, bs)
		}
		slices.SortFunc(out[start:], func(a, b HistoryBucketSnapshot) int {
			return cmp.Or(cmp.Compare(a.QueueID, b.QueueID), cmp.Compare(a.Channel, b.Channel),
				cmp.Compare(a.ProfileID, b.ProfileID), cmp.Compare(a.AgentID, b.AgentID))
		})
	}
	return out
}
