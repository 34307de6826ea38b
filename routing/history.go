package routing

import (
	"slices"
	"time"
)

// The history: what historical metrics (GetMetricDataV2) are computed from. It never keeps a
// contact: each finished contact and each span of agent time is added to a bucket, one per
// (15-minute interval, queue, channel, routing profile, agent), and buckets older than the
// retention, or beyond the cap, are dropped, the oldest interval first.
//
// A contact enters the history when it ends, in the interval of its enqueue time (so a
// contact still waiting or with an agent is not in it yet; ended contacts whose interval
// was already dropped are not added):
//   - queued, every one;
//   - handled, if an agent took it: its real queue wait (routed - enqueued; routing-age
//     adjustments never count), its handle time (ended - routed, plus its after-contact work)
//     and its after-contact work;
//   - abandoned, if it ended while waiting (an abandon, or StopContact: a waiting contact that
//     StopContact ends counts as abandoned, the customer having left the queue), with its
//     real wait; unless it ended as Removed (StopContact with a DisconnectReason other than
//     CUSTOMER_DISCONNECT), which counts as queued only. A contact that TransferContact moves
//     ends as Transferred: waiting, it counts as queued only in the queue it left (the new
//     contact is queued again in the other); with an agent, as handled there.
//
// Agent time is split at interval boundaries into buckets of (profile, agent) with no queue
// or channel: on contact while the agent holds a contact or after-contact work, idle while it
// is available and holds neither, non-productive while it is in a custom status (a break) and
// holds neither; offline time is not counted.

// HistoryInterval is the width of the history's buckets: the finest IntervalPeriod of
// GetMetricDataV2 (FIFTEEN_MIN).
const HistoryInterval = 15 * time.Minute

// Defaults of HistoryConfig.
const (
	// DefaultHistoryRetention is how long buckets are kept: 3 months, as Amazon Connect
	// keeps historical metrics for GetMetricDataV2.
	DefaultHistoryRetention = 92 * 24 * time.Hour
	// DefaultMaxHistoryBuckets caps the buckets kept, whatever their age.
	DefaultMaxHistoryBuckets = 1_000_000
)

// HistoryConfig turns the history on and bounds it. The zero value keeps
// DefaultHistoryRetention and at most DefaultMaxHistoryBuckets buckets. A bucket costs about
// 250 bytes plus 12 bytes per distinct whole second of answer wait in it.
type HistoryConfig struct {
	// RetentionDays is how many days of buckets are kept; 0 means 92 (3 months).
	RetentionDays int `json:"retentionDays,omitempty"`
	// MaxBuckets caps the buckets kept; 0 means DefaultMaxHistoryBuckets. Past it, the
	// oldest interval's buckets are dropped.
	MaxBuckets int `json:"maxBuckets,omitempty"`
}

func (c *HistoryConfig) validate() error {
	switch {
	case c.RetentionDays < 0:
		return configErr("history.retentionDays", "%d is negative", c.RetentionDays)
	case c.MaxBuckets < 0:
		return configErr("history.maxBuckets", "%d is negative", c.MaxBuckets)
	}
	return nil
}

// histKey names a bucket within an interval; ch is -1 for agent time.
type histKey struct {
	queue, profile, agent string
	ch                    int8
}

// history is an instance's history (nil when off).
type history struct {
	retention time.Duration
	max       int
	ivs       map[int64]map[histKey]*HistoryStats // by interval start, Unix ns
	order     []int64                             // the keys of ivs, ascending
	n         int                                 // buckets in all
}

func newHistory(c *HistoryConfig) *history {
	h := &history{retention: DefaultHistoryRetention, max: DefaultMaxHistoryBuckets, ivs: make(map[int64]map[histKey]*HistoryStats)}
	if c.RetentionDays > 0 {
		h.retention = time.Duration(c.RetentionDays) * 24 * time.Hour
	}
	if c.MaxBuckets > 0 {
		h.max = c.MaxBuckets
	}
	return h
}

