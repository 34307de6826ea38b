package routing_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// snapConfig has delays (tiers), three channels, criteria attributes, concurrency, a
// DISABLED queue with a limit and the history on.
func snapConfig() routing.InstanceConfig {
	qs := queues("q1", "q2", "q3")
	qs[2].Status, qs[2].MaxContacts, qs[2].Description = routing.QueueDisabled, ptr(2), "third"
	return routing.InstanceConfig{
		ID:     "snap",
		Queues: qs,
		RoutingProfiles: []routing.ProfileConfig{
			{ID: "p1", Name: "first", Queues: []routing.ProfileQueueConfig{entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 2, 5),
				entry("q1", chatCh, 1, 3), entry("q2", contact.Task, 1, 0)}, Concurrency: map[contact.Channel]int{chatCh: 2, contact.Task: 2}},
			{ID: "p2", Queues: []routing.ProfileQueueConfig{entry("q2", voiceCh, 1, 0), entry("q1", voiceCh, 1, 10), entry("q2", chatCh, 1, 0),
				entry("q3", contact.Task, 1, 5)}, AgentAvailabilityTimer: routing.TimerLastInbound},
		},
		PredefinedAttributes: critAttrs,
		Agents: []routing.AgentConfig{
			{ID: "a1", RoutingProfileID: "p1", Proficiencies: []routing.ProficiencyConfig{{AttributeName: "lang", AttributeValue: "fr", Level: 4}}},
			{ID: "a2", RoutingProfileID: "p1"},
			{ID: "a3", RoutingProfileID: "p2", Proficiencies: []routing.ProficiencyConfig{{AttributeName: "skill", AttributeValue: "s1", Level: 2}}},
			{ID: "a4", RoutingProfileID: "p2"},
		},
		RetainEnded: 5,
		History:     &routing.HistoryConfig{},
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

// answers is what the instance answers about everything it holds: every contact (described,
// its attributes, position and estimated wait), agent, queue and profile, the current
// metrics and the whole history, as JSON. Reading the history tracks the agents' time, as
// GetMetricDataV2 does.
func (tw twin) answers(t require.TestingT, ids []contact.ID) []string {
	out := []any{}
	for _, id := range ids {
		d, err := tw.in.DescribeContact(id)
		a, aerr := tw.in.ContactAttributes(id)
		p, perr := tw.in.ContactPosition(id)
		w, ok, werr := tw.in.EstimatedWait(id)
		out = append(out, d, fmt.Sprint(err), a, fmt.Sprint(aerr), p, fmt.Sprint(perr), w, ok, fmt.Sprint(werr))
	}
	for _, a := range tw.in.AgentIDs() {
		l, err := tw.in.AgentLoad(a)
		out = append(out, l, fmt.Sprint(err))
	}
	out = append(out, tw.in.Queues(), tw.in.RoutingProfiles())
	for _, q := range tw.in.QueueIDs() {
		for _, ch := range []contact.Channel{voiceCh, chatCh, contact.Task} {
			w, ok, err := tw.in.LaneEstimatedWait(q, ch)
			out = append(out, w, ok, fmt.Sprint(err))
		}
	}
	m, err := tw.in.CurrentMetrics(routing.MetricsQuery{})
	out = append(out, m, fmt.Sprint(err))
	hist := tw.in.History(routing.HistoryQuery{From: t0.Add(-time.Hour), To: tw.clk.Now().Add(time.Hour)})
	recs := make([]string, len(hist))
	for i, r := range hist {
		recs[i] = fmt.Sprintf("%v %s %s %s %s %v %+v %d %d", r.Start.UTC(), r.QueueID, r.Channel, r.ProfileID, r.AgentID, r.AgentTime,
			r.Stats, r.Stats.AnsweredWithin(2, false), r.Stats.AnsweredWithin(5, true))
	}
	slices.Sort(recs)
	out = append(out, recs)
	lines := make([]string, len(out))
	for i, x := range out {
		b, err := json.Marshal(x)
		require.NoError(t, err)
		lines[i] = string(b)
	}
	return lines
}

// restoreTwin builds a fresh instance from tw's snapshot, its clock at the snapshot's time.
func restoreTwin(t require.TestingT, tw twin) twin {
	cfg, st := tw.in.Snapshot()
	b, err := json.Marshal(st) // through JSON, as a file would
	require.NoError(t, err)
	var back routing.InstanceState
	require.NoError(t, json.Unmarshal(b, &back))
	b, err = json.Marshal(cfg)
	require.NoError(t, err)
	var cfgBack routing.InstanceConfig
	require.NoError(t, json.Unmarshal(b, &cfgBack))
	clk := routing.NewManualClock(st.Time)
	in, err := routing.NewInstance(cfgBack, clk)
	require.NoError(t, err)
	require.NoError(t, in.Restore(back))
	return twin{clk, in}
}

// snapOp is one drawn operation, applied alike to each twin.
type snapOp struct {
	op       int
	id       contact.ID
	ag, q, p string
	ch       contact.Channel
	prio     int64
	d        time.Duration
	crit     *routing.RoutingCriteriaInput
	entry    routing.ProfileQueueConfig
	attrs    map[string]string
	n        int
}

const snapOps = 24

func drawSnapOp(rt *rapid.T, cfg routing.InstanceConfig, ids []contact.ID, agents []string) snapOp {
	o := snapOp{op: rapid.IntRange(0, snapOps-1).Draw(rt, "op")}
	if len(ids) > 0 {
		o.id = rapid.SampledFrom(ids).Draw(rt, "contact")
	}
	o.ag = rapid.SampledFrom(agents).Draw(rt, "agent")
	if o.op == 1 || o.op == 6 || o.op == 10 && rapid.Bool().Draw(rt, "transfer criteria") {
		o.crit = genCriteria(rt, cfg.Agents)
	}
	o.d = time.Duration(rapid.IntRange(0, 12000).Draw(rt, "ms")) * time.Millisecond
	o.q = rapid.SampledFrom([]string{"q1", "q2", "q3", "qx"}).Draw(rt, "queue")
	o.ch = rapid.SampledFrom([]contact.Channel{voiceCh, chatCh, contact.Task}).Draw(rt, "channel")
	o.prio = int64(rapid.IntRange(1, 3).Draw(rt, "priority"))
	o.p = rapid.SampledFrom([]string{"p1", "p2", "px"}).Draw(rt, "profile")
	o.entry = entry(o.q, o.ch, rapid.IntRange(1, 3).Draw(rt, "entry prio"), rapid.SampledFrom([]int{0, 0, 4, 5, 7}).Draw(rt, "delay"))
	o.attrs = map[string]string{rapid.SampledFrom([]string{"k1", "k2"}).Draw(rt, "key"): rapid.StringMatching(`[a-z]{0,3}`).Draw(rt, "value")}
	o.n = rapid.IntRange(0, 3).Draw(rt, "n")
	return o
}

// apply runs o on tw and returns what it answered.
func (o snapOp) apply(tw twin) (contact.ID, error) {
	in := tw.in
	switch o.op {
	case 0, 1:
		return in.StartContact(routing.ContactSpec{QueueID: o.q, Channel: o.ch, Priority: o.prio, RoutingCriteria: o.crit,
			Name: "n" + string(o.q), Attributes: o.attrs})
	case 2:
		return "", in.UpdateRoutingData(o.id, contact.RoutingUpdate{Priority: &o.prio})
	case 3:
		adj := time.Duration(o.prio) * time.Second
		return "", in.UpdateRoutingData(o.id, contact.RoutingUpdate{AgeAdjustment: &adj})
	case 4, 20:
		return "", in.SetAgentState(o.ag, routing.AgentAvailable)
	case 5:
		return "", in.SetAgentState(o.ag, routing.AgentOffline)
	case 6:
		return "", in.UpdateRoutingCriteria(o.id, o.crit, contact.RoutingUpdate{})
	case 7:
		return "", in.EndContact(o.id, routing.Completed, time.Duration(o.prio)*time.Second)
	case 8:
		return "", in.EndContact(o.id, routing.Abandoned, 0)
	case 9, 21:
		moveTo(tw, tw.clk.Now().Add(o.d))
		return "", nil
	case 10:
		return in.TransferContact(o.id, routing.TransferSpec{QueueID: o.q, Priority: o.prio, AfterContactWork: o.d / 4, RoutingCriteria: o.crit})
	case 11:
		st := routing.QueueEnabled
		if o.n%2 == 1 {
			st = routing.QueueDisabled
		}
		return "", in.UpdateQueueStatus(o.q, st)
	case 12:
		var m *int
		if o.n > 0 {
			m = ptr(o.n - 1)
		}
		return "", in.UpdateQueueMaxContacts(o.q, m)
	case 13:
		return "", in.UpdateContactAttributes(o.id, o.attrs)
	case 14:
		return "", in.AssociateProfileQueues(o.p, []routing.ProfileQueueConfig{o.entry})
	case 15:
		return "", in.UpdateProfileQueues(o.p, []routing.ProfileQueueConfig{o.entry})
	case 16:
		return "", in.DisassociateProfileQueues(o.p, []routing.ProfileQueueRef{{QueueID: o.q, Channel: o.ch}})
	case 17:
		conc := map[contact.Channel]int{chatCh: o.n + 1, contact.Task: max(1, o.n)}
		var anyCh []contact.Channel
		if o.n >= 2 {
			anyCh = []contact.Channel{chatCh}
		}
		return "", in.UpdateProfileConcurrency(o.p, conc, anyCh)
	case 18:
		timer := routing.TimerLastActivity
		if o.n%2 == 1 {
			timer = routing.TimerLastInbound
		}
		return "", in.UpdateProfileAvailabilityTimer(o.p, timer)
	case 19:
		return "", in.UpdateAgentRoutingProfile(o.ag, o.p)
	case 22:
		if o.n == 0 {
			return "", in.SetAgentState(o.ag, routing.AgentCustom)
		}
		return "", in.EndContact(o.id, routing.Removed, 0)
	default: // 23: run-time queues, profiles and agents
		switch o.n {
		case 0:
			return "", in.CreateQueue(routing.QueueConfig{ID: "qx", Name: "created", HoursOfOperationID: "h", Tags: map[string]string{"t": "v"}})
		case 1:
			return "", in.CreateRoutingProfile(routing.ProfileConfig{ID: "px", Name: "created", Description: "d",
				Queues: []routing.ProfileQueueConfig{o.entry}})
		case 2:
			return "", in.CreateAgent(routing.AgentConfig{ID: "ax", RoutingProfileID: o.p})
		}
		name := "renamed"
		return "", in.UpdateQueueName(o.q, &name, nil)
	}
}

// TestSnapshotRestoreRoutesAlike: after a restore at any point of a random run (arrivals
// with and without criteria, updates, agents' states, ends with after-contact work, time
// passing timer by timer, and the run-time operations: queue status, limits and names,
// transfers (with criteria or not), contact attributes, profile queues, concurrency and timers, agent moves and
// custom states, queues, profiles and agents created), the restored instance's snapshot
// equals the original's, both answer alike about everything they hold (contacts, agents,
// queues, profiles, estimates, current metrics, the history), and the two answer every
// later call alike and keep equal snapshots and answers.
func TestSnapshotRestoreRoutesAlike(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		cfg := snapConfig()
		clk := routing.NewManualClock(t0)
		in, err := routing.NewInstance(cfg, clk)
		require.NoError(rt, err)
		twins := []twin{{clk, in}}
		n := rapid.IntRange(1, 80).Draw(rt, "steps")
		cut := rapid.IntRange(0, n).Draw(rt, "restore at")
		ids := []contact.ID{}
		agents := []string{"a1", "a2", "a3", "a4", "ax"}
		for i := range n {
			if i == cut {
				r := restoreTwin(rt, twins[0])
				require.Equal(rt, twins[0].state(rt), r.state(rt), "snapshot after restore differs from before")
				require.Equal(rt, twins[0].answers(rt, ids), r.answers(rt, ids), "answers after restore differ")
				twins = append(twins, r)
			}
			o := drawSnapOp(rt, cfg, ids, agents)
			rt.Logf("step %d: op %d contact %s agent %s queue %s %s prio %d profile %s entry %+v n %d d %v", i, o.op, o.id,
				o.ag, o.q, o.ch, o.prio, o.p, o.entry, o.n, o.d)
			var results []string
			for _, tw := range twins {
				got, err := o.apply(tw)
				if err == nil && got != "" && len(results) == 0 {
					ids = append(ids, got)
				}
				results = append(results, fmt.Sprint(got, errors.Unwrap(err) != nil, err))
			}
			if len(twins) == 2 {
				require.Equal(rt, results[0], results[1], "op %d: results differ", o.op)
				require.Equal(rt, twins[0].state(rt), twins[1].state(rt), "op %d: snapshots differ", o.op)
				require.Equal(rt, twins[0].answers(rt, ids), twins[1].answers(rt, ids), "op %d: answers differ", o.op)
			}
		}
		for _, tw := range twins {
			require.NoError(rt, tw.in.Verify())
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
	_, err = src.StartContact(routing.ContactSpec{ID: "c1", QueueID: "q1", Channel: voiceCh, Name: "first",
		Attributes: map[string]string{"k": "v"}})
	require.NoError(t, err)
	require.NoError(t, src.SetAgentState("a1", routing.AgentAvailable))
	clk.Set(t0.Add(time.Minute))
	require.NoError(t, src.SetAgentState("a1", routing.AgentOffline))
	_, err = src.StartContact(routing.ContactSpec{ID: "c2", QueueID: "q1", Channel: voiceCh})
	require.NoError(t, err)
	cfg, good := src.Snapshot()
	require.NotEmpty(t, good.History, "the source has a history")
	require.Equal(t, []time.Duration{10 * time.Second}, good.Lanes[0].TierDelaysNs, "q1 VOICE's tier")
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
		{"end reason", func(s *routing.InstanceState) { s.Contacts[0].Reason = "TRANSFERRED" }, "contacts[0].reason"},
		{"agent state", func(s *routing.InstanceState) { s.Agents[0].State = "NAPPING" }, "agents[0].state"},
		{"slots kept over", func(s *routing.InstanceState) { s.Agents[1].Over = map[contact.Channel]int{voiceCh: 99} }, "agents[1].over[VOICE]"},
		{"lane queue", func(s *routing.InstanceState) { s.Lanes[0].QueueID = "nope" }, "lanes[0].queueId"},
		{"configured tier dropped", func(s *routing.InstanceState) { s.Lanes[0].TierDelaysNs = nil }, "lanes[0].tierDelaysNs"},
		{"tiers out of order", func(s *routing.InstanceState) {
			s.Lanes[0].TierDelaysNs = []time.Duration{20 * time.Second, 10 * time.Second}
		}, "lanes[0].tierDelaysNs[1]"},
		{"answer times", func(s *routing.InstanceState) { s.Lanes[0].AnsweredCount = 3 }, "lanes[0].answered"},
		{"attribute set", func(s *routing.InstanceState) { s.Contacts[0].Meta.AttributeSet = 5 }, "contacts[0].meta"},
		{"profile agents", func(s *routing.InstanceState) { s.ProfileAgents["p1"] = []string{"a1"} }, "profileAgents[p1]"},
		{"queue modified", func(s *routing.InstanceState) { s.QueuesModified = map[string]time.Time{"nope": t0} }, "queuesModified"},
		{"history interval", func(s *routing.InstanceState) {
			s.History = []routing.HistoryBucketSnapshot{{Interval: t0.Add(time.Minute)}}
		}, "history[0].interval"},
		{"history bucket twice", func(s *routing.InstanceState) { s.History = append(s.History, s.History[0]) }, fmt.Sprint("history[", len(good.History), "]")},
	}
	freshIn, err := routing.NewInstance(cfg, routing.NewManualClock(t0))
	require.NoError(t, err)
	fresh := twin{routing.NewManualClock(t0), freshIn}.state(t)
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
			assert.Equal(t, fresh, twin{nil, in}.state(t), "the instance after a refused restore")
			require.NoError(t, in.Restore(good), "the instance is still fresh after a refused restore")
		})
	}
	noHist := cfg
	noHist.History = nil
	in, err := routing.NewInstance(noHist, routing.NewManualClock(t0))
	require.NoError(t, err)
	var se *routing.SnapshotError
	require.ErrorAs(t, in.Restore(good), &se, "a history into an instance that keeps none")
	assert.Equal(t, "history", se.Field)
}
