package routing

import (
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
)

// HistoryStats are the sums of one history bucket, or of several added together. Waits are
// real waits, never moved by routing-age adjustments. The zero value is an empty bucket.
type HistoryStats struct {
	// Queued counts contacts that left the queue (answered or abandoned); Handled those an
	// agent took; Abandoned those that ended while waiting.
	Queued, Handled, Abandoned int64
	// AnswerWait sums the queue waits of handled contacts; AbandonWait those of abandoned
	// ones; MaxQueued is the longest wait of either.
	AnswerWait, AbandonWait, MaxQueued time.Duration
	// Handle sums handled contacts' time with the agent plus after-contact work;
	// AfterContactWork sums the latter alone.
	Handle, AfterContactWork time.Duration
	// OnContact is agent time holding a contact or after-contact work; Idle agent time
	// available and holding neither; NonProductive agent time in a custom status (a break)
	// holding neither.
	OnContact, Idle, NonProductive time.Duration
	answered                       waitHist
}

// Add adds o to s. The cost is O(b) for b distinct answer-wait seconds in both.
func (s *HistoryStats) Add(o *HistoryStats) {
	s.Queued += o.Queued
	s.Handled += o.Handled
	s.Abandoned += o.Abandoned
	s.AnswerWait += o.AnswerWait
	s.AbandonWait += o.AbandonWait
	s.MaxQueued = max(s.MaxQueued, o.MaxQueued)
	s.Handle += o.Handle
	s.AfterContactWork += o.AfterContactWork
	s.OnContact += o.OnContact
	s.Idle += o.Idle
	s.NonProductive += o.NonProductive
	s.answered = s.answered.merge(o.answered)
}

// AnsweredWithin counts handled contacts whose queue wait was below whole seconds sec, or at
// most sec when inclusive (SUM_CONTACTS_ANSWERED_IN_X and SERVICE_LEVEL with LT or LTE). The
// count is exact: waits are kept by whole second rounded up, with how many were whole. The
// cost is O(b) for b distinct answer-wait seconds.
func (s *HistoryStats) AnsweredWithin(sec int, inclusive bool) int64 {
	var n int64
	for _, b := range s.answered {
		switch {
		case int(b.sec) < sec:
			n += int64(b.n)
		case int(b.sec) == sec && inclusive:
			n += int64(b.n)
		case int(b.sec) == sec:
			n += int64(b.n - b.whole)
		}
	}
	return n
}

// maxWaitSecond caps the seconds a waitHist tells apart: SERVICE_LEVEL thresholds go up to
// 604800; every longer wait shares the bin above.
const maxWaitSecond = 604800 + 1

// waitHist counts waits by whole second rounded up, ascending; whole counts those that were a
// whole number of seconds.
type waitHist []waitBin

type waitBin struct{ sec, n, whole uint32 }

func (h *waitHist) add(w time.Duration) {
	sec := (w + time.Second - 1) / time.Second
	whole := w%time.Second == 0
	if sec > maxWaitSecond {
		sec, whole = maxWaitSecond+1, false
	}
	i, found := slices.BinarySearchFunc(*h, uint32(sec), func(b waitBin, s uint32) int { return int(b.sec) - int(s) })
	if !found {
		*h = slices.Insert(*h, i, waitBin{sec: uint32(sec)})
	}
	(*h)[i].n++
	if whole {
		(*h)[i].whole++
	}
}

func (h waitHist) merge(o waitHist) waitHist {
	if len(o) == 0 {
		return h
	}
	out := make(waitHist, 0, len(h)+len(o))
	i, j := 0, 0
	for i < len(h) || j < len(o) {
		switch {
		case j == len(o) || (i < len(h) && h[i].sec < o[j].sec):
			out = append(out, h[i])
			i++
		case i == len(h) || o[j].sec < h[i].sec:
			out = append(out, o[j])
			j++
		default:
			out = append(out, waitBin{sec: h[i].sec, n: h[i].n + o[j].n, whole: h[i].whole + o[j].whole})
			i++
			j++
		}
	}
	return out
}

// HistoryQuery selects history buckets: those whose interval starts in [From, To), matching
// every non-empty list. Agent-time buckets have no queue and no channel: QueueIDs and
// Channels do not exclude them; contact buckets of contacts no agent took have no profile and
// no agent: ProfileIDs and AgentIDs exclude them.
type HistoryQuery struct {
	From, To   time.Time
	QueueIDs   []string
	ProfileIDs []string
	AgentIDs   []string
	Channels   []contact.Channel
}

// HistoryRecord is one history bucket. Channel is "" and QueueID empty for agent time
// (AgentTime); ProfileID and AgentID are empty for contacts no agent took.
type HistoryRecord struct {
	Start     time.Time
	QueueID   string
	Channel   contact.Channel
	ProfileID string
	AgentID   string
	AgentTime bool
	Stats     HistoryStats
}

// History returns the history buckets q selects, by interval start, after adding every
// agent's time up to the clock's time. It returns nil when the instance keeps no history
// (InstanceConfig.History is nil). The cost is O(a + i·log i + k) for a agents, i
// intervals kept and k buckets in the range; the records share nothing with the instance.
func (in *Instance) History(q HistoryQuery) []HistoryRecord {
	now := in.lock()
	defer in.mu.Unlock()
	if in.hist == nil {
		return nil
	}
	for _, a := range in.aorder {
		in.track(a, now.UnixNano())
	}
	h := in.hist
	from, to := q.From.UnixNano(), q.To.UnixNano()
	i, _ := slices.BinarySearch(h.order, from)
	var out []HistoryRecord
	for ; i < len(h.order) && h.order[i] < to; i++ {
		iv := h.order[i]
		for k, b := range h.ivs[iv] {
			if !q.match(k) {
				continue
			}
			r := HistoryRecord{Start: time.Unix(0, iv).UTC(), QueueID: k.queue, ProfileID: k.profile, AgentID: k.agent,
				AgentTime: k.ch < 0, Stats: *b}
			r.Stats.answered = slices.Clone(b.answered)
			if k.ch >= 0 {
				r.Channel = contact.Channels[k.ch]
			}
			out = append(out, r)
		}
	}
	return out
}

func (q *HistoryQuery) match(k histKey) bool {
	if k.ch >= 0 {
		if len(q.QueueIDs) > 0 && !slices.Contains(q.QueueIDs, k.queue) {
			return false
		}
		if len(q.Channels) > 0 && !slices.Contains(q.Channels, contact.Channels[k.ch]) {
			return false
		}
	}
	if len(q.ProfileIDs) > 0 && !slices.Contains(q.ProfileIDs, k.profile) {
		return false
	}
	return len(q.AgentIDs) == 0 || slices.Contains(q.AgentIDs, k.agent)
}
