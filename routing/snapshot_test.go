package routing_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// snapConfig has delays (tiers), two channels, criteria attributes and concurrency.
func snapConfig() routing.InstanceConfig {
	return routing.InstanceConfig{
		ID:     "snap",
		Queues: queues("q1", "q2"),
		RoutingProfiles: []routing.ProfileConfig{
			{ID: "p1", Name: "first", Queues: []routing.ProfileQueueConfig{entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 2, 5),
				entry("q1", chatCh, 1, 3)}, Concurrency: map[contact.Channel]int{chatCh: 2}},
			{ID: "p2", Queues: []routing.ProfileQueueConfig{entry("q2", voiceCh, 1, 0), entry("q1", voiceCh, 1, 10), entry("q2", chatCh, 1, 0)}},
		},
		PredefinedAttributes: critAttrs,
		Agents: []routing.AgentConfig{
			{ID: "a1", RoutingProfileID: "p1", Proficiencies: []routing.ProficiencyConfig{{AttributeName: "lang", AttributeValue: "fr", Level: 4}}},
			{ID: "a2", RoutingProfileID: "p1"},
			{ID: "a3", RoutingProfileID: "p2", Proficiencies: []routing.ProficiencyConfig{{AttributeName: "skill", AttributeValue: "s1", Level: 2}}},
			{ID: "a4", RoutingProfileID: "p2"},
		},
		RetainEnded: 5,
	}
}

// twin is an instance and its clock; a test drives two alike.
type twin struct {
	clk *routing.ManualClock
	in  *routing.Instance
}

func (tw twin) state(t require.TestingT) string {
	cfg, st := tw.in.Snapshot()
	b, err := json.Marshal(struct {
		C routing.InstanceConfig
		S routing.InstanceState
	}{cfg, st})
	require.NoError(t, err)
	return string(b)
}

// restoreTwin builds a fresh instance from tw's snapshot, its clock at the snapshot's time.
func restoreTwin(t require.TestingT, tw twin) twin {
	cfg, st := tw.in.Snapshot()
	b, err := json.Marshal(st) // through JSON, as a file would
	require.NoError(t, err)
	var back routing.InstanceState
	require.NoError(t, json.Unmarshal(b, &back))
	clk := routing.NewManualClock(st.Time)
	in, err := routing.NewInstance(cfg, clk)
	require.NoError(t, err)
	require.NoError(t, in.Restore(back))
	return twin{clk, in}
}

// TestSnapshotRestoreRoutesAlike: after a restore at any point of a random run (arrivals
// with and without criteria, updates, agents' states, ends with after-contact work, time
// passing timer by timer), the restored instance's snapshot equals the original's, and the
// two answer every later call alike and keep equal snapshots.
func TestSnapshotRestoreRoutesAlike(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		cfg := snapConfig()
		clk := routing.NewManualClock(t0)
		in, err := routing.NewInstance(cfg, clk)
		require.NoError(rt, err)
		twins := []twin{{clk, in}}
		n := rapid.IntRange(1, 60).Draw(rt, "steps")
		cut := rapid.IntRange(0, n).Draw(rt, "restore at")
		ids := []contact.ID{}
		for i := range n {
			if i == cut {
				r := restoreTwin(rt, twins[0])
				require.Equal(rt, twins[0].state(rt), r.state(rt), "snapshot after restore differs from before")
				twins = append(twins, r)
			}
			op := rapid.IntRange(0, 9).Draw(rt, "op")
			var id contact.ID
			if len(ids) > 0 {
				id = rapid.SampledFrom(ids).Draw(rt, "contact")
			}
			ag := rapid.SampledFrom([]string{"a1", "a2", "a3", "a4"}).Draw(rt, "agent")
			var crit *routing.RoutingCriteriaInput
			if op == 1 || op == 6 {
				crit = genCriteria(rt, cfg.Agents)
			}
			d := time.Duration(rapid.IntRange(0, 12000).Draw(rt, "ms")) * time.Millisecond
			q := rapid.SampledFrom([]string{"q1", "q2"}).Draw(rt, "queue")
			ch := rapid.SampledFrom([]contact.Channel{voiceCh, chatCh}).Draw(rt, "channel")
			p := int64(rapid.IntRange(1, 3).Draw(rt, "priority"))
			var results []string
			for _, tw := range twins {
				var err error
				switch op {
				case 0, 1:
					var got contact.ID
					got, err = tw.in.StartContact(routing.ContactSpec{QueueID: q, Channel: ch, Priority: p, RoutingCriteria: crit})
					if err == nil && len(results) == 0 {
						ids = append(ids, got)
					}
				case 2:
					err = tw.in.UpdateRoutingData(id, contact.RoutingUpdate{Priority: &p})
				case 3:
					adj := time.Duration(p) * time.Second
					err = tw.in.UpdateRoutingData(id, contact.RoutingUpdate{AgeAdjustment: &adj})
				case 4:
					err = tw.in.SetAgentState(ag, routing.AgentAvailable)
				case 5:
					err = tw.in.SetAgentState(ag, routing.AgentOffline)
				case 6:
					err = tw.in.UpdateRoutingCriteria(id, crit, contact.RoutingUpdate{})
				case 7:
					err = tw.in.EndContact(id, routing.Completed, time.Duration(p)*time.Second)
				case 8:
					err = tw.in.EndContact(id, routing.Abandoned, 0)
				case 9:
					moveTo(tw, tw.clk.Now().Add(d))
				}
				results = append(results, fmt.Sprint(errors.Unwrap(err) != nil, err))
			}
			if len(twins) == 2 {
				require.Equal(rt, results[0], results[1], "op %d: results differ", op)
				require.Equal(rt, twins[0].state(rt), twins[1].state(rt), "op %d: snapshots differ", op)
			}
		}
	})
}

