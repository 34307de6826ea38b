package routing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
)

// TestAnsweredWithinIsExact: LT and LTE against waits on and between whole seconds.
func TestAnsweredWithinIsExact(t *testing.T) {
	var s HistoryStats
	for _, w := range []time.Duration{0, 9500 * time.Millisecond, 10 * time.Second, 10*time.Second + 1, 11 * time.Second, 700000 * time.Second} {
		s.answered.add(w)
	}
	tests := []struct {
		sec  int
		incl bool
		want int64
	}{
		{10, false, 2}, // 0 and 9.5 s
		{10, true, 3},  // and 10 s
		{11, false, 4}, // and 10 s + 1 ns
		{11, true, 5},
		{604800, true, 5}, // 700000 s is beyond every threshold
		{1, false, 1},
	}
	for _, tt := range tests {
		got := s.AnsweredWithin(tt.sec, tt.incl)
		assert.Equal(t, tt.want, got, "AnsweredWithin(%d, %v) = %d; want %d", tt.sec, tt.incl, got, tt.want)
	}
	var sum HistoryStats
	sum.Add(&s)
	sum.Add(&s)
	assert.Equal(t, int64(8), sum.AnsweredWithin(11, false), "after adding twice")
}

// TestHistoryIsBounded: a stream of contacts over many intervals keeps at most MaxBuckets
// buckets, and none older than the retention.
func TestHistoryIsBounded(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	clock := NewManualClock(t0)
	cfg := InstanceConfig{ID: "i", Queues: []QueueConfig{{ID: "q"}}, History: &HistoryConfig{RetentionDays: 1, MaxBuckets: 50}}
	in, err := NewInstance(cfg, clock)
	require.NoError(t, err)
	for i := range 500 { // one contact every 15 minutes: 500 intervals, over 5 days
		id, err := in.StartContact(ContactSpec{QueueID: "q", Channel: contact.Task})
		require.NoError(t, err)
		clock.Advance(time.Minute)
		require.NoError(t, in.EndContact(id, Abandoned, 0))
		clock.Advance(14 * time.Minute)
		require.LessOrEqual(t, in.hist.n, 50, "after %d contacts: %d buckets; want at most 50", i+1, in.hist.n)
	}
	recs := in.History(HistoryQuery{From: t0, To: clock.Now()})
	require.Len(t, recs, 50, "buckets kept")
	assert.Equal(t, clock.Now().Add(-50*HistoryInterval), recs[0].Start, "oldest bucket kept")

	cfg.History = &HistoryConfig{RetentionDays: 1}
	in, err = NewInstance(cfg, clock)
	require.NoError(t, err)
	id, err := in.StartContact(ContactSpec{QueueID: "q", Channel: contact.Task})
	require.NoError(t, err)
	clock.Advance(25 * time.Hour) // ends a day after its interval: past the retention
	require.NoError(t, in.EndContact(id, Abandoned, 0))
	assert.Empty(t, in.History(HistoryQuery{From: t0, To: clock.Now()}), "a contact enqueued before the retention was kept")

	_, err = NewInstance(InstanceConfig{ID: "i", History: &HistoryConfig{MaxBuckets: -1}}, clock)
	require.ErrorIs(t, err, ErrInvalidConfig)
}

// TestHistoryNonProductiveTime: time in a custom status (a break) is non-productive, neither
// on contact nor idle, so that AGENT_OCCUPANCY = on contact / (on contact + idle) does not
// count a break as work.
func TestHistoryNonProductiveTime(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := NewManualClock(t0)
	cfg := InstanceConfig{ID: "i", Queues: []QueueConfig{{ID: "q"}},
		RoutingProfiles: []ProfileConfig{{ID: "p", Queues: []ProfileQueueConfig{{QueueID: "q", Channel: contact.Task, Priority: 1}},
			Concurrency: map[contact.Channel]int{contact.Task: 1}}},
		Agents: []AgentConfig{{ID: "a", RoutingProfileID: "p"}}, History: &HistoryConfig{}}
	in, err := NewInstance(cfg, clock)
	require.NoError(t, err)
	require.NoError(t, in.SetAgentState("a", AgentCustom))
	clock.Advance(4 * time.Minute) // a 4-minute break
	require.NoError(t, in.SetAgentState("a", AgentAvailable))
	clock.Advance(2 * time.Minute) // idle 2 minutes
	id, err := in.StartContact(ContactSpec{QueueID: "q", Channel: contact.Task})
	require.NoError(t, err)
	clock.Advance(3 * time.Minute) // on contact 3 minutes
	require.NoError(t, in.EndContact(id, Completed, 0))
	require.NoError(t, in.SetAgentState("a", AgentOffline))
	var got HistoryStats
	for _, r := range in.History(HistoryQuery{From: t0, To: clock.Now()}) {
		got.Add(&r.Stats)
	}
	assert.Equal(t, 4*time.Minute, got.NonProductive, "the break")
	assert.Equal(t, 2*time.Minute, got.Idle, "available and free")
	assert.Equal(t, 3*time.Minute, got.OnContact, "with the contact")
}