// intervalOf returns the start, Unix ns, of the interval holding t.
func intervalOf(t int64) int64 {
	const w = int64(HistoryInterval)
	if t < 0 {
		return (t - w + 1) / w * w
	}
	return t / w * w
}

// bucket returns the bucket of key k in the interval starting at iv, making it; nil when the
// interval is older than the retention at now. O(log i) for i intervals when it makes one,
// else O(1).
func (h *history) bucket(iv int64, k histKey, now int64) *HistoryStats {
	if iv < intervalOf(now-int64(h.retention)) {
		return nil
	}
	m, ok := h.ivs[iv]
	if !ok {
		m = make(map[histKey]*HistoryStats)
		h.ivs[iv] = m
		i, _ := slices.BinarySearch(h.order, iv)
		h.order = slices.Insert(h.order, i, iv)
	}
	b, ok := m[k]
	if !ok {
		b = new(HistoryStats)
		m[k] = b
		h.n++
		h.trim(now)
	}
	return b
}

// trim drops the intervals older than the retention, then the oldest ones while there are
// more buckets than the cap (never the newest interval). O(1) per bucket dropped.
func (h *history) trim(now int64) {
	cutoff := intervalOf(now - int64(h.retention))
	for len(h.order) > 1 && (h.order[0] < cutoff || h.n > h.max) {
		h.n -= len(h.ivs[h.order[0]])
		delete(h.ivs, h.order[0])
		h.order = h.order[1:]
	}
}

// contactEnded adds a contact that ends now to the history. O(b) for b distinct answer-wait
// seconds in its bucket.
func (in *Instance) contactEnded(r *record, waiting bool, reason EndReason, acw time.Duration, now time.Time) {
	h := in.hist
	k := histKey{queue: r.lane.q.id, ch: int8(r.lane.ch)}
	if r.agent != nil {
		k.profile, k.agent = r.agent.p.id, r.agent.id
	}
	b := h.bucket(intervalOf(r.c.EnqueuedAt.UnixNano()), k, now.UnixNano())
	if b == nil {
		return
	}
	b.Queued++
	if waiting {
		w := max(0, now.Sub(r.c.EnqueuedAt))
		b.MaxQueued = max(b.MaxQueued, w)
		if reason != Removed && reason != Transferred {
			b.Abandoned++
			b.AbandonWait += w
		}
		return
	}
	w := max(0, r.routedAt.Sub(r.c.EnqueuedAt))
	b.Handled++
	b.AnswerWait += w
	b.MaxQueued = max(b.MaxQueued, w)
	b.Handle += max(0, now.Sub(r.routedAt)) + acw
	b.AfterContactWork += acw
	b.answered.add(w)
}

// track adds the agent's time since it was last tracked, in its status until t, to the
// history, and marks it tracked at t. Call it before every change of the agent's status.
// O(1 + intervals the span crosses); without a history, a test the compiler inlines into
// the routing path.
func (in *Instance) track(a *agent, t int64) {
	if in.hist != nil {
		in.trackAgent(a, t)
	}
}

func (in *Instance) trackAgent(a *agent, t int64) {
	from := a.histAt
	if t <= from {
		return
	}
	a.histAt = t
	st := a.status()
	if from == 0 || st == StatusOffline {
		return
	}
	from = max(from, t-int64(in.hist.retention))
	k := histKey{profile: a.p.id, agent: a.id, ch: -1}
	for from < t {
		iv := intervalOf(from)
		end := min(t, iv+int64(HistoryInterval))
		if b := in.hist.bucket(iv, k, t); b != nil {
			switch st {
			case StatusAvailable:
				b.Idle += time.Duration(end - from)
			case StatusCustom:
				b.NonProductive += time.Duration(end - from)
			default:
				b.OnContact += time.Duration(end - from)
			}
		}
		from = end
	}
}