// moveTo moves tw's clock to target, stopping at every timer on the way.
func moveTo(tw twin, target time.Time) {
	for {
		w, ok := tw.in.NextWake()
		if !ok || w.After(target) {
			break
		}
		tw.clk.Set(w)
		tw.in.Advance()
	}
	tw.clk.Set(target)
	tw.in.Advance()
}

// TestRestoreRefusesBadState: an inconsistent state is refused naming the field, and the
// instance is left fresh.
func TestRestoreRefusesBadState(t *testing.T) {
	clk := routing.NewManualClock(t0)
	src, err := routing.NewInstance(snapConfig(), clk)
	require.NoError(t, err)
	_, err = src.StartContact(routing.ContactSpec{ID: "c1", QueueID: "q1", Channel: voiceCh})
	require.NoError(t, err)
	cfg, good := src.Snapshot()
	tests := []struct {
		name  string
		edit  func(*routing.InstanceState)
		field string
	}{
		{"unknown queue", func(s *routing.InstanceState) { s.Contacts[0].QueueID = "nope" }, "contacts[0].queueId"},
		{"bad state", func(s *routing.InstanceState) { s.Contacts[0].State = "LOST" }, "contacts[0].state"},
		{"seq beyond", func(s *routing.InstanceState) { s.Contacts[0].Seq = 99 }, "contacts[0].seq"},
		{"unknown agent", func(s *routing.InstanceState) { s.Agents[0].ID = "zz" }, "agents[0].id"},
		{"timer kind", func(s *routing.InstanceState) {
			s.Timers = append([]routing.TimerSnapshot{{Seq: 1, Kind: "NAP", At: t0}}, s.Timers...)
		}, "timers[0].kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st routing.InstanceState
			b, _ := json.Marshal(good)
			require.NoError(t, json.Unmarshal(b, &st))
			tt.edit(&st)
			in, err := routing.NewInstance(cfg, routing.NewManualClock(t0))
			require.NoError(t, err)
			err = in.Restore(st)
			var se *routing.SnapshotError
			require.ErrorAs(t, err, &se, "Restore of a bad state: %v", err)
			assert.ErrorIs(t, err, routing.ErrInvalidSnapshot)
			assert.Equal(t, tt.field, se.Field, "field named by %v", err)
			_, after := in.Snapshot()
			assert.Empty(t, after.Contacts, "contacts after a refused restore")
			require.NoError(t, in.Restore(good), "the instance is still fresh after a refused restore")
		})
	}
}
