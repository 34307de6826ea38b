package routing_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"pgregory.net/rapid"
)

// histModel is the naive model of the history: every ended contact's sums, and every agent's
// online time.
type histModel struct {
	queued, handled, abandoned int64
	answerWait, abandonWait    time.Duration
	handle, acw, maxQueued     time.Duration
	online                     map[string]time.Duration
	onlineSince                map[string]time.Time // agents made available, from when
}

// TestHistoryMatchesModel: after random starts, ends, agents going available and clock moves
// over several intervals, the history summed over all buckets equals what the contacts' own
// times give, and agent time (on contact + idle + non-productive: agents move between
// available and a custom status) equals the time agents were online. Agents
// never go offline here, so that an agent is online exactly from its first SetAgentState
// (TestGetMetricDataV2HandComputed covers going offline).
func TestHistoryMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		cfg.History = &routing.HistoryConfig{}
		t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		clock := routing.NewManualClock(t0)
		in, err := routing.NewInstance(cfg, clock)
		if err != nil {
			t.Fatal(err)
		}
		m := histModel{online: map[string]time.Duration{}, onlineSince: map[string]time.Time{}}
		var live []contact.ID
		for range rapid.IntRange(1, 60).Draw(t, "steps") {
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				q := rapid.SampledFrom(cfg.Queues).Draw(t, "queue").ID
				ch := rapid.SampledFrom([]contact.Channel{contact.Voice, contact.Chat}).Draw(t, "channel")
				id, err := in.StartContact(routing.ContactSpec{QueueID: q, Channel: ch,
					AgeAdjustment: time.Duration(rapid.IntRange(-100, 100).Draw(t, "age")) * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				live = append(live, id)
			case 1:
				if len(live) == 0 {
					continue
				}
				i := rapid.IntRange(0, len(live)-1).Draw(t, "contact")
				info, err := in.DescribeContact(live[i])
				if err != nil {
					t.Fatal(err)
				}
				acw := time.Duration(rapid.IntRange(0, 20).Draw(t, "acw")) * time.Second
				reason := routing.Completed
				if info.State == routing.Waiting {
					reason = rapid.SampledFrom([]routing.EndReason{routing.Abandoned, routing.Stopped, routing.Removed}).Draw(t, "reason")
					acw = 0
				}
				if err := in.EndContact(live[i], reason, acw); err != nil {
					t.Fatal(err)
				}
				m.ended(info, reason, acw, clock.Now())
				live = append(live[:i], live[i+1:]...)
			case 2:
				a := rapid.SampledFrom(cfg.Agents).Draw(t, "agent").ID
				if _, ok := m.onlineSince[a]; !ok {
					m.onlineSince[a] = clock.Now()
				}
				st := rapid.SampledFrom([]routing.AgentState{routing.AgentAvailable, routing.AgentCustom}).Draw(t, "state")
				if err := in.SetAgentState(a, st); err != nil {
					t.Fatal(err)
				}
			case 3:
				clock.Advance(time.Duration(rapid.IntRange(1, 600).Draw(t, "seconds")) * time.Second)
				in.Advance()
			}
		}
		clock.Advance(time.Minute) // every after-contact work over
		in.Advance()
		var got routing.HistoryStats
		for _, r := range in.History(routing.HistoryQuery{From: t0, To: clock.Now().Add(time.Second)}) {
			got.Add(&r.Stats)
		}
		for a, since := range m.onlineSince {
			m.online[a] += clock.Now().Sub(since)
		}
		var online, tracked time.Duration
		for _, d := range m.online {
			online += d
		}
		tracked = got.OnContact + got.Idle + got.NonProductive
		want := []any{m.queued, m.handled, m.abandoned, m.answerWait, m.abandonWait, m.handle, m.acw, m.maxQueued, online}
		have := []any{got.Queued, got.Handled, got.Abandoned, got.AnswerWait, got.AbandonWait, got.Handle, got.AfterContactWork, got.MaxQueued, tracked}
		if fmt.Sprint(want) != fmt.Sprint(have) {
			t.Fatalf("history (queued, handled, abandoned, answer wait, abandon wait, handle, acw, max queued, agent time) = %v; want %v", have, want)
		}
	})
}

// ended adds a contact described just before it ended at now.
func (m *histModel) ended(info routing.ContactInfo, reason routing.EndReason, acw time.Duration, now time.Time) {
	m.queued++
	if info.State == routing.Waiting {
		w := now.Sub(info.EnqueuedAt)
		m.maxQueued = max(m.maxQueued, w)
		if reason != routing.Removed {
			m.abandoned++
			m.abandonWait += w
		}
		return
	}
	w := info.RoutedAt.Sub(info.EnqueuedAt)
	m.maxQueued = max(m.maxQueued, w)
	m.handled++
	m.answerWait += w
	m.handle += now.Sub(info.RoutedAt) + acw
	m.acw += acw
}
